--TEST--
ini: ini_set() of a bad redis.session.locking_enabled is refused with a warning naming it, and the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
var_dump(ini_set('redis.session.locking_enabled', '1') !== false);
foreach (['maybe', '2', 'enabled', '-1'] as $bad) {
    var_dump(ini_set('redis.session.locking_enabled', $bad));
    var_dump(ini_get('redis.session.locking_enabled'));
}
?>
--EXPECTF--
bool(true)

Warning: ini_set(): redis.session.locking_enabled: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "1"

Warning: ini_set(): redis.session.locking_enabled: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "1"

Warning: ini_set(): redis.session.locking_enabled: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "1"

Warning: ini_set(): redis.session.locking_enabled: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(1) "1"
