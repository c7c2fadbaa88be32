--TEST--
save_path: auth_file=<path> (with auth[user]=) and auth_env=<variable> keep the password out of save_path: sessions work on both handlers, ini_get('session.save_path') and every message are free of it, a rotated file is used by the next session_start() without a restart, and a missing file is a warning naming the file
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$r = rs_resp();
$conns = array_merge([$r], rs_cluster_node_conns());
$pass = rs_awkward_password();
$user = rs_acl_setuser($conns, $pass);
$dir = sys_get_temp_dir() . '/rs-authfile-' . getmypid() . '-' . bin2hex(random_bytes(3));
mkdir($dir, 0700);
$file = "$dir/redis-password";
file_put_contents($file, $pass . "\n");
chmod($file, 0600);
$var = 'RS_TEST_PW_' . bin2hex(random_bytes(3));
putenv("$var=$pass");

function roundtrip(string $handler, string $path): string
{
    rs_session_setup($handler, $path);
    $id = rs_new_id();
    session_id($id);
    if (!session_start()) {
        return 'start failed';
    }
    $_SESSION['n'] = 7;
    session_write_close();
    session_id($id);
    $ok = session_start() && ($_SESSION['n'] ?? null) === 7;
    session_destroy();
    return $ok ? 'ok' : 'data lost';
}

ob_start();
$shown = [];
foreach ([
    'redis, auth_file' => ['redis', rs_standalone_path(['timeout' => 2, 'auth[user]' => $user, 'auth_file' => $file])],
    'rediscluster, auth_file' => ['rediscluster', rs_cluster_path(['timeout' => 2, 'auth[user]' => $user, 'auth_file' => $file])],
    'redis, auth_env' => ['redis', rs_standalone_path(['timeout' => 2, 'auth[user]' => $user, 'auth_env' => $var])],
    'rediscluster, auth_env' => ['rediscluster', rs_cluster_path(['timeout' => 2, 'auth[user]' => $user, 'auth_env' => $var])],
] as $what => [$handler, $path]) {
    $res = roundtrip($handler, $path);
    $shown[] = "$what: $res, save_path as PHP shows it has no password: " . var_export(!str_contains(ini_get('session.save_path'), $pass), true);
}
// Rotation: new password on the server and in the file; the same process picks it up.
$pass2 = rs_awkward_password();
foreach ($conns as $c) {
    $c->cmd('ACL', 'SETUSER', $user, 'resetpass', '>' . $pass2);
}
file_put_contents($file, $pass2);
$shown[] = 'after rotation, redis: ' . roundtrip('redis', rs_standalone_path(['timeout' => 2, 'auth[user]' => $user, 'auth_file' => $file]));
// A missing file: refused, the warning names the file.
$shown[] = 'missing file: ' . roundtrip('redis', rs_standalone_path(['timeout' => 2, 'auth_file' => "$dir/nope"]));
$out = ob_get_clean();
rs_acl_deluser($conns, $user);
putenv($var);
@unlink($file);
@rmdir($dir);
echo implode("\n", $shown), "\n";
echo str_replace([$dir, $user], ['<DIR>', '<USER>'], $out);
echo rs_leak_report($out, [$pass, $pass2, rawurlencode($pass), substr($pass, -8), substr($pass2, -8)]);
?>
--EXPECTF--
redis, auth_file: ok, save_path as PHP shows it has no password: true
rediscluster, auth_file: ok, save_path as PHP shows it has no password: true
redis, auth_env: ok, save_path as PHP shows it has no password: true
rediscluster, auth_env: ok, save_path as PHP shows it has no password: true
after rotation, redis: ok
missing file: start failed

Warning: session_start(): redis: open: malformed session.save_path: 'auth_file=<DIR>/nope' cannot be read by the PHP process (No such file or directory (os error 2)) in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:%d?timeout=2&auth_file=<DIR>/nope) in %s on line %d
leaked: none
