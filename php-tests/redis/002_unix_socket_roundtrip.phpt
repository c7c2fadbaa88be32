--TEST--
redis: save_path unix:///path.sock stores and reads the session over the unix socket
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_socket(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_socket_path());
$id = rs_new_id();
session_id($id);
var_dump(session_start());
$_SESSION['via'] = 'socket';
var_dump(session_write_close());
// the socket belongs to standalone server #1: the key is visible over TCP
var_dump(rs_resp()->cmd('GET', RS_PREFIX . $id));
rs_resp()->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
bool(true)
string(17) "via|s:6:"socket";"
