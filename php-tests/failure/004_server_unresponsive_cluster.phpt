--TEST--
failure: rediscluster, 3 seeds that accept connections but never answer: session_start() gives up within one connect + read timeout for all seeds together, with a "timed out" warning naming the seeds and the operation
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
// Listening but never accepting: the kernel completes the TCP handshake, nothing ever replies.
$mute = $seeds = [];
for ($i = 0; $i < 3; $i++) {
    $mute[] = $s = stream_socket_server('tcp://127.0.0.1:0');
    $seeds[] = stream_socket_get_name($s, false);
}
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => '0.5', 'read_timeout' => '0.5'], $seeds),
    rs_lk_locking());
session_id(rs_new_id());
rs_capture_warnings();
$t = microtime(true);
$ok = session_start();
$elapsed = microtime(true) - $t;
restore_error_handler();
$w = rs_take_warnings();
var_dump($ok);
echo "gave up after the read timeouts, within 3 x 0.5 s + 1 s: ", var_export($elapsed >= 0.4 && $elapsed < 2.5, true),
    sprintf(" (%.2f s)", $elapsed), "\n";
echo "names a seed: ", var_export(count(array_filter($seeds, fn ($s) => str_contains($w[0] ?? '', " on $s:"))) === 1, true), "\n";
echo preg_replace('/127\.0\.0\.1:\d+/', 'HOST:PORT', implode("\n", $w)), "\n";
echo "the script continues\n";
?>
--EXPECTF--
bool(false)
gave up after the read timeouts, within 3 x 0.5 s + 1 s: true (%f s)
names a seed: true
session_start(): rediscluster: cluster slots on HOST:PORT: timed out; no seed answered (seeds: HOST:PORT, HOST:PORT, HOST:PORT) (session key PHPREDIS_CLUSTER_SESSION:%s)
session_start(): Failed to read session data: rediscluster (path: seed[]=HOST:PORT&seed[]=HOST:PORT&seed[]=HOST:PORT&timeout=0.5&read_timeout=0.5)
the script continues
