--TEST--
lock: lock_release_cmd=delex (phpredis's spelling; DELEX in any case) on a server that has DELEX ... IFEQ (Redis 8.4+; Debian experimental's 8.6 from scripts/redis8-chroot.sh): the lock is released by DELEX, without a warning, and DELEX of another request's token leaves that lock alone
--SKIPIF--
<?php
require __DIR__ . '/../inc/config.inc';
rs_skip_if_no_extension();
$bin = rs_env('REDIS_SESSION_REDIS8_BIN', '/var/cache/redis_session/sid-redis8/redis-server.sh');
if (!is_executable($bin)) {
    rs_skip_optional("Redis >= 8.4 (DELEX) not installed at $bin: run make redis8 (scripts/redis8-chroot.sh setup)");
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
require __DIR__ . '/../inc/private_server.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
putenv('REDIS_SESSION_SERVER_BIN=' . rs_env('REDIS_SESSION_REDIS8_BIN', '/var/cache/redis_session/sid-redis8/redis-server.sh'));
$s = rs_private_server();
$c = $s->resp();
preg_match('/redis_version:(\S+)/', $c->cmd('INFO', 'server'), $m);
echo "server knows DELEX: ", var_export(rs_server_knows($c, 'DELEX'), true), ", version >= 8.4: ",
    var_export(version_compare($m[1], '8.4', '>='), true), "\n";
$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) { $warnings[] = $msg; return true; });
foreach (['delex', 'DELEX'] as $cmd) {
    rs_session_setup('redis', 'unix://' . $s->socket, ['redis.session.locking_enabled' => '1',
        'redis.session.lock_release_cmd' => $cmd]);
    $id = rs_new_id();
    $lock = RS_PREFIX . $id . '_LOCK';
    session_id($id);
    $started = session_start();
    $token = $c->cmd('GET', $lock);
    $before = rs_cmd_calls($c, 'delex');
    $aborted = session_abort();   // a release without a write: the path that uses the command
    $after = rs_cmd_calls($c, 'delex');
    printf("%s: started %s, locked with a token %s, released %s, DELEX calls +%d, lock left %d\n", $cmd,
        var_export($started, true), var_export(rs_is_token($token), true), var_export($aborted, true),
        $after - $before, $c->cmd('EXISTS', $lock));
}
// The server's own answer: DELEX ... IFEQ deletes only on a matching value.
$c->cmd('SET', 'k_LOCK', 'theirs');
echo "DELEX IFEQ other token: ", $c->cmd('DELEX', 'k_LOCK', 'IFEQ', 'ours'), ", key still there: ", $c->cmd('EXISTS', 'k_LOCK'), "\n";
echo "DELEX IFEQ same token: ", $c->cmd('DELEX', 'k_LOCK', 'IFEQ', 'theirs'), "\n";
ob_end_flush();
echo "warnings: ", json_encode($warnings), "\n";
$s->stop();
?>
--EXPECT--
server knows DELEX: true, version >= 8.4: true
delex: started true, locked with a token true, released true, DELEX calls +1, lock left 0
DELEX: started true, locked with a token true, released true, DELEX calls +1, lock left 0
DELEX IFEQ other token: 0, key still there: 1
DELEX IFEQ same token: 1
warnings: []
