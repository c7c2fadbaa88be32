--TEST--
harness: child.inc runs php children in parallel, collects output, kills on deadline
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
$dir = sys_get_temp_dir() . '/rs-child-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/echo.php", '<?php echo ini_get("session.use_cookies"), " ", $argv[1], "\n"; fwrite(STDERR, "err\n"); exit((int)$argv[2]);');
file_put_contents("$dir/sleep.php", '<?php echo "before\n"; sleep(20); echo "after\n";');

$res = rs_run_children([
    rs_child_cmd("$dir/echo.php", ['a&b c', 0], [], ['extension' => false]),
    rs_child_cmd("$dir/echo.php", ['x', 3], ['session.use_cookies' => '1'], ['extension' => false]),
], 20);
foreach ($res as $r) {
    echo trim($r['stdout']), ' | ', trim($r['stderr']), ' | ', $r['exit'], ' | ', var_export($r['timed_out'], true), "\n";
}
$t = microtime(true);
$r = rs_run_child(rs_child_cmd("$dir/sleep.php", [], [], ['extension' => false]), 1.0);
echo trim($r['stdout']), ' | ', var_export($r['exit'], true), ' | ', var_export($r['timed_out'], true), "\n";
var_dump(microtime(true) - $t < 5);
// the extension under test loads in a child
$r = rs_run_child(rs_child_cmd("$dir/echo.php", ['ext', 0]));
var_dump($r['exit']);
$r = rs_run_child([PHP_BINARY, '-n', '-d', 'extension=' . rs_extension_so(), '-r', 'var_dump(extension_loaded("redis_session"));']);
echo $r['stdout'];
unlink("$dir/echo.php"); unlink("$dir/sleep.php"); rmdir($dir);
?>
--EXPECT--
0 a&b c | err | 0 | false
1 x | err | 3 | false
before | NULL | true
bool(true)
int(0)
bool(true)
