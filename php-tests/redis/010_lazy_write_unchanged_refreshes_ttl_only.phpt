--TEST--
redis: with session.lazy_write=1 unchanged data is not rewritten, only its TTL refreshed
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]),
    ['session.lazy_write' => 1, 'session.gc_maxlifetime' => 1440]);
$r = rs_resp();
$key = RS_PREFIX . rs_new_id();
$id = substr($key, strlen(RS_PREFIX));
$r->cmd('SET', $key, 'a|i:1;', 'EX', 100);
session_id($id);
var_dump(session_start(), $_SESSION);
// a concurrent request changes the stored value after our read; since our data did not
// change, close must only touch the TTL (a write would put our copy back)
$r->cmd('SET', $key, 'a|i:2;', 'EX', 100);
var_dump(session_write_close());
var_dump($r->cmd('GET', $key));
$ttl = $r->cmd('TTL', $key);
var_dump($ttl > 1400 && $ttl <= 1440);
$r->cmd('DEL', $key);
?>
--EXPECT--
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
bool(true)
string(6) "a|i:2;"
bool(true)
