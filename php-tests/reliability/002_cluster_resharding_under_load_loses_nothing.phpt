--TEST--
reliability: rediscluster under load while slots move (a slow MIGRATE/SETSLOT move, then redis-cli --cluster reshard): no request fails, no update is lost, MOVED, ASK and TRYAGAIN are all met, and each session's lock and data keys move together (a lock held across the move still fences its write)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/reliability.inc';

// 3 masters of this test's own; masters sorted by their first slot: M0 (0-5460), M1, M2.
$c = rs_private_cluster(3, 0);
$ranges = rs_slot_ranges($c->nodes[0]->resp());
uasort($ranges, fn ($a, $b) => $a[0][0] <=> $b[0][0]);
[$m0, $m1, $m2] = array_map(fn ($a) => $c->node($a), array_keys($ranges));
$in = fn (RsPrivateNode $m, int $lo = 0, ?int $hi = null) => function (int $s) use ($ranges, $m, $lo, $hi) {
    [$a, $b] = $ranges[$m->addr()][0];
    return $s >= $a + $lo && $s <= min($b, $a + ($hi ?? 20000));
};
$workers = 4;
$moves = 240;   // phase B: redis-cli moves M1's first 240 slots to M0
$A = rs_ids_where($in($m0), $workers);               // phase A: moved slowly M0 -> M2, slot by slot
$B = rs_ids_where($in($m1, 0, $moves - 1), $workers);  // phase B: in the slots redis-cli moves
$U = rs_ids_where($in($m2), $workers);               // never moved
$held = rs_ids_where($in($m0), 1)[0];                // a request holds its lock across the move

$base = ['session.save_handler' => 'rediscluster', 'session.save_path' => $c->path(['timeout' => 1, 'read_timeout' => 2])];
// Half the workers lock (multi-key scripts: TRYAGAIN while a slot is half moved), half do not
// (single-key GET/SET: ASK to the importing node). Each worker owns its sessions, so a lost
// update can only come from the handler.
$stop = tempnam(sys_get_temp_dir(), 'rs-stop');
unlink($stop);
$at = rs_start_at(0.3);
$procs = [];
for ($w = 0; $w < $workers; $w++) {
    $ini = $base + ['redis.session.locking_enabled' => $w % 2 ? '0' : '1', 'redis.session.lock_retries' => '-1'];
    $procs[] = rs_spawn_load([$A[$w], $B[$w], $U[$w]], $stop, 40.0, 5, 20000, $ini, $at);
}
$errstats = function () use ($c): array {
    $sum = ['MOVED' => 0, 'ASK' => 0, 'TRYAGAIN' => 0, 'asking' => 0];
    foreach ($c->nodes as $n) {
        $info = (string) $n->resp()->cmd('INFO', 'errorstats');
        foreach (['MOVED', 'ASK', 'TRYAGAIN'] as $e) {
            $sum[$e] += preg_match("/^errorstat_$e:count=(\\d+)/m", $info, $m) ? (int) $m[1] : 0;
        }
        $sum['asking'] += rs_cmd_calls($n->resp(), 'asking');
    }
    return $sum;
};
usleep(800000);
$before = $errstats();

// Phase A: the slow way, slot by slot: IMPORTING/MIGRATING, then each key alone (the data key
// and its lock may sit on different nodes for a moment), then SETSLOT NODE everywhere.
$hold_ini = $base + ['redis.session.locking_enabled' => '1'];
$hold = rs_spawn(rs_child_cmd(rs_worker(), ['hold', $held, 1200], $hold_ini));
rs_wait_for(fn () => $m0->resp()->cmd('EXISTS', '{' . RS_CLUSTER_PREFIX . $held . '}_LOCK') === 1, 5.0);
$id_of = fn (RsPrivateNode $n) => (string) $n->resp()->cmd('CLUSTER', 'MYID');
$slots_a = array_values(array_unique(array_map(fn ($id) => RespCluster::keyslot(RS_CLUSTER_PREFIX . $id), array_merge([$held], $A))));
$migrate_errors = [];
$t_a = microtime(true);
foreach ($slots_a as $slot) {
    $src = $m0->resp();
    $dst = $m2->resp();
    $dst->cmd('CLUSTER', 'SETSLOT', $slot, 'IMPORTING', $id_of($m0));
    $src->cmd('CLUSTER', 'SETSLOT', $slot, 'MIGRATING', $id_of($m2));
    usleep(60000);
    for ($round = 0; $round < 100; $round++) {
        $keys = $src->cmd('CLUSTER', 'GETKEYSINSLOT', $slot, 10);
        if (!$keys) {
            break;
        }
        foreach ($keys as $k) {
            $res = $src->cmd('MIGRATE', '127.0.0.1', $m2->port, $k, 0, 5000);
            if ($res instanceof RespError && !str_contains($res->message, 'NOKEY')) {
                $migrate_errors[] = $res->message;
            }
            usleep(30000);
        }
    }
    foreach ([$m2, $m0, $m1] as $n) {
        $n->resp()->cmd('CLUSTER', 'SETSLOT', $slot, 'NODE', $id_of($m2));
    }
}
$t_a = microtime(true) - $t_a;
$hold_res = rs_child_json(rs_reap($hold, 15.0));
usleep(300000);

