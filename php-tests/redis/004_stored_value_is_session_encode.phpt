--TEST--
redis: the stored value is byte-identical to PHP's serialized session string (session_encode)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$id = rs_new_id();
session_id($id);
var_dump(session_start());
$_SESSION['str'] = "bin\0ary\r\n|;:\"'{}";
$_SESSION['utf8'] = "h\u{e9}llo \u{1f600}";
$_SESSION['int'] = -42;
$_SESSION['float'] = 1.5;
$_SESSION['bool'] = true;
$_SESSION['null'] = null;
$_SESSION['list'] = [1, 'two', [3 => 'three']];
$_SESSION['obj'] = new ArrayObject(['k' => 'v']);
$_SESSION['big'] = str_repeat('x', 100000);
$encoded = session_encode();
var_dump(session_write_close());

$stored = rs_resp()->cmd('GET', RS_PREFIX . $id);
var_dump(strlen($stored) === strlen($encoded), $stored === $encoded);
echo addcslashes(substr($stored, 0, 48), "\0..\37\177..\377"), "\n";

// and it reads back to the same values
session_id($id);
session_start();
var_dump($_SESSION['str'] === "bin\0ary\r\n|;:\"'{}", $_SESSION['utf8'] === "h\u{e9}llo \u{1f600}");
var_dump($_SESSION['list'], $_SESSION['obj']['k'], strlen($_SESSION['big']));
session_write_close();
rs_resp()->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
str|s:16:"bin\000ary\r\n|;:"'{}";utf8|s:11:"h\303\251llo \360\237
bool(true)
bool(true)
array(3) {
  [0]=>
  int(1)
  [1]=>
  string(3) "two"
  [2]=>
  array(1) {
    [3]=>
    string(5) "three"
  }
}
string(1) "v"
int(100000)
