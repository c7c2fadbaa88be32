--TEST--
tls: redissentinel asks a TLS-only Sentinel (tls:// sentinel, stream[cafile]) for a TLS-only master and serves sessions there; a sentinel whose certificate does not verify is refused with a clear warning
--SKIPIF--
<?php require __DIR__ . '/tls.inc'; rs_skip_if_no_tls(); ?>
--FILE--
<?php
require __DIR__ . '/tls.inc';
ob_start();
$c = rs_tls_certs();
$master = new RsTlsServer($c, 'good');
$sentinel = new RsTlsServer($c, 'good', 'no', $master->port);
$wrong = new RsTlsServer($c, 'wrong', 'no', $master->port);
$opts = "service=mymaster&timeout=2&read_timeout=2";
$out = [];
$out[] = 'tls:// sentinel, CA given: '
    . rs_tls_try('redissentinel', "sentinel[]=tls://127.0.0.1:{$sentinel->port}&$opts&stream[cafile]=$c/ca.crt", $c);
$out[] = 'plain sentinel address, tls=1: '
    . rs_tls_try('redissentinel', "sentinel[]=127.0.0.1:{$sentinel->port}&$opts&tls=1&stream[cafile]=$c/ca.crt", $c);
$out[] = 'no CA given (system roots): '
    . rs_tls_try('redissentinel', "sentinel[]=tls://127.0.0.1:{$sentinel->port}&$opts", $c);
$out[] = 'sentinel certificate for another name: '
    . rs_tls_try('redissentinel', "sentinel[]=tls://127.0.0.1:{$wrong->port}&$opts&stream[cafile]=$c/ca.crt", $c);
$out[] = 'that one first, the good one second: '
    . rs_tls_try('redissentinel', "sentinel[]=tls://127.0.0.1:{$wrong->port}&sentinel[]=tls://127.0.0.1:{$sentinel->port}&$opts&stream[cafile]=$c/ca.crt", $c);
$wrong->stop();
$sentinel->stop();
$master->stop();
rs_tls_cleanup($c);
ob_end_clean();
echo implode("\n", $out), "\n";
?>
--EXPECT--
tls:// sentinel, CA given: ok
plain sentinel address, tls=1: ok
no CA given (system roots): failed: session_start(): redissentinel: read on service mymaster: no master for service 'mymaster' within 2.0 s (timeout): sentinel 127.0.0.1:P: TLS handshake failed: invalid peer certificate: UnknownIssuer
sentinel certificate for another name: failed: session_start(): redissentinel: read on service mymaster: no master for service 'mymaster' within 2.0 s (timeout): sentinel 127.0.0.1:P: TLS handshake failed: invalid peer certificate: certificate not valid for name "127.0.0.1"; certificate is only valid for DnsName("wrong.example")
that one first, the good one second: ok
