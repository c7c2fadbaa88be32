--TEST--
compression: a stored value that does not decompress (CRC mismatch, truncated) makes session_start() return false with a warning naming the key and codec; the stored value is left untouched (same bytes, same TTL) and no lock is left behind (both handlers, with and without locking)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/compression.inc';
ob_start();
$damage = [
    'crc' => fn (string $v) => substr_replace($v, chr(ord($v[10]) ^ 1), 10, 1),
    'truncated' => fn (string $v) => substr($v, 0, -20),
];
foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    foreach (['0' => 'no lock', '1' => 'lock'] as $locking => $label) {
        rs_session_setup($h->handler, $h->path, ['redis.session.compression' => 'zstd',
            'redis.session.locking_enabled' => $locking]);
        foreach ($damage as $what => $f) {
            $id = rs_new_id();
            session_id($id);
            session_start();
            $_SESSION['cart'] = rs_cz_cart();
            session_write_close();
            $bad = $f($h->r->cmd('GET', $h->data($id)));
            $h->r->cmd('SET', $h->data($id), $bad, 'EX', 300);

            [$ok, $w] = rs_cz_start($id);
            $w = array_map(fn ($m) => str_replace('<id>', 'ID', rs_hide_id($m, $id)), $w);
            printf("%s, %s, %s: start=%s status=%d\n  %s\n", $handler, $label, $what, var_export($ok, true),
                session_status(), implode("\n  ", $w));
            $ttl = $h->r->cmd('TTL', $h->data($id));
            echo '  value untouched: ', var_export($h->r->cmd('GET', $h->data($id)) === $bad, true),
                ', ttl kept: ', var_export($ttl > 290 && $ttl <= 300, true),
                ', lock left: ', $h->r->cmd('EXISTS', $h->lock($id)), "\n";
            // a next request fails the same way (nothing was overwritten meanwhile)
            [$ok2] = rs_cz_start($id);
            echo '  next request: start=', var_export($ok2, true), "\n";
            $h->cleanup($id);
        }
    }
}
echo "the script continues\n";
?>
--EXPECTF--
redis, no lock, crc: start=false status=1
  session_start(): redis: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: CRC-32 mismatch: the data is corrupt); it was left untouched and the session was not started (session key PHPREDIS_SESSION:ID)
  session_start(): Failed to read session data: redis (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
redis, no lock, truncated: start=false status=1
  session_start(): redis: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: %s); it was left untouched and the session was not started (session key PHPREDIS_SESSION:ID)
  session_start(): Failed to read session data: redis (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
redis, lock, crc: start=false status=1
  session_start(): redis: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: CRC-32 mismatch: the data is corrupt); it was left untouched and the session was not started (session key PHPREDIS_SESSION:ID)
  session_start(): Failed to read session data: redis (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
redis, lock, truncated: start=false status=1
  session_start(): redis: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: %s); it was left untouched and the session was not started (session key PHPREDIS_SESSION:ID)
  session_start(): Failed to read session data: redis (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
rediscluster, no lock, crc: start=false status=1
  session_start(): rediscluster: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: CRC-32 mismatch: the data is corrupt); it was left untouched and the session was not started (session key PHPREDIS_CLUSTER_SESSION:ID)
  session_start(): Failed to read session data: rediscluster (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
rediscluster, no lock, truncated: start=false status=1
  session_start(): rediscluster: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: %s); it was left untouched and the session was not started (session key PHPREDIS_CLUSTER_SESSION:ID)
  session_start(): Failed to read session data: rediscluster (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
rediscluster, lock, crc: start=false status=1
  session_start(): rediscluster: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: CRC-32 mismatch: the data is corrupt); it was left untouched and the session was not started (session key PHPREDIS_CLUSTER_SESSION:ID)
  session_start(): Failed to read session data: rediscluster (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
rediscluster, lock, truncated: start=false status=1
  session_start(): rediscluster: read on 127.0.0.1:%d: the stored session value could not be decoded (codec zstd: %s); it was left untouched and the session was not started (session key PHPREDIS_CLUSTER_SESSION:ID)
  session_start(): Failed to read session data: rediscluster (path: %s)
  value untouched: true, ttl kept: true, lock left: 0
  next request: start=false
the script continues
