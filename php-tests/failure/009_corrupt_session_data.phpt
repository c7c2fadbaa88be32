--TEST--
failure: stored data that is not PHP session serialization: only PHP's own decode warning, no crash; PHP destroys the session through the handler, which removes data and lock (both handlers, with and without locking)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
// PHP 8.2 answers a value it cannot decode with php_session_cancel_decode(): the warning
// below, then session destroy (our destroy callback), and session_start() returns false.
// So the key cannot stay untouched here; what the handler owes is a clean destroy.
$values = ['text' => 'a|i:1;garbage', 'binary' => "\x1f\x8b\x08\x00\xff\xfe|\x00\x01"];
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['0' => 'no lock', '1' => 'lock'] as $locking => $label) {
        rs_session_setup($h->handler, $h->path, ['redis.session.locking_enabled' => (string) $locking]);
        foreach ($values as $kind => $value) {
            $id = rs_new_id();
            $h->r->cmd('SET', $h->data($id), $value, 'EX', 300);
            session_id($id);
            rs_capture_warnings();
            $ok = session_start();
            restore_error_handler();
            $w = rs_take_warnings();
            printf("%s, %s, %s: start=%s, status=%d, warnings: %s\n", $handler, $label, $kind, var_export($ok, true),
                session_status(), implode(' | ', $w));
            echo "  data, lock: ", $h->r->cmd('EXISTS', $h->data($id)), ", ", $h->r->cmd('EXISTS', $h->lock($id)), "\n";
            $h->cleanup($id);
        }
    }
}
echo "the script continues\n";
?>
--EXPECT--
redis, no lock, text: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
redis, no lock, binary: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
redis, lock, text: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
redis, lock, binary: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
rediscluster, no lock, text: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
rediscluster, no lock, binary: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
rediscluster, lock, text: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
rediscluster, lock, binary: start=false, status=1, warnings: session_start(): Failed to decode session object. Session has been destroyed
  data, lock: 0, 0
the script continues
