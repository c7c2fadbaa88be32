--TEST--
lock: with use_strict_mode=1 a new session (no id, or an unknown id PHP rejects) gets a fresh id whose lock is held during the request; the rejected id keeps no lock (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['session.use_strict_mode' => '1']));
    foreach (['no id' => null, 'unknown id' => rs_new_id()] as $case => $given) {
        echo "-- $handler, $case\n";
        if ($given !== null) {
            session_id($given);
        }
        var_dump(session_start());
        $id = session_id();
        var_dump($id !== $given && preg_match('/^[a-zA-Z0-9,-]{22,256}$/', $id) === 1);
        echo "new id's lock held: ", var_export(rs_is_token($h->r->cmd('GET', $h->lock($id))), true), "\n";
        if ($given !== null) {
            echo "rejected id: lock ", $h->r->cmd('EXISTS', $h->lock($given)), ", data ", $h->r->cmd('EXISTS', $h->data($given)), "\n";
        }
        $_SESSION['x'] = 1;
        var_dump(session_write_close());
        echo "after close: lock ", $h->r->cmd('EXISTS', $h->lock($id)), ", data ", var_export($h->r->cmd('GET', $h->data($id)), true), "\n";
        $h->cleanup($id);
        session_id('');   // the next case starts without an id
    }
}
?>
--EXPECT--
-- redis, no id
bool(true)
bool(true)
new id's lock held: true
bool(true)
after close: lock 0, data 'x|i:1;'
-- redis, unknown id
bool(true)
bool(true)
new id's lock held: true
rejected id: lock 0, data 0
bool(true)
after close: lock 0, data 'x|i:1;'
-- rediscluster, no id
bool(true)
bool(true)
new id's lock held: true
bool(true)
after close: lock 0, data 'x|i:1;'
-- rediscluster, unknown id
bool(true)
bool(true)
new id's lock held: true
rejected id: lock 0, data 0
bool(true)
after close: lock 0, data 'x|i:1;'
