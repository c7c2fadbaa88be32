//! The save handler's logic, one method per PHP callback, free of PHP types: the shell in
//! `src/` converts arguments, turns `Err` into a warning plus FAILURE, and emits `warnings`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use redis::Value;

use crate::codec;
use crate::conn::cluster::Cluster;
use crate::conn::standalone::Standalone;
use crate::conn::{as_bytes, as_int, unexpected, Router, SessionKeys};
use crate::error::{Error, ErrorKind, Result};
use crate::keys::{key_tag, valid_session_id};
use crate::lock::{self, Attempt};
use crate::messages;
use crate::save_path;
use crate::scripts;
use crate::settings::Settings;
use crate::stats;

/// Which save handler PHP asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandlerKind {
    Redis,
    RedisCluster,
}

impl HandlerKind {
    pub fn name(self) -> &'static str {
        match self {
            HandlerKind::Redis => "redis",
            HandlerKind::RedisCluster => "rediscluster",
        }
    }
}

/// The lock this request holds.
struct Held {
    id: String,
    keys: SessionKeys,
    token: Vec<u8>,
    /// This request's own token still in the waiters queue (after a hand-off), else empty.
    queued: Vec<u8>,
}

/// Data read ahead (by create_sid or validate_sid) for the read() that follows.
struct Prefetched {
    id: String,
    data: Option<Vec<u8>>,
}

/// One open session handler (PHP's mod_data), alive from open() to close().
pub struct Handler {
    kind: HandlerKind,
    router: Box<dyn Router + Send>,
    settings: Settings,
    /// settings.lock_ttl in ms, as the release scripts take it (for a hand-off).
    lock_ttl_ms: String,
    /// Opened by session_start(['read_and_close' => true]): PHP reads and closes at once, so a
    /// free lock is only looked at, not taken (one round trip instead of two).
    read_and_close: bool,
    held: Option<Held>,
    prefetched: Option<Prefetched>,
    warnings: Vec<String>,
}

impl Handler {
    /// open(): parses save_path (no connection yet: the first command connects, so a request
    /// that never reads costs nothing). A malformed save_path is an error naming the bad part.
    pub fn open(kind: HandlerKind, save_path: &str, settings: Settings) -> Result<Handler> {
        // Passwords kept in a file or variable are read at every open (not cached).
        let router: Box<dyn Router + Send> = match parsed_path(kind, save_path)? {
            ParsedPath::Standalone(mut p) => {
                p.resolve_secrets().map_err(config_error)?;
                Box::new(Standalone::new(p))
            }
            ParsedPath::Cluster(mut p) => {
                p.resolve_secrets().map_err(config_error)?;
                Box::new(Cluster::new(*p)?)
            }
        };
        Ok(Handler {
            kind,
            router,
            lock_ttl_ms: lock::ttl_ms(settings.lock_ttl),
            read_and_close: false,
            settings,
            held: None,
            prefetched: None,
            warnings: Vec::new(),
        })
    }

    /// Says this handler serves session_start(['read_and_close' => true]) (see the field).
    pub fn set_read_and_close(&mut self, yes: bool) {
        self.read_and_close = yes;
    }

