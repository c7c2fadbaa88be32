//! The handler's compression hooks against a real server: what write() stores and read()
//! returns under each codec, and a value that does not decode (an error of kind Corrupt, the
//! value untouched, the lock released by close()).

mod common;

use std::time::Duration;

use common::Server;
use redis_session_core::codec::{samples, CodecId, Compression};
use redis_session_core::error::ErrorKind;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::settings::Settings;

fn settings(codec: CodecId, locking: bool) -> Settings {
    Settings {
        locking_enabled: locking,
        lock_ttl: Duration::from_secs(10),
        compression: Compression {
            codec,
            level: None,
            threshold: 2048,
        },
        ..Settings::default()
    }
}

fn path(s: &Server) -> String {
    format!("tcp://127.0.0.1:{}?timeout=1&read_timeout=2", s.port)
}

fn id(n: u32) -> String {
    format!("compressiontest{n:08}abcdef")
}

#[test]
fn every_codec_writes_its_format_and_reads_under_any_setting() {
    let s = Server::start(&[]);
    let data = samples::cart(20_000);
    let codecs = [
        CodecId::None,
        CodecId::Gzip,
        CodecId::Lz4,
        CodecId::Snappy,
        CodecId::Lzf,
        CodecId::Zstd,
    ];
    for (n, &writer) in codecs.iter().enumerate() {
        let sid = id(n as u32);
        let mut h = Handler::open(HandlerKind::Redis, &path(&s), settings(writer, false)).unwrap();
        h.write(&sid, &data, 600).unwrap();
        h.close().unwrap();
        let stored_len: usize = s
            .cli(&["STRLEN", &format!("PHPREDIS_SESSION:{sid}")])
            .parse()
            .unwrap();
        if writer == CodecId::None {
            assert_eq!(stored_len, data.len());
        } else {
            assert!(stored_len < data.len() / 2, "{writer}: {stored_len}");
        }
        for &reader in &codecs {
            for locking in [false, true] {
                let mut h = Handler::open(HandlerKind::Redis, &path(&s), settings(reader, locking))
                    .unwrap();
                assert!(h.read(&sid).unwrap() == data, "{writer} read as {reader}");
                h.close().unwrap();
            }
        }
    }
}

#[test]
fn undecodable_value_is_a_corrupt_error_left_untouched_and_the_lock_released() {
    let s = Server::start(&[]);
    let key = format!("PHPREDIS_SESSION:{}", id(100));
    let mut h =
        Handler::open(HandlerKind::Redis, &path(&s), settings(CodecId::Lz4, false)).unwrap();
    h.write(&id(100), &samples::profile(10_000), 600).unwrap();
    h.close().unwrap();
    // Overwrite the header's CRC-32 (bytes 10-13) with ASCII.
    assert_eq!(
        s.cli(&["SETRANGE", &key, "10", "XXXX"]),
        s.cli(&["STRLEN", &key])
    );
    let before = s.cli(&["GET", &key]);
    for locking in [false, true] {
        let mut h = Handler::open(
            HandlerKind::Redis,
            &path(&s),
            settings(CodecId::None, locking),
        )
        .unwrap();
        let err = h.read(&id(100)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Corrupt);
        let shown = h.describe(&err, Some(&id(100)));
        // The key by its tag, never with the whole session id.
        let tag = redis_session_core::keys::key_tag(key.as_bytes());
        assert!(shown.contains(&tag) && !shown.contains(&id(100)), "{shown}");
        assert!(shown.contains("codec lz4"), "{shown}");
        assert!(shown.contains("left untouched"), "{shown}");
        // PHP calls close() after a failed read: the lock goes
        h.close().unwrap();
        assert_eq!(s.cli(&["EXISTS", &format!("{key}_LOCK")]), "0");
        assert_eq!(s.cli(&["GET", &key]), before);
    }
}
