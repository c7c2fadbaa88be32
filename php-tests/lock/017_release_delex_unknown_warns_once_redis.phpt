--TEST--
lock: redis, lock_release_cmd=DELEX on a server without it: one warning per process naming DELEX (never the token), the lock is still released (Lua), later releases warn no more
--SKIPIF--
<?php
require __DIR__ . '/../inc/lock.inc';
rs_skip_if_no_server();
if (rs_server_knows(rs_resp(), 'DELEX')) {
    rs_skip_optional('needs a server without DELEX (Redis < 8.4, Valkey); this ' . rs_server_kind() . ' server has it');
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
$h = rs_lk('redis');
rs_session_setup($h->handler, $h->path, rs_lk_locking(['redis.session.lock_release_cmd' => 'DELEX']));
$tokens = [];
ob_start();
for ($i = 1; $i <= 3; $i++) {
    echo "-- release $i\n";
    $id = rs_new_id();
    session_id($id);
    var_dump(session_start());
    $tokens[] = $t = $h->r->cmd('GET', $h->lock($id));
    var_dump(rs_is_token($t));
    var_dump(session_abort());
    var_dump($h->r->cmd('EXISTS', $h->lock($id)));
    $h->cleanup($id);
}
$out = ob_get_clean();
echo $out;
echo "warnings that DELEX is unknown: ", substr_count($out, 'does not know DELEX'), "\n";
$leaked = array_filter($tokens, fn ($t) => str_contains($out, $t));
echo "tokens in the output: ", count($leaked), "\n";
?>
--EXPECTF--
-- release 1
bool(true)
bool(true)

Warning: session_abort(): redis: the server at 127.0.0.1:%d does not know DELEX (redis.session.lock_release_cmd); releasing locks with a Lua script from now on. DELEX needs Redis 8.4 or later in %s on line %d
bool(true)
int(0)
-- release 2
bool(true)
bool(true)
bool(true)
int(0)
-- release 3
bool(true)
bool(true)
bool(true)
int(0)
warnings that DELEX is unknown: 1
tokens in the output: 0
