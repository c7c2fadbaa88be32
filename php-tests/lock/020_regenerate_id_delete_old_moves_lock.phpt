--TEST--
lock: session_regenerate_id(true) deletes the old id's data and lock, holds the new id's lock for the rest of the request, and leaves no lock after close (both handlers)
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
    $old = rs_new_id();
    $h->r->cmd('SET', $h->data($old), 'a|i:1;', 'EX', 300);
    session_id($old);
    var_dump(session_start());
    var_dump(rs_is_token($h->r->cmd('GET', $h->lock($old))));
    var_dump(session_regenerate_id(true));
    $new = session_id();
    var_dump($new !== $old && preg_match('/^[a-zA-Z0-9,-]{22,256}$/', $new) === 1);
    echo "new lock held: ", var_export(rs_is_token($h->r->cmd('GET', $h->lock($new))), true), "\n";
    echo "old lock, old data: ", $h->r->cmd('EXISTS', $h->lock($old)), ", ", $h->r->cmd('EXISTS', $h->data($old)), "\n";
    $_SESSION['b'] = 2;
    var_dump(session_write_close());
    echo "after close: locks ", $h->r->cmd('EXISTS', $h->lock($new)) + $h->r->cmd('EXISTS', $h->lock($old)),
        ", old data ", $h->r->cmd('EXISTS', $h->data($old)), "\n";
    var_dump($h->r->cmd('GET', $h->data($new)));
    $h->cleanup($old, $new);
}
?>
--EXPECT--
-- redis
bool(true)
bool(true)
bool(true)
bool(true)
new lock held: true
old lock, old data: 0, 0
bool(true)
after close: locks 0, old data 0
string(12) "a|i:1;b|i:2;"
-- rediscluster
bool(true)
bool(true)
bool(true)
bool(true)
new lock held: true
old lock, old data: 0, 0
bool(true)
after close: locks 0, old data 0
string(12) "a|i:1;b|i:2;"
