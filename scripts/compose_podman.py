#!/usr/bin/python3
"""Runs docker/docker-compose.yml with plain `podman run` (podman-compose on podman 4.3 without
systemd cannot run healthchecks, so `depends_on: condition: service_healthy` never resolves).
The compose file is the single source: images, commands, environment, volumes, ports and the
dependency order all come from it, so the commands Docker users run are the ones run here.

  compose_podman.py check                     static checks of every service's command
  compose_podman.py up PROJECT [svc=image ...] start every service (a service's image can be
                                              replaced: php=localhost/x); prints the host port
                                              of the published service ("PORT <n>")
  compose_podman.py down PROJECT              remove the containers and network of PROJECT

Compose interpolation is honoured: ${VAR:-default}, ${VAR}, $$ (a literal $).
Published ports are bound to 127.0.0.1 only, on a free port.
"""
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
COMPOSE = os.path.join(HERE, "..", "docker", "docker-compose.yml")
LABEL = "redis_session.demo-check"


def interpolate(v):
    if isinstance(v, str):
        def sub(m):
            if m.group(0) == "$$":
                return "$"
            name, default = m.group(1) or m.group(3), m.group(2)
            val = os.environ.get(name)
            return val if val else (default or "")
        return re.sub(r"\$\$|\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)", sub, v)
    if isinstance(v, list):
        return [interpolate(x) for x in v]
    if isinstance(v, dict):
        return {k: interpolate(x) for k, x in v.items()}
    return v


def load():
    with open(COMPOSE) as f:
        doc = yaml.safe_load(f)   # resolves the <<: merges
    return {name: interpolate(svc) for name, svc in doc["services"].items()}


def command_argv(svc):
    cmd = svc.get("command")
    if cmd is None:
        return []
    return cmd if isinstance(cmd, list) else shlex.split(cmd)


def deps(svc):
    d = svc.get("depends_on") or {}
    return {k: "service_started" for k in d} if isinstance(d, list) else {k: v.get("condition", "service_started") for k, v in d.items()}


def order(services):
    done, out = set(), []

    def visit(n, path=()):
        if n in done:
            return
        if n in path:
            sys.exit(f"dependency cycle at {n}")
        for d in deps(services[n]):
            visit(d, path + (n,))
        done.add(n)
        out.append(n)
    for n in services:
        visit(n)
    return out


def check():
    """Each command as a shell will run it: no newline inside `sh -c` (each line would run as a
    command of its own), valid shell syntax, and the cluster-init script run against a recording
    stand-in for redis-cli must create the cluster from all six nodes without asking."""
    services = load()
    problems = []
    for name, svc in services.items():
        argv = command_argv(svc)
        if len(argv) >= 3 and argv[0] in ("sh", "bash") and argv[1] == "-c":
            script = argv[2]
            if "\n" in script.strip():
                problems.append(f"{name}: the sh -c script spans several lines (each runs as its own command)")
            r = subprocess.run(["sh", "-n", "-c", script], capture_output=True, text=True)
            if r.returncode:
                problems.append(f"{name}: sh -n: {r.stderr.strip()}")
        if argv[:1] == ["redis-server"]:
            want = ["--cluster-enabled", "yes", "--cluster-announce-hostname", name]
            flat = " ".join(argv)
            if not all(w in argv for w in want) or f"--cluster-announce-hostname {name}" not in flat:
                problems.append(f"{name}: redis-server must announce its service name: {flat}")
    init = command_argv(services["cluster-init"])
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "calls")
        fake = os.path.join(d, "redis-cli")
        with open(fake, "w") as f:
            f.write(f"""#!/bin/sh
echo "$*" >> {log}
case "$*" in
  *ping*) echo PONG ;;
  *"cluster info"*) if grep -q -- --cluster "{log}"; then echo cluster_state:ok; else echo cluster_state:fail; fi ;;
esac
""")
        os.chmod(fake, 0o755)
        env = dict(os.environ, PATH=f"{d}:{os.environ['PATH']}")
        r = subprocess.run(init, env=env, capture_output=True, text=True, timeout=60)
        calls = open(log).read().splitlines() if os.path.exists(log) else []
        creates = [c for c in calls if c.startswith("--cluster create")]
        nodes = [f"redis-{i}:6379" for i in range(1, 7)]
        if r.returncode != 0:
            problems.append(f"cluster-init: exit {r.returncode}: {r.stderr.strip()[:300]}")
        if len(creates) != 1 or not all(n in creates[0].split() for n in nodes) \
                or "--cluster-yes" not in creates[0] or "--cluster-replicas 1" not in creates[0]:
            problems.append(f"cluster-init: redis-cli calls were {calls}")
    for p in problems:
        print("compose check:", p)
    print(f"compose check: {len(services)} services, commands "
          + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


def podman(*args, check=True, capture=True):
    r = subprocess.run(["podman", *args], capture_output=capture, text=True)
    if check and r.returncode:
        sys.exit(f"podman {' '.join(args[:3])} ...: exit {r.returncode}: {(r.stderr or '').strip()[-800:]}")
    return r


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_healthy(project, name, svc, timeout=60):
    test = (svc.get("healthcheck") or {}).get("test")
    if not test:
        return
    argv = test[1:] if test[0] == "CMD" else ["sh", "-c", test[1]]
    deadline = time.time() + timeout
    while time.time() < deadline:
        if podman("exec", f"{project}-{name}", *argv, check=False).returncode == 0:
            return
        time.sleep(0.5)
    sys.exit(f"{name}: not healthy after {timeout}s")


def up(project, overrides):
    services = load()
    podman("network", "create", "--label", f"{LABEL}={project}", project)
    port = None
    for name in order(services):
        svc = services[name]
        for dep, cond in deps(svc).items():
            if cond == "service_healthy":
                wait_healthy(project, dep, services[dep])
            elif cond == "service_completed_successfully":
                code = podman("wait", f"{project}-{dep}").stdout.strip()
                if code != "0":
                    logs = podman("logs", f"{project}-{dep}", check=False)
                    sys.exit(f"{dep} exited {code}: {(logs.stdout + logs.stderr)[-800:]}")
        args = ["run", "-d", "--name", f"{project}-{name}", "--label", f"{LABEL}={project}",
                "--network", project, "--network-alias", name, "--hostname", name]
        env = svc.get("environment") or {}
        for k, v in (env.items() if isinstance(env, dict) else (e.split("=", 1) for e in env)):
            args += ["--env", f"{k}={v}"]
        for v in svc.get("volumes") or []:
            src, dst, *mode = v.split(":")
            src = os.path.normpath(os.path.join(os.path.dirname(COMPOSE), src))
            args += ["-v", ":".join([src, dst, *mode])]
        for p in svc.get("ports") or []:
            port = free_port()
            args += ["-p", f"127.0.0.1:{port}:{str(p).split(':')[-1]}"]
        image = overrides.get(name) or svc.get("image")
        podman(*args, image, *command_argv(svc))
        print(f"started {name} ({image})", flush=True)
        if svc.get("healthcheck"):
            wait_healthy(project, name, svc)
    print(f"PORT {port}")


def down(project):
    ids = podman("ps", "-aq", "--filter", f"label={LABEL}={project}", check=False).stdout.split()
    if ids:
        podman("rm", "-f", "-t", "2", *ids, check=False)
    podman("network", "rm", "-f", project, check=False)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "check":
        sys.exit(check())
    elif cmd == "up" and len(sys.argv) >= 3:
        up(sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:]))
    elif cmd == "down" and len(sys.argv) == 3:
        down(sys.argv[2])
    else:
        sys.exit(__doc__)
