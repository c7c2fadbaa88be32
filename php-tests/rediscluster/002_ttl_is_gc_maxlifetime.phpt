--TEST--
rediscluster: the session key expires after session.gc_maxlifetime
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]), ['session.gc_maxlifetime' => 777]);
$id = rs_new_id();
session_id($id);
session_start();
$_SESSION['x'] = str_repeat('y', 100);
session_write_close();
$c = rs_resp_cluster();
$ttl = $c->cmd('TTL', RS_CLUSTER_PREFIX . $id);
var_dump($ttl > 700 && $ttl <= 777);
$c->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
bool(true)
