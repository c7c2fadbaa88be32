--TEST--
redis: save_path option prefix= replaces PHPREDIS_SESSION: in the key name (percent-decoded)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['prefix' => 'myapp%3Asess%7C', 'timeout' => 2]));
$id = rs_new_id();
session_id($id);
session_start();
$_SESSION['a'] = 1;
session_write_close();
$r = rs_resp();
var_dump($r->cmd('GET', "myapp:sess|$id"));
var_dump($r->cmd('EXISTS', RS_PREFIX . $id));
session_id($id);
session_start();
var_dump($_SESSION);
session_destroy();
var_dump($r->cmd('EXISTS', "myapp:sess|$id"));
?>
--EXPECT--
string(6) "a|i:1;"
int(0)
array(1) {
  ["a"]=>
  int(1)
}
int(0)
