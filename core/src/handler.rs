//! The save handler's logic, one method per PHP callback, free of PHP types: the shell in
//! `src/` converts arguments, turns `Err` into a warning plus FAILURE, and emits `warnings`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use redis::Value;

use crate::codec;
use crate::conn::cluster::{Cluster, Seeds};
use crate::conn::command::{Decimal, EXEC, MULTI};
use crate::conn::sentinel::Sentinel;
use crate::conn::standalone::{Servers, Standalone};
use crate::conn::{
    as_bytes, as_int, cmd, command, script_cmd, unexpected, Cmd, Router, SessionKeys,
};
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
    RedisSentinel,
}

impl HandlerKind {
    pub fn name(self) -> &'static str {
        match self {
            HandlerKind::Redis => "redis",
            HandlerKind::RedisCluster => "rediscluster",
            HandlerKind::RedisSentinel => "redissentinel",
        }
    }
}

/// The lock this request holds.
#[derive(Clone)]
struct Held {
    id: Arc<str>,
    keys: SessionKeys,
    token: Vec<u8>,
    /// This request's own token still in the waiters queue (after a hand-off), else empty.
    queued: Vec<u8>,
    /// read() handed this session to PHP: it is the session in use, whose lock stays held
    /// until it closes, whatever else the user asks (session_create_id() and the like).
    in_use: bool,
    /// The lock cannot expire before `since + lock TTL` (see lock::Acquired::since).
    since: Instant,
}

/// The next session id of session_regenerate_id(true), drawn by its destroy(), and its lock
/// when that was taken in the round trip that destroyed the old session (see
/// Handler::destroy_regenerating).
struct Claim {
    id: String,
    keys: SessionKeys,
    /// Our token on the id's lock; empty when not locked (another node: create_sid claims it).
    token: Vec<u8>,
    since: Instant,
}

/// A claim on its way from the handler session_regenerate_id() closes to the one it opens
/// next (PHP frees the first before it makes the second; nothing of the user's runs between).
struct StashedClaim {
    kind: HandlerKind,
    path: Arc<str>,
    claim: Claim,
}

thread_local! {
    static STASHED: RefCell<Option<StashedClaim>> = const { RefCell::new(None) };
}

/// Takes the stashed claim, if any.
fn take_stashed() -> Option<StashedClaim> {
    STASHED.with(|s| s.borrow_mut().take())
}

/// A claim nobody will use (its handler was never opened, or not by session_regenerate_id):
/// its lock is released with the pending releases (the id was never given to PHP, so nobody
/// waits for it; at worst it expires with its TTL).
fn abandon(kind: HandlerKind, path: &Arc<str>, claim: Claim, lock_ttl: Duration) {
    if claim.token.is_empty() {
        return;
    }
    defer_release(PendingRelease {
        kind,
        path: path.clone(),
        keys: claim.keys,
        token: claim.token,
        until: claim.since + lock_ttl,
    });
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
    lock_ttl_ms: Decimal,
    /// Opened by session_start(['read_and_close' => true]): PHP reads and closes at once, so a
    /// free lock is only looked at, not taken (one round trip instead of two).
    read_and_close: bool,
    held: Option<Held>,
    prefetched: Option<Prefetched>,
    /// create_sid() could not reach the server: read() fails with this at once instead of
    /// waiting out the same timeouts again.
    unreachable: Option<Error>,
    /// Opened by session_regenerate_id(): PHP throws an uncaught Error when the read of the new
    /// id fails, so a server out of reach gives an empty session (with a warning) there.
    regenerating: bool,
    /// The id of the session read() handed to PHP (locking or not): the session in use.
    active: Option<Arc<str>>,
    /// session_regenerate_id(true): the next id's lock, claimed with the destroy (see
    /// destroy_regenerating); close() hands it to the handler PHP opens next.
    claim: Option<Claim>,
    /// That next handler: the id create_sid() answers (claimed already, no round trip).
    preset_sid: Option<String>,
    warnings: Vec<String>,
    /// The save_path as PHP gave it: pending releases are retried per save_path.
    path: Arc<str>,
    // -- phpredis compatibility (redis.session.early_refresh, lock_failure_readonly) --
    /// Session TTL in s that reads refresh (early_refresh), "0" when off.
    refresh: Cow<'static, str>,
    /// The session whose TTL the read refreshed (it existed): its unchanged close costs nothing.
    refreshed: Option<String>,
    /// The session read without its lock (lock_failure_readonly): its writes are refused.
    readonly: Option<String>,
}

/// A lock this worker could not release at close (server unreachable, failover in progress):
/// retried at the start of the worker's next request on the same save_path, until the lock's
/// own TTL would have freed it anyway. So a session is blocked past a failover by at most
/// the time until this worker's next request, never for the whole lock TTL when the worker
/// keeps serving.
struct PendingRelease {
    kind: HandlerKind,
    path: Arc<str>,
    keys: SessionKeys,
    token: Vec<u8>,
    until: std::time::Instant,
}

static PENDING: Lazy<Mutex<Vec<PendingRelease>>> = Lazy::new(|| Mutex::new(Vec::new()));
/// Pending releases kept per process (the oldest is dropped beyond; its lock expires by TTL).
const MAX_PENDING: usize = 32;

/// An error after which the same command may work on a fresh connection or slot map.
/// A connection the server (or the network) closed: the command may go again on a new one.
fn dropped(e: &Error) -> bool {
    e.kind == ErrorKind::Io
}

