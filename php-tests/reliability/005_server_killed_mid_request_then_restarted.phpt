--TEST--
reliability: redis, the server is killed (SIGKILL) between session_start() and session_write_close(): the write fails with a warning, no fatal error; the server is restarted on the same port and the same long-lived process's next request succeeds (the broken connection is not reused)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/private_cluster.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$s = rs_private_tcp_server();
foreach (['without locking' => '0', 'with locking' => '1'] as $case => $locking) {
    echo "-- $case\n";
    rs_session_setup('redis', $s->path(['timeout' => 0.5, 'read_timeout' => 0.5]),
        ['redis.session.locking_enabled' => $locking]);
    $id = rs_new_id();
    for ($i = 0; $i < 3; $i++) {   // warm: a kept connection
        session_id($id);
        session_start();
        $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
        session_write_close();
    }
    session_id($id);
    var_dump(session_start());
    $_SESSION['n']++;
    $s->kill();                     // mid-request
    rs_capture_warnings();
    $t = microtime(true);
    var_dump(session_write_close());   // PHP 8.2 returns true even when the write failed: see the warnings
    restore_error_handler();
    echo "failed within 1 s: ", var_export(microtime(true) - $t < 1.0, true), "\n";
    foreach (rs_take_warnings() as $w) {
        echo preg_replace('/127\.0\.0\.1:\d+/', '<node>', rs_hide_id($w, $id)), "\n";
    }
    $s->start();                    // back on the same port, empty (no persistence)
    session_id($id);
    rs_capture_warnings();
    var_dump(session_start(), $_SESSION);
    $_SESSION['n'] = 100;
    var_dump(session_write_close());
    restore_error_handler();
    echo "warnings after the restart: ", count(rs_take_warnings()), "\n";
    echo "stored: ", $s->resp()->cmd('GET', RS_PREFIX . $id), "\n";
}
$s->stop();
echo ob_get_clean();
?>
--EXPECTF--
-- without locking
bool(true)
bool(true)
failed within 1 s: true
session_write_close(): redis: %s on <node>: %s (session key PHPREDIS_SESSION:<id>)
session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (tcp://<node>?timeout=0.5&read_timeout=0.5)
bool(true)
array(0) {
}
bool(true)
warnings after the restart: 0
stored: n|i:100;
-- with locking
bool(true)
bool(true)
failed within 1 s: true
session_write_close(): redis: %s on <node>: %s (session key PHPREDIS_SESSION:<id>)
session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (tcp://<node>?timeout=0.5&read_timeout=0.5)
session_write_close(): redis: connect on <node>: %s; the session lock could not be released: this worker retries at its next request, and it expires by itself within 30 s
bool(true)
array(0) {
}
bool(true)
warnings after the restart: 0
stored: n|i:100;
