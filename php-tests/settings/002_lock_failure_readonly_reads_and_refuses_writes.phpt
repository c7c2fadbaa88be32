--TEST--
settings: redis.session.lock_failure_readonly=1 (phpredis 6.3): when the lock is not had in time the session is read anyway with a warning saying it is read only, and its write (and destroy) is refused with a warning, the stored data and the other request's lock untouched; =0: session_start() fails; both handlers
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
$targets = [
    'redis' => [rs_standalone_path(['timeout' => 2]), rs_resp(), RS_PREFIX, fn ($k) => $k . '_LOCK'],
    'rediscluster' => [rs_cluster_path(['timeout' => 2]), rs_resp_cluster(), RS_CLUSTER_PREFIX, fn ($k) => '{' . $k . '}_LOCK'],
];
$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) { $warnings[] = $msg; return true; });
ob_start();
foreach ($targets as $handler => [$path, $r, $prefix, $lockOf]) {
    foreach (['1', '0'] as $ro) {
        rs_session_setup($handler, $path, ['redis.session.locking_enabled' => '1',
            'redis.session.lock_failure_readonly' => $ro, 'redis.session.lock_retries' => '3',
            'redis.session.lock_wait_time' => '10000']);
        $id = rs_new_id();
        $key = $prefix . $id;
        $r->cmd('SET', $key, 'n|i:5;', 'EX', '600');
        $r->cmd('SET', $lockOf($key), 'other-request', 'PX', '5000');
        $warnings = [];
        session_id($id);
        $started = session_start();
        $n = $_SESSION['n'] ?? null;
        $written = null;
        if ($started) {
            $_SESSION['n'] = 99;
            $written = session_write_close();
            session_id($id);
            session_start();
            $destroyed = session_destroy();
        }
        printf("%s readonly=%s: started %s, n=%s, write %s, destroy %s, stored %s, lock %s\n", $handler, $ro,
            var_export($started, true), var_export($n, true), var_export($written, true),
            var_export($destroyed ?? null, true), $r->cmd('GET', $key), $r->cmd('GET', $lockOf($key)));
        foreach ($warnings as $w) {
            $w = preg_replace(['/[0-9a-f]{26}|[0-9a-f]{4}\*#[0-9a-f]{8}/', '/waiting \d+ ms/', '/127\.0\.0\.1:\d+/', '/\(path: .*\)|\(tcp:.*\)|\(seed.*\)/'],
                ['ID', 'waiting N ms', 'H:P', '(...)'], $w);
            echo "  $w\n";
        }
        $destroyed = null;
        $r->cmd('DEL', $key, $lockOf($key));
    }
}
ob_end_flush();
?>
--EXPECT--
redis readonly=1: started true, n=5, write true, destroy false, stored n|i:5;, lock other-request
  session_start(): redis: could not acquire the session lock on PHPREDIS_SESSION:ID (H:P) after waiting N ms; session will be read only (redis.session.lock_failure_readonly=1): its writes are refused
  session_write_close(): redis: write of PHPREDIS_SESSION:ID (H:P) refused, the stored session is unchanged: the session is read only, another request held its lock (redis.session.lock_failure_readonly=1)
  session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (...)
  session_start(): redis: could not acquire the session lock on PHPREDIS_SESSION:ID (H:P) after waiting N ms; session will be read only (redis.session.lock_failure_readonly=1): its writes are refused
  session_destroy(): redis: destroy of PHPREDIS_SESSION:ID (H:P) refused, the stored session is unchanged: the session is read only, another request held its lock (redis.session.lock_failure_readonly=1)
  session_destroy(): Session object destruction failed
redis readonly=0: started false, n=NULL, write NULL, destroy NULL, stored n|i:5;, lock other-request
  session_start(): redis: could not acquire the session lock on PHPREDIS_SESSION:ID (H:P) after waiting N ms (3 attempts); another request holds it. Raise redis.session.lock_retries / lock_wait_time, or shorten the requests that hold the session
  session_start(): Failed to read session data: redis (...)
rediscluster readonly=1: started true, n=5, write true, destroy false, stored n|i:5;, lock other-request
  session_start(): rediscluster: could not acquire the session lock on PHPREDIS_CLUSTER_SESSION:ID (H:P) after waiting N ms; session will be read only (redis.session.lock_failure_readonly=1): its writes are refused
  session_write_close(): rediscluster: write of PHPREDIS_CLUSTER_SESSION:ID (H:P) refused, the stored session is unchanged: the session is read only, another request held its lock (redis.session.lock_failure_readonly=1)
  session_write_close(): Failed to write session data (rediscluster). Please verify that the current setting of session.save_path is correct (...)
  session_start(): rediscluster: could not acquire the session lock on PHPREDIS_CLUSTER_SESSION:ID (H:P) after waiting N ms; session will be read only (redis.session.lock_failure_readonly=1): its writes are refused
  session_destroy(): rediscluster: destroy of PHPREDIS_CLUSTER_SESSION:ID (H:P) refused, the stored session is unchanged: the session is read only, another request held its lock (redis.session.lock_failure_readonly=1)
  session_destroy(): Session object destruction failed
rediscluster readonly=0: started false, n=NULL, write NULL, destroy NULL, stored n|i:5;, lock other-request
  session_start(): rediscluster: could not acquire the session lock on PHPREDIS_CLUSTER_SESSION:ID (H:P) after waiting N ms (3 attempts); another request holds it. Raise redis.session.lock_retries / lock_wait_time, or shorten the requests that hold the session
  session_start(): Failed to read session data: rediscluster (...)
