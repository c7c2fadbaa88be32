--TEST--
redis: a bare socket path (/path.sock, no scheme) and unix:/path.sock both reach the unix socket
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_socket(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
foreach ([rs_socket() . '?timeout=2', 'unix:' . rs_socket(), rs_socket_path(['database' => 3])] as $i => $path) {
    rs_session_setup('redis', $path);
    $id = rs_new_id();
    session_id($id);
    $ok = session_start();
    $_SESSION['form'] = $i;
    session_write_close();
    $r = rs_resp_socket();
    $i === 2 && $r->cmd('SELECT', 3);
    echo $i, ' ', var_export($ok, true), ' ', $r->cmd('GET', RS_PREFIX . $id), "\n";
    $r->cmd('DEL', RS_PREFIX . $id);
}
ob_end_flush();
?>
--EXPECT--
0 true form|i:0;
1 true form|i:1;
2 true form|i:2;
