--TEST--
save_path rediscluster: a seed without a port is refused naming the seed
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
rs_session_setup('rediscluster', rs_cluster_path([], [rs_host()]));
session_id(rs_new_id());
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
echo "done\n";
?>
--EXPECTF--
Warning: session_start(): rediscluster: open: malformed session.save_path: 'seed[]=%s' has no port in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s) in %s on line %d
bool(false)
bool(true)
done
