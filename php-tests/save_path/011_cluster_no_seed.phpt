--TEST--
save_path rediscluster: an empty save_path, or one without seed[], is refused; never a fallback to localhost
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
ob_start();
foreach (['', 'timeout=1&read_timeout=1'] as $path) {
    rs_session_setup('rediscluster', $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
echo "done\n";
ob_end_flush();
?>
--EXPECTF--
Warning: session_start(): rediscluster: open: malformed session.save_path: needs at least one seed[]=host:port in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: ) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: open: malformed session.save_path: needs at least one seed[]=host:port in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: timeout=1&read_timeout=1) in %s on line %d
bool(false)
done
