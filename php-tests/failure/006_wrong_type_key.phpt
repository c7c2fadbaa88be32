--TEST--
failure: a session key holding a hash: session_start() fails with a warning naming WRONGTYPE and the key; the hash is left untouched (both handlers, no locking)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path);
    $id = rs_new_id();
    $h->r->cmd('HSET', $h->data($id), 'f', 'v');
    session_id($id);
    rs_capture_warnings();
    var_dump(session_start());
    restore_error_handler();
    foreach (rs_take_warnings() as $w) {
        echo rs_hide_id($w, $id), "\n";
    }
    $_SESSION['x'] = 1;
    var_dump(@session_write_close());
    var_dump($h->r->cmd('TYPE', $h->data($id)), $h->r->cmd('HGETALL', $h->data($id)));
    $h->cleanup($id);
}
?>
--EXPECTF--
-- redis
bool(false)
session_start(): redis: read on 127.0.0.1:%d: WRONGTYPE Operation against a key holding the wrong kind of value (session key PHPREDIS_SESSION:<id>)
session_start(): Failed to read session data: redis (path: %s)
bool(false)
string(4) "hash"
array(2) {
  [0]=>
  string(1) "f"
  [1]=>
  string(1) "v"
}
-- rediscluster
bool(false)
session_start(): rediscluster: read on 127.0.0.1:%d: WRONGTYPE Operation against a key holding the wrong kind of value (session key PHPREDIS_CLUSTER_SESSION:<id>)
session_start(): Failed to read session data: rediscluster (path: %s)
bool(false)
string(4) "hash"
array(2) {
  [0]=>
  string(1) "f"
  [1]=>
  string(1) "v"
}
