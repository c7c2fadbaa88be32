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
        let source = source
            .replace("INLINE_MAX", &INLINE_MAX.to_string())
            .replace("HANDOFF_TOKEN_LEN", &HANDOFF_TOKEN_LEN.to_string())
            .replace("CLAIM_MS", &HANDOFF_CLAIM_MS.to_string());
        let sha1 = sha1_smol::Sha1::from(&source).digest().to_string();
        Script { name, source, sha1 }
    }
}

// Every script gets KEYS = [data, lock, waiters, wake]; all four share a slot (the lock key
// carries the data key's hash tag and the others extend the lock key).
//
// Waiting and hand-off: a request that finds the lock taken queues its token on `waiters`
// (once; it keeps its place) and blocks on `wake` (BLPOP). Only a waiter removes its own
// token: when it takes a free lock, when it gives up, or when it releases a lock it was
// handed. A release that finds other tokens queued does not free the lock: it hands it over.
// It sets the lock to a new token H (the SHA1 of the releasing token, so unique along a chain
// of hand-offs) and pushes one message "H" + "1" + data (or "H" + "0" for no session) on
// `wake`. The waiter blocked longest (servers serve BLPOP clients in arrival order) pops it
// and owns the lock with token H and the data, with no further round trip. A message nobody
// popped yet (its waiter was between queueing and blocking, or gave up, or died) is taken by
// the next acquire attempt or BLPOP of anyone, so a hand-off never strands the lock. Whoever
// is passed over that way keeps its place and gets the next hand-off. A message outlives
// neither the lock it hands over (same PX) nor a fresh acquire (which deletes it as stale).
// Waiters block at most a second at a time, so even a lost wake-up costs at most that.
//
// Release scripts share ARGV[1] = the lock token, ARGV[2] = the token the releasing request
// still has queued (its own random one, after it was handed the lock; "" when the acquire
// script already took it out), ARGV[3] = the lock TTL in ms for the next holder.

/// How long a handed-off lock waits for its new holder to confirm it (CONFIRM), in ms: the
/// bound on how long a hand-off whose waiter died or timed out right after popping it keeps
/// the lock from everyone else.
pub const HANDOFF_CLAIM_MS: u64 = 1000;

/// Length of a hand-off token (SHA1 hex); a message is token + flag + data.
pub const HANDOFF_TOKEN_LEN: usize = 40;

/// Sessions stored larger than this are never returned through Lua: copying them into and
/// out of the script engine costs the server far more than plain GET/SET (about 1 ms per
/// MB). Reads then take one more round trip (GET), and hand-off messages say "read it"
/// (flag "2") instead of carrying them.
pub const INLINE_MAX: usize = 32 * 1024;

/// Writes larger than this (as stored) are staged instead of passed to Lua: on Redis 7 the
/// staged write costs the server less from about 8-16 KiB up (Valkey 9: about 32 KiB), and
/// unlike a large read it costs no extra round trip.
pub const STAGE_MIN: usize = 16 * 1024;

/// The end of every release script, run once the lock is known to be ours: leave the queue;
/// nobody else in it: delete the lock; else give the lock to the waiters, with `data` (Lua
/// statements that set the local `data`: the session as it now is, `true` for "read it
/// yourself", false for none; only run when handing off). Returns 1.
/// Written out in each script, not as Lua functions: a script's functions are closures built
/// again on every call, which cost ~0.5 us per release on Redis 7 (bench/scriptcost.py).
fn release_and_return(data: &str) -> String {
    format!(
        r#"
if ARGV[2] ~= '' then redis.call('LREM', KEYS[3], 0, ARGV[2]) end
if redis.call('LLEN', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[2])
  return 1
end
-- Hand-off. The lock is held for the claim window only: the waiter that pops the message
-- confirms (CONFIRM) and only then gets the full TTL, so a waiter that dies or times out after
-- popping strands the lock for at most the claim window. Under maxmemory a first write may be
-- refused: then release plainly (waiters find the lock free within the block cap).
{data}
local h = redis.sha1hex(ARGV[1])
local claim = math.min(CLAIM_MS, tonumber(ARGV[3]))
local set = redis.pcall('SET', KEYS[2], h, 'PX', claim)
if type(set) == 'table' and set.err then
  redis.call('DEL', KEYS[2])
  return 1
end
redis.call('DEL', KEYS[4])
if data == true then
  redis.call('RPUSH', KEYS[4], h .. '2')
elseif data then
  redis.call('RPUSH', KEYS[4], h .. '1' .. data)
else
  redis.call('RPUSH', KEYS[4], h .. '0')
end
redis.call('PEXPIRE', KEYS[4], claim)
return 1
"#
    )
}

