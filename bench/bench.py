#!/usr/bin/env python3
"""The `make bench` orchestrator: redis_session against Debian's phpredis 5.3.7, same work,
same run, same servers. Normally started by bench/run.sh (which builds the extension first).

  python3 bench/bench.py --so PATH [--out bench/results]

Environment:
  QUICK=1          fewer runs, shorter loads (a smoke run of every phase)
  PHASES=a,b,...   subset of: counts,latency,handoff,crash,bounded,throughput,cpu,size,cluster
  SERVER=redis7|valkey9   server binary (default redis7: /usr/bin/redis-server)
  BENCH_WORKERS=8  php-fpm static workers per pool

Servers (all on 127.0.0.1, started here as child processes and stopped by PID on exit): one
standalone server, a 3+3 and a 6+6 cluster, and rttproxy.py counting proxies in front of each.
Ports: a block of 63 from 32500-32767 (see Layout), checked free first; if another program
takes one meanwhile, what was started is stopped and the next block is tried.

Every figure is a ratio ours/phpredis computed per run pair (the two extensions run back to
back, alternating who goes first), summarised as median [min-max] over the runs.
Writes OUT/bench.json and OUT/report.md.
"""
import argparse
import json
import os
import platform
import random
import re
import select
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKER = HERE / "php" / "worker.php"
PAGE = HERE / "php" / "page.php"
RTTPROXY = HERE / "tools" / "rttproxy.py"
FCGILOAD = HERE / "tools" / "fcgiload.py"

QUICK = os.environ.get("QUICK", "0") not in ("", "0")
ALL_PHASES = ["counts", "latency", "servertime", "capacity", "handoff", "crash", "bounded", "throughput", "cpu", "size", "cluster"]
PHASES = [p for p in (os.environ.get("PHASES") or ",".join(ALL_PHASES)).split(",") if p]
WORKERS = int(os.environ.get("BENCH_WORKERS", "8"))

BASE_INI = ["-d", "session.use_strict_mode=0", "-d", "session.use_cookies=0", "-d", "session.use_only_cookies=0",
            "-d", "session.use_trans_sid=0", "-d", "session.cache_limiter=", "-d", "session.lazy_write=1",
            "-d", "session.gc_probability=0", "-d", "session.serialize_handler=php", "-d", "max_execution_time=30",
            "-d", "error_reporting=-1", "-d", "display_errors=stderr"]
# Lock waiting settings given to both extensions wherever requests contend: phpredis 5.3.7's
# poll interval (2 ms, its default) and no retry limit (its default of 10 gives up after 22 ms
# and then reads without the lock).
CONTEND = ["-d", "redis.session.lock_wait_time=2000", "-d", "redis.session.lock_retries=-1"]

PROCS = []          # every long-lived process we started: (name, Popen)
CHILDREN = set()    # short-lived PHP children in flight (killed by PID if we stop early)
LOG = []


def say(*a):
    msg = " ".join(str(x) for x in a)
    print(msg, flush=True)
    LOG.append(msg)


def now_ns() -> int:
    return time.monotonic_ns()      # CLOCK_MONOTONIC, as PHP's hrtime()


def stat(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def fmt_stat(s, digits=2, unit=""):
    if not s:
        return "n/a"
    f = f"{{:.{digits}f}}"
    return f"{f.format(s['median'])}{unit} [{f.format(s['min'])}-{f.format(s['max'])}]"


# ------------------------------------------------------------------------------------------
# processes

def start_proc(name, args, **kw):
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True, **kw)
    PROCS.append((name, p))
    return p


def children_of(pid):
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, timeout=5).stdout
        return [int(x) for x in out.split()]
    except Exception:
        return []


def stop_all():
    for p in list(CHILDREN):
        if p.poll() is None:
            p.kill()
            p.wait()
    CHILDREN.clear()
    for name, p in reversed(PROCS):
        if p.poll() is not None:
            continue
        kids = children_of(p.pid) if name.startswith("php-fpm") else []
        try:
            p.send_signal(signal.SIGQUIT if name.startswith("php-fpm") else signal.SIGTERM)
            p.wait(timeout=8)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)
        except ProcessLookupError:
            pass
        for k in kids:      # php-fpm workers of a master we started, if the master left them
            try:
                os.kill(k, signal.SIGKILL)
            except ProcessLookupError:
                pass
    PROCS.clear()


def on_signal(signum, _frame):
    raise SystemExit(f"interrupted by signal {signum}")


# ------------------------------------------------------------------------------------------
# ports and servers

def port_free(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # as the servers bind (SO_REUSEADDR): a listener or a bound socket refuses the port, a
        # leftover TIME_WAIT does not; the bus ports stay below the ephemeral range (32768), so
        # no client socket can hold them
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", p))
        s.listen(1)
        return True
    except OSError:
        return False
    finally:
        s.close()


class Layout:
    """One block of 63 ports from BASE, all inside 32500-32767: no other script of the repo uses
    that range (scripts/servers.sh: 10000-20999 + bus 20000-30999; shared tools 21000-21499;
    core tests 21500-21999; bench/rtt.sh 22000-22499; php-tests' private clusters 22500-22999
    + bus 30500-30999), and it is below the kernel's ephemeral range (32768+), so no client
    socket can hold one of them. Cluster bus ports are set explicitly (--cluster-port).
      BASE          standalone          BASE+20..37  cluster bus ports
      BASE+1..6     3+3 cluster         BASE+40..58  counting proxies (node port + 40)
      BASE+7..18    6+6 cluster         BASE+60..62  proxy control ports"""
    BASES = (32500, 32570, 32640, 32705)

    def __init__(self, b):
        self.standalone = b
        self.c3 = list(range(b + 1, b + 7))
        self.c6 = list(range(b + 7, b + 19))
        self.bus = {p: b + 20 + i for i, p in enumerate(self.c3 + self.c6)}
        self.proxy_off = 40
        self.ctl = {"standalone": b + 60, "c3": b + 61, "c6": b + 62}

    def all_ports(self):
        nodes = [self.standalone] + self.c3 + self.c6
        return nodes + list(self.bus.values()) + [p + self.proxy_off for p in nodes] + list(self.ctl.values())


def free_layouts():
    for b in Layout.BASES:
        lay = Layout(b)
        assert max(lay.all_ports()) < 32768
        if all(port_free(p) for p in lay.all_ports()):
            yield lay


def server_bin():
    kind = os.environ.get("SERVER", "redis7")
    if kind == "redis7":
        return "/usr/bin/redis-server", kind
    if kind == "valkey9":
        out = subprocess.run([str(ROOT / "scripts" / "servers.sh"), "bin", "valkey9"], capture_output=True, text=True)
        return out.stdout.strip(), kind
    raise SystemExit(f"bench: SERVER must be redis7 or valkey9, not {kind}")


def cli(port, *args, timeout=5):
    r = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args], capture_output=True,
                       text=True, timeout=timeout)
    return r.stdout


def server_usec(port):
    """Sum of usec and calls over INFO commandstats (server time spent in commands)."""
    usec = calls = 0
    for line in cli(port, "info", "commandstats").splitlines():
        m = re.match(r"cmdstat_([^:]+):calls=(\d+),usec=(\d+)", line)
        if m and m.group(1) not in ("info", "config"):
            calls += int(m.group(2))
            usec += int(m.group(3))
    return usec, calls


SRV_SKIP = ("info", "config", "slowlog", "hello", "client")


def server_cpu_us(port):
    """The server's main-thread CPU time so far (INFO cpu, user + sys), in us: what one core
    spends on everything, network reads and writes included (the capacity figure's base)."""
    t = 0.0
    for line in cli(port, "info", "cpu").splitlines():
        m = re.match(r"used_cpu_(sys|user)_main_thread:([0-9.]+)", line)
        if m:
            t += float(m.group(2))
    return t * 1e6


