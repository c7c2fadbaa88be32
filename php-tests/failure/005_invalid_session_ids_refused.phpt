--TEST--
failure: session ids outside PHP's id alphabet are refused with a warning and never reach the server; ids PHP itself drops get a fresh id (both handlers, with and without locking)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$m = bin2hex(random_bytes(6));   // marks every odd id of this run, for the SCAN below
// PHP's session_start() itself drops ids holding any of "\r\n\t <>'\"\\" and makes a new one;
// every other id reaches the handler, which must refuse what is outside [a-zA-Z0-9,-].
$dropped_by_php = ["abc def$m", "x<y$m"];
$refused = ["../x$m", "a.b$m", "x/y$m", "tag{x}$m", "%00$m", str_repeat('z', 300 - strlen($m)) . $m];
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['0' => 'no lock', '1' => 'lock'] as $locking => $label) {
        rs_session_setup($h->handler, $h->path, ['redis.session.locking_enabled' => (string) $locking]);
        foreach ($refused as $i => $bad) {
            rs_capture_warnings();
            session_id($bad);
            $ok = session_start();
            restore_error_handler();
            $w = rs_take_warnings();
            $refusal = array_values(array_filter($w, fn ($x) => str_contains($x, 'session id refused')));
            printf("%s, %s, refused #%d: start=%s, refusal warnings=%d, warnings=%d\n", $handler, $label, $i,
                var_export($ok, true), count($refusal), count($w));
            if ($i === 0 && $locking === 0) {
                echo $refusal[0] ?? '(none)', "\n";
            }
            if (session_status() === PHP_SESSION_ACTIVE) {
                // only if the refusal failed: this write would show up in the SCAN below
                $_SESSION['x'] = 1;
                session_write_close();
            }
        }
        foreach ($dropped_by_php as $i => $bad) {
            rs_capture_warnings();
            session_id($bad);
            $ok = session_start();
            restore_error_handler();
            printf("%s, %s, dropped by PHP #%d: start=%s, new id=%s, warnings=%d\n", $handler, $label, $i,
                var_export($ok, true), var_export(preg_match('/^[0-9a-v]{26,}$/', session_id()) === 1, true),
                count(rs_take_warnings()));
            $fresh = session_id();
            session_abort();
            $h->cleanup($fresh);
        }
    }
    $stored = rs_scan($h->r, "*$m*");
    echo "$handler: keys holding an odd id: ", count($stored), "\n";
}
?>
--EXPECTF--
redis, no lock, refused #0: start=false, refusal warnings=1, warnings=2
session_start(): redis: read: session id refused: it must be 1-256 characters of a-z A-Z 0-9 , - (nothing was sent to the server)
redis, no lock, refused #1: start=false, refusal warnings=1, warnings=2
redis, no lock, refused #2: start=false, refusal warnings=1, warnings=2
redis, no lock, refused #3: start=false, refusal warnings=1, warnings=2
redis, no lock, refused #4: start=false, refusal warnings=1, warnings=2
redis, no lock, refused #5: start=false, refusal warnings=1, warnings=2
redis, no lock, dropped by PHP #0: start=true, new id=true, warnings=0
redis, no lock, dropped by PHP #1: start=true, new id=true, warnings=0
redis, lock, refused #0: start=false, refusal warnings=1, warnings=2
redis, lock, refused #1: start=false, refusal warnings=1, warnings=2
redis, lock, refused #2: start=false, refusal warnings=1, warnings=2
redis, lock, refused #3: start=false, refusal warnings=1, warnings=2
redis, lock, refused #4: start=false, refusal warnings=1, warnings=2
redis, lock, refused #5: start=false, refusal warnings=1, warnings=2
redis, lock, dropped by PHP #0: start=true, new id=true, warnings=0
redis, lock, dropped by PHP #1: start=true, new id=true, warnings=0
redis: keys holding an odd id: 0
rediscluster, no lock, refused #0: start=false, refusal warnings=1, warnings=2
session_start(): rediscluster: read: session id refused: it must be 1-256 characters of a-z A-Z 0-9 , - (nothing was sent to the server)
rediscluster, no lock, refused #1: start=false, refusal warnings=1, warnings=2
rediscluster, no lock, refused #2: start=false, refusal warnings=1, warnings=2
rediscluster, no lock, refused #3: start=false, refusal warnings=1, warnings=2
rediscluster, no lock, refused #4: start=false, refusal warnings=1, warnings=2
rediscluster, no lock, refused #5: start=false, refusal warnings=1, warnings=2
rediscluster, no lock, dropped by PHP #0: start=true, new id=true, warnings=0
rediscluster, no lock, dropped by PHP #1: start=true, new id=true, warnings=0
rediscluster, lock, refused #0: start=false, refusal warnings=1, warnings=2
rediscluster, lock, refused #1: start=false, refusal warnings=1, warnings=2
rediscluster, lock, refused #2: start=false, refusal warnings=1, warnings=2
rediscluster, lock, refused #3: start=false, refusal warnings=1, warnings=2
rediscluster, lock, refused #4: start=false, refusal warnings=1, warnings=2
rediscluster, lock, refused #5: start=false, refusal warnings=1, warnings=2
rediscluster, lock, dropped by PHP #0: start=true, new id=true, warnings=0
rediscluster, lock, dropped by PHP #1: start=true, new id=true, warnings=0
rediscluster: keys holding an odd id: 0