/// `data` for a release that did not change the session: what is stored now (true when it is
/// larger than INLINE_MAX, or when the read is refused by an ACL: the receiver reads it).
const CURRENT: &str = r#"local data = true
if redis.call('STRLEN', KEYS[1]) <= INLINE_MAX then
  local v = redis.pcall('GET', KEYS[1])
  if not (type(v) == 'table' and v.err) then data = v end
end"#;

/// A release script: `body` (which checks the lock is ours), then the release.
fn releasing(name: &'static str, body: &str, data: &str) -> Script {
    Script::new(name, format!("{body}{}", release_and_return(data)))
}

/// Take the lock and read the data in one step.
/// ARGV: token, lock TTL in ms, queue TTL in ms ("0": do not queue as a waiter), "1" to
/// peek (read_and_close: a free lock is not taken), session TTL in s to refresh as the data
/// is read (redis.session.early_refresh, like GETEX ... EX; "0" = off).
/// Returns {1, data or false} when the lock is ours, {2} when it is ours and the data is
/// larger than INLINE_MAX (read it with GET), {3, data or false} / {4} likewise when peeking
/// found the lock free (not taken), {0, remaining lock TTL in ms, 1 if the data exists else 0}
/// when someone else holds it (and then our token is queued on `waiters`).
pub static ACQUIRE_READ: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "acquire_read",
        r#"
local function read(taken)
  -- early_refresh: the read refreshes the session TTL (EXPIRE of a missing key is a no-op).
  -- A refused refresh or read (an ACL) gives the lock just taken back: Lua does not roll back.
  local e = ARGV[5] ~= '0' and redis.pcall('EXPIRE', KEYS[1], ARGV[5])
  local v = (type(e) == 'table' and e) or redis.pcall('STRLEN', KEYS[1])
  if type(v) == 'number' then
    if v > INLINE_MAX then return {2} end
    v = redis.pcall('GET', KEYS[1])
  end
  if type(v) == 'table' and v.err then
    if taken then redis.call('DEL', KEYS[2]) end
    return v
  end
  return {1, v}
end
-- A session key of another type fails here, before the lock is taken.
local t = redis.call('TYPE', KEYS[1])['ok']
if t ~= 'string' and t ~= 'none' then
  return redis.error_reply('WRONGTYPE the session key holds a ' .. t .. ', not a string')
end
local cur = redis.call('GET', KEYS[2])
-- Ours already: a retry after a connection dropped before its reply arrived.
if cur == ARGV[1] then
  return read(true)
end
-- Peek (read_and_close): a free lock need not be taken, only the data read.
if cur == false and ARGV[4] == '1' then
  if ARGV[3] ~= '0' then redis.call('LREM', KEYS[3], 0, ARGV[1]) end
  local r = read(false)
  if r.err then return r end
  r[1] = r[1] + 2
  return r
end
local take = cur == false
if not take then
  -- Handed off, its message not popped yet (the waiter is not blocked yet, or has gone):
  -- take it over like a BLPOP would. A live waiter passed over keeps its place in the queue,
  -- so our own release hands the lock on to it.
  local m = redis.call('LINDEX', KEYS[4], 0)
  take = m ~= false and #m > HANDOFF_TOKEN_LEN and string.sub(m, 1, HANDOFF_TOKEN_LEN) == cur
end
if take then
  -- The lock first: under maxmemory only a script's first write may be refused.
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  -- The message taken over, or one left from a lock that has since expired.
  redis.call('DEL', KEYS[4])
  if ARGV[3] ~= '0' then redis.call('LREM', KEYS[3], 0, ARGV[1]) end
  return read(true)
end
-- Busy. Queue once, keeping our place when we were queued already.
if ARGV[3] ~= '0' then
  -- LPOS (Redis 6.0.6+) stops at our token instead of copying the whole queue into Lua;
  -- older servers answer an error, and the queue is scanned instead.
  local pos = redis.pcall('LPOS', KEYS[3], ARGV[1])
  if type(pos) == 'table' and pos.err then
    pos = false
    for _, t in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
      if t == ARGV[1] then pos = 0 break end
    end
  end
  if pos == false then redis.call('RPUSH', KEYS[3], ARGV[1]) end
  -- Never shorten the queue's life: an earlier waiter may wait longer than we do.
  if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[3]) then
    redis.call('PEXPIRE', KEYS[3], ARGV[3])
  end
end
-- Whether the session exists, for strict mode (an id with no data is refused, locked or not).
return {0, redis.call('PTTL', KEYS[2]), redis.call('EXISTS', KEYS[1])}
"#
        .to_string(),
    )
});

