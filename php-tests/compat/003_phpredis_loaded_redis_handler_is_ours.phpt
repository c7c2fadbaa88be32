--TEST--
compat: with phpredis loaded, the redis handler is ours: a save_path typo phpredis would ignore is refused with our warning
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
$id = rs_new_id();
$typo = ['session.save_handler' => 'redis', 'session.save_path' => rs_standalone_path(['timout' => 2])];
// phpredis alone ignores the unknown option and stores the session
$r = rs_run_child(rs_child_cmd(rs_worker(), ['write', $id, 'by', 'phpredis'], $typo,
    ['extension' => false, 'before' => rs_phpredis_args()]), 20);
$o = json_decode($r['stdout'], true);
var_dump($o['started'], rs_resp()->cmd('DEL', RS_PREFIX . $id));
// with ours loaded after it, the name runs our handler, which refuses the typo
$r = rs_run_child(rs_child_cmd(rs_worker(), ['write', $id, 'k', 'v'], $typo, ['before' => rs_phpredis_args()]), 20);
$o = json_decode($r['stdout'], true);
var_dump($o['started'], $o['warnings']);
var_dump(rs_resp()->cmd('EXISTS', RS_PREFIX . $id));
// the same path without the typo works, through our handler, with phpredis still loaded
$ok = ['session.save_handler' => 'redis', 'session.save_path' => rs_standalone_path(['timeout' => 2])];
$r = rs_run_child(rs_child_cmd(rs_worker(), ['write', $id, 'k', 'v'], $ok, ['before' => rs_phpredis_args()]), 20);
$o = json_decode($r['stdout'], true);
var_dump($o['started'], $o['warnings'], rs_resp()->cmd('GET', RS_PREFIX . $id));
rs_resp()->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECTF--
bool(true)
int(1)
bool(false)
array(2) {
  [0]=>
  string(%d) "session_start(): redis: open: malformed session.save_path: 'timout' unknown option"
  [1]=>
  string(%d) "session_start(): Failed to initialize storage module: redis (path: tcp://%s:%d?timout=2)"
}
int(0)
bool(true)
array(0) {
}
string(10) "k|s:1:"v";"