// Phase B: redis-cli --cluster reshard, as an operator would.
$t_b = microtime(true);
exec(implode(' ', array_map('escapeshellarg', ['timeout', '60', 'redis-cli', '--cluster', 'reshard', $m1->addr(),
    '--cluster-from', $id_of($m1), '--cluster-to', $id_of($m0), '--cluster-slots', (string) $moves,
    '--cluster-yes', '--cluster-pipeline', '10'])) . ' 2>&1', $out, $rc);
$t_b = microtime(true) - $t_b;
usleep(500000);
touch($stop);
$results = [];
foreach ($procs as $p) {
    $results[] = rs_load_result(rs_reap($p, 45.0));
}
unlink($stop);
$after = $errstats();   // taken before this test's own keyed commands below
$healthy = $c->waitHealthy(10.0);

echo "every worker finished (no fatal error): ", var_export(!in_array(null, $results, true), true), "\n";
echo "phase A: ", count($slots_a), " slots moved key by key, MIGRATE errors: ", count($migrate_errors), "\n";
echo "phase B: redis-cli --cluster reshard exit $rc, cluster healthy after: ", var_export($healthy, true), "\n";
$total = $failed = $stale = $lost = 0;
$max_ms = 0.0;
foreach (array_filter($results) as $o) {
    foreach ($o['requests'] as [$t, $ms, $k, $status]) {
        $total++;
        $max_ms = max($max_ms, $ms);
        $status === 1 || $failed++;
    }
    $stale += count($o['anomalies']);
}
$r = $c->resp();
foreach (array_filter($results) as $o) {
    foreach ($o['ok_writes'] as $id => $n) {
        $lost += $n - (int) rs_lk_stored_n($r->cmd('GET', RS_CLUSTER_PREFIX . $id));
    }
}
echo "requests: ", $total > 500 ? 'more than 500' : $total, ", failed: $failed, stale reads: $stale, lost updates: $lost\n";
$w = rs_load_warnings(array_filter($results));
echo "warnings: ", $w ? json_encode(array_column($w, 'example')) : 'none', "\n";
$moved = fn (array $ids, RsPrivateNode $to) => count(array_filter($ids, fn ($id) => $c->resp()->owner(RS_CLUSTER_PREFIX . $id) === $to->addr()));
echo "sessions now on their new master: A ", $moved($A, $m2), "/$workers, B ", $moved($B, $m0), "/$workers, unmoved U ", $moved($U, $m2), "/$workers\n";
$left = 0;
foreach (array_merge($A, [$held]) as $id) {
    $left += $m0->resp()->cmd('CLUSTER', 'COUNTKEYSINSLOT', RespCluster::keyslot(RS_CLUSTER_PREFIX . $id));
}
echo "keys left behind on the old master: $left\n";
echo "the request that held its lock across the move wrote: ", var_export($hold_res['ok'] && $hold_res['closed'], true),
    ", data on the new master: ", var_export(str_contains((string) $m2->resp()->cmd('GET', RS_CLUSTER_PREFIX . $held), 'held_by'), true),
    ", lock released: ", var_export($m2->resp()->cmd('EXISTS', '{' . RS_CLUSTER_PREFIX . $held . '}_LOCK') === 0, true), "\n";
$seen = [];
foreach (['MOVED', 'ASK', 'TRYAGAIN', 'asking'] as $e) {
    $seen[] = "$e " . ($after[$e] - $before[$e] > 0 ? 'yes' : 'NO');
}
echo "redirects answered to the handler: ", implode(', ', $seen), "\n";

$row = ['test' => 'reshard', 'fault' => "slot migration under load: " . count($slots_a) . " slots key by key (MIGRATE/SETSLOT), then redis-cli --cluster reshard of $moves slots (4 workers x 3 sessions, 2 locking)",
    'requests' => $total, 'failures' => $failed, 'lost_updates' => $lost, 'stale_reads' => $stale,
    'moved' => $after['MOVED'] - $before['MOVED'], 'ask' => $after['ASK'] - $before['ASK'], 'tryagain' => $after['TRYAGAIN'] - $before['TRYAGAIN'],
    'phase_a_s' => round($t_a, 2), 'phase_b_s' => round($t_b, 2), 'max_request_ms' => $max_ms];
rs_rel_report($row);
printf("\nmeasured: %d requests, %d failed, %d lost; MOVED %d, ASK %d, TRYAGAIN %d; slow move %.2f s, reshard %.2f s, longest request %d ms\n",
    $total, $failed, $lost, $row['moved'], $row['ask'], $row['tryagain'], $t_a, $t_b, $max_ms);
$c->stop();
?>
--EXPECTF--
every worker finished (no fatal error): true
phase A: %d slots moved key by key, MIGRATE errors: 0
phase B: redis-cli --cluster reshard exit 0, cluster healthy after: true
requests: more than 500, failed: 0, stale reads: 0, lost updates: 0
warnings: none
sessions now on their new master: A 4/4, B 4/4, unmoved U 4/4
keys left behind on the old master: 0
the request that held its lock across the move wrote: true, data on the new master: true, lock released: true
redirects answered to the handler: MOVED yes, ASK yes, TRYAGAIN yes, asking yes

measured: %s
