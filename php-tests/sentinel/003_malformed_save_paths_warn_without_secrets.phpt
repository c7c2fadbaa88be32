--TEST--
redissentinel: malformed save_paths (no sentinel, no service, a bad address, another handler's option, an unknown service) fail session_start() with a warning naming the bad part, never a password
--SKIPIF--
<?php require __DIR__ . '/../inc/sentinel.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/sentinel.inc';
ob_start();
foreach ([
    'service=mymaster&sentinel_auth=Secret1',
    'sentinel[]=127.0.0.1:1',
    'sentinel[]=127.0.0.1&service=m',
    'sentinel[]=127.0.0.1:1&service=m&weight=2',
    'sentinel[]=127.0.0.1:1&service=m&sentinel_auth[]=u&sentinel_auth[]=Secret1&sentinel_auth[]=x',
    'sentinel[]=127.0.0.1:1&service=m&sentinel_auth[user]=Secret1',
] as $path) {
    rs_session_setup('redissentinel', $path);
    session_id(rs_new_id());
    $warnings = [];
    set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
    $ok = session_start();
    restore_error_handler();
    echo var_export($ok, true), ': ', $warnings[0] ?? '', "\n";
    echo '  secret shown: ', var_export(str_contains(implode(' ', $warnings), 'Secret1'), true), "\n";
}
?>
--EXPECTF--
false: session_start(): redissentinel: open: malformed session.save_path: needs at least one sentinel[]=host:port
  secret shown: false
false: session_start(): redissentinel: open: malformed session.save_path: needs service=<master name> (as in the sentinels' sentinel monitor line)
  secret shown: false
false: session_start(): redissentinel: open: malformed session.save_path: 'sentinel[]=127.0.0.1' has no port
  secret shown: false
false: session_start(): redissentinel: open: malformed session.save_path: 'weight=2' does not apply to the redissentinel handler
  secret shown: false
false: session_start(): redissentinel: open: malformed session.save_path: 'sentinel_***' takes one or two values (password, or user and password)
  secret shown: false
false: session_start(): redissentinel: open: malformed session.save_path: 'sentinel_***' has no auth[pass]
  secret shown: false