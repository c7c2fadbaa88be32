--TEST--
save_path: a password written inside another value after a single quote (tcp://h:p?timeout=1'?auth=pw): our warning quotes the bad part, and the path's own quote must not end the part that is scrubbed; refused and never shown
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$pass = 'Pw' . bin2hex(random_bytes(6));
ob_start();
foreach ([
    ['redis', "tcp://127.0.0.1:7000?timeout=1'?auth=$pass"],
    ['redis', "tcp://127.0.0.1:7000?database='x?auth=$pass"],
    ['rediscluster', "seed[]=127.0.0.1:7000'?auth=$pass"],
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
3 failed
leaked: none
