--TEST--
save_path redis: auth=<wrong pass> for the default user fails session_start() with a warning that never shows it
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
require __DIR__ . '/../inc/private_server.inc';
$srv = rs_private_server();
$pass = rs_awkward_password();
$srv->resp()->cmd('CONFIG', 'SET', 'requirepass', $pass);
$wrong = rs_awkward_password();
ob_start();
rs_session_setup('redis', 'unix://' . $srv->socket . '?auth=' . rawurlencode($wrong) . '&timeout=2');
session_id(rs_new_id());
var_dump(session_start());
$out = ob_get_clean();
$srv->stop();
echo str_replace($srv->socket, '<SOCKET>', rs_redact($out, [$wrong]));
echo rs_leak_report($out, [$wrong, rawurlencode($wrong), substr($wrong, -8), $pass, substr($pass, -8)]);
?>
--EXPECTF--
Warning: session_start(): redis: connect on unix:<SOCKET>: authentication failed%S (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: unix://<SOCKET>?auth=***&timeout=2) in %s on line %d
bool(false)
leaked: none
