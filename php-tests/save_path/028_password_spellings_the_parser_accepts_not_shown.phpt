--TEST--
save_path: a password is hidden wherever the parser finds it (issue #11): a comma or raw space inside it, and the key written " auth", "+auth", "%20auth", "au%74h"; neither our warning nor PHP's "(path: ...)" line shows any part of it (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$one = 'One' . bin2hex(random_bytes(5));
$two = 'Two' . bin2hex(random_bytes(5));
$cases = [];
foreach (["auth=$one,$two", "auth=$one $two", " auth=$one,$two", "+auth=$one,$two", "%20auth=$one,$two", "au%74h=$one,$two"] as $auth) {
    $cases[] = ['rediscluster', rs_cluster_path(['timeout' => 1]) . '&' . $auth . '&read_timeout=1'];
    $cases[] = ['redis', rs_standalone_path(['timeout' => 1]) . '&' . $auth];
    $cases[] = ['redis', 'tcp://' . rs_host() . ':' . rs_port() . '?' . $auth . '&timeout=1'];
}
ob_start();
foreach ($cases as [$handler, $path]) {
    rs_session_setup($handler, $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
$out = ob_get_clean();
echo count($cases), " cases: ", substr_count($out, 'bool(false)'), " failed to start, ",
    substr_count($out, '(path: '), " (path: ...) lines\n";
echo rs_leak_report($out, [$one, $two, substr($one, 3), substr($two, 3)]);
?>
--EXPECT--
18 cases: 18 failed to start, 18 (path: ...) lines
leaked: none
