//! phpredis 6.x settings against a real server: early_refresh (the read refreshes the TTL,
//! an unchanged close sends nothing without locking) and lock_failure_readonly.

mod common;

use std::time::Duration;

use common::Server;
use redis_session_core::error::ErrorKind;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::settings::Settings;

fn path(s: &Server) -> String {
    format!("tcp://127.0.0.1:{}?timeout=1&read_timeout=1", s.port)
}

fn key(id: &str) -> String {
    format!("PHPREDIS_SESSION:{id}")
}

fn ttl(s: &Server, id: &str) -> i64 {
    s.cli(&["TTL", &key(id)]).parse().unwrap()
}

#[test]
fn early_refresh_refreshes_the_ttl_as_the_session_is_read() {
    let s = Server::start(&[]);
    for (n, locking) in [(1, false), (2, true)] {
        for early in [false, true] {
            let id = format!("earlyrefresh{n}{}abcdefghijklmno", u8::from(early));
            s.cli(&["SET", &key(&id), "a|i:1;", "EX", "100"]);
            let settings = Settings {
                locking_enabled: locking,
                early_refresh: early,
                ..Settings::default()
            };
            let mut h = Handler::open(HandlerKind::Redis, &path(&s), settings).unwrap();
            h.set_session_ttl(1000);
            assert_eq!(h.read(&id).unwrap(), b"a|i:1;");
            let open = ttl(&s, &id);
            assert_eq!(
                open > 900,
                early,
                "locking {locking}, early {early}: TTL {open}"
            );
            h.update_timestamp(&id, 1000).unwrap();
            h.close().unwrap();
            assert!(ttl(&s, &id) > 900, "locking {locking}, early {early}");
            assert_eq!(s.cli(&["EXISTS", &format!("{}_LOCK", key(&id))]), "0");
        }
    }
}

#[test]
fn lock_failure_readonly_reads_the_data_and_refuses_the_write() {
    let s = Server::start(&[]);
    let id = "readonlysession1abcdefghijkl";
    s.cli(&["SET", &key(id), "n|i:5;", "EX", "600"]);
    s.cli(&["SET", &format!("{}_LOCK", key(id)), "other", "PX", "5000"]);
    let settings = Settings {
        locking_enabled: true,
        lock_retries: Some(2),
        lock_wait_time: Duration::from_millis(10),
        lock_failure_readonly: true,
        ..Settings::default()
    };
    let mut h = Handler::open(HandlerKind::Redis, &path(&s), settings.clone()).unwrap();
    assert_eq!(h.read(id).unwrap(), b"n|i:5;");
    let w = h.take_warnings();
    assert!(
        w.len() == 1 && w[0].contains("session will be read only"),
        "{w:?}"
    );
    let err = h.write(id, b"n|i:6;", 600).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LockLost);
    assert_eq!(h.destroy(id).unwrap_err().kind, ErrorKind::LockLost);
    h.close().unwrap();
    assert_eq!(s.cli(&["GET", &key(id)]), "n|i:5;");
    assert_eq!(s.cli(&["GET", &format!("{}_LOCK", key(id))]), "other");
    // Off: the start fails.
    let mut h = Handler::open(
        HandlerKind::Redis,
        &path(&s),
        Settings {
            lock_failure_readonly: false,
            ..settings
        },
    )
    .unwrap();
    assert_eq!(h.read(id).unwrap_err().kind, ErrorKind::LockTimeout);
}
