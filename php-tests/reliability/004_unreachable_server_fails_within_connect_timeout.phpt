--TEST--
reliability: a server whose connect never completes (listen backlog full, SYNs dropped): session_start() fails within the connect timeout (timeout=0.5) with a "connect ... timed out" warning, both handlers; a refused connection fails at once
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
// backlog 0: the kernel queues one connection (ours, never accepted), then drops every SYN
$s = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
    stream_context_create(['socket' => ['backlog' => 0]]));
$addr = stream_socket_get_name($s, false);
$filler = stream_socket_client("tcp://$addr", $errno, $errstr, 1.0);
$dead = '127.0.0.1:' . rs_dead_port();
$cases = [
    'redis, unreachable' => ['redis', "tcp://$addr?timeout=0.5&read_timeout=5"],
    'rediscluster, unreachable seed' => ['rediscluster', "seed[]=$addr&timeout=0.5&read_timeout=5"],
    'redis, refused' => ['redis', "tcp://$dead?timeout=5&read_timeout=5"],
    'rediscluster, refused' => ['rediscluster', "seed[]=$dead&timeout=5&read_timeout=5"],
];
foreach ($cases as $case => [$handler, $path]) {
    foreach (['0', '1'] as $locking) {
        rs_session_setup($handler, $path, ['redis.session.locking_enabled' => $locking]);
        $id = rs_new_id();
        session_id($id);
        rs_capture_warnings();
        $t = microtime(true);
        $ok = session_start();
        $elapsed = microtime(true) - $t;
        restore_error_handler();
        $w = rs_take_warnings()[0] ?? 'no warning';
        $w = str_replace([$addr, $dead], ['<node>', '<node>'], rs_hide_id($w, $id));
        $bound = str_contains($case, 'refused') ? $elapsed < 0.2 : ($elapsed >= 0.45 && $elapsed < 1.0);
        printf("%s, locking %s: %s, in time: %s\n  %s\n", $case, $locking, var_export($ok, true), var_export($bound, true), $w);
    }
}
fclose($filler);
fclose($s);
echo ob_get_clean();
?>
--EXPECTF--
redis, unreachable, locking 0: false, in time: true
  session_start(): redis: connect on <node>: timed out (session key PHPREDIS_SESSION:<id>)
redis, unreachable, locking 1: false, in time: true
  session_start(): redis: connect on <node>: timed out (session key PHPREDIS_SESSION:<id>)
rediscluster, unreachable seed, locking 0: false, in time: true
  session_start(): rediscluster: connect on <node>: timed out; no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
rediscluster, unreachable seed, locking 1: false, in time: true
  session_start(): rediscluster: connect on <node>: timed out; no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
redis, refused, locking 0: false, in time: true
  session_start(): redis: connect on <node>: Connection refused (os error 111) (session key PHPREDIS_SESSION:<id>)
redis, refused, locking 1: false, in time: true
  session_start(): redis: connect on <node>: Connection refused (os error 111) (session key PHPREDIS_SESSION:<id>)
rediscluster, refused, locking 0: false, in time: true
  session_start(): rediscluster: connect on <node>: Connection refused (os error 111); no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
rediscluster, refused, locking 1: false, in time: true
  session_start(): rediscluster: connect on <node>: Connection refused (os error 111); no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
