--TEST--
compression: an empty session (nothing in $_SESSION) is stored as the empty string with every codec, even with compression_threshold=0, and a new session reads as empty (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    $line = [];
    foreach (RS_CZ_CODECS as $codec) {
        $id = rs_new_id();
        rs_session_setup($h->handler, $h->path, ['redis.session.compression' => $codec,
            'redis.session.compression_threshold' => '0']);
        [$ok, $w] = rs_cz_start($id);
        $empty = $_SESSION === [];
        session_write_close();
        $stored = $h->r->cmd('GET', $h->data($id));
        [$ok2] = rs_cz_start($id);
        $empty2 = $_SESSION === [];
        session_write_close();
        $line[] = sprintf('%s %s/%s/%s/%s', $codec, var_export($ok && $ok2, true), var_export($empty && $empty2, true),
            json_encode($stored), $w ? 'WARN' : 'no warning');
        $h->cleanup($id);
    }
    echo $handler, ': ', implode(', ', $line), "\n";
}
?>
--EXPECT--
redis: none true/true/""/no warning, gzip true/true/""/no warning, lz4 true/true/""/no warning, snappy true/true/""/no warning, lzf true/true/""/no warning, zstd true/true/""/no warning
rediscluster: none true/true/""/no warning, gzip true/true/""/no warning, lz4 true/true/""/no warning, snappy true/true/""/no warning, lzf true/true/""/no warning, zstd true/true/""/no warning
