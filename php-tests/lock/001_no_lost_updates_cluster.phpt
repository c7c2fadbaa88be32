--TEST--
lock: rediscluster with locking, 8 concurrent processes x 50 read-pause-write increments end at exactly 400
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
// Same workload as 002 (which runs it without the lock and loses updates): here every
// read-modify-write cycle runs under the session lock, so none is lost.
$r = rs_lk_concurrent_incr(rs_lk('rediscluster'), true, 8, 50, 500);
var_dump($r['bad_children'], $r['ok'], $r['failed'], $r['warnings']);
var_dump($r['stored']);
var_dump($r['lock_left']);
?>
--EXPECT--
int(0)
int(400)
int(0)
array(0) {
}
string(8) "n|i:400;"
int(0)
