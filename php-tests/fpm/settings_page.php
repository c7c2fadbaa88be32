<?php
// Served by php-fpm in fpm/003: applies the ini_set() values given in the query, opens the
// session and reports whether it is locked while open, then the TTL its data got.
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
foreach ($_GET['set'] ?? [] as $k => $v) {
    if (ini_set($k, $v) === false) {
        echo "ini_set($k) refused\n";
    }
}
$id = $_GET['id'];
session_id($id);
if (!session_start()) {
    echo "start failed\n";
    return;
}
$r = rs_resp();
$lock = $r->cmd('EXISTS', RS_PREFIX . $id . '_LOCK');
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
session_write_close();
$ttl = (int) $r->cmd('TTL', RS_PREFIX . $id);
// the TTL to the nearest 10 s: a second may have passed
echo 'lock=', $lock, ' ttl~', intdiv($ttl + 5, 10) * 10, ' n=', $_SESSION['n'], "\n";
