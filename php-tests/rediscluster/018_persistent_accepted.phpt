--TEST--
rediscluster: save_path option persistent=1 is accepted and sessions work
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
$c = rs_resp_cluster();
foreach ([['persistent' => 1], ['persistent' => 'true']] as $opts) {
    rs_session_setup('rediscluster', rs_cluster_path($opts + ['timeout' => 2, 'read_timeout' => 2]));
    $id = rs_new_id();
    for ($i = 1; $i <= 2; $i++) {
        session_id($id);
        $ok = session_start();
        $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
        session_write_close();
    }
    echo json_encode($opts), ' ', var_export($ok, true), ' ', $c->cmd('GET', RS_CLUSTER_PREFIX . $id), "\n";
    $c->cmd('DEL', RS_CLUSTER_PREFIX . $id);
}
ob_end_flush();
?>
--EXPECT--
{"persistent":1} true n|i:2;
{"persistent":"true"} true n|i:2;
