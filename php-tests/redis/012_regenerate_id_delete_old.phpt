--TEST--
redis: session_regenerate_id(true) deletes the old key and stores the data under the new id
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$r = rs_resp();
$old = rs_new_id();
session_id($old);
session_start();
$_SESSION['a'] = 1;
session_write_close();
session_id($old);
session_start();
var_dump(session_regenerate_id(true));
$new = session_id();
var_dump($new !== $old);
var_dump($r->cmd('EXISTS', RS_PREFIX . $old));
$_SESSION['b'] = 2;
var_dump(session_write_close());
var_dump($r->cmd('EXISTS', RS_PREFIX . $old));
var_dump($r->cmd('GET', RS_PREFIX . $new));
$r->cmd('DEL', RS_PREFIX . $new);
?>
--EXPECT--
bool(true)
bool(true)
int(0)
bool(true)
int(0)
string(12) "a|i:1;b|i:2;"
