<?php
// Random session strings as the igbinary and php_binary serializers write them, for
// core/examples/phpredis_ambiguity.rs (docs/compression.md, "Sessions written by phpredis").
// Output: each blob as a u32 little-endian length + bytes, igbinary and php_binary alternating.
//   php -n -d extension=igbinary bench/compression/raw_sessions.php OUT N
mt_srand(42);
const WORDS = ['id', 'user', 'cart', 'qty', 'name', 'email', 'token', 'flash', 'items', 'price',
    'locale', 'a', 'b', 'x', 'n', 'csrf', 'last', 'roles'];

function word(): string
{
    return WORDS[mt_rand(0, count(WORDS) - 1)];
}

/** A random session value: scalars, short strings, hex tokens, nested arrays (depth <= 3). */
function value(int $depth): mixed
{
    switch (mt_rand(0, $depth > 2 ? 4 : 6)) {
        case 0: return mt_rand(-5, 100000);
        case 1: return word() . mt_rand(0, 999);
        case 2: return mt_rand(0, 1) === 1;
        case 3: return mt_rand() / 7.0;
        case 4: return bin2hex(random_bytes(mt_rand(1, 20)));
        default:
            $a = [];
            for ($i = 0, $n = mt_rand(0, 6); $i < $n; $i++) {
                $a[mt_rand(0, 1) ? $i : word()] = value($depth + 1);
            }
            return $a;
    }
}

$out = fopen($argv[1], 'w');
for ($i = 0, $n = (int) $argv[2]; $i < $n; $i++) {
    $session = [];
    for ($j = 0, $vars = mt_rand(1, 8); $j < $vars; $j++) {
        $session[word() . ($j ?: '')] = value(0);
    }
    $igbinary = igbinary_serialize($session);
    $php_binary = '';   // PHP's php_binary: key length byte, key, serialize(value)
    foreach ($session as $k => $v) {
        $php_binary .= chr(strlen((string) $k)) . $k . serialize($v);
    }
    fwrite($out, pack('V', strlen($igbinary)) . $igbinary . pack('V', strlen($php_binary)) . $php_binary);
}
