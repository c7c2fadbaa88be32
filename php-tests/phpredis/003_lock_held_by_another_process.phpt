--TEST--
phpredis side by side: a lock held by another process (300 ms) while lock_retries x lock_wait_time bound the wait. Budget shorter than the hold: both give up before the holder releases; phpredis 5.3.7 then starts a read-only session with a notice, redis_session fails session_start() with a warning (lock_failure_readonly=1 gives phpredis's behaviour). Budget longer: both get the lock with the holder's write and lose nothing; phpredis at its next poll (up to lock_wait_time later), redis_session when the holder releases (handed over)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/side_by_side.inc';
require __DIR__ . '/../inc/resp.inc';
$r = rs_resp();
$cases = [
    'budget 5 x 20 ms < hold' => ['redis.session.lock_retries' => '5', 'redis.session.lock_wait_time' => '20000'],
    'budget 5 x 20 ms < hold, lock_failure_readonly=1' => ['redis.session.lock_retries' => '5',
        'redis.session.lock_wait_time' => '20000', 'redis.session.lock_failure_readonly' => '1'],
    'budget 8 x 250 ms > hold' => ['redis.session.lock_retries' => '8', 'redis.session.lock_wait_time' => '250000'],
];
foreach ($cases as $label => $lock) {
    echo "== $label\n";
    foreach (rs_sbs_products() as $product => $opts) {
        $ini = ['session.save_handler' => 'redis', 'session.save_path' => rs_standalone_path(['timeout' => 2]),
            'redis.session.locking_enabled' => '1'] + $lock;
        $id = rs_new_id();
        $at = sprintf('%.6F', microtime(true) + 0.6);
        // the holder starts first (its own lock settings: it never waits), the waiter 50 ms later
        $hold = rs_child_cmd(__DIR__ . '/program.php', ['hold', rs_port(), $id, 300, $at], $ini, $opts);
        $wait = rs_child_cmd(__DIR__ . '/program.php', ['wait', rs_port(), $id, sprintf('%.6F', (float) $at + 0.05)], $ini, $opts);
        [$h, $w] = rs_run_children([$hold, $wait], 30);
        $h = json_decode($h['stdout'], true) ?? ['error' => $h['stdout'] . $h['stderr']];
        $w = json_decode($w['stdout'], true) ?? ['error' => $w['stdout'] . $w['stderr']];
        $final = $r->cmd('GET', RS_PREFIX . $id);
        $gaveUpEarly = $w['waited_ms'] < 250;
        printf("%s: holder start %s close %s; waiter start %s, %s, read %s, close %s, notices %d; stored %s\n", $product,
            var_export($h['start'], true), var_export($h['close'], true), var_export($w['start'], true),
            $gaveUpEarly ? 'gave up before the release' : 'waited past the release',
            json_encode($w['read']), var_export($w['close'], true), count($w['notices']), json_encode($final));
        if (!$gaveUpEarly) {
            // after the release: phpredis polls (next attempt up to lock_wait_time later), we are handed the lock
            $after = ($w['acquired_at'] - $h['released_at']) * 1000;
            echo "  got the lock within one lock_wait_time (250 ms) of the release: ", var_export($after < 250 + 60, true), "\n";
            if ($product === 'redis_session') {
                echo "  redis_session: within 60 ms of the release: ", var_export($after < 60, true), "\n";
            }
        }
        foreach ($w['notices'] as $n) {
            echo "  ", preg_replace(['/[0-9a-f]{26}|[0-9a-f]{4}\*#[0-9a-f]{8}/', '/\d+ ms/', '/127\.0\.0\.1:\d+/', '/\(path: .*\)|\(tcp:.*\)/'],
                ['ID', 'N ms', 'H:P', '(...)'], $n), "\n";
        }
        $r->cmd('DEL', RS_PREFIX . $id);
    }
}
?>
--EXPECT--
== budget 5 x 20 ms < hold
phpredis: holder start true close true; waiter start true, gave up before the release, read [], close true, notices 2; stored "holder|i:1;"
  session_start(): Acquire of session lock was not successful
  session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (...)
redis_session: holder start true close true; waiter start false, gave up before the release, read [], close false, notices 2; stored "holder|i:1;"
  session_start(): redis: could not acquire the session lock on PHPREDIS_SESSION:ID (H:P) after waiting N ms (5 attempts); another request holds it. Raise redis.session.lock_retries / lock_wait_time, or shorten the requests that hold the session
  session_start(): Failed to read session data: redis (...)
== budget 5 x 20 ms < hold, lock_failure_readonly=1
phpredis: holder start true close true; waiter start true, gave up before the release, read [], close true, notices 2; stored "holder|i:1;"
  session_start(): Acquire of session lock was not successful
  session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (...)
redis_session: holder start true close true; waiter start true, gave up before the release, read [], close true, notices 3; stored "holder|i:1;"
  session_start(): redis: could not acquire the session lock on PHPREDIS_SESSION:ID (H:P) after waiting N ms; session will be read only (redis.session.lock_failure_readonly=1): its writes are refused
  session_write_close(): redis: write of PHPREDIS_SESSION:ID (H:P) refused, the stored session is unchanged: the session is read only, another request held its lock (redis.session.lock_failure_readonly=1)
  session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (...)
== budget 8 x 250 ms > hold
phpredis: holder start true close true; waiter start true, waited past the release, read {"holder":1}, close true, notices 0; stored "holder|i:1;waiter|i:1;"
  got the lock within one lock_wait_time (250 ms) of the release: true
redis_session: holder start true close true; waiter start true, waited past the release, read {"holder":1}, close true, notices 0; stored "holder|i:1;waiter|i:1;"
  got the lock within one lock_wait_time (250 ms) of the release: true
  redis_session: within 60 ms of the release: true