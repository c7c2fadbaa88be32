--TEST--
save_path rediscluster: a seed whose port is not a number, 0 or above 65535 is refused naming the seed
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
ob_start();
foreach (['99999', 'abc', '0'] as $port) {
    // a good seed first: one bad seed spoils the whole save_path, it is not skipped
    rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 1], [rs_cluster_seeds()[0], rs_host() . ":$port"]));
    session_id(rs_new_id());
    var_dump(session_start());
}
echo "done\n";
ob_end_flush();
?>
--EXPECTF--
Warning: session_start(): rediscluster: open: malformed session.save_path: 'seed[]=%s:99999' port must be 1-65535 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s:%d&seed[]=%s:99999&timeout=1) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: open: malformed session.save_path: 'seed[]=%s:abc' port must be 1-65535 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s:%d&seed[]=%s:abc&timeout=1) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: open: malformed session.save_path: 'seed[]=%s:0' port must be 1-65535 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s:%d&seed[]=%s:0&timeout=1) in %s on line %d
bool(false)
done
