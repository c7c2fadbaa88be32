--TEST--
redis_session_stats(): bytes before and after compression (lz4) for writes and reads
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
ob_start();
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]), [
    'redis.session.compression' => 'lz4',
    'redis.session.compression_threshold' => '100',
]);
$s0 = redis_session_stats();
$id = rs_new_id();
session_id($id);
session_start();
$_SESSION['cart'] = array_fill(0, 200, ['sku' => 'ABC-123', 'qty' => 1, 'note' => 'gift wrap']);
session_write_close();
session_id($id);
session_start();
$items = count($_SESSION['cart']);
session_write_close();
$s1 = redis_session_stats();
$d = fn ($k) => $s1[$k] - $s0[$k];
ob_end_clean();
echo "items read back: $items\n";
echo "written: PHP bytes > 5000: ", var_export($d('bytes_written') > 5000, true), "\n";
echo "written: stored < PHP bytes / 4: ", var_export($d('bytes_written_stored') * 4 < $d('bytes_written'), true), "\n";
echo "read: PHP bytes = written: ", var_export($d('bytes_read') === $d('bytes_written'), true), "\n";
echo "read: stored = written stored: ", var_export($d('bytes_read_stored') === $d('bytes_written_stored'), true), "\n";
rs_resp()->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECT--
items read back: 200
written: PHP bytes > 5000: true
written: stored < PHP bytes / 4: true
read: PHP bytes = written: true
read: stored = written stored: true
