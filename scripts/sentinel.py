#!/usr/bin/env python3
"""A Redis Sentinel set on loopback for the redissentinel tests: one master, two replicas and
three sentinels (`redis-server <conf> --sentinel`), on free ports, started and stopped by the
test that uses it.

  sentinel.py start DIR [KIND]     start (KIND: redis7 (default) | valkey9 | any servers.sh kind);
                                   prints and writes DIR/env.sh and DIR/env.json
  sentinel.py stop DIR             stop every process of DIR by its PID, remove DIR
  sentinel.py master DIR           the port the sentinels name as master now
  sentinel.py kill DIR PORT        SIGKILL the server on PORT (a data node or a sentinel)
  sentinel.py restart DIR PORT     start the killed server on PORT again (same config)
  sentinel.py failover DIR         SENTINEL FAILOVER on the first live sentinel
  sentinel.py wait-master DIR NOT_PORT [SECONDS]
                                   wait until the live sentinels agree on a master other than
                                   NOT_PORT whose ROLE is master; prints its port
  sentinel.py liar DIR PORT         start a 4th sentinel that names the node on PORT (a replica)
                                   as the master (quorum 1, never acts); prints its port
  sentinel.py wait-synced DIR [SECONDS]
                                   wait until every live replica's link to the master is up

Environment: SENTINEL_DOWN_MS (down-after-milliseconds, default 1000), SENTINEL_FAILOVER_MS
(failover-timeout, default 3000), SENTINEL_SERVICE (default mymaster), SENTINEL_DATA_PASS
(requirepass/masterauth of the data nodes), SENTINEL_PASS (requirepass of the sentinels),
SENTINEL_LIFE_S (hard bound on every process's life, default 300), SENTINEL_PORT_BASE (ports are
taken from BASE..BASE+999, default 24000).

Every server runs in the foreground under `timeout` (nothing outlives its bound even when a
test is killed) and is signalled only by its own PID (from INFO process_id). Readiness is asked
(PING, master_link_status:up, the sentinels seeing each other and both replicas), never slept.
"""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time

HOST = "127.0.0.1"
MARKER = ".redis_session_sentinel"


def server_bin(kind):
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([os.path.join(here, "servers.sh"), "bin", kind],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def cli(port, *args, password=None, timeout=3):
    cmd = ["redis-cli", "-h", HOST, "-p", str(port)]
    if password:
        cmd += ["--no-auth-warning", "-a", password]
    try:
        out = subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True,
                             timeout=timeout)
        return out.stdout.replace("\r", "")
    except subprocess.TimeoutExpired:
        return ""


def free(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((HOST, p))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick_ports(n):
    base = int(os.environ.get("SENTINEL_PORT_BASE", "24000"))
    rng = random.SystemRandom()
    for _ in range(500):
        b = base + rng.randrange(0, 1000 - n)
        ports = list(range(b, b + n))
        if all(free(p) for p in ports):
            return ports
    sys.exit("sentinel.py: no free port range")


def load(d):
    with open(os.path.join(d, "env.json")) as f:
        return json.load(f)


def save(d, env):
    with open(os.path.join(d, "env.json"), "w") as f:
        json.dump(env, f, indent=1)
    q = lambda v: "'" + str(v).replace("'", "'\\''") + "'"
    with open(os.path.join(d, "env.sh"), "w") as f:
        f.write(f"# written by scripts/sentinel.py start; stop with: scripts/sentinel.py stop {d}\n")
        f.write(f"export SENTINEL_DIR={q(d)}\n")
        f.write(f"export SENTINEL_SERVICE={q(env['service'])}\n")
        f.write(f"export SENTINEL_MASTER_PORT={q(env['master'])}\n")
        f.write(f"export SENTINEL_DATA_PORTS={q(' '.join(map(str, env['data'])))}\n")
        f.write(f"export SENTINEL_PORTS={q(' '.join(map(str, env['sentinels'])))}\n")
        f.write(f"export SENTINEL_SAVE_PATH={q(env['save_path'])}\n")


def data_args(env, port):
    d = os.path.join(env["dir"], f"node-{port}")
    args = ["--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", d, "--logfile", os.path.join(d, "server.log"),
            "--repl-diskless-sync-delay", "0", "--maxmemory-policy", "noeviction"]
    if env.get("data_pass"):
        args += ["--requirepass", env["data_pass"], "--masterauth", env["data_pass"]]
    return d, args


def sentinel_args(env, port, master):
    d = os.path.join(env["dir"], f"sentinel-{port}")
    conf = os.path.join(d, "sentinel.conf")
    if not os.path.exists(conf):
        os.makedirs(d, exist_ok=True)
        svc = env["service"]
        lines = [f"port {port}", f"bind {HOST}", f"dir {d}", f"logfile {d}/server.log",
                 f"sentinel monitor {svc} {HOST} {master} 2",
                 f"sentinel down-after-milliseconds {svc} {env['down_ms']}",
                 f"sentinel failover-timeout {svc} {env['failover_ms']}",
                 f"sentinel parallel-syncs {svc} 2"]
        if env.get("data_pass"):
            lines.append(f"sentinel auth-pass {svc} {env['data_pass']}")
        if env.get("sentinel_pass"):
            lines.append(f"requirepass {env['sentinel_pass']}")
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
    return d, [conf, "--sentinel", "--daemonize", "no"]


def spawn(env, port):
    """Starts the process of `port` (data node or sentinel) and waits for its PID."""
    life = str(env["life_s"])
    if port in env["sentinels"]:
        d, args = sentinel_args(env, port, env["master"])
        pw = env.get("sentinel_pass")
    else:
        d, args = data_args(env, port)
        os.makedirs(d, exist_ok=True)
        pw = env.get("data_pass")
        if port != env["master"] and not os.path.exists(os.path.join(d, ".started")):
            args += ["--replicaof", HOST, str(env["master"])]
    open(os.path.join(d, ".started"), "w").close()
    err = open(os.path.join(d, "stderr.log"), "a")
    p = subprocess.Popen(["timeout", "--kill-after=5", life, env["bin"]] + args,
                         stdin=subprocess.DEVNULL, stdout=err, stderr=err, start_new_session=True)
    deadline = time.time() + 20
    while time.time() < deadline:
        info = cli(port, "INFO", "server", password=pw)
        for line in info.splitlines():
            if line.startswith("process_id:"):
                env["pids"][str(port)] = int(line.split(":")[1])
                env["wrappers"][str(port)] = p.pid
                return
        if p.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"sentinel.py: server on port {port} did not start; see {d}")


