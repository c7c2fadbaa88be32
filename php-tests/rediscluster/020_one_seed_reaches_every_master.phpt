--TEST--
rediscluster: with a single seed, sessions whose slots live on every master are stored and read
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
$c = rs_resp_cluster();
$masters = $c->masters();
sort($masters);
// one id per master
$ids = [];
while (count($ids) < count($masters)) {
    $id = rs_new_id();
    $ids[$c->owner(RS_CLUSTER_PREFIX . $id)] ??= $id;
}
ksort($ids);
// the seed is the last master only
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2], [end($masters)]));
$ok = 0;
foreach ($ids as $owner => $id) {
    session_id($id);
    session_start();
    $_SESSION['owner'] = $owner;
    session_write_close();
    session_id($id);
    session_start();
    $back = $_SESSION['owner'] ?? null;
    session_write_close();
    $stored = $c->node($owner)->cmd('GET', RS_CLUSTER_PREFIX . $id);
    if ($back === $owner && $stored === 'owner|' . serialize($owner)) {
        $ok++;
    } else {
        echo "$owner: read ", var_export($back, true), ", stored ", var_export($stored, true), "\n";
    }
    $c->cmd('DEL', RS_CLUSTER_PREFIX . $id);
}
echo count($masters), " masters, $ok ok\n";
ob_end_flush();
?>
--EXPECT--
3 masters, 3 ok
