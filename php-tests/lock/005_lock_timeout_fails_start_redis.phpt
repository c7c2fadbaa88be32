--TEST--
lock: redis, while another process holds the session, session_start() with lock_retries=5 / lock_wait_time=20000 gives up fast with a warning naming the key and the wait; the holder's data is intact
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();   // the CLI refuses session INI changes once output was sent
$h = rs_lk('redis');
$id = rs_new_id();
$h->r->cmd('SET', $h->data($id), 'a|s:1:"1";', 'EX', 300);

// A: holds the session (locked) for 2 s, then writes held_by=its pid
$a = rs_spawn(rs_child_cmd(rs_worker(), ['hold', $id, 2000], $h->ini(rs_lk_locking())));
var_dump(rs_wait_for(fn () => $h->r->cmd('EXISTS', $h->lock($id)) === 1, 5.0));
$a_token = $h->r->cmd('GET', $h->lock($id));

// B (this process): 5 attempts 20 ms apart, so about 100 ms of waiting at most
rs_session_setup($h->handler, $h->path, rs_lk_locking([
    'redis.session.lock_retries' => '5',
    'redis.session.lock_wait_time' => '20000',
]));
rs_capture_warnings();
session_id($id);
$t = microtime(true);
$started = session_start();
$elapsed = microtime(true) - $t;
var_dump($started, session_status() === PHP_SESSION_NONE);
echo "returned within 1 s: ", var_export($elapsed < 1.0, true), "\n";
foreach (rs_take_warnings() as $w) {
    if (preg_match('/after waiting (\d+) ms/', $w, $m)) {
        echo "waited between 60 and 1000 ms: ", var_export($m[1] >= 60 && $m[1] <= 1000, true), "\n";
        echo "waited no longer than the call took: ", var_export($m[1] <= $elapsed * 1000 + 1, true), "\n";
    }
    echo rs_hide_id(preg_replace('/after waiting \d+ ms/', 'after waiting N ms', $w), $id), "\n";
}
// B tries to write anyway: there is no session, nothing may reach the server
$_SESSION['b'] = 'x';
var_dump(@session_write_close());
var_dump($h->r->cmd('GET', $h->lock($id)) === $a_token);

$ra = rs_reap($a, 10.0);
$o = rs_child_json($ra);
var_dump($o['ok'] ?? null, $o['closed'] ?? null, $o['seen'] ?? null, $o['warnings'] ?? null);
var_dump($h->r->cmd('GET', $h->data($id)) === 'a|s:1:"1";held_by|i:' . $o['pid'] . ';');
var_dump($h->r->cmd('EXISTS', $h->lock($id)));
$h->cleanup($id);
?>
--EXPECTF--
bool(true)
bool(false)
bool(true)
returned within 1 s: true
waited between 60 and 1000 ms: true
waited no longer than the call took: true
session_start(): redis: could not acquire the session lock on PHPREDIS_SESSION:<id> (127.0.0.1:%d) after waiting N ms (5 attempts); another request holds it. Raise redis.session.lock_retries / lock_wait_time, or shorten the requests that hold the session
session_start(): Failed to read session data: redis (path: tcp://127.0.0.1:%d?timeout=2&read_timeout=2)
bool(false)
bool(true)
bool(true)
bool(true)
NULL
array(0) {
}
bool(true)
int(0)
