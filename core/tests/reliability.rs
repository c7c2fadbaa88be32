//! The handler through faults, against real servers this test starts: a cluster master killed
//! under load (failures while its slots have no master, recovery after the promotion, in the
//! same process), and a paused server (a request gives up after read_timeout; the connection
//! whose reply is still in flight is never reused). php-tests/reliability/ shows the same
//! through PHP.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ReplicatedCluster, Server};
use redis_session_core::error::ErrorKind;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::settings::{ReleaseCmd, Settings};

fn locking(ttl: Duration) -> Settings {
    Settings {
        locking_enabled: true,
        lock_ttl: ttl,
        lock_wait_time: Duration::from_millis(20),
        lock_retries: Some(150),
        lock_release_cmd: ReleaseCmd::Lua,
        ..Settings::default()
    }
}

/// One PHP-like request: open, read, n + 1, write. Ok(n written) or the error it failed with.
fn request(
    path: &str,
    id: &str,
    settings: &Settings,
) -> Result<u64, redis_session_core::error::Error> {
    let mut h = Handler::open(HandlerKind::RedisCluster, path, settings.clone())?;
    let data = h.read(id)?;
    let n: u64 = std::str::from_utf8(&data)
        .ok()
        .and_then(|s| s.strip_prefix("n|i:"))
        .and_then(|s| s.strip_suffix(';'))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    h.write(id, format!("n|i:{};", n + 1).as_bytes(), 600)?;
    h.close()?;
    Ok(n + 1)
}

struct Outcome {
    at: Instant,
    took: Duration,
    session: usize,
    result: Result<u64, redis_session_core::error::Error>,
}

#[test]
fn cluster_master_failover_recovers_without_a_new_process() {
    let mut c = ReplicatedCluster::start(3, 2000);
    let path = format!("{}&timeout=0.5&read_timeout=0.5", c.seeds());
    // Every worker has one session on each master; its session 0 lives on the master we kill.
    let mut masters: Vec<usize> = Vec::new();
    for n in 0..1000 {
        let m = c.master_for(&format!("probe{n}"));
        if !masters.contains(&m) {
            masters.push(m);
        }
        if masters.len() == 3 {
            break;
        }
    }
    assert_eq!(masters.len(), 3, "{masters:?}");
    let victim = masters[0];
    let replica = c.replica_of(victim);
    let worker_ids: Vec<Vec<String>> = (0..3)
        .map(|w| {
            masters
                .iter()
                .map(|&m| {
                    (0u32..)
                        .map(|n| format!("failover{w}x{n:08}abcdefghijkl"))
                        .find(|id| c.master_for(&format!("PHPREDIS_CLUSTER_SESSION:{id}")) == m)
                        .unwrap()
                })
                .collect()
        })
        .collect();

    // 3 threads (workers of one process: the pool and slot map are shared), each cycling over
    // the 3 sessions with its own id suffix, until told to stop (bounded by a deadline).
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(40);
    let workers: Vec<_> = (0..3)
        .map(|w| {
            let (path, stop) = (path.clone(), stop.clone());
            let ids = worker_ids[w].clone();
            std::thread::spawn(move || {
                let settings = locking(Duration::from_secs(2));
                let mut out = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let k = i % ids.len();
                    let at = Instant::now();
                    let result = request(&path, &ids[k], &settings);
                    out.push(Outcome {
                        at,
                        took: at.elapsed(),
                        session: k,
                        result,
                    });
                    i += 1;
                    std::thread::sleep(Duration::from_millis(5));
                }
                out
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1000));
    let killed = Instant::now();
    c.kill(victim);
    let promoted = {
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until
            && !c.nodes[replica]
                .cli(&["INFO", "replication"])
                .contains("role:master")
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        killed.elapsed()
    };
    assert!(
        c.wait_healthy(2, Duration::from_secs(10)),
        "cluster healthy after the failover"
    );
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    let results: Vec<Vec<Outcome>> = workers.into_iter().map(|w| w.join().unwrap()).collect();

    let (mut total, mut failed, mut failed_victim) = (0, 0, 0);
    let mut last_failure = None;
    let mut longest = Duration::ZERO;
    for out in &results {
        for o in out {
            total += 1;
            longest = longest.max(o.took);
            if let Err(e) = &o.result {
                assert!(o.at + o.took >= killed, "a failure before the kill: {e}");
                assert!(
                    matches!(
                        e.kind,
                        ErrorKind::Connect
                            | ErrorKind::Io
                            | ErrorKind::Timeout
                            | ErrorKind::Cluster
                            | ErrorKind::LockTimeout
                    ),
                    "unexpected kind: {e}"
                );
                assert!(
                    e.node.is_some() || e.kind == ErrorKind::LockTimeout,
                    "the error names the node: {e}"
                );
                failed += 1;
                if o.session == 0 {
                    failed_victim += 1;
                }
                last_failure = Some(last_failure.unwrap_or(killed).max(o.at + o.took));
            }
        }
    }
    // After the promotion (plus a moment for every node to learn it), every request succeeds.
    let settled = killed + promoted + Duration::from_millis(500);
    let late_failures: Vec<String> = results
        .iter()
        .flatten()
        .filter(|o| o.at > settled)
        .filter_map(|o| o.result.as_ref().err().map(|e| e.to_string()))
        .collect();
    let late_ok = results
        .iter()
        .flatten()
        .filter(|o| o.at > settled && o.result.is_ok())
        .count();
    let window = last_failure.map_or(Duration::ZERO, |t| t - killed);
    println!(
        "failover: {failed} of {total} requests failed ({failed_victim} on the killed master's sessions), \
         promotion after {promoted:.2?}, last failure {window:.2?} after the kill, longest request {longest:.2?}"
    );
    assert!(
        failed_victim > 0,
        "requests on the killed master's slots failed"
    );
    assert!(
        late_failures.is_empty(),
        "failures after the promotion: {late_failures:?}"
    );
    assert!(
        late_ok > 20,
        "requests succeed again after the promotion ({late_ok})"
    );
    assert!(
        longest < Duration::from_secs(4),
        "no request hangs past the timeouts: {longest:?}"
    );
    assert!(window < Duration::from_secs(10), "{window:?}");
    // Nothing a worker saw as written was lost beyond what async replication allows: each
    // session's value equals its number of successful writes, give or take the one in flight.
    for (w, out) in results.iter().enumerate() {
        for (k, id) in worker_ids[w].iter().enumerate() {
            let ok = out
                .iter()
                .filter(|o| o.session == k && o.result.is_ok())
                .count() as u64;
            let last = out
                .iter()
                .filter(|o| o.session == k)
                .filter_map(|o| o.result.as_ref().ok())
                .next_back()
                .copied()
                .unwrap_or(0);
            assert!(
                last + 1 >= ok && last <= ok + 1,
                "worker {w} session {k} ({id}): {ok} writes, last value {last}"
            );
        }
    }
}

#[test]
fn paused_server_times_out_and_its_connection_is_never_reused() {
    let s = Server::start(&[]);
    let path = format!("tcp://127.0.0.1:{}?timeout=0.5&read_timeout=0.5", s.port);
    let id = "pausedsession0000abcdefghij";
    let mut h = Handler::open(HandlerKind::Redis, &path, Settings::default()).unwrap();
    h.write(id, b"n|i:1;", 600).unwrap();
    drop(h); // its connection goes back to the pool

    s.signal("STOP");
    let mut h = Handler::open(HandlerKind::Redis, &path, Settings::default()).unwrap();
    let started = Instant::now();
    let err = h.read(id).unwrap_err();
    let took = started.elapsed();
    // Replace the value while the GET above is still queued in the paused server: a reused
    // connection would hand the next request that stale reply instead of the new value.
    s.signal("CONT");
    drop(h);
    assert_eq!(err.kind, ErrorKind::Timeout, "{err}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{}", s.port)),
        "{err}"
    );
    assert!(
        took >= Duration::from_millis(450) && took < Duration::from_millis(1500),
        "{took:?}"
    );
    s.cli(&["SET", &format!("PHPREDIS_SESSION:{id}"), "n|i:2;"]);

    let mut h = Handler::open(HandlerKind::Redis, &path, Settings::default()).unwrap();
    assert_eq!(
        h.read(id).unwrap(),
        b"n|i:2;",
        "a fresh connection, the current value"
    );
    h.write(id, b"n|i:3;", 600).unwrap();
    drop(h);
    // Only one client connection besides redis-cli's: the timed-out one was closed.
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut clients = 0;
    while Instant::now() < deadline {
        clients = s.cli(&["CLIENT", "LIST"]).lines().count() - 1;
        if clients == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(clients, 1, "the timed-out connection was closed");
}

