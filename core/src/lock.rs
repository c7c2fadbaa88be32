//! The session lock: tokens, the acquire-and-read loop, and the release command.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use redis::Value;

use crate::conn::command::{Decimal, EXEC, MULTI};
use crate::conn::{as_bytes, as_int, cmd, command, unexpected, Cmd, Router, SessionKeys};
use crate::error::{Error, ErrorKind, Result};
use crate::scripts;
use crate::settings::{ReleaseCmd, Settings};
use crate::stats;

/// A random per-request lock token: 16 random bytes as hex.
pub fn new_token() -> Vec<u8> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut raw = [0u8; 16];
    if getrandom::getrandom(&mut raw).is_err() {
        // No OS randomness: time, pid and a counter are still unique per request.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        raw[..8].copy_from_slice(&nanos.to_le_bytes());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed) ^ ((std::process::id() as u64) << 32);
        raw[8..].copy_from_slice(&n.to_le_bytes());
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut token = Vec::with_capacity(2 * raw.len());
    for b in raw {
        token.extend_from_slice(&[HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
    }
    token
}

/// What one acquire attempt saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The lock is ours; the data as it was (None = no such session).
    Acquired(Option<Vec<u8>>),
    /// Peeking (read_and_close): the lock was free and was not taken; the data as it was.
    Free(Option<Vec<u8>>),
    /// Someone else holds it, for about this much longer; whether the session's data exists.
    Busy(Duration, bool),
}

/// The acquire script's reply: an attempt, or "ours, but read the data yourself".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Attempt(Attempt),
    /// The lock is ours; the data is larger than scripts::INLINE_MAX: read it with GET.
    AcquiredLarge,
    /// Peeking found the lock free; the data is larger than INLINE_MAX: read it with GET.
    FreeLarge,
}

/// Parses the reply of the acquire-and-read script.
pub fn parse_reply(v: Value) -> Result<Reply> {
    let shape = match &v {
        Value::Array(parts) => (parts.len(), parts.first().and_then(as_int)),
        _ => (0, None),
    };
    match (shape, v) {
        ((1, Some(2)), _) => Ok(Reply::AcquiredLarge),
        ((1, Some(4)), _) => Ok(Reply::FreeLarge),
        ((2, Some(3)), Value::Array(mut parts)) => {
            let data = parts.pop().unwrap_or(Value::Nil);
            as_bytes(data)
                .map(|d| Reply::Attempt(Attempt::Free(d)))
                .map_err(|v| unexpected("lock", &v))
        }
        (_, v) => parse_attempt(v).map(Reply::Attempt),
    }
}

fn parse_attempt(v: Value) -> Result<Attempt> {
    let Value::Array(mut parts) = v else {
        return Err(unexpected("lock", &v));
    };
    let len_error = || Error::new(ErrorKind::Protocol, "lock", "unexpected reply length");
    match (as_int(parts.first().unwrap_or(&Value::Nil)), parts.len()) {
        (Some(1), 2) => as_bytes(parts.pop().unwrap_or(Value::Nil))
            .map(Attempt::Acquired)
            .map_err(|v| unexpected("lock", &v)),
        (Some(0), 3) => {
            let pttl = as_int(&parts[1]).unwrap_or(0).max(0) as u64;
            let exists = as_int(&parts[2]) == Some(1);
            Ok(Attempt::Busy(Duration::from_millis(pttl), exists))
        }
        (Some(0 | 1), _) => Err(len_error()),
        _ => Err(unexpected("lock", parts.first().unwrap_or(&Value::Nil))),
    }
}

