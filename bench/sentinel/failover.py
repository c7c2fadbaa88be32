#!/usr/bin/env python3
"""A php-fpm site through a Sentinel master kill: redis_session's `redissentinel` handler next to
phpredis's `redis` handler pointed at the same (old) master, which cannot follow a failover.

  python3 bench/sentinel/failover.py            (make target: none; about 40 s)

Starts a Sentinel set (scripts/sentinel.py: 1 master, 2 replicas, 3 sentinels on loopback,
down-after-milliseconds = SENTINEL_DOWN_MS, default 1000) and two php-fpm pools of 4 static
workers each (Debian's php8.2-fpm): pool A loads target/release/libredis_session.so with
`session.save_handler = redissentinel`; pool B loads phpredis (igbinary + redis) with
`session.save_handler = redis` and `save_path = tcp://<master>`. Both use locking, timeout=1,
read_timeout=1. A bounded load loop (CLIENTS threads per pool, each on its own session, one
FastCGI request after another, each bounded by 5 s) runs LOAD_S seconds (default 30); the
master is SIGKILLed at KILL_AT_S (default 5). Reports per pool: requests, failed requests, the
outage (first failure after the kill to the last failure before a success streak to the end),
whether the workers were the same processes before and after (no restart), and whether the
session counters lost increments. Everything it starts is stopped by PID.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SO = os.path.join(ROOT, "target", "release", "libredis_session.so")
SENTINEL_PY = os.path.join(ROOT, "scripts", "sentinel.py")
FPM = "/usr/sbin/php-fpm8.2"
LOAD_S = float(os.environ.get("LOAD_S", "30"))
KILL_AT_S = float(os.environ.get("KILL_AT_S", "5"))
CLIENTS = int(os.environ.get("CLIENTS", "4"))

COUNTER = r"""<?php
$w = [];
set_error_handler(function ($no, $msg) use (&$w) { $w[] = $msg; return true; });
session_id($_GET['id']);
if (!session_start()) { echo "FAIL ", getmypid(), " ", implode(' | ', $w), "\n"; return; }
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
$n = $_SESSION['n'];
if (!session_write_close() || $w) { echo "FAIL ", getmypid(), " write ", implode(' | ', $w), "\n"; return; }
echo "OK ", getmypid(), " ", $n, "\n";
"""


def fcgi_get(sock_path, script, query, timeout=5.0):
    """One FastCGI GET request over a unix socket; returns the body (no headers)."""
    def rec(t, rid, content):
        return struct.pack("!BBHHBx", 1, t, rid, len(content), 0) + content

    def nv(k, v):
        k, v = k.encode(), v.encode()
        enc = lambda n: struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x80000000)
        return enc(len(k)) + enc(len(v)) + k + v
    params = {"SCRIPT_FILENAME": script, "REQUEST_METHOD": "GET", "QUERY_STRING": query,
              "SCRIPT_NAME": "/" + os.path.basename(script), "SERVER_PROTOCOL": "HTTP/1.1",
              "GATEWAY_INTERFACE": "CGI/1.1", "REMOTE_ADDR": "127.0.0.1"}
    body = b"".join(nv(k, v) for k, v in params.items())
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(sock_path)
        s.sendall(rec(1, 1, struct.pack("!HB5x", 1, 0)) + rec(4, 1, body) + rec(4, 1, b"") + rec(5, 1, b""))
        out, buf = b"", b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            while len(buf) >= 8:
                _, t, _, clen, plen = struct.unpack("!BBHHB", buf[:7])
                if len(buf) < 8 + clen + plen:
                    break
                if t == 6:
                    out += buf[8:8 + clen]
                if t == 3:
                    return out.split(b"\r\n\r\n", 1)[-1].decode(errors="replace")
                buf = buf[8 + clen + plen:]
        return out.split(b"\r\n\r\n", 1)[-1].decode(errors="replace")
    finally:
        s.close()


class Pool:
    def __init__(self, name, d, ext_args, ini):
        self.name, self.dir = name, os.path.join(d, name)
        os.makedirs(self.dir)
        self.sock = os.path.join(self.dir, "fpm.sock")
        conf = ("[global]\npid = %s/fpm.pid\nerror_log = %s/fpm.log\ndaemonize = no\n"
                "[www]\nlisten = %s\npm = static\npm.max_children = 4\nclear_env = no\n"
                % (self.dir, self.dir, self.sock))
        for k, v in ini.items():
            conf += 'php_admin_value[%s] = "%s"\n' % (k, v)
        with open(os.path.join(self.dir, "fpm.conf"), "w") as f:
            f.write(conf)
        log = open(os.path.join(self.dir, "out.log"), "a")
        self.proc = subprocess.Popen(["timeout", "300", FPM, "-n", "-R", "-F", "-y", os.path.join(self.dir, "fpm.conf")]
                                     + ext_args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     start_new_session=True)
        deadline = time.time() + 10
        while not os.path.exists(self.sock) and time.time() < deadline:
            time.sleep(0.02)
        if not os.path.exists(self.sock):
            raise SystemExit("php-fpm %s did not start: %s" % (name, open(os.path.join(self.dir, "out.log")).read()))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # the timeout wrapper passes SIGTERM on to php-fpm
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def load(pool, script, results, t_start, stop_at, cid):
    sid = "failoverbench%s%02dabcdefghij" % (pool.name, cid)
    while time.monotonic() < stop_at:
        t0 = time.monotonic()
        try:
            body = fcgi_get(pool.sock, script, "id=" + sid).strip()
        except OSError as e:
            body = "FAIL client %s" % e
        t1 = time.monotonic()
        parts = body.split(" ", 3)
        ok = parts[0] == "OK"
        results.append({"t0": t0 - t_start, "t1": t1 - t_start, "ok": ok, "pid": parts[1] if len(parts) > 1 else "",
                        "n": int(parts[2]) if ok else None, "sid": sid, "body": body[:300]})
        if not ok:
            time.sleep(0.05)  # a failed page, then the next one (a visitor reloading)


def summary(name, res, kill_at, end):
    res.sort(key=lambda r: r["t1"])
    after = [r for r in res if r["t1"] >= kill_at]
    fails = [r for r in after if not r["ok"]]
    # recovered: the first success after which nothing failed any more
    last_fail = max((r["t1"] for r in fails), default=None)
    recovered = next((r["t1"] for r in after if r["ok"] and (last_fail is None or r["t1"] > last_fail)), None)
    pids_before = {r["pid"] for r in res if r["t1"] < kill_at and r["ok"]}
    pids_after = {r["pid"] for r in res if r["ok"] and recovered is not None and r["t1"] >= recovered}
    # lost increments: per session, the counter must go up by one per OK reply
    lost = landed = 0
    for sid in {r["sid"] for r in res}:
        ns = [r["n"] for r in res if r["sid"] == sid and r["ok"]]
        for a, b in zip(ns, ns[1:]):
            if b <= a:
                lost += 1  # a committed increment is gone (the failover lost an acknowledged write)
            elif b > a + 1:
                landed += 1  # a request reported failure, but its write reached the server
    return {
        "pool": name, "requests": len(res), "requests_after_kill": len(after), "failed": len(fails),
        "first_failure_s": round(min((r["t1"] for r in fails), default=0) - kill_at, 2) if fails else None,
        "recovered_after_s": round(recovered - kill_at, 2) if recovered is not None else None,
        "never_recovered": recovered is None or (last_fail is not None and last_fail > end - 1),
        "same_workers": bool(pids_before) and pids_after <= pids_before if pids_after else None,
        "lost_increments": lost,
        "failed_but_landed": landed,
        "sample_failure": fails[0]["body"] if fails else "",
        "max_latency_s": round(max((r["t1"] - r["t0"] for r in res), default=0), 2),
    }


def main():
    d = tempfile.mkdtemp(prefix="rs-sentinel-fpm-")
    sd = os.path.join(d, "sentinel")
    pools = []
    try:
        env = dict(os.environ, SENTINEL_LIFE_S="300")
        subprocess.run([sys.executable, SENTINEL_PY, "start", sd, "redis7"], env=env, check=True)
        se = json.load(open(os.path.join(sd, "env.json")))
        script = os.path.join(d, "counter.php")
        with open(script, "w") as f:
            f.write(COUNTER)
        common = {"session.use_cookies": "0", "session.cache_limiter": "", "redis.session.locking_enabled": "1",
                  "redis.session.lock_wait_time": "20000", "redis.session.lock_retries": "100",
                  "max_execution_time": "30"}
        ours = Pool("ours", d, ["-d", "extension=" + SO],
                    dict(common, **{"session.save_handler": "redissentinel",
                                    "session.save_path": se["save_path"] + "&timeout=1&read_timeout=1"}))
        pools.append(ours)
        phpredis = Pool("phpredis", d, ["-d", "extension=igbinary", "-d", "extension=redis"],
                        dict(common, **{"session.save_handler": "redis",
                                        "session.save_path": "tcp://127.0.0.1:%d?timeout=1&read_timeout=1" % se["master"]}))
        pools.append(phpredis)
        subprocess.run([sys.executable, SENTINEL_PY, "wait-synced", sd, "20"], check=True)
        results = {p.name: [] for p in pools}
        t_start = time.monotonic()
        stop_at = t_start + LOAD_S
        threads = [threading.Thread(target=load, args=(p, script, results[p.name], t_start, stop_at, c))
                   for p in pools for c in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(KILL_AT_S)
        subprocess.run([sys.executable, SENTINEL_PY, "kill", sd, str(se["master"])], check=True)
        kill_at = time.monotonic() - t_start  # the master is dead when the kill command returns
        new = subprocess.run([sys.executable, SENTINEL_PY, "wait-master", sd, str(se["master"]), "30"],
                             capture_output=True, text=True).stdout.strip()
        named_at = time.monotonic() - t_start
        for t in threads:
            t.join(LOAD_S + 30)
        out = {"down_after_ms": int(os.environ.get("SENTINEL_DOWN_MS", "1000")), "clients_per_pool": CLIENTS,
               "load_s": LOAD_S, "kill_at_s": round(kill_at, 2), "sentinels_named_new_master_after_s":
               round(named_at - kill_at, 2), "new_master": new,
               "pools": [summary(p.name, results[p.name], kill_at, LOAD_S) for p in pools]}
        print(json.dumps(out, indent=1))
        if os.environ.get("SHOW_FAILURES"):
            for p in pools:
                for r in sorted(results[p.name], key=lambda r: r["t1"]):
                    if not r["ok"]:
                        print("%s %.2f-%.2f %s %s" % (p.name, r["t0"] - kill_at, r["t1"] - kill_at, r["sid"][-12:], r["body"][:200]))
                    if p.name == "phpredis":
                        break
    finally:
        for p in pools:
            p.stop()
        subprocess.run([sys.executable, SENTINEL_PY, "stop", sd])
        subprocess.run(["rm", "-rf", d])


if __name__ == "__main__":
    main()
