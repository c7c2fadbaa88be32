--TEST--
compression: redis handler: the site switches redis.session.compression between requests on the same session (every codec, then none, without and with locking); every request reads the previous one's data, each write uses the codec then in force
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$h = rs_lk('redis');
$cart = rs_cz_cart();
$sequence = ['none', 'gzip', 'lz4', 'snappy', 'lzf', 'zstd', 'none', 'zstd', 'lzf', 'snappy', 'lz4', 'gzip', 'none'];
foreach (['0' => 'no lock', '1' => 'lock'] as $locking => $label) {
    echo "--- $label\n";
    $id = rs_new_id();
    foreach ($sequence as $i => $codec) {
        rs_session_setup($h->handler, $h->path, [
            'redis.session.compression' => $codec,
            'redis.session.locking_enabled' => $locking,
        ]);
        [$ok, $w] = rs_cz_start($id);
        $intact = $i === 0 ? $_SESSION === [] : (($_SESSION['cart'] ?? null) === $cart && ($_SESSION['n'] ?? null) === $i);
        $_SESSION['n'] = $i + 1;
        $_SESSION['cart'] = $cart;
        $encoded = session_encode();
        $closed = session_write_close();
        printf("%-6s start=%s read ok=%s close=%s stored: %s%s\n", $codec, var_export($ok, true),
            var_export($intact, true), var_export($closed, true),
            rs_cz_describe($h->r->cmd('GET', $h->data($id)), $encoded), $w ? ' WARNINGS: ' . implode(' | ', $w) : '');
    }
    echo 'lock left: ', $h->r->cmd('EXISTS', $h->lock($id)), "\n";
    $h->cleanup($id);
}
?>
--EXPECT--
--- no lock
none   start=true read ok=true close=true stored: raw, identical
gzip   start=true read ok=true close=true stored: gzip, smaller, header ok
lz4    start=true read ok=true close=true stored: lz4, smaller, header ok
snappy start=true read ok=true close=true stored: snappy, smaller, header ok
lzf    start=true read ok=true close=true stored: lzf, smaller, header ok
zstd   start=true read ok=true close=true stored: zstd, smaller, header ok
none   start=true read ok=true close=true stored: raw, identical
zstd   start=true read ok=true close=true stored: zstd, smaller, header ok
lzf    start=true read ok=true close=true stored: lzf, smaller, header ok
snappy start=true read ok=true close=true stored: snappy, smaller, header ok
lz4    start=true read ok=true close=true stored: lz4, smaller, header ok
gzip   start=true read ok=true close=true stored: gzip, smaller, header ok
none   start=true read ok=true close=true stored: raw, identical
lock left: 0
--- lock
none   start=true read ok=true close=true stored: raw, identical
gzip   start=true read ok=true close=true stored: gzip, smaller, header ok
lz4    start=true read ok=true close=true stored: lz4, smaller, header ok
snappy start=true read ok=true close=true stored: snappy, smaller, header ok
lzf    start=true read ok=true close=true stored: lzf, smaller, header ok
zstd   start=true read ok=true close=true stored: zstd, smaller, header ok
none   start=true read ok=true close=true stored: raw, identical
zstd   start=true read ok=true close=true stored: zstd, smaller, header ok
lzf    start=true read ok=true close=true stored: lzf, smaller, header ok
snappy start=true read ok=true close=true stored: snappy, smaller, header ok
lz4    start=true read ok=true close=true stored: lz4, smaller, header ok
gzip   start=true read ok=true close=true stored: gzip, smaller, header ok
none   start=true read ok=true close=true stored: raw, identical
lock left: 0
