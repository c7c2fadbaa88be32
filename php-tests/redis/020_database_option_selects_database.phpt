--TEST--
redis: save_path option database=N stores the session in database N (and reads it from there)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['database' => 7, 'timeout' => 2]));
$id = rs_new_id();
session_id($id);
var_dump(session_start());
$_SESSION['db'] = 7;
var_dump(session_write_close());
$r = rs_resp();
var_dump($r->cmd('EXISTS', RS_PREFIX . $id));     // not in database 0
var_dump($r->cmd('SELECT', 7));
var_dump($r->cmd('GET', RS_PREFIX . $id));
// a value placed in database 7 is what the handler reads
$r->cmd('SET', RS_PREFIX . $id, 'db|s:5:"seven";', 'EX', 600);
session_id($id);
session_start();
var_dump($_SESSION);
session_write_close();
var_dump($r->cmd('DEL', RS_PREFIX . $id));
?>
--EXPECT--
bool(true)
bool(true)
int(0)
string(2) "OK"
string(7) "db|i:7;"
array(1) {
  ["db"]=>
  string(5) "seven"
}
int(1)
