--TEST--
ini: ini_set() of a bad redis.session.lock_retries is refused with a warning naming it, and the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
var_dump(ini_set('redis.session.lock_retries', '42') !== false);
foreach (['-2', 'many', '1000001', ''] as $bad) {
    var_dump(ini_set('redis.session.lock_retries', $bad));
    var_dump(ini_get('redis.session.lock_retries'));
}
?>
--EXPECTF--
bool(true)

Warning: ini_set(): redis.session.lock_retries: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(2) "42"

Warning: ini_set(): redis.session.lock_retries: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(2) "42"

Warning: ini_set(): redis.session.lock_retries: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(2) "42"

Warning: ini_set(): redis.session.lock_retries: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(2) "42"
