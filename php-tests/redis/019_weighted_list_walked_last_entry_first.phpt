--TEST--
redis: the weighted server list is walked as phpredis walks it, last entry first (three entries, weights 1,2,1)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server2(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
ob_start();
// entry A and C are the same server, told apart by their prefixes
rs_session_setup('redis', implode(', ', [
    rs_standalone_path(['weight' => 1, 'prefix' => 'RS_A:']),
    rs_standalone2_path(['weight' => 2, 'prefix' => 'RS_B:']),
    rs_standalone_path(['weight' => 1, 'prefix' => 'RS_C:']),
]));
$r1 = rs_resp();
$r2 = rs_resp2();
// position = LE uint32 of the first 4 id bytes mod 4. phpredis prepends each server to its pool
// list (redis_pool_add), so it walks C, B, A: 0 -> C, 1..2 -> B, 3 -> A (as php-redis 5.3.7 does)
$want = [0 => 'C', 1 => 'B', 2 => 'B', 3 => 'A'];
$seen = [];
foreach ([0, 1, 2, 3, 0, 3] as $pos) {
    do {
        $id = rs_new_id();
    } while (unpack('V', substr($id, 0, 4))[1] % 4 !== $pos);
    session_id($id);
    session_start();
    $_SESSION['p'] = $pos;
    session_write_close();
    $found = [];
    foreach (['A' => $r1, 'B' => $r2, 'C' => $r1] as $name => $conn) {
        if ($conn->cmd('EXISTS', "RS_$name:$id") === 1) {
            $found[] = $name;
            $conn->cmd('DEL', "RS_$name:$id");
        }
    }
    $seen[] = "$pos:" . implode('+', $found) . ($found === [$want[$pos]] ? '' : " (expected {$want[$pos]})");
}
echo implode(' ', $seen), "\n";
ob_end_flush();
?>
--EXPECT--
0:C 1:B 2:B 3:A 0:C 3:A
