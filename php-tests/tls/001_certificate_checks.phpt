--TEST--
tls: Redis 7 with TLS on loopback: a certificate signed by stream[cafile] for 127.0.0.1 works; a wrong-name certificate and a self-signed one are refused with a warning naming the check; stream[verify_peer_name]=0 is accepted only with stream[cafile]; stream[verify_peer]=0 accepts anything (both handlers' syntax, redis handler)
--SKIPIF--
<?php require __DIR__ . '/tls.inc'; rs_skip_if_no_tls(); ?>
--FILE--
<?php
require __DIR__ . '/tls.inc';
ob_start();
$c = rs_tls_certs();
$out = [];
foreach (['good', 'wrong', 'self'] as $cert) {
    $s = new RsTlsServer($c, $cert);
    $url = "tls://127.0.0.1:{$s->port}?timeout=2&read_timeout=2";
    foreach ([
        'cafile=ca' => "$url&stream[cafile]=$c/ca.crt",
        'cafile=self' => "$url&stream[cafile]=$c/self.crt",
        'system store' => $url,
        'cafile=ca, verify_peer_name=0' => "$url&stream[cafile]=$c/ca.crt&stream[verify_peer_name]=0",
        'verify_peer=0' => "$url&stream[verify_peer]=0",
    ] as $what => $path) {
        $out[] = sprintf("%-5s cert, %-30s %s", $cert, "$what:", rs_tls_try('redis', $path, $c));
    }
    $s->stop();
}
// Without the name check and without a cafile, the system store would vouch for any name.
$out[] = 'verify_peer_name=0 alone: ' . rs_tls_try('redis', 'tls://127.0.0.1:6379?stream[verify_peer_name]=0', $c);
$out[] = 'cluster, verify_peer_name=0 alone: ' . rs_tls_try('rediscluster', 'seed[]=127.0.0.1:6379&stream[verify_peer_name]=0', $c);
rs_tls_cleanup($c);
ob_end_clean();
echo implode("\n", $out), "\n";
?>
--EXPECT--
good  cert, cafile=ca:                     ok
good  cert, cafile=self:                   failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: UnknownIssuer
good  cert, system store:                  failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: UnknownIssuer
good  cert, cafile=ca, verify_peer_name=0: ok
good  cert, verify_peer=0:                 ok
wrong cert, cafile=ca:                     failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: certificate not valid for name "127.0.0.1"; certificate is only valid for DnsName("wrong.example")
wrong cert, cafile=self:                   failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: UnknownIssuer
wrong cert, system store:                  failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: UnknownIssuer
wrong cert, cafile=ca, verify_peer_name=0: ok
wrong cert, verify_peer=0:                 ok
self  cert, cafile=ca:                     failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))
self  cert, cafile=self:                   failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))
self  cert, system store:                  failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))
self  cert, cafile=ca, verify_peer_name=0: failed: session_start(): redis: read on 127.0.0.1:P: TLS handshake failed: invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))
self  cert, verify_peer=0:                 ok
verify_peer_name=0 alone: failed: session_start(): redis: open: malformed session.save_path: 'stream[verify_peer_name]=0' needs stream[cafile]: with the system trust store and no name check, any publicly trusted certificate (anyone's web site) would be accepted for this server | session_start(): Failed to initialize storage module: redis (path: tls://127.0.0.1:P?stream[verify_peer_name]=0)
cluster, verify_peer_name=0 alone: failed: session_start(): rediscluster: open: malformed session.save_path: 'stream[verify_peer_name]=0' needs stream[cafile]: with the system trust store and no name check, any publicly trusted certificate (anyone's web site) would be accepted for this server | session_start(): Failed to initialize storage module: rediscluster (path: seed[]=127.0.0.1:P&stream[verify_peer_name]=0)
