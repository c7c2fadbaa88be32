--TEST--
phpredis side by side: session_regenerate_id() with and without deleting the old session, with and without locking: the same return values, data, keys and TTLs as phpredis 5.3.7, and no lock left behind
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/side_by_side.inc';
foreach (['0', '1'] as $locking) {
    foreach (['0', '1'] as $delete) {
        echo "== locking=$locking, delete old=$delete\n";
        $runs = rs_sbs('regenerate', ['redis.session.locking_enabled' => $locking], fn () => [rs_new_id(), $delete]);
        rs_sbs_report($runs);
        rs_sbs_notices($runs);
    }
}
?>
--EXPECT--
== locking=0, delete old=0
same: start=true, read.a=1, regenerate=true, new_id_differs=true, new_id_locked_while_open=0, close=true, old.data="a|i:1;b|i:2;", old.ttl=1440, old.lock=0, new.data="a|i:1;b|i:2;", new.ttl=1440, new.lock=0, notices=0
== locking=0, delete old=1
same: start=true, read.a=1, regenerate=true, new_id_differs=true, new_id_locked_while_open=0, close=true, old.data=null, old.ttl=-2, old.lock=0, new.data="a|i:1;b|i:2;", new.ttl=1440, new.lock=0, notices=0
== locking=1, delete old=0
same: start=true, read.a=1, regenerate=true, new_id_differs=true, new_id_locked_while_open=1, close=true, old.data="a|i:1;b|i:2;", old.ttl=1440, old.lock=0, new.data="a|i:1;b|i:2;", new.ttl=1440, new.lock=0, notices=0
== locking=1, delete old=1
same: start=true, read.a=1, regenerate=true, new_id_differs=true, new_id_locked_while_open=1, close=true, old.data=null, old.ttl=-2, old.lock=0, new.data="a|i:1;b|i:2;", new.ttl=1440, new.lock=0, notices=0