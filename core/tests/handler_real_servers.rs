//! The handler's promises against real servers: data round trip, lock exclusion, fenced
//! writes, lock TTL, release command fallback, cluster key placement, failures.

mod common;

use std::time::{Duration, Instant};

use common::{Server, TestCluster};
use redis_session_core::error::ErrorKind;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::settings::{ReleaseCmd, Settings};

fn locking() -> Settings {
    Settings {
        locking_enabled: true,
        lock_ttl: Duration::from_secs(10),
        lock_wait_time: Duration::from_millis(10),
        lock_retries: Some(5),
        lock_release_cmd: ReleaseCmd::Lua,
        ..Settings::default()
    }
}

fn path(s: &Server) -> String {
    format!("tcp://127.0.0.1:{}?timeout=1&read_timeout=1", s.port)
}

fn cluster_path(c: &TestCluster) -> String {
    format!("{}&timeout=1&read_timeout=1", c.seeds())
}

fn id(n: u32) -> String {
    format!("testsession{n:08}abcdefghijkl")
}

#[test]
fn data_round_trips_with_ttl() {
    let s = Server::start(&[]);
    let mut h = Handler::open(HandlerKind::Redis, &path(&s), Settings::default()).unwrap();
    assert_eq!(h.read(&id(1)).unwrap(), b"");
    h.write(&id(1), b"a|i:1;", 600).unwrap();
    h.close().unwrap();
    assert_eq!(
        s.cli(&["GET", &format!("PHPREDIS_SESSION:{}", id(1))]),
        "a|i:1;"
    );
    let ttl: i64 = s
        .cli(&["TTL", &format!("PHPREDIS_SESSION:{}", id(1))])
        .parse()
        .unwrap();
    assert!((590..=600).contains(&ttl), "{ttl}");
    let mut h = Handler::open(HandlerKind::Redis, &path(&s), Settings::default()).unwrap();
    assert_eq!(h.read(&id(1)).unwrap(), b"a|i:1;");
}

#[test]
fn lock_excludes_a_second_request_and_is_handed_over() {
    let s = Server::start(&[]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(2)).unwrap();
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(2));
    let pttl: i64 = s.cli(&["PTTL", &lock_key]).parse().unwrap();
    assert!(pttl > 9000 && pttl <= 10000, "lock TTL {pttl}");
    let started = Instant::now();
    let err = b.read(&id(2)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LockTimeout);
    // The key is named by its tag, never with the whole session id.
    let key = format!("PHPREDIS_SESSION:{}", id(2));
    assert!(
        err.detail
            .contains(&redis_session_core::keys::key_tag(key.as_bytes())),
        "{}",
        err.detail
    );
    assert!(!err.detail.contains(&id(2)), "{}", err.detail);
    assert!(err.detail.contains("after waiting"), "{}", err.detail);
    assert!(started.elapsed() < Duration::from_millis(500));
    a.write(&id(2), b"n|i:1;", 600).unwrap();
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
    assert_eq!(b.read(&id(2)).unwrap(), b"n|i:1;");
}

#[test]
fn write_is_fenced_when_the_lock_was_lost() {
    let s = Server::start(&[]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(3)).unwrap();
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(3));
    let data_key = format!("PHPREDIS_SESSION:{}", id(3));
    // The lock expired and another request took it and wrote.
    s.cli(&["SET", &lock_key, "someone-else"]);
    s.cli(&["SET", &data_key, "theirs"]);
    let err = a.write(&id(3), b"mine", 600).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LockLost);
    assert!(err.detail.contains("NOT written"), "{}", err.detail);
    assert_eq!(s.cli(&["GET", &data_key]), "theirs");
    assert_eq!(s.cli(&["GET", &lock_key]), "someone-else");
}

#[test]
fn unchanged_session_refreshes_ttl_and_releases() {
    let s = Server::start(&[]);
    let data_key = format!("PHPREDIS_SESSION:{}", id(4));
    s.cli(&["SET", &data_key, "x|i:1;", "EX", "100"]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    assert_eq!(a.read(&id(4)).unwrap(), b"x|i:1;");
    a.update_timestamp(&id(4), 900).unwrap();
    let ttl: i64 = s.cli(&["TTL", &data_key]).parse().unwrap();
    assert!(ttl > 800, "{ttl}");
    assert_eq!(s.cli(&["EXISTS", &format!("{data_key}_LOCK")]), "0");
}

#[test]
fn close_without_write_releases_and_delex_falls_back_to_lua_once() {
    let s = Server::start(&[]);
    let mut settings = locking();
    settings.lock_release_cmd = ReleaseCmd::DelEx;
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(5));
    let mut warnings = Vec::new();
    for _ in 0..2 {
        let mut a = Handler::open(HandlerKind::Redis, &path(&s), settings.clone()).unwrap();
        a.read(&id(5)).unwrap();
        let token = s.cli(&["GET", &lock_key]);
        assert_eq!(token.len(), 32);
        a.close().unwrap();
        assert_eq!(
            s.cli(&["EXISTS", &lock_key]),
            "0",
            "lock released by the Lua fallback"
        );
        for w in a.take_warnings() {
            assert!(!w.contains(&token), "token leaked: {w}");
            warnings.push(w);
        }
    }
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("DELEX"), "{}", warnings[0]);
}

#[test]
fn destroy_removes_data_and_lock() {
    let s = Server::start(&[]);
    let data_key = format!("PHPREDIS_SESSION:{}", id(6));
    s.cli(&["SET", &data_key, "x"]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(6)).unwrap();
    a.destroy(&id(6)).unwrap();
    assert_eq!(
        s.cli(&["EXISTS", &data_key, &format!("{data_key}_LOCK")]),
        "0"
    );
    // Destroying a session that does not exist is not an error.
    a.read(&id(7)).unwrap();
    a.destroy(&id(7)).unwrap();
}

#[test]
fn create_sid_locks_the_new_id_and_skips_ids_in_use() {
    let s = Server::start(&[]);
    let taken = id(8);
    s.cli(&["SET", &format!("PHPREDIS_SESSION:{taken}"), "x"]);
    let mut ids = vec![taken.clone(), id(9)].into_iter();
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    let new = a.create_sid(|| ids.next()).unwrap();
    assert_eq!(new, id(9));
    assert_eq!(
        s.cli(&["EXISTS", &format!("PHPREDIS_SESSION:{}_LOCK", id(9))]),
        "1"
    );
    assert_eq!(
        s.cli(&["EXISTS", &format!("PHPREDIS_SESSION:{taken}_LOCK")]),
        "0"
    );
    assert_eq!(a.read(&new).unwrap(), b"");
    assert!(
        !a.validate_sid(&new).unwrap(),
        "a fresh id has no session yet"
    );
}

#[test]
fn odd_session_ids_are_refused_before_reaching_the_server() {
    let s = Server::start(&[]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), Settings::default()).unwrap();
    for bad in ["", "a b", "../x", "x\r\nFLUSHALL", "{tag}"] {
        let err = a.read(bad).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidId, "{bad:?}");
    }
    assert_eq!(s.cli(&["DBSIZE"]), "0");
}

