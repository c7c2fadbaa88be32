--TEST--
security: a user error handler that calls session_write_close(), session_abort(), session_destroy() or session_regenerate_id() while our warning is being emitted (lock timeout in session_start(); lock found lost in session_write_close()) crashes nothing (valgrind: make valgrind runs this), and never writes over or deletes the session of the request that holds the lock (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();

$GLOBALS['rs_call'] = null;
set_error_handler(function (int $no, string $msg): bool {
    // On our first warning, run the session call the test is about (once).
    if ($GLOBALS['rs_call'] !== null && preg_match('/(^|: )(redis|rediscluster): /', $msg)) {
        $f = $GLOBALS['rs_call'];
        $GLOBALS['rs_call'] = null;
        $GLOBALS['ret'] = @$f();
    }
    return true;
});

foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['session_write_close', 'session_abort', 'session_destroy', 'session_regenerate_id'] as $call) {
        // 1. session_start() cannot get the lock: someone else holds it.
        $id = rs_new_id(32);
        $h->r->cmd('SET', $h->data($id), 'theirs|i:1;', 'EX', 60);
        $h->r->cmd('SET', $h->lock($id), 'their-token', 'PX', 10000);
        rs_session_setup($h->handler, $h->path, rs_lk_locking([
            'redis.session.lock_retries' => '2', 'redis.session.lock_wait_time' => '1000']));
        session_id($id);
        $GLOBALS['rs_call'] = $call;
        $GLOBALS['ret'] = 'not called';
        $started = session_start();
        $_SESSION = ['mine' => 1];
        @session_write_close();
        printf("%s %s during the lock timeout: start %s, %s returned %s, their data %s, their lock %s\n",
            $handler, $call, var_export($started, true), $call, var_export($GLOBALS['ret'], true),
            $h->r->cmd('GET', $h->data($id)) === 'theirs|i:1;' ? 'intact' : 'CHANGED',
            $h->r->cmd('GET', $h->lock($id)) === 'their-token' ? 'intact' : 'CHANGED');

        // 2. our lock is taken over while we run; session_write_close() finds it lost.
        $id2 = rs_new_id(32);
        session_id($id2);
        var_dump(session_start());
        $_SESSION['mine'] = 2;
        $h->r->cmd('SET', $h->lock($id2), 'their-token', 'PX', 10000);
        $h->r->cmd('SET', $h->data($id2), 'theirs|i:2;', 'EX', 60);
        $GLOBALS['rs_call'] = $call;
        $GLOBALS['ret'] = 'not called';
        $closed = session_write_close();
        printf("%s %s during the lost-lock warning: close %s, %s returned %s, their data %s, their lock %s, status %d\n",
            $handler, $call, var_export($closed, true), $call, var_export($GLOBALS['ret'], true),
            $h->r->cmd('GET', $h->data($id2)) === 'theirs|i:2;' ? 'intact' : 'CHANGED',
            $h->r->cmd('GET', $h->lock($id2)) === 'their-token' ? 'intact' : 'CHANGED', session_status());
        if (session_status() === PHP_SESSION_ACTIVE) {
            // regenerate_id started a new session: close it, its lock goes with it
            $new = session_id();
            @session_write_close();
            echo "  new session's lock released: ", var_export($h->r->cmd('EXISTS', $h->lock($new)) === 0, true), "\n";
            $h->cleanup($new);
        }
        $h->cleanup($id, $id2);
    }
}
echo "done\n";
?>
--EXPECT--
redis session_write_close during the lock timeout: start false, session_write_close returned true, their data intact, their lock intact
bool(true)
redis session_write_close during the lost-lock warning: close true, session_write_close returned true, their data intact, their lock intact, status 1
redis session_abort during the lock timeout: start false, session_abort returned true, their data intact, their lock intact
bool(true)
redis session_abort during the lost-lock warning: close true, session_abort returned true, their data intact, their lock intact, status 1
redis session_destroy during the lock timeout: start false, session_destroy returned false, their data intact, their lock intact
bool(true)
redis session_destroy during the lost-lock warning: close true, session_destroy returned false, their data intact, their lock intact, status 1
redis session_regenerate_id during the lock timeout: start false, session_regenerate_id returned false, their data intact, their lock intact
bool(true)
redis session_regenerate_id during the lost-lock warning: close true, session_regenerate_id returned false, their data intact, their lock intact, status 1
rediscluster session_write_close during the lock timeout: start false, session_write_close returned true, their data intact, their lock intact
bool(true)
rediscluster session_write_close during the lost-lock warning: close true, session_write_close returned true, their data intact, their lock intact, status 1
rediscluster session_abort during the lock timeout: start false, session_abort returned true, their data intact, their lock intact
bool(true)
rediscluster session_abort during the lost-lock warning: close true, session_abort returned true, their data intact, their lock intact, status 1
rediscluster session_destroy during the lock timeout: start false, session_destroy returned false, their data intact, their lock intact
bool(true)
rediscluster session_destroy during the lost-lock warning: close true, session_destroy returned false, their data intact, their lock intact, status 1
rediscluster session_regenerate_id during the lock timeout: start false, session_regenerate_id returned false, their data intact, their lock intact
bool(true)
rediscluster session_regenerate_id during the lost-lock warning: close true, session_regenerate_id returned false, their data intact, their lock intact, status 1
done
