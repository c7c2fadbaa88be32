--TEST--
harness: private_server.inc starts a throw-away server on a unix socket, and stop() ends exactly that process and removes its directory
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; if (!rs_env('REDIS_SESSION_SERVER_BIN')) rs_skip('REDIS_SESSION_SERVER_BIN not set'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/private_server.inc';
$s = rs_private_server();
var_dump($s->resp()->cmd('PING'));
var_dump($s->resp()->cmd('CONFIG', 'GET', 'port'));
var_dump(file_exists("/proc/{$s->pid}"), is_dir($s->dir));
$s->stop();
// reaped and gone; its directory too
var_dump(file_exists("/proc/{$s->pid}"), is_dir($s->dir));
$s->stop();   // twice is harmless
echo "done\n";
?>
--EXPECT--
string(4) "PONG"
array(2) {
  [0]=>
  string(4) "port"
  [1]=>
  string(1) "0"
}
bool(true)
bool(true)
bool(false)
bool(false)
done
