<?php
// One measured PHP process, started by bench/bench.py with the extension, handler, save_path
// and redis.session.* settings given as -d arguments. Prints one JSON line.
//
//   loop NSESS CYCLES SIZE PREFIX      one warm lap over NSESS sessions (writes SIZE-byte data),
//                                      then CYCLES timed requests (start, n++, close), round robin.
//                                      With BENCH_CTL=host:port (rttproxy control) the proxy is
//                                      reset after the warm lap and its counters are returned.
//   chain ID START_NS HOLD_MS IDX      lock hand-off: at hrtime START_NS call session_start(),
//                                      append IDX to $_SESSION['order'], hold HOLD_MS, close.
//   crashhold ID                       session_start(), print the time, then sleep until killed.
//   bounded ID                         session_start() once; report how long it took and whether
//                                      it succeeded (the holder keeps the lock meanwhile).
//   seed ID                            write a small session (locking off is the caller's job).
//   get ID                             read_and_close; print n and the order list.
// Times are hrtime(true) nanoseconds (CLOCK_MONOTONIC, comparable across processes).

$W = [];
set_error_handler(function ($no, $str) use (&$W) { $W[] = $str; return true; });

function out(array $a): void { global $W; $a['warn'] = array_count_values($W); echo json_encode($a), "\n"; }
function sleep_until(int $ns): void { $d = $ns - hrtime(true); if ($d > 0) usleep(intdiv($d, 1000)); }

/** A session payload of about $size serialized bytes: product records, partly random. */
function payload(int $size): array
{
    $recs = [];
    $len = 0;
    for ($i = 0; $len < $size; $i++) {
        $r = ['id' => $i, 'sku' => sprintf('SKU-%06d', $i * 7919 % 1000000), 'name' => "Product name number $i",
              'qty' => $i % 5 + 1, 'price' => ($i * 37 % 1000) / 10, 'token' => bin2hex(random_bytes(6))];
        $recs[] = $r;
        $len += strlen(serialize($r)) + 8;
    }
    return $recs;
}

function ctl(string $cmd): string
{
    [$h, $p] = explode(':', getenv('BENCH_CTL'));
    $s = stream_socket_client("tcp://$h:$p", $en, $es, 2);
    fwrite($s, "$cmd\n");
    $l = fgets($s);
    fclose($s);
    return trim((string)$l);
}

$mode = $argv[1] ?? '';
switch ($mode) {
case 'loop':
    [, , $nsess, $cycles, $size, $prefix] = $argv;
    $nsess = (int)$nsess; $cycles = (int)$cycles; $size = (int)$size;
    $ids = [];
    for ($i = 0; $i < $nsess; $i++) { $ids[] = sprintf('%s%06d', $prefix, $i); }
    $data = $size > 0 ? payload($size) : null;
    $fail = 0;
    foreach ($ids as $id) {                      // warm lap: connections, slot map, scripts, data
        session_id($id);
        if (!session_start()) { $fail++; continue; }
        $_SESSION['n'] = 0;
        if ($data !== null) { $_SESSION['data'] = $data; }
        session_write_close();
    }
    $bytes = $data !== null ? strlen(serialize($data)) : 0;
    unset($data);
    $ctl = getenv('BENCH_CTL');
    if ($ctl) { usleep(50000); ctl('RESET'); }
    $lat = [];
    $t = hrtime(true);
    for ($c = 0; $c < $cycles; $c++) {
        $t0 = hrtime(true);
        session_id($ids[$c % $nsess]);
        if (!session_start()) { $fail++; continue; }
        $_SESSION['n']++;
        session_write_close();
        $lat[] = hrtime(true) - $t0;
    }
    $total = hrtime(true) - $t;
    $r = ['cycles' => $cycles, 'failed' => $fail, 'us_per_req' => $total / 1e3 / max(1, $cycles), 'data_bytes' => $bytes];
    sort($lat);
    $n = count($lat);
    if ($n) {
        $p = fn ($q) => round($lat[min($n - 1, (int)($q * $n))] / 1e3, 1);
        $r += ['p50_us' => $p(0.5), 'p90_us' => $p(0.9), 'p99_us' => $p(0.99), 'max_us' => round($lat[$n - 1] / 1e3, 1)];
        $step = max(1, intdiv($n, 500));                 // at most ~500 sorted samples for plots
        $r['samples_us'] = [];
        for ($i = 0; $i < $n; $i += $step) { $r['samples_us'][] = round($lat[$i] / 1e3, 1); }
    }
    if ($ctl) {
        usleep(50000);
        $st = json_decode(ctl('STATS'), true);
        $names = [];
        foreach ($st['log'] as [$conn, $flight, $cmd]) {
            $w = explode(' ', $cmd);
            $name = strtoupper($w[0]);
            if (in_array($name, ['CLUSTER', 'CONFIG', 'CLIENT', 'SCRIPT', 'COMMAND'])) { $name .= ' ' . strtoupper($w[1] ?? ''); }
            $names[$name] = ($names[$name] ?? 0) + 1;
        }
        ksort($names);
        $r['proxy'] = ['flights' => $st['flights'], 'cmds' => $st['cmds'], 'conns' => $st['conns'], 'by_command' => $names];
    }
    out($r);
    break;

case 'chain':
    [, , $id, $start, $hold, $idx] = $argv;
    sleep_until((int)$start);
    $tb = hrtime(true);
    session_id($id);
    $ok = session_start();
    $ta = hrtime(true);
    $seen = $_SESSION['order'] ?? [];
    $_SESSION['order'] = array_merge($seen, [(int)$idx]);
    sleep_until($ta + (int)((float)$hold * 1e6));
    $tc = hrtime(true);
    $ok2 = session_write_close();
    $tr = hrtime(true);
    out(['idx' => (int)$idx, 'ok' => $ok, 'closed' => $ok2, 't_begin' => $tb, 't_acq' => $ta, 't_close_call' => $tc,
         't_close_ret' => $tr, 'seen' => count($seen)]);
    break;

case 'crashhold':
    session_id($argv[2]);
    $ok = session_start();
    $ta = hrtime(true);
    $_SESSION['crashed'] = 1;
    out(['ok' => $ok, 't_acq' => $ta]);
    fflush(STDOUT);
    sleep(30);                                   // killed (SIGKILL) by the orchestrator long before
    break;

case 'bounded':
    [, , $id, $start] = $argv;
    sleep_until((int)$start);
    $tb = hrtime(true);
    session_id($id);
    $ok = session_start();
    $tr = hrtime(true);
    $had = $ok && isset($_SESSION['n']);
    if ($ok) { session_write_close(); }
    out(['ok' => $ok, 't_begin' => $tb, 't_ret' => $tr, 'read_data' => $had]);
    break;

case 'seed':
    session_id($argv[2]);
    $ok = session_start();
    $_SESSION = ['n' => 0, 'order' => []];
    session_write_close();
    out(['ok' => $ok]);
    break;

case 'get':
    session_id($argv[2]);
    $ok = session_start(['read_and_close' => true]);
    out(['ok' => $ok, 'n' => $_SESSION['n'] ?? null, 'order' => $_SESSION['order'] ?? null]);
    break;

default:
    fwrite(STDERR, "usage: see the header of " . __FILE__ . "\n");
    exit(2);
}
