--TEST--
lock: the lock (a 32-hex token) is held from session_start() on and released by session_write_close() with the new data written (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking());
    $id = rs_new_id();
    var_dump($h->r->cmd('EXISTS', $h->lock($id)));
    session_id($id);
    var_dump(session_start());
    var_dump(rs_is_token($h->r->cmd('GET', $h->lock($id))));
    $_SESSION['x'] = 1;
    var_dump(rs_is_token($h->r->cmd('GET', $h->lock($id))));   // still held mid-request
    var_dump(session_write_close());
    var_dump($h->r->cmd('EXISTS', $h->lock($id)), $h->r->cmd('GET', $h->data($id)));
    $h->cleanup($id);
}
?>
--EXPECT--
-- redis
int(0)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
string(6) "x|i:1;"
-- rediscluster
int(0)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
string(6) "x|i:1;"
