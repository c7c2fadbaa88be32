--TEST--
redis: with two weighted servers each session lands where phpredis puts it (first 4 id bytes as LE uint32 mod total weight, list walked last server first)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server2(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();   // several sessions in one CLI process: keep session INI changeable
rs_session_setup('redis', rs_standalone_path(['weight' => 1, 'timeout' => 2]) . ','
    . rs_standalone2_path(['weight' => 3, 'timeout' => 2]));
$servers = [rs_resp(), rs_resp2()];

// phpredis (redis_session.c): memcpy(&pos, id, 4); pos %= totalWeight; then it walks its pool
// list from the head. redis_pool_add() PREPENDS each server, so the list is the save_path in
// reverse: #2 (weight 3) covers positions [0,3), #1 (weight 1) covers [3,4). Checked against
// php-redis 5.3.7 itself in compat/010_weighted_servers_same_pick_as_phpredis.phpt.
function expected_server(string $id): int
{
    return unpack('V', substr($id, 0, 4))[1] % 4 < 3 ? 1 : 0;
}

// ids chosen so both servers and every position 0..3 are covered
$ids = [];
$per_pos = [0 => 0, 1 => 0, 2 => 0, 3 => 0];
while (min($per_pos) < 2) {
    $id = rs_new_id();
    $pos = unpack('V', substr($id, 0, 4))[1] % 4;
    if ($per_pos[$pos] < 2) {
        $per_pos[$pos]++;
        $ids[] = $id;
    }
}
$wrong = 0;
$on = [0, 0];
foreach ($ids as $id) {
    session_id($id);
    session_start();
    $_SESSION['id'] = $id;
    session_write_close();
    $want = expected_server($id);
    $where = [$servers[0]->cmd('EXISTS', RS_PREFIX . $id), $servers[1]->cmd('EXISTS', RS_PREFIX . $id)];
    if ($where[$want] !== 1 || $where[1 - $want] !== 0) {
        $wrong++;
        echo "$id: expected on server #", $want + 1, ", found on: ", json_encode($where), "\n";
    }
    $on[$want]++;
    // and it reads back through the handler
    session_id($id);
    session_start();
    if (($_SESSION['id'] ?? null) !== $id) {
        echo "$id: read back ", json_encode($_SESSION), "\n";
    }
    session_write_close();
    $servers[$want]->cmd('DEL', RS_PREFIX . $id);
}
echo "sessions: ", count($ids), ", on #1: $on[0], on #2: $on[1], misplaced: $wrong\n";
ob_end_flush();
?>
--EXPECT--
sessions: 8, on #1: 2, on #2: 6, misplaced: 0
