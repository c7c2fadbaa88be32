--TEST--
redis: a session id outside PHP's id alphabet is refused with a warning and never sent to the server
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$base = rs_new_id();
foreach (["$base.x", "$base{x}", "$base*"] as $id) {
    session_id($id);
    var_dump(session_start());
    var_dump(rs_resp()->cmd('EXISTS', RS_PREFIX . $id));
}
ob_end_flush();
?>
--EXPECTF--
Warning: session_start(): redis: read: session id refused: it must be 1-256 characters of a-z A-Z 0-9 , - (nothing was sent to the server) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://%s:%d?timeout=2) in %s on line %d
bool(false)
int(0)

Warning: session_start(): redis: read: session id refused: %s

Warning: session_start(): Failed to read session data: redis (path: %s) in %s on line %d
bool(false)
int(0)

Warning: session_start(): redis: read: session id refused: %s

Warning: session_start(): Failed to read session data: redis (path: %s) in %s on line %d
bool(false)
int(0)
