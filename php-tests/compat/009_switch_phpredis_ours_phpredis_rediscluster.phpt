--TEST--
compat: rediscluster sessions survive a switch from phpredis to this extension and back (phpredis writes, ours reads+modifies, phpredis reads)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
$ini = ['session.save_handler' => 'rediscluster', 'session.save_path' => rs_cluster_path(['timeout' => 2, 'read_timeout' => 2]),
    'session.gc_maxlifetime' => '1000'];
$phpredis_only = ['extension' => false, 'before' => rs_phpredis_args()];
// ours as a site would run it after the switch: locking on
$ours_ini = $ini + ['redis.session.locking_enabled' => '1'];
$conn = rs_resp_cluster();
$id = rs_new_id();
$key = RS_CLUSTER_PREFIX . $id;
$steps = [
    ['phpredis writes a', rs_child_cmd(rs_worker(), ['write', $id, 'a', 'from phpredis'], $ini, $phpredis_only)],
    ['ours reads, writes b', rs_child_cmd(rs_worker(), ['write', $id, 'b', 'from ours'], $ours_ini)],
    ['phpredis reads', rs_child_cmd(rs_worker(), ['read', $id], $ini, $phpredis_only)],
    ['phpredis writes c', rs_child_cmd(rs_worker(), ['write', $id, 'c', 'phpredis again'], $ini, $phpredis_only)],
    ['ours reads', rs_child_cmd(rs_worker(), ['read', $id], $ours_ini)],
];
foreach ($steps as [$what, $cmd]) {
    $r = rs_run_child($cmd, 20);
    $o = json_decode($r['stdout'], true);
    echo "$what: started=", var_export($o['started'] ?? null, true);
    if (isset($o['session'])) {
        echo ' session=', json_encode($o['session']);
    }
    if (!empty($o['warnings']) || $r['stderr'] !== '' || $r['exit'] !== 0) {
        echo ' PROBLEM: ', json_encode([$o['warnings'] ?? null, $r['stderr'], $r['exit']]);
    }
    $ttl = $conn->cmd('TTL', $key);
    echo "\n  stored: ", $conn->cmd('GET', $key), ' ttl ok: ', var_export($ttl > 990 && $ttl <= 1000, true), "\n";
}
$conn->cmd('DEL', $key);
?>
--EXPECT--
phpredis writes a: started=true
  stored: a|s:13:"from phpredis"; ttl ok: true
ours reads, writes b: started=true
  stored: a|s:13:"from phpredis";b|s:9:"from ours"; ttl ok: true
phpredis reads: started=true session={"a":"from phpredis","b":"from ours"}
  stored: a|s:13:"from phpredis";b|s:9:"from ours"; ttl ok: true
phpredis writes c: started=true
  stored: a|s:13:"from phpredis";b|s:9:"from ours";c|s:14:"phpredis again"; ttl ok: true
ours reads: started=true session={"a":"from phpredis","b":"from ours","c":"phpredis again"}
  stored: a|s:13:"from phpredis";b|s:9:"from ours";c|s:14:"phpredis again"; ttl ok: true
