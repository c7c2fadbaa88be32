--TEST--
save_path: credentials written into the address (tcp://user:pass@host, seed[]=user:pass@host) are refused and never shown
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$pass = 'Pw' . bin2hex(random_bytes(6));
ob_start();
foreach ([
    ['redis', 'tcp://someuser:' . $pass . '@' . rs_host() . ':' . rs_port() . '?timeout=1'],
    ['redis', 'tls://:' . $pass . '@' . rs_host() . ':' . rs_port()],
    ['rediscluster', 'seed[]=someuser:' . $pass . '@' . rs_cluster_seeds()[0] . '&timeout=1'],
] as [$handler, $path]) {
    rs_session_setup($handler, $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
$out = ob_get_clean();
echo substr_count($out, 'bool(false)'), ' failed, ',
    substr_count($out, 'credentials in the address are not supported; use auth='), " told to use auth=\n";
echo rs_leak_report($out, [$pass]);
?>
--EXPECT--
3 failed, 3 told to use auth=
leaked: none
