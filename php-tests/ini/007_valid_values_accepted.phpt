--TEST--
ini: valid values of every redis.session.* setting are accepted by ini_set() without a warning
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
$valid = [
    'redis.session.locking_enabled' => ['1', '0', 'On', 'off', 'yes', 'no', 'true', 'FALSE', ''],
    'redis.session.lock_expire' => ['0', '1', '30', '86400'],
    'redis.session.lock_wait_time' => ['1', '2000', '20000', '10000000'],
    'redis.session.lock_retries' => ['-1', '0', '10', '100', '1000000'],
    'redis.session.lock_release_cmd' => ['DELIFEQ', 'DELEX', '', 'delifeq'],
    'redis.session.compression' => ['none', ''],
];
foreach ($valid as $name => $values) {
    $bad = [];
    foreach ($values as $v) {
        if (ini_set($name, $v) === false || ini_get($name) !== $v) {
            $bad[] = $v;
        }
    }
    echo $name, ': ', $bad ? 'refused ' . json_encode($bad) : 'all ' . count($values) . ' accepted', "\n";
}
?>
--EXPECT--
redis.session.locking_enabled: all 9 accepted
redis.session.lock_expire: all 4 accepted
redis.session.lock_wait_time: all 4 accepted
redis.session.lock_retries: all 5 accepted
redis.session.lock_release_cmd: all 4 accepted
redis.session.compression: all 2 accepted