#[test]
fn a_dead_server_fails_within_the_connect_timeout() {
    let port = common::free_port();
    let p = format!("tcp://127.0.0.1:{port}?timeout=0.5");
    let mut a = Handler::open(HandlerKind::Redis, &p, Settings::default()).unwrap();
    let started = Instant::now();
    let err = a.read(&id(10)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Connect, "{err}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn cluster_keeps_lock_and_data_on_one_node() {
    let c = TestCluster::start();
    let path = cluster_path(&c);
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    for n in 20..30 {
        let sid = id(n);
        a.read(&sid).unwrap();
        let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
        let lock_key = format!("{{{data_key}}}_LOCK");
        let node = c.node_for(data_key.as_bytes());
        assert_eq!(
            node.cli(&["EXISTS", &lock_key]),
            "1",
            "lock on the data's node"
        );
        a.write(&sid, b"v|i:1;", 600).unwrap();
        assert_eq!(node.cli(&["GET", &data_key]), "v|i:1;");
        assert_eq!(node.cli(&["EXISTS", &lock_key]), "0");
    }
}

#[test]
fn cluster_follows_moved_after_a_slot_changes_owner() {
    let c = TestCluster::start();
    let path = cluster_path(&c);
    let sid = id(40);
    let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    a.read(&sid).unwrap();
    a.write(&sid, b"v|i:1;", 600).unwrap();
    drop(a);
    // Move the (empty after DEL) slot to another master with SETSLOT NODE on every node.
    let slot = redis_session_core::slots::key_slot(data_key.as_bytes());
    let from = c.node_for(data_key.as_bytes());
    from.cli(&["DEL", &data_key]);
    let to = c.nodes.iter().find(|n| n.port != from.port).unwrap();
    let to_id = to.cli(&["CLUSTER", "MYID"]);
    for n in &c.nodes {
        n.cli(&["CLUSTER", "SETSLOT", &slot.to_string(), "NODE", &to_id]);
    }
    // The process-wide slot map still points at the old owner: the handler must follow MOVED.
    let mut b = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    assert_eq!(b.read(&sid).unwrap(), b"");
    b.write(&sid, b"w|i:2;", 600).unwrap();
    assert_eq!(to.cli(&["GET", &data_key]), "w|i:2;");
}

#[test]
fn script_flush_costs_one_reload_of_every_script() {
    let s = Server::start(&[]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(50)).unwrap();
    a.write(&id(50), b"x|i:1;", 600).unwrap();
    s.cli(&["SCRIPT", "FLUSH"]);
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    // The uncontended read takes the lock without a script; the write's script is the first
    // one the flushed server misses, and it loads them all.
    assert_eq!(b.read(&id(50)).unwrap(), b"x|i:1;");
    b.write(&id(50), b"x|i:2;", 600).unwrap();
    let shas: Vec<&str> = redis_session_core::scripts::ALL
        .iter()
        .map(|s| s.sha1.as_str())
        .collect();
    let mut args = vec!["SCRIPT", "EXISTS"];
    args.extend(shas.iter());
    let exists = s.cli(&args);
    assert_eq!(
        exists.lines().filter(|l| l.trim() == "1").count(),
        shas.len(),
        "{exists}"
    );
    assert_eq!(
        s.cli(&["GET", &format!("PHPREDIS_SESSION:{}", id(50))]),
        "x|i:2;"
    );
}

#[test]
fn delifeq_releases_on_valkey_and_falls_back_elsewhere() {
    let s = Server::start(&[]);
    let valkey = common::server_bin().contains("valkey");
    let mut settings = locking();
    settings.lock_release_cmd = ReleaseCmd::DelIfEq;
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(60));
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), settings.clone()).unwrap();
    a.read(&id(60)).unwrap();
    // Someone else's lock must survive our release attempt.
    let mut other = Handler::open(HandlerKind::Redis, &path(&s), settings).unwrap();
    assert!(other.read(&id(60)).is_err());
    a.close().unwrap();
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
    let warnings = a.take_warnings();
    if valkey {
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(s.cli(&["INFO", "commandstats"]).contains("cmdstat_delifeq"));
    } else {
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("DELIFEQ") && warnings[0].contains("Valkey 9"));
    }
}

#[test]
fn a_release_wakes_a_blocked_waiter_instead_of_its_poll_timer() {
    let s = Server::start(&[]);
    let mut settings = locking();
    // One long poll interval: without the wake-up B would sleep ~2 s before retrying.
    settings.lock_wait_time = Duration::from_secs(2);
    settings.lock_retries = Some(3);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), settings.clone()).unwrap();
    a.read(&id(70)).unwrap();
    let p = path(&s);
    let b = std::thread::spawn(move || {
        let mut b = Handler::open(HandlerKind::Redis, &p, settings).unwrap();
        let data = b.read(&id(70)).unwrap();
        (data, Instant::now())
    });
    std::thread::sleep(Duration::from_millis(300));
    let waiters_key = format!("PHPREDIS_SESSION:{}_LOCK_WAITERS", id(70));
    assert_eq!(s.cli(&["LLEN", &waiters_key]), "1", "B queued as a waiter");
    a.write(&id(70), b"n|i:7;", 600).unwrap();
    let released = Instant::now();
    let (data, got_it) = b.join().unwrap();
    assert_eq!(data, b"n|i:7;", "B read A's write under the lock");
    assert!(
        got_it.duration_since(released) < Duration::from_millis(500),
        "B was woken by the release, not by its 1 s block timeout"
    );
    assert_eq!(s.cli(&["LLEN", &waiters_key]), "0", "B left the queue");
}

/// Commands the server has run so far (INFO commandstats), of the kinds named by prefix.
fn command_calls(s: &Server, prefixes: &[&str]) -> u64 {
    let info = s.cli(&["INFO", "commandstats"]);
    info.lines()
        .filter(|l| prefixes.iter().any(|p| l.starts_with(p)))
        .filter_map(|l| {
            l.split("calls=")
                .nth(1)?
                .split(',')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// Starts a thread whose handler waits for session `n` (blocked on the wake list by the time
/// this returns); it reports the data it read and when it got the lock.
fn blocked_waiter(
    s: &Server,
    settings: Settings,
    n: u32,
) -> std::thread::JoinHandle<(Handler, Vec<u8>, Instant)> {
    let p = path(s);
    let waiters_key = format!("PHPREDIS_SESSION:{}_LOCK_WAITERS", id(n));
    let before: usize = s.cli(&["LLEN", &waiters_key]).parse().unwrap();
    let t = std::thread::spawn(move || {
        let mut b = Handler::open(HandlerKind::Redis, &p, settings).unwrap();
        let data = b.read(&id(n)).unwrap();
        (b, data, Instant::now())
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.cli(&["LLEN", &waiters_key]).parse::<usize>().unwrap() == before {
        assert!(Instant::now() < deadline, "the waiter never queued");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50)); // from queued to blocked in BLPOP
    t
}

fn slow_poll() -> Settings {
    // One long poll interval: without a wake-up a waiter would block 1 s before looking again.
    let mut settings = locking();
    settings.lock_wait_time = Duration::from_secs(2);
    settings.lock_retries = Some(3);
    settings
}

#[test]
fn a_release_hands_the_lock_and_the_data_to_the_waiter_in_one_message() {
    let s = Server::start(&[]);
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(71));
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), slow_poll()).unwrap();
    a.read(&id(71)).unwrap();
    let b = blocked_waiter(&s, slow_poll(), 71);
    let scripts_run = |s: &Server| command_calls(s, &["cmdstat_evalsha:"]);
    let a_token = s.cli(&["GET", &lock_key]);
    let before = scripts_run(&s);
    a.write(&id(71), b"n|i:1;", 600).unwrap();
    let (mut b, data, _) = b.join().unwrap();
    // A's release handed over the lock with the data; B's only command after its BLPOP was
    // answered is the confirmation (one EVALSHA), no read of its own.
    assert_eq!(scripts_run(&s), before + 2, "A's write, B's confirm");
    assert_eq!(data, b"n|i:1;", "the data came with the hand-off");
    let b_token = s.cli(&["GET", &lock_key]);
    assert_eq!(b_token.len(), 40, "a hand-off token: {b_token}");
    assert_ne!(b_token, a_token);
    assert!(
        s.cli(&["PTTL", &lock_key]).parse::<i64>().unwrap() > 9000,
        "the next holder gets a full lock TTL"
    );
    assert_eq!(
        s.cli(&["EXISTS", &format!("{lock_key}_WAKE")]),
        "0",
        "the message was consumed"
    );
    // B's fenced write works with the handed-over token, and frees the lock (no one waits).
    b.write(&id(71), b"n|i:2;", 600).unwrap();
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
    assert_eq!(
        s.cli(&["GET", &format!("PHPREDIS_SESSION:{}", id(71))]),
        "n|i:2;"
    );
}

#[test]
fn every_release_kind_hands_over_in_arrival_order() {
    let s = Server::start(&[]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), slow_poll()).unwrap();
    s.cli(&["SET", &format!("PHPREDIS_SESSION:{}", id(72)), "v|i:0;"]);
    a.read(&id(72)).unwrap();
    let b = blocked_waiter(&s, slow_poll(), 72);
    let c = blocked_waiter(&s, slow_poll(), 72);
    let d = blocked_waiter(&s, slow_poll(), 72);
    // touch (lazy_write) -> B, close without write -> C, destroy -> D.
    let t0 = Instant::now();
    a.update_timestamp(&id(72), 600).unwrap();
    let (mut b, data_b, at_b) = b.join().unwrap();
    assert_eq!(data_b, b"v|i:0;");
    b.close().unwrap();
    let (mut c, data_c, at_c) = c.join().unwrap();
    assert_eq!(data_c, b"v|i:0;");
    c.destroy(&id(72)).unwrap();
    let (mut d, data_d, at_d) = d.join().unwrap();
    assert_eq!(data_d, b"", "D was handed the lock of a destroyed session");
    assert!(at_b < at_c && at_c < at_d, "served in arrival order");
    assert!(
        at_d.duration_since(t0) < Duration::from_millis(1500),
        "every waiter was handed the lock, none slept out its 2 s poll"
    );
    d.write(&id(72), b"v|i:9;", 600).unwrap();
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(72));
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
    assert_eq!(s.cli(&["EXISTS", &format!("{lock_key}_WAITERS")]), "0");
    assert_eq!(s.cli(&["EXISTS", &format!("{lock_key}_WAKE")]), "0");
}

