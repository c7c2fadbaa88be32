--TEST--
redis: a session written by one php process is read by another (child runner)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
$ini = ['session.save_handler' => 'redis', 'session.save_path' => rs_standalone_path(['timeout' => 2])];
$id = rs_new_id();
$w = rs_run_child(rs_child_cmd(rs_worker(), ['write', $id, 'user', 'alice'], $ini), 20);
$r = rs_run_child(rs_child_cmd(rs_worker(), ['read', $id], $ini), 20);
foreach ([$w, $r] as $c) {
    if ($c['exit'] !== 0 || $c['stderr'] !== '') {
        var_dump($c);
    }
}
$read = json_decode($r['stdout'], true);
var_dump($read['started'], $read['session'], $read['warnings']);
var_dump(rs_resp()->cmd('GET', RS_PREFIX . $id));
rs_resp()->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
array(1) {
  ["user"]=>
  string(5) "alice"
}
array(0) {
}
string(17) "user|s:5:"alice";"