/// The uncontended path, without Lua (plain commands cost the server a fraction of a
/// script): one transaction that takes a free lock (`SET NX PX`; with `peek` only looks
/// whether it is free) and reads the data, with early_refresh's EXPIRE between. Returns None
/// when the lock is busy: the script (scripts::ACQUIRE_READ) then decides, and queues us.
///
/// Safe without Lua because the lock is taken before the read, in one transaction: the data
/// read is the data the lock now guards. It touches neither the queue nor the wake list: a
/// free lock is free for anyone, as in the script (a release with waiters never frees it, it
/// hands it over), and a stale wake message only costs a waiter one more look.
fn try_fast(
    router: &mut dyn Router,
    keys: &SessionKeys,
    token: &[u8],
    ttl_ms: &Decimal,
    peek: bool,
    refresh: &str,
) -> Result<Option<Attempt>> {
    // The release is a script: a user the server does not let run scripts (ACL without
    // +@scripting) must be refused here, before the lock is taken (see fast_cmds). A
    // connection asks once: it remembers the answer until a NOPERM or NOSCRIPT.
    let ask = !router.may_run_scripts(keys);
    let cmds = fast_cmds(keys, token, ttl_ms, peek, refresh, ask);
    let parsed = router
        .run_all(keys, &cmds, "lock")
        .and_then(|v| parse_fast(v, peek, ask));
    match parsed {
        Err(mut e) => {
            let kind = e.kind;
            if kind == ErrorKind::TooLarge {
                e.op = "read";
            }
            // The SET may have landed before the read failed (WRONGTYPE, a reply over
            // max_size, a connection lost after the command): free the lock now rather than
            // at its TTL (fenced by our token; best effort, the read's error is the one
            // reported). Not after a connect failure or a timeout: the server is not
            // answering, and trying again would only double the wait.
            if !peek
                && matches!(
                    kind,
                    ErrorKind::Server | ErrorKind::Io | ErrorKind::Protocol | ErrorKind::TooLarge
                )
            {
                let _ = release_lua(router, keys, token, &[], ttl_ms);
            }
            Err(e)
        }
        ok => ok,
    }
}

/// The commands of [`try_fast`]'s transaction (MULTI ... EXEC): the EXEC reply goes to
/// [`parse_fast`] (with the same `ask`). Sent alone or pipelined behind another session's
/// command on one node.
///
/// The release is a script: a user the server does not let run scripts (ACL without
/// +@scripting) must be refused here, before the lock is taken, not at the release (the
/// lock would stay for its TTL). With `ask`, the transaction holds SCRIPT EXISTS, which
/// needs the same permission as EVALSHA; a refused command fails the whole transaction
/// (EXECABORT) before the SET runs. Without `ask` (this connection has run scripts already)
/// it is left out.
pub fn fast_cmds(
    keys: &SessionKeys,
    token: &[u8],
    ttl_ms: &Decimal,
    peek: bool,
    refresh: &str,
    ask: bool,
) -> Vec<Cmd> {
    let take = if peek {
        command(&[b"EXISTS", keys.lock()])
    } else {
        command(&[b"SET", keys.lock(), token, b"NX", b"PX", ttl_ms.as_bytes()])
    };
    let mut cmds = Vec::with_capacity(6);
    cmds.push(MULTI);
    if ask {
        let mut can_script = cmd("SCRIPT");
        can_script
            .arg("EXISTS")
            .arg(scripts::WRITE_RELEASE.sha1.as_bytes());
        cmds.push(can_script);
    }
    cmds.push(take);
    if refresh != "0" {
        cmds.push(command(&[b"EXPIRE", keys.data(), refresh.as_bytes()]));
    }
    cmds.extend([command(&[b"GET", keys.data()]), EXEC]);
    cmds
}

/// The EXEC reply of [`fast_cmds`] (sent with this `ask`): the attempt, or None when the
/// lock was busy.
pub fn parse_fast(v: Value, peek: bool, ask: bool) -> Result<Option<Attempt>> {
    match v {
        Value::Array(mut replies) if replies.len() >= 2 + usize::from(ask) => {
            let data = replies.pop().unwrap_or(Value::Nil);
            let first = replies.swap_remove(usize::from(ask));
            let got = match (peek, first) {
                (true, Value::Int(0)) => true,
                (true, _) => false,
                (false, Value::Okay) => true,
                (false, Value::SimpleString(s)) => s == "OK",
                (false, _) => false,
            };
            if !got {
                return Ok(None);
            }
            let data = as_bytes(data).map_err(|v| unexpected("lock", &v))?;
            Ok(Some(if peek {
                Attempt::Free(data)
            } else {
                Attempt::Acquired(data)
            }))
        }
        other => Err(unexpected("lock", &other)),
    }
}

