//! Every user-visible text of the extension in one place (warnings, notices, `php --ri` labels).

use std::time::Duration;

/// A redis.session.* value that does not parse; the default is used instead.
pub fn bad_setting(name: &str, value: &str, reason: &str) -> String {
    let shown: String = value.chars().take(64).collect();
    format!("{name}='{shown}' is invalid ({reason}); using its default")
}

/// ini_set() with a bad value: rejected, the old value stays.
pub fn rejected_setting(name: &str, reason: &str) -> String {
    format!("{name}: value rejected ({reason}); the previous value stays in force")
}

/// A session id with characters outside PHP's id alphabet.
pub fn invalid_id(handler: &str, op: &str) -> String {
    format!(
        "{handler}: {op}: session id refused: it must be 1-256 characters of a-z A-Z 0-9 , - (nothing was sent to the server)"
    )
}

/// The lock could not be taken in time.
pub fn lock_timeout(
    handler: &str,
    node: &str,
    key: &str,
    waited: Duration,
    attempts: u32,
) -> String {
    format!(
        "{handler}: could not acquire the session lock on {key} ({node}) after waiting {:.0} ms ({attempts} attempts); another request holds it. Raise redis.session.lock_retries / lock_wait_time, or shorten the requests that hold the session",
        waited.as_secs_f64() * 1000.0
    )
}

/// The lock was lost before write: the data is not written.
pub fn lock_lost(handler: &str, node: &str, key: &str, ttl: Duration) -> String {
    format!(
        "{handler}: session data NOT written to {key} ({node}): the session lock was no longer held by this request (it expired after {} s, or was broken); raise redis.session.lock_expire or max_execution_time",
        ttl.as_secs()
    )
}

/// The configured release command is not known to the server; Lua is used from now on.
pub fn release_cmd_unsupported(handler: &str, node: &str, cmd: &str) -> String {
    format!(
        "{handler}: the server at {node} does not know {cmd} (redis.session.lock_release_cmd); releasing locks with a Lua script from now on. {cmd} needs {}",
        match cmd {
            "DELIFEQ" => "Valkey 9 or later",
            _ => "Redis 8.4 or later",
        }
    )
}

/// Any failure of an operation, with handler, node, operation and key.
pub fn op_failed(handler: &str, err: &crate::error::Error, key: Option<&str>) -> String {
    match key {
        Some(k) => format!("{handler}: {err} (session key {k})"),
        None => format!("{handler}: {err}"),
    }
}

/// compression_level outside the range of the codec in force; the codec's default is used.
pub fn level_out_of_range(
    name: &str,
    level: i32,
    codec: &str,
    min: i32,
    max: i32,
    default: i32,
) -> String {
    format!("{name}={level} is out of range for {codec} ({min}-{max}); using {codec}'s default level {default}")
}

/// A stored session value that cannot be decoded (read fails; the value is left untouched).
pub fn undecodable(codec: &str, reason: &str) -> String {
    format!(
        "the stored session value could not be decoded (codec {codec}: {reason}); it was left untouched and the session was not started"
    )
}

/// A codec failed while compressing; the value was stored uncompressed.
pub fn compress_failed(handler: &str, codec: &str, reason: &str, key: &str) -> String {
    format!("{handler}: compressing with {codec} failed ({reason}); session key {key} was stored uncompressed")
}

/// `php --ri` row: the codecs built in and the one in force (with its level and threshold).
pub fn codecs_row(built_in: &[&str], codec: &str, level: Option<i32>, threshold: usize) -> String {
    let in_force = match (codec, level) {
        ("none", _) => "none".to_string(),
        (codec, Some(level)) => format!("{codec} level {level}, from {threshold} bytes"),
        (codec, None) => format!("{codec}, from {threshold} bytes"),
    };
    format!("{} (built in); in force: {in_force}", built_in.join(", "))
}

/// A write or destroy refused because this request does not hold the session's lock.
pub fn not_locked(handler: &str, op: &str, key: &str) -> String {
    format!(
        "{handler}: {op} refused: this request does not hold the lock of session key {key} \
         (locking is on, and an unfenced {op} could overwrite another request's update); nothing was changed"
    )
}
