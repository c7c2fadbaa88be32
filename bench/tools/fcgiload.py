#!/usr/bin/env python3
"""FastCGI load generator: keeps N requests in flight against a php-fpm unix socket.

Python 3 stdlib only (asyncio). Each request opens a new connection (as nginx does by
default; FCGI_KEEP_CONN would pin a php-fpm worker to one client), sends BEGIN_REQUEST,
PARAMS and an empty STDIN, and reads records until END_REQUEST. Every load is bounded:
it stops at --requests or after --seconds, whichever comes first, and each request has a
--timeout.

  fcgiload.py --socket /tmp/x/fpm.sock --script /abs/page.php --concurrency 8 \\
              --seconds 2 --requests 100000 --query 'h=redis&lock=1' --sids FILE|--sid ID

Prints one JSON object: requests, ok, errors (first few bodies), seconds, rps, latency
percentiles in microseconds. A response counts as ok when its body starts with "OK".
"""
import argparse
import asyncio
import json
import os
import random
import struct
import sys
import time

FCGI_BEGIN_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR = 1, 3, 4, 5, 6, 7


def _record(rtype: int, body: bytes, req_id: int = 1) -> bytes:
    pad = (8 - len(body) % 8) % 8
    return struct.pack("!BBHHBB", 1, rtype, req_id, len(body), pad, 0) + body + b"\0" * pad


def _nv(name: bytes, value: bytes) -> bytes:
    def ln(n: int) -> bytes:
        return struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x80000000)
    return ln(len(name)) + ln(len(value)) + name + value


def build_request(script: str, query: str) -> bytes:
    params = {
        "SCRIPT_FILENAME": script, "SCRIPT_NAME": "/" + os.path.basename(script),
        "REQUEST_METHOD": "GET", "QUERY_STRING": query, "REQUEST_URI": "/" + os.path.basename(script) + "?" + query,
        "SERVER_PROTOCOL": "HTTP/1.1", "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_SOFTWARE": "fcgiload",
        "REMOTE_ADDR": "127.0.0.1", "SERVER_ADDR": "127.0.0.1", "SERVER_PORT": "80", "SERVER_NAME": "localhost",
    }
    body = b"".join(_nv(k.encode(), v.encode()) for k, v in params.items())
    return (_record(FCGI_BEGIN_REQUEST, struct.pack("!HB5x", 1, 0))  # role RESPONDER, no keep-conn
            + _record(FCGI_PARAMS, body) + _record(FCGI_PARAMS, b"")
            + _record(FCGI_STDIN, b""))


async def one_request(sock: str, payload: bytes, timeout: float) -> tuple[bytes, bytes]:
    async def run():
        reader, writer = await asyncio.open_unix_connection(sock)
        try:
            writer.write(payload)
            out, err = bytearray(), bytearray()
            while True:
                hdr = await reader.readexactly(8)
                _, rtype, _, clen, plen, _ = struct.unpack("!BBHHBB", hdr)
                body = await reader.readexactly(clen + plen)
                if rtype == FCGI_STDOUT:
                    out += body[:clen]
                elif rtype == FCGI_STDERR:
                    err += body[:clen]
                elif rtype == FCGI_END_REQUEST:
                    return bytes(out), bytes(err)
        finally:
            writer.close()
    return await asyncio.wait_for(run(), timeout)


def response_body(out: bytes) -> bytes:
    i = out.find(b"\r\n\r\n")
    return out[i + 4:] if i >= 0 else out


async def load(sock, script, base_query, sids, concurrency, seconds, max_requests, timeout, pick):
    payloads = [build_request(script, f"{base_query}&sid={s}" if base_query else f"sid={s}") for s in sids]
    lat, errors, counter = [], [], {"sent": 0, "ok": 0, "err": 0}
    rng = random.Random(12345)
    start = time.perf_counter()
    deadline = start + seconds

    async def worker(wid: int):
        i = wid
        while counter["sent"] < max_requests and time.perf_counter() < deadline:
            counter["sent"] += 1
            p = payloads[rng.randrange(len(payloads))] if pick == "random" else payloads[i % len(payloads)]
            i += concurrency
            t0 = time.perf_counter()
            try:
                out, err = await one_request(sock, p, timeout)
                body = response_body(out)
                ok = body.startswith(b"OK")
                if not ok and len(errors) < 5:
                    errors.append((body + err)[:300].decode(errors="replace"))
            except Exception as e:  # timeout, connection refused, ...
                ok = False
                if len(errors) < 5:
                    errors.append(f"{type(e).__name__}: {e}")
            lat.append(time.perf_counter() - t0)
            counter["ok" if ok else "err"] += 1

    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - start
    lat.sort()

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1e6, 1) if lat else None

    return {"requests": len(lat), "ok": counter["ok"], "errors": counter["err"], "error_samples": errors,
            "seconds": round(elapsed, 3), "rps": round(counter["ok"] / elapsed, 1) if elapsed else 0,
            "concurrency": concurrency, "lat_us": {"p50": pct(50), "p90": pct(90), "p99": pct(99),
                                                   "max": round(lat[-1] * 1e6, 1) if lat else None}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--socket", required=True)
    ap.add_argument("--script", required=True, help="absolute path of the PHP page (SCRIPT_FILENAME)")
    ap.add_argument("--query", default="", help="query string; &sid=<id> is appended per request")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--sid", help="one session id for every request (hot session)")
    g.add_argument("--sids", help="file with one session id per line")
    ap.add_argument("--pick", choices=["random", "roundrobin"], default="random")
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--requests", type=int, default=100000, help="upper bound on requests sent")
    ap.add_argument("--timeout", type=float, default=10.0, help="per request, seconds")
    a = ap.parse_args(argv)
    sids = [a.sid] if a.sid else [l.strip() for l in open(a.sids) if l.strip()]
    r = asyncio.run(load(a.socket, a.script, a.query, sids, a.concurrency, min(a.seconds, 600.0),
                         a.requests, a.timeout, a.pick))
    json.dump(r, sys.stdout)
    print()


if __name__ == "__main__":
    main()
