--TEST--
compression: ini_set() accepts every codec name (case-insensitive), thresholds 0..536870912 and levels empty/0..22, and refuses anything else with a warning naming the setting; the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
$cases = [
    'redis.session.compression' => [['none', '', 'gzip', 'LZ4', 'snappy', 'lzf', 'Zstd'], ['zip', 'lz4hc', 'brotli', 'gzip9', '1']],
    'redis.session.compression_threshold' => [['0', '1', '2048', '536870912'], ['-1', '536870913', '2k', '', 'x']],
    'redis.session.compression_level' => [['', '0', '1', '9', '22'], ['-1', '23', 'fast', '1.5']],
];
foreach ($cases as $name => [$valid, $invalid]) {
    $bad = [];
    foreach ($valid as $v) {
        if (ini_set($name, $v) === false || ini_get($name) !== $v) {
            $bad[] = $v;
        }
    }
    echo $name, ': ', $bad ? 'valid values refused: ' . json_encode($bad) : 'all ' . count($valid) . ' valid accepted', "\n";
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
redis.session.compression: all 7 valid accepted
  "zip": false, still "gzip"
  "lz4hc": false, still "gzip"
  "brotli": false, still "gzip"
  "gzip9": false, still "gzip"
  "1": false, still "gzip"
  ini_set(): redis.session.compression: value rejected (expects none, gzip, lz4, snappy, lzf or zstd); the previous value stays in force
  warnings: 5
redis.session.compression_threshold: all 4 valid accepted
  "-1": false, still "2048"
  "536870913": false, still "2048"
  "2k": false, still "2048"
  "": false, still "2048"
  "x": false, still "2048"
  ini_set(): redis.session.compression_threshold: value rejected (expects a number of bytes (0 to 536870912)); the previous value stays in force
  warnings: 5
redis.session.compression_level: all 5 valid accepted
  "-1": false, still "1"
  "23": false, still "1"
  "fast": false, still "1"
  "1.5": false, still "1"
  ini_set(): redis.session.compression_level: value rejected (expects empty or 0 (the codec's default), or a level: gzip 1-9, zstd 1-22); the previous value stays in force
  warnings: 4
