--TEST--
rediscluster: a prefix with a {hash tag} puts every session on the tag's slot, and they read back
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
$tag = 'rs' . rs_new_id(6);
rs_session_setup('rediscluster', rs_cluster_path(['prefix' => "app:%7B$tag%7D:", 'timeout' => 2]));
$c = rs_resp_cluster();
$slot = RespCluster::keyslot($tag);
$owner = $c->owner($tag);
foreach (range(1, 4) as $i) {
    $id = rs_new_id();
    session_id($id);
    session_start();
    $_SESSION['i'] = $i;
    session_write_close();
    $key = "app:{{$tag}}:$id";
    // on the tag's owner, asked directly (no redirect followed)
    $v = $c->node($owner)->cmd('GET', $key);
    echo $i, ' ', RespCluster::keyslot($key) === $slot ? 'same-slot' : 'other-slot', ' ', is_string($v) ? $v : (string) json_encode((string) $v), "\n";
    session_id($id);
    session_start();
    echo '  read ', json_encode($_SESSION), "\n";
    session_write_close();
    $c->cmd('DEL', $key);
}
ob_end_flush();
?>
--EXPECT--
1 same-slot i|i:1;
  read {"i":1}
2 same-slot i|i:2;
  read {"i":2}
3 same-slot i|i:3;
  read {"i":3}
4 same-slot i|i:4;
  read {"i":4}
