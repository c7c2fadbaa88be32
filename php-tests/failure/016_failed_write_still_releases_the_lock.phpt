--TEST--
failure: a locked write refused by the server (OOM at maxmemory; a small and a staged large session) or a TTL refresh refused (ACL without EXPIRE) fails session_write_close() with a warning, leaves the stored data as it was, and still releases the lock: the next request gets the session at once instead of waiting out the lock TTL
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); rs_skip_if_no_acl(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/private_server.inc';
require __DIR__ . '/../inc/lock.inc';
require __DIR__ . '/../inc/auth.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$s = rs_private_server(['--maxmemory-policy', 'noeviction']);   // its own: maxmemory is server-wide
$r = $s->resp();
$r->cmd(...array_merge(['ACL', 'SETUSER', 'noexpire', 'on', '>pw', '~*'], rs_acl_all_channels(),
    ['+@all', '-expire']));
$lockini = ['redis.session.locking_enabled' => '1', 'redis.session.lock_expire' => '30',
            'redis.session.lock_retries' => '2', 'redis.session.lock_wait_time' => '20000'];
$cases = [
    'small write, OOM' => [str_repeat('a', 100), 'oom', ''],
    'staged large write, OOM' => [str_repeat('b', 40000), 'oom', ''],
    'TTL refresh, ACL' => [null, 'acl', '&auth[]=noexpire&auth[]=pw'],
];
foreach ($cases as $case => [$value, $fault, $auth]) {
    echo "-- $case\n";
    $path = 'unix://' . $s->socket . '?timeout=1&read_timeout=1' . $auth;
    rs_session_setup('redis', $path, $lockini + ['session.lazy_write' => '1']);
    $id = rs_new_id();
    $r->cmd('SET', RS_PREFIX . $id, 'v|s:3:"old";');
    session_id($id);
    var_dump(session_start());
    if ($fault === 'oom') {
        $r->cmd('CONFIG', 'SET', 'maxmemory', '1');
        $_SESSION['v'] = $value;
    }
    rs_capture_warnings();
    session_write_close();   // PHP 8.2 answers true even when the handler's write failed
    restore_error_handler();
    echo "warnings: ", count(rs_take_warnings()) > 0 ? 'yes' : 'none', "\n";
    $r->cmd('CONFIG', 'SET', 'maxmemory', '0');
    echo "stored: ", $r->cmd('GET', RS_PREFIX . $id), ", lock left: ", $r->cmd('EXISTS', RS_PREFIX . $id . '_LOCK'), "\n";
    rs_session_setup('redis', 'unix://' . $s->socket . '?timeout=1&read_timeout=1', $lockini);
    session_id($id);
    $t = microtime(true);
    echo "next request: ", var_export(session_start(), true), ", waited < 1 s: ", var_export(microtime(true) - $t < 1.0, true), "\n";
    session_write_close();
}
$s->stop();
echo ob_get_clean();
?>
--EXPECT--
-- small write, OOM
bool(true)
warnings: yes
stored: v|s:3:"old";, lock left: 0
next request: true, waited < 1 s: true
-- staged large write, OOM
bool(true)
warnings: yes
stored: v|s:3:"old";, lock left: 0
next request: true, waited < 1 s: true
-- TTL refresh, ACL
bool(true)
warnings: yes
stored: v|s:3:"old";, lock left: 0
next request: true, waited < 1 s: true
