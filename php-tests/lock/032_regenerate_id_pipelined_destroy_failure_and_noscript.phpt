--TEST--
lock: session_regenerate_id(true) whose destroy is refused (the lock was lost to another request) still returns false with "Session object destruction failed" when the destroy went in one round trip with the new id's claim, and leaves no lock behind (the claimed one is released; the other request's lock stays); after SCRIPT FLUSH the pipelined destroy is sent again and the regenerate succeeds (redis, rediscluster with and without a {tag} prefix)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$opts = ['timeout' => 2, 'read_timeout' => 2];
$handlers = [
    new RsHandler('redis', rs_standalone_path($opts + ['prefix' => 'RS032:']), 'RS032:', rs_resp()),
    new RsHandler('rediscluster', rs_cluster_path($opts + ['prefix' => '{rs032}S:']), '{rs032}S:', rs_resp_cluster()),
    new RsHandler('rediscluster', rs_cluster_path($opts + ['prefix' => 'RS032C:']), 'RS032C:', rs_resp_cluster()),
];
foreach ($handlers as $h) {
    echo "-- {$h->handler} prefix {$h->prefix}\n";
    rs_session_setup($h->handler, $h->path, rs_lk_locking());
    $locks = fn () => rs_scan($h->r, '*' . $h->prefix . '*_LOCK');
    $results = [];
    for ($i = 0; $i < 6; $i++) {
        $id = rs_new_id();
        $h->r->cmd('SET', $h->data($id), 'n|i:1;', 'EX', 300);
        session_id($id);
        $started = session_start();
        // Another request broke our lock and holds the session now.
        $theirs = str_repeat('f', 32);
        $h->r->cmd('SET', $h->lock($id), $theirs, 'PX', 10000);
        rs_capture_warnings();
        $ok = session_regenerate_id(true);
        restore_error_handler();
        $w = rs_take_warnings();
        $left = $locks();
        $results[] = sprintf("start %s, regenerate %s, warnings: %s, data kept %s, locks left: %s",
            var_export($started, true), var_export($ok, true),
            implode(' / ', array_map(fn ($m) => preg_replace('/^(session_regenerate_id\(\): [a-z]+: session NOT deleted|session_regenerate_id\(\): Session object destruction failed).*$/', '$1', $m), $w)),
            var_export($h->r->cmd('GET', $h->data($id)) === 'n|i:1;', true),
            $left === [$h->lock($id)] ? 'only theirs' : json_encode($left));
        if (session_status() === PHP_SESSION_ACTIVE) {
            session_abort();
        }
        $h->cleanup($id);
    }
    foreach (array_count_values($results) as $line => $n) {
        echo "$n x $line\n";
    }

    // Scripts flushed: the pipelined destroy answers NOSCRIPT, is sent again (with the scripts
    // loaded), and the regenerate goes on as usual.
    $old = rs_new_id();
    $h->r->cmd('SET', $h->data($old), 'a|i:1;', 'EX', 300);
    session_id($old);
    session_start();
    $h->nodeConn($old)->cmd('SCRIPT', 'FLUSH');
    var_dump(session_regenerate_id(true));
    $new = session_id();
    echo "old gone: ", var_export($h->r->cmd('EXISTS', $h->data($old)) === 0, true),
        ", new locked: ", var_export(rs_is_token($h->r->cmd('GET', $h->lock($new))), true), "\n";
    $_SESSION['b'] = 2;
    var_dump(session_write_close());
    var_dump($h->r->cmd('GET', $h->data($new)));
    echo "locks left: ", count($locks()), "\n";
    $h->cleanup($old, $new);
}
?>
--EXPECT--
-- redis prefix RS032:
6 x start true, regenerate false, warnings: session_regenerate_id(): redis: session NOT deleted / session_regenerate_id(): Session object destruction failed, data kept true, locks left: only theirs
bool(true)
old gone: true, new locked: true
bool(true)
string(12) "a|i:1;b|i:2;"
locks left: 0
-- rediscluster prefix {rs032}S:
6 x start true, regenerate false, warnings: session_regenerate_id(): rediscluster: session NOT deleted / session_regenerate_id(): Session object destruction failed, data kept true, locks left: only theirs
bool(true)
old gone: true, new locked: true
bool(true)
string(12) "a|i:1;b|i:2;"
locks left: 0
-- rediscluster prefix RS032C:
6 x start true, regenerate false, warnings: session_regenerate_id(): rediscluster: session NOT deleted / session_regenerate_id(): Session object destruction failed, data kept true, locks left: only theirs
bool(true)
old gone: true, new locked: true
bool(true)
string(12) "a|i:1;b|i:2;"
locks left: 0
