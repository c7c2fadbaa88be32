--TEST--
lock: session_start(['read_and_close' => true]) on a free session costs one round trip and never takes the lock (true, 1, "1", via call_user_func, with use_strict_mode); false, 0 or "0" lock as usual; a locked session is still waited for (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$out = [];
foreach (['redis', 'rediscluster'] as $handler) {
    $out[] = "-- $handler";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking());
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), 'a|i:1;', 'EX', 300);
    // A warm process: connection and (cluster) slot map in place, scripts loaded.
    session_id($id);
    session_start();
    session_write_close();
    $cost = function (callable $start) use ($id): string {
        $s0 = redis_session_stats();
        session_id($id);
        $ok = $start();
        $a = $_SESSION['a'] ?? null;
        if (session_status() === PHP_SESSION_ACTIVE) {
            session_write_close();
        }
        $s1 = redis_session_stats();
        return sprintf('ok=%s a=%s round trips=%d locks taken=%d', var_export($ok, true), var_export($a, true),
            $s1['round_trips'] - $s0['round_trips'], $s1['lock_acquisitions'] - $s0['lock_acquisitions']);
    };
    foreach (['true' => true, '1' => 1, '"1"' => '1'] as $label => $v) {
        $out[] = "read_and_close $label: " . $cost(fn () => session_start(['read_and_close' => $v]));
    }
    $out[] = 'call_user_func: ' . $cost(fn () => call_user_func('session_start', ['read_and_close' => true]));
    ini_set('session.use_strict_mode', '1');
    $out[] = 'strict mode: ' . $cost(fn () => session_start(['read_and_close' => true]));
    ini_set('session.use_strict_mode', '0');
    // "0", not "no": PHP 8.5 refuses a non-numeric string here (TypeError)
    foreach (['false' => false, '0' => 0, '"0"' => '0'] as $label => $v) {
        $out[] = "read_and_close $label: " . $cost(fn () => session_start(['read_and_close' => $v]));
    }
    $out[] = 'lock key left: ' . $h->r->cmd('EXISTS', $h->lock($id));
    // Held by another request for 300 ms: read_and_close waits for it like any start.
    $h->r->cmd('SET', $h->lock($id), 'someone-else', 'PX', '300');
    $t = hrtime(true);
    session_id($id);
    $ok = session_start(['read_and_close' => true]);
    $ms = (hrtime(true) - $t) / 1e6;
    $out[] = sprintf('locked: ok=%s waited >= 250 ms: %s a=%s lock key left: %d', var_export($ok, true),
        var_export($ms >= 250, true), var_export($_SESSION['a'] ?? null, true), $h->r->cmd('EXISTS', $h->lock($id)));
    $h->cleanup($id);
}
ob_end_clean();
echo implode("\n", $out), "\n";
?>
--EXPECT--
-- redis
read_and_close true: ok=true a=1 round trips=1 locks taken=0
read_and_close 1: ok=true a=1 round trips=1 locks taken=0
read_and_close "1": ok=true a=1 round trips=1 locks taken=0
call_user_func: ok=true a=1 round trips=1 locks taken=0
strict mode: ok=true a=1 round trips=1 locks taken=0
read_and_close false: ok=true a=1 round trips=2 locks taken=1
read_and_close 0: ok=true a=1 round trips=2 locks taken=1
read_and_close "0": ok=true a=1 round trips=2 locks taken=1
lock key left: 0
locked: ok=true waited >= 250 ms: true a=1 lock key left: 0
-- rediscluster
read_and_close true: ok=true a=1 round trips=1 locks taken=0
read_and_close 1: ok=true a=1 round trips=1 locks taken=0
read_and_close "1": ok=true a=1 round trips=1 locks taken=0
call_user_func: ok=true a=1 round trips=1 locks taken=0
strict mode: ok=true a=1 round trips=1 locks taken=0
read_and_close false: ok=true a=1 round trips=2 locks taken=1
read_and_close 0: ok=true a=1 round trips=2 locks taken=1
read_and_close "0": ok=true a=1 round trips=2 locks taken=1
lock key left: 0
locked: ok=true waited >= 250 ms: true a=1 lock key left: 0
