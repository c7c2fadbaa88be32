--TEST--
harness: RespCluster computes key slots and follows MOVED
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/resp.inc';
// reference values from the Redis Cluster specification
var_dump(sprintf('%04X', RespCluster::crc16('123456789')));
var_dump(RespCluster::keyslot('foo'));
var_dump(RespCluster::keyslot('{user1000}.following') === RespCluster::keyslot('{user1000}.followers'));
var_dump(RespCluster::keyslot('foo{}{bar}') === RespCluster::crc16('foo{}{bar}') % 16384);

$c = rs_resp_cluster();
var_dump(count($c->masters()));
$k = 'rs-harness:' . rs_new_id();
var_dump($c->cmd('SET', $k, 'v', 'EX', 60));
// the server agrees with our slot computation
$slot = $c->node($c->owner($k))->cmd('CLUSTER', 'KEYSLOT', $k);
var_dump($slot === RespCluster::keyslot($k));
// ask a node that does not own the key directly: MOVED; the cluster client follows it
$other = current(array_diff($c->masters(), [$c->owner($k)]));
$moved = $c->node($other)->cmd('GET', $k);
var_dump($moved instanceof RespError && str_starts_with($moved->message, "MOVED $slot "));
var_dump($c->cmdVia($other, 'GET', $k));
var_dump($c->cmd('DEL', $k));
?>
--EXPECT--
string(4) "31C3"
int(12182)
bool(true)
bool(true)
int(3)
string(2) "OK"
bool(true)
bool(true)
string(1) "v"
int(1)
