--TEST--
ini: values phpredis itself misreads (text that is not a number, unknown names) are accepted, used as phpredis reads them, and warned about at session_start() with what phpredis does
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
ob_start();
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$set = [
    'redis.session.locking_enabled' => 'yes',        // phpredis: 0 (off); we: on (as php.ini reads it)
    'redis.session.lock_retries' => 'lots',          // phpredis: 0 = 100
    'redis.session.lock_wait_time' => '5ms',         // phpredis: 5
    'redis.session.lock_release_cmd' => 'UNLINK',    // phpredis: eval
    'redis.session.compression' => 'lz4hc',          // phpredis: lz4 (first letters)
];
foreach ($set as $k => $v) var_dump(ini_set($k, $v) !== false);
$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) { $warnings[] = $msg; return true; });
$id = rs_new_id();
session_id($id);
var_dump(session_start());
$lock = rs_resp()->cmd('EXISTS', RS_PREFIX . $id . '_LOCK');
$_SESSION['x'] = str_repeat('compressible ', 400);
session_write_close();
restore_error_handler();
ob_end_flush();
echo "locked while open: $lock\n";
echo "stored as lz4: ", var_export(substr(rs_resp()->cmd('GET', RS_PREFIX . $id), 0, 4) === "\xFFRSZ", true), "\n";
foreach ($warnings as $w) echo $w, "\n";
rs_resp()->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
locked while open: 1
stored as lz4: true
session_start(): redis.session.locking_enabled='yes' is not a number: phpredis reads it as 0 (off), redis_session reads it as on, as php.ini does; write 1
session_start(): redis.session.lock_release_cmd='UNLINK' is not a known value: phpredis uses eval for it, and so does redis_session
session_start(): redis.session.compression='lz4hc' is read as lz4 (phpredis compares only its first letters, and so does redis_session); write lz4
session_start(): redis.session.lock_wait_time='5ms' is not a plain number: phpredis reads it as 5 (5 us), and so does redis_session; write the number you mean
session_start(): redis.session.lock_retries='lots' is not a plain number: phpredis reads it as 0 (100 attempts, at most 0 ms), and so does redis_session; write the number you mean
