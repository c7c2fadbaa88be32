--TEST--
compat: with phpredis loaded, rediscluster runs our handler: with locking, 4 processes x 25 increments end at exactly 100
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
// phpredis 5.3.7's cluster handler ignores redis.session.locking_enabled and loses updates
// under this load; only our handler ends at exactly 100
$ini = [
    'session.save_handler' => 'rediscluster',
    'session.save_path' => rs_cluster_path(['timeout' => 2, 'read_timeout' => 2]),
    'redis.session.locking_enabled' => '1',
    'redis.session.lock_retries' => '-1',
    'redis.session.lock_wait_time' => '2000',
    'max_execution_time' => '30',
];
$id = rs_new_id();
$at = rs_start_at(0.5);
$cmd = rs_child_cmd(rs_worker(), ['incr', $id, 25, $at], $ini, ['before' => rs_phpredis_args()]);
$res = rs_run_children(array_fill(0, 4, $cmd), 60);
$bad = 0;
foreach ($res as $r) {
    $o = json_decode($r['stdout'], true);
    if ($r['exit'] !== 0 || !$o || $o['failed'] || $o['warnings'] || $r['stderr'] !== '') {
        $bad++;
        var_dump($r);
    }
}
var_dump($bad);
$c = rs_resp_cluster();
var_dump($c->cmd('GET', RS_CLUSTER_PREFIX . $id));
$c->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
int(0)
string(8) "n|i:100;"
