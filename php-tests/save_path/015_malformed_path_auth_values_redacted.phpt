--TEST--
save_path: a malformed save_path holding auth (any form, both handlers) never shows the password, in our warning or PHP's
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
$pass = 'Pw' . bin2hex(random_bytes(6));
$cases = [
    // malformed elsewhere, valid auth
    ['redis', rs_standalone_path(['auth' => $pass, 'timeout' => 'abc'])],
    ['redis', rs_standalone_path(['auth[]' => "someuser&auth[]=$pass", 'bogus' => 1])],
    ['redis', rs_standalone_path(['timeout' => 1]) . ', tcp://' . rs_host() . ':99999?auth=' . $pass],
    ['rediscluster', rs_cluster_path(['auth[user]' => "u&auth[pass]=$pass", 'database' => 2])],
    ['rediscluster', rs_cluster_path(['auth' => $pass, 'prefix' => '{}x'])],
    // malformed auth itself
    ['redis', rs_standalone_path(['auth' => "$pass&auth[]=$pass"])],
    ['redis', rs_standalone_path(['auth[]' => "u&auth[]=$pass&auth[]=$pass"])],
    ['rediscluster', rs_cluster_path(['auth[user]' => $pass])],
    ['rediscluster', rs_cluster_path(['auth[pw]' => $pass])],
];
ob_start();
foreach ($cases as [$handler, $path]) {
    rs_session_setup($handler, $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
$out = ob_get_clean();
// every case failed with our warning plus PHP's "Failed to initialize storage module" line
echo substr_count($out, 'bool(false)'), ' failed, ',
    substr_count($out, ': open: malformed session.save_path: ') + substr_count($out, ': open: prefix '), ' named, ',
    substr_count($out, 'Failed to initialize storage module: '), " PHP lines\n";
echo rs_leak_report($out, [$pass]);
// the PHP lines show the auth values as ***
preg_match_all('/Failed to initialize storage module: \S+ \(path: (.*)\) in /', $out, $m);
foreach ($m[1] as $path) {
    echo preg_replace(['/\d+\.\d+\.\d+\.\d+:\d+/', '/seed\[\]=H(&seed\[\]=H)*/'], ['H', 'SEEDS'], $path), "\n";
}
?>
--EXPECT--
9 failed, 9 named, 9 PHP lines
leaked: none
tcp://H?auth=***
tcp://H?auth[]=***
tcp://H?timeout=***
SEEDS&auth[user]=***
SEEDS&auth=***&prefix={}x
tcp://H?auth=***
tcp://H?auth[]=***
SEEDS&auth[user]=***
SEEDS&***
