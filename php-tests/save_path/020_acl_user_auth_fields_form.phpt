--TEST--
save_path redis: auth[user]=..&auth[pass]=.. logs in as an ACL user, password with & = # @ + % and a space percent-encoded
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_acl(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$r = rs_resp();
$pass = rs_awkward_password();
$user = rs_acl_setuser([$r], $pass);
// the user may only touch RSACL:* keys: a session elsewhere is refused, which proves the
// handler is logged in as this user and not as `default`
$r->cmd('ACL', 'SETUSER', $user, 'resetkeys', '~RSACL:*');
$auth = "$user&auth[pass]=" . rawurlencode($pass);
ob_start();
rs_session_setup('redis', rs_standalone_path(['timeout' => 2, 'prefix' => 'RSACL:', 'auth[user]' => $auth]));
$id = rs_new_id();
session_id($id);
var_dump(session_start());
$_SESSION['who'] = 'acl';
var_dump(session_write_close());
var_dump($r->cmd('GET', "RSACL:$id"));

rs_session_setup('redis', rs_standalone_path(['timeout' => 2, 'auth[user]' => $auth]));
session_id($id);
var_dump(session_start());
$out = ob_get_clean();
rs_acl_deluser([$r], $user);
$r->cmd('DEL', "RSACL:$id");
echo str_replace($user, '<USER>', rs_redact($out, [$pass, rawurlencode($pass)]));
echo rs_leak_report($out, [$pass, rawurlencode($pass), substr($pass, -8)]);
?>
--EXPECTF--
bool(true)
bool(true)
string(14) "who|s:3:"acl";"

Warning: session_start(): redis: read on %s:%d: %SNOPERM%s (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://%s:%d?timeout=2&auth[user]=***&auth[pass]=***) in %s on line %d
bool(false)
leaked: none
