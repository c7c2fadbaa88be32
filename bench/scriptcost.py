#!/usr/bin/env python3
"""Server time of each lock step alone (issue 14).

Starts a server of its own (loopback, port 32499), loads the extension's Lua scripts (dumped by
`cargo test dump_scripts`), and runs each step N times in the state it expects (a free lock, a
lock that is ours with no waiter, ...). The state is set up by plain commands sent in the same
pipeline; INFO commandstats then gives the step's own usec per call (for a script: its whole
run; the commands it calls are counted again under their own names and are left out here).

    python3 bench/scriptcost.py [--server /usr/bin/redis-server] [-n 20000]
"""
import argparse, os, shutil, socket, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 32499


sys.path.insert(0, str(ROOT / "scripts"))
from resp import Resp  # noqa: E402


def Conn(port):
    return Resp(port, timeout=5)


def stats(c):
    out = {}
    for line in c.cmd("INFO", "commandstats").decode().splitlines():
        if line.startswith("cmdstat_"):
            name, rest = line[8:].split(":", 1)
            kv = dict(x.split("=") for x in rest.split(","))
            out[name] = (int(kv["calls"]), int(kv["usec"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default="/usr/bin/redis-server")
    ap.add_argument("-n", type=int, default=20000)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rs-scriptcost-"))
    env = dict(os.environ, SCRIPTS_DUMP=str(work / "lua"))
    subprocess.run(["cargo", "test", "-q", "-p", "redis_session_core", "--release", "dump_scripts", "--", "--ignored"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    srv = subprocess.Popen([a.server, "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                c = Conn(PORT)
                c.cmd("PING")
                break
            except OSError:
                time.sleep(0.05)
        ver = c.cmd("INFO", "server").decode()
        ver = next(l for l in ver.splitlines() if l.startswith(("redis_version", "valkey_version")))
        sha = {}
        for f in sorted((work / "lua").glob("*.lua")):
            sha[f.stem] = c.cmd("SCRIPT", "LOAD", f.read_bytes()).decode()
        v1k = b"x" * 1000
        keys = ["d", "lk", "lk_WAITERS", "lk_WAKE"]
        print(f"{ver}, {a.n} calls each; server us per call (INFO commandstats)")

        def run(label, setup, step, name):
            c.cmd("CONFIG", "RESETSTAT")
            batch = 200
            for _ in range(a.n // batch):
                cmds = []
                for _ in range(batch):
                    cmds += setup + [step]
                c.cmds(cmds)
            s = stats(c).get(name.lower(), (1, 0))
            print(f"  {label:58} {s[1] / s[0]:6.2f} us")

        ev = lambda s, *argv: ["EVALSHA", sha[s], 4, *keys, *argv]
        c.cmd("SET", "d", v1k)
        run("GET data (1 KB)", [], ["GET", "d"], "get")
        run("SET lock NX PX (free)", [["DEL", "lk"]], ["SET", "lk", "tok", "NX", "PX", 30000], "set")
        run("SET data EX (1 KB)", [], ["SET", "d", v1k, "EX", 1440], "set")
        run("EXEC of MULTI, SCRIPT EXISTS, SET NX PX, GET (1 KB) (free lock)",
            [["DEL", "lk"], ["MULTI"], ["SCRIPT", "EXISTS", sha["write_release"]], ["SET", "lk", "tok", "NX", "PX", 30000], ["GET", "d"]],
            ["EXEC"], "exec")
        run("acquire_read (free lock, 1 KB)", [["DEL", "lk"]], ev("acquire_read", "tok", 30000, 100, 0, 0), "evalsha")
        run("acquire_read (busy: queue, 1 waiter)", [["SET", "lk", "other"], ["DEL", "lk_WAITERS"]], ev("acquire_read", "tok", 30000, 100, 0, 0), "evalsha")
        run("write_release (ours, no waiters, 1 KB)", [["DEL", "lk_WAITERS"], ["SET", "lk", "tok"]], ev("write_release", "tok", "", 30000, 1440, v1k), "evalsha")
        run("staged write of 1 KB: EXEC of MULTI, SET staged, EVALSHA commit_release (no waiter)",
            [["DEL", "lk_WAITERS"], ["SET", "lk", "tok"], ["MULTI"], ["SET", "lk_NEW", v1k, "EX", 1440],
             ["EVALSHA", sha["commit_release"], 5, *keys, "lk_NEW", "tok", "", 30000]], ["EXEC"], "exec")
        run("write_release (ours, 1 waiter: hand-off, 1 KB)", [["SET", "lk", "tok"], ["DEL", "lk_WAITERS"], ["RPUSH", "lk_WAITERS", "w"]], ev("write_release", "tok", "", 30000, 1440, v1k), "evalsha")
        run("write_release (not ours)", [["DEL", "lk_WAITERS"], ["SET", "lk", "other"]], ev("write_release", "tok", "", 30000, 1440, v1k), "evalsha")
        run("touch_release (ours, no waiters)", [["DEL", "lk_WAITERS"], ["SET", "lk", "tok"]], ev("touch_release", "tok", "", 30000, 1440), "evalsha")
        run("release (ours, no waiters)", [["DEL", "lk_WAITERS"], ["SET", "lk", "tok"]], ev("release", "tok", "", 30000), "evalsha")
        run("destroy (ours, no waiters)", [["DEL", "lk_WAITERS"], ["SET", "lk", "tok"], ["SET", "d", v1k]], ev("destroy", "tok", "", 30000), "evalsha")
        run("confirm (hand-off token ours)", [["SET", "lk", "h" * 40]], ev("confirm", "h" * 40, "w", 30000, 0), "evalsha")
        # What a script call costs before it does anything: the fixed cost of EVALSHA, and of
        # handing write_release's arguments (4 keys, 5 values) to Lua, with 1 KB or 1 byte of data.
        nop = c.cmd("SCRIPT", "LOAD", "return 1").decode()
        run("EVALSHA 'return 1', no arguments", [], ["EVALSHA", nop, 0], "evalsha")
        run("EVALSHA 'return 1', write_release's arguments (1 KB data)", [],
            ["EVALSHA", nop, 4, *keys, "tok", "", 30000, 1440, v1k], "evalsha")
        run("EVALSHA 'return 1', write_release's arguments (1 byte data)", [],
            ["EVALSHA", nop, 4, *keys, "tok", "", 30000, 1440, "x"], "evalsha")
        # phpredis 5.3.7's unlock script (redis_session.c), for comparison.
        unlock = c.cmd("SCRIPT", "LOAD", 'if redis.call("get",KEYS[1]) == ARGV[1] then return '
                       'redis.call("del",KEYS[1]) else return 0 end').decode()
        run("phpredis's unlock script (GET + DEL, ours)", [["SET", "lk", "tok"]], ["EVALSHA", unlock, 1, "lk", "tok"], "evalsha")
        if "delifeq" in {x[0].decode().lower() if isinstance(x[0], bytes) else "" for x in (c.cmd("COMMAND", "INFO", "DELIFEQ") or []) if x}:
            run("DELIFEQ (ours)", [["SET", "lk", "tok"]], ["DELIFEQ", "lk", "tok"], "delifeq")
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
