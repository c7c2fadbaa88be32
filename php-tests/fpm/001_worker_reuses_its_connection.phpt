--TEST--
php-fpm: one worker serves many session requests on a single kept connection (redis, locking on)
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

// A database of its own marks this test's connections in CLIENT LIST.
$db = 13;
$fpm = new Fpm([
    'session.save_handler' => 'redis',
    'session.save_path' => rs_standalone_path(['database' => $db, 'timeout' => 2]),
    'session.use_cookies' => '0',
    'session.use_strict_mode' => '0',
    'session.cache_limiter' => '',
    'redis.session.locking_enabled' => '1',
]);
$r = rs_resp();
$ours = function () use ($r, $db): array {
    $ids = [];
    foreach (explode("\n", trim($r->cmd('CLIENT', 'LIST'))) as $line) {
        if (preg_match('/^id=(\d+) .* db=' . $db . ' /', $line, $m)) {
            $ids[] = $m[1];
        }
    }
    return $ids;
};
$id = rs_new_id();
$first = $fpm->get(__DIR__ . '/counter.php', "id=$id");
$after_first = $ours();
$outputs = [$first];
for ($i = 0; $i < 19; $i++) {
    $outputs[] = $fpm->get(__DIR__ . '/counter.php', "id=$id");
}
$after_all = $ours();
echo implode(',', $outputs), "\n";
var_dump(count($after_first), $after_first === $after_all);
$r->cmd('SELECT', (string)$db);
var_dump($r->cmd('EXISTS', RS_PREFIX . $id . '_LOCK'));
$r->cmd('DEL', RS_PREFIX . $id);
$fpm->stop();
?>
--EXPECT--
1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20
int(1)
bool(true)
int(0)