/// One acquire-and-read attempt (one round trip). With `queue_for` set, a busy lock also
/// queues our token as a waiter for that long, so the holder's release wakes us. With `peek`
/// (read_and_close) a free lock is only looked at, not taken. `refresh`: the session TTL in
/// seconds that the read also sets (early_refresh), "0" for none. `fast`: try the plain
/// uncontended path first (see try_fast); off once we are queued (a retry must leave the
/// queue and may take a hand-off nobody popped, which only the script does).
#[allow(clippy::too_many_arguments)]
pub fn try_acquire(
    router: &mut dyn Router,
    keys: &SessionKeys,
    token: &[u8],
    ttl: Duration,
    queue_for: Option<Duration>,
    peek: bool,
    refresh: &str,
    fast: bool,
) -> Result<Attempt> {
    let ttl_ms = ttl_ms(ttl);
    if fast {
        if let Some(attempt) = try_fast(router, keys, token, &ttl_ms, peek, refresh)? {
            if matches!(attempt, Attempt::Acquired(_)) {
                stats::bump(&stats::lock_acquisitions);
            }
            return Ok(attempt);
        }
    }
    let queue_ms = queue_for.map_or(0, |d| d.as_millis().max(1)).to_string();
    let peek: &[u8] = if peek { b"1" } else { b"0" };
    let v = match router.eval(
        keys,
        &scripts::ACQUIRE_READ,
        &[
            token,
            ttl_ms.as_bytes(),
            queue_ms.as_bytes(),
            peek,
            refresh.as_bytes(),
        ],
        "lock",
    ) {
        Ok(v) => v,
        Err(e) => {
            // A script error after its SET (e.g. an ACL refusing the data key), or a reply lost
            // on a live connection, may have left our token on the lock, and Lua does not roll
            // back: free it now (fenced by our token; best effort, the error is reported).
            if matches!(
                e.kind,
                ErrorKind::Server | ErrorKind::Io | ErrorKind::Protocol
            ) {
                let _ = release_lua(router, keys, token, &[], &ttl_ms);
            }
            return Err(e);
        }
    };
    let attempt = match parse_reply(v)? {
        Reply::AcquiredLarge => match read_large(router, keys) {
            Ok(data) => Attempt::Acquired(data),
            Err(e) => {
                // The lock is ours but its data could not be read (over max_size, timed out):
                // free it now rather than at its TTL (best effort: the read error is reported).
                let _ = release_lua(router, keys, token, &[], &ttl_ms);
                return Err(e);
            }
        },
        Reply::FreeLarge => Attempt::Free(read_large(router, keys)?),
        Reply::Attempt(a) => a,
    };
    if matches!(attempt, Attempt::Acquired(_)) {
        stats::bump(&stats::lock_acquisitions);
    }
    Ok(attempt)
}

/// Reads a session too large to pass through Lua, once the lock is ours (plain GET).
fn read_large(router: &mut dyn Router, keys: &SessionKeys) -> Result<Option<Vec<u8>>> {
    let v = router.run(keys, cmd("GET").arg(keys.data()), "read")?;
    as_bytes(v).map_err(|v| unexpected("read", &v))
}

/// Why waiting ended without the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockTimeout {
    pub waited: Duration,
    pub attempts: u32,
}

/// Servers time blocked commands out on their cron tick (100 ms at the default hz 10), so a
/// BLPOP may return up to this much after its timeout.
const BLOCK_GRANULARITY: Duration = Duration::from_millis(100);

/// The longest single block: a safety net, so a wake-up lost in a race (or to a server
/// restart) costs at most this before the waiter looks again. Its place in the queue is kept.
const BLOCK_MAX: Duration = Duration::from_secs(1);

/// How to wait before the next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Block on the wake list for this long (a release wakes us at once).
    Block(Duration),
    /// Sleep this long (a wait too short for the server's timeout granularity).
    Sleep(Duration),
}

/// Chooses the next wait: block until woken, but never past the holder's lock expiry or our
/// own budget, even with the server's coarse timeouts; short remainders are slept.
pub fn next_wait(remaining: Duration, holder_ttl: Duration, poll: Duration) -> Wait {
    // +1 ms so the retry lands just after the holder's lock has expired.
    let horizon = remaining.min(holder_ttl + Duration::from_millis(1));
    if horizon > BLOCK_GRANULARITY + BLOCK_GRANULARITY / 2 {
        Wait::Block((horizon - BLOCK_GRANULARITY).min(BLOCK_MAX))
    } else {
        Wait::Sleep(poll.min(horizon).max(Duration::from_millis(1)))
    }
}

/// The lock handed to us by the holder's release: our token from now on, and the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    pub token: Vec<u8>,
    pub data: Carried,
}

/// The session as a hand-off message carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// The data (None: no session).
    Data(Option<Vec<u8>>),
    /// Larger than scripts::INLINE_MAX: read it with GET.
    ReadIt,
}

