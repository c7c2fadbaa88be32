--TEST--
compression: php --ri redis_session lists the built-in codecs and the one in force (with level and threshold), and the three compression settings with what each means in force (compression_level defaults to 3, as in phpredis)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
foreach ([[], ['zstd', '9', '4096'], ['lz4', '', '2048'], ['gzip', '0', '100']] as $set) {
    $args = [PHP_BINARY, '-n', '-d', 'extension=' . rs_extension_so()];
    if ($set) {
        array_push($args, '-d', 'redis.session.compression=' . $set[0], '-d', 'redis.session.compression_level=' . $set[1],
            '-d', 'redis.session.compression_threshold=' . $set[2]);
    }
    $r = rs_run_child([...$args, '--ri', 'redis_session'], 20);
    preg_match_all('/^(Compression codecs|redis\.session\.compression\w*) => .*$/m', $r['stdout'], $m);
    echo implode("\n", $m[0]), "\nstderr: ", json_encode($r['stderr']), "\n";
}
?>
--EXPECT--
Compression codecs => gzip, lz4, snappy, lzf, zstd (built in); in force: none
redis.session.compression => none => none => redis_session
redis.session.compression_threshold => 2048 => 2048 bytes => redis_session
redis.session.compression_level => 3 => not used by none => redis_session
stderr: ""
Compression codecs => gzip, lz4, snappy, lzf, zstd (built in); in force: zstd level 9, from 4096 bytes
redis.session.compression => zstd => zstd => redis_session
redis.session.compression_threshold => 4096 => 4096 bytes => redis_session
redis.session.compression_level => 9 => zstd level 9 => redis_session
stderr: ""
Compression codecs => gzip, lz4, snappy, lzf, zstd (built in); in force: lz4, from 2048 bytes
redis.session.compression => lz4 => lz4 => redis_session
redis.session.compression_threshold => 2048 => 2048 bytes => redis_session
redis.session.compression_level => (empty) => not used by lz4 => redis_session
stderr: ""
Compression codecs => gzip, lz4, snappy, lzf, zstd (built in); in force: gzip level 6, from 100 bytes
redis.session.compression => gzip => gzip => redis_session
redis.session.compression_threshold => 100 => 100 bytes => redis_session
redis.session.compression_level => 0 => gzip level 6 => redis_session
stderr: ""
