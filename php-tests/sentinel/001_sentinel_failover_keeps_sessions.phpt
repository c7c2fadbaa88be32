--TEST--
redissentinel: a session written through the sentinels survives SENTINEL FAILOVER; the next requests use the new master without a restart; the keys are the redis handler's
--SKIPIF--
<?php require __DIR__ . '/../inc/sentinel.inc'; rs_skip_if_no_sentinel(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/sentinel.inc';
ob_start();
$s = rs_sentinel_start();
rs_session_setup('redissentinel', $s['path'] . '&timeout=2&read_timeout=1',
    ['redis.session.locking_enabled' => '1', 'redis.session.lock_wait_time' => '10000']);
$id = rs_new_id();
for ($i = 0; $i < 3; $i++) {
    [$ok, $n] = rs_sentinel_bump($id);
    echo "before: ", var_export($ok, true), " n=$n\n";
}
// the same key the redis handler uses, on the master
$stored = rs_sentinel_cli($s['master'], 'GET', RS_PREFIX . $id);
echo "stored on the master under PHPREDIS_SESSION: ", var_export($stored === 'n|i:3;', true), "\n";
rs_sentinel('wait-synced', $s, 20);
echo "failover: ", rs_sentinel('failover', $s), "\n";
$new = (int) rs_sentinel('wait-master', $s, $s['master'], 30);
echo "new master differs: ", var_export($new !== $s['master'] && $new > 0, true), "\n";
for ($i = 0; $i < 3; $i++) {
    [$ok, $n, $w] = rs_sentinel_bump($id);
    echo "after: ", var_export($ok, true), " n=$n ", implode(' | ', $w), "\n";
}
echo "new master holds n=6: ", var_export(rs_sentinel_cli($new, 'GET', RS_PREFIX . $id) === 'n|i:6;', true), "\n";
echo "old master got no write after the switch: ",
    var_export(rs_sentinel_cli($s['master'], 'GET', RS_PREFIX . $id) === 'n|i:3;', true), "\n";
?>
--EXPECT--
before: true n=1
before: true n=2
before: true n=3
stored on the master under PHPREDIS_SESSION: true
failover: OK
new master differs: true
after: true n=4 
after: true n=5 
after: true n=6 
new master holds n=6: true
old master got no write after the switch: true
