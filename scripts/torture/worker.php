<?php
// One torture worker: runs the seeded session program the driver wrote for it (a list of
// requests, each a session_start, a few steps, and one closing call) and logs, as JSON lines,
// what it did and what PHP returned. Times are hrtime(true) (CLOCK_MONOTONIC, ns), the clock
// the driver and every other worker use too.
//
//   php -n -d extension=libredis_session.so worker.php PROGRAM.json LOG.jsonl
//
// Session data is self-verifying: $_SESSION['st'] = "n=<committed increments>;last=<id of the
// request that wrote it>". A request that increments sets n+1 and last=<its own id>, so the
// checker can tell which write every reader saw. Events per request, in order:
//   begin      the request's settings
//   start      session_start() returned: ok, whether the session is active (PHP's truth), the id
//              in force, the state read, warnings. t0 = before the call, t = after it; when
//              active this is "enter" (the lock is ours from here on).
//   step       create_id / reset / gc / inc / sleep (what PHP returned)
//   exit       just before the closing call (a hand-off lets the next holder in before it returns)
//   end        the closing call (commit / abort / destroy / regen_keep / regen_del): ret, warnings
//   regen_end  after a regenerate: the commit (or abort) of the new id
//   done       the program finished
declare(strict_types=1);

[$prog_file, $log_file] = [$argv[1], $argv[2]];
$prog = json_decode((string) file_get_contents($prog_file), true, 512, JSON_THROW_ON_ERROR);
$log = fopen($log_file, 'a');