def server_toplevel_us(port):
    """Server time of the commands clients sent, from a SLOWLOG that logged every command:
    entries of commands called by a script (client "?:0") are left out, because the script's
    own entry already contains them (INFO commandstats counts both: a script's inner calls
    appear twice in its sum, and so do the commands inside EXEC). EXEC itself is not logged
    (its commands are, with the client's address)."""
    r = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "--json", "slowlog", "get", "-1"],
                       capture_output=True, text=True, timeout=30)
    inner = calls = 0
    names = {}
    for e in json.loads(r.stdout or "[]"):
        name = str(e[3][0]).lower() if e[3] else ""
        if e[4] == "?:0":
            inner += int(e[2])
            continue
        if name in SRV_SKIP:
            continue
        calls += 1
        names[name] = names.get(name, 0) + 1
    return inner, calls, names


def server_usec_by_name(port):
    """INFO commandstats as {name: (calls, usec)}."""
    out = {}
    for line in cli(port, "info", "commandstats").splitlines():
        m = re.match(r"cmdstat_([^:]+):calls=(\d+),usec=(\d+)", line)
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


def wait_for(cond, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if cond():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise SystemExit(f"bench: timed out waiting for {what}")


def start_server(binp, port, d, cluster=None):
    d.mkdir(parents=True, exist_ok=True)
    args = [binp, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", str(d), "--logfile", str(d / "server.log")]
    if cluster:          # cluster = the node's bus port
        args += ["--cluster-enabled", "yes", "--cluster-node-timeout", "5000", "--cluster-port", str(cluster),
                 "--cluster-config-file", str(d / "nodes.conf")]
    p = start_proc(f"server:{port}", args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: "PONG" in cli(port, "ping") and p.poll() is None, 15, f"server on {port}")
    pid = int(re.search(r"process_id:(\d+)", cli(port, "info", "server")).group(1))
    if pid != p.pid:
        raise SystemExit(f"bench: port {port} is answered by pid {pid}, not by the server we started")
    return p


def start_cluster(binp, ports, bus, d):
    for p in ports:
        start_server(binp, p, d / f"node-{p}", cluster=bus[p])
    r = subprocess.run(["redis-cli", "--cluster", "create", *[f"127.0.0.1:{p}" for p in ports],
                        "--cluster-replicas", "1", "--cluster-yes"], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit("bench: cluster create failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
    wait_cluster(ports, None)


def wait_cluster(ports, announce_off):
    def ok():
        for p in ports:
            if "cluster_state:ok" not in cli(p, "cluster", "info"):
                return False
            info = cli(p, "info", "replication")
            if "role:slave" in info and "master_link_status:up" not in info:
                return False
            if announce_off is not None:
                nodes = cli(p, "cluster", "nodes")
                if any(f"127.0.0.1:{q + announce_off}@" not in nodes for q in ports):
                    return False
        return True
    wait_for(ok, 60, f"cluster {ports[0]}.. ok")


def announce(ports, off, bus):
    """off>0: nodes announce PORT+off (the proxies); 0: back to their real ports."""
    for p in ports:
        if off:
            cli(p, "config", "set", "cluster-announce-bus-port", str(bus[p]))
            cli(p, "config", "set", "cluster-announce-port", str(p + off))
        else:
            cli(p, "config", "set", "cluster-announce-port", "0")
            cli(p, "config", "set", "cluster-announce-bus-port", "0")
    wait_cluster(ports, off)


def start_proxy(pairs, ctl, logf):
    m = ",".join(f"{a}:{b}" for a, b in pairs)
    start_proc(f"proxy:{ctl}", [sys.executable, str(RTTPROXY), "--map", m, "--control", str(ctl)],
               stdout=open(logf, "w"), stderr=subprocess.STDOUT)
    wait_for(lambda: socket.create_connection(("127.0.0.1", ctl), 0.5).close() is None, 10, f"proxy {ctl}")


# ------------------------------------------------------------------------------------------
# PHP children

class Bench:
    def __init__(self, so, out):
        self.so = so
        self.out = Path(out)
        self.res = {"meta": {}, "phases": {}}
        self.exts = {
            "ours": ["-n", "-d", f"extension={so}"],
            "phpredis": ["-n", "-d", "extension=igbinary", "-d", "extension=redis"],
        }
        self.codecs = []
        self.phase = "setup"

    # -- save paths
    def sp_redis(self, proxy=False):
        p = self.lay.standalone + (self.lay.proxy_off if proxy else 0)
        return f"tcp://127.0.0.1:{p}"

    def sp_cluster(self, which="c3", proxy=False):
        ports = getattr(self.lay, which)[:3]
        off = self.lay.proxy_off if proxy else 0
        return "&".join(f"seed[]=127.0.0.1:{p + off}" for p in ports)

    def handler_args(self, handler, which="c3", proxy=False):
        if handler == "redis":
            return ["-d", "session.save_handler=redis", "-d", f"session.save_path={self.sp_redis(proxy)}"]
        # quoted: PHP's INI parser treats & as an operator
        return ["-d", "session.save_handler=rediscluster", "-d", f'session.save_path="{self.sp_cluster(which, proxy)}"']

    def php_cmd(self, ext, handler, lock, extra, mode, wargs, which="c3", proxy=False):
        return (["php"] + self.exts[ext] + BASE_INI + self.handler_args(handler, which, proxy)
                + ["-d", f"redis.session.locking_enabled={lock}"] + list(extra)
                + [str(WORKER), mode] + [str(x) for x in wargs])

    def note_cmd(self, cmd, env=None, kind=None):
        """Keeps the first command of each kind per phase, for the report."""
        ex = self.res.setdefault("commands", {}).setdefault(self.phase, {})
        if kind:
            pass
        elif str(WORKER) in cmd:
            kind = ("valgrind " if cmd[0] == "valgrind" else "") + "worker.php " + cmd[cmd.index(str(WORKER)) + 1]
        elif os.path.basename(cmd[0]).startswith("php-fpm"):
            kind = "php-fpm"
        elif cmd[0] == sys.executable:
            kind = os.path.basename(cmd[1])
        else:
            kind = os.path.basename(cmd[0])
        if kind in ex:
            return
        if "extension=redis" in cmd:
            kind += " (phpredis)"
        elif any(str(c).startswith("extension=") for c in cmd):
            kind += " (redis_session)"
        if kind not in ex:
            prefix = " ".join(f"{k}={v}" for k, v in (env or {}).items())
            ex[kind] = (prefix + " " if prefix else "") + shlex.join(cmd)

    def spawn(self, cmd, env=None):
        self.note_cmd(cmd, env)
        e = dict(os.environ)
        e.update(env or {})
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=e)
        CHILDREN.add(p)
        return p

    @staticmethod
    def finish(p, deadline):
        try:
            out, err = p.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()                      # our own child, by PID
            out, err = p.communicate()
            CHILDREN.discard(p)
            return {"error": "killed after its deadline", "stderr": err[-500:]}
        CHILDREN.discard(p)
        line = out.strip().splitlines()[-1] if out.strip() else ""
        try:
            j = json.loads(line)
        except ValueError:
            return {"error": "no JSON", "stdout": out[-500:], "stderr": err[-500:]}
        if err.strip():
            j["stderr"] = err[-500:]
        return j

    def run(self, cmd, timeout=120, env=None):
        return self.finish(self.spawn(cmd, env), time.monotonic() + timeout)

    def run_srv(self, cmd, requests, timeout=120):
        """run() against the standalone server, adding the server's own time per request from
        INFO commandstats (reset first): usec / requests, where requests counts the loop's
        warm lap too (it does the same start + write + close)."""
        cli(self.lay.standalone, "config", "resetstat")
        r = self.run(cmd, timeout)
        usec, calls = server_usec(self.lay.standalone)
        r["server_us_per_req"] = usec / requests
        r["server_cmds_per_req"] = calls / requests
        return r

    def seed(self, ext, handler, sid, which="c3"):
        r = self.run(self.php_cmd(ext, handler, 0, [], "seed", [sid], which), 30)
        if not r.get("ok"):
            say("  seed failed:", r)

    def get(self, ext, handler, sid, which="c3"):
        return self.run(self.php_cmd(ext, handler, 0, [], "get", [sid], which), 30)

    # --------------------------------------------------------------------------------------
    def setup(self):
        self.work = Path(tempfile.mkdtemp(prefix="rs-bench-"))
        binp, kind = server_bin()
        self.server_kind = kind
        ver = subprocess.run([binp, "--version"], capture_output=True, text=True).stdout.strip()
        t = time.monotonic()
        for lay in free_layouts():
            self.lay = lay
            say(f"bench: ports {lay.standalone}-{lay.standalone + 62}; {ver}; work dir {self.work}")
            try:
                start_server(binp, lay.standalone, self.work / f"s-{lay.standalone}")
                start_cluster(binp, lay.c3, lay.bus, self.work / f"c3-{lay.standalone}")
                start_cluster(binp, lay.c6, lay.bus, self.work / f"c6-{lay.standalone}")
                break
            except SystemExit as e:      # e.g. another program took one of the ports meanwhile
                say(f"bench: {e}; stopping what was started and trying the next port block")
                stop_all()
        else:
            raise SystemExit("bench: no usable port block in 32500-32767 (is another bench running?)")
        off = self.lay.proxy_off
        start_proxy([(self.lay.standalone + off, self.lay.standalone)], self.lay.ctl["standalone"], self.work / "p-s.log")
        start_proxy([(p + off, p) for p in self.lay.c3], self.lay.ctl["c3"], self.work / "p-c3.log")
        start_proxy([(p + off, p) for p in self.lay.c6], self.lay.ctl["c6"], self.work / "p-c6.log")
        say(f"bench: servers up in {time.monotonic() - t:.1f}s: standalone {self.lay.standalone}, "
            f"3+3 cluster {self.lay.c3[0]}-{self.lay.c3[-1]}, 6+6 cluster {self.lay.c6[0]}-{self.lay.c6[-1]}")
        self.res["meta"].update(self.machine(binp, ver))
        self.codecs = self.detect_codecs()

    def machine(self, binp, ver):
        def sh(c):
            try:
                return subprocess.run(c, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
            except Exception:
                return ""
        m = {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "nproc": os.cpu_count(),
            "cpu": sh("lscpu | sed -n 's/^Model name:[ \\t]*//p' | head -1"),
            "ram": sh("free -h | awk '/^Mem:/{print $2}'"),
            "kernel": platform.release(),
            "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
            "php": sh("php -n -r 'echo PHP_VERSION;'"),
            "phpredis": sh("php -n -d extension=igbinary -d extension=redis -r 'echo phpversion(\"redis\");'")
                        + " (" + sh("dpkg-query -W -f '${Version}' php-redis") + ")",
            "redis_session": sh(f"php -n -d extension={self.so} -r 'echo phpversion(\"redis_session\");'"),
            "server": ver, "server_kind": self.server_kind,
            "python": platform.python_version(),
            "quick": QUICK, "workers": WORKERS,
            "load_before": os.getloadavg(),
        }
        return m

    def detect_codecs(self):
        """Compression codecs this build accepts for redis.session.compression (none if absent)."""
        code = ("$r=[];foreach(['gzip','lz4','snappy','lzf','zstd'] as $c){"
                "if(@ini_set('redis.session.compression',$c)!==false && ini_get('redis.session.compression')===$c)$r[]=$c;"
                "ini_set('redis.session.compression','none');}echo json_encode($r);")
        out = subprocess.run(["php"] + self.exts["ours"] + ["-r", code], capture_output=True, text=True).stdout
        try:
            codecs = json.loads(out)
        except ValueError:
            codecs = []
        say(f"bench: redis.session.compression codecs in this build: {', '.join(codecs) or 'none (setting absent)'}")
        return codecs

    # ==========================================================================================
    # phase: command and round-trip counts per warm request, through the counting proxies
    def phase_counts(self):
        say("\n== counts: commands / round trips / connections per warm request (rttproxy)")
        n = 40 if QUICK else 100
        rows = {}
        off = self.lay.proxy_off
        for topo in ["standalone", "c3", "c6"]:
            if topo != "standalone":
                announce(getattr(self.lay, topo), off, self.lay.bus)
            env = {"BENCH_CTL": f"127.0.0.1:{self.lay.ctl[topo]}"}
            handler = "redis" if topo == "standalone" else "rediscluster"
            for lock in (0, 1):
                for ext in ("ours", "phpredis"):
                    cmd = self.php_cmd(ext, handler, lock, [], "loop", [n, n, 0, "cnt" + rand_hex(6)],
                                       which=topo if topo != "standalone" else "c3", proxy=True)
                    r = self.run(cmd, 120, env)
                    key = f"{topo}.lock_{'on' if lock else 'off'}.{ext}"
                    if "proxy" not in r:
                        say(f"  {key}: ERROR {r}")
                        continue
                    px = r["proxy"]
                    row = {"requests": n, "rtt_per_req": px["flights"] / n, "cmds_per_req": px["cmds"] / n,
                           "conns_per_req": px["conns"] / n,
                           "by_command_per_req": {k: v / n for k, v in px["by_command"].items()},
                           "cluster_slots_total": sum(v for k, v in px["by_command"].items() if k.startswith("CLUSTER")),
                           "keys_scan_total": sum(v for k, v in px["by_command"].items() if k in ("KEYS", "SCAN")),
                           "failed": r.get("failed"), "warn": r.get("warn")}
                    rows[key] = row
                    say(f"  {key:34} rtt/req {row['rtt_per_req']:.2f}  cmds/req {row['cmds_per_req']:.2f}  "
                        f"conns/req {row['conns_per_req']:.2f}  CLUSTER* total {row['cluster_slots_total']}  "
                        f"KEYS/SCAN {row['keys_scan_total']}  {fmt_cmds(row['by_command_per_req'])}")
            if topo != "standalone":
                announce(getattr(self.lay, topo), 0, self.lay.bus)
        self.res["phases"]["counts"] = {"requests_per_run": n, "rows": rows,
                                        "command": "worker.php loop N N 0 PREFIX with BENCH_CTL=<proxy control>, save_path through the proxies"}

    # ==========================================================================================
    # phase: latency per request, one long-lived process (warm), 200 sessions round robin
    def phase_latency(self):
        say("\n== latency: one warm process, start + change + close, 200 sessions round robin")
        reps, cycles = (3, 500) if QUICK else (7, 2000)
        out = {}
        for handler in ("redis", "rediscluster"):
            for lock in (0, 1):
                runs = {"ours": [], "phpredis": []}
                for rep in range(reps):
                    order = ("ours", "phpredis") if rep % 2 == 0 else ("phpredis", "ours")
                    for ext in order:
                        cmd = self.php_cmd(ext, handler, lock, [], "loop", [200, cycles, 0, "lat" + rand_hex(6)])
                        r = self.run_srv(cmd, 200 + cycles) if handler == "redis" else self.run(cmd)
                        runs[ext].append(r)
                key = f"{handler}.lock_{'on' if lock else 'off'}"
                out[key] = summarize_pairs(runs, "p50_us")
                o = out[key]
                o["mean"] = {k: v for k, v in summarize_pairs(runs, "us_per_req").items() if k in ("ours", "phpredis", "ratio")}
                srv = ""
                if handler == "redis":
                    o["server_us_per_req"] = {e: statistics.median([r.get("server_us_per_req", 0) for r in runs[e]]) for e in runs}
                    srv = f"  server us/req ours {o['server_us_per_req']['ours']:.1f} / phpredis {o['server_us_per_req']['phpredis']:.1f}"
                say(f"  {key:24} p50 ours {o['ours']['median']:.1f} us  phpredis {o['phpredis']['median']:.1f} us  "
                    f"ratio {fmt_stat(o['ratio'])}  (mean ratio {fmt_stat(o['mean']['ratio'])}; p99 ours {o['p99']['ours']:.0f} / phpredis {o['p99']['phpredis']:.0f} us){srv}"
                    f"{warn_note(runs)}")
        self.res["phases"]["latency"] = {"reps": reps, "cycles": cycles, "sessions": 200, "rows": out}

    # ==========================================================================================
    # phase: Redis server time per request (issue 14): lock off / on, 1 KB / 100 KB / 1 MB,
    # uncontended and with 8 / 32 waiters on one session
    def srv_measure(self, procs_cmds, requests, slowlog):
        port = self.lay.standalone
        cli(port, "config", "resetstat")
        if slowlog:
            cli(port, "config", "set", "slowlog-max-len", "2000000")
            cli(port, "config", "set", "slowlog-log-slower-than", "0")
            cli(port, "slowlog", "reset")
        cpu0 = server_cpu_us(port)
        deadline = time.monotonic() + 300
        ps = [self.spawn(c) for c in procs_cmds]
        rs = [self.finish(p, deadline) for p in ps]
        cpu = server_cpu_us(port) - cpu0
        if slowlog:
            cli(port, "config", "set", "slowlog-log-slower-than", "-1")
            inner, calls, names = server_toplevel_us(port)
            cli(port, "slowlog", "reset")
            cli(port, "config", "set", "slowlog-log-slower-than", "10000")
            cli(port, "config", "set", "slowlog-max-len", "128")
        stats = server_usec_by_name(port)
        usec = sum(u for n, (c, u) in stats.items() if n not in SRV_SKIP and not n.startswith(SRV_SKIP))
        ncalls = sum(c for n, (c, u) in stats.items() if n not in SRV_SKIP and not n.startswith(SRV_SKIP))
        failed = sum(int(r.get("failed", 0)) + (1 if "error" in r else 0) for r in rs)
        out = {"requests": requests, "failed": failed, "cmdstat_us": usec / requests,
               "cmdstat_calls": ncalls / requests, "exec_us": stats.get("exec", (0, 0))[1] / requests}
        if slowlog:
            out.update({"inner_us": inner / requests, "top_calls": calls / requests,
                        "top_names": {k: round(v / requests, 2) for k, v in sorted(names.items())}})
        else:
            out["cpu_us"] = cpu / requests
        return out

    def phase_servertime(self):
        say("\n== servertime: Redis server time per request (standalone; top-level commands from SLOWLOG, "
            "INFO commandstats sum, main-thread CPU)")
        sizes = [(1024, 1000 if not QUICK else 300), (100 * 1024, 200 if not QUICK else 60),
                 (1024 * 1024, 30 if not QUICK else 10)]
        reps = 1 if QUICK else 2
        rows = {}
        for lock in (0, 1):
            for size, cycles in sizes:
                for waiters in ((0,) if not lock else (0, 8, 32)):
                    for ext in ("ours", "phpredis"):
                        tag = "st" + rand_hex(6)
                        if waiters == 0:
                            nproc, nsess, per = 1, 4, cycles
                        else:
                            nproc, nsess = waiters + 1, 1
                            per = max(5, cycles * 2 // nproc)
                        cmds = [self.php_cmd(ext, "redis", lock, [], "loop", [nsess, per, size, tag])
                                for _ in range(nproc)]
                        requests = nproc * (nsess + per)
                        runs = []
                        for rep in range(reps):
                            # Run a counts who calls what (SLOWLOG of every command; its own cost
                            # inflates the timings, so they are not used), run b times it:
                            # top-level = commandstats sum - EXEC (its commands are counted on
                            # their own) - the script-internal calls of run a (counted twice).
                            a = self.srv_measure(cmds, requests, slowlog=True)
                            b = self.srv_measure(cmds, requests, slowlog=False)
                            b["top_us"] = b["cmdstat_us"] - b["exec_us"] - a["inner_us"]
                            b["top_calls"], b["top_names"] = a["top_calls"], a["top_names"]
                            b["failed"] += a["failed"]
                            runs.append(b)
                        r = {k: statistics.median([x[k] for x in runs]) for k in
                             ("top_us", "cmdstat_us", "cpu_us", "top_calls")}
                        r["top_names"] = runs[0]["top_names"]
                        r["failed"] = sum(x["failed"] for x in runs)
                        r["requests"] = requests
                        key = f"lock_{'on' if lock else 'off'}.{size // 1024}KB.w{waiters}"
                        rows.setdefault(key, {})[ext] = r
                        say(f"  {key:22} {ext:8} top-level {r['top_us']:7.1f} us/req ({r['top_calls']:.2f} cmds: "
                            f"{', '.join(f'{k} {v}' for k, v in r['top_names'].items())})  commandstats sum "
                            f"{r['cmdstat_us']:7.1f}  main-thread CPU {r['cpu_us']:7.1f} us/req"
                            f"{'  FAILED ' + str(r['failed']) if r['failed'] else ''}")
        self.res["phases"]["servertime"] = {"reps": reps, "rows": rows}

    # ==========================================================================================
    # phase: capacity check (issue 14): one Redis core under as much PHP load as the machine
    # gives it. The server is pinned to the last CPU and the PHP workers to the others
    # (taskset, when there are 2+ CPUs); requests/s divided by the server's main-thread CPU
    # utilisation is the rate one fully busy core would sustain, to compare with
    # 1e6 / (CPU us per request) from the servertime phase.
    def phase_capacity(self):
        say("\n== capacity: saturating one Redis core (lock on, 1 KB, distinct sessions, "
            f"{WORKERS} PHP CLI workers)")
        ncpu = os.cpu_count() or 1
        pin = shutil.which("taskset") is not None and ncpu >= 2
        port = self.lay.standalone
        spid = int(re.search(r"process_id:(\d+)", cli(port, "info", "server")).group(1))
        if pin:
            subprocess.run(["taskset", "-pc", str(ncpu - 1), str(spid)], capture_output=True)
        cycles = 600 if QUICK else 2500
        rows = {}
        try:
            for lock in (1, 0):
                for ext in ("ours", "phpredis"):
                    cmds = []
                    for w in range(WORKERS):
                        c = self.php_cmd(ext, "redis", lock, [], "loop", [20, cycles, 1024, "cap" + rand_hex(6)])
                        if pin:
                            c = ["taskset", "-c", f"0-{ncpu - 2}"] + c
                        cmds.append(c)
                    cli(port, "config", "resetstat")
                    cpu0, t0 = server_cpu_us(port), time.monotonic()
                    deadline = t0 + 600
                    ps = [self.spawn(c) for c in cmds]
                    rs = [self.finish(p, deadline) for p in ps]
                    wall = time.monotonic() - t0
                    cpu = server_cpu_us(port) - cpu0
                    # Requests counted by the server's own round trips would mix in the warm
                    # laps; count the timed loops' requests over their own time instead.
                    reqs = sum(int(r.get("cycles", 0)) + 20 for r in rs)
                    failed = sum(int(r.get("failed", 0)) + (1 if "error" in r else 0) for r in rs)
                    util = cpu / (wall * 1e6)
                    row = {"requests": reqs, "wall_s": wall, "req_per_s": reqs / wall, "server_util": util,
                           "cpu_us_per_req": cpu / reqs, "one_core_req_per_s": reqs / wall / util if util else 0,
                           "failed": failed, "pinned": pin}
                    rows[f"lock_{'on' if lock else 'off'}.{ext}"] = row
                    say(f"  lock {'on ' if lock else 'off'} {ext:8} {row['req_per_s']:7.0f} req/s, Redis main thread "
                        f"{util * 100:5.1f} % busy, {row['cpu_us_per_req']:6.1f} CPU us/req -> one core: "
                        f"{row['one_core_req_per_s']:7.0f} req/s{'  FAILED ' + str(failed) if failed else ''}"
                        f"{'' if pin else '  (not pinned)'}")
        finally:
            if pin:
                subprocess.run(["taskset", "-pc", f"0-{ncpu - 1}", str(spid)], capture_output=True)
        self.res["phases"]["capacity"] = {"workers": WORKERS, "cycles": cycles, "rows": rows}

    # ==========================================================================================
    # phase: lock hand-off latency and fairness with N waiters on one session
    def chain_trial(self, ext, handler, n, extra):
        sid = "ho" + rand_hex(12)
        self.seed(ext, handler, sid)
        gap_ms = 3
        t0 = now_ns() + int((0.35 + n * 0.03) * 1e9)       # room for N+1 PHP processes to start
        hold0 = 30 + n * gap_ms + 40                        # the first holder outlasts every arrival
        procs = [self.spawn(self.php_cmd(ext, handler, 1, extra, "chain", [sid, t0, hold0, 0]))]
        for i in range(1, n + 1):
            start = t0 + int((20 + (i - 1) * gap_ms) * 1e6)
            procs.append(self.spawn(self.php_cmd(ext, handler, 1, extra, "chain", [sid, start, 2, i])))
        deadline = time.monotonic() + 60
        rs = [self.finish(p, deadline) for p in procs]
        final = self.get(ext, handler, sid)
        return analyze_chain(rs, n, final)

    def wake_floor(self, trials):
        """The platform's floor for any hand-off: RPUSH sent -> a process blocked in BLPOP on that
        list has its reply (python, no PHP, no Lua): loopback round trip + waking a sleeping
        process (on this VM, a halted vCPU)."""
        def resp(*a):
            return b"*%d\r\n" % len(a) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in (str(y).encode() for y in a))
        out = []
        for i in range(trials):
            key = f"wakefloor:{rand_hex(8)}"
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:                              # child: block, then report when it runs again
                try:
                    os.close(r)
                    c = socket.create_connection(("127.0.0.1", self.lay.standalone), 5)
                    c.settimeout(5)
                    c.sendall(resp("BLPOP", key, "5"))
                    c.recv(1024)
                    os.write(w, str(now_ns()).encode())
                finally:
                    os._exit(0)
            os.close(w)
            c = socket.create_connection(("127.0.0.1", self.lay.standalone), 5)
            time.sleep(0.06)                          # the child is blocked by now
            t0 = now_ns()
            c.sendall(resp("RPUSH", key, "x"))
            c.recv(1024)
            got = os.read(r, 100)
            os.waitpid(pid, 0)                        # our own child
            os.close(r)
            c.close()
            if got:
                out.append((int(got) - t0) / 1e6)
        return out

    def phase_handoff(self):
        say("\n== handoff: holder releases -> next waiter acquires; N waiters queued 3 ms apart, each holds 2 ms")
        floor = self.wake_floor(10 if QUICK else 30)
        say(f"  platform floor (RPUSH -> a process blocked in BLPOP runs again, no PHP): ms {fmt_stat(stat(floor), 3)}")
        trials = {2: 4, 8: 2, 32: 1} if QUICK else {2: 10, 8: 4, 32: 2}
        variants = [("ours", "redis", CONTEND), ("phpredis", "redis", CONTEND)]
        if not QUICK:
            variants.append(("phpredis", "redis", ["-d", "redis.session.lock_wait_time=20000", "-d", "redis.session.lock_retries=-1"]))
        out = {}
        for n, t in trials.items():
            for ext, handler, extra in variants:
                key = f"{handler}.n{n}.{ext}" + (".wait20ms" if "lock_wait_time=20000" in " ".join(extra) else "")
                agg = merge_chain([self.chain_trial(ext, handler, n, extra) for _ in range(t)])
                out[key] = agg
                say(f"  {key:34} handoff ms {fmt_stat(agg['handoff_ms'])}  in arrival order {agg['in_order']}/{agg['fair_total']}"
                    f"  overlaps {agg['overlaps']}  lost {agg['lost']}  late {agg['late']}  errors {agg['errors']}")
        # rediscluster: phpredis 5.3.7 does not lock there at all
        for ext in ("ours", "phpredis"):
            key = f"rediscluster.n8.{ext}"
            agg = merge_chain([self.chain_trial(ext, "rediscluster", 8, CONTEND) for _ in range(1 if QUICK else 3)])
            out[key] = agg
            say(f"  {key:34} handoff ms {fmt_stat(agg['handoff_ms'])}  in arrival order {agg['in_order']}/{agg['fair_total']}"
                f"  overlaps {agg['overlaps']}  lost {agg['lost']}  errors {agg['errors']}")
        for n in trials:
            a, b = out.get(f"redis.n{n}.ours"), out.get(f"redis.n{n}.phpredis")
            if a and b and a["handoff_ms"] and b["handoff_ms"]:
                say(f"  ratio ours/phpredis median handoff, N={n}: {a['handoff_ms']['median'] / b['handoff_ms']['median']:.3f}")
        self.res["phases"]["handoff"] = {"trials": trials, "gap_ms": 3, "hold_ms": 2, "rows": out,
                                         "wake_floor_ms": stat(floor), "wake_floor": [round(x, 3) for x in floor],
                                         "settings": "lock_wait_time=2000 lock_retries=-1 (both), plus phpredis with lock_wait_time=20000"}

    # ==========================================================================================
    # phase: the holder is killed (SIGKILL) while holding; the waiter proceeds when the TTL ends
    def phase_crash(self):
        say("\n== crash: holder killed while holding (lock_expire=1 s); when does the queued waiter get the lock?")
        trials = 1 if QUICK else 3
        extra = CONTEND + ["-d", "redis.session.lock_expire=1"]
        out = {}
        for handler in ("redis", "rediscluster"):
            for ext in ("ours", "phpredis"):
                delays, oks = [], []
                for _ in range(trials):
                    sid = "cr" + rand_hex(12)
                    self.seed(ext, handler, sid)
                    h = self.spawn(self.php_cmd(ext, handler, 1, extra, "crashhold", [sid]))
                    line = ""
                    if select.select([h.stdout], [], [], 15)[0]:
                        line = h.stdout.readline()
                    try:
                        hj = json.loads(line)
                    except ValueError:
                        hj = {}
                    w = self.spawn(self.php_cmd(ext, handler, 1, extra, "bounded", [sid, now_ns() + int(0.15e9)]))
                    time.sleep(0.35)          # the waiter is queued by now
                    h.kill()                  # SIGKILL our own holder, by PID: no release, no cleanup
                    h.communicate()
                    CHILDREN.discard(h)
                    wr = self.finish(w, time.monotonic() + 30)
                    if "t_acq" in hj and "t_ret" in wr:
                        delays.append((wr["t_ret"] - (hj["t_acq"] + 1_000_000_000)) / 1e6)
                        oks.append(bool(wr.get("ok")))
                    else:
                        say("   crash trial error:", hj, wr)
                key = f"{handler}.{ext}"
                out[key] = {"delay_after_ttl_ms": stat(delays), "delays": delays, "ok": oks}
                say(f"  {key:26} waiter got the session {fmt_stat(stat(delays))} ms after the dead holder's TTL ended"
                    f" (negative: it did not wait); session_start ok {sum(oks)}/{len(oks)}")
        self.res["phases"]["crash"] = {"trials": trials, "lock_expire_s": 1, "rows": out}

    # ==========================================================================================
    # phase: a waiter gives up within its budget (lock_retries x lock_wait_time)
    def phase_bounded(self):
        say("\n== bounded wait: holder keeps the lock 800 ms; waiter has lock_retries=10 x lock_wait_time=20000 us (200 ms)")
        extra = ["-d", "redis.session.lock_retries=10", "-d", "redis.session.lock_wait_time=20000"]
        out = {}
        for ext in ("ours", "phpredis"):
            waits, oks, read, warn = [], [], [], {}
            for _ in range(1 if QUICK else 2):
                sid = "bw" + rand_hex(12)
                self.seed(ext, "redis", sid)
                t0 = now_ns() + int(0.3e9)
                h = self.spawn(self.php_cmd(ext, "redis", 1, extra, "chain", [sid, t0, 800, 0]))
                w = self.spawn(self.php_cmd(ext, "redis", 1, extra, "bounded", [sid, t0 + int(0.05e9)]))
                wr = self.finish(w, time.monotonic() + 30)
                self.finish(h, time.monotonic() + 30)
                if "t_ret" in wr:
                    waits.append((wr["t_ret"] - wr["t_begin"]) / 1e6)
                    oks.append(bool(wr.get("ok")))
                    read.append(bool(wr.get("read_data")))
                    warn = wr.get("warn") or warn
            out[ext] = {"waited_ms": stat(waits), "session_start_ok": oks, "read_data": read, "warn": warn}
            say(f"  {ext:10} waited {fmt_stat(stat(waits))} ms; session_start returned {oks}; read data {read}; warnings {list((warn or {}).keys())[:2]}")
        self.res["phases"]["bounded"] = {"budget_ms": 200, "rows": out}

    # ==========================================================================================
    # phase: throughput through real php-fpm workers
    def start_fpm(self, ext):
        d = self.work / f"fpm-{ext}"
        d.mkdir()
        sock = d / "fpm.sock"
        conf = (f"[global]\npid = {d}/fpm.pid\nerror_log = {d}/fpm.log\ndaemonize = no\n"
                f"[www]\nlisten = {sock}\nlisten.backlog = 1024\npm = static\npm.max_children = {WORKERS}\n"
                f"pm.max_requests = 0\nrequest_terminate_timeout = 30s\nclear_env = no\ncatch_workers_output = yes\n")
        (d / "fpm.conf").write_text(conf)
        ini = [x if x != "display_errors=stderr" else "display_errors=0" for x in BASE_INI] + ["-d", "log_errors=0"]
        ini += ["-d", "zend_extension=opcache", "-d", "opcache.enable=1", "-d", "opcache.validate_timestamps=0"]
        args = ["/usr/sbin/php-fpm8.2", "-n", "-R", "-F", "-y", str(d / "fpm.conf")] + self.exts[ext][1:] + ini + CONTEND
        self.note_cmd(args)
        self.res.setdefault("commands", {}).setdefault(self.phase, {})["fpm.conf"] = conf
        start_proc(f"php-fpm:{ext}", args, stdout=open(d / "out.log", "w"), stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: sock.exists(), 15, f"php-fpm ({ext})")
        except SystemExit:
            say((d / "out.log").read_text()[-1500:])
            raise
        return sock

    def fcgi(self, sock, query, sid=None, sids=None, conc=1, seconds=1.0, max_req=200000, label="fcgiload.py"):
        args = [sys.executable, str(FCGILOAD), "--socket", str(sock), "--script", str(PAGE), "--query", query,
                "--concurrency", str(conc), "--seconds", str(seconds), "--requests", str(max_req), "--timeout", "10"]
        args += ["--sid", sid] if sid else ["--sids", str(sids)]
        self.note_cmd(args, kind=label)
        r = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60)
        try:
            return json.loads(r.stdout)
        except ValueError:
            return {"error": r.stderr[-500:], "rps": 0, "ok": 0, "errors": -1}

    def phase_throughput(self):
        import urllib.parse
        say(f"\n== throughput: php-fpm ({WORKERS} static workers per pool, opcache on), page = start + change + close")
        reps, secs = (1, 0.75) if QUICK else (3, 1.5)
        socks = {ext: self.start_fpm(ext) for ext in ("ours", "phpredis")}
        sids = self.work / "sids.txt"
        tag = rand_hex(4)
        sids.write_text("\n".join(f"tp{tag}{i:06d}" for i in range(1000)) + "\n")
        sps = {"redis": self.sp_redis(), "rediscluster": self.sp_cluster("c3")}
        out = {}
        for handler in ("redis", "rediscluster"):
            q = lambda lock: f"h={handler}&lock={lock}&sp={urllib.parse.quote(sps[handler], safe='')}"
            for ext in ("ours", "phpredis"):      # warm every worker and seed the 1000 sessions
                w = self.fcgi(socks[ext], q(0), sids=sids, conc=WORKERS, seconds=20, max_req=1000,
                              label="fcgiload.py (warm-up)")
                if w.get("errors"):
                    say(f"  warm-up {handler}/{ext}: {w.get('errors')} errors, e.g. {w.get('error_samples', [])[:1]}")
            for lock in (0, 1):
                for target in ("1000", "hot"):
                    for conc in (1, 8, 32):
                        runs = {"ours": [], "phpredis": []}
                        for rep in range(reps):
                            order = ("ours", "phpredis") if rep % 2 == 0 else ("phpredis", "ours")
                            for ext in order:
                                if target == "hot":
                                    hot = f"hot{rand_hex(10)}"
                                    r = self.fcgi(socks[ext], q(lock), sid=hot, conc=conc, seconds=secs,
                                                  label="fcgiload.py (hot session)")
                                    g = self.get(ext, handler, hot)
                                    r["final_n"] = g.get("n")
                                    r["lost_updates"] = (r["ok"] - (g.get("n") or 0)) if g.get("n") is not None else None
                                else:
                                    r = self.fcgi(socks[ext], q(lock), sids=sids, conc=conc, seconds=secs,
                                                  label="fcgiload.py (1000 sessions)")
                                runs[ext].append(r)
                        key = f"{handler}.lock_{'on' if lock else 'off'}.{target}.c{conc}"
                        s = summarize_pairs(runs, "rps")
                        s["errors"] = {e: sum(r.get("errors", 0) for r in runs[e]) for e in runs}
                        s["error_samples"] = {e: [x for r in runs[e] for x in r.get("error_samples", [])][:2] for e in runs}
                        s["lost_updates"] = {e: [r.get("lost_updates") for r in runs[e]] for e in runs} if target == "hot" else None
                        s["p99_us"] = {e: statistics.median([r["lat_us"]["p99"] or 0 for r in runs[e]]) for e in runs}
                        out[key] = s
                        extra = f"  lost {s['lost_updates']}" if target == "hot" else ""
                        errs = f"  errors {s['errors']}" if any(s["errors"].values()) else ""
                        say(f"  {key:34} ours {s['ours']['median']:7.0f} req/s  phpredis {s['phpredis']['median']:7.0f} req/s"
                            f"  ratio {fmt_stat(s['ratio'])}{extra}{errs}")
        self.res["phases"]["throughput"] = {"reps": reps, "seconds": secs, "workers": WORKERS, "rows": out,
                                            "settings": "lock_wait_time=2000 lock_retries=-1 (both), opcache on"}
        # stop the two pools now (the remaining phases are CLI)
        for name, p in list(PROCS):
            if name.startswith("php-fpm"):
                kids = children_of(p.pid)
                p.send_signal(signal.SIGQUIT)
                try:
                    p.wait(timeout=8)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                for k in kids:
                    try:
                        os.kill(k, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                PROCS.remove((name, p))

    # ==========================================================================================
    # phase: CPU instructions per request inside the handler callbacks (callgrind)
    CALLBACKS = {
        "ours": [f"redis_session::ffi::callbacks::{f}" for f in
                 ("redis_open", "cluster_open", "close", "read", "write", "update_timestamp", "destroy", "gc",
                  "create_sid", "validate_sid")],
        "phpredis": [f"ps_{f}_{h}" for h in ("redis", "rediscluster") for f in
                     ("open", "close", "read", "write", "update_timestamp", "delete", "gc", "create_sid", "validate_sid")],
    }

    def callgrind(self, ext, handler, lock, cycles, tag):
        f = self.work / f"cg.{ext}.{handler}.{lock}.{cycles}.{tag}"
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={f}"] + \
            self.php_cmd(ext, handler, lock, [], "loop", [20, cycles, 0, "cg" + tag])
        self.note_cmd(cmd)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError(r.stderr[-800:])
        ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(f)],
                             capture_output=True, text=True, timeout=120).stdout
        selfc = subprocess.run(["callgrind_annotate", "--threshold=100", str(f)],
                               capture_output=True, text=True, timeout=120).stdout
        f.unlink()
        incl = parse_annotate(ann)
        names = self.CALLBACKS[ext]
        handler_ir = sum(v for k, v in incl.items() if k in names)
        return {"total": incl.get("PROGRAM TOTALS", 0), "handler": handler_ir, "self": parse_annotate(selfc)}

    def phase_cpu(self):
        say("\n== cpu: instructions per warm request (valgrind --tool=callgrind), difference of two loop lengths")
        n1, n2 = 20, (80 if QUICK else 220)
        out = {}
        for handler in ("redis", "rediscluster"):
            for lock in (0, 1):
                row = {}
                for ext in ("ours", "phpredis"):
                    tag = rand_hex(4)
                    # A few requests first, outside valgrind: one-time server work (our Lua
                    # scripts loaded after NOSCRIPT, a first slot map) must not fall into the
                    # short run only, where it would lower the difference of the two.
                    subprocess.run(self.php_cmd(ext, handler, lock, [], "loop", [20, 5, 0, "cw" + tag]),
                                   capture_output=True, timeout=120)
                    a = self.callgrind(ext, handler, lock, n1, tag)
                    b = self.callgrind(ext, handler, lock, n2, tag)
                    per = (b["handler"] - a["handler"]) / (n2 - n1)
                    tot = (b["total"] - a["total"]) / (n2 - n1)
                    top = sorted(((k, (b["self"].get(k, 0) - a["self"].get(k, 0)) / (n2 - n1)) for k in b["self"]
                                  if k != "PROGRAM TOTALS"), key=lambda x: -x[1])[:10]
                    row[ext] = {"handler_ir_per_req": per, "process_ir_per_req": tot, "top_self": top}
                row["ratio_handler"] = row["ours"]["handler_ir_per_req"] / row["phpredis"]["handler_ir_per_req"]
                row["ratio_process"] = row["ours"]["process_ir_per_req"] / row["phpredis"]["process_ir_per_req"]
                key = f"{handler}.lock_{'on' if lock else 'off'}"
                out[key] = row
                say(f"  {key:24} handler Ir/req ours {row['ours']['handler_ir_per_req']:9.0f}  phpredis "
                    f"{row['phpredis']['handler_ir_per_req']:9.0f}  ratio {row['ratio_handler']:.2f}   whole process Ir/req "
                    f"ours {row['ours']['process_ir_per_req']:9.0f} phpredis {row['phpredis']['process_ir_per_req']:9.0f} "
                    f"ratio {row['ratio_process']:.2f}")
        self.res["phases"]["cpu"] = {"n1": n1, "n2": n2, "rows": out,
                                     "callbacks": self.CALLBACKS}

    # ==========================================================================================
    # phase: cost per request vs session size (and compression)
    def phase_size(self):
        say("\n== size: latency per request vs session size, redis handler, locking on (4 sessions round robin)")
        sizes = [1024, 10240, 102400, 1048576]
        cycles = {1024: 400, 10240: 300, 102400: 100, 1048576: 24}
        reps = 2 if QUICK else 3
        if QUICK:
            cycles = {k: max(10, v // 3) for k, v in cycles.items()}
        # (ext, codec, lock); ratios are against phpredis with the same lock setting
        variants = ([("ours", "none", 1), ("phpredis", "none", 1)] + [("ours", c, 1) for c in self.codecs]
                    + [("ours", "none", 0), ("phpredis", "none", 0)])
        name = lambda e, c, l: f"{e}:{c}:lock_{'on' if l else 'off'}"
        out = {}
        for size in sizes:
            runs = {name(*v): [] for v in variants}
            stored = {}
            for rep in range(reps):
                vs = variants if rep % 2 == 0 else list(reversed(variants))
                for ext, codec, lock in vs:
                    extra = ["-d", f"redis.session.compression={codec}"] if ext == "ours" and self.codecs else []
                    prefix = "sz" + rand_hex(6)
                    r = self.run_srv(self.php_cmd(ext, "redis", lock, extra, "loop", [4, cycles[size], size, prefix]),
                                     4 + cycles[size], 300)
                    runs[name(ext, codec, lock)].append(r)
                    if rep == 0:
                        key = ("PHPREDIS_SESSION:" + prefix + "000000")
                        stored[name(ext, codec, lock)] = int((cli(self.lay.standalone, "strlen", key) or "0").strip() or 0)
            row = {}
            for v, rs in runs.items():
                base = [r.get("p50_us") for r in runs["phpredis:none:" + v.split(":")[2]]]
                vals = [r.get("p50_us") for r in rs]
                ratios = [a / b for a, b in zip(vals, base) if a and b]
                mbase = [r.get("us_per_req") for r in runs["phpredis:none:" + v.split(":")[2]]]
                mvals = [r.get("us_per_req") for r in rs]
                row[v] = {"p50_us": stat(vals), "ratio_vs_phpredis": stat(ratios), "stored_bytes": stored.get(v),
                          "mean_us": stat(mvals), "mean_ratio": stat([a / b for a, b in zip(mvals, mbase) if a and b]),
                          "server_us_per_req": stat([r.get("server_us_per_req") for r in rs]),
                          "p99_us": statistics.median([r.get("p99_us") or 0 for r in rs]),
                          "data_bytes": rs[0].get("data_bytes") if rs else None,
                          "failed": sum(r.get("failed", 0) or 0 for r in rs), "warn": merge_warn(rs)}
            out[str(size)] = row
            say(f"  {size:>8} B")
            for v in runs:
                if row[v]["p50_us"]:
                    say(f"      {v:24} p50 {row[v]['p50_us']['median']:9.0f} us/req  ratio vs phpredis {fmt_stat(row[v]['ratio_vs_phpredis'])}"
                        f"  server {row[v]['server_us_per_req']['median']:8.0f} us/req  stored {row[v]['stored_bytes']} B")
        self.res["phases"]["size"] = {"sizes": sizes, "cycles": cycles, "reps": reps, "codecs": self.codecs, "rows": out}

    # ==========================================================================================
    # phase: 3 vs 6 masters, latency per request (commands per request: phase counts)
    def phase_cluster(self):
        say("\n== cluster size: rediscluster latency per warm request, 3+3 vs 6+6, 1000 sessions round robin")
        reps, cycles = (2, 500) if QUICK else (4, 1500)
        out = {}
        for which in ("c3", "c6"):
            for lock in (0, 1):
                runs = {"ours": [], "phpredis": []}
                for rep in range(reps):
                    order = ("ours", "phpredis") if rep % 2 == 0 else ("phpredis", "ours")
                    for ext in order:
                        runs[ext].append(self.run(self.php_cmd(ext, "rediscluster", lock, [], "loop",
                                                               [1000, cycles, 0, "cs" + rand_hex(6)], which=which), 180))
                key = f"{which}.lock_{'on' if lock else 'off'}"
                out[key] = summarize_pairs(runs, "p50_us")
                o = out[key]
                o["mean"] = {k: v for k, v in summarize_pairs(runs, "us_per_req").items() if k in ("ours", "phpredis", "ratio")}
                say(f"  {key:16} p50 ours {o['ours']['median']:.1f} us  phpredis {o['phpredis']['median']:.1f} us  "
                    f"ratio {fmt_stat(o['ratio'])}  (mean ratio {fmt_stat(o['mean']['ratio'])}){warn_note(runs)}")
        for lock in ("off", "on"):
            for ext in ("ours", "phpredis"):
                a, b = out[f"c3.lock_{lock}"][ext]["median"], out[f"c6.lock_{lock}"][ext]["median"]
                say(f"  6 vs 3 masters, lock {lock}, {ext}: x{b / a:.2f}")
        self.res["phases"]["cluster"] = {"reps": reps, "cycles": cycles, "sessions": 1000, "rows": out}


# ------------------------------------------------------------------------------------------
# helpers

def rand_hex(n):
    return "".join(random.choice("0123456789abcdef") for _ in range(n))


def fmt_cmds(d):
    return " ".join(f"{k}={v:.2f}" for k, v in sorted(d.items(), key=lambda x: -x[1]))


def merge_warn(rs):
    w = {}
    for r in rs:
        for k, v in (r.get("warn") or {}).items():
            w[k] = w.get(k, 0) + v
    return w


def warn_note(runs):
    notes = []
    for ext, rs in runs.items():
        w = merge_warn(rs)
        failed = sum(r.get("failed", 0) or 0 for r in rs)
        errs = [r["error"] for r in rs if "error" in r]
        if w or failed or errs:
            notes.append(f"{ext}: failed {failed}, warnings {list(w)[:2]}, errors {errs[:1]}")
    return ("  !! " + "; ".join(notes)) if notes else ""


def summarize_pairs(runs, field):
    a = [r.get(field) for r in runs["ours"]]
    b = [r.get(field) for r in runs["phpredis"]]
    ratios = [x / y for x, y in zip(a, b) if x and y]
    s = {"ours": stat(a), "phpredis": stat(b), "ratio": stat(ratios), "ours_runs": a, "phpredis_runs": b}
    if runs["ours"] and "p99_us" in runs["ours"][0]:
        s["p50"] = {e: statistics.median([r.get("p50_us") or 0 for r in runs[e]]) for e in runs}
        s["p99"] = {e: statistics.median([r.get("p99_us") or 0 for r in runs[e]]) for e in runs}
        s["samples_us"] = {e: runs[e][0].get("samples_us", []) for e in runs}
    s["failed"] = {e: sum(r.get("failed", 0) or 0 for r in runs[e]) for e in runs}
    return s


def analyze_chain(rs, n, final):
    errors = [r for r in rs if "t_acq" not in r or not r.get("ok")]
    good = [r for r in rs if "t_acq" in r and r.get("ok")]
    by_acq = sorted(good, key=lambda r: r["t_acq"])
    holder = next((r for r in good if r["idx"] == 0), None)
    late = sum(1 for r in good if holder and r["idx"] != 0 and r["t_begin"] > holder["t_close_call"])
    handoffs, from_call, in_order, fair_total, overlaps = [], [], 0, 0, 0
    for pos in range(len(by_acq) - 1):
        prev, nxt = by_acq[pos], by_acq[pos + 1]
        if nxt["t_acq"] < prev["t_close_call"]:
            overlaps += 1          # acquired while the previous one still held it: no mutual exclusion
            continue
        if nxt["t_begin"] >= prev["t_close_call"]:
            continue               # arrived after the release: not a hand-off
        handoffs.append((nxt["t_acq"] - prev["t_close_ret"]) / 1e6)
        from_call.append((nxt["t_acq"] - prev["t_close_call"]) / 1e6)
        waiting = [w for w in by_acq[pos + 1:] if w["t_begin"] < prev["t_close_call"]]
        fair_total += 1
        if min(waiting, key=lambda w: w["t_begin"]) is nxt:
            in_order += 1
    order = final.get("order") or []
    waited = [(r["t_acq"] - r["t_begin"]) / 1e6 for r in good if r["idx"] != 0]
    return {"handoffs": handoffs, "from_call": from_call, "in_order": in_order, "fair_total": fair_total, "overlaps": overlaps,
            "late": late, "errors": len(errors) + (0 if final.get("ok") else 1), "lost": (n + 1) - len(order),
            "max_wait_ms": max(waited) if waited else None,
            "error_samples": [{k: v for k, v in e.items() if k in ("error", "stderr", "warn", "ok")} for e in errors[:2]]}


def merge_chain(trials):
    hs = [h for t in trials for h in t["handoffs"]]
    out = {k: sum(t[k] for t in trials) for k in ("in_order", "fair_total", "overlaps", "late", "errors", "lost")}
    out["handoff_ms"] = stat(hs)
    fc = [h for t in trials for h in t["from_call"]]
    out["from_call_ms"] = stat(fc)
    out["from_call"] = [round(h, 3) for h in fc]
    out["handoffs"] = [round(h, 3) for h in hs]
    out["p90_ms"] = sorted(hs)[int(0.9 * (len(hs) - 1))] if hs else None
    out["max_wait_ms"] = max((t["max_wait_ms"] or 0) for t in trials)
    out["error_samples"] = [e for t in trials for e in t["error_samples"]][:2]
    return out


def parse_annotate(text):
    out = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(?:\*\s+)?(.*)$", line)
        if not m:
            continue
        v = int(m.group(1).replace(",", ""))
        name = m.group(2).strip()
        if name != "PROGRAM TOTALS":
            name = re.sub(r"\s+\[.*\]$", "", name)
            name = name.split(":", 1)[1] if ":" in name and not name.startswith("???") else name.replace("???:", "")
        out[name] = out.get(name, 0) + v
    return out


# ------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--so", required=True, help="redis_session .so to measure")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    a = ap.parse_args()
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    if not any(p in ALL_PHASES for p in PHASES):
        print(f"bench: no phase of {ALL_PHASES} selected (PHASES={','.join(PHASES)}); nothing to do")
        return
    b = Bench(os.path.abspath(a.so), a.out)
    t0 = time.monotonic()
    failed = None
    try:
        b.setup()
        for ph in ALL_PHASES:
            if ph in PHASES:
                t = time.monotonic()
                b.phase = ph
                getattr(b, f"phase_{ph}")()
                b.res.setdefault("phase_seconds", {})[ph] = round(time.monotonic() - t, 1)
    except BaseException as e:      # interrupted or failed: keep what was measured so far
        failed = e
        b.res["meta"]["error"] = f"{type(e).__name__}: {e} (in phase {b.phase})"
    finally:
        stop_all()
        if getattr(b, "work", None):
            shutil.rmtree(b.work, ignore_errors=True)
    b.res["meta"]["seconds"] = round(time.monotonic() - t0, 1)
    b.res["meta"]["load_after"] = os.getloadavg()
    b.res["meta"]["phases"] = PHASES
    b.res["log"] = LOG
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(b.res, indent=1, default=str) + "\n")
    if failed is not None:
        say(f"\nbench: stopped in phase {b.phase}: {b.res['meta']['error']}; partial results in {out / 'bench.json'}")
        raise failed
    say(f"\nbench: done in {b.res['meta']['seconds']} s; results in {out / 'bench.json'}")


if __name__ == "__main__":
    main()
