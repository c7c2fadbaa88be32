--TEST--
failure: redis.session.write_failure=exception makes a write that finally failed (OOM at maxmemory) visible to the application as an exception from session_write_close(); the default (warning) keeps PHP's behaviour (a warning, session_write_close() returns true); a bad value is refused on set
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/private_server.inc';
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$s = rs_private_server(['--maxmemory-policy', 'noeviction']);
$r = $s->resp();
foreach (['warning', 'exception'] as $mode) {
    foreach (['0', '1'] as $locking) {
        rs_session_setup('redis', 'unix://' . $s->socket . '?timeout=1&read_timeout=1',
            ['redis.session.locking_enabled' => $locking, 'redis.session.write_failure' => $mode]);
        $id = rs_new_id();
        session_id($id);
        session_start();
        $_SESSION['n'] = 1;
        $r->cmd('CONFIG', 'SET', 'maxmemory', '1');
        rs_capture_warnings();
        try {
            $ret = var_export(session_write_close(), true);
        } catch (\Exception $e) {
            $ret = 'threw ' . get_class($e) . (str_contains($e->getMessage(), 'not written') && str_contains($e->getMessage(), 'OOM') ? ' naming the cause' : ': ' . $e->getMessage());
        }
        restore_error_handler();
        $r->cmd('CONFIG', 'SET', 'maxmemory', '0');
        echo "$mode, locking=$locking: $ret, warnings ", count(rs_take_warnings()) > 0 ? 'yes' : 'no',
            ", stored ", var_export($r->cmd('GET', RS_PREFIX . $id), true), "\n";
        @session_abort();
    }
}
var_dump(@ini_set('redis.session.write_failure', 'explode'));
echo ini_get('redis.session.write_failure'), "\n";
$s->stop();
echo ob_get_clean();
?>
--EXPECT--
warning, locking=0: true, warnings yes, stored NULL
warning, locking=1: true, warnings yes, stored NULL
exception, locking=0: threw Exception naming the cause, warnings yes, stored NULL
exception, locking=1: threw Exception naming the cause, warnings yes, stored NULL
bool(false)
exception
