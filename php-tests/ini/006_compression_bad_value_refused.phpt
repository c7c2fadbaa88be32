--TEST--
ini: ini_set() of a bad redis.session.compression is refused with a warning naming it, and the old value stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
var_dump(ini_set('redis.session.compression', 'none') !== false);
foreach (['zip', 'brotli', '1'] as $bad) {
    var_dump(ini_set('redis.session.compression', $bad));
    var_dump(ini_get('redis.session.compression'));
}
?>
--EXPECTF--
bool(true)

Warning: ini_set(): redis.session.compression: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(4) "none"

Warning: ini_set(): redis.session.compression: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(4) "none"

Warning: ini_set(): redis.session.compression: value rejected (%s); the previous value stays in force in %s on line %d
bool(false)
string(4) "none"