#[test]
fn a_lock_a_failover_kept_is_released_by_the_workers_next_request() {
    let mut c = ReplicatedCluster::start(3, 2000);
    let path = format!("{}&timeout=0.5&read_timeout=0.5", c.seeds());
    let id = "strandedx00000001abcdefghijkl";
    let victim = c.master_for(&format!("PHPREDIS_CLUSTER_SESSION:{id}"));
    let replica = c.replica_of(victim);
    let other = (0u32..)
        .map(|n| format!("elsewherex{n:08}abcdefghijkl"))
        .find(|o| c.master_for(&format!("PHPREDIS_CLUSTER_SESSION:{o}")) != victim)
        .unwrap();
    let lock_key = format!("{{PHPREDIS_CLUSTER_SESSION:{id}}}_LOCK");
    let settings = locking(Duration::from_secs(30));
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, settings.clone()).unwrap();
    a.read(id).unwrap();
    // The lock reached the replica before the master dies.
    assert_eq!(c.nodes[victim].cli(&["WAIT", "1", "2000"]), "1");
    c.kill(victim);
    assert!(a.write(id, b"n|i:1;", 600).is_err(), "the master is gone");
    let err = a.close().unwrap_err();
    assert!(err.to_string().contains("next request"), "{err}");
    assert!(
        c.wait_healthy(2, Duration::from_secs(20)),
        "cluster healthy after the failover"
    );
    assert_eq!(
        c.nodes[replica].cli(&["EXISTS", &lock_key]),
        "1",
        "the promoted replica kept the lock"
    );
    // This worker's next request (another session) releases it first.
    let mut w = Handler::open(HandlerKind::RedisCluster, &path, settings.clone()).unwrap();
    w.read(&other).unwrap();
    w.close().unwrap();
    assert_eq!(c.nodes[replica].cli(&["EXISTS", &lock_key]), "0");
    let mut b = Handler::open(HandlerKind::RedisCluster, &path, settings).unwrap();
    let started = Instant::now();
    b.read(id).unwrap();
    assert!(started.elapsed() < Duration::from_millis(500));
    b.close().unwrap();
}
