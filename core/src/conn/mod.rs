//! Connections: one node (with our own timeouts), the per-process pool, and the three routers
//! (a standalone server picked by session id, a cluster routed by slot, or the master that
//! Sentinel names).

pub mod cluster;
pub mod command;
pub mod node;
pub mod pool;
pub mod resp;
pub mod sentinel;
pub mod standalone;
pub mod version;

pub use command::{cmd, command, Cmd};
pub use redis::Value;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::scripts::{self, Script};

/// The keys of one session and where they live. The four key names share one buffer behind
/// an `Arc`: a request builds them once, and copies of them (the lock held, a pending
/// release) cost no allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKeys {
    /// Standalone: index of the save_path server the id maps to (0 on a cluster).
    pub server: usize,
    names: Arc<KeyNames>,
}

/// Keys are equal when their names are (whether the slot was worked out yet does not count).
impl PartialEq for KeyNames {
    fn eq(&self, other: &KeyNames) -> bool {
        (&self.buf, self.data_end, self.lock_end, self.waiters_end)
            == (
                &other.buf,
                other.data_end,
                other.lock_end,
                other.waiters_end,
            )
    }
}

impl Eq for KeyNames {}

/// How the lock key is named: given whole, or the data key between two affixes.
#[derive(Clone, Copy)]
enum LockName<'a> {
    Given(&'a [u8]),
    Around(&'a [u8], &'a [u8]),
}

/// data, lock, waiters and wake back to back in `buf`; each `*_end` is where one ends.
#[derive(Debug)]
struct KeyNames {
    buf: Vec<u8>,
    data_end: usize,
    lock_end: usize,
    waiters_end: usize,
    /// The cluster slot of the data key, worked out when first asked.
    slot: OnceLock<u16>,
}

impl SessionKeys {
    /// Keys for `data`/`lock`; the waiter keys extend the lock key, so share its slot.
    pub fn new(server: usize, data: &[u8], lock: &[u8]) -> SessionKeys {
        SessionKeys::assemble(server, &[data], LockName::Given(lock))
    }

    /// The keys of session `id` under `prefix`: data key `<prefix><id>`, lock key
    /// `<lock_affixes.0><data key><lock_affixes.1>` (see keys::lock_affixes).
    pub fn of_session(
        server: usize,
        prefix: &str,
        id: &str,
        lock_affixes: (&str, &str),
    ) -> SessionKeys {
        SessionKeys::assemble(
            server,
            &[prefix.as_bytes(), id.as_bytes()],
            LockName::Around(lock_affixes.0.as_bytes(), lock_affixes.1.as_bytes()),
        )
    }

    /// All four keys in one buffer, without building any of them on its own first.
    fn assemble(server: usize, data: &[&[u8]], lock: LockName) -> SessionKeys {
        const WAITERS: &[u8] = b"_WAITERS";
        const WAKE: &[u8] = b"_WAKE";
        let data_len: usize = data.iter().map(|p| p.len()).sum();
        let lock_len = match lock {
            LockName::Given(l) => l.len(),
            LockName::Around(open, close) => open.len() + data_len + close.len(),
        };
        let mut buf = Vec::with_capacity(data_len + 3 * lock_len + WAITERS.len() + WAKE.len());
        for p in data {
            buf.extend_from_slice(p);
        }
        let data_end = buf.len();
        match lock {
            LockName::Given(l) => buf.extend_from_slice(l),
            LockName::Around(open, close) => {
                buf.extend_from_slice(open);
                buf.extend_from_within(..data_end);
                buf.extend_from_slice(close);
            }
        }
        let lock_end = buf.len();
        for suffix in [WAITERS, WAKE] {
            buf.extend_from_within(data_end..lock_end);
            buf.extend_from_slice(suffix);
        }
        SessionKeys {
            server,
            names: Arc::new(KeyNames {
                buf,
                data_end,
                lock_end,
                waiters_end: lock_end + lock_len + WAITERS.len(),
                slot: OnceLock::new(),
            }),
        }
    }

    /// The session's data key.
    pub fn data(&self) -> &[u8] {
        &self.names.buf[..self.names.data_end]
    }

    /// The session's lock key.
    pub fn lock(&self) -> &[u8] {
        &self.names.buf[self.names.data_end..self.names.lock_end]
    }

    /// Tokens of requests waiting for the lock (a list).
    pub fn waiters(&self) -> &[u8] {
        &self.names.buf[self.names.lock_end..self.names.waiters_end]
    }

