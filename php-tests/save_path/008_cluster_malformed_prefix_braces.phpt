--TEST--
save_path rediscluster: a prefix with braces but no valid non-empty {tag} is refused naming the prefix
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
ob_start();
foreach (['{}x', 'app{', 'app}', 'a}b{', 'x{}y'] as $prefix) {
    rs_session_setup('rediscluster', rs_cluster_path(['prefix' => $prefix]));
    session_id(rs_new_id());
    var_dump(session_start());
}
echo "done\n";
ob_end_flush();
?>
--EXPECTF--
Warning: session_start(): rediscluster: open: prefix '{}x' has braces but no valid non-empty {hash tag}: use no braces, or one {tag} in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s&prefix={}x) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: open: prefix 'app{' has braces but no valid non-empty {hash tag}: use no braces, or one {tag} in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s&prefix=app{) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: open: prefix 'app}' has braces but no valid non-empty {hash tag}: use no braces, or one {tag} in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s&prefix=app}) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: open: prefix 'a}b{' has braces but no valid non-empty {hash tag}: use no braces, or one {tag} in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s&prefix=a}b{) in %s on line %d
bool(false)

Warning: session_start(): rediscluster: open: prefix 'x{}y' has braces but no valid non-empty {hash tag}: use no braces, or one {tag} in %s on line %d

Warning: session_start(): Failed to initialize storage module: rediscluster (path: seed[]=%s&prefix=x{}y) in %s on line %d
bool(false)
done
