--TEST--
settings: redis.session.early_refresh=1 refreshes the session TTL as session_start() reads it (GETEX, or inside the lock script), and an unchanged session then costs no round trip to close without locking (one, the release, with locking); off, the TTL is refreshed at close; both handlers
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
ob_start();
$targets = [
    'redis' => [rs_standalone_path(['timeout' => 2]), rs_resp(), RS_PREFIX],
    'rediscluster' => [rs_cluster_path(['timeout' => 2]), rs_resp_cluster(), RS_CLUSTER_PREFIX],
];
$rows = [];
foreach ($targets as $handler => [$path, $r, $prefix]) {
    foreach (['0', '1'] as $locking) {
        foreach (['0', '1'] as $early) {
            rs_session_setup($handler, $path, ['redis.session.locking_enabled' => $locking,
                'redis.session.early_refresh' => $early, 'session.gc_maxlifetime' => '1000',
                'session.lazy_write' => '1']);
            $id = rs_new_id();
            $key = $prefix . $id;
            // warm: connection, slot map and scripts (on this id's node) in place before counting
            session_id($id); session_start(); session_write_close();
            $r->cmd('SET', $key, 'n|i:1;', 'EX', '100');
            $s0 = redis_session_stats()['round_trips'];
            session_id($id);
            session_start();
            $s1 = redis_session_stats()['round_trips'];
            $ttlOpen = $r->cmd('TTL', $key);
            $n = $_SESSION['n'];
            session_write_close();   // unchanged: lazy_write calls update_timestamp
            $s2 = redis_session_stats()['round_trips'];
            $ttlClosed = $r->cmd('TTL', $key);
            $rows[] = sprintf("%-12s locking=%s early_refresh=%s: n=%d, TTL while open %s, after close %s, round trips %d + %d",
                $handler, $locking, $early, $n, $ttlOpen > 900 ? '~1000' : ($ttlOpen <= 100 ? '<=100' : $ttlOpen),
                $ttlClosed > 900 ? '~1000' : $ttlClosed, $s1 - $s0, $s2 - $s1);
            $r->cmd('DEL', $key);
        }
    }
}
// A session too large to pass through Lua (read with a GET after the lock script): the lock
// script refreshed its TTL all the same.
foreach ($targets as $handler => [$path, $r, $prefix]) {
    rs_session_setup($handler, $path, ['redis.session.locking_enabled' => '1',
        'redis.session.early_refresh' => '1', 'session.gc_maxlifetime' => '1000']);
    $id = rs_new_id();
    $big = 'big|s:40000:"' . str_repeat('x', 40000) . '";';
    $r->cmd('SET', $prefix . $id, $big, 'EX', '100');
    session_id($id);
    session_start();
    $rows[] = sprintf("%-12s locking=1 early_refresh=1, 40 KB session: read %s, TTL while open %s", $handler,
        var_export(strlen($_SESSION['big'] ?? '') === 40000, true), $r->cmd('TTL', $prefix . $id) > 900 ? '~1000' : 'not refreshed');
    session_write_close();
    $r->cmd('DEL', $prefix . $id);
}
$out = ob_get_clean();
echo $out === '' ? '' : "output: $out\n";
echo implode("\n", $rows), "\n";
?>
--EXPECT--
redis        locking=0 early_refresh=0: n=1, TTL while open <=100, after close ~1000, round trips 1 + 1
redis        locking=0 early_refresh=1: n=1, TTL while open ~1000, after close ~1000, round trips 1 + 0
redis        locking=1 early_refresh=0: n=1, TTL while open <=100, after close ~1000, round trips 1 + 1
redis        locking=1 early_refresh=1: n=1, TTL while open ~1000, after close ~1000, round trips 1 + 1
rediscluster locking=0 early_refresh=0: n=1, TTL while open <=100, after close ~1000, round trips 1 + 1
rediscluster locking=0 early_refresh=1: n=1, TTL while open ~1000, after close ~1000, round trips 1 + 0
rediscluster locking=1 early_refresh=0: n=1, TTL while open <=100, after close ~1000, round trips 1 + 1
rediscluster locking=1 early_refresh=1: n=1, TTL while open ~1000, after close ~1000, round trips 1 + 1
redis        locking=1 early_refresh=1, 40 KB session: read true, TTL while open ~1000
rediscluster locking=1 early_refresh=1, 40 KB session: read true, TTL while open ~1000
