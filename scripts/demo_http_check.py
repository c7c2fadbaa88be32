#!/usr/bin/env python3
"""The demo page over plain HTTP, as scripts/docker-check.sh uses it on the containers:

  demo_http_check.py URL [--kill-cmd 'podman kill PROJECT-{host}']

Loads the page, runs N=20 truly concurrent increments (one session, unique URLs) against each
variant (locking on, off, phpredis), and with --kill-cmd kills the master holding the locked
session ({host} = its name) while sending one request every 250 ms, until requests succeed
again. Prints "ok - ..." / "not ok - ..." lines and "N passed, M failed"; exit 1 on a failure.
"""
import http.cookiejar
import json
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

URL = sys.argv[1].rstrip("/") + "/"
KILL = sys.argv[sys.argv.index("--kill-cmd") + 1] if "--kill-cmd" in sys.argv else None
N = 20
passed = failed = 0
seq = 0


def check(name, ok, why=""):
    global passed, failed
    passed, failed = passed + bool(ok), failed + (not ok)
    print(("ok - " if ok else "not ok - ") + name + ("" if ok else f": {why}"), flush=True)


class Visitor:
    """One browser: a cookie jar, requests with unique URLs."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, variant, action, extra=""):
        global seq
        seq += 1
        base = "phpredis/api.php" if variant == "phpredis" else "api.php"
        url = f"{URL}{base}?variant={variant}&action={action}{extra}&r={time.time()}-{seq}"
        try:
            with self.opener.open(url, timeout=15) as r:
                return r.status, json.loads(r.read()), r.headers.get("Content-Type")
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                return e.code, json.loads(body), e.headers.get("Content-Type")
            except ValueError:
                return e.code, {"error": f"not JSON: {body[:100]!r}"}, e.headers.get("Content-Type")
        except (urllib.error.URLError, OSError) as e:
            return 0, {"error": str(e)}, None


def concurrent_run(variant):
    v = Visitor()
    st, before, _ = v.call(variant, "state")
    if st != 200:
        return {"error": before}
    results = [None] * N
    barrier = threading.Barrier(N)

    def one(i):
        barrier.wait()
        results[i] = v.call(variant, "increment", "&hold=20")
    t0 = time.time()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    elapsed = time.time() - t0
    st, after, _ = v.call(variant, "state")
    ok = [r for r in results if r and r[0] == 200]
    waits = sorted(r[1].get("lock_wait_ms", r[1]["start_ms"]) for r in ok)
    expected = before["n"] + len(ok)
    return {"before": before["n"], "after": after.get("n"), "ok": len(ok), "failed": N - len(ok),
            "lost": expected - after.get("n", 0), "ms": round(elapsed * 1000),
            "wait_median_ms": waits[len(waits) // 2] if waits else None,
            "wait_max_ms": waits[-1] if waits else None}


def main():
    with urllib.request.urlopen(URL, timeout=15) as r:
        page = r.read().decode()
    check("the page loads", r.status == 200 and "<title>redis_session demo" in page, page[:200])
    v = Visitor()
    for variant, module in (("on", "redis_session"), ("off", "redis_session"), ("phpredis", "phpredis")):
        st, info, ctype = v.call(variant, "info")
        check(f"{variant}: info answers JSON", st == 200 and info.get("module", "").startswith(module)
              and "application/json" in (ctype or ""), (st, info))
    for variant in ("on", "off", "phpredis"):
        r = concurrent_run(variant)
        print(f"# {variant:8}: {json.dumps(r)}")
        if variant == "on":
            check(f"locking on: {N} concurrent increments, none lost", r.get("lost") == 0 and r.get("failed") == 0, r)
        else:
            check(f"{variant}: concurrent increments lose updates", r.get("failed") == 0 and (r.get("lost") or 0) > 0, r)

    if KILL:
        failover()


def failover():
    """Kill the master holding one session while sending it a request every 250 ms, always with
    that session's cookie (a browser would switch to any new id PHP hands out; this keeps asking
    for the original session, so its recovery can be followed)."""
    v = Visitor()
    v.call("on", "state")
    for _ in range(4):
        v.call("on", "increment", "&hold=0")
    st, where, _ = v.call("on", "where")
    node = where.get("node", "")
    print(f"# {where.get('text')}")
    host = node.split(":")[0]
    sid = next(c.value for c in v.jar if c.name == "RSDEMO_ON")
    _, start, _ = v.call("on", "state")
    pinned = Visitor()
    pinned.opener.addheaders = [("Cookie", f"RSDEMO_ON={sid}")]
    pinned.opener.handlers = [h for h in pinned.opener.handlers
                              if not isinstance(h, urllib.request.HTTPCookieProcessor)]
    cmd = KILL.replace("{host}", host).replace("{port}", node.rsplit(":", 1)[-1])
    t_kill = time.time()
    subprocess.run(shlex.split(cmd), capture_output=True, timeout=30)
    fails = oks_after = replaced = broken = 0
    last = start.get("n")
    first_bad = last_bad = None
    errors = set()
    while time.time() - t_kill < 60:
        t = time.time()
        st, body, ctype = pinned.call("on", "increment", "&hold=0")
        ok = st == 200 and not body.get("new_session")
        if ok:
            if body["n"] != last + 1:
                broken += 1
            last = body["n"]
            if fails or replaced:
                oks_after += 1
                if oks_after >= 8:
                    break
        else:
            oks_after = 0
            first_bad = first_bad or time.time() - t_kill
            last_bad = time.time() - t_kill
            if st == 200:
                replaced += 1   # answered, but from a new, empty session
            else:
                fails += 1
                errors.add((st, "application/json" in (ctype or ""), body.get("error", "")[:100]))
        time.sleep(max(0, 0.25 - (time.time() - t)))
    print(f"# failover: killed {host}; the session was unavailable from {first_bad or 0:.1f} s to"
          f" {last_bad or 0:.1f} s after the kill ({fails} requests failed, {replaced} got a new, empty"
          f" session instead); then {oks_after} in a row on the original session; counter {start.get('n')} -> {last}")
    for e in sorted(errors):
        print(f"#   failure: HTTP {e[0]}, JSON={e[1]}: {e[2]}")
    check("failover: every failed request is a JSON answer with status 503",
          all(s == 503 and j for s, j, _ in errors), errors)
    check("failover: the original session serves again after the promotion", bool(host) and oks_after >= 8
          and (fails or replaced), (host, fails, replaced, oks_after))
    check("failover: the original session's counter is intact (no stored update lost)", broken == 0, broken)
    check("failover: no request gets a new, empty session", replaced == 0, replaced)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:
        check("HTTP check ran to the end", False, f"{type(e).__name__}: {e}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed else 1)
