--TEST--
failure: a 12 MB session (binary bytes) is written and read back intact by a later request, both handlers, with and without locking; the lock is released after the write
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$blob = str_repeat(random_bytes(4096), 3072);   // 12 MiB, every byte value, NUL included
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler, ['timeout' => 2, 'read_timeout' => 10]);
    foreach (['0', '1'] as $locking) {
        rs_session_setup($h->handler, $h->path, ['redis.session.locking_enabled' => $locking]);
        $id = rs_new_id();
        session_id($id);
        rs_capture_warnings();
        $t = microtime(true);
        $a = session_start();
        $_SESSION['blob'] = $blob;
        $_SESSION['n'] = 1;
        session_write_close();
        session_id($id);
        $b = session_start();
        $same = ($_SESSION['blob'] ?? null) === $blob && $_SESSION['n'] === 1;
        $_SESSION['n'] = 2;
        session_write_close();
        restore_error_handler();
        $stored = $h->r->cmd('GET', $h->data($id));
        printf("%s, locking %s: started %s %s, read back intact: %s, stored %.1f MB, lock left: %d, warnings: %d, under 10 s: %s\n",
            $handler, $locking, var_export($a, true), var_export($b, true), var_export($same, true),
            strlen($stored) / 1048576, $h->r->cmd('EXISTS', $h->lock($id)), count(rs_take_warnings()),
            var_export(microtime(true) - $t < 10, true));
        $h->cleanup($id);
    }
}
echo ob_get_clean();
?>
--EXPECT--
redis, locking 0: started true true, read back intact: true, stored 12.0 MB, lock left: 0, warnings: 0, under 10 s: true
redis, locking 1: started true true, read back intact: true, stored 12.0 MB, lock left: 0, warnings: 0, under 10 s: true
rediscluster, locking 0: started true true, read back intact: true, stored 12.0 MB, lock left: 0, warnings: 0, under 10 s: true
rediscluster, locking 1: started true true, read back intact: true, stored 12.0 MB, lock left: 0, warnings: 0, under 10 s: true
