--TEST--
lock: lock_expire=5 sets the lock TTL to 5 s, whatever max_execution_time says: PTTL in (4000, 5000] ms (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
ini_set('max_execution_time', '60');
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['redis.session.lock_expire' => '5']));
    $id = rs_new_id();
    session_id($id);
    var_dump(session_start());
    $pttl = $h->r->cmd('PTTL', $h->lock($id));
    echo "$handler: lock PTTL in (4000, 5000]: ", var_export(is_int($pttl) && $pttl > 4000 && $pttl <= 5000, true), " ($pttl)\n";
    session_abort();
    $h->cleanup($id);
}
?>
--EXPECTF--
bool(true)
redis: lock PTTL in (4000, 5000]: true (%d)
bool(true)
rediscluster: lock PTTL in (4000, 5000]: true (%d)
