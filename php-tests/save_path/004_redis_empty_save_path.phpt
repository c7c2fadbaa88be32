--TEST--
save_path redis: an empty (or blank) save_path is refused, never a silent fallback to localhost:6379
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
ob_start();
foreach (['', '  ', ' , '] as $path) {
    rs_session_setup('redis', $path);
    session_id(rs_new_id());
    var_dump(session_start());
}
echo "done\n";
ob_end_flush();
?>
--EXPECTF--
Warning: session_start(): redis: open: malformed session.save_path: lists no server in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: ) in %s on line %d
bool(false)

Warning: session_start(): redis: open: malformed session.save_path: lists no server in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path:   ) in %s on line %d
bool(false)

Warning: session_start(): redis: open: malformed session.save_path: lists no server in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path:  ,%s) in %s on line %d
bool(false)
done
