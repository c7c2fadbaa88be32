--TEST--
compression: rediscluster handler: sessions that phpredis stored compressed (its lzf, lz4 and zstd formats, written here by phpredis 5.3.7's client with OPT_COMPRESSION, the same redis_compress() its session handler uses) read when the site configures the same codec; the next write stores our format
--EXTENSIONS--
igbinary
redis
--SKIPIF--
<?php
require __DIR__ . '/../inc/config.inc';
rs_skip_if_no_cluster();
foreach (['COMPRESSION_LZF', 'COMPRESSION_LZ4', 'COMPRESSION_ZSTD'] as $c) {
    if (!defined("Redis::$c")) {
        rs_skip_optional("this phpredis build has no $c");
    }
}
?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$h = rs_lk('rediscluster');
$client = new RedisCluster(null, rs_cluster_seeds(), 2, 2);
$session = ['user' => ['id' => 7, 'name' => 'Ada'], 'cart' => rs_cz_cart(30)];
$small = ['n' => 1];
foreach (['lzf' => Redis::COMPRESSION_LZF, 'lz4' => Redis::COMPRESSION_LZ4, 'zstd' => Redis::COMPRESSION_ZSTD] as $codec => $const) {
    foreach (['large' => $session, 'small' => $small] as $size => $data) {
        // the session string phpredis's handler would have been given, compressed its way
        rs_session_setup($h->handler, $h->path, ['redis.session.compression' => $codec]);
        session_id('encoder' . rs_new_id());
        session_start();
        $_SESSION = $data;
        $encoded = session_encode();
        session_abort();
        $id = rs_new_id();
        // Redis::, not RedisCluster::: phpredis 6 declares the option constants on Redis only
        $client->setOption(Redis::OPT_COMPRESSION, $const);
        $client->set($h->data($id), $encoded, ['EX' => 300]);
        $client->setOption(Redis::OPT_COMPRESSION, Redis::COMPRESSION_NONE);
        $raw = $h->r->cmd('GET', $h->data($id));
        $is_compressed = $raw !== $encoded && rs_cz_header($raw) === null;

        [$ok, $w] = rs_cz_start($id);
        $same = $ok && $_SESSION === $data;
        $_SESSION['touched'] = true;
        $encoded2 = session_encode();
        session_write_close();
        printf("%-4s %-5s phpredis value compressed: %s; read: start=%s same=%s%s; rewritten: %s\n", $codec, $size,
            var_export($is_compressed, true), var_export($ok, true), var_export($same, true),
            $w ? ' WARNINGS: ' . implode(' | ', $w) : '', rs_cz_describe($h->r->cmd('GET', $h->data($id)), $encoded2));
        $h->cleanup($id);
    }
}
?>
--EXPECT--
lzf  large phpredis value compressed: true; read: start=true same=true; rewritten: lzf, smaller, header ok
lzf  small phpredis value compressed: true; read: start=true same=true; rewritten: raw, identical
lz4  large phpredis value compressed: true; read: start=true same=true; rewritten: lz4, smaller, header ok
lz4  small phpredis value compressed: true; read: start=true same=true; rewritten: raw, identical
zstd large phpredis value compressed: true; read: start=true same=true; rewritten: zstd, smaller, header ok
zstd small phpredis value compressed: true; read: start=true same=true; rewritten: raw, identical
