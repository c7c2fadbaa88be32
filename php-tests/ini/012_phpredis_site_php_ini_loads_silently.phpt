--TEST--
ini: a php.ini from a phpredis 6.3 site (fixtures/phpredis-6.3-site.ini: every redis.session.* line phpredis documents, 0 values included) loads with no warning, php --ri shows each setting with phpredis's meaning, and sessions work with it; the same with phpredis loaded too
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_phpredis(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
require __DIR__ . '/../inc/resp.inc';
// The fixture, pointed at the test server, with the CLI session settings a test needs.
$ini = str_replace('127.0.0.1:6379', rs_host() . ':' . rs_port(), file_get_contents(__DIR__ . '/fixtures/phpredis-6.3-site.ini'));
foreach (rs_session_cli_ini() as $k => $v) $ini .= "$k = \"$v\"\n";
$ini .= "display_errors = stderr\ndisplay_startup_errors = 1\nerror_reporting = -1\n";
$file = tempnam(sys_get_temp_dir(), 'rsini');
file_put_contents($file, $ini);
putenv('PHP_INI_SCAN_DIR=');   // only this php.ini
$id = rs_new_id();
$code = 'session_id($argv[1]); var_dump(session_start()); $_SESSION["n"] = ($_SESSION["n"] ?? 0) + 1; var_dump(session_write_close());';
foreach (['alone' => [], 'with phpredis loaded first' => rs_phpredis_args()] as $label => $before) {
    echo "== $label\n";
    $base = [PHP_BINARY, '-c', $file, ...$before, '-d', 'extension=' . rs_extension_so()];
    $r = rs_run_child([...$base, '--ri', 'redis_session'], 20);
    foreach (explode("\n", $r['stdout']) as $line) {
        if (preg_match('/^redis\.session\.\w+ => /', $line)) {
            // the value and its meaning (who registered it is another test's concern)
            echo preg_replace('/ => [^=]+$/', '', $line), "\n";
        }
    }
    echo "stderr: ", json_encode($r['stderr']), "\n";
    $r = rs_run_child([...$base, '-r', $code, $id], 20);
    echo $r['stdout'], "stderr: ", json_encode($r['stderr']), "\n";
}
$c = rs_resp();
echo "stored: ", $c->cmd('GET', RS_PREFIX . $id), ", ttl: ", $c->cmd('TTL', RS_PREFIX . $id), "\n";
$c->cmd('DEL', RS_PREFIX . $id);
unlink($file);
?>
--EXPECT--
== alone
redis.session.locking_enabled => 1 => on
redis.session.lock_expire => 0 => lock TTL 30 s
redis.session.lock_wait_time => 0 => 20000 us
redis.session.lock_retries => 0 => 100 attempts, at most 2000 ms
redis.session.lock_release_cmd => eval => Lua script (eval)
redis.session.lock_failure_readonly => 0 => off
redis.session.early_refresh => 0 => off
redis.session.compression => (empty) => none
redis.session.compression_threshold => 2048 => 2048 bytes
redis.session.compression_level => 0 => not used by none
redis.session.max_size => 67108864 => 67108864 bytes
redis.session.write_failure => warning => warning
stderr: ""
bool(true)
bool(true)
stderr: ""
== with phpredis loaded first
redis.session.locking_enabled => 1 => on
redis.session.lock_expire => 0 => lock TTL 30 s
redis.session.lock_wait_time => 0 => 20000 us
redis.session.lock_retries => 0 => 100 attempts, at most 2000 ms
redis.session.lock_release_cmd => eval => Lua script (eval)
redis.session.lock_failure_readonly => 0 => off
redis.session.early_refresh => 0 => off
redis.session.compression => (empty) => none
redis.session.compression_threshold => 2048 => 2048 bytes
redis.session.compression_level => 0 => not used by none
redis.session.max_size => 67108864 => 67108864 bytes
redis.session.write_failure => warning => warning
stderr: ""
bool(true)
bool(true)
stderr: ""
stored: n|i:2;, ttl: 1440
