--TEST--
failure: with use_strict_mode=1 and the server out of reach, a returning visitor's id is not replaced by a new, empty session: session_start() returns false with a warning naming the server and the visitor's session (no other, new session is tried); locking on and off, both handlers
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
        rs_session_setup($handler, $path, ['redis.session.locking_enabled' => $locking, 'session.use_strict_mode' => '1']);
        $id = rs_new_id();
        session_id($id);
        rs_capture_warnings();
        $ok = session_start();
        restore_error_handler();
        $ws = rs_take_warnings();
        $named = count(array_filter($ws, fn ($w) => str_contains($w, "127.0.0.1:$port"))) > 0;
        $tag = rs_key_tag(($handler === 'redis' ? RS_PREFIX : RS_CLUSTER_PREFIX) . $id);
        $keys = array_filter($ws, fn ($w) => str_contains($w, 'session key '));
        $only = $keys && count(array_filter($keys, fn ($w) => !str_contains($w, $tag))) === 0;
        echo "$handler locking=$locking: start ", var_export($ok, true), ", only the visitor's session named: ", var_export($only, true),
            ", warning names the server: ", var_export($named, true), "\n";
    }
}
echo ob_get_clean();
?>
--EXPECT--
redis locking=0: start false, only the visitor's session named: true, warning names the server: true
redis locking=1: start false, only the visitor's session named: true, warning names the server: true
rediscluster locking=0: start false, only the visitor's session named: true, warning names the server: true
rediscluster locking=1: start false, only the visitor's session named: true, warning names the server: true
