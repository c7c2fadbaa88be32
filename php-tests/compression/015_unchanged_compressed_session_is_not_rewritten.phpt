--TEST--
compression: with lazy_write, a request that does not change a compressed session only refreshes its TTL (stored bytes identical, not recompressed), also after the codec setting changed; with locking the lock is released (both handlers)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['0', '1'] as $locking) {
        $id = rs_new_id();
        rs_session_setup($h->handler, $h->path, ['redis.session.compression' => 'snappy',
            'redis.session.locking_enabled' => $locking, 'session.gc_maxlifetime' => '600', 'session.lazy_write' => '1']);
        session_id($id);
        session_start();
        $_SESSION['cart'] = rs_cz_cart();
        session_write_close();
        $before = $h->r->cmd('GET', $h->data($id));
        $h->r->cmd('EXPIRE', $h->data($id), 100);
        ini_set('redis.session.compression', 'gzip');
        [$ok] = rs_cz_start($id);
        $intact = $_SESSION['cart'] === rs_cz_cart();
        session_write_close();
        $after = $h->r->cmd('GET', $h->data($id));
        $ttl = $h->r->cmd('TTL', $h->data($id));
        printf("%s locking=%s: start=%s intact=%s stored %s, same bytes=%s, ttl refreshed=%s, lock left=%d\n",
            $handler, $locking, var_export($ok, true), var_export($intact, true), rs_cz_header($before)['codec_name'],
            var_export($before === $after, true), var_export($ttl > 590, true), $h->r->cmd('EXISTS', $h->lock($id)));
        $h->cleanup($id);
    }
}
?>
--EXPECT--
redis locking=0: start=true intact=true stored snappy, same bytes=true, ttl refreshed=true, lock left=0
redis locking=1: start=true intact=true stored snappy, same bytes=true, ttl refreshed=true, lock left=0
rediscluster locking=0: start=true intact=true stored snappy, same bytes=true, ttl refreshed=true, lock left=0
rediscluster locking=1: start=true intact=true stored snappy, same bytes=true, ttl refreshed=true, lock left=0
