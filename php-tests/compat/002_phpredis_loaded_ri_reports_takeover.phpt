--TEST--
compat: with phpredis loaded first, php --ri redis_session says both handler names were taken over and who registered each setting
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
$r = rs_run_child([PHP_BINARY, '-n', ...rs_phpredis_args(), '-d', 'extension=' . rs_extension_so(),
    '-d', 'redis.session.lock_retries=7', '-d', 'redis.session.lock_release_cmd=DELEX',
    '--ri', 'redis_session'], 20);
echo $r['stdout'], 'stderr: ', json_encode($r['stderr']), "\n";
// and PHP lists each handler name once
$r = rs_run_child([PHP_BINARY, '-n', ...rs_phpredis_args(), '-d', 'extension=' . rs_extension_so(), '-i'], 20);
preg_match('/^Registered save handlers => (.*)$/m', $r['stdout'], $m);
echo trim($m[1] ?? '?'), "\n";
?>
--EXPECTF--
redis_session

redis_session => enabled
Version => %s
Save handler redis => registered (took over phpredis's handler of that name)
Save handler rediscluster => registered (took over phpredis's handler of that name)
Save handler redissentinel => registered
Built for => PHP %d.%d (module API %d)
Password redaction in PHP's session messages => on (save_path as %s)
Lock release command in use => DELEX
%A
Setting => Value => In force (phpredis's meaning) => Registered by
redis.session.locking_enabled => 0 => off => redis (phpredis)
redis.session.lock_expire => 0 => lock TTL 30 s => redis (phpredis)
redis.session.lock_wait_time => %d => %d us => redis (phpredis)
redis.session.lock_retries => 7 => 7 attempts, at most %d ms => redis (phpredis)
redis.session.lock_release_cmd => DELEX => DELEX => redis_session
redis.session.lock_failure_readonly => 0 => off => redis_session
redis.session.early_refresh => 0 => off => %s
redis.session.compression => %s
%Astderr: ""
files user redis rediscluster redissentinel
