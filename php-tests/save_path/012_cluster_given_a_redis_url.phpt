--TEST--
save_path rediscluster: a redis-style URL (tcp://host:port) is refused with a hint at seed[]=
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
rs_session_setup('rediscluster', 'tcp://' . rs_host() . ':' . rs_port());
session_id(rs_new_id());
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
echo "done\n";
?>
--EXPECTF--
Warning: session_start(): rediscluster: open: malformed session.save_path: 'tcp://%s:%d' is not an option; the rediscluster handler takes seed[]=host:port&option=value in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: tcp://%s:%d) in %s on line %d
bool(false)
bool(true)
done
