--TEST--
failure: an ACL user without +@scripting: with locking session_start() fails with a warning naming NOPERM (Lua is needed for the lock) and nothing is written; without locking the same user reads and writes sessions (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); rs_skip_if_no_acl(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
require __DIR__ . '/../inc/lock.inc';
$pass = 'noLua' . bin2hex(random_bytes(6));
$conns = ['redis' => [rs_resp()], 'rediscluster' => rs_cluster_node_conns()];
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    $user = rs_acl_setuser($conns[$handler], $pass);
    foreach ($conns[$handler] as $c) {
        $c->cmd('ACL', 'SETUSER', $user, '-@scripting');   // every command but EVAL/EVALSHA/SCRIPT...
    }
    $auth = "$user&auth[]=$pass";
    $h = rs_lk($handler, ['timeout' => 2, 'read_timeout' => 2, 'auth[]' => $auth]);
    foreach (['1' => 'with locking', '0' => 'without locking'] as $locking => $case) {
        rs_session_setup($h->handler, $h->path, ['redis.session.locking_enabled' => $locking]);
        $id = rs_new_id();
        $h->r->cmd('SET', $h->data($id), 'n|i:1;', 'EX', 300);
        session_id($id);
        rs_capture_warnings();
        $ok = session_start();
        if ($ok) {
            $_SESSION['n']++;
            session_write_close();
        }
        restore_error_handler();
        echo "$handler, $case: session_start ", var_export($ok, true), ", stored ", $h->r->cmd('GET', $h->data($id)),
            ", lock ", $h->r->cmd('EXISTS', $h->lock($id)), "\n";
        foreach (rs_take_warnings() as $w) {
            echo "  ", preg_replace(['/127\.0\.0\.1:\d+/', '/auth\[\]=\*\*\*&auth\[\]=\*\*\*/'], ['<node>', '<auth>'],
                str_replace($user, '<user>', rs_hide_id($w, $id))), "\n";
        }
        $h->cleanup($id);
    }
    rs_acl_deluser($conns[$handler], $user);
}
$out = ob_get_clean();
echo $out, rs_leak_report($out, [$pass]);
?>
--EXPECTF--
redis, with locking: session_start false, stored n|i:1;, lock 0
  session_start(): redis: lock on <node>: NOPERM %s (session key PHPREDIS_SESSION:<id>)
  session_start(): Failed to read session data: redis (path: tcp://<node>?timeout=2&read_timeout=2&<auth>)
redis, without locking: session_start true, stored n|i:2;, lock 0
rediscluster, with locking: session_start false, stored n|i:1;, lock 0
  session_start(): rediscluster: lock on <node>: NOPERM %s (session key PHPREDIS_CLUSTER_SESSION:<id>)
  session_start(): Failed to read session data: rediscluster (path: seed[]=<node>&seed[]=<node>&seed[]=<node>&timeout=2&read_timeout=2&<auth>)
rediscluster, without locking: session_start true, stored n|i:2;, lock 0
leaked: none
