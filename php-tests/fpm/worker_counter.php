<?php
// Served by php-fpm in the fpm tests: increments one session counter and says which worker
// served it: "PID N", or "PID start failed: <warnings>" / "PID write failed: <warnings>".
$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) {
    $warnings[] = $msg;
    return true;
});
session_id($_GET['id']);
if (!session_start()) {
    echo getmypid(), ' start failed: ', implode(' | ', $warnings), "\n";
    return;
}
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
$n = $_SESSION['n'];
session_write_close();
echo getmypid(), $warnings ? ' write failed: ' . implode(' | ', $warnings) : " $n", "\n";
