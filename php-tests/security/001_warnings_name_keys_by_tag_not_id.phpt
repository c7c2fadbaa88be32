--TEST--
security: warnings never print a session id (a bearer credential); they name the key by a tag (4 id characters, *, #, 8 hex of SHA-1) that finds exactly that key with SCAN MATCH + sha1 (both handlers: lock timeout, and a key of the wrong type)
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_server(); rs_skip_if_no_cluster(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/lock.inc';
ob_start();

/** The operator's recipe (README): SCAN with the part before '#', keep the key whose SHA-1 starts with the rest. */
function find_by_tag(RespConn $node, string $tag): array
{
    [$pattern, $hash] = explode('#', $tag, 2);
    $found = [];
    $cursor = '0';
    $rounds = 0;
    do {
        [$cursor, $keys] = $node->cmd('SCAN', $cursor, 'MATCH', $pattern, 'COUNT', 1000);
        foreach ($keys as $k) {
            if (str_starts_with(sha1($k), $hash)) {
                $found[] = $k;
            }
        }
    } while ($cursor !== '0' && ++$rounds < 10000);
    return $found;
}

foreach (['redis', 'rediscluster'] as $handler) {
    $h = rs_lk($handler);
    // 1. lock timeout: someone else holds the lock
    $id = rs_new_id(32);
    $h->r->cmd('SET', $h->data($id), 'a|i:1;', 'EX', 60);
    $h->r->cmd('SET', $h->lock($id), 'someone-else', 'PX', 10000);
    rs_session_setup($h->handler, $h->path, rs_lk_locking([
        'redis.session.lock_retries' => '2', 'redis.session.lock_wait_time' => '1000']));
    rs_capture_warnings();
    session_id($id);
    var_dump(session_start());
    // 2. wrong type: a hash where the session should be (no locking)
    $id2 = rs_new_id(32);
    $h->r->cmd('HSET', $h->data($id2), 'f', 'v');
    rs_session_setup($h->handler, $h->path, ['redis.session.locking_enabled' => '0']);
    session_id($id2);
    var_dump(session_start());
    $ws = rs_take_warnings();
    restore_error_handler();
    foreach ([$id => $ws[0], $id2 => $ws[2]] as $sid => $w) {
        echo "$handler: ", rs_hide_id(preg_replace(['/after waiting \d+ ms \(\d+ attempts\)/', '/127\.0\.0\.1:\d+/'], ['after waiting N ms (N attempts)', '<node>'], $w), $sid), "\n";
        $key = $h->data($sid);
        $tag = rs_key_tag($key);
        echo "  id absent from every warning: ", var_export(!str_contains(implode("\n", $ws), $sid), true), "\n";
        echo "  nor its first 5 characters: ", var_export(!str_contains(implode("\n", $ws), substr($sid, 0, 5)), true), "\n";
        echo "  tag shows 4 id characters: ", var_export(str_starts_with($tag, $h->prefix . substr($sid, 0, 4) . '*#'), true), "\n";
        echo "  scan + sha1 finds exactly the key: ", var_export(find_by_tag($h->nodeConn($sid), $tag) === [$key], true), "\n";
    }
    $h->cleanup($id, $id2);
}
?>
--EXPECT--
bool(false)
bool(false)
redis: session_start(): redis: could not acquire the session lock on PHPREDIS_SESSION:<id> (<node>) after waiting N ms (N attempts); another request holds it. Raise redis.session.lock_retries / lock_wait_time, or shorten the requests that hold the session
  id absent from every warning: true
  nor its first 5 characters: true
  tag shows 4 id characters: true
  scan + sha1 finds exactly the key: true
redis: session_start(): redis: read on <node>: WRONGTYPE Operation against a key holding the wrong kind of value (session key PHPREDIS_SESSION:<id>)
  id absent from every warning: true
  nor its first 5 characters: true
  tag shows 4 id characters: true
  scan + sha1 finds exactly the key: true
bool(false)
bool(false)
rediscluster: session_start(): rediscluster: could not acquire the session lock on PHPREDIS_CLUSTER_SESSION:<id> (<node>) after waiting N ms (N attempts); another request holds it. Raise redis.session.lock_retries / lock_wait_time, or shorten the requests that hold the session
  id absent from every warning: true
  nor its first 5 characters: true
  tag shows 4 id characters: true
  scan + sha1 finds exactly the key: true
rediscluster: session_start(): rediscluster: read on <node>: WRONGTYPE Operation against a key holding the wrong kind of value (session key PHPREDIS_CLUSTER_SESSION:<id>)
  id absent from every warning: true
  nor its first 5 characters: true
  tag shows 4 id characters: true
  scan + sha1 finds exactly the key: true
