//! The `redissentinel` handler's router: the master that Redis Sentinel names for a service,
//! asked of the sentinels in turn (`SENTINEL get-master-addr-by-name`), checked with `ROLE` on
//! every new connection, and cached per process. The connection to the sentinel that answered
//! stays open, subscribed (PSUBSCRIBE) to the events a master change publishes: while nothing
//! arrived on it, a request trusts the cached master without asking (no round trip; the
//! check is a non-blocking peek at that socket); an event, or that sentinel closing the
//! connection, makes the next request ask again. When no sentinel answers, the cached master
//! is used (one warning per process) and the sentinels are asked again at most once a second.
//! A connection error, `READONLY`, `LOADING`, `MASTERDOWN` or a node whose ROLE is replica
//! sends it back to the sentinels, within the request's wait budget (the `timeout` option);
//! nothing is ever written to a node that did not say it is a master (replicas refuse writes
//! with READONLY, which is retried elsewhere).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use redis::Value;

use super::command::{cmd, Cmd};
use super::node::{map_error, NodeConn};
use super::version::ServerVersion;
use super::{pool, Router, SessionKeys};
use crate::error::{Error, ErrorKind, Result};
use crate::keys;
use crate::save_path::{Address, ConnOptions, SentinelPath};
use crate::stats;

/// Pause between two rounds over the sentinels while no master can be found (a failover
/// in progress).
const ROUND_PAUSE: Duration = Duration::from_millis(100);
/// Shortest connect timeout a last try gets once the wait budget is spent.
const MIN_TRY: Duration = Duration::from_millis(100);
/// Services whose master address is kept (ini_set() with ever new save_paths starts afresh).
const MAX_MASTERS: usize = 32;

/// The master address last found per sentinel list and service, shared by the requests of
/// this process.
static MASTERS: Lazy<Mutex<HashMap<String, Address>>> = Lazy::new(|| Mutex::new(HashMap::new()));
/// The sentinel (index in save_path) that answered last, per sentinel list and service: asked
/// first by the next request, so a sentinel that is down costs its timeout once, not per request.
static FIRST: Lazy<Mutex<HashMap<String, usize>>> = Lazy::new(|| Mutex::new(HashMap::new()));
/// Per sentinel list and service: what tells this process that its cached master may be stale.
static WATCH: Lazy<Mutex<HashMap<String, Watch>>> = Lazy::new(|| Mutex::new(HashMap::new()));

/// The events (PSUBSCRIBE patterns) a sentinel publishes when the master it names changes:
/// `+failover-state-reconf-*` and `+promoted-*` when the leader starts naming the promoted
/// replica (Redis says "slaves"/"slave", Valkey may say "replicas"/"replica"), `+switch-master`
/// when any sentinel switches, `+monitor` / `+reset-master` when an operator re-points it.
const EVENTS: &[&str] = &[
    "+switch-master",
    "+promoted-*",
    "+failover-state-reconf-*",
    "+monitor",
    "+reset-master",
];
/// While no sentinel answers, they are asked again at most this often (per process).
const SENTINEL_RETRY: Duration = Duration::from_secs(1);

/// How fresh this process's cached master is.
#[derive(Default)]
struct Watch {
    /// Subscribed to EVENTS on the sentinel whose answer is cached, with the id of the process
    /// that opened it (a forked child never trusts its parent's).
    conn: Option<(u32, NodeConn)>,
    /// The sentinels refused PSUBSCRIBE (ACL): every request asks them, as before watches.
    refused: bool,
    /// No sentinel answered at this time: the cached master is used unasked until
    /// SENTINEL_RETRY later.
    all_down_at: Option<Instant>,
    /// That was warned about (once per process until a sentinel answers again).
    warned: bool,
}

/// Why a node named by a sentinel was not used.
enum Refused {
    /// ROLE says replica (or sentinel): never written to.
    NotMaster(String),
    /// Could not connect, or ROLE failed.
    Failed(Error),
}

/// Routes every command of a request to the service's current master.
pub struct Sentinel {
    path: SentinelPath,
    cache_key: String,
    /// The master this request talks to (verified, or taken from the process cache).
    master: Option<Address>,
    conn: Option<NodeConn>,
    /// Longest bulk string a reply may carry (see `Router::set_reply_limit`).
    reply_limit: usize,
    /// What is left of this request's wait for a master (starts at `timeout`).
    wait_left: Duration,
    /// The sentinel that answered last, asked first next time.
    first_sentinel: usize,
    /// The cache was checked at this request's first command (see `master_conn`).
    checked: bool,
    /// Warnings for PHP (see `Router::take_warnings`).
    warnings: Vec<String>,
}

