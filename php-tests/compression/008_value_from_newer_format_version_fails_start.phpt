--TEST--
compression: a value in a stored-format version this build does not know (written by a newer redis_session, e.g. before a rollback) is not taken for session data: session_start() returns false with a warning saying so, and the value stays (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$future = "\xFFRSZ\x03\x07" . pack('VV', 5, crc32('a|N;')) . 'whatever a newer codec wrote';
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    rs_session_setup($h->handler, $h->path, ['redis.session.compression' => 'none']);
    $id = rs_new_id();
    $h->r->cmd('SET', $h->data($id), $future, 'EX', 300);
    [$ok, $w] = rs_cz_start($id);
    echo "$handler: start=", var_export($ok, true), "\n  ", str_replace('<id>', 'ID', rs_hide_id($w[0] ?? 'no warning', $id)), "\n";
    echo '  value untouched: ', var_export($h->r->cmd('GET', $h->data($id)) === $future, true), "\n";
    $h->cleanup($id);
}
?>
--EXPECTF--
redis: start=false
  session_start(): redis: read on 127.0.0.1:%d: the stored session value could not be decoded (codec unknown: stored format version 3 is unknown to this build (written by a newer redis_session?)); it was left untouched and the session was not started (session key PHPREDIS_SESSION:ID)
  value untouched: true
rediscluster: start=false
  session_start(): rediscluster: read on 127.0.0.1:%d: the stored session value could not be decoded (codec unknown: stored format version 3 is unknown to this build (written by a newer redis_session?)); it was left untouched and the session was not started (session key PHPREDIS_CLUSTER_SESSION:ID)
  value untouched: true