/// Parses a wake message: token + "1" + data, or token + "0" (no session), is a hand-off;
/// anything else (a bare waiter token, pushed by a native release) only says "retry now".
pub fn parse_handoff(msg: &[u8]) -> Option<Handoff> {
    let n = scripts::HANDOFF_TOKEN_LEN;
    if msg.len() <= n || !msg[..n].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let data = match (msg[n], msg.len() == n + 1) {
        (b'1', _) => Carried::Data(Some(msg[n + 1..].to_vec())),
        (b'0', true) => Carried::Data(None),
        (b'2', true) => Carried::ReadIt,
        _ => return None,
    };
    Some(Handoff {
        token: msg[..n].to_vec(),
        data,
    })
}

/// Blocks on the wake list for at most `d`; a hand-off message makes the lock ours.
/// `fractional`: the server takes fractional timeouts; else `d` is rounded down to whole
/// seconds (the caller blocks only for a second or more there).
fn block_on_wake(
    router: &mut dyn Router,
    keys: &SessionKeys,
    d: Duration,
    fractional: bool,
) -> Result<Option<Handoff>> {
    let secs = if fractional {
        format!("{:.3}", d.as_secs_f64().max(0.001))
    } else {
        d.as_secs().max(1).to_string()
    };
    let mut cmd = cmd("BLPOP");
    cmd.arg(keys.wake()).arg(secs);
    let v = router.exec(keys, std::slice::from_ref(&cmd), d, "lock wait")?;
    Ok(match v {
        Value::Array(mut kv) if kv.len() == 2 => match kv.pop() {
            Some(Value::BulkString(msg)) => parse_handoff(&msg),
            _ => None,
        },
        _ => None,
    })
}

/// The lock, once we hold it: the token that fences our writes, the token we still have in
/// the waiters queue (our own, when the lock was handed over; empty when the acquire script
/// took it out), and the data read under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acquired {
    pub token: Vec<u8>,
    pub queued: Vec<u8>,
    pub data: Option<Vec<u8>>,
    /// False when peeking found the lock free: nothing to release.
    pub held: bool,
    /// When the request that set the lock's TTL was sent: the lock cannot expire before
    /// `since + lock TTL`.
    pub since: Instant,
}

/// Takes the lock, waiting as the settings allow; returns the data read under the lock and
/// the token we hold it with (ours, or the one the previous holder handed over).
/// The wait is bounded by lock_retries x lock_wait_time (or the lock TTL for -1).
pub fn acquire(
    router: &mut dyn Router,
    keys: &SessionKeys,
    token: Vec<u8>,
    settings: &Settings,
    peek: bool,
    refresh: &str,
) -> Result<std::result::Result<Acquired, LockTimeout>> {
    let start = Instant::now();
    let budget = settings.lock_wait_budget();
    let max_attempts = settings.lock_retries.map(|n| n.max(1));
    let mut attempts = 0u32;
    let waited_for = |start: Instant| {
        stats::bump(&stats::lock_waits);
        stats::add(&stats::lock_wait_us, start.elapsed().as_micros() as u64);
    };
    loop {
        attempts += 1;
        let remaining = budget.saturating_sub(start.elapsed());
        let queue_for = Some(remaining + BLOCK_GRANULARITY * 2);
        let since = Instant::now();
        let attempt = match try_acquire(
            router,
            keys,
            &token,
            settings.lock_ttl,
            queue_for,
            peek,
            refresh,
            attempts == 1,
        ) {
            // A slot migration (ASK / TRYAGAIN past read_timeout) is a wait like any other:
            // look again within the lock-wait budget instead of failing the request.
            Err(e) if migrating(&e) && start.elapsed() < budget + MIGRATION_GRACE => {
                std::thread::sleep(settings.lock_wait_time.min(Duration::from_millis(50)));
                continue;
            }
            r => r?,
        };
        let (data, held) = match attempt {
            Attempt::Acquired(data) => (data, true),
            Attempt::Free(data) => (data, false),
            Attempt::Busy(ttl, _) => {
                let waited = start.elapsed();
                let out_of_attempts = max_attempts.is_some_and(|n| attempts >= n);
                if out_of_attempts || waited >= budget {
                    // Leave the queue, so no release hands the lock to us once we have gone
                    // (it would only sit until the next request took it over). Best effort:
                    // the timeout is the error to report.
                    let mut leave = cmd("LREM");
                    leave.arg(keys.waiters()).arg(0).arg(&token[..]);
                    let _ = router.run(keys, &leave, "lock wait");
                    return Ok(Err(LockTimeout { waited, attempts }));
                }
                if let Some(got) = wait(router, keys, &token, budget - waited, ttl, settings)? {
                    waited_for(start);
                    return Ok(Ok(got));
                }
                continue;
            }
        };
        if attempts > 1 {
            waited_for(start);
        }
        return Ok(Ok(Acquired {
            token,
            queued: Vec::new(),
            data,
            held,
            since,
        }));
    }
}

