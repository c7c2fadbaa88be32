--TEST--
compression: with use_strict_mode the value fetched by validate_sid (with the lock, when locking) is decoded like any read: a compressed session keeps its id and reads back; a corrupt one fails session_start() and leaves no lock (both handlers, with and without locking)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['0', '1'] as $locking) {
        rs_session_setup($h->handler, $h->path, ['redis.session.compression' => 'lzf',
            'redis.session.locking_enabled' => $locking, 'session.use_strict_mode' => '1']);
        $id = rs_new_id();
        session_id($id);
        session_start();   // unknown id: strict mode gives a new one
        $id = session_id();
        $_SESSION['cart'] = rs_cz_cart();
        session_write_close();
        $stored = $h->r->cmd('GET', $h->data($id));

        [$ok, $w] = rs_cz_start($id);
        $kept = session_id() === $id;
        $intact = ($_SESSION['cart'] ?? null) === rs_cz_cart();
        session_write_close();

        $h->r->cmd('SET', $h->data($id), substr($stored, 0, 40), 'EX', 300);
        [$ok2, $w2] = rs_cz_start($id);
        printf("%s locking=%s: stored %s; start=%s id kept=%s intact=%s; corrupt: start=%s, %d warnings, first names the key: %s, lock left=%d\n",
            $handler, $locking, rs_cz_header($stored)['codec_name'] ?? 'raw', var_export($ok, true), var_export($kept, true),
            var_export($intact, true), var_export($ok2, true), count($w2),
            var_export(str_contains($w2[0] ?? '', rs_key_tag($h->data($id))) && str_contains($w2[0], 'codec lzf'), true),
            $h->r->cmd('EXISTS', $h->lock($id)));
        $h->cleanup($id);
    }
}
?>
--EXPECT--
redis locking=0: stored lzf; start=true id kept=true intact=true; corrupt: start=false, 2 warnings, first names the key: true, lock left=0
redis locking=1: stored lzf; start=true id kept=true intact=true; corrupt: start=false, 2 warnings, first names the key: true, lock left=0
rediscluster locking=0: stored lzf; start=true id kept=true intact=true; corrupt: start=false, 2 warnings, first names the key: true, lock left=0
rediscluster locking=1: stored lzf; start=true id kept=true intact=true; corrupt: start=false, 2 warnings, first names the key: true, lock left=0
