--TEST--
ini: ini_set() of a bad redis.session.lock_wait_time is refused with a warning naming it, and the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
var_dump(ini_set('redis.session.lock_wait_time', '5000') !== false);
foreach (['0', '-5', 'fast', '10000001'] as $bad) {
    var_dump(ini_set('redis.session.lock_wait_time', $bad));
    var_dump(ini_get('redis.session.lock_wait_time'));
}
?>
--EXPECTF--
bool(true)

Warning: ini_set(): redis.session.lock_wait_time: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(4) "5000"

Warning: ini_set(): redis.session.lock_wait_time: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(4) "5000"

Warning: ini_set(): redis.session.lock_wait_time: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(4) "5000"

Warning: ini_set(): redis.session.lock_wait_time: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(4) "5000"
