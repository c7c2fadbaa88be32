<?php
// The main job in one screen: 8 PHP processes each increment one session counter 50 times,
// at the same instant, on a Redis Cluster through the `rediscluster` handler. With locking
// every increment survives (400); without it, concurrent requests overwrite each other.
//
// Usage: php demo.php                (parent; needs REDIS_SESSION_CLUSTER_SEEDS)
//        php demo.php child ID N LOCK  (one worker; started by the parent)

const WORKERS = 8;
const INCREMENTS = 50;

function child_ini(bool $locking): array
{
    $seeds = preg_split('/\s+/', trim(getenv('REDIS_SESSION_CLUSTER_SEEDS') ?: ''));
    $path = implode('&', array_map(fn ($s) => 'seed[]=' . $s, $seeds)) . '&timeout=2&read_timeout=2';
    return [
        'session.save_handler' => 'rediscluster',
        'session.save_path' => $path,
        'session.use_cookies' => '0',
        'session.use_strict_mode' => '0',
        'session.cache_limiter' => '',
        'session.serialize_handler' => 'php',
        'redis.session.locking_enabled' => $locking ? '1' : '0',
        'redis.session.lock_retries' => '-1',
        'redis.session.lock_wait_time' => '2000',
        'max_execution_time' => '30',
    ];
}

if (($argv[1] ?? '') === 'read') {
    session_id($argv[2]);
    session_start(['read_and_close' => true]);
    echo (int)($_SESSION['n'] ?? 0), "\n";
    exit(0);
}

if (($argv[1] ?? '') === 'child') {
    [, , $id, $n] = $argv;
    $failed = 0;
    for ($i = 0; $i < (int)$n; $i++) {
        session_id($id);
        if (!@session_start()) {
            $failed++;
            continue;
        }
        $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
        session_write_close();
    }
    echo $failed, "\n";
    exit(0);
}

function run(bool $locking): array
{
    $id = bin2hex(random_bytes(13));
    $cmdBase = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('REDIS_SESSION_SO')];
    foreach (child_ini($locking) as $k => $v) {
        $cmdBase[] = '-d';
        $cmdBase[] = $k . '="' . $v . '"';
    }
    $procs = [];
    $start = microtime(true);
    for ($w = 0; $w < WORKERS; $w++) {
        $cmd = array_merge($cmdBase, [__FILE__, 'child', $id, (string)INCREMENTS]);
        $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $procs[] = [$p, $pipes];
    }
    $failed = 0;
    $errors = '';
    foreach ($procs as [$p, $pipes]) {
        $failed += (int)stream_get_contents($pipes[1]);
        $errors .= stream_get_contents($pipes[2]);
        proc_close($p);
    }
    $elapsed = microtime(true) - $start;
    $p = proc_open(array_merge($cmdBase, [__FILE__, 'read', $id]), [1 => ['pipe', 'w']], $pipes);
    $final = (int)stream_get_contents($pipes[1]);
    proc_close($p);
    return [$final, $failed, $elapsed, $errors];
}

if (!getenv('REDIS_SESSION_CLUSTER_SEEDS')) {
    fwrite(STDERR, "REDIS_SESSION_CLUSTER_SEEDS is not set (run: make demo)\n");
    exit(2);
}
printf("redis_session demo: %d concurrent PHP processes x %d increments of ONE session\n", WORKERS, INCREMENTS);
printf("handler: rediscluster, cluster seeds: %s\n\n", getenv('REDIS_SESSION_CLUSTER_SEEDS'));
printf("%-22s %8s %8s %8s %8s\n", 'locking', 'expected', 'final', 'lost', 'seconds');
$ok = true;
foreach ([true, false] as $locking) {
    [$final, $failed, $elapsed, $errors] = run($locking);
    $expected = WORKERS * INCREMENTS;
    printf("%-22s %8d %8d %8d %8.2f\n", $locking ? 'on (redis_session)' : 'off', $expected, $final, $expected - $final, $elapsed);
    if ($errors !== '') {
        echo "  warnings from workers:\n  ", str_replace("\n", "\n  ", trim($errors)), "\n";
    }
    if ($locking && ($final !== $expected || $failed)) {
        $ok = false;
    }
}
echo $ok
    ? "\nWith locking, every one of the 400 concurrent updates survived.\n"
    : "\nUNEXPECTED: updates were lost with locking on.\n";
exit($ok ? 0 : 1);