/// The server errors a non-master answers with: the command did not run there, so it may run
/// again on the master the sentinels name.
pub fn not_master_reply(e: &Error) -> bool {
    e.kind == ErrorKind::Server
        && ["READONLY", "LOADING", "MASTERDOWN"]
            .iter()
            .any(|p| e.detail.starts_with(p))
}

impl Sentinel {
    pub fn new(path: SentinelPath) -> Sentinel {
        let cache_key = format!(
            "{}/{}",
            path.sentinels
                .iter()
                .map(|(h, p)| format!("{h}:{p}"))
                .collect::<Vec<_>>()
                .join(","),
            path.service
        );
        let wait_left = path.options.connect_timeout;
        let first_sentinel = FIRST
            .lock()
            .get(&cache_key)
            .copied()
            .filter(|&i| i < path.sentinels.len())
            .unwrap_or(0);
        Sentinel {
            path,
            cache_key,
            master: None,
            conn: None,
            reply_limit: usize::MAX,
            wait_left,
            first_sentinel,
            checked: false,
            warnings: Vec::new(),
        }
    }

    /// Test hook: makes this process believe `addr` is the master (with a kept connection to
    /// it when `pooled`), as if the master had been demoted after this process last used it.
    #[doc(hidden)]
    pub fn pin_master_for_test(path: &SentinelPath, addr: Address, pooled: bool) {
        let s = Sentinel::new(path.clone());
        MASTERS.lock().insert(s.cache_key.clone(), addr.clone());
        pool::discard(&addr, &path.options);
        if pooled {
            let conn = NodeConn::open(&addr, &path.options).expect("connect to the pinned node");
            pool::checkin(&addr, &path.options, conn);
        }
    }

    /// Whether the cached master may be used without asking a sentinel: the watch connection
    /// has received nothing (no master change published, not closed), or no sentinel answered
    /// less than SENTINEL_RETRY ago.
    fn trusted(&self) -> bool {
        let mut watches = WATCH.lock();
        let Some(w) = watches.get_mut(&self.cache_key) else {
            return false;
        };
        if let Some((pid, conn)) = &mut w.conn {
            if *pid == std::process::id() && !conn.has_unread() {
                return true;
            }
            // An event, or the sentinel went away: ask again (and watch anew).
            w.conn = None;
            return false;
        }
        w.all_down_at
            .is_some_and(|at| at.elapsed() < SENTINEL_RETRY)
    }

    /// A sentinel answered: keep its subscribed connection (if any) as the watch.
    fn answered(&self, watch: Option<NodeConn>, refused: bool) {
        let mut watches = WATCH.lock();
        if watches.len() >= MAX_MASTERS && !watches.contains_key(&self.cache_key) {
            watches.clear();
        }
        let w = watches.entry(self.cache_key.clone()).or_default();
        w.conn = watch.map(|c| (std::process::id(), c));
        w.refused = refused;
        w.all_down_at = None;
        w.warned = false;
    }

    fn watch_refused(&self) -> bool {
        WATCH.lock().get(&self.cache_key).is_some_and(|w| w.refused)
    }

    /// No sentinel answered: the cached `master` is used unchecked; one warning per process
    /// until a sentinel answers again.
    fn fall_back(&mut self, master: &Address, why: &str) {
        let mut watches = WATCH.lock();
        let w = watches.entry(self.cache_key.clone()).or_default();
        w.all_down_at = Some(Instant::now());
        if !std::mem::replace(&mut w.warned, true) {
            self.warnings.push(format!(
                "redissentinel: no sentinel of service '{}' answered ({why}); using {master}, the master this process found last, without asking them, and asking them again at most once a second (this warning: once per process until a sentinel answers)",
                self.path.service
            ));
        }
    }

    /// The master address this process knows for the service (tests, `php --ri`).
    pub fn cached_master(path: &SentinelPath) -> Option<Address> {
        let s = Sentinel::new(path.clone());
        MASTERS.lock().get(&s.cache_key).cloned()
    }

    fn label(&self) -> String {
        match &self.master {
            Some(a) => a.to_string(),
            None => format!("service {}", self.path.service),
        }
    }

    /// Drops the master this request used, its idle connections and the process cache entry
    /// (when it still names it): the next command asks the sentinels.
    fn forget_master(&mut self) {
        self.conn = None;
        if let Some(old) = self.master.take() {
            pool::discard(&old, &self.path.options);
            let mut cache = MASTERS.lock();
            if cache.get(&self.cache_key) == Some(&old) {
                cache.remove(&self.cache_key);
            }
        }
    }

