--TEST--
lock: rediscluster without locking, the same 8 x 50 concurrent increments lose updates (final < 400)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
// The control for 001: every request succeeds, yet with a 0.5 ms pause between read and write
// the 8 processes' cycles overlap and overwrite each other. This shows the lock is what
// keeps 001 at 400.
$r = rs_lk_concurrent_incr(rs_lk('rediscluster'), false, 8, 50, 500);
var_dump($r['bad_children'], $r['ok'], $r['failed'], $r['warnings']);
$n = rs_lk_stored_n($r['stored']);
echo "stored: ", var_export($r['stored'], true), "\n";
var_dump($n !== null && $n >= 1 && $n < 400);
?>
--EXPECTF--
int(0)
int(400)
int(0)
array(0) {
}
stored: 'n|i:%d;'
bool(true)
