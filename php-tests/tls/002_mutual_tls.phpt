--TEST--
tls: mutual TLS: a server that requires client certificates (tls-auth-clients yes) refuses a client without one, and serves sessions to stream[local_cert] + stream[local_pk] signed by its CA (redis and rediscluster handler syntax for the options)
--SKIPIF--
<?php require __DIR__ . '/tls.inc'; rs_skip_if_no_tls(); ?>
--FILE--
<?php
require __DIR__ . '/tls.inc';
ob_start();
$c = rs_tls_certs();
$s = new RsTlsServer($c, 'good', 'yes');
$url = "tls://127.0.0.1:{$s->port}?timeout=2&read_timeout=2&stream[cafile]=$c/ca.crt";
$out = [];
$out[] = 'no client certificate: ' . rs_tls_try('redis', $url, $c);
$out[] = 'client certificate: ' . rs_tls_try('redis', "$url&stream[local_cert]=$c/client.crt&stream[local_pk]=$c/client.key", $c);
$out[] = 'client certificate not signed by the CA: ' . rs_tls_try('redis', "$url&stream[local_cert]=$c/self.crt&stream[local_pk]=$c/self.key", $c);
$out[] = 'missing key file: ' . rs_tls_try('redis', "$url&stream[local_cert]=$c/client.crt&stream[local_pk]=$c/nope.key", $c);
$s->stop();
rs_tls_cleanup($c);
ob_end_clean();
echo implode("\n", $out), "\n";
?>
--EXPECT--
no client certificate: failed: session_start(): redis: read on 127.0.0.1:P: received fatal alert: CertificateRequired
client certificate: ok
client certificate not signed by the CA: failed: session_start(): redis: read on 127.0.0.1:P: received fatal alert: UnknownCA
missing key file: failed: session_start(): redis: connect on 127.0.0.1:P: cannot read stream[local_pk] D/nope.key: No such file or directory (os error 2)
