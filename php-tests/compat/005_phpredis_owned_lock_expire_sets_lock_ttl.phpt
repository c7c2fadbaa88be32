--TEST--
compat: with phpredis owning the INI names, redis.session.lock_expire set by -d is the TTL of our lock key (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
$cases = [
    'redis' => [rs_standalone_path(['timeout' => 2]), rs_resp(), RS_PREFIX, fn ($k) => "{$k}_LOCK"],
    'rediscluster' => [rs_cluster_path(['timeout' => 2]), rs_resp_cluster(), RS_CLUSTER_PREFIX, fn ($k) => "{{$k}}_LOCK"],
];
foreach ($cases as $handler => [$path, $conn, $prefix, $lock_of]) {
    $id = rs_new_id();
    $lock = $lock_of($prefix . $id);
    $ini = ['session.save_handler' => $handler, 'session.save_path' => $path,
        'redis.session.locking_enabled' => '1', 'redis.session.lock_expire' => '7'];
    $cmd = rs_child_cmd(rs_worker(), ['hold', $id, 1500], $ini, ['before' => rs_phpredis_args()]);
    $pipes = [];
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    // wait (bounded) until the child holds the lock, then read its TTL
    $pttl = -2;
    $deadline = microtime(true) + 5;
    while ($pttl === -2 && microtime(true) < $deadline) {
        usleep(10000);
        $pttl = $conn->cmd('PTTL', $lock);
    }
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    proc_close($p);
    $o = json_decode($out, true);
    printf("%s: lock TTL in (6000, 7000] ms: %s; holder ok=%s warnings=%d%s\n", $handler,
        $pttl > 6000 && $pttl <= 7000 ? 'yes' : "NO ($pttl)", var_export($o['ok'] ?? null, true),
        count($o['warnings'] ?? []), $err !== '' ? " stderr: $err" : '');
    var_dump($conn->cmd('EXISTS', $lock));   // released at close
    $conn->cmd('DEL', $prefix . $id);
}
?>
--EXPECT--
redis: lock TTL in (6000, 7000] ms: yes; holder ok=true warnings=0
int(0)
rediscluster: lock TTL in (6000, 7000] ms: yes; holder ok=true warnings=0
int(0)
