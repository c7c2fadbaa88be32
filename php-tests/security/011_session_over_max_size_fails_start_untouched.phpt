--TEST--
security: a stored session larger than redis.session.max_size fails session_start() with a warning naming node, key and both sizes; the value is left untouched and no lock is left behind; a session over the limit is not written (the stored one stays); under the limit all works (both handlers, with and without locking; sizes below and above the 32 KiB the lock script returns inline)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['0', '1'] as $locking) {
        foreach ([5000, 100000] as $size) {
            rs_session_setup($h->handler, $h->path, ['redis.session.locking_enabled' => $locking, 'redis.session.max_size' => '1000']);
            $id = rs_new_id();
            $value = 'a|s:' . ($size - 9) . ':"' . str_repeat('x', $size - 9) . '";';
            $value = substr($value, 0, $size);
            $h->r->cmd('SET', $h->data($id), $value, 'EX', 300);
            session_id($id);
            rs_capture_warnings();
            $ok = session_start();
            restore_error_handler();
            $w = array_values(array_filter(rs_take_warnings(), fn ($w) => !str_contains($w, 'Failed to read session data')));
            $first = preg_replace(['/127\.0\.0\.1:\d+/', '/\d{5,} bytes/'], ['<node>', 'N bytes'], rs_hide_id($w[0] ?? 'NO WARNING', $id));
            printf("%s lock %s %d B: start %s\n  %s\n", $handler, $locking, $size, var_export($ok, true), $first);
            echo '  untouched: ', var_export($h->r->cmd('GET', $h->data($id)) === $value, true),
                ', lock left: ', $h->r->cmd('EXISTS', $h->lock($id)), "\n";
            $h->cleanup($id);
        }
    }
    // Writing more than max_size: refused, the stored session stays.
    rs_session_setup($h->handler, $h->path, ['redis.session.max_size' => '1000']);
    $id = rs_new_id();
    session_id($id);
    session_start();
    $_SESSION['x'] = 'small';
    session_write_close();
    session_id($id);
    session_start();
    $_SESSION['x'] = str_repeat('y', 2000);
    rs_capture_warnings();
    session_write_close();
    restore_error_handler();
    $w = array_values(array_filter(rs_take_warnings(), fn ($w) => !str_contains($w, 'Failed to write session data')));
    echo "$handler write over the limit: ", preg_replace(['/127\.0\.0\.1:\d+/'], ['<node>'], rs_hide_id($w[0] ?? 'NO WARNING', $id)), "\n";
    echo '  stored: ', $h->r->cmd('GET', $h->data($id)), "\n";
    $h->cleanup($id);
}
echo ob_get_clean();
?>
--EXPECT--
redis lock 0 5000 B: start false
  session_start(): redis: read on <node>: the stored session is 5000 bytes, more than redis.session.max_size (1000 bytes); it was left untouched and the session was not started (raise redis.session.max_size, or 0 = unlimited) (session key PHPREDIS_SESSION:<id>)
  untouched: true, lock left: 0
redis lock 0 100000 B: start false
  session_start(): redis: read on <node>: a reply of N bytes is over the limit of N bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_SESSION:<id>)
  untouched: true, lock left: 0
redis lock 1 5000 B: start false
  session_start(): redis: read on <node>: the stored session is 5000 bytes, more than redis.session.max_size (1000 bytes); it was left untouched and the session was not started (raise redis.session.max_size, or 0 = unlimited) (session key PHPREDIS_SESSION:<id>)
  untouched: true, lock left: 0
redis lock 1 100000 B: start false
  session_start(): redis: read on <node>: a reply of N bytes is over the limit of N bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_SESSION:<id>)
  untouched: true, lock left: 0
redis write over the limit: session_write_close(): redis: write on <node>: session data of 2012 bytes NOT written: more than redis.session.max_size (1000 bytes); the stored session is unchanged (session key PHPREDIS_SESSION:<id>)
  stored: x|s:5:"small";
rediscluster lock 0 5000 B: start false
  session_start(): rediscluster: read on <node>: the stored session is 5000 bytes, more than redis.session.max_size (1000 bytes); it was left untouched and the session was not started (raise redis.session.max_size, or 0 = unlimited) (session key PHPREDIS_CLUSTER_SESSION:<id>)
  untouched: true, lock left: 0
rediscluster lock 0 100000 B: start false
  session_start(): rediscluster: read on <node>: a reply of N bytes is over the limit of N bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_CLUSTER_SESSION:<id>)
  untouched: true, lock left: 0
rediscluster lock 1 5000 B: start false
  session_start(): rediscluster: read on <node>: the stored session is 5000 bytes, more than redis.session.max_size (1000 bytes); it was left untouched and the session was not started (raise redis.session.max_size, or 0 = unlimited) (session key PHPREDIS_CLUSTER_SESSION:<id>)
  untouched: true, lock left: 0
rediscluster lock 1 100000 B: start false
  session_start(): rediscluster: read on <node>: a reply of N bytes is over the limit of N bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched (session key PHPREDIS_CLUSTER_SESSION:<id>)
  untouched: true, lock left: 0
rediscluster write over the limit: session_write_close(): rediscluster: write on <node>: session data of 2012 bytes NOT written: more than redis.session.max_size (1000 bytes); the stored session is unchanged (session key PHPREDIS_CLUSTER_SESSION:<id>)
  stored: x|s:5:"small";