    /// Options for one connection attempt: the connect timeout capped by what is left of the
    /// wait budget (at least MIN_TRY).
    fn capped(opts: &ConnOptions, left: Duration) -> ConnOptions {
        let mut o = opts.clone();
        o.connect_timeout = o.connect_timeout.min(left.max(MIN_TRY));
        o
    }

    /// The connection to the master, found as cheaply as possible: this request's own, an
    /// idle one of this process, a new one to the cached address (checked with ROLE), or
    /// the sentinels' answer.
    fn master_conn(&mut self, op: &'static str) -> Result<&mut NodeConn> {
        if self.conn.as_ref().is_some_and(NodeConn::is_broken) {
            self.conn = None;
        }
        if self.conn.is_none() {
            let mut cached = self
                .master
                .clone()
                .or_else(|| MASTERS.lock().get(&self.cache_key).cloned());
            // Once per request, a cached address is checked: after a SENTINEL FAILOVER the old
            // master stays a writable master until the sentinels reconfigure it (seconds
            // later), and what it takes meanwhile is lost. Free while the watch connection is
            // quiet; otherwise one round trip to a sentinel (when none answers, the cached
            // master is used, with a warning).
            if !std::mem::replace(&mut self.checked, true) && !self.trusted() {
                if let Some(known) = cached.clone() {
                    match self.ask_any() {
                        Ok(named) if named == known => {}
                        Ok(_) => {
                            self.master = cached.take();
                            self.forget_master();
                        }
                        Err(why) => self.fall_back(&known, &why),
                    }
                }
            }
            let mut found = None;
            if let Some(addr) = cached {
                if let Some(c) = pool::take_idle(&addr, &self.path.options) {
                    found = Some((addr, c));
                } else {
                    let started = Instant::now();
                    let opts = Self::capped(&self.path.options, self.wait_left);
                    match open_master(&addr, &opts) {
                        Ok(c) => found = Some((addr, c)),
                        Err(_) => {
                            self.master = Some(addr);
                            self.forget_master();
                        }
                    }
                    self.wait_left = self.wait_left.saturating_sub(started.elapsed());
                }
            }
            let (addr, conn) = match found {
                Some(f) => f,
                None => self.discover(op)?,
            };
            self.master = Some(addr);
            self.conn = Some(conn);
        }
        let limit = self.reply_limit;
        let conn = self.conn.as_mut().expect("connection just set");
        conn.set_reply_limit(limit);
        Ok(conn)
    }

    /// Runs `send` on the master's connection: once more on a fresh connection when a pooled
    /// one turns out closed, and after asking the sentinels again when the node is no longer
    /// (or not yet) a master, while the wait budget lasts.
    fn on_master<T>(
        &mut self,
        block: Duration,
        op: &'static str,
        mut send: impl FnMut(
            &mut NodeConn,
            Instant,
        ) -> std::result::Result<T, Option<redis::RedisError>>,
    ) -> Result<T> {
        let mut fresh_retry = true;
        loop {
            let conn = self.master_conn(op)?;
            let deadline = conn.deadline(block);
            let e = match send(conn, deadline) {
                Ok(v) => return Ok(v),
                Err(None) if fresh_retry => {
                    // A pooled connection the server had closed (a restart, a failover's
                    // CLIENT KILL): the command did not run; once more on a new connection.
                    fresh_retry = false;
                    if let Some(m) = &self.master {
                        pool::discard(m, &self.path.options);
                    }
                    self.conn = None;
                    continue;
                }
                Err(None) => {
                    self.forget_master();
                    return Err(Error::new(ErrorKind::Io, op, "connection closed").at(self.label()));
                }
                Err(Some(e)) => e,
            };
            let err = map_error(e, op, &self.label());
            if not_master_reply(&err) {
                // Refused by a node that is no longer (or not yet) a master: the command did
                // not run; ask the sentinels again while the wait budget lasts.
                self.forget_master();
                if self.wait_left.is_zero() {
                    return Err(err);
                }
                // READONLY: a demoted node; the sentinels (whose answer is checked with ROLE)
                // can be asked at once. LOADING / MASTERDOWN: a master not ready yet, which
                // ROLE calls a master; pause so that does not spin.
                if !err.detail.starts_with("READONLY") {
                    let pause = ROUND_PAUSE.min(self.wait_left);
                    std::thread::sleep(pause);
                    self.wait_left = self.wait_left.saturating_sub(pause);
                }
                continue;
            }
            if matches!(
                err.kind,
                ErrorKind::Connect | ErrorKind::Io | ErrorKind::Timeout
            ) {
                // The master may be gone: the next command asks the sentinels.
                self.forget_master();
            }
            return Err(err);
        }
    }

