--TEST--
rediscluster: session_start(['read_and_close' => true]) reads the data and writes nothing back
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]), ['session.gc_maxlifetime' => 1440]);
$r = rs_resp_cluster();
$id = rs_new_id();
$r->cmd('SET', RS_CLUSTER_PREFIX . $id, 'a|i:1;', 'EX', 100);
session_id($id);
var_dump(session_start(['read_and_close' => true]));
var_dump(session_status() === PHP_SESSION_NONE, $_SESSION);
$_SESSION['a'] = 2;
var_dump($r->cmd('GET', RS_CLUSTER_PREFIX . $id));
// not even the TTL was touched
$ttl = $r->cmd('TTL', RS_CLUSTER_PREFIX . $id);
var_dump($ttl > 90 && $ttl <= 100);
$r->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
bool(true)
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
string(6) "a|i:1;"
bool(true)
