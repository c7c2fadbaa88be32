--TEST--
redis: the session key's TTL is session.gc_maxlifetime
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
// in the CLI, output counts as sent headers and freezes session INI: buffer it
ob_start();
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]), ['session.gc_maxlifetime' => 777]);
$id = rs_new_id();
session_id($id);
session_start();
$_SESSION['x'] = 1;
var_dump(session_write_close());
$r = rs_resp();
$ttl = $r->cmd('PTTL', RS_PREFIX . $id);
var_dump($ttl > 770000 && $ttl <= 777000);
// a later request with another gc_maxlifetime sets that TTL
ini_set('session.gc_maxlifetime', '5000');
session_id($id);
session_start();
$_SESSION['x'] = 2;
session_write_close();
$ttl = $r->cmd('PTTL', RS_PREFIX . $id);
var_dump($ttl > 4990000 && $ttl <= 5000000);
$r->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