#[test]
fn a_hand_off_to_a_waiter_that_is_gone_is_taken_by_the_next_request() {
    let s = Server::start(&[]);
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(73));
    let waiters = format!("{lock_key}_WAITERS");
    let wake = format!("{lock_key}_WAKE");
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(73)).unwrap();
    // A waiter that queued and then died: its token stays queued until the queue expires.
    s.cli(&["RPUSH", &waiters, "deadbeefdeadbeefdeadbeefdeadbeef"]);
    s.cli(&["PEXPIRE", &waiters, "30000"]);
    a.write(&id(73), b"x|i:1;", 600).unwrap();
    assert_eq!(s.cli(&["GET", &lock_key]).len(), 40, "handed over");
    assert_eq!(s.cli(&["LLEN", &wake]), "1");
    // The next requests do not wait out the 10 s lock TTL: each pops the message left for
    // the dead waiter at once.
    for n in 2..4 {
        let mut c = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
        let started = Instant::now();
        assert_eq!(
            c.read(&id(73)).unwrap(),
            format!("x|i:{};", n - 1).as_bytes()
        );
        assert!(started.elapsed() < Duration::from_millis(300));
        assert_eq!(s.cli(&["EXISTS", &wake]), "0", "message consumed");
        c.write(&id(73), format!("x|i:{n};").as_bytes(), 600)
            .unwrap();
        assert_eq!(
            s.cli(&["LLEN", &waiters]),
            "1",
            "only the dead token is left"
        );
    }
    // Once the dead token is gone (its queue expired), a release frees the lock again.
    s.cli(&["DEL", &waiters]);
    let mut d = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    assert_eq!(d.read(&id(73)).unwrap(), b"x|i:3;");
    d.write(&id(73), b"x|i:4;", 600).unwrap();
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
    assert_eq!(s.cli(&["EXISTS", &waiters]), "0");
    // A message left over from a lock that has since expired is never mistaken for a
    // hand-off: a fresh acquire takes the free lock with its own token (without touching the
    // wake list), and a waiter that pops the stale message does not get the lock from it.
    let stale = format!("{}1old", "ab".repeat(20));
    s.cli(&["RPUSH", &wake, &stale]);
    assert_eq!(d.read(&id(73)).unwrap(), b"x|i:4;");
    assert_eq!(
        s.cli(&["GET", &lock_key]).len(),
        32,
        "a fresh lock, our own token"
    );
    let p = path(&s);
    let late = std::thread::spawn(move || {
        let mut e = Handler::open(HandlerKind::Redis, &p, slow_poll()).unwrap();
        let data = e.read(&id(73)).unwrap();
        e.write(&id(73), b"x|i:6;", 600).unwrap();
        data
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(s.cli(&["EXISTS", &wake]), "0", "the waiter popped it");
    assert_eq!(s.cli(&["GET", &lock_key]).len(), 32, "still d's lock");
    d.write(&id(73), b"x|i:5;", 600).unwrap();
    assert_eq!(late.join().unwrap(), b"x|i:5;", "handed d's write");
    assert_eq!(
        s.cli(&["GET", &format!("PHPREDIS_SESSION:{}", id(73))]),
        "x|i:6;"
    );
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
}

#[test]
fn a_waiter_that_gives_up_leaves_the_queue() {
    let s = Server::start(&[]);
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(74));
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(74)).unwrap();
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    assert_eq!(b.read(&id(74)).unwrap_err().kind, ErrorKind::LockTimeout);
    assert_eq!(s.cli(&["LLEN", &format!("{lock_key}_WAITERS")]), "0");
    a.close().unwrap();
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0", "freed, not handed to B");
}

/// A server with DELIFEQ (Valkey 9; this test binary also runs on it), or None (and a
/// "skipped" line) elsewhere: there the fallback is the Lua release, which the other tests
/// cover.
fn delifeq_server() -> Option<Server> {
    if !common::server_bin().contains("valkey") {
        eprintln!("skipped on this server: no DELIFEQ");
        return None;
    }
    Some(Server::start(&[]))
}

#[test]
fn a_native_release_wakes_a_blocked_waiter() {
    // Only where DELIFEQ exists: flipping the process-wide fallback flag elsewhere would
    // steal the one warning another test expects.
    let Some(s) = delifeq_server() else {
        return;
    };
    let mut settings = slow_poll();
    settings.lock_release_cmd = ReleaseCmd::DelIfEq;
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), settings.clone()).unwrap();
    s.cli(&["SET", &format!("PHPREDIS_SESSION:{}", id(75)), "k|i:3;"]);
    a.read(&id(75)).unwrap();
    let b = blocked_waiter(&s, settings, 75);
    let released = Instant::now();
    a.close().unwrap(); // read_and_close / session_abort: no write
    let (mut b, data, got_it) = b.join().unwrap();
    assert_eq!(data, b"k|i:3;");
    assert!(
        got_it.duration_since(released) < Duration::from_millis(500),
        "woken by the release, not by its 1 s block timeout"
    );
    b.close().unwrap();
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(75));
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
}

#[test]
fn a_server_restart_does_not_fail_the_next_request() {
    let s = Server::start(&[]);
    let p = path(&s);
    let mut a = Handler::open(HandlerKind::Redis, &p, locking()).unwrap();
    a.read(&id(80)).unwrap();
    a.write(&id(80), b"a|i:1;", 600).unwrap();
    drop(a); // its connection goes back to the per-process pool
    let s = s.restart();
    let mut b = Handler::open(HandlerKind::Redis, &p, locking()).unwrap();
    assert_eq!(
        b.read(&id(80)).unwrap(),
        b"",
        "new server, empty session, no error"
    );
    b.write(&id(80), b"b|i:2;", 600).unwrap();
    assert_eq!(
        s.cli(&["GET", &format!("PHPREDIS_SESSION:{}", id(80))]),
        "b|i:2;"
    );
}

