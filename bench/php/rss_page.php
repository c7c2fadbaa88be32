<?php
// The page bench/rss.sh requests through a one-worker php-fpm pool. Query: sp=<save_path>,
// sid=<session id>, size=<bytes> (0 = leave the session as it is: a plain read; N = store N
// random-ish bytes in it). Prints "OK <stored bytes>" or "ERR ...".
$W = [];
set_error_handler(function ($no, $str) use (&$W) { $W[] = $str; return true; });
ini_set('session.save_handler', 'redis');
ini_set('session.save_path', $_GET['sp']);
session_id($_GET['sid']);
if (!session_start()) {
    echo 'ERR session_start: ', implode(' | ', $W);
    return;
}
$size = (int) ($_GET['size'] ?? 0);
if ($size > 0) {
    // Incompressible enough and cheap to make: a random block repeated with a counter.
    $block = base64_encode(random_bytes(48 * 1024));
    $s = '';
    for ($i = 0; strlen($s) < $size; $i++) {
        $s .= $i . $block;
    }
    $_SESSION['blob'] = substr($s, 0, $size);
    unset($s, $block);
}
$n = strlen($_SESSION['blob'] ?? '');
session_write_close();
echo $W ? 'ERR ' . implode(' | ', $W) : "OK $n";
