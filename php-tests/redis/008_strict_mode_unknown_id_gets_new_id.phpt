--TEST--
redis: with session.use_strict_mode=1 an unknown session id is replaced by a new one
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]), ['session.use_strict_mode' => 1]);
$r = rs_resp();
$unknown = rs_new_id();
session_id($unknown);
var_dump(session_start());
$new = session_id();
var_dump($new !== $unknown, strlen($new) === (int) ini_get('session.sid_length'));
$_SESSION['a'] = 1;
var_dump(session_write_close());
// the data went to the new id; the id the client offered was never created
var_dump($r->cmd('GET', RS_PREFIX . $new));
var_dump($r->cmd('EXISTS', RS_PREFIX . $unknown));
$r->cmd('DEL', RS_PREFIX . $new);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
string(6) "a|i:1;"
int(0)
