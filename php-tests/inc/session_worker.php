<?php
// Generic session worker for child-process tests (started by rs_child_cmd / rs_run_children,
// which pass session.save_handler / save_path and any redis.session.* INI with -d).
// Prints one line of JSON on stdout; PHP warnings/notices are collected into "warnings"
// instead of being printed, so a test can assert on them.
//
//   incr ID N [START_AT]           N times: session_id(ID), session_start, $_SESSION['n']++, close
//                                  -> {"ok":N-failed,"failed":k,"warnings":[...]}
//   write ID KEY VALUE             session_start, $_SESSION[KEY]=VALUE, close
//   read ID                        session_start, close -> {"session":{...}}
//   hold ID MS [START_AT]          session_start, sleep MS, $_SESSION['held_by']=pid, close
//                                  -> {"started":t,"closed":t,...}  (microtime(true) stamps)
//   destroy ID                     session_start, session_destroy
//
// START_AT (microtime float) makes several workers begin at the same instant.

$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) {
    $warnings[] = $msg;
    return true;
});

function wait_until(?string $at): void
{
    if ($at !== null && $at !== '') {
        $d = (float) $at - microtime(true);
        if ($d > 0) {
            usleep((int) ($d * 1e6));
        }
    }
}

function out(array $r): void
{
    global $warnings;
    $r['warnings'] = $warnings;
    $r['pid'] = getmypid();
    echo json_encode($r, JSON_UNESCAPED_SLASHES), "\n";
}

$op = $argv[1] ?? '';
$id = $argv[2] ?? '';
switch ($op) {
    case 'incr':
        $n = (int) ($argv[3] ?? 1);
        wait_until($argv[4] ?? null);
        $failed = 0;
        for ($i = 0; $i < $n; $i++) {
            session_id($id);
            if (!session_start()) {
                $failed++;
                continue;
            }
            $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
            if (!session_write_close()) {
                $failed++;
            }
        }
        out(['ok' => $n - $failed, 'failed' => $failed]);
        break;
    case 'write':
        session_id($id);
        $started = session_start();
        $_SESSION[$argv[3]] = $argv[4];
        out(['started' => $started, 'closed' => session_write_close()]);
        break;
    case 'read':
        session_id($id);
        $started = session_start();
        $s = $_SESSION ?? [];
        session_write_close();
        out(['started' => $started, 'session' => (object) $s]);
        break;
    case 'hold':
        $ms = (int) ($argv[3] ?? 100);
        wait_until($argv[4] ?? null);
        $t_call = microtime(true);
        session_id($id);
        $ok = session_start();
        $t_started = microtime(true);
        $seen = $_SESSION['held_by'] ?? null;
        usleep($ms * 1000);
        $_SESSION['held_by'] = getmypid();
        $closed = $ok ? session_write_close() : false;
        out(['ok' => $ok, 'call' => $t_call, 'started' => $t_started, 'closed_at' => microtime(true),
             'closed' => $closed, 'seen' => $seen]);
        break;
    case 'destroy':
        session_id($id);
        $ok = session_start();
        out(['started' => $ok, 'destroyed' => $ok ? session_destroy() : false]);
        break;
    default:
        fwrite(STDERR, "session_worker: unknown op '$op'\n");
        exit(2);
}
