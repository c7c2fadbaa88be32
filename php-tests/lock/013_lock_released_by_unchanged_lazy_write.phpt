--TEST--
lock: with lazy_write, closing an unchanged session (update_timestamp) refreshes the data TTL and releases the lock (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['session.lazy_write' => '1', 'session.gc_maxlifetime' => '1440']));
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), 'a|i:1;', 'EX', 100);
    session_id($id);
    var_dump(session_start());
    var_dump(rs_is_token($h->r->cmd('GET', $h->lock($id))));
    var_dump(session_write_close());
    var_dump($h->r->cmd('EXISTS', $h->lock($id)), $h->r->cmd('GET', $h->data($id)));
    $ttl = $h->r->cmd('TTL', $h->data($id));
    echo "data TTL refreshed to gc_maxlifetime: ", var_export($ttl > 1400 && $ttl <= 1440, true), " ($ttl)\n";
    $h->cleanup($id);
}
?>
--EXPECTF--
-- redis
bool(true)
bool(true)
bool(true)
int(0)
string(6) "a|i:1;"
data TTL refreshed to gc_maxlifetime: true (%d)
-- rediscluster
bool(true)
bool(true)
bool(true)
int(0)
string(6) "a|i:1;"
data TTL refreshed to gc_maxlifetime: true (%d)
