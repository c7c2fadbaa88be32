--TEST--
lock: session_abort() releases the lock and leaves the stored data as it was (both handlers)
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
    $h->r->cmd('SET', $h->data($id), 'a|i:1;', 'EX', 300);
    session_id($id);
    var_dump(session_start());
    var_dump(rs_is_token($h->r->cmd('GET', $h->lock($id))));
    $_SESSION['a'] = 2;
    var_dump(session_abort());
    var_dump($h->r->cmd('EXISTS', $h->lock($id)), $h->r->cmd('GET', $h->data($id)));
    $h->cleanup($id);
}
?>
--EXPECT--
-- redis
bool(true)
bool(true)
bool(true)
int(0)
string(6) "a|i:1;"
-- rediscluster
bool(true)
bool(true)
bool(true)
int(0)
string(6) "a|i:1;"