/// Waits before the next attempt: blocked on the wake list (a hand-off message makes the lock
/// ours at once) or, for a remainder too short to block on, asleep.
fn wait(
    router: &mut dyn Router,
    keys: &SessionKeys,
    token: &[u8],
    remaining: Duration,
    holder_ttl: Duration,
    settings: &Settings,
) -> Result<Option<Acquired>> {
    // Servers before Redis 6.0 take whole seconds only (and 0 = forever): a wait shorter than
    // a second is slept there.
    let fractional = fractional_timeouts(router, keys);
    let wait = match next_wait(remaining, holder_ttl, settings.lock_wait_time) {
        Wait::Block(d) if !fractional && d < Duration::from_secs(1) => {
            Wait::Sleep(settings.lock_wait_time.min(d).max(Duration::from_millis(1)))
        }
        w => w,
    };
    match wait {
        Wait::Block(d) => {
            let h = match block_on_wake(router, keys, d, fractional) {
                Ok(Some(h)) => h,
                Ok(None) => return Ok(None),
                // The wake list's slot is moving: look again (the acquire script follows it).
                Err(e) if migrating(&e) => return Ok(None),
                Err(e) => return Err(e),
            };
            // The lock is ours for the claim window only: confirm it (full TTL, our token out
            // of the queue). A stale message, or a claim window missed, is no lock: retry.
            let since = Instant::now();
            let Some(data) = confirm(router, keys, &h, token, settings.lock_ttl)? else {
                return Ok(None);
            };
            stats::bump(&stats::lock_acquisitions);
            stats::bump(&stats::lock_handoffs);
            Ok(Some(Acquired {
                token: h.token,
                queued: Vec::new(),
                data,
                held: true,
                since,
            }))
        }
        Wait::Sleep(d) => {
            std::thread::sleep(d);
            Ok(None)
        }
    }
}

/// Whether the server takes BLPOP's fractional timeouts (Redis 6.0+, every Valkey). A version
/// not known (INFO refused) is taken to be recent.
fn fractional_timeouts(router: &dyn Router, keys: &SessionKeys) -> bool {
    router
        .server_version(keys)
        .is_none_or(|v| v.fractional_block_timeout())
}

/// Confirms a popped hand-off (scripts::CONFIRM); the session data once the lock is ours, None
/// when the hand-off was no longer valid. If confirming fails, the hand-off token is released
/// best effort, so the lock is not left to the claim window.
fn confirm(
    router: &mut dyn Router,
    keys: &SessionKeys,
    h: &Handoff,
    queued: &[u8],
    ttl: Duration,
) -> Result<Option<Option<Vec<u8>>>> {
    let ttl_ms = ttl_ms(ttl);
    let read: &[u8] = if h.data == Carried::ReadIt {
        b"1"
    } else {
        b"0"
    };
    let confirmed = router
        .eval(
            keys,
            &scripts::CONFIRM,
            &[&h.token, queued, ttl_ms.as_bytes(), read],
            "lock",
        )
        .and_then(|v| {
            let Value::Array(mut parts) = v else {
                return Err(unexpected("lock", &v));
            };
            match (parts.first().and_then(as_int), parts.len()) {
                (Some(0), _) => Ok(None),
                (Some(1), 1) => Ok(Some(None)),
                (Some(1), 2) => as_bytes(parts.pop().unwrap_or(Value::Nil))
                    .map(|d| Some(Some(d)))
                    .map_err(|v| unexpected("lock", &v)),
                (Some(2), 1) => read_large(router, keys).map(|d| Some(Some(d))),
                _ => Err(unexpected("lock", &Value::Array(parts))),
            }
        });
    match confirmed {
        Ok(None) => Ok(None),
        Ok(Some(read)) => Ok(Some(match (&h.data, read) {
            (Carried::Data(d), _) => d.clone(),
            (Carried::ReadIt, d) => d.flatten(),
        })),
        Err(e) => {
            let _ = release_lua(router, keys, &h.token, queued, &ttl_ms);
            Err(e)
        }
    }
}

