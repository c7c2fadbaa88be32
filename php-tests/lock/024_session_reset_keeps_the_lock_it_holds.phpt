--TEST--
lock: session_reset() with locking (PHP calls open() and read() again on the open session): the stored data comes back at once, without waiting for the request's own lock or warning; the write then lands and releases the lock (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['redis.session.lock_retries' => '50', 'redis.session.lock_wait_time' => '20000']));
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), 'n|i:1;', 'EX', 300);
    session_id($id);
    rs_capture_warnings();
    $started = session_start();
    $_SESSION['n'] = 5;
    $t = microtime(true);
    $reset = session_reset();
    $took = microtime(true) - $t;
    $n = $_SESSION['n'] ?? '-';
    $_SESSION['n'] = $n === '-' ? 0 : $n + 1;
    session_write_close();
    restore_error_handler();
    printf("%s: start %s, reset %s, n after reset %s, under 0.5 s %s, stored %s, lock left %d, warnings: %s\n", $handler,
        var_export($started, true), var_export($reset, true), $n, var_export($took < 0.5, true),
        $h->r->cmd('GET', $h->data($id)), $h->r->cmd('EXISTS', $h->lock($id)), implode(' | ', rs_take_warnings()) ?: 'none');
    $h->cleanup($id);
}
echo ob_get_clean();
?>
--EXPECT--
redis: start true, reset true, n after reset 1, under 0.5 s true, stored n|i:2;, lock left 0, warnings: none
rediscluster: start true, reset true, n after reset 1, under 0.5 s true, stored n|i:2;, lock left 0, warnings: none
