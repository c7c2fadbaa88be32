--TEST--
compression: ini_set() takes every compression and compression_level value (phpredis's names: any text, read as phpredis reads it at session_start), while our compression_threshold accepts 0..536870912 only and refuses anything else with a warning naming it; the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
$cases = [
    'redis.session.compression' => [['none', '', 'gzip', 'LZ4', 'snappy', 'lzf', 'Zstd', 'zip', 'lz4hc', 'brotli', '1'], []],
    'redis.session.compression_threshold' => [['0', '1', '2048', '536870912'], ['-1', '536870913', '2k', '', 'x']],
    'redis.session.compression_level' => [['', '0', '1', '9', '22', '-1', '23', 'fast', '1.5'], []],
];
foreach ($cases as $name => [$valid, $invalid]) {
    $bad = [];
    foreach ($valid as $v) {
        if (ini_set($name, $v) === false || ini_get($name) !== $v) {
            $bad[] = $v;
        }
    }
    echo $name, ': ', $bad ? 'valid values refused: ' . json_encode($bad) : 'all ' . count($valid) . ' accepted', "\n";
    if (!$invalid) continue;
    ini_set($name, $valid[2]);
    $warnings = [];
    set_error_handler(function (int $no, string $msg) use (&$warnings) { $warnings[] = $msg; return true; });
    foreach ($invalid as $v) {
        $r = ini_set($name, $v);
        echo '  ', json_encode($v), ': ', var_export($r, true), ', still ', json_encode(ini_get($name)), "\n";
    }
    restore_error_handler();
    echo '  ', $warnings[0], "\n  warnings: ", count($warnings), "\n";
}
?>
--EXPECT--
redis.session.compression: all 11 accepted
redis.session.compression_threshold: all 4 accepted
  "-1": false, still "2048"
  "536870913": false, still "2048"
  "2k": false, still "2048"
  "": false, still "2048"
  "x": false, still "2048"
  ini_set(): redis.session.compression_threshold: value rejected (expects a number of bytes (0 to 536870912)); the previous value stays in force
  warnings: 5
redis.session.compression_level: all 9 accepted