    pub fn kind(&self) -> HandlerKind {
        self.kind
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Warnings gathered since the last call (the shell emits them as E_WARNING).
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Formats an error for PHP, naming handler, node, operation and key.
    pub fn describe(&self, err: &Error, id: Option<&str>) -> String {
        if matches!(
            err.kind,
            ErrorKind::LockTimeout | ErrorKind::LockLost | ErrorKind::InvalidId
        ) {
            // These details are complete sentences that already name the key.
            return err.detail.clone();
        }
        let keys = id
            .filter(|id| valid_session_id(id.as_bytes()))
            .and_then(|id| self.router.keys_for(id).ok());
        let key = keys.as_ref().map(|k| key_tag(&k.data));
        match (&err.node, &keys) {
            // Errors about a reply's shape are made without a node: name it here.
            (None, Some(k)) => {
                let err = err.clone().at(self.router.node_of(k));
                messages::op_failed(self.kind.name(), &err, key.as_deref())
            }
            _ => messages::op_failed(self.kind.name(), err, key.as_deref()),
        }
    }

    fn keys(&self, id: &str, op: &'static str) -> Result<SessionKeys> {
        if !valid_session_id(id.as_bytes()) {
            return Err(Error::new(
                ErrorKind::InvalidId,
                op,
                messages::invalid_id(self.kind.name(), op),
            ));
        }
        self.router.keys_for(id)
    }

    /// The data key as messages show it: a tag, never the session id (see keys::key_tag).
    fn key_name(keys: &SessionKeys) -> String {
        key_tag(&keys.data)
    }

    /// read(): the session's data ("" for a new session). With locking, waits for the lock
    /// and reads under it in the same round trip; a lock not acquired in time is an error.
    pub fn read(&mut self, id: &str) -> Result<Vec<u8>> {
        let keys = self.keys(id, "read")?;
        if let Some(p) = self.prefetched.take() {
            if p.id == id {
                return self.decoded(&keys, p.data.unwrap_or_default());
            }
        }
        if self.held.as_ref().is_some_and(|h| h.id != id) {
            self.release_held()?;
        }
        if !self.settings.locking_enabled || self.held.is_some() {
            let stored = self.get(&keys)?.unwrap_or_default();
            return self.decoded(&keys, stored);
        }
        let token = lock::new_token();
        let peek = self.read_and_close;
        match lock::acquire(&mut *self.router, &keys, token, &self.settings, peek)? {
            Ok(lock::Acquired {
                token,
                queued,
                data,
                held,
            }) => {
                // Held even when decoding fails: PHP then calls close(), which releases it.
                let decoded = self.decoded(&keys, data.unwrap_or_default());
                if held {
                    self.held = Some(Held {
                        id: id.to_string(),
                        keys,
                        token,
                        queued,
                    });
                }
                decoded
            }
            Err(t) => Err(Error::new(
                ErrorKind::LockTimeout,
                "lock",
                messages::lock_timeout(
                    self.kind.name(),
                    &self.router.node_of(&keys),
                    &Self::key_name(&keys),
                    t.waited,
                    t.attempts,
                ),
            )),
        }
    }

    /// The session string in a stored value (see codec::decode). A value that does not decode
    /// is an error naming key and codec: read() fails, so PHP neither starts the session nor
    /// writes over the stored value.
    fn decoded(&self, keys: &SessionKeys, stored: Vec<u8>) -> Result<Vec<u8>> {
        stats::add(&stats::bytes_read_stored, stored.len() as u64);
        codec::decode(stored, self.settings.compression.codec)
            .map(|(data, _)| data)
            .map_err(|e| {
                Error::new(
                    ErrorKind::Corrupt,
                    "read",
                    messages::undecodable(&e.codec_name(), &e.to_string()),
                )
                .at(self.router.node_of(keys))
            })
    }

    /// The bytes to store for `data`: compressed per the settings, or raw (see codec::encode).
    /// A codec failure is a warning; the value is then stored uncompressed.
    fn encoded<'a>(&mut self, keys: &SessionKeys, data: &'a [u8]) -> Cow<'a, [u8]> {
        let e = codec::encode(data, &self.settings.compression);
        if let Some(reason) = e.failure {
            self.warnings.push(messages::compress_failed(
                self.kind.name(),
                self.settings.compression.codec.name(),
                &reason,
                &Self::key_name(keys),
            ));
        }
        stats::add(&stats::bytes_written_stored, e.bytes.len() as u64);
        e.bytes
    }

    fn get(&mut self, keys: &SessionKeys) -> Result<Option<Vec<u8>>> {
        let v = self
            .router
            .run(keys, redis::cmd("GET").arg(&keys.data[..]), "read")?;
        as_bytes(v).map_err(|v| wrong_type("read", &v))
    }

    /// write(): stores the data with a TTL of `maxlifetime`. With locking, writes only while
    /// the lock is still ours and releases it in the same round trip (fenced write).
    pub fn write(&mut self, id: &str, data: &[u8], maxlifetime: i64) -> Result<()> {
        let keys = self.keys(id, "write")?;
        self.prefetched = None;
        let ttl = ttl_secs(maxlifetime);
        self.require_lock(id, &keys, "write")?;
        let stored = self.encoded(&keys, data);
        let data = &stored[..];
        match self.take_held_for(id) {
            Some(held) if data.len() > scripts::STAGE_MIN => {
                let v = self.write_staged(&held, &ttl, data)?;
                self.fenced(&held.keys, v, "write")
            }
            Some(held) => self.release_with(
                held,
                &scripts::WRITE_RELEASE,
                &[ttl.as_bytes(), data],
                "write",
            ),
            None => {
                let v = self.router.run(
                    &keys,
                    redis::cmd("SET")
                        .arg(&keys.data[..])
                        .arg(data)
                        .arg("EX")
                        .arg(&ttl),
                    "write",
                )?;
                match v {
                    Value::Okay => Ok(()),
                    Value::SimpleString(s) if s == "OK" => Ok(()),
                    other => Err(unexpected("write", &other)),
                }
            }
        }
    }

    /// update_timestamp() (lazy_write, data unchanged): refreshes the TTL; with locking, only
    /// while the lock is ours, releasing it in the same round trip.
    pub fn update_timestamp(&mut self, id: &str, maxlifetime: i64) -> Result<()> {
        let keys = self.keys(id, "update_timestamp")?;
        self.prefetched = None;
        self.require_lock(id, &keys, "update_timestamp")?;
        let ttl = ttl_secs(maxlifetime);
        match self.take_held_for(id) {
            Some(held) => self.release_with(
                held,
                &scripts::TOUCH_RELEASE,
                &[ttl.as_bytes()],
                "update_timestamp",
            ),
            None => {
                self.router.run(
                    &keys,
                    redis::cmd("EXPIRE").arg(&keys.data[..]).arg(&ttl),
                    "update_timestamp",
                )?;
                Ok(())
            }
        }
    }

    /// Runs a fenced release script (ARGV: token, queued token, lock TTL, then `args`) for the
    /// lock we hold; an error when the lock was no longer ours.
    fn release_with(
        &mut self,
        held: Held,
        script: &scripts::Script,
        args: &[&[u8]],
        op: &'static str,
    ) -> Result<()> {
        let mut argv: Vec<&[u8]> = vec![&held.token, &held.queued, self.lock_ttl_ms.as_bytes()];
        argv.extend_from_slice(args);
        let v = self.router.eval(&held.keys, script, &argv, op)?;
        self.fenced(&held.keys, v, op)
    }

    /// A large write under the lock, kept out of Lua: one transaction that stores the bytes
    /// under a staging key, then a small script that moves them into place (RENAME) and
    /// releases the lock only while it is ours, else drops them. Returns the script's reply.
    fn write_staged(&mut self, held: &Held, ttl: &str, data: &[u8]) -> Result<Value> {
        let staged = [&held.keys.lock[..], b"_NEW"].concat();
        let mut set = redis::Cmd::with_capacity(5, data.len() + staged.len() + 16);
        set.arg("SET").arg(&staged).arg(data).arg("EX").arg(ttl);
        let mut commit = redis::cmd("EVAL");
        commit.arg(&scripts::COMMIT_RELEASE.source).arg(5);
        for k in held.keys.script_keys() {
            commit.arg(k);
        }
        commit
            .arg(&staged)
            .arg(&held.token)
            .arg(&held.queued)
            .arg(&self.lock_ttl_ms);
        let cmds = [redis::cmd("MULTI"), set, commit, redis::cmd("EXEC")];
        match self.router.run_all(&held.keys, &cmds, "write")? {
            Value::Array(mut replies) if replies.len() == 2 => {
                Ok(replies.pop().unwrap_or(Value::Nil))
            }
            other => Err(unexpected("write", &other)),
        }
    }

    fn fenced(&mut self, keys: &SessionKeys, v: Value, op: &'static str) -> Result<()> {
        match as_int(&v) {
            Some(1) => Ok(()),
            Some(0) => Err(Error::new(
                ErrorKind::LockLost,
                op,
                messages::lock_lost(
                    self.kind.name(),
                    &self.router.node_of(keys),
                    &Self::key_name(keys),
                    self.settings.lock_ttl,
                ),
            )),
            _ => Err(unexpected(op, &v)),
        }
    }

    /// With locking, a write, TTL refresh or destroy needs this request to hold the session's
    /// lock: without it (session_start() did not get the lock, or a fenced write just found it
    /// lost, and user code calls session_write_close(), session_destroy() or
    /// session_regenerate_id() from an error handler) it would overwrite or delete the session
    /// of the request that does hold it. phpredis refuses such writes too.
    fn require_lock(&self, id: &str, keys: &SessionKeys, op: &'static str) -> Result<()> {
        if !self.settings.locking_enabled || self.held.as_ref().is_some_and(|h| h.id == id) {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::LockLost,
            op,
            messages::lock_not_held(
                self.kind.name(),
                op,
                &self.router.node_of(keys),
                &Self::key_name(keys),
            ),
        ))
    }

    fn take_held_for(&mut self, id: &str) -> Option<Held> {
        if self.held.as_ref().is_some_and(|h| h.id == id) {
            self.held.take()
        } else {
            None
        }
    }

    /// destroy(): deletes the data, and the lock if it is ours. A missing session is not an error.
    pub fn destroy(&mut self, id: &str) -> Result<()> {
        let keys = self.keys(id, "destroy")?;
        if self.prefetched.as_ref().is_some_and(|p| p.id == id) {
            self.prefetched = None;
        }
        match self.take_held_for(id) {
            // The script always answers 1 (deleting a missing session is no error).
            Some(held) => self.release_with(held, &scripts::DESTROY, &[], "destroy")?,
            // With locking, never delete a session another request holds locked.
            None if self.settings.locking_enabled => {
                const DEL_IF_UNLOCKED: &str = "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end redis.call('DEL', KEYS[1]) return 1";
                let mut cmd = redis::cmd("EVAL");
                cmd.arg(DEL_IF_UNLOCKED)
                    .arg(2)
                    .arg(&keys.data[..])
                    .arg(&keys.lock[..]);
                if as_int(&self.router.run(&keys, &cmd, "destroy")?) == Some(0) {
                    self.require_lock(id, &keys, "destroy")?;
                }
            }
            None => {
                self.router
                    .run(&keys, redis::cmd("DEL").arg(&keys.data[..]), "destroy")?;
            }
        }
        Ok(())
    }

    /// close(): releases a lock still held (session_abort, read_and_close, a failed write path).
    pub fn close(&mut self) -> Result<()> {
        self.prefetched = None;
        self.release_held()
    }

    fn release_held(&mut self) -> Result<()> {
        let Some(held) = self.held.take() else {
            return Ok(());
        };
        let (_, warning) = lock::release(
            self.kind.name(),
            &mut *self.router,
            &held.keys,
            &held.token,
            &held.queued,
            self.settings.lock_release_cmd,
            &self.lock_ttl_ms,
        )?;
        self.warnings.extend(warning);
        Ok(())
    }

    /// create_sid(): a new id from `generate` (PHP's generator) that is not in use. With
    /// locking the new id's lock is taken in the same round trip that checks it, so the
    /// read() that follows costs nothing.
    pub fn create_sid(&mut self, mut generate: impl FnMut() -> Option<String>) -> Result<String> {
        const TRIES: usize = 3;
        // A lock held on an id PHP just rejected (strict mode) is of no further use. Called by
        // session_create_id() inside an open session, it only makes an unused id: the open
        // session keeps its lock (and its write stays fenced).
        let rejected = self.held.as_ref().is_some_and(|h| {
            self.prefetched
                .as_ref()
                .is_some_and(|p| p.id == h.id && p.data.is_none())
        });
        let keep_held = self.held.is_some() && !rejected;
        self.prefetched = None;
        if !keep_held {
            self.release_held()?;
        }
        for _ in 0..TRIES {
            let id = generate().ok_or_else(|| {
                Error::new(
                    ErrorKind::Protocol,
                    "create_sid",
                    "PHP could not generate an id",
                )
            })?;
            let keys = self.keys(&id, "create_sid")?;
            if self.settings.locking_enabled && !keep_held {
                let token = lock::new_token();
                match lock::try_acquire(
                    &mut *self.router,
                    &keys,
                    &token,
                    self.settings.lock_ttl,
                    None,
                    self.read_and_close,
                )? {
                    Attempt::Free(None) => {
                        self.prefetched = Some(Prefetched {
                            id: id.clone(),
                            data: None,
                        });
                        return Ok(id);
                    }
                    Attempt::Free(Some(_)) => {}
                    Attempt::Acquired(None) => {
                        self.held = Some(Held {
                            id: id.clone(),
                            keys,
                            queued: Vec::new(),
                            token,
                        });
                        self.prefetched = Some(Prefetched {
                            id: id.clone(),
                            data: None,
                        });
                        return Ok(id);
                    }
                    Attempt::Acquired(Some(_)) => {
                        lock::release(
                            self.kind.name(),
                            &mut *self.router,
                            &keys,
                            &token,
                            &[],
                            self.settings.lock_release_cmd,
                            &self.lock_ttl_ms,
                        )?;
                    }
                    Attempt::Busy(_) => {}
                }
            } else if self.get(&keys)?.is_none() {
                self.prefetched = Some(Prefetched {
                    id: id.clone(),
                    data: None,
                });
                return Ok(id);
            }
        }
        Err(Error::new(
            ErrorKind::Protocol,
            "create_sid",
            format!("{TRIES} generated session ids in a row were already in use"),
        ))
    }

    /// validate_sid() (use_strict_mode): whether a session with this id exists. The answer
    /// is fetched together with the lock when locking, and kept for the read() that follows.
    pub fn validate_sid(&mut self, id: &str) -> Result<bool> {
        if !valid_session_id(id.as_bytes()) {
            return Ok(false);
        }
        if let Some(p) = self.prefetched.as_ref().filter(|p| p.id == id) {
            return Ok(p.data.is_some());
        }
        let keys = self.keys(id, "validate_sid")?;
        if self.settings.locking_enabled && self.held.is_none() {
            let token = lock::new_token();
            return match lock::try_acquire(
                &mut *self.router,
                &keys,
                &token,
                self.settings.lock_ttl,
                None,
                self.read_and_close,
            )? {
                Attempt::Free(data) => {
                    let exists = data.is_some();
                    self.prefetched = Some(Prefetched {
                        id: id.to_string(),
                        data,
                    });
                    Ok(exists)
                }
                Attempt::Acquired(data) => {
                    let exists = data.is_some();
                    self.held = Some(Held {
                        id: id.to_string(),
                        keys,
                        queued: Vec::new(),
                        token,
                    });
                    self.prefetched = Some(Prefetched {
                        id: id.to_string(),
                        data,
                    });
                    Ok(exists)
                }
                // Someone holds its lock, so it is in use; read() will wait for it.
                Attempt::Busy(_) => Ok(true),
            };
        }
        let data = self.get(&keys)?;
        let exists = data.is_some();
        self.prefetched = Some(Prefetched {
            id: id.to_string(),
            data,
        });
        Ok(exists)
    }

    /// gc(): Redis expires sessions by TTL, so there is nothing to collect.
    pub fn gc(&mut self) -> Result<i64> {
        Ok(0)
    }

    /// The lock TTL in force (for messages and tests).
    pub fn lock_ttl(&self) -> Duration {
        self.settings.lock_ttl
    }
}

