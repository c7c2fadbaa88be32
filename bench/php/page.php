<?php
// The page the throughput phase requests through php-fpm: start the session, change it,
// close it. Query: h=redis|rediscluster, sp=<save_path>, lock=0|1, sid=<session id>.
// Prints "OK <n>", or "ERR ..." with the warnings/notices it collected.
$W = [];
set_error_handler(function ($no, $str) use (&$W) { $W[] = $str; return true; });
ini_set('session.save_handler', $_GET['h']);
ini_set('session.save_path', $_GET['sp']);
ini_set('redis.session.locking_enabled', $_GET['lock']);
session_id($_GET['sid']);
if (!session_start()) {
    echo 'ERR session_start: ', implode(' | ', $W);
    return;
}
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
$_SESSION['user'] ??= ['id' => crc32($_GET['sid']), 'name' => 'user-' . substr($_GET['sid'], -6), 'roles' => ['reader', 'writer']];
$_SESSION['csrf'] ??= bin2hex(random_bytes(16));
$_SESSION['last'] = $_SERVER['REQUEST_TIME'];
session_write_close();
echo $W ? 'ERR ' . implode(' | ', $W) : 'OK ' . $_SESSION['n'];
