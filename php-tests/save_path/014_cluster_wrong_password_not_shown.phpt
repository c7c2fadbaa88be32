--TEST--
save_path rediscluster: a wrong password (ACL user, auth[user]/auth[pass]) fails session_start() with a warning that never shows it
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_acl(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$nodes = rs_cluster_node_conns();
$pass = rs_awkward_password();
$user = rs_acl_setuser($nodes, $pass);
$wrong = rs_awkward_password();
ob_start();
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2,
    'auth[user]' => "$user&auth[pass]=" . rawurlencode($wrong)]));
$id = rs_new_id();
session_id($id);
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
$out = ob_get_clean();
rs_acl_deluser($nodes, $user);
echo str_replace($user, '<USER>', rs_redact($out, [$wrong, rawurlencode($wrong)]));
echo rs_leak_report($out, [$wrong, rawurlencode($wrong), substr($wrong, -8)]);
var_dump(rs_resp_cluster()->cmd('EXISTS', RS_CLUSTER_PREFIX . $id));
?>
--EXPECTF--
Warning: session_start(): rediscluster: connect on %s:%d: authentication failed%S (session key PHPREDIS_CLUSTER_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: rediscluster (path: seed[]=%s&timeout=2&auth[user]=***&auth[pass]=***) in %s on line %d
bool(false)
bool(true)
leaked: none
int(0)
