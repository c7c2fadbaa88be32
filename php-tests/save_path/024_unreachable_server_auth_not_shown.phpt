--TEST--
save_path: when the server cannot be reached, neither our warning nor PHP's shows the password in save_path
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/auth.inc';
// a port nobody listens on: bind one, then close it
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
$pass = rs_awkward_password();
$enc = rawurlencode($pass);
ob_start();
foreach ([
    ['redis', "tcp://127.0.0.1:$port?timeout=1&auth=$enc"],
    ['redis', "tcp://127.0.0.1:$port?auth[]=someone&auth[]=$enc&timeout=1"],
    ['rediscluster', "seed[]=127.0.0.1:$port&timeout=1&auth[user]=someone&auth[pass]=$enc"],
] as [$handler, $path]) {
    rs_session_setup($handler, $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
$out = ob_get_clean();
echo str_replace((string) $port, 'PORT', $out);
echo rs_leak_report($out, [$pass, $enc, substr($pass, -8)]);
?>
--EXPECTF--
Warning: session_start(): redis: %s127.0.0.1:PORT%s (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://127.0.0.1:PORT?timeout=1&auth=***) in %s on line %d
bool(false)

Warning: session_start(): redis: %s127.0.0.1:PORT%s (session key PHPREDIS_SESSION:%s) in %s on line %d

Warning: session_start(): Failed to read session data: redis (path: tcp://127.0.0.1:PORT?auth[]=***&auth[]=***&timeout=1) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: %s127.0.0.1:PORT%s in %s on line %d

Warning: session_start(): Failed to read session data: rediscluster (path: seed[]=127.0.0.1:PORT&timeout=1&auth[user]=***&auth[pass]=***) in %s on line %d
bool(false)
leaked: none