/// How long past the lock-wait budget a request keeps looking while its session's slot is
/// being migrated (a slot move takes milliseconds per key; a stalled one fails after this).
pub const MIGRATION_GRACE: Duration = Duration::from_secs(2);

/// Whether an error only says the session's slot is being migrated right now.
pub fn migrating(e: &Error) -> bool {
    (e.kind == ErrorKind::Cluster && e.detail.contains("being migrated"))
        || (e.kind == ErrorKind::Server && e.detail.starts_with("TRYAGAIN"))
}

/// Set once the server said it does not know DELIFEQ / DELEX: Lua from then on.
static DELIFEQ_UNSUPPORTED: AtomicBool = AtomicBool::new(false);
static DELEX_UNSUPPORTED: AtomicBool = AtomicBool::new(false);

fn flag(cmd: ReleaseCmd) -> Option<&'static AtomicBool> {
    match cmd {
        ReleaseCmd::Lua => None,
        ReleaseCmd::DelIfEq => Some(&DELIFEQ_UNSUPPORTED),
        ReleaseCmd::DelEx => Some(&DELEX_UNSUPPORTED),
    }
}

/// The release command that will actually be used (after any fallback).
pub fn effective_release_cmd(configured: ReleaseCmd) -> ReleaseCmd {
    match flag(configured) {
        Some(f) if f.load(Ordering::Relaxed) => ReleaseCmd::Lua,
        _ => configured,
    }
}

/// A native release, in one transaction: the conditional delete, our own token out of the
/// queue (if still there), and the queue's length. EXEC's reply holds the delete's answer
/// first and the queue length last. No queue side effect depends on the delete: a release
/// that deleted nothing (the lock had expired) changes nothing that others rely on.
fn release_native(
    release: ReleaseCmd,
    keys: &SessionKeys,
    token: &[u8],
    queued: &[u8],
) -> Vec<Cmd> {
    let mut del = match release {
        ReleaseCmd::DelEx => cmd("DELEX"),
        _ => cmd("DELIFEQ"),
    };
    del.arg(keys.lock());
    if release == ReleaseCmd::DelEx {
        del.arg("IFEQ");
    }
    del.arg(token);
    let mut cmds = vec![MULTI, del];
    if !queued.is_empty() {
        let mut leave = cmd("LREM");
        leave.arg(keys.waiters()).arg(0).arg(queued);
        cmds.push(leave);
    }
    let mut waiting = cmd("LLEN");
    waiting.arg(keys.waiters());
    cmds.extend([waiting, EXEC]);
    cmds
}

/// After a native release that deleted our lock while others were queued: hands the lock to
/// the longest-blocked waiter without Lua, if it is still free. One transaction: take the lock
/// with a fresh hand-off token (NX: a request that took the free lock meanwhile keeps it) and
/// push a "read it" hand-off message for that token. The waiter that pops it confirms the
/// token (scripts::CONFIRM), so a message whose SET NX lost is a harmless retry.
fn handoff_native(keys: &SessionKeys, token: &[u8], lock_ttl_ms: &Decimal) -> Vec<Cmd> {
    let h = sha1_smol::Sha1::from(token).digest().to_string();
    let claim = lock_ttl_ms
        .parse::<u64>()
        .unwrap_or(scripts::HANDOFF_CLAIM_MS)
        .min(scripts::HANDOFF_CLAIM_MS)
        .to_string();
    let mut set = cmd("SET");
    set.arg(keys.lock()).arg(&h).arg("NX").arg("PX").arg(&claim);
    let mut clear = cmd("DEL");
    clear.arg(keys.wake());
    let mut push = cmd("RPUSH");
    push.arg(keys.wake()).arg(format!("{h}2"));
    let mut expire = cmd("PEXPIRE");
    expire.arg(keys.wake()).arg(&claim);
    vec![MULTI, set, clear, push, expire, EXEC]
}

