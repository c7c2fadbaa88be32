--TEST--
save_path: a password with an unencoded & (auth=head&tail) is refused and neither part is shown, in our warning or PHP's
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$head = 'Hd' . bin2hex(random_bytes(5));
$tail = 'Tl' . bin2hex(random_bytes(5));
ob_start();
foreach ([
    ['redis', rs_standalone_path(['timeout' => 1, 'auth' => "$head&$tail"])],
    ['redis', rs_standalone_path(['auth[]' => "user&auth[]=$head&$tail"])],
    ['rediscluster', rs_cluster_path(['auth' => "$head&$tail"])],
    ['rediscluster', rs_cluster_path(['auth[user]' => "u&auth[pass]=$head&$tail=x"])],
] as [$handler, $path]) {
    rs_session_setup($handler, $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
$out = ob_get_clean();
echo substr_count($out, 'bool(false)'), ' failed, ',
    substr_count($out, "(if it is part of the password, percent-encode & as %26)"), " with the %26 hint\n";
echo rs_leak_report($out, [$head, $tail]);
?>
--EXPECT--
4 failed, 4 with the %26 hint
leaked: none
