--TEST--
failure: a new visitor (no session id) while the server is down: session_start() returns false with warnings (no "Failed to create session ID" fatal error), with locking on and off, for both handlers; the script goes on
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$port = rs_dead_port();
$paths = ['redis' => "tcp://127.0.0.1:$port?timeout=0.3&read_timeout=0.3",
          'rediscluster' => "seed[]=127.0.0.1:$port&timeout=0.3&read_timeout=0.3"];
foreach ($paths as $handler => $path) {
    foreach (['0', '1'] as $locking) {
        foreach (['0', '1'] as $strict) {
            rs_session_setup($handler, $path, ['redis.session.locking_enabled' => $locking, 'session.use_strict_mode' => $strict]);
            session_id('');
            rs_capture_warnings();
            try {
                $ok = session_start();
                $how = 'returned ' . var_export($ok, true);
            } catch (\Throwable $e) {
                $how = 'threw ' . get_class($e) . ': ' . $e->getMessage();
            }
            restore_error_handler();
            $ws = rs_take_warnings();
            $named = count(array_filter($ws, fn ($w) => str_contains($w, "127.0.0.1:$port"))) > 0;
            echo "$handler locking=$locking strict=$strict: $how, active: ",
                var_export(session_status() === PHP_SESSION_ACTIVE, true), ", warning names the server: ", var_export($named, true), "\n";
        }
    }
}
echo "the script continues\n";
echo ob_get_clean();
?>
--EXPECT--
redis locking=0 strict=0: returned false, active: false, warning names the server: true
redis locking=0 strict=1: returned false, active: false, warning names the server: true
redis locking=1 strict=0: returned false, active: false, warning names the server: true
redis locking=1 strict=1: returned false, active: false, warning names the server: true
rediscluster locking=0 strict=0: returned false, active: false, warning names the server: true
rediscluster locking=0 strict=1: returned false, active: false, warning names the server: true
rediscluster locking=1 strict=0: returned false, active: false, warning names the server: true
rediscluster locking=1 strict=1: returned false, active: false, warning names the server: true
the script continues
