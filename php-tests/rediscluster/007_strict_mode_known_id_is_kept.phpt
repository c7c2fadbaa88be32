--TEST--
rediscluster: with session.use_strict_mode=1 the id of an existing session is kept and its data read
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]), ['session.use_strict_mode' => 1]);
$r = rs_resp_cluster();
$id = rs_new_id();
var_dump($r->cmd('SET', RS_CLUSTER_PREFIX . $id, 'who|s:5:"alice";', 'EX', 600));
session_id($id);
var_dump(session_start());
var_dump(session_id() === $id, $_SESSION);
$_SESSION['n'] = 2;
session_write_close();
var_dump($r->cmd('GET', RS_CLUSTER_PREFIX . $id));
$r->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
string(2) "OK"
bool(true)
bool(true)
array(1) {
  ["who"]=>
  string(5) "alice"
}
string(22) "who|s:5:"alice";n|i:2;"
