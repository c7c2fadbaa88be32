//! The `redissentinel` handler against a real Sentinel set (scripts/sentinel.py: one master,
//! two replicas, three sentinels on loopback, stopped by PID on drop): discovery, failover by
//! SENTINEL FAILOVER and by a killed master, sentinels partly down, a sentinel that names a
//! replica, a service no sentinel knows.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use redis_session_core::error::ErrorKind;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::settings::{ReleaseCmd, Settings};

/// One Sentinel set at a time: the tests measure time, and the machine has 2 cores.
static SERIAL: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/sentinel.py")
}

fn kind() -> String {
    std::env::var("REDIS_SESSION_SERVER_KIND").unwrap_or_else(|_| "redis7".into())
}

struct Set {
    dir: PathBuf,
    master: u16,
    data: Vec<u16>,
    sentinels: Vec<u16>,
}

fn run(args: &[&str]) -> String {
    run_env(args, &[])
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new("python3")
        .arg(script())
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run sentinel.py");
    assert!(
        out.status.success(),
        "sentinel.py {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .arg("-p")
        .arg(port.to_string())
        .args(args)
        .output()
        .expect("redis-cli");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl Set {
    fn start() -> Set {
        Set::start_env(&[])
    }

    /// With SENTINEL_DATA_PASS / SENTINEL_PASS (requirepass on the data nodes / sentinels).
    fn start_env(env: &[(&str, &str)]) -> Set {
        let dir = std::env::temp_dir().join(format!(
            "rs-sentinel-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        let d = dir.to_str().unwrap().to_string();
        run_env(&["start", &d, &kind()], env);
        let env = std::fs::read_to_string(dir.join("env.sh")).unwrap();
        let var = |k: &str| -> Vec<u16> {
            let line = env
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {k}=")))
                .unwrap_or_else(|| panic!("{k} in env.sh"));
            line.trim_matches('\'')
                .split_whitespace()
                .map(|p| p.parse().unwrap())
                .collect()
        };
        Set {
            master: var("SENTINEL_MASTER_PORT")[0],
            data: var("SENTINEL_DATA_PORTS"),
            sentinels: var("SENTINEL_PORTS"),
            dir,
        }
    }

    fn d(&self) -> &str {
        self.dir.to_str().unwrap()
    }

    /// save_path naming the given sentinels, in that order.
    fn path_with(&self, sentinels: &[u16], service: &str, extra: &str) -> String {
        let mut p: Vec<String> = sentinels
            .iter()
            .map(|s| format!("sentinel[]=127.0.0.1:{s}"))
            .collect();
        p.push(format!("service={service}"));
        format!("{}{extra}", p.join("&"))
    }

    fn path(&self, extra: &str) -> String {
        self.path_with(&self.sentinels, "mymaster", extra)
    }

    fn kill(&self, port: u16) {
        run(&["kill", self.d(), &port.to_string()]);
    }

    fn wait_master(&self, not: u16) -> u16 {
        run(&["wait-master", self.d(), &not.to_string(), "30"])
            .parse()
            .unwrap()
    }
}

fn rand_suffix() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u8(1);
    h.finish() as u128
}

impl Drop for Set {
    fn drop(&mut self) {
        let _ = Command::new("python3")
            .arg(script())
            .args(["stop", self.d()])
            .status();
    }
}

fn locking() -> Settings {
    Settings {
        locking_enabled: true,
        lock_ttl: Duration::from_secs(10),
        lock_wait_time: Duration::from_millis(10),
        lock_retries: Some(20),
        lock_release_cmd: ReleaseCmd::Lua,
        ..Settings::default()
    }
}

fn id(n: u32) -> String {
    format!("sentinelsess{n:08}abcdefghijkl")
}

fn open(path: &str) -> Handler {
    Handler::open(HandlerKind::RedisSentinel, path, locking()).unwrap()
}

/// One request: read, append `x`, write; the data it stored.
fn bump(path: &str, id: &str) -> Result<Vec<u8>, String> {
    let mut h = open(path);
    let mut data = h.read(id).map_err(|e| h.describe(&e, Some(id)))?;
    data.push(b'x');
    h.write(id, &data, 600)
        .map_err(|e| h.describe(&e, Some(id)))?;
    h.close().map_err(|e| h.describe(&e, Some(id)))?;
    Ok(data)
}

#[test]
fn same_keys_as_the_redis_handler_and_follows_sentinel_failover() {
    let _g = SERIAL.lock();
    let set = Set::start();
    let path = set.path("&timeout=2&read_timeout=1");
    // Written by the redis handler on the master: read by redissentinel (a site moving over
    // keeps its sessions).
    let direct = format!("tcp://127.0.0.1:{}", set.master);
    let mut h = Handler::open(HandlerKind::Redis, &direct, locking()).unwrap();
    h.read(&id(1)).unwrap();
    h.write(&id(1), b"x", 600).unwrap();
    h.close().unwrap();
    assert_eq!(bump(&path, &id(1)).unwrap(), b"xx");
    run(&["wait-synced", set.d(), "20"]);

    assert_eq!(run(&["failover", set.d()]), "OK");
    let new = set.wait_master(set.master);
    assert_ne!(new, set.master);
    // The next requests use the new master; no update is lost (nothing was in flight).
    let started = Instant::now();
    let mut last = Vec::new();
    for _ in 0..3 {
        last = bump(&path, &id(1)).expect("request after the failover");
    }
    assert_eq!(last, b"xxxxx");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        cli(new, &["GET", &format!("PHPREDIS_SESSION:{}", id(1))]),
        "xxxxx"
    );
    // The old master stays a writable master for seconds after a SENTINEL FAILOVER, until
    // the sentinels reconfigure it: nothing was written there after the switch (this failed
    // before each request asked the sentinels: the cached master took the writes, then lost
    // them).
    assert_eq!(
        cli(set.master, &["GET", &format!("PHPREDIS_SESSION:{}", id(1))]),
        "xx"
    );
}

#[test]
fn killed_master_fails_within_the_timeout_then_follows() {
    let _g = SERIAL.lock();
    let set = Set::start();
    let path = set.path("&timeout=0.5&read_timeout=0.5");
    assert_eq!(bump(&path, &id(2)).unwrap(), b"x");
    run(&["wait-synced", set.d(), "20"]);
    set.kill(set.master);

    // While the sentinels still name the dead master: fails, bounded by the timeouts, with a
    // warning that names the service and the cause (no full session id).
    let started = Instant::now();
    let err = bump(&path, &id(2)).expect_err("no master yet");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert!(err.contains("redissentinel"), "{err}");
    assert!(err.contains("mymaster"), "{err}");
    assert!(!err.contains(&id(2)), "{err}");

    let new = set.wait_master(set.master);
    let mut ok = None;
    let deadline = Instant::now() + Duration::from_secs(10);
    while ok.is_none() && Instant::now() < deadline {
        ok = bump(&path, &id(2)).ok();
    }
    assert_eq!(ok.as_deref(), Some(&b"xx"[..]), "new master {new}");
    assert_eq!(
        cli(new, &["GET", &format!("PHPREDIS_SESSION:{}", id(2))]),
        "xx"
    );
}

#[test]
fn works_with_sentinels_partly_down_and_refuses_a_replica() {
    let _g = SERIAL.lock();
    let set = Set::start();
    // Two of three sentinels down: the third answers.
    set.kill(set.sentinels[0]);
    set.kill(set.sentinels[1]);
    let path = set.path("&timeout=1");
    assert_eq!(bump(&path, &id(3)).unwrap(), b"x");

    // A sentinel that names a replica (it monitors one as "mymaster"), listed first: its
    // answer is checked with ROLE and never written to; the next sentinel gives the master.
    let liar = run(&["liar", set.d(), &set.data[1].to_string()]);
    let liar: u16 = liar.parse().unwrap();
    let path = set.path_with(&[liar, set.sentinels[2]], "mymaster", "&timeout=1");
    assert_eq!(bump(&path, &id(4)).unwrap(), b"x");
    assert_eq!(
        cli(set.master, &["GET", &format!("PHPREDIS_SESSION:{}", id(4))]),
        "x"
    );

    // Only the liar: fails cleanly within the timeout, naming the replica.
    let only_liar = set.path_with(&[liar], "mymaster", "&timeout=0.5");
    let started = Instant::now();
    let err = bump(&only_liar, &id(5)).expect_err("a replica is never used");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert!(err.contains("not master"), "{err}");
    assert_eq!(
        cli(
            set.master,
            &["EXISTS", &format!("PHPREDIS_SESSION:{}", id(5))]
        ),
        "0"
    );
    assert!(cli(set.data[1], &["ROLE"]).starts_with("slave"));
}

#[test]
fn an_unresponsive_sentinel_costs_its_timeout_once_per_process() {
    let _g = SERIAL.lock();
    let set = Set::start();
    // A listener that never answers (connections sit in its backlog), listed first.
    let mute = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mute_port = mute.local_addr().unwrap().port();
    let mut order = vec![mute_port];
    order.extend(&set.sentinels);
    let path = set.path_with(&order, "mymaster", "&timeout=1&read_timeout=0.3");
    let started = Instant::now();
    assert_eq!(bump(&path, &id(7)).unwrap(), b"x");
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The next requests of this process ask the sentinel that answered first.
    let started = Instant::now();
    for _ in 0..5 {
        bump(&path, &id(7)).unwrap();
    }
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(500),
        "5 requests took {took:?}"
    );
    drop(mute);
}

#[test]
fn passwords_for_data_nodes_and_sentinels_are_separate_and_never_shown() {
    let _g = SERIAL.lock();
    let set = Set::start_env(&[
        ("SENTINEL_DATA_PASS", "DataPw-7781"),
        ("SENTINEL_PASS", "SentPw-3319"),
    ]);
    let good = set.path("&timeout=1&auth=DataPw-7781&sentinel_auth=SentPw-3319");
    assert_eq!(bump(&good, &id(8)).unwrap(), b"x");
    let fields = set.path(
        "&timeout=1&auth[pass]=DataPw-7781&sentinel_auth[user]=default&sentinel_auth[pass]=SentPw-3319",
    );
    assert_eq!(bump(&fields, &id(8)).unwrap(), b"xx");
    // Both passwords kept out of save_path: in files, or in variables of the process.
    let pw_dir = set.dir.join("pw");
    std::fs::create_dir_all(&pw_dir).unwrap();
    std::fs::write(pw_dir.join("data"), "DataPw-7781\n").unwrap();
    std::fs::write(pw_dir.join("sentinel"), "SentPw-3319\n").unwrap();
    let files = set.path(&format!(
        "&timeout=1&auth_file={0}/data&sentinel_auth_file={0}/sentinel",
        pw_dir.display()
    ));
    assert_eq!(bump(&files, &id(8)).unwrap(), b"xxx");
    std::env::set_var("RS_TEST_SENTINEL_PASS", "SentPw-3319");
    let env = set.path(&format!(
        "&timeout=1&auth_file={}/data&sentinel_auth[user]=default&sentinel_auth_env=RS_TEST_SENTINEL_PASS",
        pw_dir.display()
    ));
    assert_eq!(bump(&env, &id(8)).unwrap(), b"xxxx");
    // A missing file: refused before connecting, naming the option and the file.
    let missing = set.path(&format!(
        "&timeout=1&auth=DataPw-7781&sentinel_auth_file={}/nope",
        pw_dir.display()
    ));
    let err = match Handler::open(HandlerKind::RedisSentinel, &missing, locking()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a missing sentinel_auth_file accepted"),
    };
    assert!(err.contains("sentinel_auth_file="), "{err}");
    assert!(!err.contains("DataPw-7781"), "{err}");
    // Each case below lists the sentinels in another order: a save_path of its own, with no
    // master cached by this process (with one cached, a worker whose sentinels do not answer
    // keeps using it).
    let [a, b, c] = [set.sentinels[0], set.sentinels[1], set.sentinels[2]];
    // A wrong sentinel password: refused at once (no waiting), no password in the message.
    let bad = set.path_with(
        &[c, b, a],
        "mymaster",
        "&timeout=2&auth=DataPw-7781&sentinel_auth=Wrong-0001",
    );
    let started = Instant::now();
    let err = bump(&bad, &id(9)).expect_err("wrong sentinel password");
    assert!(started.elapsed() < Duration::from_millis(1000), "{err}");
    assert!(err.contains("authentication failed"), "{err}");
    for pw in ["DataPw-7781", "SentPw-3319", "Wrong-0001"] {
        assert!(!err.contains(pw), "{err}");
    }
    // Without the sentinels' password: refused as well.
    let none = set.path_with(&[b, a, c], "mymaster", "&timeout=2&auth=DataPw-7781");
    let err = bump(&none, &id(9)).expect_err("no sentinel password");
    assert!(!err.contains("DataPw-7781"), "{err}");
    // A wrong data password: the master the sentinels name refuses it.
    let bad_data = set.path_with(
        &[a, c, b],
        "mymaster",
        "&timeout=1&auth=Wrong-0002&sentinel_auth=SentPw-3319",
    );
    let err = bump(&bad_data, &id(9)).expect_err("wrong data password");
    assert!(
        !err.contains("Wrong-0002") && !err.contains("SentPw-3319"),
        "{err}"
    );
}

#[test]
fn unknown_service_fails_at_once_with_the_reason() {
    let _g = SERIAL.lock();
    let set = Set::start();
    let path = set.path_with(&set.sentinels, "nosuchmaster", "&timeout=2");
    let mut h = open(&path);
    let started = Instant::now();
    let e = h.read(&id(6)).expect_err("unknown service");
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(e.kind, ErrorKind::Config);
    let msg = h.describe(&e, Some(&id(6)));
    assert!(
        msg.contains("does not monitor a master named 'nosuchmaster'"),
        "{msg}"
    );
}

#[test]
fn malformed_save_paths_are_refused_without_connecting() {
    for (path, want) in [
        (
            "service=mymaster",
            "needs at least one sentinel[]=host:port",
        ),
        ("sentinel[]=127.0.0.1:26379", "needs service="),
        ("sentinel[]=127.0.0.1&service=m", "has no port"),
        (
            "sentinel=127.0.0.1:26379&service=m",
            "must be written sentinel[]=host:port",
        ),
        (
            "sentinel[]=127.0.0.1:26379&service=m&seed[]=h:1",
            "does not apply to the redissentinel handler",
        ),
        (
            "sentinel[]=127.0.0.1:26379&service=m&sentinel_auth[user]=u",
            "has no auth[pass]",
        ),
    ] {
        let e = match Handler::open(HandlerKind::RedisSentinel, path, Settings::default()) {
            Err(e) => e,
            Ok(_) => panic!("{path} accepted"),
        };
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(e.detail.contains(want), "{path}: {}", e.detail);
    }
    // Passwords never show.
    for path in [
        "sentinel[]=127.0.0.1:26379&service=m&sentinel_auth[]=u&sentinel_auth[]=Secret1&sentinel_auth[]=x",
        "sentinel[]=127.0.0.1:26379&service=m&sentinel_auth=Secret1&sentinel_auth[]=y",
    ] {
        let e = Handler::open(HandlerKind::RedisSentinel, path, Settings::default())
            .err()
            .expect("refused");
        assert!(!e.detail.contains("Secret1"), "{}", e.detail);
    }
}

fn round_trips() -> u64 {
    redis_session_core::stats::round_trips.load(std::sync::atomic::Ordering::Relaxed)
}

fn sentinel_queries() -> u64 {
    redis_session_core::stats::sentinel_queries.load(std::sync::atomic::Ordering::Relaxed)
}

/// One request as `bump`, returning its warnings too.
fn bump_warned(path: &str, id: &str) -> (Result<Vec<u8>, String>, Vec<String>) {
    let mut h = open(path);
    let r = (|| {
        let mut data = h.read(id).map_err(|e| h.describe(&e, Some(id)))?;
        data.push(b'x');
        h.write(id, &data, 600)
            .map_err(|e| h.describe(&e, Some(id)))?;
        h.close().map_err(|e| h.describe(&e, Some(id)))?;
        Ok(data)
    })();
    let w = h.take_warnings();
    (r, w)
}

#[test]
fn a_warm_request_does_not_ask_a_sentinel() {
    let _g = SERIAL.lock();
    let set = Set::start();
    let path = set.path("&timeout=1&read_timeout=1");
    bump(&path, &id(10)).unwrap();
    bump(&path, &id(10)).unwrap();
    // A warm locked request: 1 round trip to start (lock + read), 1 to close (write +
    // release), as with the redis handler; none to a sentinel.
    for n in 3..6u8 {
        let before = round_trips();
        let asked = sentinel_queries();
        assert_eq!(bump(&path, &id(10)).unwrap().len(), n as usize);
        assert_eq!(round_trips() - before, 2, "round trips of a warm request");
        assert_eq!(
            sentinel_queries(),
            asked,
            "sentinels asked by a warm request"
        );
    }
    // Every sentinel down: the master this process knows keeps serving (it is fine), with one
    // warning per process, not one per request.
    for s in &set.sentinels {
        set.kill(*s);
    }
    let mut warnings = Vec::new();
    for n in 6..9u8 {
        let (r, w) = bump_warned(&path, &id(10));
        assert_eq!(r.unwrap().len(), n as usize);
        warnings.extend(w);
    }
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(w.contains("no sentinel"), "{w}");
    assert!(w.contains(&format!("127.0.0.1:{}", set.master)), "{w}");
    assert_eq!(
        cli(
            set.master,
            &["GET", &format!("PHPREDIS_SESSION:{}", id(10))]
        ),
        "xxxxxxxx"
    );
}

#[test]
fn a_known_master_that_became_a_replica_is_left_for_the_new_one() {
    use redis_session_core::conn::sentinel::Sentinel;
    use redis_session_core::save_path::{parse_sentinel, Address};
    let _g = SERIAL.lock();
    let set = Set::start();
    let path = set.path("&timeout=1&read_timeout=1");
    bump(&path, &id(11)).unwrap();
    let parsed = parse_sentinel(&path).unwrap();
    let replica = Address::Tcp {
        host: "127.0.0.1".into(),
        port: set.data.iter().copied().find(|p| *p != set.master).unwrap(),
    };
    // As if the known master had been demoted after this process last used it: a kept
    // connection to it (its lock script is refused with READONLY), then a new connection
    // (its ROLE says slave). Both times the request asks the sentinels again, within its
    // budget, and writes only to the master.
    for pooled in [true, false] {
        Sentinel::pin_master_for_test(&parsed, replica.clone(), pooled);
        let started = Instant::now();
        let got = bump(&path, &id(11)).expect("re-discovered");
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            Sentinel::cached_master(&parsed).unwrap().to_string(),
            format!("127.0.0.1:{}", set.master)
        );
        assert_eq!(
            cli(
                set.master,
                &["GET", &format!("PHPREDIS_SESSION:{}", id(11))]
            ),
            String::from_utf8(got).unwrap()
        );
    }
}

