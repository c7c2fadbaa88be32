--TEST--
ini: php --ri redis_session lists both handlers and every redis.session.* setting with the value in force
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
$r = rs_run_child([PHP_BINARY, '-n', '-d', 'extension=' . rs_extension_so(),
    '-d', 'redis.session.locking_enabled=1',
    '-d', 'redis.session.lock_expire=17',
    '-d', 'redis.session.lock_wait_time=1234',
    '-d', 'redis.session.lock_retries=-1',
    '-d', 'redis.session.lock_release_cmd=delifeq',
    '-d', 'redis.session.compression="none"',   // unquoted, the INI parser reads none as ''
    '--ri', 'redis_session'], 20);
echo $r['stdout'], 'stderr: ', json_encode($r['stderr']), "\n";
?>
--EXPECTF--
redis_session

redis_session => enabled
Version => %s
Save handler redis => registered
Save handler rediscluster => registered
Save handler redissentinel => registered
Built for => PHP %d.%d (module API %d)
Password redaction in PHP's session messages => on (save_path as %s)
Lock release command in use => DELIFEQ
%A
Setting => Value => In force (phpredis's meaning) => Registered by
redis.session.locking_enabled => 1 => on => redis_session
redis.session.lock_expire => 17 => lock TTL 17 s => redis_session
redis.session.lock_wait_time => 1234 => 1234 us => redis_session
redis.session.lock_retries => -1 => until the lock TTL (17 s) runs out => redis_session
redis.session.lock_release_cmd => delifeq => DELIFEQ => redis_session
redis.session.lock_failure_readonly => 0 => off => redis_session
redis.session.early_refresh => 0 => off => redis_session
redis.session.compression => none => none => redis_session
%Astderr: ""