    fn remember_first(&mut self, i: usize) {
        if self.first_sentinel != i {
            self.first_sentinel = i;
            let mut first = FIRST.lock();
            if first.len() >= MAX_MASTERS {
                first.clear();
            }
            first.insert(self.cache_key.clone(), i);
        }
    }

    /// The master the first sentinel that answers names (no waiting, no ROLE check); its
    /// connection becomes the watch. Err: why none did.
    fn ask_any(&mut self) -> std::result::Result<Address, String> {
        let n = self.path.sentinels.len();
        let watch = !self.watch_refused();
        let mut last = String::new();
        for k in 0..n {
            let i = (self.first_sentinel + k) % n;
            let (host, port) = self.path.sentinels[i].clone();
            let at = Address::Tcp { host, port };
            let started = Instant::now();
            let sopts = Self::capped(&self.path.sentinel_options, self.wait_left);
            let r = ask_sentinel(&at, &sopts, &self.path.service, watch);
            self.wait_left = self.wait_left.saturating_sub(started.elapsed());
            match r {
                Ok(asked) => match asked.master {
                    Some(addr) => {
                        self.remember_first(i);
                        self.answered(asked.watch, asked.refused);
                        return Ok(addr);
                    }
                    None => {
                        last = format!(
                            "sentinel {at} does not monitor a master named '{}'",
                            self.path.service
                        )
                    }
                },
                Err(e) => last = format!("sentinel {at}: {}", e.detail),
            }
        }
        Err(last)
    }

    /// Asks the sentinels in turn for the master until one names a node whose ROLE is master,
    /// pausing between rounds, within what is left of the wait budget (one round when it is
    /// spent). Caches the answer for the process.
    fn discover(&mut self, op: &'static str) -> Result<(Address, NodeConn)> {
        let started = Instant::now();
        let end = started + self.wait_left;
        let n = self.path.sentinels.len();
        let service = self.path.service.clone();
        let mut last: Option<String> = None;
        let mut only_auth = true;
        let watch = !self.watch_refused();
        loop {
            let mut unknown = 0;
            for k in 0..n {
                let i = (self.first_sentinel + k) % n;
                let (host, port) = self.path.sentinels[i].clone();
                let at = Address::Tcp { host, port };
                let left = end.saturating_duration_since(Instant::now());
                let sopts = Self::capped(&self.path.sentinel_options, left);
                let (named, watch_conn, refused) = match ask_sentinel(&at, &sopts, &service, watch)
                {
                    Ok(Asked {
                        master: Some(addr),
                        watch,
                        refused,
                    }) => (addr, watch, refused),
                    Ok(_) => {
                        unknown += 1;
                        last = Some(format!(
                            "sentinel {at} does not monitor a master named '{service}'"
                        ));
                        only_auth = false;
                        continue;
                    }
                    Err(e) => {
                        only_auth &= e.kind == ErrorKind::Auth;
                        last = Some(format!("sentinel {at}: {}", e.detail));
                        continue;
                    }
                };
                let left = end.saturating_duration_since(Instant::now());
                let opts = Self::capped(&self.path.options, left);
                only_auth = false;
                match verify(&named, &opts) {
                    Ok(conn) => {
                        self.remember_first(i);
                        self.answered(watch_conn, refused);
                        self.wait_left = self.wait_left.saturating_sub(started.elapsed());
                        let mut cache = MASTERS.lock();
                        if cache.len() >= MAX_MASTERS {
                            cache.clear();
                        }
                        if cache.insert(self.cache_key.clone(), named.clone()).as_ref()
                            != Some(&named)
                        {
                            stats::bump(&stats::sentinel_discoveries);
                        }
                        return Ok((named, conn));
                    }
                    Err(Refused::NotMaster(role)) => {
                        last = Some(format!(
                            "sentinel {at} names {named}, whose ROLE is {role}, not master (not written to)"
                        ));
                    }
                    Err(Refused::Failed(e)) => {
                        last = Some(format!("sentinel {at} names {named}: {}", e.detail));
                    }
                }
            }
            // Every sentinel answered, none knows the service: a configuration error, not a
            // failover; waiting cannot help.
            if unknown == n || (only_auth && last.is_some()) {
                self.wait_left = self.wait_left.saturating_sub(started.elapsed());
                let kind = if unknown == n {
                    ErrorKind::Config
                } else {
                    ErrorKind::Auth
                };
                return Err(Error::new(kind, op, last.unwrap_or_default()).at(self.label()));
            }
            if Instant::now() + ROUND_PAUSE >= end {
                break;
            }
            std::thread::sleep(ROUND_PAUSE);
        }
        self.wait_left = Duration::ZERO;
        Err(Error::new(
            ErrorKind::Connect,
            op,
            format!(
                "no master for service '{service}' within {:.1} s (timeout): {}",
                self.path.options.connect_timeout.as_secs_f64(),
                last.unwrap_or_else(|| "no sentinel answered".to_string())
            ),
        )
        .at(self.label()))
    }
}

