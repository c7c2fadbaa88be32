<?php
// A long-lived worker for the reliability/ tests: one PHP process serving many session requests
// in a loop, as a php-fpm worker does (the extension keeps its connections and slot map for the
// life of the process). Started with rs_spawn(rs_child_cmd(...)), handler and INI passed as -d.
//
//   loop IDS STOPFILE DEADLINE PAUSE_MS MAX [START_AT]
//       IDS: comma-separated session ids, served round-robin. Each request: session_id(ID),
//       session_start(), $_SESSION['n']++, session_write_close(). Stops when STOPFILE exists,
//       at DEADLINE (microtime) or after MAX requests, whichever comes first.
//       -> one JSON line: {"requests":[[t_start, ms, session_index, status, warnings], ...],
//          "ok_writes":{ID: n}, "anomalies":[...], "warnings":{shape: {count, example}}, "pid":..}
//          status: 1 ok, 0 session_start() failed, 2 session_write_close() failed,
//          3 the value read was not the last one this worker wrote (a lost or stale update)
//
// Warnings are collected, not printed; a fatal error would end the process without the JSON
// line, which the test reports.

$warnings = [];
$in_request = 0;
set_error_handler(function (int $no, string $msg) use (&$warnings, &$in_request) {
    // Numbers vary (ports, ms, ids): count messages by their shape, keep one example each.
    $shape = preg_replace('/[0-9a-f]{26,}|\d+(\.\d+)?/', '#', $msg);
    $warnings[$shape] ??= ['count' => 0, 'example' => $msg];
    $warnings[$shape]['count']++;
    $in_request++;
    return true;
});

$op = $argv[1] ?? '';
if ($op !== 'loop') {
    fwrite(STDERR, "load_worker: unknown op '$op'\n");
    exit(2);
}
$ids = explode(',', $argv[2]);
$stop = $argv[3];
$deadline = (float) $argv[4];
$pause = (int) $argv[5] * 1000;
$max = (int) $argv[6];
$at = (float) ($argv[7] ?? 0);
if ($at > microtime(true)) {
    usleep((int) (($at - microtime(true)) * 1e6));
}

$requests = [];
$anomalies = [];
$ok_writes = array_fill_keys($ids, 0);
$last = array_fill_keys($ids, null);   // the value this worker last wrote, per session
for ($i = 0; $i < $max && microtime(true) < $deadline; $i++) {
    if ($i % 10 === 0 && file_exists($stop)) {
        break;
    }
    $k = $i % count($ids);
    $id = $ids[$k];
    $in_request = 0;
    $t = microtime(true);
    session_id($id);
    if (!session_start()) {
        $status = 0;
    } else {
        $seen = $_SESSION['n'] ?? 0;
        $_SESSION['n'] = $seen + 1;
        // PHP 8.2's session_write_close() returns true even when the handler's write failed:
        // a warning during it is the failure signal.
        $w_before = $in_request;
        if (!session_write_close() || $in_request > $w_before) {
            $status = 2;
        } else {
            $ok_writes[$id]++;
            // Only this worker writes this session: it must read back what it last wrote.
            $status = 1;
            if ($last[$id] !== null && $seen !== $last[$id]) {
                $status = 3;
                $anomalies[] = ['t' => round($t, 4), 'session' => $k, 'read' => $seen, 'last_written' => $last[$id]];
            }
            $last[$id] = $seen + 1;
        }
    }
    $requests[] = [round($t, 4), round((microtime(true) - $t) * 1000, 1), $k, $status, $in_request];
    if ($pause > 0) {
        usleep($pause);
    }
}
echo json_encode(['requests' => $requests, 'ok_writes' => $ok_writes, 'anomalies' => $anomalies, 'warnings' => $warnings,
    'pid' => getmypid()], JSON_UNESCAPED_SLASHES), "\n";
