<?php
// Served by php-fpm in the fpm tests: increments one session counter.
session_id($_GET['id']);
if (!session_start()) {
    echo "start failed\n";
    return;
}
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
echo $_SESSION['n'], "\n";
session_write_close();
