--TEST--
security: a server that drips its reply one byte every 0.1 s (a 1 KB reply would take 100 s), or drips a TLS handshake record, cannot hold session_start() past read_timeout (reply) or timeout (connect + TLS handshake): a "timed out" warning naming the node, within the bound (both handlers, with and without locking)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$servers = [];
foreach (['drip', 'driptls'] as $mode) {
    $servers[$mode] = rs_spawn(rs_child_cmd(__DIR__ . '/../inc/fake_server.php', [$mode, 40], [], ['extension' => false, 'session_ini' => false]));
}
$ports = [];
foreach ($servers as $mode => $p) {
    rs_wait_for(fn () => (int) @file_get_contents($p['out']) > 0, 10.0);
    $ports[$mode] = (int) file_get_contents($p['out']);
}
$d = $ports['drip'];
$t = $ports['driptls'];
$cases = [
    ['drip', 'redis', "tcp://127.0.0.1:$d?timeout=1&read_timeout=1"],
    ['drip', 'rediscluster', "seed[]=127.0.0.1:$d&timeout=1&read_timeout=1"],
    ['driptls', 'redis', "tls://127.0.0.1:$t?timeout=1&read_timeout=1&stream[verify_peer]=0"],
    ['driptls', 'rediscluster', "seed[]=127.0.0.1:$t&tls=1&stream[verify_peer]=0&timeout=1&read_timeout=1"],
];
foreach ($cases as [$mode, $handler, $path]) {
    foreach (['0', '1'] as $locking) {
        rs_session_setup($handler, $path, ['redis.session.locking_enabled' => $locking]);
        $id = rs_new_id();
        session_id($id);
        rs_capture_warnings();
        $t0 = microtime(true);
        $ok = session_start();
        $elapsed = microtime(true) - $t0;
        if ($ok) {
            session_write_close();
        }
        restore_error_handler();
        $w = array_values(array_filter(rs_take_warnings(), fn ($w) => !str_contains($w, 'Failed to read session data')));
        $first = preg_replace('/127\.0\.0\.1:\d+/', '<node>', rs_hide_id($w[0] ?? 'NO WARNING', $id));
        // read_timeout=1 per reply; the cluster's map fetch has one connect + one read timeout
        printf("%-7s %-12s lock %s: start %s, within 2.5 s: %s\n  %s\n", $mode, $handler, $locking, var_export($ok, true),
            var_export($elapsed < 2.5, true), $first);
    }
}
foreach ($servers as $p) {
    rs_reap($p, 0.1);   // killed by its PID
}
echo ob_get_clean();
?>
--EXPECT--
drip    redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: read on <node>: timed out (session key PHPREDIS_SESSION:<id>)
drip    redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: lock on <node>: timed out (session key PHPREDIS_SESSION:<id>)
drip    rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: timed out (session key PHPREDIS_CLUSTER_SESSION:<id>)
drip    rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: lock on <node>: timed out (session key PHPREDIS_CLUSTER_SESSION:<id>)
driptls redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: connect on <node>: timed out (session key PHPREDIS_SESSION:<id>)
driptls redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: connect on <node>: timed out (session key PHPREDIS_SESSION:<id>)
driptls rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: connect on <node>: timed out; no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
driptls rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: connect on <node>: timed out; no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
