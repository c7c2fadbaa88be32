--TEST--
compression: compression_level is applied as phpredis applies it to zstd: above the codec's top it is the top (gzip 15 = gzip 9, zstd 99 = zstd 22), below 1 the codec's default, with no warning; a level for a codec without levels (lz4) is ignored quietly; levels change the stored size (gzip 1 vs 9, zstd 1 vs 19)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$h = rs_lk('redis');
$cart = rs_cz_cart(200);
$sizes = [];
foreach ([['gzip', '15'], ['lz4', '9'], ['gzip', '1'], ['gzip', '9'], ['zstd', '1'], ['zstd', '19'], ['zstd', '99'], ['zstd', '22'], ['zstd', '-4'], ['zstd', '3']] as [$codec, $level]) {
    rs_session_setup($h->handler, $h->path, ['redis.session.compression' => $codec,
        'redis.session.compression_level' => $level]);
    $id = rs_new_id();
    [$ok, $w] = rs_cz_start($id);
    $_SESSION['cart'] = $cart;
    $encoded = session_encode();
    session_write_close();
    $stored = $h->r->cmd('GET', $h->data($id));
    $sizes["$codec $level"] = strlen($stored);
    [$ok2] = rs_cz_start($id);
    $back = $ok2 && $_SESSION['cart'] === $cart;
    session_write_close();
    printf("%s level %s: start=%s, %s, reads back %s\n%s", $codec, $level, var_export($ok, true),
        rs_cz_describe($stored, $encoded), var_export($back, true), $w ? '  ' . implode("\n  ", $w) . "\n" : '');
    $h->cleanup($id);
}
var_dump($sizes['gzip 9'] < $sizes['gzip 1'], $sizes['zstd 19'] < $sizes['zstd 1']);
var_dump($sizes['gzip 15'] === $sizes['gzip 9'], $sizes['zstd 99'] === $sizes['zstd 22'], $sizes['zstd -4'] === $sizes['zstd 3']);
?>
--EXPECT--
gzip level 15: start=true, gzip, smaller, header ok, reads back true
lz4 level 9: start=true, lz4, smaller, header ok, reads back true
gzip level 1: start=true, gzip, smaller, header ok, reads back true
gzip level 9: start=true, gzip, smaller, header ok, reads back true
zstd level 1: start=true, zstd, smaller, header ok, reads back true
zstd level 19: start=true, zstd, smaller, header ok, reads back true
zstd level 99: start=true, zstd, smaller, header ok, reads back true
zstd level 22: start=true, zstd, smaller, header ok, reads back true
zstd level -4: start=true, zstd, smaller, header ok, reads back true
zstd level 3: start=true, zstd, smaller, header ok, reads back true
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
