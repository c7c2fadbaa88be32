--TEST--
lock: session_create_id() during a locked session keeps that session's lock (same token) and takes no lock on the new id; the write stays fenced and lands; the PHP manual's my_session_regenerate_id() recipe then locks the new id (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['redis.session.lock_retries' => '3', 'redis.session.lock_wait_time' => '20000']));
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), 'n|i:1;');
    session_id($id);
    var_dump(session_start());
    $token = $h->r->cmd('GET', $h->lock($id));
    echo "lock held: ", var_export(rs_is_token($token), true), "\n";
    $new = session_create_id();
    var_dump(is_string($new) && $new !== $id);
    echo "same lock after session_create_id: ", var_export($h->r->cmd('GET', $h->lock($id)) === $token, true), "\n";
    echo "new id locked: ", $h->r->cmd('EXISTS', $h->lock($new)), "\n";
    // Another request on the same session must still wait (and here give up).
    $other = rs_run_child(rs_child_cmd(rs_worker(), ['incr', $id], $h->ini(rs_lk_locking(['redis.session.lock_retries' => '3', 'redis.session.lock_wait_time' => '20000']))), 20.0);
    $o = json_decode(trim($other['stdout']), true);
    echo "other request got the session: ", var_export(($o['ok'] ?? -1) !== 0, true), "\n";
    $_SESSION['n']++;
    var_dump(session_write_close());
    echo "stored: ", $h->r->cmd('GET', $h->data($id)), ", lock ", $h->r->cmd('EXISTS', $h->lock($id)), "\n";

    // The PHP manual's my_session_regenerate_id(): create an id, mark, commit, start the new id.
    session_id($id);
    session_start();
    $new = session_create_id();
    $_SESSION['destroyed'] = 1;
    var_dump(session_commit());
    session_id($new);
    var_dump(session_start());
    echo "new id's lock held: ", var_export(rs_is_token($h->r->cmd('GET', $h->lock($new))), true), ", old id's lock ", $h->r->cmd('EXISTS', $h->lock($id)), "\n";
    $_SESSION['m'] = 5;
    var_dump(session_write_close());
    echo "new stored: ", $h->r->cmd('GET', $h->data($new)), ", lock ", $h->r->cmd('EXISTS', $h->lock($new)), "\n";
    $h->cleanup($id, $new);
}
echo ob_get_clean();
?>
--EXPECT--
-- redis
bool(true)
lock held: true
bool(true)
same lock after session_create_id: true
new id locked: 0
other request got the session: false
bool(true)
stored: n|i:2;, lock 0
bool(true)
bool(true)
new id's lock held: true, old id's lock 0
bool(true)
new stored: m|i:5;, lock 0
-- rediscluster
bool(true)
lock held: true
bool(true)
same lock after session_create_id: true
new id locked: 0
other request got the session: false
bool(true)
stored: n|i:2;, lock 0
bool(true)
bool(true)
new id's lock held: true, old id's lock 0
bool(true)
new stored: m|i:5;, lock 0