/// What a sentinel answered.
struct Asked {
    /// The master it names; None when it does not monitor that service.
    master: Option<Address>,
    /// The connection, subscribed to EVENTS (asked with `watch`, and PSUBSCRIBE allowed).
    watch: Option<NodeConn>,
    /// Asked with `watch`, and PSUBSCRIBE was refused (ACL).
    refused: bool,
}

/// `SENTINEL get-master-addr-by-name`, in one round trip. With `watch`, on a new connection
/// that is then subscribed to EVENTS in the same round trip (the sentinel runs the pipelined
/// commands back to back: no event can fall between its answer and the subscription);
/// without, on a kept one.
fn ask_sentinel(at: &Address, opts: &ConnOptions, service: &str, watch: bool) -> Result<Asked> {
    let label = at.to_string();
    stats::bump(&stats::sentinel_queries);
    let mut get = cmd("SENTINEL");
    get.arg("get-master-addr-by-name").arg(service);
    let mut asked = Asked {
        master: None,
        watch: None,
        refused: false,
    };
    let reply = if watch {
        let mut conn = NodeConn::open(at, opts)?;
        let mut cmds = vec![get];
        for e in EVENTS {
            let mut p = cmd("PSUBSCRIBE");
            p.arg(*e);
            cmds.push(p);
        }
        let deadline = conn.deadline(Duration::ZERO);
        let mut replies = conn
            .round_trip(&cmds, deadline)
            .map_err(|e| map_error(e, "sentinel", &label))?
            .into_iter();
        let reply = replies
            .next()
            .unwrap_or(Value::Nil)
            .extract_error()
            .map_err(|e| map_error(e, "sentinel", &label))?;
        let subscribed = replies.all(|v| {
            matches!(&v, Value::Array(p) if p.first().and_then(text).as_deref() == Some("psubscribe"))
        });
        if subscribed {
            asked.watch = Some(conn);
        } else {
            // Not subscribed (ACL): the connection is an ordinary one, kept for the next ask.
            asked.refused = true;
            pool::checkin(at, opts, conn);
        }
        reply
    } else {
        let mut conn = pool::checkout(at, opts)?;
        let deadline = conn.deadline(Duration::ZERO);
        let reply = match conn.send(std::slice::from_ref(&get), deadline) {
            Ok(v) => v,
            Err(None) => {
                // A pooled connection the sentinel had closed: once more on a new one.
                pool::discard(at, opts);
                conn = NodeConn::open(at, opts)?;
                let deadline = conn.deadline(Duration::ZERO);
                conn.query_until(std::slice::from_ref(&get), deadline)
                    .map_err(|e| map_error(e, "sentinel", &label))?
            }
            Err(Some(e)) => return Err(map_error(e, "sentinel", &label)),
        };
        pool::checkin(at, opts, conn);
        // Asked without a watch only once PSUBSCRIBE was refused: it stays refused.
        asked.refused = true;
        reply
    };
    asked.master = match reply {
        Value::Nil => None,
        Value::Array(parts) if parts.is_empty() => None,
        Value::Array(parts) if parts.len() == 2 => {
            let host = text(&parts[0]);
            let port = text(&parts[1]).and_then(|p| p.parse::<u16>().ok());
            match (host, port) {
                (Some(host), Some(port)) if !host.is_empty() && port != 0 => {
                    Some(Address::Tcp { host, port })
                }
                _ => {
                    return Err(Error::new(
                        ErrorKind::Protocol,
                        "sentinel",
                        "unexpected reply to SENTINEL get-master-addr-by-name",
                    )
                    .at(label))
                }
            }
        }
        other => return Err(super::unexpected("sentinel", &other).at(label)),
    };
    Ok(asked)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A new connection to `addr`, kept only when its ROLE is master.
fn verify(addr: &Address, opts: &ConnOptions) -> std::result::Result<NodeConn, Refused> {
    let label = addr.to_string();
    let mut conn = NodeConn::open(addr, opts).map_err(Refused::Failed)?;
    let deadline = conn.deadline(Duration::ZERO);
    let role = conn
        .query_until(&[cmd("ROLE")], deadline)
        .map_err(|e| Refused::Failed(map_error(e, "role", &label)))?;
    let role = match &role {
        Value::Array(parts) => parts.first().and_then(text),
        _ => None,
    };
    match role.as_deref() {
        Some("master") => Ok(conn),
        Some(other) => Err(Refused::NotMaster(other.to_string())),
        None => Err(Refused::Failed(
            Error::new(ErrorKind::Protocol, "role", "unexpected reply to ROLE").at(label),
        )),
    }
}

/// `verify` as an Error (for the cached address).
fn open_master(addr: &Address, opts: &ConnOptions) -> Result<NodeConn> {
    verify(addr, opts).map_err(|r| match r {
        Refused::Failed(e) => e,
        Refused::NotMaster(role) => Error::new(
            ErrorKind::Server,
            "role",
            format!("READONLY the node's ROLE is {role}, not master"),
        )
        .at(addr.to_string()),
    })
}

impl Router for Sentinel {
    fn keys_for(&self, id: &str) -> Result<SessionKeys> {
        Ok(SessionKeys::of_session(
            0,
            &self.path.prefix,
            id,
            keys::STANDALONE_LOCK_AFFIXES,
        ))
    }

    fn exec(
        &mut self,
        _keys: &SessionKeys,
        cmds: &[Cmd],
        block: Duration,
        op: &'static str,
    ) -> Result<Value> {
        self.on_master(block, op, |c, d| c.send(cmds, d))
    }

    /// Every session lives on the one master.
    fn shares_node(&self, _a: &SessionKeys, _b: &SessionKeys) -> bool {
        true
    }

    fn exec_each(
        &mut self,
        _keys: &SessionKeys,
        cmds: &[Cmd],
        op: &'static str,
    ) -> Result<Vec<Value>> {
        self.on_master(Duration::ZERO, op, |c, d| c.send_each(cmds, d))
    }

    fn may_run_scripts(&mut self, _keys: &SessionKeys) -> bool {
        if self.conn.as_ref().is_some_and(NodeConn::is_broken) {
            self.conn = None;
        }
        if self.conn.is_none() && !self.checked {
            // The request's first command, when the cached master needs no sentinel: take the
            // pooled connection it would use anyway (never asks a sentinel or connects here).
            let cached = self
                .master
                .clone()
                .or_else(|| MASTERS.lock().get(&self.cache_key).cloned());
            if let Some(addr) = cached {
                if self.trusted() {
                    self.checked = true;
                    if let Some(c) = pool::take_idle(&addr, &self.path.options) {
                        self.master = Some(addr);
                        self.conn = Some(c);
                    }
                }
            }
        }
        self.conn
            .as_ref()
            .is_some_and(|c| !c.is_broken() && c.may_run_scripts())
    }

    fn server_version(&self, _keys: &SessionKeys) -> Option<ServerVersion> {
        self.conn.as_ref()?.version()
    }

    fn node_of(&self, _keys: &SessionKeys) -> String {
        self.label()
    }

    fn set_reply_limit(&mut self, max_bulk: usize) {
        self.reply_limit = max_bulk;
    }

    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }
}

impl Drop for Sentinel {
    fn drop(&mut self) {
        if let (Some(addr), Some(conn)) = (&self.master, self.conn.take()) {
            pool::checkin(addr, &self.path.options, conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_of_a_non_master_are_retried_elsewhere() {
        for (kind, detail, want) in [
            (
                ErrorKind::Server,
                "READONLY You can't write against a read only replica.",
                true,
            ),
            (
                ErrorKind::Server,
                "LOADING Redis is loading the dataset in memory",
                true,
            ),
            (
                ErrorKind::Server,
                "MASTERDOWN Link with MASTER is down",
                true,
            ),
            (ErrorKind::Server, "OOM command not allowed", false),
            (ErrorKind::Io, "READONLY", false),
        ] {
            let e = Error::new(kind, "write", detail);
            assert_eq!(not_master_reply(&e), want, "{detail}");
        }
    }
}
