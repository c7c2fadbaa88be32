--TEST--
rediscluster: destroying a session that has no key (new, or already expired) succeeds without a warning
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
rs_session_setup('rediscluster', rs_cluster_path(['timeout' => 2]));
$id = rs_new_id();
session_id($id);
var_dump(session_start());
// the key vanishes behind our back (expired) before destroy
rs_resp_cluster()->cmd('DEL', RS_CLUSTER_PREFIX . $id);
var_dump(session_destroy());
var_dump(rs_resp_cluster()->cmd('EXISTS', RS_CLUSTER_PREFIX . $id));
echo "done\n";
?>
--EXPECT--
bool(true)
bool(true)
int(0)
done