/// See [`Handler::lock_surely_ours`].
const LOCK_EXPIRY_MARGIN: Duration = Duration::from_millis(250);

fn transient(e: &Error) -> bool {
    matches!(
        e.kind,
        ErrorKind::Connect | ErrorKind::Io | ErrorKind::Timeout | ErrorKind::Cluster
    ) || (e.kind == ErrorKind::Server
        && [
            "CLUSTERDOWN",
            "TRYAGAIN",
            "LOADING",
            "READONLY",
            "MASTERDOWN",
        ]
        .iter()
        .any(|p| e.detail.starts_with(p)))
}

impl Handler {
    /// open(): parses save_path (no connection yet: the first command connects, so a request
    /// that never reads costs nothing). A malformed save_path is an error naming the bad part.
    pub fn open(kind: HandlerKind, save_path: &str, settings: Settings) -> Result<Handler> {
        // Passwords kept in a file or variable are read at every open (not cached).
        // A path with no password kept outside it is shared with the cache as it is.
        let (path, parsed) = parsed_path(kind, save_path)?;
        let mut router: Box<dyn Router + Send> = match parsed {
            ParsedPath::Standalone(mut p) => {
                if p.path().has_outside_secrets() {
                    let mut path = p.path().clone();
                    path.resolve_secrets().map_err(config_error)?;
                    p = Arc::new(Servers::new(path));
                }
                Box::new(Standalone::new(p))
            }
            ParsedPath::Cluster(mut p) => {
                if p.path().has_outside_secrets() {
                    let mut path = p.path().clone();
                    path.resolve_secrets().map_err(config_error)?;
                    p = Arc::new(Seeds::new(path));
                }
                Box::new(Cluster::new(p)?)
            }
            ParsedPath::Sentinel(p) => {
                let mut p = (*p).clone();
                p.resolve_secrets().map_err(config_error)?;
                Box::new(Sentinel::new(p))
            }
        };
        router.set_reply_limit(crate::conn::reply_limit(settings.max_size));
        Ok(Handler {
            kind,
            router,
            lock_ttl_ms: lock::ttl_ms(settings.lock_ttl),
            read_and_close: false,
            settings,
            held: None,
            prefetched: None,
            unreachable: None,
            regenerating: false,
            active: None,
            claim: None,
            preset_sid: None,
            warnings: Vec::new(),
            refresh: Cow::Borrowed("0"),
            refreshed: None,
            readonly: None,
            path,
        })
    }

    /// The session TTL (session.gc_maxlifetime) that reads refresh when early_refresh is on.
    pub fn set_session_ttl(&mut self, maxlifetime: i64) {
        if self.settings.early_refresh {
            self.refresh = Cow::Owned(ttl_secs(maxlifetime).to_string());
        }
    }

    /// Notes that the read of `id` refreshed its TTL (early_refresh and the session exists).
    fn note_refreshed(&mut self, id: &str, data: &Option<Vec<u8>>) {
        if self.refresh != "0" && data.is_some() {
            self.refreshed = Some(id.to_string());
        }
    }

    /// Retries the releases this worker could not do at an earlier close (see PendingRelease).
    /// Costs nothing when there are none; stops at the first failure (the server is still
    /// out of reach) and keeps the rest.
    fn retry_pending(&mut self) {
        if let Some(left) = take_stashed() {
            abandon(left.kind, &left.path, left.claim, self.settings.lock_ttl);
        }
        let now = std::time::Instant::now();
        let mine: Vec<PendingRelease> = {
            let mut all = PENDING.lock();
            if all.is_empty() {
                return;
            }
            all.retain(|p| p.until > now);
            let (mine, rest) = std::mem::take(&mut *all)
                .into_iter()
                .partition(|p| p.kind == self.kind && p.path == self.path);
            *all = rest;
            mine
        };
        let mut failed = false;
        for p in mine {
            if !failed {
                let r = lock::release(
                    self.kind.name(),
                    &mut *self.router,
                    &p.keys,
                    &p.token,
                    &[],
                    crate::settings::ReleaseCmd::Lua,
                    &self.lock_ttl_ms,
                );
                if r.is_ok() {
                    stats::bump(&stats::lock_releases_retried);
                    continue;
                }
                failed = true;
            }
            defer_release(p);
        }
    }

    /// Says this handler serves session_regenerate_id() (see the field). It takes over the
    /// next id's lock that the previous handler claimed with the destroy, if any: create_sid()
    /// answers that id and read() finds it empty, both without a round trip.
    pub fn set_regenerating(&mut self) {
        self.regenerating = true;
        let Some(stashed) = take_stashed() else {
            return;
        };
        if stashed.kind != self.kind || stashed.path != self.path || self.held.is_some() {
            abandon(
                stashed.kind,
                &stashed.path,
                stashed.claim,
                self.settings.lock_ttl,
            );
            return;
        }
        let Claim {
            id,
            keys,
            token,
            since,
        } = stashed.claim;
        if token.is_empty() {
            // Not locked yet: create_sid() tries this id first.
            self.preset_sid = Some(id);
            return;
        }
        self.held = Some(Held {
            id: Arc::from(id.as_str()),
            keys,
            token,
            queued: Vec::new(),
            in_use: false,
            since,
        });
        self.prefetched = Some(Prefetched {
            id: id.clone(),
            data: None,
        });
        self.preset_sid = Some(id);
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
        let mut w = std::mem::take(&mut self.warnings);
        w.extend(self.router.take_warnings());
        w
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
        let key = keys.as_ref().map(|k| key_tag(k.data()));
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
        // The session whose lock we hold: its keys were built (and its id checked) then.
        if let Some(h) = self.held.as_ref().filter(|h| &*h.id == id) {
            return Ok(h.keys.clone());
        }
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
        key_tag(keys.data())
    }

