--TEST--
redissentinel: while a killed master is not yet replaced, a request fails within its timeout with a warning naming the service and the cause (no full session id); once the sentinels promote a replica the next request in the same process works
--SKIPIF--
<?php require __DIR__ . '/../inc/sentinel.inc'; rs_skip_if_no_sentinel(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/sentinel.inc';
ob_start();
$s = rs_sentinel_start();
rs_session_setup('redissentinel', $s['path'] . '&timeout=0.5&read_timeout=0.5',
    ['redis.session.locking_enabled' => '1', 'redis.session.lock_wait_time' => '10000']);
$id = rs_new_id();
[$ok, $n] = rs_sentinel_bump($id);
echo "before: ", var_export($ok, true), " n=$n\n";
rs_sentinel('wait-synced', $s, 20);
rs_sentinel('kill', $s, $s['master']);
$t = microtime(true);
[$ok, $n, $w] = rs_sentinel_bump($id);
$took = microtime(true) - $t;
echo "during: ", var_export($ok, true), ", within 1.5 s: ", var_export($took < 1.5, true), "\n";
echo preg_replace('/[0-9]{4,5}/', 'P', $w[0] ?? 'no warning'), "\n";
echo "full id in a warning: ", var_export(str_contains(implode(' ', $w), $id), true), "\n";
$new = (int) rs_sentinel('wait-master', $s, $s['master'], 30);
$end = microtime(true) + 10;
do { [$ok, $n] = rs_sentinel_bump($id); } while (!$ok && microtime(true) < $end);
echo "after: ", var_export($ok, true), " n=$n\n";
?>
--EXPECTF--
before: true n=1
during: false, within 1.5 s: true
session_start(): redissentinel: lock on service mymaster: no master for service 'mymaster' within 0.5 s (timeout): sentinel 127.0.0.1:P names 127.0.0.1:P: %s (session key PHPREDIS_SESSION:%s)
full id in a warning: false
after: true n=2
