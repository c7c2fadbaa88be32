--TEST--
failure: redis, a server that accepts the connection but never answers: session_start() gives up after read_timeout (0.5 s) with a "timed out" warning naming host:port and the operation
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
// Listening but never accepting: the kernel completes the TCP handshake, nothing ever replies.
$mute = stream_socket_server('tcp://127.0.0.1:0');
$addr = stream_socket_get_name($mute, false);
foreach (['without locking' => '0', 'with locking' => '1'] as $case => $locking) {
    echo "-- $case\n";
    rs_session_setup('redis', "tcp://$addr?timeout=0.5&read_timeout=0.5", ['redis.session.locking_enabled' => $locking]);
    session_id(rs_new_id());
    $t = microtime(true);
    $ok = session_start();
    $elapsed = microtime(true) - $t;
    var_dump($ok);
    echo "gave up after the read timeout, within 2 s: ", var_export($elapsed >= 0.4 && $elapsed < 2.0, true),
        sprintf(" (%.2f s)", $elapsed), "\n";
}
echo "the script continues\n";
?>
--EXPECTF--
-- without locking

Warning: session_start(): redis: read on 127.0.0.1:%d: timed out (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://127.0.0.1:%d?timeout=0.5&read_timeout=0.5) in %s on line %d
bool(false)
gave up after the read timeout, within 2 s: true (%f s)
-- with locking

Warning: session_start(): redis: lock on 127.0.0.1:%d: timed out (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://127.0.0.1:%d?timeout=0.5&read_timeout=0.5) in %s on line %d
bool(false)
gave up after the read timeout, within 2 s: true (%f s)
the script continues
