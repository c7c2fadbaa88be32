--TEST--
save_path: every option phpredis's handlers accept works here without a warning: the redis handler's (weight, timeout, read_timeout, persistent, persistent_id, prefix, database, retry_interval, and failover and stream[...] on a plain connection, which phpredis ignores there) and the rediscluster handler's (seed[], timeout, read_timeout, persistent, prefix, failover, and retry_interval, weight, persistent_id, which phpredis ignores there)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) { $warnings[] = $msg; return true; });
ob_start();
$paths = [
    'redis' => 'tcp://' . rs_host() . ':' . rs_port() . '?weight=2&timeout=2.5&read_timeout=2&persistent=1'
        . '&persistent_id=pool_a&prefix=PHPREDIS_SESSION:&database=0&retry_interval=100&failover=error'
        . '&stream[verify_peer]=0',
    'rediscluster' => rs_cluster_path(['timeout' => '2.5', 'read_timeout' => '2', 'persistent' => '1',
        'prefix' => 'PHPREDIS_CLUSTER_SESSION:', 'failover' => 'distribute', 'retry_interval' => '100',
        'weight' => '1', 'persistent_id' => 'pool_b']),
];
foreach ($paths as $handler => $path) {
    foreach (['0', '1'] as $locking) {
        rs_session_setup($handler, $path, ['redis.session.locking_enabled' => $locking]);
        $id = rs_new_id();
        session_id($id);
        $ok = session_start();
        $_SESSION['h'] = $handler;
        $closed = session_write_close();
        session_id($id);
        session_start();
        $back = ($_SESSION['h'] ?? null) === $handler;
        session_destroy();
        printf("%s locking=%s: start %s, close %s, read back %s\n", $handler, $locking,
            var_export($ok, true), var_export($closed, true), var_export($back, true));
    }
}
ob_end_flush();
echo "warnings: ", json_encode($warnings), "\n";
?>
--EXPECT--
redis locking=0: start true, close true, read back true
redis locking=1: start true, close true, read back true
rediscluster locking=0: start true, close true, read back true
rediscluster locking=1: start true, close true, read back true
warnings: []
