--TEST--
rediscluster: session_regenerate_id(false) keeps the old key (data as of the regenerate) and adds the new one
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]));
$r = rs_resp_cluster();
$old = rs_new_id();
session_id($old);
session_start();
$_SESSION['a'] = 1;
var_dump(session_regenerate_id(false));
$new = session_id();
var_dump($new !== $old);
$_SESSION['b'] = 2;
var_dump(session_write_close());
var_dump($r->cmd('GET', RS_CLUSTER_PREFIX . $old));
var_dump($r->cmd('GET', RS_CLUSTER_PREFIX . $new));
$r->cmd('DEL', RS_CLUSTER_PREFIX . $old);
$r->cmd('DEL', RS_CLUSTER_PREFIX . $new);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
string(6) "a|i:1;"
string(12) "a|i:1;b|i:2;"
