--TEST--
failure: a server that answers errors, bytes that are not RESP, a bulk length of 1 GB then a close, a status where data is expected, a 5000-level nested array, a close without reply, or a malformed CLUSTER SLOTS: each a warning naming the node and operation, session_start() false within the timeouts, no crash, and the process goes on (both handlers, with and without locking)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$modes = ['error', 'garbage', 'badlen', 'wrongtype', 'deeparray', 'close', 'slots'];
$servers = [];
foreach ($modes as $mode) {
    $servers[$mode] = rs_spawn(rs_child_cmd(__DIR__ . '/../inc/fake_server.php', [$mode, 40], [], ['extension' => false, 'session_ini' => false]));
}
$ports = [];
foreach ($servers as $mode => $p) {
    rs_wait_for(fn () => (int) @file_get_contents($p['out']) > 0, 10.0);
    $ports[$mode] = (int) file_get_contents($p['out']);
}
foreach ($modes as $mode) {
    $port = $ports[$mode];
    foreach (['redis' => "tcp://127.0.0.1:$port?timeout=1&read_timeout=1", 'rediscluster' => "seed[]=127.0.0.1:$port&timeout=1&read_timeout=1"] as $handler => $path) {
        if ($mode === 'slots' && $handler === 'redis') {
            continue;
        }
        foreach (['0', '1'] as $locking) {
            rs_session_setup($handler, $path, ['redis.session.locking_enabled' => $locking]);
            $id = rs_new_id();
            session_id($id);
            rs_capture_warnings();
            $t = microtime(true);
            $ok = session_start();
            $elapsed = microtime(true) - $t;
            if ($ok) {
                session_write_close();
            }
            restore_error_handler();
            $w = array_values(array_filter(rs_take_warnings(), fn ($w) => !str_contains($w, 'Failed to read session data')));
            $first = preg_replace('/127\.0\.0\.1:\d+/', '<node>', rs_hide_id($w[0] ?? 'NO WARNING', $id));
            printf("%-9s %-12s lock %s: start %s, within 2.5 s: %s\n  %s\n", $mode, $handler, $locking, var_export($ok, true),
                var_export($elapsed < 2.5, true), $first);
        }
    }
}
foreach ($servers as $p) {
    rs_reap($p, 0.1);   // killed by its PID
}
echo "the script continues\n";
echo ob_get_clean();
?>
--EXPECT--
error     redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: read on <node>: ERR injected failure (session key PHPREDIS_SESSION:<id>)
error     redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: lock on <node>: ERR injected failure (session key PHPREDIS_SESSION:<id>)
error     rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: ERR injected failure (session key PHPREDIS_CLUSTER_SESSION:<id>)
error     rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: lock on <node>: ERR injected failure (session key PHPREDIS_CLUSTER_SESSION:<id>)
garbage   redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: read on <node>: unparseable reply (type byte 0x25) (session key PHPREDIS_SESSION:<id>)
garbage   redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: lock on <node>: unparseable reply (type byte 0x25) (session key PHPREDIS_SESSION:<id>)
garbage   rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: unparseable reply (type byte 0x25) (session key PHPREDIS_CLUSTER_SESSION:<id>)
garbage   rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: lock on <node>: unparseable reply (type byte 0x25) (session key PHPREDIS_CLUSTER_SESSION:<id>)
badlen    redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: read on <node>: a reply of 1000000000 bytes is over the limit of 67174400 bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_SESSION:<id>)
badlen    redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: read on <node>: a reply of 1000000000 bytes is over the limit of 67174400 bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_SESSION:<id>)
badlen    rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: a reply of 1000000000 bytes is over the limit of 67174400 bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_CLUSTER_SESSION:<id>)
badlen    rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: a reply of 1000000000 bytes is over the limit of 67174400 bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_CLUSTER_SESSION:<id>)
wrongtype redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: read on <node>: unexpected reply (a status) - the session key does not hold a string (session key PHPREDIS_SESSION:<id>)
wrongtype redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: lock on <node>: unexpected reply (a status) (session key PHPREDIS_SESSION:<id>)
wrongtype rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: unexpected reply (a status) - the session key does not hold a string (session key PHPREDIS_CLUSTER_SESSION:<id>)
wrongtype rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: lock on <node>: unexpected reply (a status) (session key PHPREDIS_CLUSTER_SESSION:<id>)
deeparray redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: read on <node>: unparseable reply (arrays nested deeper than 8) (session key PHPREDIS_SESSION:<id>)
deeparray redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: lock on <node>: unparseable reply (arrays nested deeper than 8) (session key PHPREDIS_SESSION:<id>)
deeparray rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: unparseable reply (arrays nested deeper than 8) (session key PHPREDIS_CLUSTER_SESSION:<id>)
deeparray rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: lock on <node>: unparseable reply (arrays nested deeper than 8) (session key PHPREDIS_CLUSTER_SESSION:<id>)
close     redis        lock 0: start false, within 2.5 s: true
  session_start(): redis: read on <node>: unexpected end of file (session key PHPREDIS_SESSION:<id>)
close     redis        lock 1: start false, within 2.5 s: true
  session_start(): redis: lock on <node>: unexpected end of file (session key PHPREDIS_SESSION:<id>)
close     rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: read on <node>: unexpected end of file (session key PHPREDIS_CLUSTER_SESSION:<id>)
close     rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: lock on <node>: unexpected end of file (session key PHPREDIS_CLUSTER_SESSION:<id>)
slots     rediscluster lock 0: start false, within 2.5 s: true
  session_start(): rediscluster: cluster slots on <node>: no usable CLUSTER SLOTS reply (is cluster mode enabled?); no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
slots     rediscluster lock 1: start false, within 2.5 s: true
  session_start(): rediscluster: cluster slots on <node>: no usable CLUSTER SLOTS reply (is cluster mode enabled?); no seed answered (seeds: <node>) (session key PHPREDIS_CLUSTER_SESSION:<id>)
the script continues
