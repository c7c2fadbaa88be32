//! Test harness: real redis-server / valkey-server processes on free loopback ports, started
//! per test and stopped (by PID) on drop. The binary comes from REDIS_SESSION_SERVER_BIN
//! (default: Debian's /usr/bin/redis-server).
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn server_bin() -> String {
    std::env::var("REDIS_SESSION_SERVER_BIN").unwrap_or_else(|_| "/usr/bin/redis-server".into())
}

/// A free port in 21500-21999 whose cluster bus port (port + 10000) is free too. The range
/// keeps bus ports below the kernel's ephemeral range (32768+), away from scripts/servers.sh
/// (10000-20999), the shared measuring tools (21000-21499) and bench/ (22000-22499).
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = (std::process::id() % 500) as u16;
    for _ in 0..500 {
        let p = 21500 + (base + NEXT.fetch_add(7, Ordering::Relaxed)) % 500;
        if TcpListener::bind(("127.0.0.1", p)).is_ok()
            && TcpListener::bind(("127.0.0.1", p + 10000)).is_ok()
        {
            return p;
        }
    }
    panic!("no free port in 21500-21999");
}

pub struct Server {
    pub port: u16,
    child: Child,
    dir: PathBuf,
}

fn cli(port: u16, args: &[&str]) -> Option<String> {
    let out = Command::new("redis-cli")
        .arg("-p")
        .arg(port.to_string())
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

impl Server {
    pub fn start(extra: &[&str]) -> Server {
        Server::start_on(free_port(), extra)
    }

    /// Stops the server and starts a new one on the same port (connections to it go stale).
    pub fn restart(self) -> Server {
        let port = self.port;
        drop(self);
        Server::start_on(port, &[])
    }

    /// Debian's redis-server (built with TLS) whatever REDIS_SESSION_SERVER_BIN says.
    pub fn start_debian(extra: &[&str]) -> Server {
        Server::start_bin("/usr/bin/redis-server", free_port(), extra)
    }

    fn start_on(port: u16, extra: &[&str]) -> Server {
        Server::start_bin(&server_bin(), port, extra)
    }

    fn start_bin(bin: &str, port: u16, extra: &[&str]) -> Server {
        let dir = std::env::temp_dir().join(format!("rs-core-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let child = Command::new(bin)
            .arg("--port")
            .arg(port.to_string())
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&dir)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start server");
        let s = Server { port, child, dir };
        s.wait_for("PONG", &["PING"]);
        s
    }

    pub fn cli(&self, args: &[&str]) -> String {
        cli(self.port, args).unwrap_or_default()
    }

    fn wait_for(&self, want: &str, args: &[&str]) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if cli(self.port, args).is_some_and(|o| o.contains(want)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("server on {} never answered {want}", self.port);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Three cluster masters, slots split by `redis-cli --cluster create`.
pub struct TestCluster {
    pub nodes: Vec<Server>,
}

impl TestCluster {
    pub fn start() -> TestCluster {
        let nodes: Vec<Server> = (0..3)
            .map(|_| {
                Server::start(&[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-node-timeout",
                    "5000",
                    "--cluster-config-file",
                    &format!("nodes-{}.conf", free_port()),
                ])
            })
            .collect();
        cluster_create(&nodes, 0);
        for n in &nodes {
            n.wait_for("cluster_state:ok", &["CLUSTER", "INFO"]);
        }
        TestCluster { nodes }
    }

    pub fn seeds(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("seed[]=127.0.0.1:{}", n.port))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The node that serves `key`: the one that does not answer MOVED.
    pub fn node_for(&self, key: &[u8]) -> &Server {
        let key = String::from_utf8_lossy(key).into_owned();
        self.nodes
            .iter()
            .find(|n| !n.cli(&["GET", &key]).contains("MOVED"))
            .expect("an owner")
    }
}

/// A throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate,
/// made with openssl in `dir`. Returns the directory path as a string.
pub fn tls_material(dir: &std::path::Path) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let d = dir.to_str().unwrap().to_string();
    let sh = format!(
        r#"set -e; cd '{d}'
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=rs-test-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile san.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=rs-client 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 -extfile client.ext 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt -days 2 -subj /CN=other-ca 2>/dev/null
"#
    );
    let ok = Command::new("sh")
        .arg("-c")
        .arg(&sh)
        .status()
        .unwrap()
        .success();
    assert!(ok, "openssl failed");
    d
}

/// Fault injection for the reliability tests.
impl Server {
    /// The server's process id (it runs in the foreground: the child itself).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a signal by name ("STOP", "CONT") to the server process, by its PID.
    pub fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.pid().to_string())
            .status();
    }

    /// SIGKILL now and reap it: the port is closed when this returns.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A cluster with one replica per master (redis-cli --cluster create --cluster-replicas 1),
/// with a short node timeout so a failover takes seconds.
pub struct ReplicatedCluster {
    pub nodes: Vec<Server>,
    alive: Vec<bool>,
}

impl ReplicatedCluster {
    pub fn start(masters: usize, node_timeout_ms: u32) -> ReplicatedCluster {
        let timeout = node_timeout_ms.to_string();
        let nodes: Vec<Server> = (0..masters * 2)
            .map(|_| {
                Server::start(&[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-node-timeout",
                    &timeout,
                    "--cluster-config-file",
                    "nodes.conf",
                    // a replica's first sync starts at once (default: wait 5 s for more replicas)
                    "--repl-diskless-sync-delay",
                    "0",
                ])
            })
            .collect();
        cluster_create(&nodes, 1);
        let alive = vec![true; nodes.len()];
        let c = ReplicatedCluster { nodes, alive };
        assert!(
            c.wait_healthy(masters, Duration::from_secs(30)),
            "cluster not healthy"
        );
        c
    }

    pub fn seeds(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("seed[]=127.0.0.1:{}", n.port))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// SIGKILL node `i`.
    pub fn kill(&mut self, i: usize) {
        self.nodes[i].kill();
        self.alive[i] = false;
    }

    fn live(&self) -> impl Iterator<Item = &Server> {
        self.nodes
            .iter()
            .zip(&self.alive)
            .filter(|(_, a)| **a)
            .map(|(n, _)| n)
    }

    /// Every live node: cluster_state:ok, linked to its master if it is a replica, and
    /// seeing `replicas` healthy replicas (redis-cli assigns them after the create returns).
    pub fn wait_healthy(&self, replicas: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let ok = self.live().all(|n| {
                let repl = n.cli(&["INFO", "replication"]);
                let nodes = n.cli(&["CLUSTER", "NODES"]);
                let slaves = nodes
                    .lines()
                    .filter(|l| l.contains(" slave ") || l.contains(",slave "))
                    .filter(|l| !l.contains("fail"))
                    .count();
                n.cli(&["CLUSTER", "INFO"]).contains("cluster_state:ok")
                    && (!repl.contains("role:slave") || repl.contains("master_link_status:up"))
                    && slaves == replicas
            });
            if ok {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Index of the node that serves `key` now (the one that answers without MOVED).
    pub fn master_for(&self, key: &str) -> usize {
        (0..self.nodes.len())
            .find(|&i| {
                self.alive[i] && {
                    let r = self.nodes[i].cli(&["GET", key]);
                    !r.contains("MOVED") && !r.contains("CLUSTERDOWN")
                }
            })
            .expect("an owner")
    }

    /// Index of the replica of master `i`.
    pub fn replica_of(&self, i: usize) -> usize {
        let id = self.nodes[i].cli(&["CLUSTER", "MYID"]);
        (0..self.nodes.len())
            .find(|&j| {
                self.nodes[j]
                    .cli(&["INFO", "replication"])
                    .contains(&format!("master_port:{}", self.nodes[i].port))
                    || self.nodes[j]
                        .cli(&["CLUSTER", "NODES"])
                        .lines()
                        .any(|l| l.contains("myself,slave") && l.contains(&id))
            })
            .expect("a replica")
    }
}

/// `redis-cli --cluster create` of `nodes` with `replicas` replicas per master.
fn cluster_create(nodes: &[Server], replicas: u32) {
    let mut args = vec!["--cluster".to_string(), "create".to_string()];
    args.extend(nodes.iter().map(|n| format!("127.0.0.1:{}", n.port)));
    args.extend([
        "--cluster-replicas".to_string(),
        replicas.to_string(),
        "--cluster-yes".to_string(),
    ]);
    let status = Command::new("redis-cli")
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("redis-cli --cluster create");
    assert!(status.success(), "redis-cli --cluster create failed");
}

/// `SCRIPT EXISTS` calls a server has served, read with `cli` (INFO), or None on a server that
/// counts SCRIPT subcommands together (before Redis 7 INFO commandstats has only
/// `cmdstat_script`).
pub fn script_exists_calls(cli: impl Fn(&[&str]) -> String) -> Option<u64> {
    let server = cli(&["INFO", "server"]);
    let major: u32 = server
        .lines()
        .find_map(|l| l.strip_prefix("redis_version:"))
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.trim().parse().ok())
        .unwrap_or(0);
    if major < 7 {
        return None;
    }
    let info = cli(&["INFO", "commandstats"]);
    Some(
        info.lines()
            .find_map(|l| l.strip_prefix("cmdstat_script|exists:calls="))
            .and_then(|rest| rest.split(',').next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0),
    )
}
