--TEST--
failure: redis pointed at a read-only replica (READONLY): without locking the session reads and its write fails with a warning naming READONLY, with locking session_start() fails with that warning; the data stays, no lock is left, and the same process works again once the server is a master
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/private_server.inc';
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$s = rs_private_server();   // its own: it becomes a replica below
$r = $s->resp();
$path = 'unix://' . $s->socket . '?timeout=1&read_timeout=1';
$dead = rs_dead_port();
foreach (['0' => 'without locking', '1' => 'with locking'] as $locking => $case) {
    echo "-- $case\n";
    rs_session_setup('redis', $path, ['redis.session.locking_enabled' => $locking]);
    $id = rs_new_id();
    session_id($id);
    session_start();
    $_SESSION['n'] = 1;
    session_write_close();

    // A replica of a master that is not there: it keeps its data, serves reads, refuses writes.
    var_dump($r->cmd('REPLICAOF', '127.0.0.1', $dead));
    session_id($id);
    rs_capture_warnings();
    $started = session_start();
    echo "session_start: ", var_export($started, true), ", n read: ", $_SESSION['n'] ?? '-', "\n";
    if ($started) {
        $_SESSION['n'] = 2;
        session_write_close();
    }
    restore_error_handler();
    foreach (rs_take_warnings() as $w) {
        echo "  ", str_replace($s->socket, '<socket>', rs_hide_id($w, $id)), "\n";
    }
    echo "stored: ", $r->cmd('GET', RS_PREFIX . $id), ", keys: ", implode(' ', array_map(fn ($k) => str_replace($id, '<id>', $k), $r->cmd('KEYS', '*' . $id . '*'))), "\n";

    var_dump($r->cmd('REPLICAOF', 'NO', 'ONE'));
    session_id($id);
    session_start();
    $_SESSION['n']++;
    session_write_close();
    echo "after: ", $r->cmd('GET', RS_PREFIX . $id), "\n";
}
$s->stop();
echo ob_get_clean();
?>
--EXPECTF--
-- without locking
string(2) "OK"
session_start: true, n read: 1
  session_write_close(): redis: write on unix:<socket>: READONLY You can't write against a read only replica. (session key PHPREDIS_SESSION:<id>)
  session_write_close(): Failed to write session data (redis). Please verify that the current setting of session.save_path is correct (unix://<socket>?timeout=1&read_timeout=1)
stored: n|i:1;, keys: PHPREDIS_SESSION:<id>
string(2) "OK"
after: n|i:2;
-- with locking
string(2) "OK"
session_start: false, n read: -
  session_start(): redis: lock on unix:<socket>: READONLY You can't write against a read only replica.%s(session key PHPREDIS_SESSION:<id>)
  session_start(): Failed to read session data: redis (path: unix://<socket>?timeout=1&read_timeout=1)
stored: n|i:1;, keys: PHPREDIS_SESSION:<id>
string(2) "OK"
after: n|i:2;
