--TEST--
failure: redis, nothing listening on the port: session_start() returns false fast with a warning naming host:port and the operation; no fatal error, the script goes on
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$port = rs_dead_port();
foreach (['without locking' => '0', 'with locking' => '1'] as $case => $locking) {
    echo "-- $case\n";
    rs_session_setup('redis', "tcp://127.0.0.1:$port?timeout=0.5&read_timeout=0.5",
        ['redis.session.locking_enabled' => $locking]);
    $id = rs_new_id();
    session_id($id);
    $t = microtime(true);
    $ok = session_start();
    $elapsed = microtime(true) - $t;
    var_dump($ok, session_status() === PHP_SESSION_NONE);
    echo "returned within 2 s: ", var_export($elapsed < 2.0, true), "\n";
}
echo "the script continues\n";
?>
--EXPECTF--
-- without locking

Warning: session_start(): redis: connect on 127.0.0.1:%d: %s (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://127.0.0.1:%d?timeout=0.5&read_timeout=0.5) in %s on line %d
bool(false)
bool(true)
returned within 2 s: true
-- with locking

Warning: session_start(): redis: connect on 127.0.0.1:%d: %s (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://127.0.0.1:%d?timeout=0.5&read_timeout=0.5) in %s on line %d
bool(false)
bool(true)
returned within 2 s: true
the script continues
