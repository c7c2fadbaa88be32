--TEST--
rediscluster: session_destroy() deletes the session key
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]));
$id = rs_new_id();
session_id($id);
session_start();
$_SESSION['a'] = 'b';
session_write_close();
$c = rs_resp_cluster();
var_dump($c->cmd('EXISTS', RS_CLUSTER_PREFIX . $id));
session_id($id);
session_start();
var_dump(session_destroy());
var_dump($c->cmd('EXISTS', RS_CLUSTER_PREFIX . $id));
?>
--EXPECT--
int(1)
bool(true)
int(0)
