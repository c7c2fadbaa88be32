--TEST--
lock: session_regenerate_id(true) by a request that held the session past its lock TTL, while another request took it over and destroyed it, and whose connection was then killed (the retry finds the session gone), returns false with "session NOT deleted" instead of taking the other request's destroy for its own (torture seed 130665833); the other holder's lock stays (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); rs_skip_if_no_acl(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
require __DIR__ . '/../inc/auth.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
// The handler logs in as a user of its own, so CLIENT KILL USER ends its connections only
// (other tests share these servers).
$pass = bin2hex(random_bytes(8));
$conns = array_merge([rs_resp()], rs_cluster_node_conns());
$user = rs_acl_setuser($conns, $pass);
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler, ['timeout' => 2, 'read_timeout' => 2, 'auth[user]' => "$user&auth[pass]=$pass"]);
    rs_session_setup($h->handler, $h->path, rs_lk_locking(['redis.session.lock_expire' => '1']));
    echo "-- $handler\n";
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), 'n|i:1;', 'EX', 300);
    session_id($id);
    var_dump(session_start());
    $_SESSION['n'] = 2;
    usleep(1300000);
    // Our lock expired; another request took the session, destroyed it, and holds a lock on
    // it again. Then our connection is killed: our destroy's reply is lost, and its retry
    // finds the session gone.
    $theirs = str_repeat('f', 32);
    $h->r->cmd('SET', $h->lock($id), $theirs, 'PX', 10000);
    $h->r->cmd('DEL', $h->data($id));
    $killed = $h->nodeConn($id)->cmd('CLIENT', 'KILL', 'USER', $user);
    echo "our connection killed: ", var_export($killed >= 1, true), "\n";
    rs_capture_warnings();
    var_dump(session_regenerate_id(true));
    restore_error_handler();
    foreach (rs_take_warnings() as $w) {
        echo rs_hide_id($w, $id), "\n";
    }
    var_dump($h->r->cmd('GET', $h->data($id)));
    echo "their lock kept: ", var_export($h->r->cmd('GET', $h->lock($id)) === $theirs, true), "\n";
    if (session_status() === PHP_SESSION_ACTIVE) {
        session_abort();
    }
    $h->cleanup($id);
}
rs_acl_deluser($conns, $user);
?>
--EXPECTF--
-- redis
bool(true)
our connection killed: true
bool(false)
session_regenerate_id(): redis: session NOT deleted: PHPREDIS_SESSION:<id> (127.0.0.1:%d): the session lock was no longer held by this request (it expired after 1 s, or was broken); raise redis.session.lock_expire or max_execution_time
session_regenerate_id(): Session object destruction failed. ID: redis (path: %s)
NULL
their lock kept: true
-- rediscluster
bool(true)
our connection killed: true
bool(false)
session_regenerate_id(): rediscluster: session NOT deleted: PHPREDIS_CLUSTER_SESSION:<id> (127.0.0.1:%d): the session lock was no longer held by this request (it expired after 1 s, or was broken); raise redis.session.lock_expire or max_execution_time
session_regenerate_id(): Session object destruction failed. ID: rediscluster (path: %s)
NULL
their lock kept: true
