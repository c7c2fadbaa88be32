--TEST--
compression: compression_level is checked against the codec in force at session_start(): out of range (gzip 15) is a warning and the codec's default level is used, the session works; a level for a codec without levels (lz4) is ignored quietly; levels change the stored size (gzip 1 vs 9, zstd 1 vs 19)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$h = rs_lk('redis');
$cart = rs_cz_cart(200);
$sizes = [];
foreach ([['gzip', '15'], ['lz4', '9'], ['gzip', '1'], ['gzip', '9'], ['zstd', '1'], ['zstd', '19']] as [$codec, $level]) {
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
?>
--EXPECT--
gzip level 15: start=true, gzip, smaller, header ok, reads back true
  session_start(): redis.session.compression_level=15 is out of range for gzip (1-9); using gzip's default level 6
lz4 level 9: start=true, lz4, smaller, header ok, reads back true
gzip level 1: start=true, gzip, smaller, header ok, reads back true
gzip level 9: start=true, gzip, smaller, header ok, reads back true
zstd level 1: start=true, zstd, smaller, header ok, reads back true
zstd level 19: start=true, zstd, smaller, header ok, reads back true
bool(true)
bool(true)
