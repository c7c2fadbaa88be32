--TEST--
redis: a session written through the handler is stored as PHPREDIS_SESSION:<id> and reads back
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]), ['session.gc_maxlifetime' => 1440]);
$id = rs_new_id();
session_id($id);
var_dump(session_start());
$_SESSION['a'] = 1;
var_dump(session_write_close());

$r = rs_resp();
var_dump($r->cmd('GET', RS_PREFIX . $id));
$ttl = $r->cmd('TTL', RS_PREFIX . $id);
var_dump($ttl > 1400 && $ttl <= 1440);

session_id($id);
var_dump(session_start());
var_dump($_SESSION);
session_write_close();
$r->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
bool(true)
string(6) "a|i:1;"
bool(true)
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