    /// Wake-ups for waiters, pushed on release (a list they BLPOP).
    pub fn wake(&self) -> &[u8] {
        &self.names.buf[self.names.waiters_end..]
    }

    /// The cluster slot of the data key (a cluster's lock, waiters and wake keys share it).
    pub fn slot(&self) -> u16 {
        *self
            .names
            .slot
            .get_or_init(|| crate::slots::key_slot(self.data()))
    }

    /// KEYS of every script, in order.
    pub fn script_keys(&self) -> [&[u8]; 4] {
        [self.data(), self.lock(), self.waiters(), self.wake()]
    }
}

/// Runs commands where a session lives; implemented by the standalone and cluster routers.
pub trait Router {
    /// The data and lock keys of session `id` (id already validated).
    fn keys_for(&self, id: &str) -> Result<SessionKeys>;

    /// Sends `cmds` in one round trip to the node holding `keys`, following redirects within
    /// our bounds; returns the last command's reply. `block` stretches the read timeout for a
    /// command that waits on the server (BLPOP).
    fn exec(
        &mut self,
        keys: &SessionKeys,
        cmds: &[Cmd],
        block: Duration,
        op: &'static str,
    ) -> Result<Value>;

    /// Sends `cmds` in one round trip; returns the last reply.
    fn run_all(&mut self, keys: &SessionKeys, cmds: &[Cmd], op: &'static str) -> Result<Value> {
        self.exec(keys, cmds, Duration::ZERO, op)
    }

    /// Runs one command on the node holding `keys`.
    fn run(&mut self, keys: &SessionKeys, cmd: &Cmd, op: &'static str) -> Result<Value> {
        self.run_all(keys, std::slice::from_ref(cmd), op)
    }

    /// Whether the sessions of `a` and `b` live on one node, as far as this router knows
    /// without asking (then [`Router::exec_each`] can serve both in one round trip). False
    /// when unsure.
    fn shares_node(&self, _a: &SessionKeys, _b: &SessionKeys) -> bool {
        false
    }

    /// Sends `cmds` in one round trip to the node holding `keys` and returns every reply, a
    /// server error (a redirect too: none is followed) as a `Value::ServerError` in its place.
    /// For independent commands on sessions that [`Router::shares_node`] put on one node.
    fn exec_each(
        &mut self,
        _keys: &SessionKeys,
        _cmds: &[Cmd],
        op: &'static str,
    ) -> Result<Vec<Value>> {
        Err(Error::new(
            ErrorKind::Protocol,
            op,
            "this handler does not pipeline commands of two sessions",
        ))
    }

    /// host:port of the node holding `keys` (for messages).
    fn node_of(&self, keys: &SessionKeys) -> String;

    /// The longest bulk string a reply may carry (see [`reply_limit`]); a longer one is
    /// refused before it is read.
    fn set_reply_limit(&mut self, max_bulk: usize);

    /// Warnings about something that did not fail the request (redissentinel: no sentinel
    /// answered, the cached master was used), taken once.
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// The version of the node holding `keys`, as its connection learnt it with its first
    /// command (None: no connection to it yet, or INFO refused).
    fn server_version(&self, _keys: &SessionKeys) -> Option<version::ServerVersion> {
        None
    }

    /// Whether the connection to the node holding `keys` has been let run a script command
    /// (and no NOPERM/NOSCRIPT came since); false when not known. May take an idle pooled
    /// connection for the request's next command; never opens one.
    fn may_run_scripts(&mut self, _keys: &SessionKeys) -> bool {
        false
    }

    /// Runs `script` with KEYS = [data, lock, waiters, wake] by hash. On NOSCRIPT (a new or
    /// flushed server) loads every script of ours and retries, all in one round trip, so a
    /// server start costs one extra round trip in all rather than one per script.
    fn eval(
        &mut self,
        keys: &SessionKeys,
        script: &Script,
        args: &[&[u8]],
        op: &'static str,
    ) -> Result<Value> {
        let by_hash = script_cmd("EVALSHA", script.sha1.as_bytes(), &keys.script_keys(), args);
        match self.run(keys, &by_hash, op) {
            Err(e) if e.kind == ErrorKind::Server && e.detail.starts_with("NOSCRIPT") => {
                let mut cmds: Vec<Cmd> = scripts::ALL
                    .iter()
                    .map(|s| {
                        let mut c = cmd("SCRIPT");
                        c.arg("LOAD").arg(&s.source);
                        c
                    })
                    .collect();
                cmds.push(by_hash);
                self.run_all(keys, &cmds, op)
            }
            other => other,
        }
    }
}

