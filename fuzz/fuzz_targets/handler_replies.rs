//! The reply path end to end: a fake server on loopback answers each command the handler
//! sends with the next piece of the input (pieces are separated by a 0x01 byte; when they run
//! out the connection is closed), so every reply our commands and scripts can get is tried
//! with wrong types, huge lengths, truncation and nesting (redirects only to 127.0.0.1). The handler must end every call
//! with Ok or an error whose warning names the node, never panic or allocate without bound
//! (run with -malloc_limit_mb; max_size is 1 MiB here), and stay within its timeouts.
#![no_main]

#[path = "../../core/tests/common/fake.rs"]
#[allow(dead_code)]
mod fake;

use std::time::{Duration, Instant};

use fake::{FakeServer, Reply};
use libfuzzer_sys::fuzz_target;
use once_cell::sync::Lazy;
use redis_session_core::error::ErrorKind;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::settings::Settings;

static SERVER: Lazy<FakeServer> = Lazy::new(FakeServer::start);

/// Whether every MOVED/ASK redirect in `input` points at 127.0.0.1: a redirect elsewhere would
/// make the handler resolve or connect beyond loopback (allowed in production, not here).
fn redirects_stay_on_loopback(input: &[u8]) -> bool {
    let text = String::from_utf8_lossy(input);
    for code in ["MOVED", "ASK"] {
        for (i, _) in text.match_indices(code) {
            let line = text[i + code.len()..]
                .split(['\r', '\n', '\u{1}'])
                .next()
                .unwrap_or("");
            if line
                .split_ascii_whitespace()
                .nth(1)
                .is_some_and(|addr| {
                    !addr
                        .strip_prefix("127.0.0.1:")
                        .is_some_and(|p| p.parse::<u16>().is_ok())
                })
            {
                return false;
            }
        }
    }
    true
}

fuzz_target!(|input: &[u8]| {
    let Some((&flags, rest)) = input.split_first() else {
        return;
    };
    if !redirects_stay_on_loopback(rest) {
        return;
    }
    let f = &*SERVER;
    f.script(rest.split(|&b| b == 1).map(|r| Reply::Bytes(r.to_vec())));
    let node = format!("127.0.0.1:{}", f.port);
    let (kind, path) = if flags & 2 == 0 {
        (
            HandlerKind::Redis,
            format!("tcp://{node}?timeout=0.05&read_timeout=0.05"),
        )
    } else {
        (
            HandlerKind::RedisCluster,
            format!("seed[]={node}&timeout=0.05&read_timeout=0.05"),
        )
    };
    let settings = Settings {
        locking_enabled: flags & 1 != 0,
        lock_wait_time: Duration::from_millis(5),
        lock_retries: Some(2),
        max_size: 1 << 20,
        ..Settings::default()
    };
    let t = Instant::now();
    let mut h = Handler::open(kind, &path, settings).expect("a valid save_path");
    let id = "fuzzsession0123456789abcdef";
    let mut errors = Vec::new();
    match h.read(id) {
        Ok(_) if flags & 4 != 0 => errors.extend(h.destroy(id).err()),
        Ok(_) => errors.extend(h.write(id, b"a|i:1;", 60).err()),
        Err(e) => errors.push(e),
    }
    errors.extend(h.close().err());
    for e in &errors {
        let msg = h.describe(e, Some(id));
        // The node asked, or the one a redirect named (always on loopback here); lock outcomes
        // (a reply that left the lock not ours) name the session key instead.
        let about_the_lock = matches!(e.kind, ErrorKind::LockLost | ErrorKind::LockTimeout);
        assert!(
            msg.contains("127.0.0.1:") || msg.contains("slot ") || about_the_lock,
            "{msg}"
        );
        assert!(msg.len() < 1000, "{} bytes", msg.len());
    }
    drop(h);
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
});
