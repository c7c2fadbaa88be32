--TEST--
failure: with locking, a session_start() that fails after taking the lock (session key of the wrong type) releases it, so the next request is not locked out for the lock TTL (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking([
        'redis.session.lock_retries' => '2',
        'redis.session.lock_wait_time' => '10000',
    ]));
    $id = rs_new_id();
    $h->r->cmd('HSET', $h->data($id), 'f', 'v');
    session_id($id);
    var_dump(@session_start());
    echo "lock left behind: ", $h->r->cmd('EXISTS', $h->lock($id)), "\n";
    // the operator repairs the key; the very next request must get the session
    $h->r->cmd('DEL', $h->data($id));
    session_id($id);
    rs_capture_warnings();
    var_dump(session_start());
    restore_error_handler();
    echo "warnings: ", count(rs_take_warnings()), "\n";
    if (session_status() === PHP_SESSION_ACTIVE) {
        session_abort();
    }
    $h->cleanup($id);
}
?>
--EXPECT--
-- redis
bool(false)
lock left behind: 0
bool(true)
warnings: 0
-- rediscluster
bool(false)
lock left behind: 0
bool(true)
warnings: 0
