--TEST--
rediscluster: session_gc() returns int(0) and warns nothing (keys expire by TTL); session data survives
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
// in the CLI, output counts as sent headers and freezes session INI: buffer it
ob_start();
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]));
$id = rs_new_id();
session_id($id);
session_start();
$_SESSION['a'] = 1;
var_dump(session_gc());
session_write_close();
// also through PHP's own probability-driven gc at session start
ini_set('session.gc_probability', '1');
ini_set('session.gc_divisor', '1');
session_id($id);
var_dump(session_start(), $_SESSION);
session_write_close();
var_dump(rs_resp_cluster()->cmd('GET', RS_CLUSTER_PREFIX . $id));
rs_resp_cluster()->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
int(0)
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
string(6) "a|i:1;"
