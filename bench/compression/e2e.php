<?php
// End-to-end cost of session compression: for each codec and session size, N requests of
// session_start() + one change + session_write_close() against one Redis server, timed with
// hrtime. Prints a markdown table. Run by bench/compression/run.sh (which starts the server):
//   php -n -d extension=SO bench/compression/e2e.php HOST:PORT [ITERATIONS]
[$host, $port] = explode(':', $argv[1] ?? '127.0.0.1:6379');
$iters = (int) ($argv[2] ?? 1000);
ini_set('session.use_cookies', '0');
ini_set('session.use_only_cookies', '0');
ini_set('session.cache_limiter', '');
ini_set('session.save_handler', 'redis');
ini_set('session.save_path', "tcp://$host:$port?timeout=2&read_timeout=5");

/** A realistic session of about $bytes bytes: user, csrf token, a cart that grows. */
function payload(int $bytes): array
{
    mt_srand(42);
    $words = ['organic', 'cotton', 'shirt', 'ceramic', 'mug', 'wireless', 'headphones', 'leather', 'wallet', 'desk', 'lamp'];
    $s = [
        '_token' => bin2hex(random_bytes(20)),
        'user' => ['id' => 4711, 'email' => 'ada@example.com', 'name' => 'Ada Lovelace', 'roles' => ['customer']],
        'cart' => [],
        '_flash' => ['success' => ['The item was added to your cart.']],
    ];
    while (strlen(serialize($s)) < $bytes) {
        $s['cart'][] = [
            'sku' => sprintf('SKU-%06d-%04x', mt_rand(0, 999999), mt_rand(0, 0xffff)),
            'name' => $words[mt_rand(0, 10)] . ' ' . $words[mt_rand(0, 10)] . ' ' . $words[mt_rand(0, 10)],
            'qty' => mt_rand(1, 4), 'price' => mt_rand(99, 19999) / 100, 'currency' => 'EUR',
            'options' => ['size' => ['S', 'M', 'L'][mt_rand(0, 2)], 'color' => ['red', 'blue'][mt_rand(0, 1)]],
            'added_at' => 1700000000 + mt_rand(0, 999999),
        ];
    }
    return $s;
}

function resp(string $host, int $port, array $args): ?string
{
    static $fp = null;
    $fp ??= stream_socket_client("tcp://$host:$port", $en, $es, 2);
    $cmd = '*' . count($args) . "\r\n";
    foreach ($args as $a) {
        $cmd .= '$' . strlen($a) . "\r\n$a\r\n";
    }
    fwrite($fp, $cmd);
    $line = fgets($fp);
    return $line[0] === ':' ? trim(substr($line, 1)) : trim($line);
}

$codecs = ['none', 'lz4', 'snappy', 'lzf', 'zstd', 'gzip'];
$sizes = ['1 KB' => 1024, '10 KB' => 10240, '100 KB' => 102400, '1 MB' => 1048576];
echo "| session | codec | stored bytes | median µs | p95 µs | vs none (median) |\n|---|---|---:|---:|---:|---:|\n";
foreach ($sizes as $label => $bytes) {
    $data = payload($bytes);
    $n = $bytes >= 1048576 ? max(20, intdiv($iters, 10)) : $iters;
    // One session per codec; the codecs take turns request by request, so load from anything
    // else on the machine spreads evenly over them.
    $ids = [];
    foreach ($codecs as $codec) {
        ini_set('redis.session.compression', $codec);
        $ids[$codec] = 'bench' . bin2hex(random_bytes(8));
        session_id($ids[$codec]);
        session_start();
        $_SESSION = $data;
        $_SESSION['n'] = 0;
        session_write_close();
    }
    $t = array_fill_keys($codecs, []);
    for ($i = 0; $i < $n + 5; $i++) {
        foreach ($codecs as $codec) {
            ini_set('redis.session.compression', $codec);
            $t0 = hrtime(true);
            session_id($ids[$codec]);
            session_start();
            $_SESSION['n']++;
            session_write_close();
            if ($i >= 5) {   // warm-up
                $t[$codec][] = (hrtime(true) - $t0) / 1000;
            }
        }
    }
    $base = null;
    foreach ($codecs as $codec) {
        sort($t[$codec]);
        $median = $t[$codec][intdiv(count($t[$codec]), 2)];
        $p95 = $t[$codec][(int) floor(count($t[$codec]) * 0.95)];
        $stored = resp($host, (int) $port, ['STRLEN', "PHPREDIS_SESSION:{$ids[$codec]}"]);
        resp($host, (int) $port, ['DEL', "PHPREDIS_SESSION:{$ids[$codec]}"]);
        $base ??= $median;
        printf("| %s | %s | %s | %.0f | %.0f | %s |\n", $label . ' (' . strlen(serialize($data)) . ' B)', $codec,
            $stored, $median, $p95, $codec === 'none' ? '' : sprintf('%+.0f%%', ($median / $base - 1) * 100));
    }
}
