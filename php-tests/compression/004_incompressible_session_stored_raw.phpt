--TEST--
compression: a session that no codec makes smaller (random bytes) is stored raw, byte-identical to session_encode(), and reads back (both handlers, every codec)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$noise = random_bytes(50000);
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['gzip', 'lz4', 'snappy', 'lzf', 'zstd'] as $codec) {
        $id = rs_new_id();
        rs_session_setup($h->handler, $h->path, ['redis.session.compression' => $codec]);
        session_id($id);
        session_start();
        $_SESSION['noise'] = $noise;
        $encoded = session_encode();
        session_write_close();
        $stored = rs_cz_describe($h->r->cmd('GET', $h->data($id)), $encoded);
        [$ok, $w] = rs_cz_start($id);
        $back = $ok && ($_SESSION['noise'] ?? null) === $noise;
        session_write_close();
        printf("%-12s %-6s stored: %s; reads back: %s%s\n", $handler, $codec, $stored, var_export($back, true),
            $w ? ' WARNINGS: ' . implode(' | ', $w) : '');
        $h->cleanup($id);
    }
}
?>
--EXPECT--
redis        gzip   stored: raw, identical; reads back: true
redis        lz4    stored: raw, identical; reads back: true
redis        snappy stored: raw, identical; reads back: true
redis        lzf    stored: raw, identical; reads back: true
redis        zstd   stored: raw, identical; reads back: true
rediscluster gzip   stored: raw, identical; reads back: true
rediscluster lz4    stored: raw, identical; reads back: true
rediscluster snappy stored: raw, identical; reads back: true
rediscluster lzf    stored: raw, identical; reads back: true
rediscluster zstd   stored: raw, identical; reads back: true
