--TEST--
save_path redis: an unknown option (typo timout=1) is refused naming it; session_start() fails
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
rs_session_setup('redis', rs_standalone_path(['timout' => 1]));
session_id(rs_new_id());
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
echo "done\n";
?>
--EXPECTF--
Warning: session_start(): redis: open: malformed session.save_path: 'timout' unknown option in %s on line %d

Warning: session_start(): Failed to initialize storage module: redis (path: tcp://%s:%d?timout=1) in %s on line %d
bool(false)
bool(true)
done