#[test]
fn sentinels_that_refuse_psubscribe_are_asked_once_per_request() {
    let _g = SERIAL.lock();
    let set = Set::start();
    for s in &set.sentinels {
        let r = cli(*s, &["ACL", "SETUSER", "default", "-psubscribe"]);
        if r != "OK" {
            // Sentinels before Redis 6.2 have no ACL: nothing can refuse PSUBSCRIBE there.
            eprintln!("skipped: the sentinels have no ACL ({r})");
            return;
        }
    }
    let path = set.path("&timeout=1&read_timeout=1");
    bump(&path, &id(12)).unwrap();
    bump(&path, &id(12)).unwrap();
    let opened =
        || redis_session_core::stats::connections_opened.load(std::sync::atomic::Ordering::Relaxed);
    // No watch: each request asks a sentinel (1 round trip, on a kept connection), then works
    // as usual.
    for n in 3..7u8 {
        let (before, conns, asked) = (round_trips(), opened(), sentinel_queries());
        assert_eq!(bump(&path, &id(12)).unwrap().len(), n as usize);
        assert_eq!(round_trips() - before, 3, "round trips");
        assert_eq!(sentinel_queries() - asked, 1, "sentinel queries");
        assert_eq!(opened() - conns, 0, "connections opened");
    }
}

