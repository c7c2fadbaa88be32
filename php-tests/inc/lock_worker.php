<?php
// Worker for the lock/ tests that need a request slower than session_worker.php's (started by
// rs_child_cmd / rs_run_children with the handler and redis.session.* INI passed as -d).
// Prints one line of JSON on stdout; warnings are collected into "warnings".
//
//   incr_slow ID N SLEEP_US [START_AT]   N times: session_id(ID), session_start, read n,
//                                        usleep(SLEEP_US), $_SESSION['n'] = n + 1, close
//                                        -> {"ok":N-failed,"failed":k,"warnings":[...]}
//
// The pause between read and write makes concurrent requests overlap for sure, so without a
// lock their read-modify-write cycles interleave and updates are lost.

$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) {
    $warnings[] = $msg;
    return true;
});

$op = $argv[1] ?? '';
$id = $argv[2] ?? '';
switch ($op) {
    case 'incr_slow':
        $n = (int) ($argv[3] ?? 1);
        $pause = (int) ($argv[4] ?? 1000);
        $at = (float) ($argv[5] ?? 0);
        if ($at > microtime(true)) {
            usleep((int) (($at - microtime(true)) * 1e6));
        }
        $failed = 0;
        for ($i = 0; $i < $n; $i++) {
            session_id($id);
            if (!session_start()) {
                $failed++;
                continue;
            }
            $v = $_SESSION['n'] ?? 0;
            usleep($pause);
            $_SESSION['n'] = $v + 1;
            if (!session_write_close()) {
                $failed++;
            }
        }
        echo json_encode(['ok' => $n - $failed, 'failed' => $failed, 'warnings' => $warnings,
                          'pid' => getmypid()], JSON_UNESCAPED_SLASHES), "\n";
        break;
    default:
        fwrite(STDERR, "lock_worker: unknown op '$op'\n");
        exit(2);
}
