--TEST--
rediscluster: a session is stored as PHPREDIS_CLUSTER_SESSION:<id> on its slot owner and reads back
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2, 'read_timeout' => 2]));
$id = rs_new_id();
session_id($id);
var_dump(session_start());
$_SESSION['a'] = 1;
var_dump(session_write_close());

$c = rs_resp_cluster();
$key = RS_CLUSTER_PREFIX . $id;
var_dump($c->cmd('GET', $key));
// stored on the master that owns the key's slot
var_dump($c->node($c->owner($key))->cmd('EXISTS', $key));

session_id($id);
var_dump(session_start());
var_dump($_SESSION);
session_write_close();
$c->cmd('DEL', $key);
?>
--EXPECT--
bool(true)
bool(true)
string(6) "a|i:1;"
int(1)
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
