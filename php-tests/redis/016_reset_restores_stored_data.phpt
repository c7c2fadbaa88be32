--TEST--
redis: session_reset() reloads $_SESSION from the stored data
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$r = rs_resp();
$id = rs_new_id();
$r->cmd('SET', RS_PREFIX . $id, 'a|i:1;', 'EX', 600);
session_id($id);
session_start();
$_SESSION['a'] = 5;
$_SESSION['b'] = 6;
var_dump(session_reset());
var_dump($_SESSION);
session_write_close();
var_dump($r->cmd('GET', RS_PREFIX . $id));
$r->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
string(6) "a|i:1;"
