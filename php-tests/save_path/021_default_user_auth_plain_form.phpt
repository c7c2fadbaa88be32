--TEST--
save_path redis: auth=<pass> logs in as the default user (private server with requirepass; password with & = # @ + % and a space)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
require __DIR__ . '/../inc/private_server.inc';
ob_start();   // in the CLI, output counts as sent headers and freezes session INI
// a password on `default` of a shared server would lock out every parallel test: own server
$srv = rs_private_server();
$pass = rs_awkward_password();
$admin = $srv->resp();
var_dump($admin->cmd('CONFIG', 'SET', 'requirepass', $pass));
if (version_compare(rs_server_version(), '6.0', '<')) {
    $admin->cmd('AUTH', $pass);   // before Redis 6 requirepass applies to open connections too
}
var_dump((new RespConn('unix://' . $srv->socket))->cmd('GET', 'x') instanceof RespError);   // NOAUTH now

foreach (['rawurlencode', 'urlencode'] as $encode) {   // space as %20 and as +
    rs_session_setup('redis', 'unix://' . $srv->socket . '?timeout=2&auth=' . $encode($pass));
    $id = rs_new_id();
    session_id($id);
    var_dump(session_start());
    $_SESSION['enc'] = $encode;
    var_dump(session_write_close());
    var_dump($admin->cmd('GET', RS_PREFIX . $id));
}
$out = ob_get_clean();
$srv->stop();
echo rs_redact($out, [$pass]), rs_leak_report($out, [$pass, rawurlencode($pass), urlencode($pass), substr($pass, -8)]);
?>
--EXPECT--
string(2) "OK"
bool(true)
bool(true)
bool(true)
string(24) "enc|s:12:"rawurlencode";"
bool(true)
bool(true)
string(20) "enc|s:9:"urlencode";"
leaked: none
