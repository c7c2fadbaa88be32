<?php
// The demo's JSON endpoint. Always answers JSON with a status code that says what happened:
// 200 done, 400 bad request, 501 variant not available on this backend, 503 session storage
// unavailable (server down, timeout, lock not acquired, write refused), 500 anything else.
// PHP warnings never reach the output: they are collected and returned in "warnings".
//
//   api.php?variant=on|off|phpredis&action=info|state|increment|reset[&hold=MS]
//
// variant  on        redis_session, locking as configured (the demo ini turns it on)
//          off       redis_session with locking turned off for this request (ini_set)
//          phpredis  phpredis's handler (served by a PHP without redis_session, see README)
// action   info      what this backend runs (no session touched)
//          state     the session's counter (creates the session if it has none)
//          increment read the counter, hold the session HOLD ms (as a page doing work would),
//                    write counter + 1
//          reset     counter back to 0
//          where     which cluster node holds this variant's session (for the failover watch)
// Each variant has its own session cookie, so the two sides of the page never share a counter.

declare(strict_types=1);

const SESSION_NAMES = ['on' => 'RSDEMO_ON', 'off' => 'RSDEMO_OFF', 'phpredis' => 'RSDEMO_PHPREDIS'];
const MAX_HOLD_MS = 500;

$warnings = [];
$answered = false;

ob_start();
ini_set('html_errors', '0');   // warnings are shown as text by the page
set_error_handler(static function (int $no, string $msg) use (&$warnings): bool {
    $warnings[] = clean_message($msg);
    return true;   // handled: nothing printed in front of the JSON
});

/** Sends one JSON answer (and only one); anything printed before it is dropped. */
function answer(int $status, array $body): void
{
    global $warnings, $answered;
    if ($answered) {
        return;
    }
    $answered = true;
    while (ob_get_level() > 0) {
        ob_end_clean();
    }
    if (!headers_sent()) {
        http_response_code($status);
        header('Content-Type: application/json');
        header('Cache-Control: no-store');
    }
    if ($warnings) {
        $body['warnings'] = array_values(array_unique($warnings));
    }
    echo json_encode($body, JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION | JSON_INVALID_UTF8_SUBSTITUTE);
}

/** The reason a session call failed, from the warnings it raised. */
function storage_error(string $what): array
{
    global $warnings;
    return ['error' => $what . ': ' . ($warnings ? $warnings[0] : 'no reason given')];
}

/** Warnings name keys, nodes and operations, never passwords (the extension redacts them);
 *  this only drops PHP's function prefix and shortens anything that looks like a session id. */
function clean_message(string $msg): string
{
    $msg = preg_replace('/^session_[a-z_]+\(\): /', '', $msg);
    return preg_replace('/\b([0-9a-zA-Z,-]{6})[0-9a-zA-Z,-]{14,}\b/', '$1...', $msg);
}

// A fatal error cannot be caught; the shutdown function still answers JSON for it.
register_shutdown_function(static function (): void {
    global $answered;
    $e = error_get_last();
    if (!$answered) {
        $fatal = $e !== null && in_array($e['type'], [E_ERROR, E_CORE_ERROR, E_COMPILE_ERROR, E_USER_ERROR], true);
        answer(500, ['error' => $fatal ? 'PHP fatal error: ' . clean_message($e['message']) : 'no answer produced']);
    }
});

/** This backend's handler and settings, as the page shows them. */
function backend_info(string $variant): array
{
    $rs = extension_loaded('redis_session');
    $path = (string)ini_get('session.save_path');
    return [
        'variant' => $variant,
        'module' => $rs ? 'redis_session ' . phpversion('redis_session') : 'phpredis ' . phpversion('redis'),
        'php' => PHP_VERSION . ' (' . PHP_SAPI . ')',
        'save_handler' => ini_get('session.save_handler'),
        'save_path' => preg_replace('/(auth(\[[^\]]*\])?=)[^&]*/', '$1***', $path),
        'locking_enabled' => filter_var(ini_get('redis.session.locking_enabled'), FILTER_VALIDATE_BOOLEAN),
        'lock_wait_time_us' => (int)ini_get('redis.session.lock_wait_time'),
        'lock_retries' => (int)ini_get('redis.session.lock_retries'),
        'stats' => function_exists('redis_session_stats'),
    ];
}