    /// read(): the session's data ("" for a new session). With locking, waits for the lock
    /// and reads under it in the same round trip; a lock not acquired in time is an error.
    pub fn read(&mut self, id: &str) -> Result<Vec<u8>> {
        let keys = self.keys(id, "read")?;
        self.retry_pending();
        if let Some(e) = self.unreachable.take() {
            if self.regenerating {
                let what = self.describe(&e, Some(id));
                self.warnings.push(messages::regenerate_unchecked(&what));
                self.prefetched = None;
                return Ok(Vec::new());
            }
            return Err(e);
        }
        if let Some(p) = self.prefetched.take() {
            if p.id == id {
                self.mark_in_use(id);
                self.note_refreshed(id, &p.data);
                return self.decoded(&keys, p.data.unwrap_or_default());
            }
        }
        if self.held.as_ref().is_some_and(|h| &*h.id != id) {
            self.release_held()?;
        }
        if !self.settings.locking_enabled || self.held.is_some() {
            let stored = self.get_refresh(id, &keys)?.unwrap_or_default();
            self.mark_in_use(id);
            return self.decoded(&keys, stored);
        }
        let token = lock::new_token();
        let peek = self.read_and_close;
        let refresh = self.refresh.clone();
        match lock::acquire(
            &mut *self.router,
            &keys,
            token,
            &self.settings,
            peek,
            &refresh,
        )? {
            Ok(lock::Acquired {
                token,
                queued,
                data,
                held,
                since,
            }) => {
                self.note_refreshed(id, &data);
                // Held even when decoding fails: PHP then calls close(), which releases it.
                let decoded = self.decoded(&keys, data.unwrap_or_default());
                let shared: Arc<str> = Arc::from(id);
                if held {
                    self.held = Some(Held {
                        id: shared.clone(),
                        keys,
                        token,
                        queued,
                        in_use: true,
                        since,
                    });
                }
                self.active = Some(shared);
                decoded
            }
            Err(t) if self.settings.lock_failure_readonly => {
                // phpredis's lock_failure_readonly: read anyway, refuse the writes.
                stats::bump(&stats::lock_failures);
                self.warnings.push(messages::lock_failed_readonly(
                    self.kind.name(),
                    &self.router.node_of(&keys),
                    &Self::key_name(&keys),
                    t.waited,
                ));
                self.readonly = Some(id.to_string());
                self.active = Some(Arc::from(id));
                let stored = self.get_refresh(id, &keys)?.unwrap_or_default();
                self.decoded(&keys, stored)
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

    fn mark_in_use(&mut self, id: &str) {
        self.active = Some(Arc::from(id));
        if let Some(h) = self.held.as_mut().filter(|h| &*h.id == id) {
            h.in_use = true;
        }
    }

    /// A write refused because the session was read without its lock (lock_failure_readonly).
    fn refuse_readonly(&self, id: &str, keys: &SessionKeys, op: &'static str) -> Result<()> {
        if self.readonly.as_deref() != Some(id) {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::LockLost,
            op,
            messages::readonly_write_refused(
                self.kind.name(),
                op,
                &self.router.node_of(keys),
                &Self::key_name(keys),
            ),
        ))
    }

    /// GET, or with early_refresh GETEX ... EX ttl (the read refreshes the TTL); after a
    /// dropped connection once more, on a fresh one: it is idempotent, and a connection
    /// killed since this request's last call must not fail it. (A timeout is not retried: it
    /// would double the wait on a slow server.)
    fn get_refresh(&mut self, id: &str, keys: &SessionKeys) -> Result<Option<Vec<u8>>> {
        self.once_more(dropped, |h| h.get_refresh_once(id, keys))
    }

    /// Runs `f`; when it fails with an error `again` accepts, runs it once more (the router
    /// has dropped the broken connection or stale slot map by then).
    fn once_more<T>(
        &mut self,
        again: fn(&Error) -> bool,
        mut f: impl FnMut(&mut Handler) -> Result<T>,
    ) -> Result<T> {
        match f(self) {
            Err(e) if again(&e) => f(self),
            r => r,
        }
    }

    fn get_refresh_once(&mut self, id: &str, keys: &SessionKeys) -> Result<Option<Vec<u8>>> {
        if self.refresh == "0" {
            return self.get(keys);
        }
        // GETEX is Redis 6.2+. Before, and on a connection that has not learnt its server's
        // version yet (its first command), EXPIRE then GET in one transaction: one round trip
        // on every version, and ASKING covers both while the slot migrates.
        let v = if self
            .router
            .server_version(keys)
            .is_some_and(|v| v.has_getex())
        {
            let mut cmd = cmd("GETEX");
            cmd.arg(keys.data()).arg("EX").arg(&*self.refresh);
            self.router.run(keys, &cmd, "read")?
        } else {
            self.expire_get(keys)?
        };
        let data = as_bytes(v).map_err(|v| wrong_type("read", &v))?;
        self.note_refreshed(id, &data);
        Ok(data)
    }

    /// early_refresh's read before Redis 6.2: MULTI, EXPIRE, GET, EXEC; GET's reply.
    fn expire_get(&mut self, keys: &SessionKeys) -> Result<Value> {
        let mut expire = cmd("EXPIRE");
        expire.arg(keys.data()).arg(&*self.refresh);
        let mut get = cmd("GET");
        get.arg(keys.data());
        let cmds = [MULTI, expire, get, EXEC];
        match self.router.run_all(keys, &cmds, "read")? {
            Value::Array(mut replies) if replies.len() == 2 => {
                Ok(replies.pop().unwrap_or(Value::Nil))
            }
            other => Err(unexpected("read", &other)),
        }
    }

    /// The session string in a stored value (see codec::decode). A value that does not decode
    /// is an error naming key and codec: read() fails, so PHP neither starts the session nor
    /// writes over the stored value.
    fn decoded(&self, keys: &SessionKeys, stored: Vec<u8>) -> Result<Vec<u8>> {
        stats::add(&stats::bytes_read_stored, stored.len() as u64);
        codec::decode_limited(
            stored,
            self.settings.compression.codec,
            self.settings.max_size,
        )
        .map(|(data, _)| data)
        .map_err(|e| {
            let (kind, text) = match e {
                codec::DecodeError::TooLarge { len, max, .. } => {
                    (ErrorKind::TooLarge, messages::too_large(len, max))
                }
                e => (
                    ErrorKind::Corrupt,
                    messages::undecodable(&e.codec_name(), &e.to_string()),
                ),
            };
            Error::new(kind, "read", text).at(self.router.node_of(keys))
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

    /// A command whose repetition does no harm (SET of one value, EXPIRE): after a dropped
    /// connection once more, on a fresh one.
    fn run_idempotent(&mut self, keys: &SessionKeys, cmd: &Cmd, op: &'static str) -> Result<Value> {
        self.once_more(dropped, |h| h.router.run(keys, cmd, op))
    }

    fn get(&mut self, keys: &SessionKeys) -> Result<Option<Vec<u8>>> {
        let v = self
            .router
            .run(keys, &command(&[b"GET", keys.data()]), "read")?;
        as_bytes(v).map_err(|v| wrong_type("read", &v))
    }

    /// write(): stores the data with a TTL of `maxlifetime`. With locking, writes only while
    /// the lock is still ours and releases it in the same round trip (fenced write).
    pub fn write(&mut self, id: &str, data: &[u8], maxlifetime: i64) -> Result<()> {
        let keys = self.keys(id, "write")?;
        self.prefetched = None;
        self.refuse_readonly(id, &keys, "write")?;
        if self.settings.max_size != 0 && data.len() > self.settings.max_size {
            // Not written (a later read would refuse it); the lock, if held, is released by close().
            return Err(Error::new(
                ErrorKind::TooLarge,
                "write",
                messages::too_large_write(data.len(), self.settings.max_size),
            ));
        }
        let ttl = ttl_secs(maxlifetime);
        let stored = self.encoded(&keys, data);
        let data = &stored[..];
        match self.held_for(id) {
            Some(held) => {
                let attempt = |h: &mut Handler| {
                    if data.len() > scripts::STAGE_MIN {
                        h.write_staged(&held, &ttl, data)
                            .and_then(|v| h.fenced(&held.keys, v, "write"))
                    } else {
                        h.release_with(
                            &held,
                            &scripts::WRITE_RELEASE,
                            &[ttl.as_bytes(), data],
                            "write",
                        )
                    }
                };
                // The write landed when the stored value is ours, and only we can have
                // stored it (our lock cannot have expired yet).
                let landed = |h: &mut Handler| {
                    h.lock_surely_ours(&held)
                        && h.get(&held.keys).ok().flatten().as_deref() == Some(data)
                };
                let r = self.with_retry(attempt, landed);
                self.settle(r)
            }
            None if self.settings.locking_enabled => Err(self.not_locked(&keys, "write")),
            None => {
                let v = self.run_idempotent(
                    &keys,
                    &command(&[b"SET", keys.data(), data, b"EX", ttl.as_bytes()]),
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
        let ttl = ttl_secs(maxlifetime);
        if self.held.is_none() && self.refreshed.as_deref() == Some(id) {
            // early_refresh: the read already set this TTL; nothing to send.
            return Ok(());
        }
        match self.held_for(id) {
            Some(held) => {
                let attempt = |h: &mut Handler| {
                    h.release_with(
                        &held,
                        &scripts::TOUCH_RELEASE,
                        &[ttl.as_bytes()],
                        "update_timestamp",
                    )
                };
                // A TTL refresh whose reply was lost did its job (or the lock's TTL ends it).
                let r = self.with_retry(attempt, |_| true);
                self.settle(r)
            }
            None => {
                self.run_idempotent(
                    &keys,
                    cmd("EXPIRE").arg(keys.data()).arg(ttl),
                    "update_timestamp",
                )?;
                Ok(())
            }
        }
    }

    /// Whether our lock cannot have expired yet (with a margin for the server's expiry
    /// and this process's clock): then a retry that finds it gone proves our first attempt
    /// ran. Past that point someone else may have taken it and done the same, so a lost
    /// reply stays an error.
    fn lock_surely_ours(&self, held: &Held) -> bool {
        held.since.elapsed() + LOCK_EXPIRY_MARGIN < self.settings.lock_ttl
    }

    /// Runs a fenced script on the held lock; after a transient error once more (on a fresh
    /// connection / slot map). If the first attempt did run and only its reply was lost, the
    /// retry finds the lock released (LockLost): then `landed` decides whether the first
    /// attempt's effect is there.
    fn with_retry(
        &mut self,
        attempt: impl Fn(&mut Handler) -> Result<()>,
        landed: impl Fn(&mut Handler) -> bool,
    ) -> Result<()> {
        let first = attempt(self);
        self.retry_after(first, attempt, landed)
    }

    /// with_retry's second half, given the first attempt's result (which may have been sent
    /// another way, e.g. pipelined).
    fn retry_after(
        &mut self,
        first: Result<()>,
        attempt: impl Fn(&mut Handler) -> Result<()>,
        landed: impl Fn(&mut Handler) -> bool,
    ) -> Result<()> {
        match first {
            Err(e) if transient(&e) => match attempt(self) {
                Err(lost) if lost.kind == ErrorKind::LockLost && landed(self) => Ok(()),
                // The first attempt's reply did not come in time (it may have run, released the lock and
                // handed it on, and the next holder may have changed the data since, so
                // `landed` cannot tell): its outcome is unknown, and the error says so rather
                // than "not written" (torture seed 325376481: a write reported as not written
                // was read by the next holder). close() finds the lock no longer ours.
                Err(lost) if lost.kind == ErrorKind::LockLost && e.kind == ErrorKind::Timeout => {
                    let mut e = e;
                    e.detail = format!(
                        "{}; the reply was lost and the lock has moved on since, so whether this request's change was stored is unknown",
                        e.detail
                    );
                    Err(e)
                }
                r => r,
            },
            r => r,
        }
    }

    /// Runs a fenced release script (ARGV: token, queued token, lock TTL, then `args`) for the
    /// lock we hold; an error when the lock was no longer ours.
    fn release_with(
        &mut self,
        held: &Held,
        script: &scripts::Script,
        args: &[&[u8]],
        op: &'static str,
    ) -> Result<()> {
        // Every caller passes at most two arguments of its own.
        let mut argv: [&[u8]; 5] = [
            &held.token,
            &held.queued,
            self.lock_ttl_ms.as_bytes(),
            b"",
            b"",
        ];
        let n = 3 + args.len();
        argv[3..n].copy_from_slice(args);
        let v = self.router.eval(&held.keys, script, &argv[..n], op)?;
        self.fenced(&held.keys, v, op)
    }

    /// A large write under the lock, kept out of Lua: one transaction that stores the bytes
    /// under a staging key, then a small script that moves them into place (RENAME) and
    /// releases the lock only while it is ours, else drops them. Returns the script's reply.
    fn write_staged(&mut self, held: &Held, ttl: &str, data: &[u8]) -> Result<Value> {
        let staged = [held.keys.lock(), b"_NEW"].concat();
        let mut set = Cmd::with_capacity(5, data.len() + staged.len() + 16);
        set.arg("SET").arg(&staged).arg(data).arg("EX").arg(ttl);
        let mut commit = cmd("EVAL");
        commit.arg(&scripts::COMMIT_RELEASE.source).arg(5);
        for k in held.keys.script_keys() {
            commit.arg(k);
        }
        commit
            .arg(&staged)
            .arg(&held.token)
            .arg(&held.queued)
            .arg(self.lock_ttl_ms);
        let cmds = [MULTI, set, commit, EXEC];
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
                    op,
                    &self.router.node_of(keys),
                    &Self::key_name(keys),
                    self.settings.lock_ttl,
                ),
            )),
            _ => Err(unexpected(op, &v)),
        }
    }

    /// The lock we hold for `id`, if any. It stays recorded until a fenced script has run
    /// (see settle), so a write that fails still releases the lock at close().
    fn held_for(&self, id: &str) -> Option<Held> {
        self.held.as_ref().filter(|h| &*h.id == id).cloned()
    }

    /// After a fenced script on the held lock: the lock is gone when the script ran (it
    /// released or handed it on) or found it no longer ours; after any other error it stays
    /// recorded, so close() releases it (a refused write must not strand the lock).
    fn settle(&mut self, r: Result<()>) -> Result<()> {
        match &r {
            Ok(()) => self.held = None,
            Err(e) if e.kind == ErrorKind::LockLost => self.held = None,
            Err(_) => {}
        }
        r
    }

    /// A write or destroy with locking on for a session whose lock this request does not
    /// hold: refused, never sent unfenced.
    fn not_locked(&self, keys: &SessionKeys, op: &'static str) -> Error {
        Error::new(
            ErrorKind::LockLost,
            op,
            messages::not_locked(self.kind.name(), op, &Self::key_name(keys)),
        )
    }

    /// destroy(): deletes the data, and the lock if it is ours. A missing session is not an error.
    pub fn destroy(&mut self, id: &str) -> Result<()> {
        let keys = self.keys(id, "destroy")?;
        self.refuse_readonly(id, &keys, "destroy")?;
        if self.prefetched.as_ref().is_some_and(|p| p.id == id) {
            self.prefetched = None;
        }
        match self.held_for(id) {
            // Deleting a missing session is no error; a lock no longer ours is (LockLost).
            Some(held) => {
                let attempt = |h: &mut Handler| h.destroy_attempt(&held);
                let gone = |h: &mut Handler| h.destroyed(&held);
                let r = self.with_retry(attempt, gone);
                self.settle(r)?
            }
            None if self.settings.locking_enabled => return Err(self.not_locked(&keys, "destroy")),
            None => {
                self.router
                    .run(&keys, cmd("DEL").arg(keys.data()), "destroy")?;
            }
        }
        Ok(())
    }

    /// One fenced destroy of the session whose lock we hold.
    fn destroy_attempt(&mut self, held: &Held) -> Result<()> {
        self.release_with(held, &scripts::DESTROY, &[], "destroy")
    }

    /// Whether a destroy whose reply was lost did its work: the session is gone while our
    /// lock cannot have expired yet (nobody else can have deleted it).
    fn destroyed(&mut self, held: &Held) -> bool {
        self.lock_surely_ours(held) && matches!(self.get(&held.keys), Ok(None))
    }

    /// destroy() inside session_regenerate_id(true) (the shell tells), with locking. PHP then
    /// closes this handler, opens a new one, asks create_sid() for a new id and reads it. When
    /// the new id (`generate`: PHP's own generator) lives on the old session's node, its lock
    /// is claimed in the destroy's round trip (pipelined: two sessions, two slots, one node),
    /// and create_sid() and read() cost nothing: 1 + 2 round trips instead of 1 + 3.
    ///
    /// Nothing is deferred: the destroy's own reply decides this call's result exactly as in
    /// destroy(), so a failed destroy is reported before PHP goes on (session_regenerate_id()
    /// returns false). A claim that is not used (the destroy failed, the reply was lost, the
    /// id is taken) is released, or left to the pending releases; the id was never given to
    /// PHP, so no one can wait for it. Otherwise (another node, no lock held, a handler
    /// without pipelining): destroy() as always, and create_sid() claims an id as always.
    pub fn destroy_regenerating(
        &mut self,
        id: &str,
        generate: impl FnOnce() -> Option<String>,
    ) -> Result<()> {
        let Some(held) = self
            .held_for(id)
            .filter(|_| self.settings.locking_enabled && self.readonly.is_none())
        else {
            return self.destroy(id);
        };
        let Some((new_id, new_keys)) = generate().and_then(|n| {
            let k = self.keys(&n, "create_sid").ok()?;
            Some((n, k))
        }) else {
            return self.destroy(id);
        };
        if new_keys.data() == held.keys.data() {
            return self.destroy(id);
        }
        if !self.router.shares_node(&held.keys, &new_keys) {
            // Today's path; the id drawn is still the one create_sid() tries first (so which
            // path a regenerate takes depends only on where its new id lives).
            self.destroy(id)?;
            self.claim = Some(Claim {
                id: new_id,
                keys: new_keys,
                token: Vec::new(),
                since: Instant::now(),
            });
            return Ok(());
        }
        if self.prefetched.as_ref().is_some_and(|p| p.id == id) {
            self.prefetched = None;
        }
        self.retry_pending();
        let claim = Claim {
            id: new_id,
            keys: new_keys,
            token: lock::new_token(),
            since: Instant::now(),
        };
        let argv: [&[u8]; 3] = [&held.token, &held.queued, self.lock_ttl_ms.as_bytes()];
        let mut cmds = vec![script_cmd(
            "EVALSHA",
            scripts::DESTROY.sha1.as_bytes(),
            &held.keys.script_keys(),
            &argv,
        )];
        // SCRIPT EXISTS always in this pipeline (ask = true): a regenerate is rare, and its
        // destroy and claim keep the checks they were written with.
        let claim_cmds = lock::fast_cmds(
            &claim.keys,
            &claim.token,
            &self.lock_ttl_ms,
            false,
            "0",
            true,
        );
        let sent = claim_cmds.len() + 1;
        cmds.extend(claim_cmds);
        let (first, claimed) = match self.router.exec_each(&held.keys, &cmds, "destroy") {
            Ok(mut replies) if replies.len() == sent => {
                let exec = replies.pop().unwrap_or(Value::Nil);
                let destroyed = replies.swap_remove(0);
                let first = match destroyed {
                    v @ Value::Int(_) => Some(self.fenced(&held.keys, v, "destroy")),
                    // NOSCRIPT, a redirect, TRYAGAIN, ...: it did not run (or not to the end);
                    // sent again the usual way, which loads scripts and follows redirects.
                    _ => None,
                };
                (first, Some(lock::parse_fast(exec, false, true)))
            }
            Ok(_) => (None, None),
            // Transport failure: the destroy is retried below; whether the claim ran is unknown.
            Err(e) => (Some(Err(e)), None),
        };
        let attempt = |h: &mut Handler| h.destroy_attempt(&held);
        let gone = |h: &mut Handler| h.destroyed(&held);
        let r = match first {
            Some(first) => self.retry_after(first, attempt, gone),
            None => self.with_retry(attempt, gone),
        };
        let r = self.settle(r);
        match claimed {
            Some(Ok(Some(Attempt::Acquired(None)))) if r.is_ok() => {
                stats::bump(&stats::lock_acquisitions);
                self.claim = Some(claim);
            }
            // Not taken (busy, or the transaction refused: EXECABORT, MOVED).
            Some(Ok(None)) | Some(Err(_)) => {}
            // Taken but not to be used: the destroy failed, or the id has data (a collision).
            Some(Ok(Some(_))) => self.release_claim(claim),
            None => abandon(self.kind, &self.path, claim, self.settings.lock_ttl),
        }
        r
    }

    /// Releases the lock of a claim not used (best effort: left to the pending releases when
    /// the server does not answer).
    fn release_claim(&mut self, claim: Claim) {
        if claim.token.is_empty() {
            return;
        }
        let r = lock::release(
            self.kind.name(),
            &mut *self.router,
            &claim.keys,
            &claim.token,
            &[],
            crate::settings::ReleaseCmd::Lua,
            &self.lock_ttl_ms,
        );
        if r.is_err() {
            abandon(self.kind, &self.path, claim, self.settings.lock_ttl);
        }
    }

    /// close(): releases a lock still held (session_abort, read_and_close, a failed write
    /// path). A lock claimed for session_regenerate_id()'s next id goes on to the handler PHP
    /// opens next (see set_regenerating).
    pub fn close(&mut self) -> Result<()> {
        self.prefetched = None;
        if let Some(claim) = self.claim.take() {
            let stashed = StashedClaim {
                kind: self.kind,
                path: self.path.clone(),
                claim,
            };
            if let Some(left) = STASHED.with(|s| s.borrow_mut().replace(stashed)) {
                abandon(left.kind, &left.path, left.claim, self.settings.lock_ttl);
            }
        }
        self.release_held()
    }

    /// Releases the lock we hold. A release that fails for a transient reason is tried once
    /// more (on a fresh connection and slot map), then left to this worker's next request
    /// (PendingRelease) and reported.
    fn release_held(&mut self) -> Result<()> {
        let Some(held) = self.held.take() else {
            return Ok(());
        };
        let release = |h: &mut Handler| {
            lock::release(
                h.kind.name(),
                &mut *h.router,
                &held.keys,
                &held.token,
                &held.queued,
                h.settings.lock_release_cmd,
                &h.lock_ttl_ms,
            )
        };
        let r = self.once_more(transient, release);
        match r {
            Ok((_, warning)) => {
                self.warnings.extend(warning);
                Ok(())
            }
            Err(mut e) if transient(&e) => {
                defer_release(PendingRelease {
                    kind: self.kind,
                    path: self.path.clone(),
                    keys: held.keys.clone(),
                    token: held.token.clone(),
                    until: std::time::Instant::now() + self.settings.lock_ttl,
                });
                e.detail = format!(
                    "{}; the session lock could not be released: this worker retries at its next request, and it expires by itself within {} s",
                    e.detail,
                    self.settings.lock_ttl.as_secs().max(1)
                );
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// create_sid(): a new id from `generate` (PHP's generator) that is not in use. With
    /// locking the new id's lock is taken in the same round trip that checks it, so the
    /// read() that follows costs nothing. Called by session_create_id() while a session is
    /// open, it neither touches that session's lock nor locks the new id: it only checks the
    /// id is free. When the server cannot be reached it still answers an id (the read() that
    /// follows fails with the error, so session_start() returns false with a warning, never
    /// PHP's "Failed to create session ID" fatal error).
    pub fn create_sid(&mut self, mut generate: impl FnMut() -> Option<String>) -> Result<String> {
        const TRIES: usize = 3;
        let mut preset = self.preset_sid.take();
        if let Some(id) = preset.as_ref() {
            // session_regenerate_id(true): claimed with the destroy (see set_regenerating).
            if self.held.as_ref().is_some_and(|h| *h.id == **id) {
                return Ok(id.clone());
            }
        }
        let in_use = self.active.is_some() || self.held.as_ref().is_some_and(|h| h.in_use);
        self.prefetched = None;
        self.retry_pending();
        if !in_use {
            // A lock held on an id PHP just rejected (strict mode) is of no further use.
            // Best effort: that id has no data, and its lock expires with its TTL.
            let _ = self.release_held();
        }
        for _ in 0..TRIES {
            let id = preset.take().or_else(&mut generate).ok_or_else(|| {
                Error::new(
                    ErrorKind::Protocol,
                    "create_sid",
                    "PHP could not generate an id",
                )
            })?;
            let keys = self.keys(&id, "create_sid")?;
            match self.claim_new_id(&id, keys, !in_use) {
                Ok(true) => return Ok(id),
                Ok(false) => {}
                Err(e) => {
                    if in_use {
                        // session_create_id() during a session: the id is still random enough
                        // to use; say why it was not checked, and let validate_sid accept it.
                        let cause = self.describe(&e, Some(&id));
                        self.warnings.push(format!(
                            "{cause}; the new id was not checked for collisions"
                        ));
                        self.prefetched = Some(Prefetched {
                            id: id.clone(),
                            data: None,
                        });
                    } else {
                        self.unreachable = Some(e);
                    }
                    return Ok(id);
                }
            }
        }
        Err(Error::new(
            ErrorKind::Protocol,
            "create_sid",
            format!("{TRIES} generated session ids in a row were already in use"),
        ))
    }

    /// Whether the new id `id` is free; with `lock` (locking on, no session in use) its lock
    /// is taken too. A free id is remembered as an empty session for validate_sid / read.
    fn claim_new_id(&mut self, id: &str, keys: SessionKeys, lock: bool) -> Result<bool> {
        let empty = |id: &str| Prefetched {
            id: id.to_string(),
            data: None,
        };
        if !(lock && self.settings.locking_enabled) {
            if self.get(&keys)?.is_some() {
                return Ok(false);
            }
            self.prefetched = Some(empty(id));
            return Ok(true);
        }
        let token = lock::new_token();
        let since = Instant::now();
        match self.try_lock(&keys, &token)? {
            Attempt::Free(None) => {
                self.prefetched = Some(empty(id));
                Ok(true)
            }
            Attempt::Acquired(None) => {
                self.held = Some(Held {
                    id: Arc::from(id),
                    keys,
                    queued: Vec::new(),
                    token,
                    in_use: false,
                    since,
                });
                self.prefetched = Some(empty(id));
                Ok(true)
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
                Ok(false)
            }
            Attempt::Free(Some(_)) | Attempt::Busy(..) => Ok(false),
        }
    }

    /// One acquire-and-read attempt without queueing (create_sid, validate_sid), looked at
    /// again while the session's slot is being migrated (as `lock::acquire` does), for at
    /// most `lock::MIGRATION_GRACE`.
    fn try_lock(&mut self, keys: &SessionKeys, token: &[u8]) -> Result<Attempt> {
        let start = Instant::now();
        loop {
            match lock::try_acquire(
                &mut *self.router,
                keys,
                token,
                self.settings.lock_ttl,
                None,
                self.read_and_close,
                &self.refresh,
                true,
            ) {
                Err(e) if lock::migrating(&e) && start.elapsed() < lock::MIGRATION_GRACE => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                r => return r,
            }
        }
    }

    /// validate_sid() (use_strict_mode): whether a session with this id exists (has data; a
    /// busy lock on an id without data does not make it exist). The answer is fetched together
    /// with the lock when locking, and kept for the read() that follows. When the server
    /// cannot answer, the id is not called invalid (PHP would silently start a new, empty
    /// session under a new id: a logged-out user): the read() that follows fails with the
    /// error instead, so session_start() returns false with a warning.
    pub fn validate_sid(&mut self, id: &str) -> Result<bool> {
        match self.check_sid(id) {
            Err(e) if e.kind != ErrorKind::InvalidId => {
                self.unreachable = Some(e);
                Ok(true)
            }
            r => r,
        }
    }

    fn check_sid(&mut self, id: &str) -> Result<bool> {
        if !valid_session_id(id.as_bytes()) {
            return Ok(false);
        }
        if let Some(p) = self.prefetched.as_ref().filter(|p| p.id == id) {
            return Ok(p.data.is_some());
        }
        let keys = self.keys(id, "validate_sid")?;
        if self.settings.locking_enabled && self.held.is_none() {
            let token = lock::new_token();
            let since = Instant::now();
            return match self.try_lock(&keys, &token)? {
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
                        id: Arc::from(id),
                        keys,
                        queued: Vec::new(),
                        token,
                        in_use: false,
                        since,
                    });
                    self.prefetched = Some(Prefetched {
                        id: id.to_string(),
                        data,
                    });
                    Ok(exists)
                }
                // Someone holds its lock: it exists only if it has data; read() waits.
                Attempt::Busy(_, exists) => Ok(exists),
            };
        }
        let data = self.get_refresh(id, &keys)?;
        let exists = data.is_some();
        if !exists {
            // Strict mode rejects the session in use (session_reset() on a session never
            // written): PHP moves to a new id, so this lock no longer guards the session.
            if let Some(h) = self.held.as_mut().filter(|h| &*h.id == id) {
                h.in_use = false;
            }
            if self.active.as_deref() == Some(id) {
                self.active = None;
            }
        }
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
        if let Some(claim) = self.claim.take() {
            self.release_claim(claim);
        }
    }
}

fn defer_release(p: PendingRelease) {
    let mut all = PENDING.lock();
    if all.len() >= MAX_PENDING {
        all.remove(0);
    }
    all.push(p);
}

#[derive(Clone)]
enum ParsedPath {
    Standalone(Arc<Servers>),
    Cluster(Arc<Seeds>),
    Sentinel(Arc<save_path::SentinelPath>),
}

/// Parsed save_paths of this process: a php-fpm worker sees the same one on every request,
/// so it is parsed once (a malformed one is parsed, and warned about, each time). A few
/// entries, looked up by comparing the text (no hashing, no copy of it).
static PARSED: Lazy<Mutex<Vec<CachedPath>>> = Lazy::new(|| Mutex::new(Vec::new()));

/// One entry of [`PARSED`]: handler, save_path text, parsed path.
type CachedPath = (HandlerKind, Arc<str>, ParsedPath);
/// Distinct save_paths kept; more (ini_set() with ever new paths) starts the cache afresh.
const MAX_PARSED: usize = 32;

/// The parsed `path`, and the path as shared text (for pending releases).
fn parsed_path(kind: HandlerKind, path: &str) -> Result<(Arc<str>, ParsedPath)> {
    if let Some((_, text, p)) = PARSED
        .lock()
        .iter()
        .find(|(k, text, _)| *k == kind && **text == *path)
    {
        return Ok((text.clone(), p.clone()));
    }
    let parsed = match kind {
        HandlerKind::Redis => ParsedPath::Standalone(Arc::new(Servers::new(
            save_path::parse_standalone(path).map_err(config_error)?,
        ))),
        HandlerKind::RedisCluster => ParsedPath::Cluster(Arc::new(Seeds::new(
            save_path::parse_cluster(path).map_err(config_error)?,
        ))),
        HandlerKind::RedisSentinel => ParsedPath::Sentinel(Arc::new(
            save_path::parse_sentinel(path).map_err(config_error)?,
        )),
    };
    let text: Arc<str> = Arc::from(path);
    let mut cache = PARSED.lock();
    if cache.len() >= MAX_PARSED {
        cache.clear();
    }
    cache.push((kind, text.clone(), parsed.clone()));
    Ok((text, parsed))
}

/// A malformed save_path, its quoted part scrubbed of anything that may be a password.
fn config_error(mut e: save_path::SavePathError) -> Error {
    e.part = crate::redact::scrub_part(&e.part);
    Error::new(ErrorKind::Config, "open", e.to_string())
}

fn ttl_secs(maxlifetime: i64) -> Decimal {
    Decimal::new(maxlifetime.clamp(1, i64::from(i32::MAX)))
}

fn wrong_type(op: &'static str, v: &Value) -> Error {
    let mut e = unexpected(op, v);
    e.detail = format!("{} - the session key does not hold a string", e.detail);
    e
}
