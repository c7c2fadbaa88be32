--TEST--
compression: with locking, 4 processes x 25 increments of one large session, two of them writing lz4 and two zstd at the same time, end at exactly 100 with the rest of the session intact (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    $id = rs_new_id();
    rs_session_setup($h->handler, $h->path, ['redis.session.compression' => 'gzip']);
    session_id($id);
    session_start();
    $_SESSION['cart'] = rs_cz_cart();
    session_write_close();
    $cmds = [];
    foreach (['lz4', 'zstd', 'lz4', 'zstd'] as $codec) {
        $ini = $h->ini([
            'redis.session.locking_enabled' => '1',
            'redis.session.lock_retries' => '-1',
            'redis.session.lock_wait_time' => '2000',
            'redis.session.compression' => $codec,
            'max_execution_time' => '30',
        ]);
        $cmds[] = rs_child_cmd(rs_worker(), ['incr', $id, 25, rs_start_at(0.5)], $ini);
    }
    $bad = 0;
    foreach (rs_run_children($cmds, 60) as $r) {
        $o = json_decode(trim($r['stdout']), true);
        if ($r['exit'] !== 0 || !$o || $o['failed'] || $o['warnings'] || $r['stderr'] !== '') {
            $bad++;
            var_dump($r);
        }
    }
    [$ok] = rs_cz_start($id);
    printf("%s: bad children=%d, n=%s, cart intact=%s, stored as %s, lock left=%d\n", $handler, $bad,
        var_export($_SESSION['n'] ?? null, true), var_export(($_SESSION['cart'] ?? null) === rs_cz_cart(), true),
        rs_cz_header($h->r->cmd('GET', $h->data($id)))['codec_name'] ?? 'raw', $h->r->cmd('EXISTS', $h->lock($id)));
    session_write_close();
    $h->cleanup($id);
}
?>
--EXPECTF--
redis: bad children=0, n=100, cart intact=true, stored as %r(lz4|zstd)%r, lock left=0
rediscluster: bad children=0, n=100, cart intact=true, stored as %r(lz4|zstd)%r, lock left=0
