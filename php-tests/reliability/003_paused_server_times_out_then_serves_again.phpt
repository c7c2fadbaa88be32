--TEST--
reliability: redis, a server paused with SIGSTOP mid-life of a long-lived process: session_start() fails within read_timeout with a warning; after SIGCONT the same process is served again, on a new connection (the timed-out one, whose late reply is still in flight, is closed, never reused) and reads the right data
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/private_cluster.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$s = rs_private_tcp_server();
$r = $s->resp();
// connections other than this inspector
$clients = fn () => count(explode("\n", trim((string) $r->cmd('CLIENT', 'LIST')))) - 1;
foreach (['without locking' => '0', 'with locking' => '1'] as $case => $locking) {
    echo "-- $case\n";
    // lock_expire=1: the lock script the paused server runs late (after we gave up) takes a
    // lock nobody will release; the next request waits for it to expire (at most 1 s).
    rs_session_setup('redis', $s->path(['timeout' => 0.5, 'read_timeout' => 0.5]),
        ['redis.session.locking_enabled' => $locking, 'redis.session.lock_expire' => '1',
         'redis.session.lock_wait_time' => '20000', 'redis.session.lock_retries' => '100']);
    $id = rs_new_id();
    session_id($id);
    session_start();
    $_SESSION['n'] = 1;
    var_dump(session_write_close());
    echo "connections: ", $clients(), "\n";

    $s->pause();
    try {
        session_id($id);
        rs_capture_warnings();
        $t = microtime(true);
        $ok = session_start();
        $elapsed = microtime(true) - $t;
        restore_error_handler();
    } finally {
        $s->resume();
    }
    var_dump($ok);
    foreach (rs_take_warnings() as $w) {
        echo rs_hide_id(preg_replace('/127\.0\.0\.1:\d+/', '<node>', $w), $id), "\n";
    }
    echo "failed within read_timeout (0.5 s, + 0.5 s slack): ", var_export($elapsed >= 0.45 && $elapsed < 1.0, true),
        sprintf(" (%.2f s)", $elapsed), "\n";

    // Resumed: the same process, the same session, the data written before the pause.
    session_id($id);
    $t = microtime(true);
    var_dump(session_start());
    echo "n = ", $_SESSION['n'] ?? 'missing', sprintf(", within 3 s: %s\n", var_export(microtime(true) - $t < 3.0, true));
    $_SESSION['n']++;
    var_dump(session_write_close());
    echo "stored: ", $r->cmd('GET', RS_PREFIX . $id), "\n";
    // The timed-out connection was closed by the handler: only the new one is left.
    echo "old connection closed: ", var_export(rs_wait_for(fn () => $clients() === 1, 3.0), true), "\n";
}
$s->stop();
echo ob_get_clean();
?>
--EXPECTF--
-- without locking
bool(true)
connections: 1
bool(false)
session_start(): redis: read on <node>: timed out (session key PHPREDIS_SESSION:<id>)
session_start(): Failed to read session data: redis (path: tcp://<node>?timeout=0.5&read_timeout=0.5)
failed within read_timeout (0.5 s, + 0.5 s slack): true (%f s)
bool(true)
n = 1, within 3 s: true
bool(true)
stored: n|i:2;
old connection closed: true
-- with locking
bool(true)
connections: 1
bool(false)
session_start(): redis: lock on <node>: timed out (session key PHPREDIS_SESSION:<id>)
session_start(): Failed to read session data: redis (path: tcp://<node>?timeout=0.5&read_timeout=0.5)
failed within read_timeout (0.5 s, + 0.5 s slack): true (%f s)
bool(true)
n = 1, within 3 s: true
bool(true)
stored: n|i:2;
old connection closed: true
