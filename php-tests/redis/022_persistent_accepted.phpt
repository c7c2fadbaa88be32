--TEST--
redis: save_path options persistent=1 and persistent_id= are accepted and sessions work
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
$r = rs_resp();
foreach ([['persistent' => 1], ['persistent' => 1, 'persistent_id' => 'sess'], ['persistent' => 'pool1']] as $opts) {
    rs_session_setup('redis', rs_standalone_path($opts + ['timeout' => 2]));
    $id = rs_new_id();
    for ($i = 1; $i <= 2; $i++) {
        session_id($id);
        $ok = session_start();
        $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
        session_write_close();
    }
    echo json_encode($opts), ' ', var_export($ok, true), ' ', $r->cmd('GET', RS_PREFIX . $id), "\n";
    $r->cmd('DEL', RS_PREFIX . $id);
}
ob_end_flush();
?>
--EXPECT--
{"persistent":1} true n|i:2;
{"persistent":1,"persistent_id":"sess"} true n|i:2;
{"persistent":"pool1"} true n|i:2;
