--TEST--
save_path rediscluster: auth[]=user&auth[]=pass (ACL user, awkward password percent-encoded) logs in on every master
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_acl(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$nodes = rs_cluster_node_conns();
$pass = rs_awkward_password();
$user = rs_acl_setuser($nodes, $pass);
// the user may only touch RSACL:* keys, so a handler logged in as `default` would not show
foreach ($nodes as $n) {
    $n->cmd('ACL', 'SETUSER', $user, 'resetkeys', '~RSACL:*', '~{RSACL:*');
}
$c = rs_resp_cluster();
$ids = [];   // one session on each master
while (count($ids) < count($c->masters())) {
    $id = rs_new_id();
    $ids[$c->owner("RSACL:$id")] ??= $id;
}
ob_start();
$auth = "$user&auth[]=" . rawurlencode($pass);
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2, 'prefix' => 'RSACL:', 'auth[]' => $auth]));
$ok = 0;
foreach ($ids as $owner => $id) {
    session_id($id);
    $started = session_start();
    $_SESSION['on'] = $owner;
    $closed = session_write_close();
    if ($started && $closed && $c->cmd('GET', "RSACL:$id") === 'on|' . serialize($owner)) {
        $ok++;
    }
    $c->cmd('DEL', "RSACL:$id");
}
echo count($ids), " masters, $ok sessions stored\n";
// and with the default prefix, outside the user's keys: refused
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2, 'auth[]' => $auth]));
session_id(rs_new_id());
var_dump(session_start());
$out = ob_get_clean();
rs_acl_deluser($nodes, $user);
echo str_replace($user, '<USER>', rs_redact($out, [$pass, rawurlencode($pass)]));
echo rs_leak_report($out, [$pass, rawurlencode($pass), substr($pass, -8)]);
?>
--EXPECTF--
3 masters, 3 sessions stored

Warning: session_start(): rediscluster: %s on %s:%d: %SNOPERM%s (session key PHPREDIS_CLUSTER_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: rediscluster (path: seed[]=%s&timeout=2&auth[]=***&auth[]=***) in %s on line %d
bool(false)
leaked: none
