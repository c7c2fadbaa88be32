--TEST--
lock: when the lock was lost mid-request (taken over by another request, or simply expired), session_write_close() does not write the data and warns "NOT written" naming the key (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['redis.session.lock_expire' => '10']));
    foreach (['taken over', 'expired'] as $case) {
        echo "-- $handler, $case\n";
        $id = rs_new_id();
        $h->r->cmd('SET', $h->data($id), 'n|i:1;', 'EX', 300);
        session_id($id);
        var_dump(session_start());
        $ours = $h->r->cmd('GET', $h->lock($id));
        var_dump(rs_is_token($ours));
        $theirs = str_repeat('f', 32);
        if ($case === 'taken over') {
            // our lock expired, another request took it and stored its own data
            $h->r->cmd('SET', $h->lock($id), $theirs, 'PX', 10000);
            $h->r->cmd('SET', $h->data($id), 'n|i:42;', 'EX', 300);
        } else {
            // our lock expired and nobody holds one now: still not ours, so no write
            $h->r->cmd('DEL', $h->lock($id));
        }
        $_SESSION['n'] = 2;
        rs_capture_warnings();
        var_dump(session_write_close());   // PHP 8.2 returns true even when the handler's write failed
        restore_error_handler();
        foreach (rs_take_warnings() as $w) {
            echo str_replace($ours, '<our token>', rs_hide_id($w, $id)), "\n";
        }
        var_dump($h->r->cmd('GET', $h->data($id)));
        echo "lock: ", var_export($case === 'taken over' ? $h->r->cmd('GET', $h->lock($id)) === $theirs
                                                         : $h->r->cmd('EXISTS', $h->lock($id)), true), "\n";
        $h->cleanup($id);
    }
}
?>
--EXPECTF--
-- redis, taken over
bool(true)
bool(true)
bool(true)
session_write_close(): redis: session data NOT written to PHPREDIS_SESSION:<id> (127.0.0.1:%d): the session lock was no longer held by this request (it expired after 10 s, or was broken); raise redis.session.lock_expire or max_execution_time
session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (tcp://127.0.0.1:%d?timeout=2&read_timeout=2)
string(7) "n|i:42;"
lock: true
-- redis, expired
bool(true)
bool(true)
bool(true)
session_write_close(): redis: session data NOT written to PHPREDIS_SESSION:<id> (127.0.0.1:%d): the session lock was no longer held by this request (it expired after 10 s, or was broken); raise redis.session.lock_expire or max_execution_time
session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (tcp://127.0.0.1:%d?timeout=2&read_timeout=2)
string(6) "n|i:1;"
lock: 0
-- rediscluster, taken over
bool(true)
bool(true)
bool(true)
session_write_close(): rediscluster: session data NOT written to PHPREDIS_CLUSTER_SESSION:<id> (127.0.0.1:%d): the session lock was no longer held by this request (it expired after 10 s, or was broken); raise redis.session.lock_expire or max_execution_time
session_write_close(): Failed to write session data (rediscluster). Please verify that the current setting of session.save_path is correct (seed[]=%s&timeout=2&read_timeout=2)
string(7) "n|i:42;"
lock: true
-- rediscluster, expired
bool(true)
bool(true)
bool(true)
session_write_close(): rediscluster: session data NOT written to PHPREDIS_CLUSTER_SESSION:<id> (127.0.0.1:%d): the session lock was no longer held by this request (it expired after 10 s, or was broken); raise redis.session.lock_expire or max_execution_time
session_write_close(): Failed to write session data (rediscluster). Please verify that the current setting of session.save_path is correct (seed[]=%s&timeout=2&read_timeout=2)
string(6) "n|i:1;"
lock: 0
