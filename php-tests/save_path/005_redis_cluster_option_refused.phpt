--TEST--
save_path redis: a rediscluster-only option (seed[]=) is refused naming it
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
rs_session_setup('redis', rs_standalone_path(['seed[]' => rs_host() . ':' . rs_port()]));
session_id(rs_new_id());
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
echo "done\n";
?>
--EXPECTF--
Warning: session_start(): redis: open: malformed session.save_path: 'seed[]=%s:%d' only applies to the rediscluster handler in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:%d?seed[]=%s:%d) in %s on line %d
bool(false)
bool(true)
done
