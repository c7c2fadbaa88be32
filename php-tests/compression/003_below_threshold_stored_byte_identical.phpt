--TEST--
compression: with a codec on, a session below redis.session.compression_threshold (default 2048) is stored byte-identical to session_encode(), as phpredis stores it; at exactly the threshold it is compressed (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['gzip', 'lz4', 'snappy', 'lzf', 'zstd'] as $codec) {
        $out = [];
        // a small session (default threshold), then one of exactly `threshold` bytes, then threshold - 1
        $id = rs_new_id();
        rs_session_setup($h->handler, $h->path, ['redis.session.compression' => $codec,
            'redis.session.compression_threshold' => '2048']);
        session_id($id);
        session_start();
        $_SESSION['user'] = ['id' => 7, 'name' => 'Ada Lovelace', 'roles' => ['admin', 'editor']];
        $_SESSION['csrf'] = str_repeat('ab', 20);
        $small = session_encode();
        session_write_close();
        $out[] = sprintf('%d bytes: %s', strlen($small), rs_cz_describe($h->r->cmd('GET', $h->data($id)), $small));

        session_id($id);
        session_start();
        $_SESSION['pad'] = str_repeat('x', 3000);
        $big = session_encode();
        session_write_close();
        // the same data written again (lazy_write off) with the threshold at its size, then one above
        ini_set('session.lazy_write', '0');
        foreach ([strlen($big), strlen($big) + 1] as $threshold) {
            ini_set('redis.session.compression_threshold', (string) $threshold);
            session_id($id);
            session_start();
            session_write_close();
            $out[] = sprintf('threshold %s: %s', $threshold === strlen($big) ? '= size' : '= size + 1',
                rs_cz_describe($h->r->cmd('GET', $h->data($id)), $big));
        }
        ini_set('session.lazy_write', '1');
        printf("%-12s %-6s %s\n", $handler, $codec, implode('; ', $out));
        $h->cleanup($id);
    }
}
?>
--EXPECTF--
redis        gzip   %d bytes: raw, identical; threshold = size: gzip, smaller, header ok; threshold = size + 1: raw, identical
redis        lz4    %d bytes: raw, identical; threshold = size: lz4, smaller, header ok; threshold = size + 1: raw, identical
redis        snappy %d bytes: raw, identical; threshold = size: snappy, smaller, header ok; threshold = size + 1: raw, identical
redis        lzf    %d bytes: raw, identical; threshold = size: lzf, smaller, header ok; threshold = size + 1: raw, identical
redis        zstd   %d bytes: raw, identical; threshold = size: zstd, smaller, header ok; threshold = size + 1: raw, identical
rediscluster gzip   %d bytes: raw, identical; threshold = size: gzip, smaller, header ok; threshold = size + 1: raw, identical
rediscluster lz4    %d bytes: raw, identical; threshold = size: lz4, smaller, header ok; threshold = size + 1: raw, identical
rediscluster snappy %d bytes: raw, identical; threshold = size: snappy, smaller, header ok; threshold = size + 1: raw, identical
rediscluster lzf    %d bytes: raw, identical; threshold = size: lzf, smaller, header ok; threshold = size + 1: raw, identical
rediscluster zstd   %d bytes: raw, identical; threshold = size: zstd, smaller, header ok; threshold = size + 1: raw, identical
