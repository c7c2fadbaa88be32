<?php
// Round trips per request, cold (a new PHP process) and warm (the next request in a
// long-lived process, as in a php-fpm worker), counted by bench/tools/rttproxy.py.
//
//   php rtt.php run LABEL HANDLER_ARGS...   driver: every case x lock off/on x cold/warm,
//                                           prints one line per row and a JSON file (OUT=)
//   php rtt.php child MODE CASE ID          one measured request (started by the driver)
//
// Env: RTT_CTL=127.0.0.1:PORT (proxy control), OUT=file.json (optional).

const CASES = ['new', 'existing_changed', 'existing_unchanged', 'read_and_close', 'regenerate', 'destroy'];

function ctl(string $cmd): string
{
    [$h, $p] = explode(':', getenv('RTT_CTL'));
    $s = stream_socket_client("tcp://$h:$p", $errno, $err, 2);
    fwrite($s, "$cmd\n");
    $line = fgets($s);
    fclose($s);
    return trim((string)$line);
}

function stats(): array
{
    $st = json_decode(ctl('STATS'), true);
    $flights = [];
    foreach ($st['log'] as [$conn, $flight, $cmd]) {
        $flights["$conn.$flight"][] = explode(' ', $cmd)[0] === 'CLUSTER' ? $cmd : explode(' ', $cmd)[0];
    }
    return ['rtt' => $st['flights'], 'cmds' => $st['cmds'], 'conns' => $st['conns'],
            'seq' => implode(' ; ', array_map(fn ($f) => implode('|', $f), $flights))];
}

function request(string $case, ?string $id, bool $measure): array
{
    $out = [];
    if ($id !== null) {
        session_id($id);
    }
    if ($measure) { ctl('RESET'); }
    $opts = $case === 'read_and_close' ? ['read_and_close' => true] : [];
    $ok = session_start($opts);
    if ($measure) { $out['start'] = stats(); ctl('RESET'); }
    if (!$ok) {
        return ['error' => 'session_start failed'] + $out;
    }
    switch ($case) {
        case 'new':
        case 'existing_changed':
            $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
            session_write_close();
            break;
        case 'existing_unchanged':
            session_write_close();
            break;
        case 'read_and_close':
            break;
        case 'regenerate':
            session_regenerate_id(true);
            session_write_close();
            break;
        case 'destroy':
            session_destroy();
            break;
    }
    if ($measure) { $out['close'] = stats(); }
    return $out;
}

if (($argv[1] ?? '') === 'child') {
    [, , $mode, $case, $id] = $argv;
    if ($mode === 'seed') {
        request('existing_changed', $id, false);
        exit(0);
    }
    $warm = $mode === 'warm';
    // Seed the session in this process (warm) so connections, slot map and scripts are warm;
    // a cold run finds it seeded by a separate process.
    if ($warm) {
        for ($i = 0; $i < 12; $i++) {          // touch every master
            request('new', null, false);
            session_write_close();
        }
    }
    if ($case !== 'new') {
        if ($warm) {
            request('existing_changed', $id, false);
        }
    }
    $r = request($case, $case === 'new' ? null : $id, true);
    echo json_encode($r), "\n";
    exit(0);
}

if (($argv[1] ?? '') !== 'run') {
    fwrite(STDERR, "usage: php rtt.php run LABEL PHP_ARGS...\n");
    exit(2);
}
$label = $argv[2];
$args = array_slice($argv, 3);
$base = [PHP_BINARY, ...$args, '-d', 'session.use_strict_mode=0', '-d', 'session.use_cookies=0',
    '-d', 'session.cache_limiter=', '-d', 'session.lazy_write=1', '-d', 'session.gc_probability=0',
    '-d', 'max_execution_time=30', '-d', 'display_errors=stderr'];
$rows = [];
// One unrecorded pass first, so the one-time script load after a server start is not counted.
foreach ([0, 1] as $lock) {
    for ($i = 0; $i < 15; $i++) {
        $p = proc_open(array_merge($base, ['-d', "redis.session.locking_enabled=$lock", __FILE__, 'child', 'seed', 'x', bin2hex(random_bytes(13))]), [1 => ['pipe', 'w']], $pp);
        stream_get_contents($pp[1]);
        proc_close($p);
    }
}
foreach ([0, 1] as $lock) {
    foreach (['cold', 'warm'] as $mode) {
        foreach (CASES as $case) {
            $id = bin2hex(random_bytes(13));
            $cmd = array_merge($base, ['-d', "redis.session.locking_enabled=$lock"]);
            if ($mode === 'cold' && $case !== 'new') {
                $seed = proc_open(array_merge($cmd, [__FILE__, 'child', 'seed', 'existing_changed', $id]), [1 => ['pipe', 'w']], $p);
                stream_get_contents($p[1]);
                proc_close($seed);
            }
            // A cold run right after the server started would also pay the one-time script load.
            $proc = proc_open(array_merge($cmd, [__FILE__, 'child', $mode, $case, $id]), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
            $json = stream_get_contents($pipes[1]);
            $err = stream_get_contents($pipes[2]);
            proc_close($proc);
            $r = json_decode(trim($json), true) ?: ['error' => trim($err) ?: 'no output'];
            $key = "$label.$case.lock_" . ($lock ? 'on' : 'off') . ".$mode";
            $rows[$key] = $r;
            if (isset($r['error'])) {
                printf("%-52s ERROR %s\n", $key, $r['error']);
                continue;
            }
            printf("%-52s start %d rtt (%d conn) [%s]   close %d rtt [%s]\n", $key,
                $r['start']['rtt'], $r['start']['conns'], $r['start']['seq'],
                $r['close']['rtt'], $r['close']['seq']);
        }
    }
}
if ($out = getenv('OUT')) {
    $all = is_file($out) ? json_decode(file_get_contents($out), true) : [];
    file_put_contents($out, json_encode(array_merge($all ?: [], $rows), JSON_PRETTY_PRINT));
}
