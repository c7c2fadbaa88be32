--TEST--
lock: session_start(['read_and_close' => true]) reads the data and leaves no lock behind (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    echo "-- $handler\n";
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, rs_lk_locking());
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), 'a|i:1;', 'EX', 300);
    session_id($id);
    var_dump(session_start(['read_and_close' => true]));
    var_dump(session_status() === PHP_SESSION_NONE, $_SESSION);
    var_dump($h->r->cmd('EXISTS', $h->lock($id)), $h->r->cmd('GET', $h->data($id)));
    $h->cleanup($id);
}
?>
--EXPECT--
-- redis
bool(true)
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
int(0)
string(6) "a|i:1;"
-- rediscluster
bool(true)
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
int(0)
string(6) "a|i:1;"