def sentinel_view(env, port):
    out = cli(port, "SENTINEL", "get-master-addr-by-name", env["service"],
              password=env.get("sentinel_pass")).split()
    return int(out[1]) if len(out) == 2 and out[1].isdigit() else None


def sentinel_master_info(env, port):
    out = cli(port, "SENTINEL", "master", env["service"], password=env.get("sentinel_pass")).split("\n")
    return dict(zip(out[0::2], out[1::2]))


def alive(env, port):
    pid = env["pids"].get(str(port))
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # a zombie wrapper child is gone for our purpose
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def role(env, port):
    out = cli(port, "ROLE", password=env.get("data_pass"), timeout=2).split()
    return out[0] if out else None


def wait_ready(env, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        ok = all(
            "master_link_status:up" in cli(p, "INFO", "replication", password=env.get("data_pass"))
            for p in env["data"] if p != env["master"] and alive(env, p))
        for s in env["sentinels"]:
            if not ok:
                break
            m = sentinel_master_info(env, s)
            ok = (m.get("num-slaves") == str(len(env["data"]) - 1)
                  and m.get("num-other-sentinels") == str(len(env["sentinels"]) - 1)
                  and m.get("flags") == "master")
        if ok:
            return True
        time.sleep(0.1)
    return False


def start(d, kind):
    if os.path.exists(d) and os.listdir(d):
        if not os.path.exists(os.path.join(d, MARKER)):
            sys.exit(f"sentinel.py: {d} is not empty and was not made by sentinel.py")
        stop(d)
    os.makedirs(d, exist_ok=True)
    d = os.path.abspath(d)
    open(os.path.join(d, MARKER), "w").close()
    ports = pick_ports(6)
    env = {
        "dir": d, "kind": kind, "bin": server_bin(kind),
        "service": os.environ.get("SENTINEL_SERVICE", "mymaster"),
        "down_ms": int(os.environ.get("SENTINEL_DOWN_MS", "1000")),
        "failover_ms": int(os.environ.get("SENTINEL_FAILOVER_MS", "3000")),
        "data_pass": os.environ.get("SENTINEL_DATA_PASS", ""),
        "sentinel_pass": os.environ.get("SENTINEL_PASS", ""),
        "life_s": int(os.environ.get("SENTINEL_LIFE_S", "300")),
        "master": ports[0], "data": ports[:3], "sentinels": ports[3:],
        "pids": {}, "wrappers": {},
    }
    env["save_path"] = "&".join(f"sentinel[]={HOST}:{p}" for p in env["sentinels"]) \
        + f"&service={env['service']}"
    save(d, env)
    try:
        for p in env["data"]:
            spawn(env, p)
            save(d, env)
        for p in env["sentinels"]:
            spawn(env, p)
            save(d, env)
        if not wait_ready(env, 30):
            raise SystemExit("sentinel.py: sentinels not ready after 30 s")
    except BaseException:
        stop(d)
        raise
    save(d, env)
    print(f"sentinel.py: {kind} master {env['master']}, replicas {env['data'][1:]}, "
          f"sentinels {env['sentinels']} in {d}")


def kill(env, port, sig=signal.SIGKILL):
    pid = env["pids"].get(str(port))
    if pid and alive(env, port):
        os.kill(pid, sig)
        for _ in range(100):
            if not alive(env, port):
                break
            time.sleep(0.02)
    w = env["wrappers"].get(str(port))
    if w:
        try:
            os.waitpid(w, os.WNOHANG)
        except OSError:
            pass


def stop(d):
    if not os.path.exists(os.path.join(d, MARKER)):
        if os.path.exists(d):
            sys.exit(f"sentinel.py: {d} was not made by sentinel.py; not touching it")
        return
    try:
        env = load(d)
    except (OSError, ValueError):
        env = None
    if env:
        for port in list(env["pids"]):
            kill(env, int(port), signal.SIGTERM)
        for port in list(env["pids"]):
            kill(env, int(port), signal.SIGKILL)
        for port, w in env["wrappers"].items():
            try:
                os.kill(w, 0)
                os.kill(w, signal.SIGKILL)
            except OSError:
                pass
    shutil.rmtree(d, ignore_errors=True)


def wait_master(env, not_port, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        views = {sentinel_view(env, s) for s in env["sentinels"] if alive(env, s)}
        if len(views) == 1:
            m = views.pop()
            if m and m != not_port and role(env, m) == "master":
                return m
        time.sleep(0.05)
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == "start":
        start(d, sys.argv[3] if len(sys.argv) > 3 else "redis7")
        return
    if cmd == "stop":
        stop(d)
        return
    env = load(d)
    if cmd == "master":
        print(wait_master(env, None, 5) or "")
    elif cmd == "kill":
        kill(env, int(sys.argv[3]))
    elif cmd == "restart":
        port = int(sys.argv[3])
        spawn(env, port)
        save(d, env)
    elif cmd == "liar":
        named = int(sys.argv[3])
        port = pick_ports(1)[0]
        d2 = os.path.join(env["dir"], f"sentinel-{port}")
        os.makedirs(d2, exist_ok=True)
        svc = env["service"]
        with open(os.path.join(d2, "sentinel.conf"), "w") as f:
            f.write(f"port {port}\nbind {HOST}\ndir {d2}\nlogfile {d2}/server.log\n"
                    f"sentinel monitor {svc} {HOST} {named} 1\n"
                    f"sentinel down-after-milliseconds {svc} 600000\n"
                    f"sentinel failover-timeout {svc} 600000\n")
        env["liars"] = env.get("liars", []) + [port]
        env["sentinels_extra"] = env.get("sentinels_extra", []) + [port]
        err = open(os.path.join(d2, "stderr.log"), "a")
        p = subprocess.Popen(["timeout", "--kill-after=5", str(env["life_s"]), env["bin"],
                              os.path.join(d2, "sentinel.conf"), "--sentinel", "--daemonize", "no"],
                             stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                             start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline and str(port) not in env["pids"]:
            for line in cli(port, "INFO", "server").splitlines():
                if line.startswith("process_id:"):
                    env["pids"][str(port)] = int(line.split(":")[1])
                    env["wrappers"][str(port)] = p.pid
            time.sleep(0.05)
        save(d, env)
        if sentinel_view(env, port) != named:
            sys.exit("sentinel.py: the liar sentinel does not name the replica")
        print(port)
    elif cmd == "failover":
        for s in env["sentinels"]:
            if alive(env, s):
                print(cli(s, "SENTINEL", "FAILOVER", env["service"],
                          password=env.get("sentinel_pass")).strip())
                break
    elif cmd == "wait-master":
        t = float(sys.argv[4]) if len(sys.argv) > 4 else 30
        m = wait_master(env, int(sys.argv[3]), t)
        if not m:
            sys.exit(f"sentinel.py: no new master within {t} s")
        print(m)
    elif cmd == "wait-synced":
        t = float(sys.argv[3]) if len(sys.argv) > 3 else 30
        m = wait_master(env, None, t)
        deadline = time.time() + t
        while time.time() < deadline:
            if all("master_link_status:up" in cli(p, "INFO", "replication",
                                                  password=env.get("data_pass"))
                   for p in env["data"] if p != m and alive(env, p)):
                return
            time.sleep(0.05)
        sys.exit("sentinel.py: replicas not in sync")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
