--TEST--
ini: redis.session.* changed with ini_set() at run time applies to the next session_start() (locking on, then off)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$r = rs_resp();
$id = rs_new_id();
$lock = RS_PREFIX . $id . '_LOCK';
foreach (['1', '0', 'On', 'off'] as $v) {
    var_dump(ini_set('redis.session.locking_enabled', $v) !== false);
    session_id($id);
    session_start();
    echo "locking_enabled=$v: lock key while open: ", $r->cmd('EXISTS', $lock), "\n";
    session_write_close();
    echo "  after close: ", $r->cmd('EXISTS', $lock), "\n";
}
$r->cmd('DEL', RS_PREFIX . $id);
ob_end_flush();
?>
--EXPECTF--
bool(true)
locking_enabled=1: lock key while open: 1
  after close: 0
bool(true)
locking_enabled=0: lock key while open: 0
  after close: 0
bool(true)

Warning: session_start(): redis.session.locking_enabled='On' is not a number: phpredis reads it as 0 (off), redis_session reads it as on, as php.ini does; write 1 in %s on line %d
locking_enabled=On: lock key while open: 1
  after close: 0
bool(true)
locking_enabled=off: lock key while open: 0
  after close: 0