impl Drop for Handler {
    fn drop(&mut self) {
        // A handler dropped without close() (e.g. a fatal error) must not leave its lock
        // for the whole TTL.
        let _ = self.release_held();
    }
}

#[derive(Clone)]
enum ParsedPath {
    Standalone(save_path::StandalonePath),
    Cluster(Box<save_path::ClusterPath>),
}

/// Parsed save_paths of this process: a php-fpm worker sees the same one on every request,
/// so it is parsed once (a malformed one is parsed, and warned about, each time).
static PARSED: Lazy<Mutex<HashMap<(HandlerKind, String), ParsedPath>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));
/// Distinct save_paths kept; more (ini_set() with ever new paths) starts the cache afresh.
const MAX_PARSED: usize = 32;

fn parsed_path(kind: HandlerKind, path: &str) -> Result<ParsedPath> {
    let key = (kind, path.to_string());
    if let Some(p) = PARSED.lock().get(&key) {
        return Ok(p.clone());
    }
    let parsed = match kind {
        HandlerKind::Redis => {
            ParsedPath::Standalone(save_path::parse_standalone(path).map_err(config_error)?)
        }
        HandlerKind::RedisCluster => ParsedPath::Cluster(Box::new(
            save_path::parse_cluster(path).map_err(config_error)?,
        )),
    };
    let mut cache = PARSED.lock();
    if cache.len() >= MAX_PARSED {
        cache.clear();
    }
    cache.insert(key, parsed.clone());
    Ok(parsed)
}

/// A malformed save_path, its quoted part scrubbed of anything that may be a password.
fn config_error(mut e: save_path::SavePathError) -> Error {
    e.part = crate::redact::scrub_part(&e.part);
    Error::new(ErrorKind::Config, "open", e.to_string())
}

fn ttl_secs(maxlifetime: i64) -> String {
    maxlifetime.clamp(1, i64::from(i32::MAX)).to_string()
}

fn wrong_type(op: &'static str, v: &Value) -> Error {
    let mut e = unexpected(op, v);
    e.detail = format!("{} - the session key does not hold a string", e.detail);
    e
}
