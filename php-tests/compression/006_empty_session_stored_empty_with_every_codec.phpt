--TEST--
compression: an empty session (nothing in $_SESSION) is stored as the empty string with every codec (PHP up to 8.5; PHP 8.6 calls update_timestamp then and nothing is stored, see rs_new_empty_session_stored()), even with compression_threshold=0, and a new session reads as empty (both handlers)
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
            $stored === rs_new_empty_session_stored() ? 'stored as PHP asked' : json_encode($stored),
            $w ? 'WARN' : 'no warning');
        $h->cleanup($id);
    }
    echo $handler, ': ', implode(', ', $line), "\n";
}
?>
--EXPECT--
redis: none true/true/stored as PHP asked/no warning, gzip true/true/stored as PHP asked/no warning, lz4 true/true/stored as PHP asked/no warning, snappy true/true/stored as PHP asked/no warning, lzf true/true/stored as PHP asked/no warning, zstd true/true/stored as PHP asked/no warning
rediscluster: none true/true/stored as PHP asked/no warning, gzip true/true/stored as PHP asked/no warning, lz4 true/true/stored as PHP asked/no warning, snappy true/true/stored as PHP asked/no warning, lzf true/true/stored as PHP asked/no warning, zstd true/true/stored as PHP asked/no warning
