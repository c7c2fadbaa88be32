--TEST--
compression: a raw session whose bytes start like the redis_session header ("\xFFRSZ", here a first session key with those bytes) is stored behind a codec-none header and reads back as itself, whatever codec is configured, with compression on or off (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$keys = [
    'magic only' => "\xFFRSZ",
    'magic + version 1 + codec gzip' => "\xFFRSZ\x01\x01",
    'magic + unknown version' => "\xFFRSZ\x09",
];
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach ($keys as $what => $key) {
        $line = [];
        foreach (['none', 'lz4', 'zstd'] as $codec) {
            $id = rs_new_id();
            rs_session_setup($h->handler, $h->path, ['redis.session.compression' => $codec]);
            session_id($id);
            session_start();
            $_SESSION[$key] = 1;
            $_SESSION['after'] = 'x';
            $encoded = session_encode();
            session_write_close();
            $starts = strncmp($encoded, "\xFFRSZ", 4) === 0;
            $stored = rs_cz_describe($h->r->cmd('GET', $h->data($id)), $encoded);
            // read it under another codec setting too
            ini_set('redis.session.compression', $codec === 'none' ? 'gzip' : 'none');
            [$ok, $w] = rs_cz_start($id);
            $back = $ok && ($_SESSION[$key] ?? null) === 1 && ($_SESSION['after'] ?? null) === 'x';
            session_write_close();
            $line[] = sprintf('%s: %s%s, reads back %s%s', $codec, $starts ? '' : 'NOT MAGIC, ', $stored,
                var_export($back, true), $w ? ' WARNINGS: ' . implode(' | ', $w) : '');
            $h->cleanup($id);
        }
        printf("%-12s %s\n  %s\n", $handler, $what, implode("\n  ", $line));
    }
}
?>
--EXPECT--
redis        magic only
  none: escaped (codec none), header ok, reads back true
  lz4: escaped (codec none), header ok, reads back true
  zstd: escaped (codec none), header ok, reads back true
redis        magic + version 1 + codec gzip
  none: escaped (codec none), header ok, reads back true
  lz4: escaped (codec none), header ok, reads back true
  zstd: escaped (codec none), header ok, reads back true
redis        magic + unknown version
  none: escaped (codec none), header ok, reads back true
  lz4: escaped (codec none), header ok, reads back true
  zstd: escaped (codec none), header ok, reads back true
rediscluster magic only
  none: escaped (codec none), header ok, reads back true
  lz4: escaped (codec none), header ok, reads back true
  zstd: escaped (codec none), header ok, reads back true
rediscluster magic + version 1 + codec gzip
  none: escaped (codec none), header ok, reads back true
  lz4: escaped (codec none), header ok, reads back true
  zstd: escaped (codec none), header ok, reads back true
rediscluster magic + unknown version
  none: escaped (codec none), header ok, reads back true
  lz4: escaped (codec none), header ok, reads back true
  zstd: escaped (codec none), header ok, reads back true
