//! The Lua scripts of the lock protocol, each with its SHA1 (sent by hash, loaded on NOSCRIPT).
//!
//! Every script touches only its KEYS (data, lock, waiters, wake), which share a slot, so each
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
// Waiting and hand-off: a request that finds the lock taken queues its token on `waiters`
// and blocks on `wake` (BLPOP). A release that finds waiters queued does not free the lock:
// it hands it over. It sets the lock to a new token H (the SHA1 of the releasing token, so
// unique along a chain of hand-offs) and pushes one message "H" + "1" + data (or "H" + "0"
// for no session) on `wake`. The waiter blocked longest (servers serve BLPOP clients in
// arrival order) pops it and owns the lock with token H and the data, with no further round
// trip. A message nobody popped (its waiter gave up or died) is claimed by the next acquire
// attempt of anyone, so a hand-off can never strand the lock; and a message outlives neither
// the lock it hands over (same PX) nor a fresh acquire (which deletes it as stale).

/// Length of a hand-off token (SHA1 hex); a message is token + flag + data.
pub const HANDOFF_TOKEN_LEN: usize = 40;

/// Hands the lock to the next waiter, or frees it when nobody waits (Lua prelude shared by
/// the release scripts). `ttl`: lock TTL in ms for the next holder; `data`: the session as it
/// now is (false: none).
const HANDOFF_FN: &str = r#"
local function handoff(ttl, data)
  if redis.call('LPOP', KEYS[3]) == false then
    redis.call('DEL', KEYS[2])
    return
  end
  local h = redis.sha1hex(redis.call('GET', KEYS[2]))
  redis.call('SET', KEYS[2], h, 'PX', ttl)
  redis.call('DEL', KEYS[4])
  if data then
    redis.call('RPUSH', KEYS[4], h .. '1' .. data)
  else
    redis.call('RPUSH', KEYS[4], h .. '0')
  end
  redis.call('PEXPIRE', KEYS[4], ttl)
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
local cur = redis.call('GET', KEYS[2])
-- Ours already: a retry after a connection dropped before its reply arrived.
if cur == ARGV[1] then
  return {1, redis.call('GET', KEYS[1])}
end
local take = false
if cur == false then
  -- Free: any hand-off message left is stale.
  redis.call('DEL', KEYS[4])
  take = true
else
  -- Handed off to a waiter that has not popped its message (gone, or not blocked yet):
  -- whoever comes first takes it over.
  local m = redis.call('LINDEX', KEYS[4], 0)
  if m and #m > 40 and string.sub(m, 1, 40) == cur then
    redis.call('DEL', KEYS[4])
    take = true
  end
end
if take then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
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
/// ARGV: token, data TTL in s, data, lock TTL in ms (for a hand-off).
/// Returns 1 when written, 0 when the lock was not ours.
pub static WRITE_RELEASE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "write_release",
        format!(
            r#"{HANDOFF_FN}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
handoff(ARGV[4], ARGV[3])
return 1
"#
        ),
    )
});

/// Refresh the data TTL and release the lock, only while the lock is still ours.
/// ARGV: token, data TTL in s, lock TTL in ms. Returns 1 when done, 0 when the lock was not ours.
pub static TOUCH_RELEASE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "touch_release",
        format!(
            r#"{HANDOFF_FN}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('EXPIRE', KEYS[1], ARGV[2])
if redis.call('LLEN', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[2])
else
  handoff(ARGV[3], redis.call('GET', KEYS[1]))
end
return 1
"#
        ),
    )
});

/// Release the lock if it is ours. ARGV: token, lock TTL in ms. Returns 1 or 0.
pub static RELEASE: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "release",
        format!(
            r#"{HANDOFF_FN}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
if redis.call('LLEN', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[2])
else
  handoff(ARGV[2], redis.call('GET', KEYS[1]))
end
return 1
"#
        ),
    )
});

/// Delete the data, and release the lock if it is ours (handing it over with no session).
/// ARGV: token (empty when not locking), lock TTL in ms. Returns 1.
pub static DESTROY: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "destroy",
        format!(
            r#"{HANDOFF_FN}
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then
  handoff(ARGV[2], false)
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
    fn every_release_hands_the_lock_to_a_waiter() {
        for s in [&*WRITE_RELEASE, &*TOUCH_RELEASE, &*RELEASE, &*DESTROY] {
            assert!(s.source.contains("handoff(ARGV["), "{}", s.name);
        }
        // The acquire script recognises a hand-off token by its length.
        assert!(ACQUIRE_READ
            .source
            .contains(&format!("string.sub(m, 1, {HANDOFF_TOKEN_LEN})")));
    }
}
