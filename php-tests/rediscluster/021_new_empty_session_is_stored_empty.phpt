--TEST--
rediscluster: a new session closed with no data is stored as an empty string with the TTL, as phpredis does
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]), ['session.gc_maxlifetime' => 600]);
$id = rs_new_id();
session_id($id);
var_dump(session_start(), $_SESSION);
var_dump(session_write_close());
$r = rs_resp_cluster();
var_dump($r->cmd('GET', RS_CLUSTER_PREFIX . $id));
$ttl = $r->cmd('TTL', RS_CLUSTER_PREFIX . $id);
var_dump($ttl > 590 && $ttl <= 600);
$r->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
bool(true)
array(0) {
}
bool(true)
string(0) ""
bool(true)
