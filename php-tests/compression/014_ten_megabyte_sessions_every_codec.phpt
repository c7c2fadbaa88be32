--TEST--
compression: a 10 MB session round-trips with every codec on both handlers (stored compressed and much smaller); 10 MB of random bytes is stored raw
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--INI--
memory_limit=512M
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$cart = rs_cz_cart(200);
$big = [];
for ($i = 0; strlen(serialize($big)) < 10 * 1024 * 1024; $i++) {
    $big["page$i"] = $cart;   // about 50 KB each
}
$noise = random_bytes(10 * 1024 * 1024);
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler, ['timeout' => 5, 'read_timeout' => 10]);
    foreach (RS_CZ_CODECS as $codec) {
        foreach (['pages' => $big, 'noise' => $noise] as $what => $value) {
            rs_session_setup($h->handler, $h->path, ['redis.session.compression' => $codec]);
            $id = rs_new_id();
            session_id($id);
            session_start();
            $_SESSION['v'] = $value;
            $encoded = session_encode();
            session_write_close();
            $stored = $h->r->cmd('GET', $h->data($id));
            [$ok, $w] = rs_cz_start($id);
            $back = $ok && $_SESSION['v'] === $value;
            session_write_close();
            printf("%-12s %-6s %-5s %.1f MB stored as %s, %s of it; reads back %s%s\n", $handler, $codec, $what,
                strlen($encoded) / 1048576, rs_cz_describe($stored, $encoded),
                strlen($stored) < strlen($encoded) / 3 ? 'under a third' : (strlen($stored) === strlen($encoded) ? 'all' : 'more than a third'),
                var_export($back, true), $w ? ' WARNINGS: ' . implode(' | ', $w) : '');
            unset($stored, $encoded);
            $h->cleanup($id);
        }
    }
}
?>
--EXPECT--
redis        none   pages 10.0 MB stored as raw, identical, all of it; reads back true
redis        none   noise 10.0 MB stored as raw, identical, all of it; reads back true
redis        gzip   pages 10.0 MB stored as gzip, smaller, header ok, under a third of it; reads back true
redis        gzip   noise 10.0 MB stored as raw, identical, all of it; reads back true
redis        lz4    pages 10.0 MB stored as lz4, smaller, header ok, under a third of it; reads back true
redis        lz4    noise 10.0 MB stored as raw, identical, all of it; reads back true
redis        snappy pages 10.0 MB stored as snappy, smaller, header ok, under a third of it; reads back true
redis        snappy noise 10.0 MB stored as raw, identical, all of it; reads back true
redis        lzf    pages 10.0 MB stored as lzf, smaller, header ok, under a third of it; reads back true
redis        lzf    noise 10.0 MB stored as raw, identical, all of it; reads back true
redis        zstd   pages 10.0 MB stored as zstd, smaller, header ok, under a third of it; reads back true
redis        zstd   noise 10.0 MB stored as raw, identical, all of it; reads back true
rediscluster none   pages 10.0 MB stored as raw, identical, all of it; reads back true
rediscluster none   noise 10.0 MB stored as raw, identical, all of it; reads back true
rediscluster gzip   pages 10.0 MB stored as gzip, smaller, header ok, under a third of it; reads back true
rediscluster gzip   noise 10.0 MB stored as raw, identical, all of it; reads back true
rediscluster lz4    pages 10.0 MB stored as lz4, smaller, header ok, under a third of it; reads back true
rediscluster lz4    noise 10.0 MB stored as raw, identical, all of it; reads back true
rediscluster snappy pages 10.0 MB stored as snappy, smaller, header ok, under a third of it; reads back true
rediscluster snappy noise 10.0 MB stored as raw, identical, all of it; reads back true
rediscluster lzf    pages 10.0 MB stored as lzf, smaller, header ok, under a third of it; reads back true
rediscluster lzf    noise 10.0 MB stored as raw, identical, all of it; reads back true
rediscluster zstd   pages 10.0 MB stored as zstd, smaller, header ok, under a third of it; reads back true
rediscluster zstd   noise 10.0 MB stored as raw, identical, all of it; reads back true
