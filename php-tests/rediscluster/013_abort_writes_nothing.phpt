--TEST--
rediscluster: session_abort() discards changes: the stored value and TTL stay as they were
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
session_start();
$_SESSION['a'] = 99;
var_dump(session_abort());
var_dump($r->cmd('GET', RS_CLUSTER_PREFIX . $id));
$ttl = $r->cmd('TTL', RS_CLUSTER_PREFIX . $id);
var_dump($ttl > 90 && $ttl <= 100);
// a new session aborted leaves no key at all
$new = rs_new_id();
session_id($new);
session_start();
$_SESSION['x'] = 1;
session_abort();
var_dump($r->cmd('EXISTS', RS_CLUSTER_PREFIX . $new));
$r->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
bool(true)
string(6) "a|i:1;"
bool(true)
int(0)
