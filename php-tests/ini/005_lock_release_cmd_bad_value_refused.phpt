--TEST--
ini: ini_set() of a bad redis.session.lock_release_cmd is refused with a warning naming it, and the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
var_dump(ini_set('redis.session.lock_release_cmd', 'DELEX') !== false);
foreach (['DEL', 'unlink', 'delifeq2', 'lua script'] as $bad) {
    var_dump(ini_set('redis.session.lock_release_cmd', $bad));
    var_dump(ini_get('redis.session.lock_release_cmd'));
}
?>
--EXPECTF--
bool(true)

Warning: ini_set(): redis.session.lock_release_cmd: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(5) "DELEX"

Warning: ini_set(): redis.session.lock_release_cmd: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(5) "DELEX"

Warning: ini_set(): redis.session.lock_release_cmd: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(5) "DELEX"

Warning: ini_set(): redis.session.lock_release_cmd: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(5) "DELEX"
