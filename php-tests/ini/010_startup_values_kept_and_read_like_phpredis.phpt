--TEST--
ini: values given at startup (-d / php.ini) are kept as written, with no startup warning, and php --ri shows what each means (0 = phpredis's default, unknown release command = eval)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
$r = rs_run_child([PHP_BINARY, '-n', '-d', 'display_startup_errors=1', '-d', 'display_errors=stderr',
    '-d', 'extension=' . rs_extension_so(),
    '-d', 'redis.session.lock_retries=lots',
    '-d', 'redis.session.lock_wait_time=0',
    '-d', 'redis.session.lock_release_cmd=UNLINK',
    '-r', 'var_dump(ini_get("redis.session.lock_retries"), ini_get("redis.session.lock_wait_time"), ini_get("redis.session.lock_release_cmd"));'], 20);
echo $r['stdout'], 'stderr: ', json_encode($r['stderr']), "\nexit ", $r['exit'], "\n";
$r = rs_run_child([PHP_BINARY, '-n', '-d', 'extension=' . rs_extension_so(),
    '-d', 'redis.session.lock_retries=lots', '-d', 'redis.session.lock_wait_time=0',
    '-d', 'redis.session.lock_release_cmd=UNLINK', '--ri', 'redis_session'], 20);
foreach (explode("\n", $r['stdout']) as $line) {
    if (preg_match('/^redis\.session\.(lock_retries|lock_wait_time|lock_release_cmd) /', $line)) echo $line, "\n";
}
?>
--EXPECT--
string(4) "lots"
string(1) "0"
string(6) "UNLINK"
stderr: ""
exit 0
redis.session.lock_wait_time => 0 => 20000 us => redis_session
redis.session.lock_retries => lots => 100 attempts, at most 2000 ms => redis_session
redis.session.lock_release_cmd => UNLINK => Lua script (eval) => redis_session
