--TEST--
lock: with use_strict_mode=1 an id that has no data is refused even while another request holds its lock (no session fixation through a busy made-up id); an id with data and a busy lock is kept and waited for (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['session.use_strict_mode' => '1',
        'redis.session.lock_retries' => '5', 'redis.session.lock_wait_time' => '20000']));
    // A made-up id whose lock someone (an attacker's concurrent request) holds, no data.
    $madeup = rs_new_id();
    $h->r->cmd('SET', $h->lock($madeup), str_repeat('e', 32), 'PX', '3000');
    session_id($madeup);
    var_dump(session_start());
    echo "kept the made-up id: ", var_export(session_id() === $madeup, true), "\n";
    session_write_close();
    $fresh = session_id();
    // A real session (data stored) whose lock is busy for a moment: kept, and waited for.
    $real = rs_new_id();
    $h->r->cmd('SET', $h->data($real), 'n|i:1;');
    $h->r->cmd('SET', $h->lock($real), str_repeat('e', 32), 'PX', '50');
    session_id($real);
    var_dump(session_start());
    echo "kept the real id: ", var_export(session_id() === $real, true), ", n = ", $_SESSION['n'] ?? '-', "\n";
    session_write_close();
    $h->cleanup($madeup, $real, $fresh);
}
echo ob_get_clean();
?>
--EXPECT--
-- redis
bool(true)
kept the made-up id: false
bool(true)
kept the real id: true, n = 1
-- rediscluster
bool(true)
kept the made-up id: false
bool(true)
kept the real id: true, n = 1
