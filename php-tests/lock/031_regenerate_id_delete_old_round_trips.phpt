--TEST--
lock: session_regenerate_id(true) with locking costs 1 + 2 round trips (start; destroy-old and claim-new in one, then the write) when the old and new ids share a node: always on `redis` with one server and on `rediscluster` with a {tagged} prefix; on an untagged cluster exactly when the two ids' slots share a master (else 1 + 3, as before); a plain session_destroy() stays one round trip and claims nothing
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent

/** Round trips of session_start() and of regenerate_id(true) + write_close(), and the new id. */
function rs_regen_cost(RsHandler $h, string $old): array
{
    $h->r->cmd('SET', $h->data($old), 'a|i:1;', 'EX', 300);
    session_id($old);
    $s0 = redis_session_stats()['round_trips'];
    $started = session_start();
    $s1 = redis_session_stats()['round_trips'];
    $regen = session_regenerate_id(true);
    $new = session_id();
    $locked = rs_is_token($h->r->cmd('GET', $h->lock($new)));
    $oldGone = $h->r->cmd('EXISTS', $h->data($old)) + $h->r->cmd('EXISTS', $h->lock($old)) === 0;
    $_SESSION['b'] = 2;
    $closed = session_write_close();
    $s2 = redis_session_stats()['round_trips'];
    $ok = $started && $regen && $closed && $locked && $oldGone && $new !== $old
        && $h->r->cmd('GET', $h->data($new)) === 'a|i:1;b|i:2;'
        && $h->r->cmd('EXISTS', $h->lock($new)) === 0;
    $h->cleanup($old, $new);
    return [$s1 - $s0, $s2 - $s1, $new, $ok];
}

$tagged = new RsHandler('rediscluster', rs_cluster_path(['timeout' => 2, 'read_timeout' => 2, 'prefix' => '{rs031}S:']),
    '{rs031}S:', rs_resp_cluster());
foreach ([rs_lk('redis'), rs_lk('rediscluster'), $tagged] as $h) {
    echo "-- {$h->handler} prefix {$h->prefix}\n";
    rs_session_setup($h->handler, $h->path, rs_lk_locking());
    // Warm up: connections to every node, slot map, scripts loaded.
    for ($i = 0; $i < 6; $i++) {
        rs_regen_cost($h, rs_new_id());
    }
    $bad = [];
    $seen = ['same' => 0, 'other' => 0];
    for ($i = 0; $i < 20; $i++) {
        $old = rs_new_id();
        [$start, $regen, $new, $ok] = rs_regen_cost($h, $old);
        $same = $h->node($old) === $h->node($new);
        $seen[$same ? 'same' : 'other']++;
        $want = $same ? 2 : 3;
        if ($start !== 1 || $regen !== $want || !$ok) {
            $bad[] = "start $start, regenerate+close $regen (want 1 + $want), " . ($same ? 'same node' : 'other node') . ($ok ? '' : ', WRONG STATE');
        }
    }
    echo "runs as expected: ", 20 - count($bad), " of 20\n";
    foreach (array_slice($bad, 0, 3) as $b) {
        echo "  $b\n";
    }
    echo "old and new on one node: ", $h->handler === 'rediscluster' && $h->prefix === RS_CLUSTER_PREFIX
        ? var_export($seen['same'] > 0 && $seen['other'] > 0, true) . " (both cases seen)"
        : ($seen['other'] === 0 ? 'always' : 'NOT always'), "\n";

    // A plain session_destroy(): one round trip, and no lock left anywhere for a new id.
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), 'a|i:1;', 'EX', 300);
    session_id($id);
    session_start();
    $s0 = redis_session_stats()['round_trips'];
    var_dump(session_destroy());
    echo "session_destroy(): ", redis_session_stats()['round_trips'] - $s0, " round trip, data and lock gone: ",
        var_export($h->r->cmd('EXISTS', $h->data($id)) + $h->r->cmd('EXISTS', $h->lock($id)) === 0, true), "\n";
    // The next request costs what it always does (nothing claimed by the destroy is waiting).
    $id2 = rs_new_id();
    session_id($id2);
    $s0 = redis_session_stats()['round_trips'];
    session_start();
    session_write_close();
    echo "next request: ", redis_session_stats()['round_trips'] - $s0, " round trips\n";
    $h->cleanup($id, $id2);
}
?>
--EXPECT--
-- redis prefix PHPREDIS_SESSION:
runs as expected: 20 of 20
old and new on one node: always
bool(true)
session_destroy(): 1 round trip, data and lock gone: true
next request: 2 round trips
-- rediscluster prefix PHPREDIS_CLUSTER_SESSION:
runs as expected: 20 of 20
old and new on one node: true (both cases seen)
bool(true)
session_destroy(): 1 round trip, data and lock gone: true
next request: 2 round trips
-- rediscluster prefix {rs031}S:
runs as expected: 20 of 20
old and new on one node: always
bool(true)
session_destroy(): 1 round trip, data and lock gone: true
next request: 2 round trips
