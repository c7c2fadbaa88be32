--TEST--
ini: every value phpredis accepts (0 = its default, negatives, large numbers, eval/delex/delifeq in any case, its codecs) is accepted by ini_set() and used by session_start() without any warning
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
ob_start();
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]));
$values = [
    'redis.session.locking_enabled' => ['1', '0', '2', '', 'Off', 'no', 'false'],
    'redis.session.lock_expire' => ['0', '-1', '1', '30', '86401', '999999999'],
    'redis.session.lock_wait_time' => ['0', '1', '2000', '20000', '10000001', '50000000'],
    'redis.session.lock_retries' => ['0', '-1', '-5', '10', '100', '1000001'],
    'redis.session.lock_release_cmd' => ['eval', 'EVAL', 'delex', 'DELEX', 'delifeq', 'DelIfEq', ''],
    'redis.session.lock_failure_readonly' => ['0', '1'],
    'redis.session.early_refresh' => ['0', '1'],
    'redis.session.compression' => ['none', 'lzf', 'LZ4', 'zstd', ''],
    'redis.session.compression_level' => ['0', '-1', '1', '3', '19', '22', '99'],
];
$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) { $warnings[] = $msg; return true; });
$started = 0;
foreach ($values as $name => $list) {
    $refused = [];
    foreach ($list as $v) {
        if (ini_set($name, $v) === false || ini_get($name) !== $v) {
            $refused[] = $v;
        }
        // a short session with this value in force (lock_release_cmd: the release runs too)
        ini_set('redis.session.locking_enabled', $name === 'redis.session.locking_enabled' ? $v : '1');
        session_id(rs_new_id());
        if (session_start()) {
            $started++;
            $_SESSION['v'] = $v;
            session_write_close();
        }
    }
    echo $name, ': ', $refused ? 'refused ' . json_encode($refused) : 'all ' . count($list) . ' accepted', "\n";
    ini_restore($name);
}
restore_error_handler();
ob_end_flush();
echo "sessions started: $started\n";
echo "warnings: ", count($warnings), "\n";
foreach (array_unique($warnings) as $w) echo "  $w\n";
?>
--EXPECT--
redis.session.locking_enabled: all 7 accepted
redis.session.lock_expire: all 6 accepted
redis.session.lock_wait_time: all 6 accepted
redis.session.lock_retries: all 6 accepted
redis.session.lock_release_cmd: all 7 accepted
redis.session.lock_failure_readonly: all 2 accepted
redis.session.early_refresh: all 2 accepted
redis.session.compression: all 5 accepted
redis.session.compression_level: all 7 accepted
sessions started: 48
warnings: 0
