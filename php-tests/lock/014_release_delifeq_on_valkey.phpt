--TEST--
lock: lock_release_cmd=DELIFEQ on a server that has it (Valkey 9): the lock is released by DELIFEQ, without a warning (both handlers)
--SKIPIF--
<?php
require __DIR__ . '/../inc/lock.inc';
rs_skip_if_no_server();
rs_skip_if_no_cluster();
if (!rs_server_knows(rs_resp(), 'DELIFEQ')) {
    rs_skip_optional('needs Valkey 9 (DELIFEQ); this ' . rs_server_kind() . ' server does not know it');
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['redis.session.lock_release_cmd' => 'DELIFEQ']));
    $id = rs_new_id();
    $node = $h->nodeConn($id);
    session_id($id);
    var_dump(session_start());
    var_dump(rs_is_token($h->r->cmd('GET', $h->lock($id))));
    $before = rs_cmd_calls($node, 'delifeq');
    // abort: a release without a write, the path that uses the release command
    var_dump(session_abort());
    $after = rs_cmd_calls($node, 'delifeq');
    echo "DELIFEQ called on the node: ", var_export($after > $before, true), " ($before -> $after)\n";
    var_dump($h->r->cmd('EXISTS', $h->lock($id)));
    $h->cleanup($id);
}
?>
--EXPECTF--
-- redis
bool(true)
bool(true)
bool(true)
DELIFEQ called on the node: true (%d -> %d)
int(0)
-- rediscluster
bool(true)
bool(true)
bool(true)
DELIFEQ called on the node: true (%d -> %d)
int(0)
