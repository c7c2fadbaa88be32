--TEST--
php-fpm: 3 workers serve many concurrent locked requests on kept connections (one per worker); Redis is restarted on the same port and every worker's next requests succeed without restarting php-fpm, nothing lost
--SKIPIF--
<?php
require __DIR__ . '/../inc/config.inc';
rs_skip_if_no_extension();
require __DIR__ . '/fpm.inc';
if (!rs_fpm_binary() || !is_executable('/usr/bin/cgi-fcgi')) rs_skip('php8.2-fpm and libfcgi-bin are required (scripts/setup.sh installs them)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/private_cluster.inc';
require __DIR__ . '/fpm.inc';

$s = rs_private_tcp_server();   // restarted below: a server of this test's own
$fpm = new Fpm([
    'session.save_handler' => 'redis',
    'session.save_path' => $s->path(['timeout' => 1, 'read_timeout' => 2]),
    'session.use_cookies' => '0',
    'session.use_strict_mode' => '0',
    'session.cache_limiter' => '',
    'redis.session.locking_enabled' => '1',
    'redis.session.lock_retries' => '-1',
], 3);
$r = $s->resp();
$clients = fn () => count(explode("\n", trim((string) $r->cmd('CLIENT', 'LIST')))) - 1;
$id = rs_new_id();
$script = __DIR__ . '/worker_counter.php';
// $rounds batches of 3 concurrent requests on one session (the lock serializes them)
$serve = function (int $rounds) use ($fpm, $script, $id): array {
    $pids = [];
    $bad = [];
    for ($i = 0; $i < $rounds; $i++) {
        foreach ($fpm->getMany($script, array_fill(0, 3, "id=$id")) as $body) {
            if (preg_match('/^(\d+) (\d+)$/', $body, $m)) {
                $pids[$m[1]] = ($pids[$m[1]] ?? 0) + 1;
            } else {
                $bad[] = $body;
            }
        }
    }
    return [$pids, $bad];
};

[$pids1, $bad1] = $serve(10);
echo "before: 30 requests, failed: ", count($bad1), ", workers that served: ", count($pids1), "\n";
echo "connections: one per worker: ", var_export($clients() === count($pids1), true), "\n";
$n1 = $r->cmd('GET', RS_PREFIX . $id);
echo "stored: $n1\n";

// Restart Redis on the same port, with the data (SAVE, then the new process loads dump.rdb).
$r->cmd('SAVE');
$s->restart();
$r = $s->resp();
[$pids2, $bad2] = $serve(10);
echo "after the restart: 30 requests, failed: ", count($bad2), "\n";
foreach ($bad2 as $b) {
    echo "  $b\n";
}
echo "every worker of before served again: ", var_export(array_diff_key($pids1, $pids2) === [], true), "\n";
echo "stored: ", $r->cmd('GET', RS_PREFIX . $id), "\n";
echo "php-fpm master still the same, workers not restarted: ", var_export(count($pids1 + $pids2) === 3, true), "\n";
$fpm->stop();
$s->stop();
?>
--EXPECT--
before: 30 requests, failed: 0, workers that served: 3
connections: one per worker: true
stored: n|i:30;
after the restart: 30 requests, failed: 0
every worker of before served again: true
stored: n|i:60;
php-fpm master still the same, workers not restarted: true
