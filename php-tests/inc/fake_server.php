<?php
// A fake Redis for the failure/ tests: a server that answers in ways no real one does on
// demand. Started in the background (rs_spawn), it prints "PORT\n" once listening, serves
// every connection on 127.0.0.1, and exits after LIFETIME seconds (the test also kills it).
//
//   fake_server.php MODE [LIFETIME]
//   CLUSTER SLOTS always gets a valid map (every slot on this server) and INFO a valid version
//   (the probe sent with a connection's first command), so both handlers reach the command
//   under test; every other command is answered by MODE:
//     error     -ERR injected failure
//     garbage   bytes that are not RESP
//     badlen    a bulk string announcing 1 GB, then the connection is closed
//     wrongtype +OK to everything (a status where the handler expects data or an array)
//     deeparray an array nested 5000 levels deep
//     close     the connection is closed without a reply
//     slots     CLUSTER SLOTS itself is malformed (slot 99999), other commands -ERR
//     drip      a valid 1 KB bulk reply, sent one byte every 0.1 s (a reply that takes 100 s)
//     driptls   on connect, the start of a TLS handshake record, then one byte every 0.1 s
//               (never a whole record), whatever the client sends

$mode = $argv[1] ?? 'error';
$end = microtime(true) + (float) ($argv[2] ?? 30);
$srv = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
if ($srv === false) {
    fwrite(STDERR, "fake_server: $errstr\n");
    exit(1);
}
$name = stream_socket_get_name($srv, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
echo $port, "\n";
fflush(STDOUT);

/** Parses complete RESP arrays of bulk strings from $buf; returns the commands, keeps the rest. */
function parse_cmds(string &$buf): array
{
    $cmds = [];
    while (true) {
        if ($buf === '' || $buf[0] !== '*') {
            if ($buf !== '' && ($nl = strpos($buf, "\r\n")) !== false) {   // inline command
                $cmds[] = explode(' ', substr($buf, 0, $nl));
                $buf = substr($buf, $nl + 2);
                continue;
            }
            return $cmds;
        }
        $pos = 0;
        $nl = strpos($buf, "\r\n", $pos);
        if ($nl === false) {
            return $cmds;
        }
        $n = (int) substr($buf, 1, $nl - 1);
        $pos = $nl + 2;
        $args = [];
        for ($i = 0; $i < $n; $i++) {
            $nl = strpos($buf, "\r\n", $pos);
            if ($nl === false) {
                return $cmds;
            }
            $len = (int) substr($buf, $pos + 1, $nl - $pos - 1);
            if (strlen($buf) < $nl + 2 + $len + 2) {
                return $cmds;
            }
            $args[] = substr($buf, $nl + 2, $len);
            $pos = $nl + 2 + $len + 2;
        }
        $cmds[] = $args;
        $buf = substr($buf, $pos);
    }
}

function reply(string $mode, array $cmd, int $port): ?string
{
    $name = strtoupper($cmd[0] ?? '');
    $sub = strtoupper($cmd[1] ?? '');
    if ($name === 'CLUSTER' && $sub === 'SLOTS') {
        $hi = $mode === 'slots' ? 99999 : 16383;
        return "*1\r\n*3\r\n:0\r\n:$hi\r\n*2\r\n\$9\r\n127.0.0.1\r\n:$port\r\n";
    }
    if ($name === 'INFO') {
        // the version probe sent with a connection's first command: answered like a server
        $info = "# Server\r\nredis_version:7.0.15\r\n";
        return '$' . strlen($info) . "\r\n$info\r\n";
    }
    if (in_array($name, ['HELLO', 'CLIENT', 'SELECT', 'AUTH', 'PING'], true)) {
        return $name === 'HELLO' ? "-ERR unknown command 'HELLO'\r\n" : "+OK\r\n";
    }
    return match ($mode) {
        'garbage' => "%%% this is not RESP \x00\xff\r\n",
        'badlen' => "\$1000000000\r\nshort",
        'wrongtype' => "+OK\r\n",
        'deeparray' => str_repeat("*1\r\n", 5000) . ":1\r\n",
        'drip' => "\$1000\r\n" . str_repeat('x', 1000) . "\r\n",
        'close' => null,
        default => "-ERR injected failure\r\n",
    };
}

$clients = [];
$bufs = [];
$drips = [];          // client id => bytes still to send one at a time (drip, driptls)
$next_drip = 0.0;
while (microtime(true) < $end) {
    if ($drips && microtime(true) >= $next_drip) {
        foreach ($drips as $id => $left) {
            if ($left !== '' && isset($clients[$id])) {
                @fwrite($clients[$id], $left[0]);
                $drips[$id] = substr($left, 1);
            }
        }
        $next_drip = microtime(true) + 0.1;
    }
    $read = array_merge([$srv], $clients);
    $w = $e = null;
    if (@stream_select($read, $w, $e, 0, $drips ? 20000 : 100000) < 1) {
        continue;
    }
    foreach ($read as $s) {
        if ($s === $srv) {
            $c = @stream_socket_accept($srv, 0);
            if ($c) {
                $clients[(int) $c] = $c;
                $bufs[(int) $c] = '';
                if ($mode === 'driptls') {   // a handshake record header announcing 16 KB
                    $drips[(int) $c] = "\x16\x03\x03\x40\x00" . str_repeat("\x00", 16384);
                }
            }
            continue;
        }
        $data = @fread($s, 65536);
        if ($data === false || $data === '') {
            unset($clients[(int) $s], $bufs[(int) $s], $drips[(int) $s]);
            @fclose($s);
            continue;
        }
        if ($mode === 'driptls') {
            continue;
        }
        $bufs[(int) $s] .= $data;
        foreach (parse_cmds($bufs[(int) $s]) as $cmd) {
            $r = reply($mode, $cmd, $port);
            // INFO (the version probe) is answered at once unless a dripped reply is ahead of it
            $info = strtoupper($cmd[0] ?? '') === 'INFO' && ($drips[(int) $s] ?? '') === '';
            if ($mode === 'drip' && $r !== null && !$info && !str_starts_with($r, '*') && !str_starts_with($r, '+')) {
                $drips[(int) $s] = ($drips[(int) $s] ?? '') . $r;
                continue;
            }
            $well_formed = str_starts_with($r ?? '', '*') || str_starts_with($r ?? '', '+')
                || strtoupper($cmd[0] ?? '') === 'INFO';
            if ($r === null || $mode === 'badlen' && !$well_formed) {
                if ($r !== null) {
                    @fwrite($s, $r);
                }
                unset($clients[(int) $s], $bufs[(int) $s]);
                @fclose($s);
                break;
            }
            @fwrite($s, $r);
        }
    }
}
