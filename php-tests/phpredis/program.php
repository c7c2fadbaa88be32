<?php
// One PHP program run unchanged under Debian's phpredis 5.3.7 (its `redis` session handler)
// and under redis_session, by php-tests/phpredis/*.phpt through side_by_side.inc. It prints
// one JSON object of what a user can observe: return values, the keys left on the server with
// their bytes and TTLs, and the warnings/notices PHP raised (counted, and their texts).
//
//   program.php SCENARIO PORT [ARGS...]
//
// The session INI (save_path, redis.session.*) comes from the command line (-d).

require __DIR__ . '/../inc/resp.inc';

$notices = [];
set_error_handler(function (int $no, string $msg) use (&$notices) {
    $notices[] = $msg;
    return true;
});

$scenario = $argv[1];
$r = RespConn::tcp('127.0.0.1', (int) $argv[2]);
$args = array_slice($argv, 3);
const P = 'PHPREDIS_SESSION:';

/** What is stored under $id: the data key (bytes, TTL rounded to 10 s), and whether a lock key is left. */
function keys_of(RespConn $r, string $id): array
{
    $v = $r->cmd('GET', P . $id);
    $ttl = $r->cmd('TTL', P . $id);
    return ['data' => $v, 'ttl' => $ttl > 0 ? (int) (round($ttl / 10) * 10) : $ttl,
        'lock' => $r->cmd('EXISTS', P . $id . '_LOCK')];
}

$o = [];
switch ($scenario) {
    case 'regenerate':   // ARGS: ID DELETE(0|1)
        [$id, $delete] = $args;
        $r->cmd('SET', P . $id, 'a|i:1;', 'EX', '1440');
        session_id($id);
        $o['start'] = session_start();
        $o['read'] = $_SESSION;
        $_SESSION['b'] = 2;
        $o['regenerate'] = session_regenerate_id((bool) $delete);
        $new = session_id();
        $o['new_id_differs'] = $new !== $id;
        $o['new_id_locked_while_open'] = $r->cmd('EXISTS', P . $new . '_LOCK');
        $o['close'] = session_write_close();
        $o['old'] = keys_of($r, $id);
        $o['new'] = keys_of($r, $new);
        $r->cmd('DEL', P . $id, P . $new, P . $id . '_LOCK', P . $new . '_LOCK');
        break;
    case 'wait':   // ARGS: ID START_AT: start at START_AT while another process holds the lock
        [$id, $at] = $args;
        usleep(max(0, (int) (((float) $at - microtime(true)) * 1e6)));
        $t = microtime(true);
        session_id($id);
        $o['start'] = session_start();
        $o['acquired_at'] = microtime(true);
        $o['waited_ms'] = (int) round(($o['acquired_at'] - $t) * 1000);
        $o['read'] = $_SESSION ?? null;
        $_SESSION['waiter'] = 1;
        $o['close'] = session_write_close();
        $o['stored'] = keys_of($r, $id);
        break;
    case 'hold':   // ARGS: ID MS START_AT: at START_AT take the lock, write holder=1, hold MS, close
        [$id, $ms, $at] = $args;
        usleep(max(0, (int) (((float) $at - microtime(true)) * 1e6)));
        session_id($id);
        $o['start'] = session_start();
        $_SESSION['holder'] = 1;
        usleep((int) $ms * 1000);
        $o['close'] = session_write_close();
        $o['released_at'] = microtime(true);
        break;
    case 'strict':   // ARGS: UNKNOWN_ID
        [$id] = $args;
        session_id($id);
        $o['start'] = session_start();
        $new = session_id();
        $o['id_replaced'] = $new !== $id;
        $_SESSION['x'] = 1;
        $o['close'] = session_write_close();
        $o['unknown_id'] = keys_of($r, $id);
        $o['new_id'] = keys_of($r, $new);
        $r->cmd('DEL', P . $new);
        break;
    case 'ttl':   // ARGS: ID: gc_maxlifetime from -d
        [$id] = $args;
        session_id($id);
        $o['start'] = session_start();
        $_SESSION['x'] = 1;
        $o['close'] = session_write_close();
        $o['stored'] = keys_of($r, $id);
        $r->cmd('DEL', P . $id);
        break;
    case 'lazy':   // ARGS: ID: the stored session is read and left unchanged
        [$id] = $args;
        $r->cmd('SET', P . $id, 'x|i:1;', 'EX', '50');
        session_id($id);
        $o['start'] = session_start();
        $o['read'] = $_SESSION;
        $o['close'] = session_write_close();
        $o['stored'] = keys_of($r, $id);
        $r->cmd('DEL', P . $id);
        break;
    case 'codecs':   // ARGS: ID CODEC... : one request per codec, each adds to the session
        $id = array_shift($args);
        $big = str_repeat('a compressible cart line; ', 400);
        foreach ($args as $i => $codec) {
            ini_set('redis.session.compression', $codec);
            session_id($id);
            $ok = session_start();
            $intact = ($_SESSION['n'] ?? 0) === $i && ($i === 0 || $_SESSION['big'] === $big);
            $_SESSION['n'] = $i + 1;
            $_SESSION['big'] = $big;
            $closed = session_write_close();
            $v = $r->cmd('GET', P . $id);
            $o["request $i ($codec)"] = ['start' => $ok, 'read_back_intact' => $intact, 'close' => $closed,
                'stored_raw' => $v === session_encode_like($i + 1, $big), 'stored_bytes' => strlen((string) $v)];
        }
        $r->cmd('DEL', P . $id);
        break;
    default:
        fwrite(STDERR, "unknown scenario $scenario\n");
        exit(2);
}

/** The php serializer's encoding of ['n' => $n, 'big' => $big] (what an uncompressed store holds). */
function session_encode_like(int $n, string $big): string
{
    return 'n|i:' . $n . ';big|s:' . strlen($big) . ':"' . $big . '";';
}

$o['notices'] = $notices;
echo json_encode($o, JSON_UNESCAPED_SLASHES), "\n";
