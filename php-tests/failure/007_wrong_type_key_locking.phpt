--TEST--
failure: with locking, a session key holding a hash: session_start() fails with a warning naming WRONGTYPE and the key (also on a node's first script call, when the scripts are loaded and retried), and the hash is left untouched (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking());
    // first: scripts not yet on the node (as after a restart: NOSCRIPT, load, retry); then: loaded
    foreach (['scripts flushed', 'scripts loaded'] as $case) {
        echo "-- $handler, $case\n";
        $id = rs_new_id();
        if ($case === 'scripts flushed') {
            // Other tests on this node just reload the scripts on their next call.
            var_dump($h->nodeConn($id)->cmd('SCRIPT', 'FLUSH'));
        } else {
            // a normal locked request on this id first, so the node has the scripts
            session_id($id);
            session_start();
            session_abort();
        }
        $h->r->cmd('HSET', $h->data($id), 'f', 'v');
        session_id($id);
        rs_capture_warnings();
        var_dump(session_start());
        restore_error_handler();
        foreach (rs_take_warnings() as $w) {
            echo preg_replace('/ script:( [0-9a-f]+,)? on @user_script:\d+\.?/', '', rs_hide_id($w, $id)), "\n";
        }
        var_dump($h->r->cmd('TYPE', $h->data($id)), $h->r->cmd('HGET', $h->data($id), 'f'));
        $h->cleanup($id);
    }
}
?>
--EXPECTF--
-- redis, scripts flushed
string(2) "OK"
bool(false)
session_start(): redis: lock on 127.0.0.1:%d: WRONGTYPE %s (session key PHPREDIS_SESSION:<id>)
session_start(): Failed to read session data: redis (path: %s)
string(4) "hash"
string(1) "v"
-- redis, scripts loaded
bool(false)
session_start(): redis: lock on 127.0.0.1:%d: WRONGTYPE %s (session key PHPREDIS_SESSION:<id>)
session_start(): Failed to read session data: redis (path: %s)
string(4) "hash"
string(1) "v"
-- rediscluster, scripts flushed
string(2) "OK"
bool(false)
session_start(): rediscluster: lock on 127.0.0.1:%d: WRONGTYPE %s (session key PHPREDIS_CLUSTER_SESSION:<id>)
session_start(): Failed to read session data: rediscluster (path: %s)
string(4) "hash"
string(1) "v"
-- rediscluster, scripts loaded
bool(false)
session_start(): rediscluster: lock on 127.0.0.1:%d: WRONGTYPE %s (session key PHPREDIS_CLUSTER_SESSION:<id>)
session_start(): Failed to read session data: rediscluster (path: %s)
string(4) "hash"
string(1) "v"
