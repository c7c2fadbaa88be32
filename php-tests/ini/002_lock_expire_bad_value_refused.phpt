--TEST--
ini: ini_set() of a bad redis.session.lock_expire is refused with a warning naming it, and the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
var_dump(ini_set('redis.session.lock_expire', '7') !== false);
foreach (['abc', '-1', '86401', '1.5', '10s'] as $bad) {
    var_dump(ini_set('redis.session.lock_expire', $bad));
    var_dump(ini_get('redis.session.lock_expire'));
}
?>
--EXPECTF--
bool(true)

Warning: ini_set(): redis.session.lock_expire: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "7"

Warning: ini_set(): redis.session.lock_expire: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "7"

Warning: ini_set(): redis.session.lock_expire: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "7"

Warning: ini_set(): redis.session.lock_expire: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "7"

Warning: ini_set(): redis.session.lock_expire: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "7"
