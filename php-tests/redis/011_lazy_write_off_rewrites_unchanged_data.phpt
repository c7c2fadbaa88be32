--TEST--
redis: with session.lazy_write=0 unchanged data is written again at close
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]),
    ['session.lazy_write' => 0, 'session.gc_maxlifetime' => 1440]);
$r = rs_resp();
$id = rs_new_id();
$key = RS_PREFIX . $id;
$r->cmd('SET', $key, 'a|i:1;', 'EX', 100);
session_id($id);
session_start();
$r->cmd('SET', $key, 'a|i:2;', 'EX', 100);
var_dump(session_write_close());
var_dump($r->cmd('GET', $key));
$ttl = $r->cmd('TTL', $key);
var_dump($ttl > 1400 && $ttl <= 1440);
$r->cmd('DEL', $key);
?>
--EXPECT--
bool(true)
string(6) "a|i:1;"
bool(true)
