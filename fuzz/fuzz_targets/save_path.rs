//! The save_path parsers and the redaction of PHP's messages: any string parses or is an error
//! (never a panic), and a password given as `auth=<percent-encoded>` never shows, neither in
//! the error open() reports (the text of our warning) nor in the redacted save_path PHP prints.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::redact::redact_save_path;
use redis_session_core::save_path::{parse_cluster, parse_sentinel, parse_standalone};
use redis_session_core::settings::Settings;

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Percent-decoding as PHP does it for query strings (`+` is a space), lossy.
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fuzz_target!(|input: &[u8]| {
    // Free-form: the raw input as a save_path.
    let raw = String::from_utf8_lossy(input);
    let _ = parse_standalone(&raw).map_err(|e| e.to_string());
    let _ = parse_cluster(&raw).map_err(|e| e.to_string());
    let _ = parse_sentinel(&raw).map_err(|e| e.to_string());
    let shown = redact_save_path(&raw).unwrap_or_else(|| raw.to_string());
    // Issue #11: for any save_path a parser accepts with a password in it, the printed path
    // never shows that password (checked when it is long enough and written once, raw).
    let mut passwords = Vec::new();
    if let Ok(p) = parse_standalone(&raw) {
        passwords.extend(p.servers.into_iter().filter_map(|s| s.options.auth));
    }
    if let Ok(p) = parse_cluster(&raw) {
        passwords.extend(p.options.auth);
    }
    if let Ok(p) = parse_sentinel(&raw) {
        passwords.extend(p.options.auth);
        passwords.extend(p.sentinel_options.auth);
    }
    for auth in passwords {
        let pass = auth.pass.expose();
        if pass.len() >= 6 && raw.matches(pass).count() == 1 {
            assert!(!shown.contains(pass), "{raw:?} shows its password: {shown:?}");
        }
    }

    // Structured: <prefix><sep>auth=<encoded password><suffix>, the input split at two 0xFF bytes.
    let mut parts = input.splitn(3, |&b| b == 0xFF);
    let (Some(prefix), Some(pass), suffix) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let prefix = String::from_utf8_lossy(prefix);
    let pass = String::from_utf8_lossy(pass);
    let suffix = String::from_utf8_lossy(suffix.unwrap_or_default());
    let enc = encode(&pass);
    if pass.len() < 8
        || !pass
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" &=#@+%".contains(&b))
    {
        return;
    }
    // The last three: a password run into a password-source option by a mistyped separator
    // (the file path or variable name is shown in messages; the password after it never).
    for (sep, name) in [
        ("?", "auth"),
        ("&", "auth"),
        ("&", "sentinel_auth"),
        ("&", "auth_file=/run/s?auth"),
        ("&", "sentinel_auth_file=/run/s?sentinel_auth"),
        ("&", "sentinel_auth_env=V&sentinel_auth"),
    ] {
        let path = format!("{prefix}{sep}{name}={enc}{suffix}");
        // Only a password that appears nowhere else in the path can be checked for.
        // The path without the password: what a message may quote besides it (the separator
        // joins the prefix, so `&&&&` + `&` can spell a password of five `&`).
        let without = format!("{prefix}{sep}{name}={suffix}");
        let around = [without.clone(), decode(&without)];
        if around
            .iter()
            .any(|a| a.contains(&*pass) || a.contains(&enc))
        {
            continue;
        }
        // open() parses only (it connects on the first command), so this never touches a network.
        for kind in [
            HandlerKind::Redis,
            HandlerKind::RedisCluster,
            HandlerKind::RedisSentinel,
        ] {
            if let Err(err) = Handler::open(kind, &path, Settings::default()) {
                let msg = err.to_string();
                // The same path with another password: text the message has anyway (its
                // fixed wording says "timeout=1") is no leak.
                let other = format!("{prefix}{sep}{name}=QzQzQzQzQzQz{suffix}");
                let control = Handler::open(kind, &other, Settings::default())
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                if control.contains(&*pass) || control.contains(&enc) {
                    continue;
                }
                assert!(
                    !msg.contains(&*pass) && !msg.contains(&enc),
                    "password in the open() error: {msg}"
                );
            }
        }
        if let Some(shown) = redact_save_path(&path) {
            assert!(!shown.contains(&enc), "password in redacted path: {shown}");
        } else {
            // Nothing hidden: then nothing was there to hide.
            assert!(!path.contains(&enc), "auth= not redacted: {path}");
        }
    }
});
