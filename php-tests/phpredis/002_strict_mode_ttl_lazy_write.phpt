--TEST--
phpredis side by side: strict mode (an unknown id is replaced, nothing stored under it), TTL equal to session.gc_maxlifetime, and lazy_write (an unchanged session only gets its TTL refreshed, its bytes untouched): the same observations as phpredis 5.3.7, with and without locking
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/side_by_side.inc';
foreach (['0', '1'] as $locking) {
    $l = ['redis.session.locking_enabled' => $locking];
    echo "== locking=$locking: strict mode\n";
    $runs = rs_sbs('strict', $l + ['session.use_strict_mode' => '1'], fn () => [rs_new_id()]);
    rs_sbs_report($runs);
    rs_sbs_notices($runs);
    echo "== locking=$locking: TTL = gc_maxlifetime (777)\n";
    $runs = rs_sbs('ttl', $l + ['session.gc_maxlifetime' => '777'], fn () => [rs_new_id()]);
    rs_sbs_report($runs);
    foreach (['1', '0'] as $lazy) {
        echo "== locking=$locking: lazy_write=$lazy, unchanged session (stored with TTL 50, gc_maxlifetime 600)\n";
        $runs = rs_sbs('lazy', $l + ['session.lazy_write' => $lazy, 'session.gc_maxlifetime' => '600'], fn () => [rs_new_id()]);
        rs_sbs_report($runs);
    }
}
?>
--EXPECT--
== locking=0: strict mode
same: start=true, id_replaced=true, close=true, unknown_id.data=null, unknown_id.ttl=-2, unknown_id.lock=0, new_id.data="x|i:1;", new_id.ttl=1440, new_id.lock=0, notices=0
== locking=0: TTL = gc_maxlifetime (777)
same: start=true, close=true, stored.data="x|i:1;", stored.ttl=780, stored.lock=0, notices=0
== locking=0: lazy_write=1, unchanged session (stored with TTL 50, gc_maxlifetime 600)
same: start=true, read.x=1, close=true, stored.data="x|i:1;", stored.ttl=600, stored.lock=0, notices=0
== locking=0: lazy_write=0, unchanged session (stored with TTL 50, gc_maxlifetime 600)
same: start=true, read.x=1, close=true, stored.data="x|i:1;", stored.ttl=600, stored.lock=0, notices=0
== locking=1: strict mode
same: start=true, id_replaced=true, close=true, unknown_id.data=null, unknown_id.ttl=-2, unknown_id.lock=0, new_id.data="x|i:1;", new_id.ttl=1440, new_id.lock=0, notices=0
== locking=1: TTL = gc_maxlifetime (777)
same: start=true, close=true, stored.data="x|i:1;", stored.ttl=780, stored.lock=0, notices=0
== locking=1: lazy_write=1, unchanged session (stored with TTL 50, gc_maxlifetime 600)
same: start=true, read.x=1, close=true, stored.data="x|i:1;", stored.ttl=600, stored.lock=0, notices=0
== locking=1: lazy_write=0, unchanged session (stored with TTL 50, gc_maxlifetime 600)
same: start=true, read.x=1, close=true, stored.data="x|i:1;", stored.ttl=600, stored.lock=0, notices=0