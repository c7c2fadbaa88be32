--TEST--
save_path: after a failure PHP's own message shows the path without the password, a session restarted in the same request still authenticates with the real one, and a save_path changed after a failure is used and hidden in turn (every PHP version: save_path is a char * up to 8.4, a zend_string from 8.5)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$r = rs_resp();
$pass = rs_awkward_password();
$enc = rawurlencode($pass);
$user = rs_acl_setuser([$r], $pass);
$path = rs_standalone_path(['auth[]' => "$user&auth[]=$enc"]);
$id = rs_new_id();
$id2 = rs_new_id();
$r->cmd('HSET', RS_PREFIX . $id, 'f', 'v');     // a key of the wrong type: read fails
$r->cmd('HSET', RS_PREFIX . $id2, 'f', 'v');
ob_start();   // the CLI refuses session INI changes once output was sent
rs_session_setup('redis', $path);

echo "-- a failure: PHP quotes save_path\n";
session_id($id);
var_dump(session_start());
echo 'session_save_path(): ', session_save_path(), "\n";

echo "-- restarted in the same request: authenticates with the real password\n";
$r->cmd('DEL', RS_PREFIX . $id);
session_id($id);
var_dump(session_start());
$_SESSION['n'] = 1;
var_dump(session_write_close());

echo "-- save_path changed after the failure: the new one is used, and hidden in turn\n";
var_dump(ini_set('session.save_path', $path . '&timeout=3') !== false);
session_id($id2);
var_dump(session_start());
$r->cmd('DEL', RS_PREFIX . $id2);
session_id($id2);
var_dump(session_start());
$_SESSION['m'] = 2;
var_dump(session_write_close());
$out = ob_get_clean();
rs_acl_deluser([$r], $user);
echo str_replace($user, '<USER>', rs_redact($out, [$pass, $enc]));
echo rs_leak_report($out, [$pass, $enc, substr($pass, -8), substr($enc, -8)]);
var_dump($r->cmd('GET', RS_PREFIX . $id), $r->cmd('EXISTS', RS_PREFIX . $id2));
$r->cmd('DEL', RS_PREFIX . $id, RS_PREFIX . $id2);
?>
--EXPECTF--
-- a failure: PHP quotes save_path

Warning: session_start(): redis: read on %s:%d: WRONGTYPE %s in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://%s:%d?auth[]=***&auth[]=***) in %s on line %d
bool(false)
session_save_path(): tcp://%s:%d?auth[]=***&auth[]=***
-- restarted in the same request: authenticates with the real password
bool(true)
bool(true)
-- save_path changed after the failure: the new one is used, and hidden in turn
bool(true)

Warning: session_start(): redis: read on %s:%d: WRONGTYPE %s in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://%s:%d?auth[]=***&auth[]=***&timeout=3) in %s on line %d
bool(false)
bool(true)
bool(true)
leaked: none
string(6) "n|i:1;"
int(1)