/// The redis handler's per-connection savings hold for redissentinel too: the permission to
/// run scripts is asked once per connection (not in every acquire), and
/// session_regenerate_id(true) destroys the old id and claims the new one's lock in one round
/// trip (one master holds every session).
#[test]
fn script_permission_is_asked_once_and_regenerate_claims_the_new_id_with_the_destroy() {
    let _g = SERIAL.lock();
    let set = Set::start();
    let path = set.path("&timeout=1&read_timeout=1");
    cli(set.master, &["CONFIG", "RESETSTAT"]);
    for n in 1..4u8 {
        assert_eq!(bump(&path, &id(20)).unwrap().len(), n as usize);
    }
    match common::script_exists_calls(|a| cli(set.master, a)) {
        Some(n) => assert_eq!(n, 1, "asked once for three requests"),
        None => eprintln!("SCRIPT EXISTS not counted apart on this server: count not checked"),
    }
    let key = |n: u32| format!("PHPREDIS_SESSION:{}", id(n));
    let mut a = open(&path);
    assert_eq!(a.read(&id(20)).unwrap(), b"xxx");
    let before = round_trips();
    a.destroy_regenerating(&id(20), || Some(id(21))).unwrap();
    assert_eq!(
        round_trips() - before,
        1,
        "destroy + claim in one round trip"
    );
    assert_eq!(cli(set.master, &["EXISTS", &key(20)]), "0");
    assert_eq!(
        cli(set.master, &["EXISTS", &format!("{}_LOCK", key(21))]),
        "1",
        "the new id's lock taken by the destroy"
    );
    a.close().unwrap();
    let mut b = open(&path);
    b.set_regenerating();
    assert_eq!(b.create_sid(|| panic!("no id to draw")).unwrap(), id(21));
    assert_eq!(b.read(&id(21)).unwrap(), b"");
    b.write(&id(21), b"a|i:1;", 600).unwrap();
    b.close().unwrap();
    assert_eq!(cli(set.master, &["GET", &key(21)]), "a|i:1;");
    assert_eq!(
        cli(set.master, &["EXISTS", &format!("{}_LOCK", key(21))]),
        "0"
    );
}

/// A master connection pooled by a request with a short read_timeout serves the next request
/// with that request's own (connections are pooled per endpoint and identity, not per
/// read_timeout): a master that answers after 0.8 s is an error at read_timeout=0.1, not at 2.
#[test]
fn a_pooled_master_connection_takes_the_read_timeout_of_the_request_that_reuses_it() {
    let _g = SERIAL.lock();
    let set = Set::start();
    let short = set.path("&timeout=1&read_timeout=0.1");
    let long = set.path("&timeout=1&read_timeout=2");
    for (opener, path, ok) in [
        (&long, &short, false),
        (&short, &long, true),
        (&short, &short, false),
    ] {
        bump(opener, &id(30)).unwrap();
        // Below the sentinels' down-after (1 s): no failover.
        // (No mode argument: "ALL" is the default and only Redis 6.2+ takes the word.)
        assert_eq!(cli(set.master, &["CLIENT", "PAUSE", "800"]), "OK");
        let started = std::time::Instant::now();
        let r = bump(path, &id(30));
        eprintln!("{path}: {r:?} after {:?}", started.elapsed());
        assert_eq!(r.is_ok(), ok, "{path}: {r:?} after {:?}", started.elapsed());
        std::thread::sleep(Duration::from_millis(900));
    }
}