#[test]
fn cluster_skips_a_dead_seed_and_fails_fast_when_all_are_dead() {
    let c = TestCluster::start();
    let dead = common::free_port();
    let path = format!(
        "seed[]=127.0.0.1:{dead}&{}&timeout=0.5&read_timeout=0.5",
        c.seeds()
    );
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    a.read(&id(90)).unwrap();
    a.write(&id(90), b"s|i:1;", 600).unwrap();

    let dead2 = common::free_port();
    let all_dead = format!("seed[]=127.0.0.1:{dead}&seed[]=127.0.0.1:{dead2}&timeout=0.5");
    let mut b = Handler::open(HandlerKind::RedisCluster, &all_dead, locking()).unwrap();
    let started = Instant::now();
    let err = b.read(&id(91)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Connect, "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// Puts `slot` in the middle of a move from `from` to `to` (IMPORTING / MIGRATING).
fn start_migration(from: &Server, to: &Server, slot: &str) -> String {
    let (from_id, to_id) = (from.cli(&["CLUSTER", "MYID"]), to.cli(&["CLUSTER", "MYID"]));
    assert_eq!(
        to.cli(&["CLUSTER", "SETSLOT", slot, "IMPORTING", &from_id]),
        "OK"
    );
    assert_eq!(
        from.cli(&["CLUSTER", "SETSLOT", slot, "MIGRATING", &to_id]),
        "OK"
    );
    to_id
}

fn finish_migration(c: &TestCluster, slot: &str, to_id: &str) {
    for n in &c.nodes {
        n.cli(&["CLUSTER", "SETSLOT", slot, "NODE", to_id]);
    }
}

#[test]
fn cluster_follows_ask_while_a_slot_is_migrating() {
    let c = TestCluster::start();
    let path = cluster_path(&c);
    let sid = id(95);
    let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
    let slot = redis_session_core::slots::key_slot(data_key.as_bytes()).to_string();
    let from = c.node_for(data_key.as_bytes());
    let to = c.nodes.iter().find(|n| n.port != from.port).unwrap();
    let to_id = start_migration(from, to, &slot);
    // Without locking every command has one key; the source answers ASK for a key it does
    // not have, and the importing node serves it after ASKING.
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, Settings::default()).unwrap();
    assert_eq!(a.read(&sid).unwrap(), b"");
    a.write(&sid, b"m|i:1;", 600).unwrap();
    finish_migration(&c, &slot, &to_id);
    assert_eq!(
        to.cli(&["GET", &data_key]),
        "m|i:1;",
        "written on the importing node"
    );
    let mut b = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    assert_eq!(b.read(&sid).unwrap(), b"m|i:1;");
    b.close().unwrap();
}

#[test]
fn cluster_locking_waits_out_a_slot_migration() {
    let c = TestCluster::start();
    let path = format!("{}&timeout=1&read_timeout=2", c.seeds());
    let sid = id(96);
    let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
    let slot = redis_session_core::slots::key_slot(data_key.as_bytes()).to_string();
    let from = c.node_for(data_key.as_bytes());
    let to = c.nodes.iter().find(|n| n.port != from.port).unwrap();
    let to_id = start_migration(from, to, &slot);
    // A multi-key script on a migrating slot gets TRYAGAIN until the move ends; the handler
    // keeps trying (within read_timeout) and succeeds once it has.
    let (slot2, to_id2) = (slot.clone(), to_id.clone());
    let ports: Vec<u16> = c.nodes.iter().map(|n| n.port).collect();
    let finisher = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        for p in ports {
            std::process::Command::new("redis-cli")
                .args([
                    "-p",
                    &p.to_string(),
                    "CLUSTER",
                    "SETSLOT",
                    &slot2,
                    "NODE",
                    &to_id2,
                ])
                .output()
                .unwrap();
        }
    });
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    assert_eq!(a.read(&sid).unwrap(), b"");
    a.write(&sid, b"w|i:1;", 600).unwrap();
    finisher.join().unwrap();
    assert_eq!(to.cli(&["GET", &data_key]), "w|i:1;");
}

#[test]
fn strict_mode_validate_sid_waits_out_a_slot_migration() {
    // Found by the torture checker (seed 852511386, valkey9): with use_strict_mode PHP calls
    // validate_sid before read, and its one lock attempt failed when the session's slot was
    // being migrated for longer than read_timeout; read() then failed with that error.
    let c = TestCluster::start();
    let path = format!("{}&timeout=1&read_timeout=0.3", c.seeds());
    let sid = id(97);
    let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
    let slot = redis_session_core::slots::key_slot(data_key.as_bytes()).to_string();
    let from = c.node_for(data_key.as_bytes());
    let to = c.nodes.iter().find(|n| n.port != from.port).unwrap();
    let to_id = start_migration(from, to, &slot);
    let (slot2, to_id2) = (slot.clone(), to_id.clone());
    let ports: Vec<u16> = c.nodes.iter().map(|n| n.port).collect();
    let finisher = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        for p in ports {
            std::process::Command::new("redis-cli")
                .args([
                    "-p",
                    &p.to_string(),
                    "CLUSTER",
                    "SETSLOT",
                    &slot2,
                    "NODE",
                    &to_id2,
                ])
                .output()
                .unwrap();
        }
    });
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    assert!(!a.validate_sid(&sid).unwrap(), "a new id");
    assert_eq!(a.read(&sid).unwrap(), b"");
    a.write(&sid, b"v|i:1;", 600).unwrap();
    finisher.join().unwrap();
    assert_eq!(to.cli(&["GET", &data_key]), "v|i:1;");
}

#[test]
fn tls_verifies_the_server_and_supports_client_certificates() {
    let dir = std::env::temp_dir().join(format!("rs-tls-{}", std::process::id()));
    let d = common::tls_material(&dir);
    let tls_port = common::free_port().to_string();
    let s = Server::start_debian(&[
        "--tls-port",
        &tls_port,
        "--tls-cert-file",
        &format!("{d}/server.crt"),
        "--tls-key-file",
        &format!("{d}/server.key"),
        "--tls-ca-cert-file",
        &format!("{d}/ca.crt"),
        "--tls-auth-clients",
        "optional",
    ]);
    let tls = |q: &str| format!("tls://127.0.0.1:{tls_port}?timeout=2&{q}");
    // Verified against our CA.
    let mut a = Handler::open(
        HandlerKind::Redis,
        &tls(&format!("stream[cafile]={d}/ca.crt")),
        locking(),
    )
    .unwrap();
    assert_eq!(a.read(&id(100)).unwrap(), b"");
    a.write(&id(100), b"t|i:1;", 600).unwrap();
    assert_eq!(
        s.cli(&["GET", &format!("PHPREDIS_SESSION:{}", id(100))]),
        "t|i:1;"
    );
    // Mutual TLS with a client certificate.
    let q = format!("stream[cafile]={d}/ca.crt&stream[local_cert]={d}/client.crt&stream[local_pk]={d}/client.key");
    let mut b = Handler::open(HandlerKind::Redis, &tls(&q), Settings::default()).unwrap();
    assert_eq!(b.read(&id(100)).unwrap(), b"t|i:1;");
    // Peer verification is on by default: a server signed by an unknown CA is refused.
    let mut c = Handler::open(
        HandlerKind::Redis,
        &tls(&format!("stream[cafile]={d}/other.crt")),
        Settings::default(),
    )
    .unwrap();
    let err = c.read(&id(100)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Connect, "{err}");
    assert!(err.to_string().contains(&tls_port), "{err}");
    assert!(
        err.to_string()
            .contains("TLS handshake failed: invalid peer certificate"),
        "{err}"
    );
    // Explicitly turned off, it connects.
    let mut e = Handler::open(
        HandlerKind::Redis,
        &tls("stream[verify_peer]=0"),
        Settings::default(),
    )
    .unwrap();
    assert_eq!(e.read(&id(100)).unwrap(), b"t|i:1;");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A session larger than the Lua limit, with a recognisable head and tail.
fn large(n: usize, tag: u8) -> Vec<u8> {
    let mut v = format!("big|s:{n}:\"").into_bytes();
    v.extend((0..n).map(|i| b'a' + ((i * 7 + tag as usize) % 26) as u8));
    v.extend_from_slice(b"\";");
    v
}

#[test]
fn large_sessions_stay_out_of_lua_and_keep_every_lock_promise() {
    let s = Server::start(&[]);
    let data_key = format!("PHPREDIS_SESSION:{}", id(90));
    let lock_key = format!("{data_key}_LOCK");
    let one = large(100_000, 1);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), slow_poll()).unwrap();
    assert_eq!(a.read(&id(90)).unwrap(), b"");
    a.write(&id(90), &one, 600).unwrap();
    assert_eq!(s.cli(&["STRLEN", &data_key]), one.len().to_string());
    let ttl: i64 = s.cli(&["TTL", &data_key]).parse().unwrap();
    assert!((590..=600).contains(&ttl), "{ttl}");
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0", "released");
    assert_eq!(s.cli(&["EXISTS", &format!("{lock_key}_NEW")]), "0");
    // Read under the lock (the script says "large", a GET follows), then hand it over to a
    // blocked waiter with a large write: the message says "read it", the waiter GETs it.
    assert_eq!(a.read(&id(90)).unwrap(), one);
    let b = blocked_waiter(&s, slow_poll(), 90);
    let two = large(200_000, 2);
    let released = Instant::now();
    a.write(&id(90), &two, 600).unwrap();
    let (mut b, data, got_it) = b.join().unwrap();
    assert_eq!(data, two);
    assert!(got_it.duration_since(released) < Duration::from_millis(500));
    // Same with a lazy_write touch of a large session: handed over as "read it".
    let c = blocked_waiter(&s, slow_poll(), 90);
    b.update_timestamp(&id(90), 600).unwrap();
    let (mut c, data, _) = c.join().unwrap();
    assert_eq!(data, two);
    // Fenced: a large write whose lock was lost stores nothing and leaves no staging key.
    s.cli(&["SET", &lock_key, "someone-else", "PX", "10000"]);
    let err = c.write(&id(90), &large(50_000, 3), 600).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LockLost);
    assert_eq!(s.cli(&["STRLEN", &data_key]), two.len().to_string());
    assert_eq!(s.cli(&["EXISTS", &format!("{lock_key}_NEW")]), "0");
    assert_eq!(s.cli(&["GET", &lock_key]), "someone-else");
}

