--TEST--
save_path redis: a port that is missing, not a number, 0 or above 65535 is refused naming the address
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
ob_start();   // several session_start() in one CLI process: keep session INI changeable
foreach (['99999', 'abc', '0', '', '-1'] as $port) {
    rs_session_setup('redis', 'tcp://' . rs_host() . ":$port?timeout=1");
    session_id(rs_new_id());
    var_dump(session_start());
}
echo "done\n";
ob_end_flush();
?>
--EXPECTF--
Warning: session_start(): redis: open: malformed session.save_path: 'tcp://%s:99999' port must be 1-65535 in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:99999?timeout=1) in %s on line %d
bool(false)

Warning: session_start(): redis: open: malformed session.save_path: 'tcp://%s:abc' port must be 1-65535 in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:abc?timeout=1) in %s on line %d
bool(false)

Warning: session_start(): redis: open: malformed session.save_path: 'tcp://%s:0' port must be 1-65535 in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:0?timeout=1) in %s on line %d
bool(false)

Warning: session_start(): redis: open: malformed session.save_path: 'tcp://%s:' has no port in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:?timeout=1) in %s on line %d
bool(false)

Warning: session_start(): redis: open: malformed session.save_path: 'tcp://%s:-1' port must be 1-65535 in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:-1?timeout=1) in %s on line %d
bool(false)
done
