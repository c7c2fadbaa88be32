--TEST--
ini: redis.session.lock_release_cmd accepts DELIFEQ, DELEX and empty in any letter case, and php --ri shows the command in use
--SKIPIF--
<?php require __DIR__ . '/../inc/config.inc'; rs_skip_if_no_extension(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/child.inc';
foreach (['DELIFEQ', 'delifeq', 'DelIfEq', 'DELEX', 'delex', 'DeLeX', '', ' delex '] as $v) {
    $ok = ini_set('redis.session.lock_release_cmd', $v) !== false;
    // what the extension makes of it, as php --ri reports it
    $r = rs_run_child([PHP_BINARY, '-n', '-d', 'extension=' . rs_extension_so(),
        '-d', 'redis.session.lock_release_cmd="' . $v . '"', '--ri', 'redis_session'], 20);
    preg_match('/^Lock release command in use => (.*)$/m', $r['stdout'], $m);
    printf("%-10s ini_set %s, in use: %s%s\n", json_encode($v), $ok ? 'ok' : 'REFUSED', $m[1] ?? '?',
        $r['stderr'] !== '' ? ' stderr: ' . trim($r['stderr']) : '');
}
?>
--EXPECT--
"DELIFEQ"  ini_set ok, in use: DELIFEQ
"delifeq"  ini_set ok, in use: DELIFEQ
"DelIfEq"  ini_set ok, in use: DELIFEQ
"DELEX"    ini_set ok, in use: DELEX
"delex"    ini_set ok, in use: DELEX
"DeLeX"    ini_set ok, in use: DELEX
""         ini_set ok, in use: Lua
" delex "  ini_set ok, in use: DELEX
