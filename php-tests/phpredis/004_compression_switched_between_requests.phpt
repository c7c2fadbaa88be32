--TEST--
phpredis side by side: redis.session.compression switched between requests (none, lz4, zstd, none, gzip, none): every request reads back what the one before stored, under both products; phpredis 5.3.7 has no session compression (it stores every value raw), redis_session stores the compressed codecs with its header and raw again with none (a difference on purpose: see the README's migration section)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/side_by_side.inc';
foreach (['0', '1'] as $locking) {
    echo "== locking=$locking\n";
    $runs = rs_sbs('codecs', ['redis.session.locking_enabled' => $locking],
        fn () => [rs_new_id(), 'none', 'lz4', 'zstd', 'none', 'gzip', 'none']);
    // sizes differ where the codec compresses; reported as stored_raw instead
    $skip = [];
    foreach ($runs['phpredis'] as $k => $v) if (str_starts_with($k, 'request ')) $skip[] = "$k.stored_bytes";
    rs_sbs_report($runs, $skip);
}
?>
--EXPECT--
== locking=0
differs: request 1 (lz4).stored_raw: phpredis true, redis_session false
differs: request 2 (zstd).stored_raw: phpredis true, redis_session false
differs: request 4 (gzip).stored_raw: phpredis true, redis_session false
same: request 0 (none).start=true, request 0 (none).read_back_intact=true, request 0 (none).close=true, request 0 (none).stored_raw=true, request 1 (lz4).start=true, request 1 (lz4).read_back_intact=true, request 1 (lz4).close=true, request 2 (zstd).start=true, request 2 (zstd).read_back_intact=true, request 2 (zstd).close=true, request 3 (none).start=true, request 3 (none).read_back_intact=true, request 3 (none).close=true, request 3 (none).stored_raw=true, request 4 (gzip).start=true, request 4 (gzip).read_back_intact=true, request 4 (gzip).close=true, request 5 (none).start=true, request 5 (none).read_back_intact=true, request 5 (none).close=true, request 5 (none).stored_raw=true, notices=0
== locking=1
differs: request 1 (lz4).stored_raw: phpredis true, redis_session false
differs: request 2 (zstd).stored_raw: phpredis true, redis_session false
differs: request 4 (gzip).stored_raw: phpredis true, redis_session false
same: request 0 (none).start=true, request 0 (none).read_back_intact=true, request 0 (none).close=true, request 0 (none).stored_raw=true, request 1 (lz4).start=true, request 1 (lz4).read_back_intact=true, request 1 (lz4).close=true, request 2 (zstd).start=true, request 2 (zstd).read_back_intact=true, request 2 (zstd).close=true, request 3 (none).start=true, request 3 (none).read_back_intact=true, request 3 (none).close=true, request 3 (none).stored_raw=true, request 4 (gzip).start=true, request 4 (gzip).read_back_intact=true, request 4 (gzip).close=true, request 5 (none).start=true, request 5 (none).read_back_intact=true, request 5 (none).close=true, request 5 (none).stored_raw=true, notices=0