--TEST--
redis_session_stats(): per-process counters follow session requests, lock waits, round trips and errors
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
ob_start();
rs_session_setup('redis', rs_standalone_path(['timeout' => 2]), ['redis.session.locking_enabled' => '1']);
$s0 = redis_session_stats();
$id = rs_new_id();
for ($i = 0; $i < 3; $i++) {
    session_id($id);
    session_start();
    $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
    session_write_close();
}
$sMid = redis_session_stats();
// A lock held by "someone else" for 150 ms: the next start waits for it.
$r = rs_resp();
$r->cmd('SET', RS_PREFIX . $id . '_LOCK', 'other-token', 'PX', '150');
session_id($id);
session_start();
session_write_close();
// An id the handler refuses.
session_id('bad.id');
@session_start();
$s1 = redis_session_stats();
$d = fn ($k) => $s1[$k] - $s0[$k];
$out = ob_get_clean();
echo "requests +", $d('requests'), "\n";
echo "lock_acquisitions +", $d('lock_acquisitions'), "\n";
echo "lock_waits +", $d('lock_waits'), "\n";
echo "waited >= 100 ms: ", var_export($d('lock_wait_us') >= 100000, true), "\n";
// Three uncontended requests: 1 round trip to start, 1 to close (plus, at most, one script
// load on a fresh connection). The contended one polls every lock_wait_time (20 ms) once the
// holder's TTL is too short to block on, so it is only bounded: start + waits + close.
$rtQuiet = $sMid['round_trips'] - $s0['round_trips'];
$rtWait = $s1['round_trips'] - $sMid['round_trips'];
echo "uncontended: 2 round trips per request: ", var_export($rtQuiet >= 6 && $rtQuiet <= 8, true), "\n";
echo "contended: bounded: ", var_export($rtWait >= 3 && $rtWait <= 2 + 150 / 20 + 4, true), " ($rtWait)\n";
echo "bytes_written +", $d('bytes_written'), ", stored +", $d('bytes_written_stored'), "\n";
echo "invalid_id errors +", $s1['errors']['invalid_id'] - $s0['errors']['invalid_id'], "\n";
echo "all ints: ", var_export(count(array_filter($s1, 'is_int')) === count($s1) - 1, true), "\n";
$r->cmd('DEL', RS_PREFIX . $id);
?>
--EXPECTF--
requests +5
lock_acquisitions +4
lock_waits +1
waited >= 100 ms: true
uncontended: 2 round trips per request: true
contended: bounded: true (%d)
bytes_written +18, stored +18
invalid_id errors +1
all ints: true
