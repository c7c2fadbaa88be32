--TEST--
redissentinel: a warm request costs 2 round trips (lock + read, write + release), none to a sentinel; with every sentinel down the worker keeps using the master it knows, with one warning per process
--SKIPIF--
<?php require __DIR__ . '/../inc/sentinel.inc'; rs_skip_if_no_sentinel(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/sentinel.inc';
ob_start();
$s = rs_sentinel_start();
rs_session_setup('redissentinel', $s['path'] . '&timeout=1&read_timeout=1',
    ['redis.session.locking_enabled' => '1', 'redis.session.lock_wait_time' => '10000']);
$id = rs_new_id();
rs_sentinel_bump($id);
rs_sentinel_bump($id);
for ($i = 0; $i < 3; $i++) {
    $before = redis_session_stats();
    [$ok, $n] = rs_sentinel_bump($id);
    $after = redis_session_stats();
    echo "warm: ", var_export($ok, true), " n=$n round trips=", $after['round_trips'] - $before['round_trips'],
        " sentinel queries=", $after['sentinel_queries'] - $before['sentinel_queries'], "\n";
}
foreach ($s['sentinels'] as $port) {
    rs_sentinel('kill', $s, $port);
}
$all = [];
for ($i = 0; $i < 3; $i++) {
    [$ok, $n, $w] = rs_sentinel_bump($id);
    echo "sentinels down: n=$n\n";
    $all = array_merge($all, $w);
}
echo "warnings: ", count($all), "\n";
echo preg_replace('/[0-9]{4,5}/', 'P', $all[0] ?? 'none'), "\n";
echo "stored on the master: ", var_export(rs_sentinel_cli($s['master'], 'GET', RS_PREFIX . $id) === 'n|i:8;', true), "\n";
?>
--EXPECTF--
warm: true n=3 round trips=2 sentinel queries=0
warm: true n=4 round trips=2 sentinel queries=0
warm: true n=5 round trips=2 sentinel queries=0
sentinels down: n=6
sentinels down: n=7
sentinels down: n=8
warnings: 1
session_start(): redissentinel: no sentinel of service 'mymaster' answered (sentinel 127.0.0.1:P: %s); using 127.0.0.1:P, the master this process found last, without asking them, and asking them again at most once a second (this warning: once per process until a sentinel answers)
stored on the master: true
