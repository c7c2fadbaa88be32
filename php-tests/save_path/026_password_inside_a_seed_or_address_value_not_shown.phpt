--TEST--
save_path: a password written inside another value, URL style (seed[]=host:port?auth=pw, a second '?' for '&', or percent-encoded ?auth= in an address), is refused and shown neither in our warning nor in PHP's own line
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$pass = 'Pw' . bin2hex(random_bytes(6));
ob_start();
foreach ([
    ['rediscluster', "seed[]=127.0.0.1:7000?auth=$pass&timeout=1"],
    ['rediscluster', "seed[]=127.0.0.1:7000?auth=$pass&seed[]=127.0.0.1:7001"],
    ['rediscluster', "seed[]=u:x@127.0.0.1:7000?auth=$pass"],
    ['rediscluster', "seed[]=127.0.0.1:7000%3Fauth%3D$pass"],
    ['redis', "tcp://127.0.0.1:7000%3Fauth%3D$pass"],
    ['redis', "tcp://127.0.0.1:7000?timeout=1?auth=$pass"],     // '?' typed for '&'
    ['redis', "tcp://127.0.0.1:7000?database=x?auth=$pass"],
    ['rediscluster', "seed[]=::1:7000?auth=$pass"],                 // IPv6 without brackets
    ['rediscluster', "seed[]=::1:7000?auth=$pass%26x"],
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
9 failed
leaked: none
