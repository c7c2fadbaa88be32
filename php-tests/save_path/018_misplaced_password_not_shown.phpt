--TEST--
save_path: a password under a misspelt or misplaced key (password=, pass=, AUTH=, auth[<pw>]=) is refused and never shown
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$pass = 'Pw' . bin2hex(random_bytes(6));
ob_start();
foreach ([
    ['redis', rs_standalone_path(['password' => $pass])],
    ['redis', rs_standalone_path(['timeout' => 1, 'pass' => $pass])],
    ['redis', rs_standalone_path(['AUTH' => $pass])],
    ['redis', rs_standalone_path(['auth[' . $pass . ']' => 'x'])],
    ['rediscluster', rs_cluster_path(['requirepass' => $pass])],
    ['rediscluster', rs_cluster_path(['Auth' => $pass])],
] as [$handler, $path]) {
    rs_session_setup($handler, $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
$out = ob_get_clean();
echo substr_count($out, 'bool(false)'), " failed\n";
echo rs_leak_report($out, [$pass]);
?>
--EXPECT--
6 failed
leaked: none
