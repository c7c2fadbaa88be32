--TEST--
php-fpm: one worker applies each request's own settings (ini_set, .user.ini) and goes back to the pool's values on the next request
--SKIPIF--
<?php
require __DIR__ . '/../inc/config.inc';
rs_skip_if_no_server();
require __DIR__ . '/fpm.inc';
if (!rs_fpm_binary() || !is_executable('/usr/bin/cgi-fcgi')) rs_skip('php8.2-fpm and libfcgi-bin are required (scripts/setup.sh installs them)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/config.inc';
require __DIR__ . '/../inc/resp.inc';
require __DIR__ . '/fpm.inc';

// One worker serves every request, so a value of one request that stuck would show in the next.
$fpm = new Fpm([
    'session.save_handler' => 'redis',
    'session.save_path' => rs_standalone_path(['timeout' => 2]),
    'session.use_cookies' => '0',
    'session.use_strict_mode' => '0',
    'session.cache_limiter' => '',
], 1, [
    'redis.session.locking_enabled' => '1',
    'session.gc_maxlifetime' => '1000',
]);
$id = rs_new_id();
$page = __DIR__ . '/settings_page.php';
$userini = __DIR__ . '/userini/settings_page.php';
$off = 'set[redis.session.locking_enabled]=0&set[session.gc_maxlifetime]=1234';
$steps = [
    ['pool values', $page, ''],
    ['pool values again', $page, ''],
    ['ini_set', $page, $off],
    ['pool values after ini_set', $page, ''],
    ['.user.ini', $userini, ''],
    ['pool values after .user.ini', $page, ''],
    ['ini_set of other settings only', $page, 'set[display_errors]=0&set[precision]=10'],
    ['pool values', $page, ''],
];
foreach ($steps as [$what, $script, $query]) {
    echo str_pad($what, 32), $fpm->get($script, "id=$id&$query"), "\n";
}
rs_resp()->cmd('DEL', RS_PREFIX . $id);
$fpm->stop();
?>
--EXPECT--
pool values                     lock=1 ttl~1000 n=1
pool values again               lock=1 ttl~1000 n=2
ini_set                         lock=0 ttl~1230 n=3
pool values after ini_set       lock=1 ttl~1000 n=4
.user.ini                       lock=0 ttl~780 n=5
pool values after .user.ini     lock=1 ttl~1000 n=6
ini_set of other settings only  lock=1 ttl~1000 n=7
pool values                     lock=1 ttl~1000 n=8