/** The lock counters of this PHP process (php-fpm worker), or null without redis_session. */
function stats(): ?array
{
    return function_exists('redis_session_stats') ? redis_session_stats() : null;
}

/** CRC16/XMODEM of the key's hash tag (or the whole key) mod 16384, as Redis Cluster does. */
function key_slot(string $key): int
{
    $open = strpos($key, '{');
    if ($open !== false) {
        $close = strpos($key, '}', $open + 1);
        if ($close !== false && $close > $open + 1) {
            $key = substr($key, $open + 1, $close - $open - 1);
        }
    }
    $crc = 0;
    for ($i = 0, $len = strlen($key); $i < $len; $i++) {
        $crc ^= ord($key[$i]) << 8;
        for ($b = 0; $b < 8; $b++) {
            $crc = ($crc & 0x8000) ? (($crc << 1) ^ 0x1021) & 0xFFFF : ($crc << 1) & 0xFFFF;
        }
    }
    return $crc % 16384;
}

/** Which master serves the session named $name: CLUSTER NODES from the first seed that answers
 *  (plain RESP over a socket; the demo's cluster has no password). */
function where(string $name): array
{
    global $warnings;
    $id = (string)($_COOKIE[$name] ?? '');
    if (ini_get('session.save_handler') !== 'rediscluster') {
        return ['text' => 'Sessions are on a single server here (handler ' . ini_get('session.save_handler') . ').'];
    }
    if ($id === '') {
        return ['text' => 'No session yet: run the left side once first.'];
    }
    parse_str((string)ini_get('session.save_path'), $opt);
    $key = ($opt['prefix'] ?? 'PHPREDIS_CLUSTER_SESSION:') . $id;
    $slot = key_slot($key);
    foreach ((array)($opt['seed'] ?? []) as $seed) {
        [$host, $port] = explode(':', (string)$seed, 2) + [1 => '6379'];
        $sock = @fsockopen($host, (int)$port, $errno, $errstr, 0.5);
        if (!$sock) {
            continue;
        }
        stream_set_timeout($sock, 0, 500000);
        fwrite($sock, "*2\r\n$7\r\nCLUSTER\r\n$5\r\nNODES\r\n");
        $head = (string)fgets($sock);
        $nodes = $head !== '' && $head[0] === '$' ? (string)stream_get_contents($sock, (int)substr($head, 1)) : '';
        fclose($sock);
        foreach (explode("\n", $nodes) as $line) {
            $f = explode(' ', trim($line));
            if (count($f) < 9 || !str_contains($f[2], 'master') || str_contains($f[2], 'fail')) {
                continue;
            }
            foreach (array_slice($f, 8) as $range) {
                [$lo, $hi] = explode('-', $range) + [1 => $range];
                if (preg_match('/^\d+$/', $lo) && $slot >= (int)$lo && $slot <= (int)$hi) {
                    // "ip:port@bus[,hostname]": show the hostname when the node announces one
                    [$addr, $hostname] = explode(',', $f[1], 2) + [1 => ''];
                    $nport = explode('@', substr($addr, strrpos($addr, ':') + 1))[0];
                    $node = ($hostname !== '' ? $hostname : substr($addr, 0, strrpos($addr, ':'))) . ':' . $nport;
                    $hint = (string)getenv('DEMO_FAILOVER_HINT_NODE');
                    return [
                        'slot' => $slot,
                        'node' => $node,
                        'text' => "This session is in slot $slot, on master $node." . ($hint !== ''
                            ? ' ' . strtr($hint, ['{host}' => explode(':', $node)[0], '{port}' => $nport, '{node}' => $node])
                            : ''),
                    ];
                }
            }
        }
    }
    return ['slot' => $slot, 'text' => "This session is in slot $slot (no seed answered CLUSTER NODES)."];
}