#[test]
fn cluster_large_sessions_stage_on_the_data_slot() {
    let c = TestCluster::start();
    let path = cluster_path(&c);
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    for n in 91..95 {
        let sid = id(n);
        let v = large(60_000 + n as usize, n as u8);
        a.read(&sid).unwrap();
        a.write(&sid, &v, 600).unwrap();
        let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
        let node = c.node_for(data_key.as_bytes());
        assert_eq!(node.cli(&["STRLEN", &data_key]), v.len().to_string());
        assert_eq!(node.cli(&["EXISTS", &format!("{{{data_key}}}_LOCK")]), "0");
        assert_eq!(a.read(&sid).unwrap(), v);
        a.close().unwrap();
    }
}

#[test]
fn read_and_close_reads_a_free_session_without_taking_its_lock() {
    let s = Server::start(&[]);
    let data_key = format!("PHPREDIS_SESSION:{}", id(95));
    let lock_key = format!("{data_key}_LOCK");
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), slow_poll()).unwrap();
    a.read(&id(95)).unwrap();
    a.write(&id(95), b"r|i:1;", 600).unwrap();
    let calls = |s: &Server| {
        command_calls(
            s,
            &[
                "cmdstat_evalsha:",
                "cmdstat_set:",
                "cmdstat_exec:",
                "cmdstat_del",
            ],
        )
    };
    // Free: one transaction that only looks at the lock and reads; nothing to release.
    let mut r = Handler::open(HandlerKind::Redis, &path(&s), slow_poll()).unwrap();
    r.set_read_and_close(true);
    let before = calls(&s);
    assert_eq!(r.read(&id(95)).unwrap(), b"r|i:1;");
    r.close().unwrap();
    assert_eq!(
        calls(&s),
        before + 1,
        "one EXEC, no script, no SET, no release"
    );
    assert_eq!(
        s.cli(&["EXISTS", &lock_key]),
        "0",
        "the lock was never taken"
    );
    // A large session is read with a GET after the script.
    let big = large(40_000, 5);
    a.read(&id(95)).unwrap();
    a.write(&id(95), &big, 600).unwrap();
    let mut r = Handler::open(HandlerKind::Redis, &path(&s), slow_poll()).unwrap();
    r.set_read_and_close(true);
    assert_eq!(r.read(&id(95)).unwrap(), big);
    r.close().unwrap();
    // Locked by another request: read_and_close still waits for it (it sees that request's
    // write), is handed the lock, and hands it on when it closes.
    a.read(&id(95)).unwrap();
    let p = path(&s);
    let waiter = std::thread::spawn(move || {
        let mut r = Handler::open(HandlerKind::Redis, &p, slow_poll()).unwrap();
        r.set_read_and_close(true);
        let data = r.read(&id(95)).unwrap();
        r.close().unwrap();
        data
    });
    std::thread::sleep(Duration::from_millis(300));
    a.write(&id(95), b"r|i:2;", 600).unwrap();
    assert_eq!(waiter.join().unwrap(), b"r|i:2;");
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0", "released at close");
    assert_eq!(s.cli(&["EXISTS", &format!("{lock_key}_WAITERS")]), "0");
    // A waiter that finds the lock free on a later attempt (the holder's lock expired) leaves
    // the queue without taking the lock.
    s.cli(&["SET", &lock_key, "crashed-holder", "PX", "400"]);
    let mut r = Handler::open(HandlerKind::Redis, &path(&s), slow_poll()).unwrap();
    r.set_read_and_close(true);
    assert_eq!(r.read(&id(95)).unwrap(), b"r|i:2;");
    assert_eq!(s.cli(&["EXISTS", &lock_key]), "0");
    assert_eq!(s.cli(&["EXISTS", &format!("{lock_key}_WAITERS")]), "0");
    r.close().unwrap();
}

#[test]
fn a_hand_off_popped_by_a_waiter_that_died_frees_within_the_claim_window() {
    let s = Server::start(&[]);
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(80));
    let wake = format!("{lock_key}_WAKE");
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(80)).unwrap();
    // A waiter queued, its BLPOP took the hand-off message, and then it died (or its reply
    // arrived after its read timeout): nobody will ever use the handed-over token.
    s.cli(&["RPUSH", &format!("{lock_key}_WAITERS"), &"d".repeat(32)]);
    a.write(&id(80), b"x|i:1;", 600).unwrap();
    assert!(s.cli(&["LPOP", &wake]).len() > 40, "the message, popped");
    let pttl: u64 = s.cli(&["PTTL", &lock_key]).parse().unwrap();
    assert!(
        pttl <= redis_session_core::scripts::HANDOFF_CLAIM_MS,
        "an unconfirmed hand-off holds the lock for the claim window only ({pttl} ms)"
    );
    // The next request gets the session once the claim window is over, not after the 10 s
    // lock TTL.
    let mut settings = locking();
    settings.lock_wait_time = Duration::from_millis(100);
    settings.lock_retries = Some(50); // 5 s budget
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), settings).unwrap();
    let started = Instant::now();
    assert_eq!(b.read(&id(80)).unwrap(), b"x|i:1;");
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_millis(redis_session_core::scripts::HANDOFF_CLAIM_MS + 1300),
        "waited {waited:?}"
    );
    b.close().unwrap();
}

#[test]
fn a_stale_hand_off_message_is_never_taken_for_the_lock() {
    let s = Server::start(&[]);
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(81));
    // Someone holds the lock with their own token; a message for a hand-off token that is
    // not the lock's value sits on the wake list (left from a lock that expired).
    s.cli(&["SET", &lock_key, &"c".repeat(32), "PX", "600"]);
    s.cli(&[
        "RPUSH",
        &format!("{lock_key}_WAKE"),
        &format!("{}1stale", "ab".repeat(20)),
    ]);
    let mut settings = locking();
    settings.lock_wait_time = Duration::from_millis(100);
    settings.lock_retries = Some(30);
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), settings).unwrap();
    let got = b.read(&id(81)).unwrap();
    assert_eq!(
        got, b"",
        "read after the holder's lock expired, not the stale message's data"
    );
    assert_eq!(s.cli(&["GET", &lock_key]).len(), 32, "our own fresh lock");
    b.close().unwrap();
}

