//! Every user-visible text of the extension in one place (warnings, notices, `php --ri` labels).

use std::time::Duration;

/// A redis.session.* value that does not parse; the default is used instead.
pub fn bad_setting(name: &str, value: &str, reason: &str) -> String {
    let shown: String = value.chars().take(64).collect();
    format!("{name}='{shown}' is invalid ({reason}); using its default")
}

/// A phpredis setting whose text is not a plain number: read as phpredis reads it.
pub fn misread_number(name: &str, value: &str, read_as: i64, in_force: &str) -> String {
    let shown: String = value.chars().take(64).collect();
    format!("{name}='{shown}' is not a plain number: phpredis reads it as {read_as} ({in_force}), and so does redis_session; write the number you mean")
}

/// A switch set to a word phpredis reads as 0 (off), which redis_session reads as on.
pub fn misread_switch(name: &str, value: &str) -> String {
    let shown: String = value.chars().take(64).collect();
    format!("{name}='{shown}' is not a number: phpredis reads it as 0 (off), redis_session reads it as on, as php.ini does; write 1")
}

/// A phpredis choice (codec, release command) not spelled as phpredis documents it.
pub fn misread_choice(name: &str, value: &str, read_as: &str, phpredis_knows: bool) -> String {
    let shown: String = value.chars().take(64).collect();
    if phpredis_knows {
        format!("{name}='{shown}' is read as {read_as} (phpredis compares only its first letters, and so does redis_session); write {read_as}")
    } else {
        format!("{name}='{shown}' is not a known value: phpredis uses {read_as} for it, and so does redis_session")
    }
}

/// A negative lock_wait_time: phpredis would sleep for about 71 minutes between attempts.
pub fn negative_wait(name: &str, value: i64, used: i64) -> String {
    format!("{name}={value} is negative: phpredis would wait about 71 minutes between lock attempts; redis_session uses {used} us")
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

/// lock_failure_readonly: the lock was not had in time; the session is read only.
pub fn lock_failed_readonly(handler: &str, node: &str, key: &str, waited: Duration) -> String {
    format!(
        "{handler}: could not acquire the session lock on {key} ({node}) after waiting {:.0} ms; session will be read only (redis.session.lock_failure_readonly=1): its writes are refused",
        waited.as_secs_f64() * 1000.0
    )
}

/// A write or destroy of a session read without its lock (lock_failure_readonly): refused.
pub fn readonly_write_refused(handler: &str, op: &str, node: &str, key: &str) -> String {
    format!(
        "{handler}: {op} of {key} ({node}) refused, the stored session is unchanged: the session is read only, another request held its lock (redis.session.lock_failure_readonly=1)"
    )
}

/// The lock was lost before write: the data is not written.
pub fn lock_lost(handler: &str, op: &str, node: &str, key: &str, ttl: Duration) -> String {
    let what = match op {
        "destroy" => "session NOT deleted:",
        "update_timestamp" => "session TTL NOT refreshed on",
        _ => "session data NOT written to",
    };
    format!(
        "{handler}: {what} {key} ({node}): the session lock was no longer held by this request (it expired after {} s, or was broken); raise redis.session.lock_expire or max_execution_time",
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

/// A stored session value that cannot be decoded (read fails; the value is left untouched).
pub fn undecodable(codec: &str, reason: &str) -> String {
    format!(
        "the stored session value could not be decoded (codec {codec}: {reason}); it was left untouched and the session was not started"
    )
}

/// A stored session over `redis.session.max_size` (read fails; the value is left untouched).
pub fn too_large(len: u64, max: usize) -> String {
    format!(
        "the stored session is {len} bytes, more than redis.session.max_size ({max} bytes); it was left untouched and the session was not started (raise redis.session.max_size, or 0 = unlimited)"
    )
}

/// Session data over `redis.session.max_size` at write time: not written.
pub fn too_large_write(len: usize, max: usize) -> String {
    format!(
        "session data of {len} bytes NOT written: more than redis.session.max_size ({max} bytes); the stored session is unchanged"
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

/// session_regenerate_id() could not check or lock its new id: the session goes on empty.
pub fn regenerate_unchecked(cause: &str) -> String {
    format!(
        "{cause}; session_regenerate_id() goes on with an empty session under the new id, neither checked nor locked: its write will fail"
    )
}