function ms(int $ns): float
{
    return round($ns / 1e6, 2);
}

try {
    $variant = (string)($_GET['variant'] ?? 'on');
    $action = (string)($_GET['action'] ?? 'state');
    if (!isset(SESSION_NAMES[$variant])) {
        answer(400, ['error' => "unknown variant '" . substr($variant, 0, 20) . "' (on, off, phpredis)"]);
        return;
    }
    if (!in_array($action, ['info', 'state', 'increment', 'reset', 'where'], true)) {
        answer(400, ['error' => "unknown action '" . substr($action, 0, 20) . "' (info, state, increment, reset, where)"]);
        return;
    }
    $rs = extension_loaded('redis_session');
    if ($variant === 'phpredis' ? ($rs || !extension_loaded('redis')) : !$rs) {
        answer(501, ['error' => $variant === 'phpredis'
            ? 'phpredis is not set up in this environment (it needs a PHP without redis_session)'
            : 'redis_session is not loaded in this PHP']);
        return;
    }
    if ($variant === 'off') {
        ini_set('redis.session.locking_enabled', '0');
    }
    if ($action === 'info') {
        answer(200, backend_info($variant));
        return;
    }
    if ($action === 'where') {
        answer(200, where(SESSION_NAMES[$variant]));
        return;
    }

    session_name(SESSION_NAMES[$variant]);
    $hold = max(0, min(MAX_HOLD_MS, (int)($_GET['hold'] ?? 20)));
    $s0 = stats();
    $t0 = hrtime(true);
    if (!session_start()) {
        answer(503, storage_error('session_start() failed'));
        return;
    }
    $t1 = hrtime(true);
    $s1 = stats();
    $sid = session_id();
    $n = (int)($_SESSION['n'] ?? 0);
    if ($action === 'increment') {
        $n++;
        usleep($hold * 1000);
    } elseif ($action === 'reset') {
        $n = 0;
    }
    $_SESSION['n'] = $n;
    // PHP 8.2's session_write_close() returns true even when the handler's write failed; the
    // warning it raised is what says so. A failed write is a failed request, not a lost update.
    $before = count($warnings);
    if (!session_write_close() || count($warnings) > $before) {
        $warnings = array_merge(array_slice($warnings, $before), array_slice($warnings, 0, $before));
        answer(503, storage_error('session_write_close() failed'));
        return;
    }
    $t2 = hrtime(true);
    $s2 = stats();
    $body = [
        'n' => $n,
        // PHP issued a new id although the browser sent one (use_strict_mode: the id it sent
        // was not found, or could not be checked): this request started an empty session
        'new_session' => isset($_COOKIE[SESSION_NAMES[$variant]]) && $_COOKIE[SESSION_NAMES[$variant]] !== $sid,
        'start_ms' => ms($t1 - $t0),
        'total_ms' => ms($t2 - $t0),
        'pid' => getmypid(),
    ];
    if ($s0 !== null) {
        $body['lock_wait_ms'] = round(($s1['lock_wait_us'] - $s0['lock_wait_us']) / 1000, 2);
        $body['lock_waited'] = $s1['lock_waits'] > $s0['lock_waits'];
        $body['handed_over'] = $s1['lock_handoffs'] > $s0['lock_handoffs'];
        $body['round_trips'] = $s2['round_trips'] - $s0['round_trips'];
    }
    answer(200, $body);
} catch (\Throwable $e) {
    // e.g. "Failed to create session ID" (an Error thrown by PHP's session module)
    answer(503, ['error' => clean_message($e->getMessage()) . ($warnings ? ' -- ' . $warnings[0] : '')]);
}