function logj($log, array $rec): void
{
    $rec['t'] ??= hrtime(true);
    fwrite($log, json_encode($rec, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
}

$warnings = [];
set_error_handler(function (int $no, string $str) use (&$warnings): bool {
    $warnings[] = $str;
    return true;
});
function take_warnings(): array
{
    global $warnings;
    $w = $warnings;
    $warnings = [];
    return $w;
}

/** The state read: [n, last] from $_SESSION (n=0, last=null for an empty session). */
function state(): array
{
    $st = $_SESSION['st'] ?? null;
    if (!is_string($st) || !preg_match('/^n=(\d+);last=(.*)$/', $st, $m)) {
        return ['n' => 0, 'last' => null, 'raw' => $st === null ? null : substr((string) json_encode($st), 0, 100)];
    }
    return ['n' => (int) $m[1], 'last' => $m[2] === '' ? null : $m[2]];
}

ini_set('session.save_handler', $prog['handler']);
ini_set('session.use_cookies', '0');
ini_set('session.use_only_cookies', '0');
ini_set('session.cache_limiter', '');
ini_set('session.gc_maxlifetime', '3600');
ini_set('session.gc_probability', '0');
ini_set('session.lazy_write', '1');
ini_set('redis.session.locking_enabled', '1');
$pad = str_repeat('p', 40000);

foreach ($prog['requests'] as $req) {
    $rid = $req['rid'];
    usleep((int) $req['pause_ms'] * 1000);
    foreach ($req['ini'] as $k => $v) {
        ini_set($k, (string) $v);
    }
    session_save_path($req['save_path']);
    if ($req['sid'] !== null) {
        session_id($req['sid']);
    } else {
        session_id('');
    }
    logj($log, ['ev' => 'begin', 'rid' => $rid, 'sid' => $req['sid'], 'ini' => $req['ini'],
        'opts' => $req['opts'], 'steps' => $req['steps'], 'end' => $req['end']]);
    take_warnings();
    $t0 = hrtime(true);
    $exc = null;
    try {
        $ok = session_start($req['opts']);
    } catch (Throwable $e) {
        $ok = false;
        $exc = get_class($e) . ': ' . $e->getMessage();
    }
    $t = hrtime(true);
    $active = session_status() === PHP_SESSION_ACTIVE;
    $rec = ['ev' => 'start', 'rid' => $rid, 't0' => $t0, 't' => $t, 'ok' => $ok, 'active' => $active,
        // the id in force: the requested one, or "new" (a generated id is not logged)
        'id' => session_id() === $req['sid'] ? $req['sid'] : (session_id() === '' ? '' : 'new'), 'w' => take_warnings()];
    if ($exc !== null) {
        $rec['exc'] = $exc;
    }
    if ($ok || $active) {
        $rec['read'] = state();
    }
    logj($log, $rec);
    if (!$active) {
        continue;
    }
    $base = state();
    $dirty = false;
    foreach ($req['steps'] as $step) {
        $t0 = hrtime(true);
        $r = ['ev' => 'step', 'rid' => $rid, 'op' => $step[0], 't0' => $t0];
        try {
            switch ($step[0]) {
                case 'sleep':
                    usleep((int) $step[1] * 1000);
                    break;
                case 'inc':
                    $_SESSION['st'] = 'n=' . ($base['n'] + 1) . ';last=' . $rid;
                    if (!empty($req['large'])) {
                        $_SESSION['pad'] = $pad;
                    }
                    $dirty = true;
                    break;
                case 'create_id':
                    $r['ret'] = session_create_id('t');
                    $r['ret'] = is_string($r['ret']) ? 'string' : $r['ret'];
                    break;
                case 'reset':
                    $r['ret'] = session_reset();
                    $r['read'] = state();
                    $dirty = false;
                    break;
                case 'gc':
                    $r['ret'] = session_gc();
                    break;
            }
        } catch (Throwable $e) {
            $r['exc'] = get_class($e) . ': ' . $e->getMessage();
        }
        $r['w'] = take_warnings();
        if (session_status() !== PHP_SESSION_ACTIVE) {
            // PHP ended the session itself (e.g. session_reset() whose read failed aborts it)
            $r['ended'] = true;
        } elseif (session_id() !== $req['sid'] && $req['sid'] !== null) {
            // PHP moved the session to a new id (strict mode: session_reset() validates the id
            // again, and an id without stored data is replaced): the hot session was left here
            $r['ended'] = 'id_changed';
        }
        logj($log, $r);
        if (!empty($r['ended'])) {
            break;
        }
    }
    if (session_status() !== PHP_SESSION_ACTIVE) {
        continue;
    }
    if (session_id() !== $req['sid'] && $req['sid'] !== null) {
        session_abort();
        take_warnings();
        continue;
    }
    $end = $req['end'];
    logj($log, ['ev' => 'exit', 'rid' => $rid, 'dirty' => $dirty]);
    $t0 = hrtime(true);
    $exc = null;
    try {
        switch ($end) {
            case 'commit':
                $ret = session_write_close();
                break;
            case 'abort':
                $ret = session_abort();
                break;
            case 'destroy':
                $ret = session_destroy();
                break;
            case 'regen_keep':
                $ret = session_regenerate_id(false);
                break;
            case 'regen_del':
                $ret = session_regenerate_id(true);
                break;
            default:
                $ret = null;
        }
    } catch (Throwable $e) {
        $ret = false;
        $exc = get_class($e) . ': ' . $e->getMessage();
    }
    $rec = ['ev' => 'end', 'rid' => $rid, 'what' => $end, 't0' => $t0, 'ret' => $ret, 'dirty' => $dirty,
        'w' => take_warnings()];
    if ($exc !== null) {
        $rec['exc'] = $exc;
    }
    logj($log, $rec);
    if (str_starts_with($end, 'regen') && session_status() === PHP_SESSION_ACTIVE) {
        // The session goes on under the new id (a brand-new, unshared key): commit it.
        $new = session_id();
        $t0 = hrtime(true);
        try {
            $ret = session_write_close();
            $exc = null;
        } catch (Throwable $e) {
            $ret = false;
            $exc = get_class($e) . ': ' . $e->getMessage();
        }
        $rec = ['ev' => 'regen_end', 'rid' => $rid, 't0' => $t0, 'ret' => $ret, 'new_id_len' => strlen($new),
            'w' => take_warnings()];
        if ($exc !== null) {
            $rec['exc'] = $exc;
        }
        logj($log, $rec);
    }
    if (session_status() === PHP_SESSION_ACTIVE) {
        session_abort();
        take_warnings();
    }
}
logj($log, ['ev' => 'done']);
exit(0);
