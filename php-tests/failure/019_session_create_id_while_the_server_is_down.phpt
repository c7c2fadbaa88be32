--TEST--
failure: session_create_id() during a session whose server went down returns a new id anyway, with a warning naming the server and saying the id was not checked (never PHP's bare "Failed to create new ID"); locking on and off
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/private_cluster.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$s = rs_private_tcp_server();
foreach (['0', '1'] as $locking) {
    rs_session_setup('redis', $s->path(['timeout' => 0.3, 'read_timeout' => 0.3]), ['redis.session.locking_enabled' => $locking]);
    session_id(rs_new_id());
    var_dump(session_start());
    $s->kill();
    rs_capture_warnings();
    $new = session_create_id();
    restore_error_handler();
    $ws = rs_take_warnings();
    echo "locking=$locking: id ", var_export(is_string($new) && preg_match('/^[a-zA-Z0-9,-]{22,}$/', $new) === 1, true),
        ", warning names the server and says unchecked: ",
        var_export(count(array_filter($ws, fn ($w) => str_contains($w, "127.0.0.1:" . $s->port()) && str_contains($w, 'not checked'))) === 1, true), "\n";
    @session_abort();
    $s->start();
}
$s->stop();
echo ob_get_clean();
?>
--EXPECT--
bool(true)
locking=0: id true, warning names the server and says unchecked: true
bool(true)
locking=1: id true, warning names the server and says unchecked: true
