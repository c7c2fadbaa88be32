--TEST--
harness: resp.inc talks RESP2 to the standalone server (TCP and unix socket)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_socket(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
$r = rs_resp();
$k = 'rs-harness:' . rs_new_id();
var_dump($r->cmd('PING'));
var_dump($r->cmd('SET', $k, "bin\r\n\0ary", 'EX', 60));
var_dump($r->cmd('GET', $k) === "bin\r\n\0ary");
var_dump($r->cmd('GET', $k . ':missing'));
var_dump($r->cmd('DEL', $k, $k . ':missing'));
var_dump($r->cmd('NO-SUCH-COMMAND') instanceof RespError);
var_dump($r->pipeline([['RPUSH', $k, 'a', 'b'], ['LRANGE', $k, 0, -1], ['DEL', $k]]));
$s = rs_resp_socket();
var_dump($s->cmd('PING'));
?>
--EXPECT--
string(4) "PONG"
string(2) "OK"
bool(true)
NULL
int(1)
bool(true)
array(3) {
  [0]=>
  int(2)
  [1]=>
  array(2) {
    [0]=>
    string(1) "a"
    [1]=>
    string(1) "b"
  }
  [2]=>
  int(1)
}
string(4) "PONG"
