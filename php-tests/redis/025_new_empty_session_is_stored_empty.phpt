--TEST--
redis: a new session closed with no data is stored as an empty string with the TTL, as phpredis does (PHP up to 8.5; PHP 8.6 asks only for update_timestamp then, and nothing is stored, as with phpredis)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]), ['session.gc_maxlifetime' => 600]);
$id = rs_new_id();
session_id($id);
var_dump(session_start(), $_SESSION);
var_dump(session_write_close());
$r = rs_resp();
$stored = $r->cmd('GET', RS_PREFIX . $id);
$ttl = $r->cmd('TTL', RS_PREFIX . $id);
var_dump($stored === rs_new_empty_session_stored());
var_dump($stored === null ? $ttl === -2 : ($ttl > 590 && $ttl <= 600));
$r->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
array(0) {
}
bool(true)
bool(true)
bool(true)
