--TEST--
save_path rediscluster: database=N is refused (Redis Cluster has only database 0)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
rs_session_setup('rediscluster', rs_cluster_path(['database' => 1]));
session_id(rs_new_id());
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
echo "done\n";
?>
--EXPECTF--
Warning: session_start(): rediscluster: open: malformed session.save_path: 'database=1' is not supported by Redis Cluster (it only has database 0) in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s&database=1) in %s on line %d
bool(false)
bool(true)
done
