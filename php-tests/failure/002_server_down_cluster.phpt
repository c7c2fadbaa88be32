--TEST--
failure: rediscluster, every seed down: session_start() returns false fast with a warning naming a seed host:port and the operation; no fatal error, the script goes on
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$seeds = array_map(fn () => '127.0.0.1:' . rs_dead_port(), range(1, 3));
foreach (['without locking' => '0', 'with locking' => '1'] as $case => $locking) {
    echo "-- $case\n";
    rs_session_setup('rediscluster', rs_cluster_path(['timeout' => '0.5', 'read_timeout' => '0.5'], $seeds),
        ['redis.session.locking_enabled' => $locking]);
    session_id(rs_new_id());
    rs_capture_warnings();
    $t = microtime(true);
    $ok = session_start();
    $elapsed = microtime(true) - $t;
    restore_error_handler();
    $w = rs_take_warnings();
    var_dump($ok, session_status() === PHP_SESSION_NONE);
    echo "returned within 2 s: ", var_export($elapsed < 2.0, true), "\n";
    echo "warnings: ", count($w), "\n";
    // the first names the operation and a seed (the last one tried)
    $named = array_filter($seeds, fn ($s) => str_contains($w[0] ?? '', " on $s:"));
    echo "names a seed: ", var_export(count($named) === 1, true), "\n";
    echo preg_replace('/127\.0\.0\.1:\d+/', 'HOST:PORT', implode("\n", $w)), "\n";
}
echo "the script continues\n";
?>
--EXPECTF--
-- without locking
bool(false)
bool(true)
returned within 2 s: true
warnings: 2
names a seed: true
session_start(): rediscluster: connect on HOST:PORT: %s (session key PHPREDIS_CLUSTER_SESSION:%s)
session_start(): Failed to read session data: rediscluster (path: seed[]=HOST:PORT&seed[]=HOST:PORT&seed[]=HOST:PORT&timeout=0.5&read_timeout=0.5)
-- with locking
bool(false)
bool(true)
returned within 2 s: true
warnings: 2
names a seed: true
session_start(): rediscluster: connect on HOST:PORT: %s (session key PHPREDIS_CLUSTER_SESSION:%s)
session_start(): Failed to read session data: rediscluster (path: seed[]=HOST:PORT&seed[]=HOST:PORT&seed[]=HOST:PORT&timeout=0.5&read_timeout=0.5)
the script continues
