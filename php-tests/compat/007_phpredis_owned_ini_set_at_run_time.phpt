--TEST--
compat: with phpredis owning redis.session.locking_enabled, ini_set() at run time switches our locking on and off
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
$code = <<<'PHP'
require getenv('RS_INC') . '/resp.inc';
$c = rs_resp_cluster();
$id = rs_new_id();
$lock = '{' . RS_CLUSTER_PREFIX . $id . '}_LOCK';
foreach (['1', '0', 'yes'] as $v) {
    $set = ini_set('redis.session.locking_enabled', $v);
    session_id($id);
    session_start();
    echo "locking_enabled=$v (ini_set ", $set === false ? 'refused' : 'ok', "): lock while open: ", $c->cmd('EXISTS', $lock);
    session_write_close();
    echo ", after close: ", $c->cmd('EXISTS', $lock), "\n";
}
$c->cmd('DEL', RS_CLUSTER_PREFIX . $id);
PHP;
$ini = rs_session_cli_ini() + ['session.save_handler' => 'rediscluster',
    'session.save_path' => rs_cluster_path(['timeout' => 2]), 'error_reporting' => '-1', 'display_errors' => '1'];
$cmd = [PHP_BINARY, '-n', ...rs_phpredis_args(), '-d', 'extension=' . rs_extension_so()];
foreach ($ini as $k => $v) {
    array_push($cmd, '-d', "$k=\"$v\"");
}
putenv('RS_INC=' . realpath(__DIR__ . '/../inc'));
$r = rs_run_child(array_merge($cmd, ['-r', $code]), 20);
echo $r['stdout'], 'stderr: ', json_encode($r['stderr']), "\n";
?>
--EXPECT--
locking_enabled=1 (ini_set ok): lock while open: 1, after close: 0
locking_enabled=0 (ini_set ok): lock while open: 0, after close: 0

Warning: session_start(): redis.session.locking_enabled='yes' is not a number: phpredis reads it as 0 (off), redis_session reads it as on, as php.ini does; write 1 in Command line code on line 8
locking_enabled=yes (ini_set ok): lock while open: 1, after close: 0
stderr: ""
