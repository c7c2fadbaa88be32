--TEST--
failure: SCRIPT FLUSH while a locked request is open (NOSCRIPT at write/abort time): the scripts are loaded again in the same round trip and the write lands, the lock is released, no warning (both handlers; session_write_close and session_abort)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking());
    foreach (['write_close', 'abort'] as $end) {
        $id = rs_new_id();
        $h->r->cmd('SET', $h->data($id), 'n|i:1;', 'EX', 300);
        session_id($id);
        rs_capture_warnings();
        $ok = session_start();
        $locked = $h->r->cmd('EXISTS', $h->lock($id));
        // Other tests on this node just reload the scripts on their next call.
        $flushed = $h->nodeConn($id)->cmd('SCRIPT', 'FLUSH');
        $_SESSION['n']++;
        $end === 'abort' ? session_abort() : session_write_close();
        restore_error_handler();
        printf("%s, %s: started %s, locked %d, flush %s, stored %s, lock left %d, warnings: %s\n", $handler, $end,
            var_export($ok, true), $locked, $flushed, $h->r->cmd('GET', $h->data($id)), $h->r->cmd('EXISTS', $h->lock($id)),
            implode(' | ', rs_take_warnings()) ?: 'none');
        $h->cleanup($id);
    }
}
echo ob_get_clean();
?>
--EXPECT--
redis, write_close: started true, locked 1, flush OK, stored n|i:2;, lock left 0, warnings: none
redis, abort: started true, locked 1, flush OK, stored n|i:1;, lock left 0, warnings: none
rediscluster, write_close: started true, locked 1, flush OK, stored n|i:2;, lock left 0, warnings: none
rediscluster, abort: started true, locked 1, flush OK, stored n|i:1;, lock left 0, warnings: none
