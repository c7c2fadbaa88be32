--TEST--
compat: with phpredis owning the INI names, locking_enabled, lock_retries and lock_wait_time set by -d bound how long a blocked session_start() waits
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
$base = [
    'session.save_handler' => 'rediscluster',
    'session.save_path' => rs_cluster_path(['timeout' => 2, 'read_timeout' => 2]),
    'redis.session.locking_enabled' => '1',
    'redis.session.lock_expire' => '10',
];
$id = rs_new_id();
$at = (float) rs_start_at(0.5);
$opts = ['before' => rs_phpredis_args()];
$res = rs_run_children([
    // holds the session lock for 2.5 s
    rs_child_cmd(rs_worker(), ['hold', $id, 2500, $at], $base, $opts),
    // 3 attempts 100 ms apart: gives up after about 0.3 s
    rs_child_cmd(rs_worker(), ['hold', $id, 0, $at + 0.4], $base
        + ['redis.session.lock_retries' => '3', 'redis.session.lock_wait_time' => '100000'], $opts),
    // 12 attempts 100 ms apart: gives up after about 1.2 s
    rs_child_cmd(rs_worker(), ['hold', $id, 0, $at + 0.4], $base
        + ['redis.session.lock_retries' => '12', 'redis.session.lock_wait_time' => '100000'], $opts),
], 20);
$o = array_map(fn ($r) => json_decode($r['stdout'], true), $res);
foreach ($res as $i => $r) {
    if ($r['exit'] !== 0 || !$o[$i] || $r['stderr'] !== '') {
        var_dump($r);
    }
}
echo 'holder: ok=', var_export($o[0]['ok'], true), ', warnings=', count($o[0]['warnings']), "\n";
foreach ([1 => [0.2, 0.8], 2 => [1.0, 1.9]] as $i => [$min, $max]) {
    $waited = $o[$i]['started'] - $o[$i]['call'];
    $lock_warning = (bool) preg_grep('/could not acquire the session lock on ' . preg_quote(rs_key_tag(RS_CLUSTER_PREFIX . $id), '/') . '/', $o[$i]['warnings']);
    printf("waiter %d: ok=%s, lock warning=%s, waited in [%.1f, %.1f] s: %s\n", $i, var_export($o[$i]['ok'], true),
        var_export($lock_warning, true), $min, $max, $waited >= $min && $waited <= $max ? 'yes' : sprintf('NO (%.3f s)', $waited));
}
$c = rs_resp_cluster();
var_dump($c->cmd('GET', RS_CLUSTER_PREFIX . $id) === 'held_by|i:' . $o[0]['pid'] . ';');
$c->cmd('DEL', RS_CLUSTER_PREFIX . $id);
?>
--EXPECT--
holder: ok=true, warnings=0
waiter 1: ok=false, lock warning=true, waited in [0.2, 0.8] s: yes
waiter 2: ok=false, lock warning=true, waited in [1.0, 1.9] s: yes
bool(true)
