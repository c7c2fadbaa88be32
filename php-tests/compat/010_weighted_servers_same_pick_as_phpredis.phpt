--TEST--
compat: with two weighted servers, sessions phpredis wrote are found by our redis handler (same server pick), and vice versa
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server2(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
$ini = ['session.save_handler' => 'redis', 'session.save_path' =>
    rs_standalone_path(['weight' => 1, 'timeout' => 2]) . ',' . rs_standalone2_path(['weight' => 3, 'timeout' => 2])];
$phpredis_only = ['extension' => false, 'before' => rs_phpredis_args()];
$servers = [rs_resp(), rs_resp2()];
// every position (LE uint32 of the first 4 id bytes mod total weight 4), each direction
foreach ([0, 1, 2, 3] as $pos) {
    foreach (['phpredis' => [$phpredis_only, []], 'ours' => [[], $phpredis_only]] as $who => [$writer, $reader]) {
        do {
            $id = rs_new_id();
        } while (unpack('V', substr($id, 0, 4))[1] % 4 !== $pos);
        rs_run_child(rs_child_cmd(rs_worker(), ['write', $id, 'w', $who], $ini, $writer), 20);
        $written = array_map(fn ($s) => $s->cmd('EXISTS', RS_PREFIX . $id), $servers);
        $r = rs_run_child(rs_child_cmd(rs_worker(), ['read', $id], $ini, $reader), 20);
        $o = json_decode($r['stdout'], true);
        $ok = ($o['session']['w'] ?? null) === $who;
        printf("pos %d, written by %-8s on #%d, read by the other: %s\n", $pos, $who, array_search(1, $written) + 1,
            $ok ? 'found' : 'NOT FOUND (' . json_encode($o) . ')');
        foreach ($servers as $s) {
            $s->cmd('DEL', RS_PREFIX . $id);
        }
    }
}
?>
--EXPECT--
pos 0, written by phpredis on #2, read by the other: found
pos 0, written by ours     on #2, read by the other: found
pos 1, written by phpredis on #2, read by the other: found
pos 1, written by ours     on #2, read by the other: found
pos 2, written by phpredis on #2, read by the other: found
pos 2, written by ours     on #2, read by the other: found
pos 3, written by phpredis on #1, read by the other: found
pos 3, written by ours     on #1, read by the other: found
