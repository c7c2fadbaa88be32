<?php
// One increment of the session counter (or a read with ?read=1), as JSON.
header('Content-Type: application/json');
if (isset($_GET['read'])) {
    session_start(['read_and_close' => true]);
    echo json_encode(['n' => $_SESSION['n'] ?? 0]);
    return;
}
if (!session_start()) {
    http_response_code(503);
    echo json_encode(['error' => 'session unavailable']);
    return;
}
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
usleep(20000); // hold the session briefly, as a real page would
echo json_encode(['n' => $_SESSION['n']]);