pub(crate) fn script_cmd(verb: &str, body: &[u8], keys: &[&[u8]], args: &[&[u8]]) -> Cmd {
    let bytes = verb.len()
        + body.len()
        + 2
        + keys.iter().map(|k| k.len()).sum::<usize>()
        + args.iter().map(|a| a.len()).sum::<usize>();
    let mut cmd = Cmd::with_capacity(3 + keys.len() + args.len(), bytes);
    cmd.arg(verb).arg(body).arg(keys.len());
    for k in keys {
        cmd.arg(*k);
    }
    for a in args {
        cmd.arg(*a);
    }
    cmd
}

/// A reply or argument at least this large makes the shell give freed memory back to the
/// system after the request (`take_large`).
pub const LARGE_VALUE: usize = 1 << 20;

static LARGE_SEEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes that a value of `len` bytes was read or written.
pub fn note_large(len: usize) {
    if len >= LARGE_VALUE {
        LARGE_SEEN.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether a large value was moved since the last call.
pub fn take_large() -> bool {
    LARGE_SEEN.swap(false, std::sync::atomic::Ordering::Relaxed)
}

/// Bytes a reply may carry beyond `redis.session.max_size`: room for our header and the
/// replies of our scripts around a session that is exactly at the limit.
const REPLY_SLACK: usize = 64 * 1024;

/// The reply limit for a session size limit of `max_size` bytes (0 = unlimited).
pub fn reply_limit(max_size: usize) -> usize {
    if max_size == 0 {
        usize::MAX
    } else {
        max_size.saturating_add(REPLY_SLACK)
    }
}

/// Reads an integer reply.
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(n) => Some(*n),
        Value::BulkString(b) => std::str::from_utf8(b).ok()?.parse().ok(),
        Value::SimpleString(s) => s.parse().ok(),
        _ => None,
    }
}

/// Reads a bulk string reply; Nil is None.
pub fn as_bytes(v: Value) -> std::result::Result<Option<Vec<u8>>, Value> {
    match v {
        Value::Nil => Ok(None),
        Value::BulkString(b) => Ok(Some(b)),
        Value::SimpleString(s) => Ok(Some(s.into_bytes())),
        other => Err(other),
    }
}

/// A reply of the wrong shape.
pub fn unexpected(op: &'static str, v: &Value) -> Error {
    let shape = match v {
        Value::Nil => "nil",
        Value::Int(_) => "an integer",
        Value::BulkString(_) => "a string",
        Value::Array(_) => "an array",
        Value::SimpleString(_) | Value::Okay => "a status",
        _ => "an unexpected value",
    };
    Error::new(
        ErrorKind::Protocol,
        op,
        format!("unexpected reply ({shape})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_keys_are_built_in_one_buffer_as_named() {
        let k = SessionKeys::new(2, b"P:abc", b"P:abc_LOCK");
        assert_eq!(k.server, 2);
        assert_eq!(k.data(), b"P:abc");
        assert_eq!(k.lock(), b"P:abc_LOCK");
        assert_eq!(k.waiters(), b"P:abc_LOCK_WAITERS");
        assert_eq!(k.wake(), b"P:abc_LOCK_WAKE");
        let built = SessionKeys::of_session(2, "P:", "abc", ("", "_LOCK"));
        assert_eq!(built, k);
        let braced = SessionKeys::of_session(0, "C:", "x", ("{", "}_LOCK"));
        assert_eq!(
            braced.script_keys(),
            [
                &b"C:x"[..],
                b"{C:x}_LOCK",
                b"{C:x}_LOCK_WAITERS",
                b"{C:x}_LOCK_WAKE"
            ]
        );
        let empty = SessionKeys::new(0, b"", b"");
        assert_eq!(empty.script_keys(), [&b""[..], b"", b"_WAITERS", b"_WAKE"]);
        assert_eq!(k.clone(), k);
        let fresh = SessionKeys::new(2, b"P:abc", b"P:abc_LOCK");
        assert_eq!(k.slot(), crate::slots::key_slot(b"P:abc"));
        assert_eq!(fresh, k, "a slot worked out does not make keys differ");
        for name in braced.script_keys() {
            assert_eq!(braced.slot(), crate::slots::key_slot(name));
        }
    }
}