#[test]
fn a_native_release_that_deleted_nothing_leaves_queue_and_wake_list_alone() {
    let Some(s) = delifeq_server() else {
        return;
    };
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(82));
    let waiters = format!("{lock_key}_WAITERS");
    let wake = format!("{lock_key}_WAKE");
    let mut settings = locking();
    settings.lock_release_cmd = ReleaseCmd::DelIfEq;
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), settings).unwrap();
    a.read(&id(82)).unwrap();
    // Our lock expired and another request holds it now, with two waiters queued.
    s.cli(&["SET", &lock_key, &"c".repeat(32), "PX", "10000"]);
    s.cli(&["RPUSH", &waiters, &"1".repeat(32), &"2".repeat(32)]);
    s.cli(&["PEXPIRE", &waiters, "20000"]);
    a.close().unwrap();
    assert_eq!(
        s.cli(&["GET", &lock_key]),
        "c".repeat(32),
        "their lock stays"
    );
    assert_eq!(
        s.cli(&["LLEN", &waiters]),
        "2",
        "no waiter pulled out of the queue"
    );
    assert_eq!(
        s.cli(&["EXISTS", &wake]),
        "0",
        "nothing pushed, no TTL re-armed"
    );
    let ttl: i64 = s.cli(&["PTTL", &waiters]).parse().unwrap();
    assert!(ttl > 15000, "queue TTL untouched: {ttl}");
}

#[test]
fn a_native_release_hands_over_to_several_waiters_in_arrival_order() {
    let Some(s) = delifeq_server() else {
        return;
    };
    let mut settings = slow_poll();
    settings.lock_release_cmd = ReleaseCmd::DelIfEq;
    s.cli(&["SET", &format!("PHPREDIS_SESSION:{}", id(83)), "v|i:0;"]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), settings.clone()).unwrap();
    a.read(&id(83)).unwrap();
    let waiters: Vec<_> = (0..3)
        .map(|_| blocked_waiter(&s, settings.clone(), 83))
        .collect();
    let released = Instant::now();
    a.close().unwrap(); // no write: the native release
    let mut order = Vec::new();
    for (i, w) in waiters.into_iter().enumerate() {
        let (mut h, data, got) = w.join().unwrap();
        assert_eq!(data, b"v|i:0;", "waiter {i}");
        order.push(got.duration_since(released));
        h.close().unwrap(); // the native release again
    }
    // Each waiter got the lock right after its predecessor's release (never its 1 s block).
    for w in order.windows(2) {
        assert!(w[0] <= w[1], "arrival order: {order:?}");
    }
    assert!(order[0] < Duration::from_millis(500), "{order:?}");
}

#[test]
fn destroy_after_the_lock_was_lost_deletes_nothing() {
    let s = Server::start(&[]);
    let data_key = format!("PHPREDIS_SESSION:{}", id(84));
    let lock_key = format!("{data_key}_LOCK");
    s.cli(&["SET", &data_key, "n|i:1;"]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(84)).unwrap();
    // A's lock expired; B took the session and wrote to it.
    s.cli(&["SET", &lock_key, &"b".repeat(32), "PX", "10000"]);
    s.cli(&["SET", &data_key, "n|i:2;"]);
    let err = a.destroy(&id(84)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LockLost);
    assert_eq!(s.cli(&["GET", &data_key]), "n|i:2;", "B's write survives");
    assert_eq!(
        s.cli(&["GET", &lock_key]),
        "b".repeat(32),
        "B's lock survives"
    );
}

