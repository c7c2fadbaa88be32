--TEST--
compat: with phpredis owning redis.session.lock_retries (no validation there), a value phpredis misreads is reported by our handler at session_start and read as phpredis reads it (here 0 = 100 attempts)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
$id = rs_new_id();
$ini = ['session.save_handler' => 'redis', 'session.save_path' => rs_standalone_path(['timeout' => 2]),
    'redis.session.lock_retries' => 'lots', 'redis.session.locking_enabled' => '1'];
$r = rs_run_child(rs_child_cmd(rs_worker(), ['write', $id, 'k', 'v'], $ini, ['before' => rs_phpredis_args()]), 20);
$o = json_decode($r['stdout'], true);
var_dump($o['started'], $o['closed'], $o['warnings'], $r['stderr']);
var_dump(rs_resp()->cmd('GET', RS_PREFIX . $id));
rs_resp()->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECTF--
bool(true)
bool(true)
array(1) {
  [0]=>
  string(%d) "session_start(): redis.session.lock_retries='lots' is not a plain number: phpredis reads it as 0 (100 attempts, at most %d ms), and so does redis_session; write the number you mean"
}
string(0) ""
string(10) "k|s:1:"v";"
