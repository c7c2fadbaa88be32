--TEST--
redis: session_destroy() deletes the session key
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$r = rs_resp();
$id = rs_new_id();
session_id($id);
session_start();
$_SESSION['a'] = 'b';
session_write_close();
var_dump($r->cmd('EXISTS', RS_PREFIX . $id));
session_id($id);
session_start();
var_dump(session_destroy());
var_dump($r->cmd('EXISTS', RS_PREFIX . $id));
// nothing is written back at the end of the request either
session_write_close();
var_dump($r->cmd('EXISTS', RS_PREFIX . $id));
?>
--EXPECT--
int(1)
bool(true)
int(0)
int(0)