#[test]
fn a_release_hands_the_lock_on_even_when_the_data_cannot_be_read() {
    // torture seed 325376481: reads of session data refused (an ACL that allows GET on lock
    // keys only) while a holder released with a waiter queued: the hand-off's read of the
    // data failed inside the release script, so nothing was released and the lock stayed
    // with the holder that had gone, for its whole TTL.
    let s = Server::start(&[]);
    let lock_key = format!("PHPREDIS_SESSION:{}_LOCK", id(97));
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(97)).unwrap();
    a.write(&id(97), b"q|i:1;", 600).unwrap();
    a.read(&id(97)).unwrap();
    let p = path(&s);
    let waiters_key = format!("{lock_key}_WAITERS");
    let waiter = std::thread::spawn(move || {
        let mut b = Handler::open(HandlerKind::Redis, &p, slow_poll()).unwrap();
        let r = b.read(&id(97)).map_err(|e| e.detail);
        b.close().ok();
        r
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.cli(&["LLEN", &waiters_key]) != "1" {
        assert!(Instant::now() < deadline, "the waiter never queued");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    if !s
        .cli(&["ACL", "SETUSER", "default", "-get", "(+get ~*_LOCK)"])
        .contains("OK")
    {
        eprintln!("skipped: this server has no ACL selectors (Redis 7+)");
        s.cli(&["ACL", "SETUSER", "default", "+get"]);
        a.close().unwrap();
        waiter.join().unwrap().ok();
        return;
    }
    let _ = a.close();
    let got = waiter.join().unwrap();
    s.cli(&["ACL", "SETUSER", "default", "resetkeys", "~*", "+@all"]);
    assert!(
        got.is_err(),
        "the waiter cannot read the session either: {got:?}"
    );
    assert_eq!(
        s.cli(&["EXISTS", &lock_key]),
        "0",
        "the lock was handed on and freed, not left to its TTL"
    );
}

#[test]
fn an_acquire_whose_read_is_refused_leaves_no_lock_even_with_waiters() {
    // Found by the torture checker (seed 130665833, valkey9): an ACL let the acquire script
    // take the lock but refused the GET of the data; the release meant to undo it read the
    // data for the waiter's hand-off, was refused too, and the lock stayed for its whole TTL.
    let s = Server::start(&[]);
    let key = format!("PHPREDIS_SESSION:{}", id(75));
    let lock_key = format!("{key}_LOCK");
    let waiters = format!("{lock_key}_WAITERS");
    s.cli(&["SET", &key, "a|i:1;"]);
    // A waiter queued on the session (a live request blocked on it leaves its token there).
    s.cli(&["RPUSH", &waiters, "deadbeefdeadbeefdeadbeefdeadbeef"]);
    s.cli(&["PEXPIRE", &waiters, "30000"]);
    // GET allowed on lock keys only (ACL selectors: Redis 7+ / Valkey; older servers skip).
    let acl = s.cli(&["ACL", "SETUSER", "default", "-get", "(+get ~*_LOCK)"]);
    if acl != "OK" {
        eprintln!("skipped: no ACL selectors on this server ({acl})");
        return;
    }
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    let err = a.read(&id(75)).unwrap_err();
    s.cli(&["ACL", "SETUSER", "default", "clearselectors", "+get"]);
    assert_eq!(err.kind, ErrorKind::Server, "{err}");
    assert_eq!(
        s.cli(&["EXISTS", &lock_key]),
        "0",
        "the failed acquire left the lock behind (TTL {} ms)",
        s.cli(&["PTTL", &lock_key])
    );
    assert_eq!(s.cli(&["GET", &key]), "a|i:1;", "data untouched");
    // The next request gets the session at once.
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    let started = Instant::now();
    assert_eq!(b.read(&id(75)).unwrap(), b"a|i:1;");
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[test]
fn the_permission_to_run_scripts_is_asked_once_per_connection_and_again_after_noperm() {
    // The acquire transaction asks SCRIPT EXISTS (the ACL category of the release's EVALSHA) so
    // that a user who may not run scripts is refused before the lock is taken. A pooled
    // connection learns that answer once (issue 14: it cost every session_start ~6k client
    // instructions and server time); a NOPERM makes it ask again.
    let s = Server::start(&[]);
    for n in 0..3 {
        let mut h = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
        h.read(&id(120 + n)).unwrap();
        h.write(&id(120 + n), b"a|i:1;", 600).unwrap();
        h.close().unwrap();
    }
    match common::script_exists_calls(|a| s.cli(a)) {
        Some(n) => assert_eq!(n, 1, "asked once for three requests"),
        None => eprintln!("SCRIPT EXISTS not counted apart on this server: count not checked"),
    }
    if s.cli(&["ACL", "SETUSER", "default", "-@scripting"]) != "OK" {
        eprintln!("skipped: no ACL on this server");
        return;
    }
    // The request that meets the refusal first (at its fenced write) ...
    let mut h = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    let _ = h.read(&id(130));
    let err = h.write(&id(130), b"a|i:2;", 600).unwrap_err();
    assert!(err.detail.contains("NOPERM"), "{err}");
    let _ = h.close();
    drop(h);
    // ... makes the next one on that connection ask again: refused before its lock is taken.
    let mut h = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    let err = h.read(&id(131)).unwrap_err();
    let lock = s.cli(&["EXISTS", &format!("PHPREDIS_SESSION:{}_LOCK", id(131))]);
    s.cli(&["ACL", "SETUSER", "default", "+@all"]);
    assert!(err.detail.contains("NOPERM"), "{err}");
    // (Without asking, its SET NX and GET are allowed: it would have taken the lock.)
    assert_eq!(lock, "0", "no lock taken by the refused request");
}

#[test]
fn a_connection_killed_between_two_calls_does_not_fail_the_next_read() {
    // Found by the torture checker (seed 130665833, redis7): session_reset()'s read, on a
    // connection a CLIENT KILL had closed after session_start() used it, failed.
    let s = Server::start(&[]);
    for settings in [locking(), Settings::default()] {
        let mut a = Handler::open(HandlerKind::Redis, &path(&s), settings).unwrap();
        s.cli(&["SET", &format!("PHPREDIS_SESSION:{}", id(76)), "a|i:1;"]);
        assert_eq!(a.read(&id(76)).unwrap(), b"a|i:1;");
        s.cli(&["CLIENT", "KILL", "TYPE", "normal"]);
        // session_reset(): the same session read again in the same request.
        assert_eq!(a.read(&id(76)).unwrap(), b"a|i:1;");
        a.close().unwrap();
    }
    // Without locking, the closing write and the TTL refresh likewise.
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), Settings::default()).unwrap();
    a.read(&id(76)).unwrap();
    s.cli(&["CLIENT", "KILL", "TYPE", "normal"]);
    a.write(&id(76), b"a|i:2;", 600).unwrap();
    s.cli(&["CLIENT", "KILL", "TYPE", "normal"]);
    a.update_timestamp(&id(76), 900).unwrap();
    assert_eq!(
        s.cli(&["GET", &format!("PHPREDIS_SESSION:{}", id(76))]),
        "a|i:2;"
    );
    let ttl: i64 = s
        .cli(&["TTL", &format!("PHPREDIS_SESSION:{}", id(76))])
        .parse()
        .unwrap();
    assert!(ttl > 600, "{ttl}");
}

#[test]
fn a_lost_reply_is_never_taken_for_success_once_the_lock_may_have_expired() {
    // Found by the torture checker (seed 130665833, valkey9): a request that slept past its
    // lock TTL had its connection killed; its destroy's retry found the lock gone and the data
    // gone (the next holder had destroyed the session) and took that for its own destroy
    // having landed: session_regenerate_id(true) returned true for a request that no longer
    // held the session. Likewise a write whose bytes the next holder happened to store too.
    let s = Server::start(&[]);
    let short = Settings {
        lock_ttl: Duration::from_secs(1),
        ..locking()
    };
    let data_key = format!("PHPREDIS_SESSION:{}", id(77));
    for op in ["destroy", "write"] {
        s.cli(&["SET", &data_key, "x|i:0;"]);
        let mut a = Handler::open(HandlerKind::Redis, &path(&s), short.clone()).unwrap();
        a.read(&id(77)).unwrap();
        std::thread::sleep(Duration::from_millis(1200));
        let mut b = Handler::open(HandlerKind::Redis, &path(&s), short.clone()).unwrap();
        b.read(&id(77)).unwrap();
        match op {
            "destroy" => b.destroy(&id(77)).unwrap(),
            _ => b.write(&id(77), b"x|i:1;", 600).unwrap(),
        }
        s.cli(&["CLIENT", "KILL", "TYPE", "normal"]);
        let r = match op {
            "destroy" => a.destroy(&id(77)),
            _ => a.write(&id(77), b"x|i:1;", 600),
        };
        assert_eq!(
            r.map_err(|e| e.kind),
            Err(ErrorKind::LockLost),
            "{op} of a request whose lock had expired"
        );
        a.close().ok();
    }
}

#[test]
fn a_waiter_blocked_while_its_slot_migrates_gets_the_lock_on_the_new_owner() {
    // Found by the torture checker (seed 663927666, redis7): a waiter blocked on the wake list
    // while the session's slot moved failed with "lock wait ...: timed out".
    let c = TestCluster::start();
    let path = format!("{}&timeout=1&read_timeout=1", c.seeds());
    let sid = id(97);
    let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
    let lock_key = format!("{{{data_key}}}_LOCK");
    let slot = redis_session_core::slots::key_slot(data_key.as_bytes()).to_string();
    let from = c.node_for(data_key.as_bytes());
    let to = c.nodes.iter().find(|n| n.port != from.port).unwrap();
    let waiting = Settings {
        lock_ttl: Duration::from_secs(5),
        lock_retries: None,
        ..locking()
    };
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, waiting.clone()).unwrap();
    a.read(&sid).unwrap();
    let path_b = path.clone();
    let sid_b = sid.clone();
    let waiter = std::thread::spawn(move || {
        let mut b = Handler::open(HandlerKind::RedisCluster, &path_b, waiting).unwrap();
        let t = Instant::now();
        let r = b.read(&sid_b).map(|_| ());
        let took = t.elapsed();
        b.close().ok();
        (r, took)
    });
    // The waiter is queued (and blocked) before the slot moves.
    let queued = Instant::now();
    while from.cli(&["LLEN", &format!("{lock_key}_WAITERS")]) != "1" {
        assert!(
            queued.elapsed() < Duration::from_secs(5),
            "the waiter never queued"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    let to_id = start_migration(from, to, &slot);
    let keys = [
        data_key.clone(),
        lock_key.clone(),
        format!("{lock_key}_WAITERS"),
    ];
    let mut args: Vec<String> = vec![
        "MIGRATE".into(),
        "127.0.0.1".into(),
        to.port.to_string(),
        "".into(),
        "0".into(),
        "5000".into(),
        "REPLACE".into(),
        "KEYS".into(),
    ];
    args.extend(keys.iter().cloned());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(from.cli(&argv), "OK");
    finish_migration(&c, &slot, &to_id);
    std::thread::sleep(Duration::from_millis(200));
    a.write(&sid, b"m|i:1;", 600).unwrap();
    let (r, took) = waiter.join().unwrap();
    assert!(r.is_ok(), "the waiter failed after {took:?}: {r:?}");
    // Redis 5 blocks in whole seconds: a wait that missed the hand-off looks again within 1 s.
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn a_waiter_whose_slot_migrates_back_and_forth_ends_with_a_lock_timeout() {
    // Found by the torture checker (seed 663927666, redis7): a waiter's BLPOP answered MOVED
    // after blocking half a second was sent to the new owner for a full block again, under the
    // first one's reply deadline, and failed with "lock wait ...: timed out".
    let c = TestCluster::start();
    let path = format!("{}&timeout=1&read_timeout=0.5", c.seeds());
    let sid = id(98);
    let data_key = format!("PHPREDIS_CLUSTER_SESSION:{sid}");
    let lock_key = format!("{{{data_key}}}_LOCK");
    let slot = redis_session_core::slots::key_slot(data_key.as_bytes()).to_string();
    let waiting = Settings {
        lock_ttl: Duration::from_secs(30),
        lock_wait_time: Duration::from_millis(50),
        lock_retries: Some(100),
        ..locking()
    };
    let mut a = Handler::open(HandlerKind::RedisCluster, &path, waiting.clone()).unwrap();
    a.read(&sid).unwrap();
    let (path_b, sid_b) = (path.clone(), sid.clone());
    let waiter = std::thread::spawn(move || {
        let mut b = Handler::open(HandlerKind::RedisCluster, &path_b, waiting).unwrap();
        let t = Instant::now();
        let r = b.read(&sid_b).map(|_| ());
        (r, t.elapsed())
    });
    let t = Instant::now();
    let mut n = 0;
    while t.elapsed() < Duration::from_millis(4000) {
        std::thread::sleep(Duration::from_millis(550 + 97 * (n % 5)));
        let from = c
            .nodes
            .iter()
            .find(|s| s.cli(&["CLUSTER", "COUNTKEYSINSLOT", &slot]) != "0")
            .unwrap_or_else(|| c.node_for(data_key.as_bytes()));
        let to = c.nodes.iter().find(|s| s.port != from.port).unwrap();
        let to_id = start_migration(from, to, &slot);
        std::thread::sleep(Duration::from_millis(30 * (n % 4)));
        let keys = from.cli(&["CLUSTER", "GETKEYSINSLOT", &slot, "100"]);
        let mut args: Vec<String> = [
            "MIGRATE",
            "127.0.0.1",
            &to.port.to_string(),
            "",
            "0",
            "5000",
            "REPLACE",
            "KEYS",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(keys.lines().map(str::to_string));
        if !keys.is_empty() {
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            assert_eq!(from.cli(&argv), "OK");
        }
        std::thread::sleep(Duration::from_millis(40 * (n % 3)));
        for s in std::iter::once(to).chain(c.nodes.iter().filter(|s| s.port != to.port)) {
            s.cli(&["CLUSTER", "SETSLOT", &slot, "NODE", &to_id]);
        }
        n += 1;
    }
    let (r, took) = waiter.join().unwrap();
    assert_eq!(
        r.as_ref().map_err(|e| e.kind),
        Err(ErrorKind::LockTimeout),
        "after {took:?} and {n} migrations: {r:?}"
    );
    let _ = lock_key;
}

/// session_regenerate_id(true) as PHP runs it: destroy (inside regenerate), close, open,
/// create_sid, read, write. The new id's lock is taken by the destroy itself when the two
/// ids share a node, and handed to the next handler, whose create_sid draws no new id.
#[test]
fn regenerate_claims_the_new_id_with_the_destroy_and_hands_it_on() {
    let s = Server::start(&[]);
    let key = |n: u32| format!("PHPREDIS_SESSION:{}", id(n));
    s.cli(&["SET", &key(40), "a|i:1;"]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(40)).unwrap();
    a.destroy_regenerating(&id(40), || Some(id(41))).unwrap();
    // Destroyed and claimed by the destroy, before PHP asks for a new id.
    assert_eq!(
        s.cli(&["EXISTS", &key(40), &format!("{}_LOCK", key(40))]),
        "0"
    );
    assert_eq!(s.cli(&["EXISTS", &format!("{}_LOCK", key(41))]), "1");
    a.close().unwrap();
    assert_eq!(
        s.cli(&["EXISTS", &format!("{}_LOCK", key(41))]),
        "1",
        "kept over close"
    );
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    b.set_regenerating();
    assert_eq!(b.create_sid(|| panic!("no id to draw")).unwrap(), id(41));
    assert!(
        !b.validate_sid(&id(41)).unwrap(),
        "strict mode: the new id is new"
    );
    assert_eq!(b.read(&id(41)).unwrap(), b"");
    b.write(&id(41), b"a|i:1;", 600).unwrap();
    b.close().unwrap();
    assert_eq!(s.cli(&["GET", &key(41)]), "a|i:1;");
    assert_eq!(s.cli(&["EXISTS", &format!("{}_LOCK", key(41))]), "0");
}

#[test]
fn regenerate_whose_destroy_is_refused_fails_and_keeps_no_claimed_lock() {
    let s = Server::start(&[]);
    let key = |n: u32| format!("PHPREDIS_SESSION:{}", id(n));
    s.cli(&["SET", &key(42), "a|i:1;"]);
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(42)).unwrap();
    // Another request took the session over (our lock expired or was broken).
    s.cli(&["SET", &format!("{}_LOCK", key(42)), "theirs", "PX", "10000"]);
    let err = a
        .destroy_regenerating(&id(42), || Some(id(43)))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::LockLost, "{err}");
    assert_eq!(s.cli(&["GET", &key(42)]), "a|i:1;", "not deleted");
    assert_eq!(s.cli(&["GET", &format!("{}_LOCK", key(42))]), "theirs");
    assert_eq!(
        s.cli(&["EXISTS", &format!("{}_LOCK", key(43))]),
        "0",
        "claim released"
    );
    a.close().unwrap();
    // The next handler (PHP does not reopen after a failed destroy) draws ids as always.
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    b.set_regenerating();
    assert_eq!(b.create_sid(|| Some(id(44))).unwrap(), id(44));
}

#[test]
fn a_claim_no_regenerate_takes_over_is_released_by_the_next_request() {
    let s = Server::start(&[]);
    let lock = |n: u32| format!("PHPREDIS_SESSION:{}_LOCK", id(n));
    let mut a = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    a.read(&id(45)).unwrap();
    a.destroy_regenerating(&id(45), || Some(id(46))).unwrap();
    a.close().unwrap();
    assert_eq!(s.cli(&["EXISTS", &lock(46)]), "1");
    // Not opened by session_regenerate_id() (its open failed, say): the next request of
    // this worker releases the claim before its own read.
    let mut b = Handler::open(HandlerKind::Redis, &path(&s), locking()).unwrap();
    b.read(&id(47)).unwrap();
    assert_eq!(s.cli(&["EXISTS", &lock(46)]), "0");
    b.close().unwrap();
}

#[test]
fn cluster_regenerate_claims_with_the_destroy_only_on_the_same_node() {
    let c = TestCluster::start();
    let path = cluster_path(&c);
    let data = |sid: &str| format!("PHPREDIS_CLUSTER_SESSION:{sid}");
    let lock = |sid: &str| format!("{{{}}}_LOCK", data(sid));
    let node = |sid: &str| c.node_for(data(sid).as_bytes()).port;
    // Warm the slot map (the pipelined path needs it; a cold one just takes today's path).
    let mut w = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
    w.read(&id(50)).unwrap();
    w.close().unwrap();
    let old = id(51);
    let same = (52..200).map(id).find(|n| node(n) == node(&old)).unwrap();
    let other = (52..200).map(id).find(|n| node(n) != node(&old)).unwrap();
    for (next, shared) in [(same, true), (other, false)] {
        let nd = c.node_for(data(&old).as_bytes());
        nd.cli(&["SET", &data(&old), "a|i:1;"]);
        let mut a = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
        a.read(&old).unwrap();
        a.destroy_regenerating(&old, || Some(next.clone())).unwrap();
        let nn = c.node_for(data(&next).as_bytes());
        assert_eq!(nd.cli(&["EXISTS", &data(&old), &lock(&old)]), "0");
        let claimed = nn.cli(&["EXISTS", &lock(&next)]) == "1";
        assert_eq!(
            claimed, shared,
            "claimed by the destroy exactly on one node"
        );
        a.close().unwrap();
        let mut b = Handler::open(HandlerKind::RedisCluster, &path, locking()).unwrap();
        b.set_regenerating();
        // Either way the id drawn by the destroy is the new id (claimed now if not yet).
        assert_eq!(b.create_sid(|| Some(id(99_998))).unwrap(), next);
        assert_eq!(nn.cli(&["EXISTS", &lock(&next)]), "1");
        assert_eq!(b.read(&next).unwrap(), b"");
        b.write(&next, b"b|i:2;", 600).unwrap();
        b.close().unwrap();
        assert_eq!(nn.cli(&["GET", &data(&next)]), "b|i:2;");
        assert_eq!(nn.cli(&["EXISTS", &lock(&next)]), "0");
        nn.cli(&["DEL", &data(&next)]);
    }
}
