--TEST--
ini: a bad redis.session.* value given at startup (-d / php.ini) is refused with a startup warning naming it; the default stays
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
$r = rs_run_child([PHP_BINARY, '-n', '-d', 'display_startup_errors=1', '-d', 'display_errors=stderr',
    '-d', 'extension=' . rs_extension_so(),
    '-d', 'redis.session.lock_retries=lots',
    '-d', 'redis.session.lock_release_cmd=UNLINK',
    '-r', 'var_dump(ini_get("redis.session.lock_retries"), ini_get("redis.session.lock_release_cmd"));'], 20);
echo $r['stdout'], trim($r['stderr']), "\nexit ", $r['exit'], "\n";
?>
--EXPECTF--
string(3) "100"
string(0) ""
%AWarning: PHP Startup: redis.session.lock_retries: value rejected (%s); the previous value stays in force in Unknown on line 0
%AWarning: PHP Startup: redis.session.lock_release_cmd: value rejected (%s); the previous value stays in force in Unknown on line 0
exit 0
