//! The Lua scripts of the lock protocol, each with its SHA1 (sent by hash, loaded on NOSCRIPT).
//!
//! Every script touches only KEYS[1] (data) and KEYS[2] (lock), which share a slot, so each
//! runs on one node in one round trip.

use once_cell::sync::Lazy;

/// A Lua script and its SHA1, as EVALSHA wants it.
#[derive(Debug)]
pub struct Script {
    pub name: &'static str,
    pub source: String,
    pub sha1: String,
}

impl Script {
    fn new(name: &'static str, source: String) -> Script {
        let sha1 = sha1_smol::Sha1::from(&source).digest().to_string();
        Script { name, source, sha1 }
    }
}

// Every script gets KEYS = [data, lock, waiters, wake]; all four share a slot (the lock key
// carries the data key's hash tag and the others extend the lock key).
//
// Waiting: a request that finds the lock taken queues its token on `waiters` and blocks on
// `wake` (BLPOP). Whoever releases the lock pushes one wake-up per queued waiter (at most),
// so the longest-waiting request (Redis serves BLPOP clients in arrival order) retries at
// once instead of at its next poll.

/// Pushes one wake-up when someone is waiting (Lua prelude shared by the release scripts).
const WAKE_FN: &str = r#"
local function wake()
  local n = redis.call('LLEN', KEYS[3])
  if n > 0 then
    redis.call('RPUSH', KEYS[4], '1')
    redis.call('LTRIM', KEYS[4], 0, n - 1)
    redis.call('PEXPIRE', KEYS[4], 5000)
  end
end
"#;

/// Take the lock and read the data in one step.
/// ARGV: token, lock TTL in ms, queue TTL in ms ("0": do not queue as a waiter).
/// Returns {1, data or false} when the lock is ours, {0, remaining lock TTL in ms} when
/// someone else holds it (and then our token is queued on `waiters`).
pub static ACQUIRE_READ: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "acquire_read",
        r#"
-- A session key of another type fails here, before the lock is taken.
local t = redis.call('TYPE', KEYS[1])['ok']
if t ~= 'string' and t ~= 'none' then
  return redis.error_reply('WRONGTYPE the session key holds a ' .. t .. ', not a string')
end
-- Ours already: a retry after a connection dropped before its reply arrived.
if redis.call('GET', KEYS[2]) == ARGV[1] then
  return {1, redis.call('GET', KEYS[1])}
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if ARGV[3] ~= '0' then redis.call('LREM', KEYS[3], 0, ARGV[1]) end
  return {1, redis.call('GET', KEYS[1])}
end
if ARGV[3] ~= '0' then
  redis.call('LREM', KEYS[3], 0, ARGV[1])
  redis.call('RPUSH', KEYS[3], ARGV[1])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
return {0, redis.call('PTTL', KEYS[2])}
"#
        .to_string(),
    )
});

/// Write the data and release the lock, only while the lock is still ours (fenced).
/// ARGV: token, data TTL in s, data. Returns 1 when written, 0 when the lock was not ours.
pub static WRITE_RELEASE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "write_release",
        format!(
            r#"{WAKE_FN}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
redis.call('DEL', KEYS[2])
wake()
return 1
"#
        ),
    )
});

/// Refresh the data TTL and release the lock, only while the lock is still ours.
/// ARGV: token, data TTL in s. Returns 1 when done, 0 when the lock was not ours.
pub static TOUCH_RELEASE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "touch_release",
        format!(
            r#"{WAKE_FN}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
wake()
return 1
"#
        ),
    )
});

/// Release the lock if it is ours. ARGV: token. Returns 1 or 0.
pub static RELEASE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "release",
        format!(
            r#"{WAKE_FN}
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
  wake()
  return 1
end
return 0
"#
        ),
    )
});

/// Delete the data, and the lock if it is ours. ARGV: token (empty when not locking). Returns 1.
pub static DESTROY: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "destroy",
        format!(
            r#"{WAKE_FN}
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
  wake()
end
return 1
"#
        ),
    )
});

/// Every script, loaded together when a server answers NOSCRIPT.
pub static ALL: Lazy<[&'static Script; 5]> = Lazy::new(|| {
    [
        &ACQUIRE_READ,
        &WRITE_RELEASE,
        &TOUCH_RELEASE,
        &RELEASE,
        &DESTROY,
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_is_the_hex_digest_of_the_source() {
        let s = Script::new("t", "return 1".to_string());
        assert_eq!(s.sha1, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        for s in [
            &*ACQUIRE_READ,
            &*WRITE_RELEASE,
            &*TOUCH_RELEASE,
            &*RELEASE,
            &*DESTROY,
        ] {
            assert_eq!(s.sha1.len(), 40, "{}", s.name);
        }
    }

    #[test]
    fn scripts_touch_only_their_declared_keys() {
        for s in ALL.iter() {
            assert!(!s.source.contains("KEYS[5]"), "{}", s.name);
            assert!(s.source.contains("KEYS[2]"), "{}", s.name);
        }
    }

    #[test]
    fn every_release_wakes_a_waiter() {
        for s in [&*WRITE_RELEASE, &*TOUCH_RELEASE, &*RELEASE, &*DESTROY] {
            assert!(s.source.contains("wake()\n"), "{}", s.name);
        }
    }
}