/// Releases the lock if it is still ours (one round trip). Returns whether we still held it,
/// and a warning when the configured command is unknown to the server (said once per process).
pub fn release(
    handler: &str,
    router: &mut dyn Router,
    keys: &SessionKeys,
    token: &[u8],
    queued: &[u8],
    configured: ReleaseCmd,
    lock_ttl_ms: &Decimal,
) -> Result<(bool, Option<String>)> {
    let cmd = effective_release_cmd(configured);
    if cmd != ReleaseCmd::Lua {
        match router.run_all(keys, &release_native(cmd, keys, token, queued), "unlock") {
            Ok(Value::Array(replies)) => {
                let deleted = replies.first().and_then(as_int) == Some(1);
                let waiting = replies.last().and_then(as_int).unwrap_or(0);
                if deleted && waiting > 0 {
                    // Best effort: a waiter not handed the lock finds it free when its block
                    // (at most BLOCK_MAX) ends.
                    let _ =
                        router.run_all(keys, &handoff_native(keys, token, lock_ttl_ms), "unlock");
                }
                return Ok((deleted, None));
            }
            Ok(other) => return Err(unexpected("unlock", &other)),
            Err(e) if e.kind == ErrorKind::Server && e.detail.contains("unknown command") => {
                let first = !flag(cmd).is_some_and(|f| f.swap(true, Ordering::Relaxed));
                let warning = first.then(|| (cmd, router.node_of(keys)));
                let held = release_lua(router, keys, token, queued, lock_ttl_ms)?;
                return Ok((
                    held,
                    warning.map(|(c, node)| {
                        crate::messages::release_cmd_unsupported(handler, &node, c.name())
                    }),
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok((release_lua(router, keys, token, queued, lock_ttl_ms)?, None))
}

/// The lock TTL as the release scripts take it (ms), for the next holder of a hand-off.
pub fn ttl_ms(ttl: Duration) -> Decimal {
    Decimal::unsigned(u64::try_from(ttl.as_millis().max(1)).unwrap_or(u64::MAX))
}

fn release_lua(
    router: &mut dyn Router,
    keys: &SessionKeys,
    token: &[u8],
    queued: &[u8],
    lock_ttl_ms: &Decimal,
) -> Result<bool> {
    let v = router.eval(
        keys,
        &scripts::RELEASE,
        &[token, queued, lock_ttl_ms.as_bytes()],
        "unlock",
    )?;
    Ok(as_int(&v) == Some(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.iter().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn waits_block_until_woken_but_never_past_bounds() {
        let ms = Duration::from_millis;
        // Plenty of budget, holder has 30 s left: block, but a second at most at a time.
        assert_eq!(
            next_wait(ms(2000), ms(30_000), ms(20)),
            Wait::Block(ms(1000))
        );
        assert_eq!(next_wait(ms(900), ms(30_000), ms(20)), Wait::Block(ms(800)));
        // The holder's lock ends first: wake up just after it.
        assert_eq!(next_wait(ms(2000), ms(500), ms(20)), Wait::Block(ms(401)));
        // Too short to block precisely: sleep one poll interval, at most the remainder.
        assert_eq!(next_wait(ms(100), ms(30_000), ms(20)), Wait::Sleep(ms(20)));
        assert_eq!(next_wait(ms(5), ms(30_000), ms(20)), Wait::Sleep(ms(5)));
        assert_eq!(next_wait(ms(2000), ms(0), ms(20)), Wait::Sleep(ms(1)));
    }

    #[test]
    fn parses_acquire_replies() {
        let got = parse_attempt(Value::Array(vec![
            Value::Int(1),
            Value::BulkString(b"a|i:1;".to_vec()),
        ]))
        .unwrap();
        assert_eq!(got, Attempt::Acquired(Some(b"a|i:1;".to_vec())));
        let got = parse_attempt(Value::Array(vec![Value::Int(1), Value::Nil])).unwrap();
        assert_eq!(got, Attempt::Acquired(None));
        let got = parse_attempt(Value::Array(vec![
            Value::Int(0),
            Value::Int(1500),
            Value::Int(1),
        ]))
        .unwrap();
        assert_eq!(got, Attempt::Busy(Duration::from_millis(1500), true));
        let got = parse_attempt(Value::Array(vec![
            Value::Int(0),
            Value::Int(9),
            Value::Int(0),
        ]))
        .unwrap();
        assert_eq!(got, Attempt::Busy(Duration::from_millis(9), false));
        assert!(parse_attempt(Value::Array(vec![Value::Int(0), Value::Int(1500)])).is_err());
        assert!(parse_attempt(Value::Int(1)).is_err());
        assert!(parse_attempt(Value::Array(vec![Value::Int(7), Value::Nil])).is_err());
        assert!(parse_attempt(Value::Array(vec![Value::Int(1)])).is_err());
        let got = parse_reply(Value::Array(vec![Value::Int(2)])).unwrap();
        assert_eq!(got, Reply::AcquiredLarge);
        assert!(parse_reply(Value::Array(vec![Value::Int(3)])).is_err());
    }

    #[test]
    fn native_release_commands_carry_key_and_token() {
        let keys = SessionKeys::new(0, b"d", b"d_LOCK");
        let packed = |cmds: Vec<Cmd>| -> Vec<Vec<u8>> { cmds.iter().map(|c| c.packed()).collect() };
        let delex = packed(release_native(ReleaseCmd::DelEx, &keys, b"tok", b"q"));
        assert_eq!(delex[0], b"*1\r\n$5\r\nMULTI\r\n".to_vec());
        assert_eq!(
            delex[1],
            b"*4\r\n$5\r\nDELEX\r\n$6\r\nd_LOCK\r\n$4\r\nIFEQ\r\n$3\r\ntok\r\n".to_vec()
        );
        assert_eq!(
            delex[2],
            b"*4\r\n$4\r\nLREM\r\n$14\r\nd_LOCK_WAITERS\r\n$1\r\n0\r\n$1\r\nq\r\n".to_vec()
        );
        assert_eq!(
            delex[3],
            b"*2\r\n$4\r\nLLEN\r\n$14\r\nd_LOCK_WAITERS\r\n".to_vec()
        );
        assert_eq!(delex[4], b"*1\r\n$4\r\nEXEC\r\n".to_vec());
        let delifeq = packed(release_native(ReleaseCmd::DelIfEq, &keys, b"tok", b"q"));
        assert_eq!(
            delifeq[1],
            b"*3\r\n$7\r\nDELIFEQ\r\n$6\r\nd_LOCK\r\n$3\r\ntok\r\n".to_vec()
        );
        // Nothing of ours left queued: no LREM. Nothing but the delete writes anything.
        let plain = packed(release_native(ReleaseCmd::DelIfEq, &keys, b"tok", b""));
        assert_eq!(plain.len(), 4);
        assert_eq!(plain[2], delex[3]);
        // The hand-off after it: SET NX of the hand-off token for the claim window, a
        // "read it" message for that token.
        let h = sha1_smol::Sha1::from(b"tok").digest().to_string();
        let off = packed(handoff_native(&keys, b"tok", &Decimal::unsigned(30000)));
        let set = String::from_utf8(off[1].clone()).unwrap();
        assert!(
            set.contains(&h) && set.contains("NX") && set.contains("\r\n1000\r\n"),
            "{set}"
        );
        assert!(String::from_utf8(off[3].clone())
            .unwrap()
            .contains(&format!("{h}2")));
        assert!(parse_handoff(format!("{h}2").as_bytes()).is_some());
        let short = String::from_utf8(
            packed(handoff_native(&keys, b"tok", &Decimal::unsigned(500)))[1].clone(),
        )
        .unwrap();
        assert!(short.contains("\r\n500\r\n"), "{short}");
    }

    #[test]
    fn handoff_messages_carry_token_and_data() {
        let tok = "0123456789abcdef0123456789abcdef01234567";
        let with = |rest: &[u8]| [tok.as_bytes(), rest].concat();
        assert_eq!(
            parse_handoff(&with(b"1a|i:1;")),
            Some(Handoff {
                token: tok.as_bytes().to_vec(),
                data: Carried::Data(Some(b"a|i:1;".to_vec()))
            })
        );
        // An empty session and no session are different.
        assert_eq!(
            parse_handoff(&with(b"1")).unwrap().data,
            Carried::Data(Some(vec![]))
        );
        assert_eq!(
            parse_handoff(&with(b"0")).unwrap().data,
            Carried::Data(None)
        );
        assert_eq!(parse_handoff(&with(b"2")).unwrap().data, Carried::ReadIt);
        // Not hand-offs: a bare waiter token (native release), the old "1" wake-up, junk.
        assert_eq!(parse_handoff(&tok.as_bytes()[..32]), None);
        assert_eq!(parse_handoff(b"1"), None);
        assert_eq!(parse_handoff(tok.as_bytes()), None);
        assert_eq!(parse_handoff(&with(b"0x")), None);
        assert_eq!(parse_handoff(&with(b"3")), None);
        assert_eq!(parse_handoff(&with(b"2x")), None);
        let mut bad = with(b"1x");
        bad[3] = b'z';
        assert_eq!(parse_handoff(&bad), None);
    }
}
