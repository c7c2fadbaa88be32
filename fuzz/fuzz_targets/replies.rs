//! Reply handling: any bytes a server (or something posing as one) sends are read by our
//! reply reader (conn/resp.rs) into a Value or an error, within its limits; the same bytes
//! read through a small read buffer (lines split across reads) give the same result, and
//! skipping the reply unbuilt (`skip_value`, for the replies before a round trip's last)
//! fails exactly when reading fails, consumes the same bytes and finds the same first
//! server error; our readers of that Value (lock attempt, CLUSTER SLOTS,
//! integers, strings) and the mapping of server errors into warnings never panic, and a
//! warning is never longer than our cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redis_session_core::conn::cluster::parse_cluster_slots;
use redis_session_core::conn::node::{map_error, sanitize_detail};
use redis_session_core::conn::resp::{read_value, skip_value, Limits};
use redis_session_core::conn::{as_bytes, as_int, Value};
use redis_session_core::lock::parse_reply;
use redis_session_core::slots::NodeAddr;

fuzz_target!(|input: &[u8]| {
    let asked = NodeAddr {
        host: "127.0.0.1".into(),
        port: 7000,
    };
    let limits = Limits {
        max_bulk: 1 << 20,
        ..Limits::default()
    };
    let mut rest = input;
    let read = read_value(&mut rest, &limits);
    let mut skipped = input;
    let skip = skip_value(&mut skipped, &limits);
    let cap = 1 + input.first().map_or(0, |b| *b as usize % 16);
    let mut small = std::io::BufReader::with_capacity(cap, input);
    let split = read_value(&mut small, &limits);
    match (&read, &split) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "split reads differ"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("split read {split:?} vs {read:?}"),
    }
    let v = match (read, skip) {
        (Ok(v), Ok(found)) => {
            assert_eq!(rest.len(), skipped.len(), "skip consumed other bytes");
            assert_eq!(found.pair(), first_error(&v), "skip found another error");
            v
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string());
            return;
        }
        (a, b) => panic!("read {a:?} but skip {b:?}"),
    };
    let _ = parse_reply(v.clone());
    if let Some(map) = parse_cluster_slots(&v, &asked) {
        for slot in [0u16, 1, 5460, 5461, 16383] {
            let _ = map.owner(slot);
        }
        let _ = map.masters();
        let _ = map.is_complete();
    }
    let _ = as_int(&v);
    if let Value::Array(items) = &v {
        for item in items {
            let _ = as_int(item);
            let _ = as_bytes(item.clone());
        }
    }
    let _ = as_bytes(v.clone());
    if let Err(e) = v.extract_error() {
        let msg = map_error(e, "lock", "127.0.0.1:7000").to_string();
        assert!(msg.len() < 600, "warning of {} bytes", msg.len());
    }
    if let Ok(s) = std::str::from_utf8(input) {
        assert!(sanitize_detail(s).chars().count() <= 300);
    }
});

/// The first server error in `v`, depth first, and whether it is `v` itself.
fn first_error(v: &Value) -> Option<(redis::ServerError, bool)> {
    match v {
        Value::ServerError(e) => Some((e.clone(), true)),
        Value::Array(items) => items
            .iter()
            .find_map(first_error)
            .map(|(e, _)| (e, false)),
        _ => None,
    }
}