/// Confirms a hand-off the waiter popped: while the lock is still the hand-off token, gives it
/// the full TTL, takes the waiter's own token out of the queue and reads the data when the
/// message did not carry it. ARGV: hand-off token, our queued token, lock TTL in ms, "1" to
/// read the data. Returns {0} when the claim window had passed (the lock is not ours), else
/// {1, data or false} (read), {2} (read it with GET: larger than INLINE_MAX) or {1} (not read).
pub static CONFIRM: Lazy<Script> = Lazy::new(|| {
    Script::new(
        "confirm",
        r#"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {0} end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('LREM', KEYS[3], 0, ARGV[2])
if ARGV[4] ~= '1' then return {1} end
if redis.call('STRLEN', KEYS[1]) > INLINE_MAX then return {2} end
return {1, redis.call('GET', KEYS[1])}
"#
        .to_string(),
    )
});

/// Write the data and release the lock, only while the lock is still ours (fenced).
/// ARGV: token, queued token, lock TTL in ms, data TTL in s, data.
/// Returns 1 when written, 0 when the lock was not ours.
pub static WRITE_RELEASE: Lazy<Script> = Lazy::new(|| {
    releasing(
        "write_release",
        r#"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[5], 'EX', ARGV[4])"#,
        "local data = #ARGV[5] > INLINE_MAX or ARGV[5]",
    )
});

/// Refresh the data TTL and release the lock, only while the lock is still ours.
/// ARGV: token, queued token, lock TTL in ms, data TTL in s.
/// Returns 1 when done, 0 when the lock was not ours.
pub static TOUCH_RELEASE: Lazy<Script> = Lazy::new(|| {
    releasing(
        "touch_release",
        r#"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('EXPIRE', KEYS[1], ARGV[4])"#,
        CURRENT,
    )
});

/// Release the lock if it is ours. ARGV: token, queued token, lock TTL in ms. Returns 1 or 0.
pub static RELEASE: Lazy<Script> = Lazy::new(|| {
    releasing(
        "release",
        r#"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end"#,
        CURRENT,
    )
});

/// Delete the data and release the lock (handing it over with no session), only while the
/// lock is still ours (fenced: a request whose lock expired must not delete what the next
/// holder wrote). ARGV: token, queued token, lock TTL in ms. Returns 1, or 0 when not ours.
pub static DESTROY: Lazy<Script> = Lazy::new(|| {
    releasing(
        "destroy",
        r#"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])"#,
        "local data = false",
    )
});

/// Moves a staged large write into place and releases the lock, only while the lock is
/// still ours (fenced); sent as EVAL inside MULTI right after `SET staged data EX ttl`, so the
/// bytes never enter Lua. KEYS: data, lock, waiters, wake, staged.
/// ARGV: token, queued token, lock TTL in ms. Returns 1 when written, 0 when not ours.
pub static COMMIT_RELEASE: Lazy<Script> = Lazy::new(|| {
    releasing(
        "commit_release",
        r#"
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  redis.call('DEL', KEYS[5])
  return 0
end
redis.call('RENAME', KEYS[5], KEYS[1])"#,
        "local data = true",
    )
});

/// Every script, loaded together when a server answers NOSCRIPT.
pub static ALL: Lazy<[&'static Script; 6]> = Lazy::new(|| {
    [
        &ACQUIRE_READ,
        &CONFIRM,
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
        for s in [
            &*WRITE_RELEASE,
            &*TOUCH_RELEASE,
            &*RELEASE,
            &*DESTROY,
            &*COMMIT_RELEASE,
        ] {
            assert!(
                s.source.contains("sha1hex(ARGV[1])") && s.source.contains("RPUSH', KEYS[4]"),
                "{}",
                s.name
            );
            assert!(!s.source.contains("function"), "{}: no closures", s.name);
            assert!(
                !s.source.contains("INLINE_MAX"),
                "{}: limit filled in",
                s.name
            );
        }
        assert!(ACQUIRE_READ
            .source
            .contains(&format!("> {INLINE_MAX} then")));
        assert!(release_and_return("").contains("sha1hex"), "40 hex digits");
        assert_eq!(HANDOFF_TOKEN_LEN, 40);
    }
}

/// `cargo test -p redis_session_core --release dump_scripts -- --ignored`: writes every
/// script's source to $SCRIPTS_DUMP (default .tmp/scripts/<name>.lua), for profiling them
/// alone (bench/scriptcost.sh).
#[cfg(test)]
mod dump {
    #[test]
    #[ignore]
    fn dump_scripts() {
        let dir = std::env::var("SCRIPTS_DUMP").unwrap_or_else(|_| "../.tmp/scripts".into());
        std::fs::create_dir_all(&dir).unwrap();
        for s in super::ALL.iter().copied().chain([&*super::COMMIT_RELEASE]) {
            std::fs::write(format!("{dir}/{}.lua", s.name), &s.source).unwrap();
        }
    }
}
