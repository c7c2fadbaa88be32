//! The per-process connection pool: a php-fpm worker reuses its connections across requests.
//! A connection is checked out for a request and handed back only if it is healthy.
//!
//! Bounded: at most [`MAX_IDLE_PER_KEY`] idle connections per endpoint and identity, at most
//! [`MAX_KEYS`] endpoints (the least recently used one goes first), none idle for longer than
//! [`MAX_IDLE_AGE`], and a cluster's slot map refresh drops the idle connections of nodes
//! that left it ([`retain_nodes`]).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use super::node::NodeConn;
use crate::error::Result;
use crate::save_path::{Address, ConnOptions};

/// Idle connections kept per endpoint and identity.
pub const MAX_IDLE_PER_KEY: usize = 4;
/// Endpoints (with identity) that keep idle connections.
pub const MAX_KEYS: usize = 64;
/// An idle connection older than this is closed rather than reused (a server or a
/// firewall has likely dropped it; a node may have left the cluster).
pub const MAX_IDLE_AGE: Duration = Duration::from_secs(600);

/// What the pool needs to know of a connection.
pub trait Poolable {
    fn is_broken(&self) -> bool;
    fn mark_reused(&mut self);
    /// host:port (or unix:path) of the endpoint.
    fn endpoint(&self) -> &str;
}

impl Poolable for NodeConn {
    fn is_broken(&self) -> bool {
        NodeConn::is_broken(self)
    }

    fn mark_reused(&mut self) {
        NodeConn::mark_reused(self)
    }

    fn endpoint(&self) -> &str {
        &self.label
    }
}

struct Idle<C> {
    pid: u32,
    since: Instant,
    conn: C,
}

struct Entry<C> {
    /// host:port (or unix:path) of the endpoint, for `retain_nodes`.
    endpoint: String,
    last_used: Instant,
    idle: Vec<Idle<C>>,
}

/// Hashes a pool key, which is a SipHash already (see [`pool_key`]), as itself.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; anything else is folded in all the same.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The pool's logic, free of globals (tested with stand-in connections).
pub struct Pool<C> {
    entries: HashMap<u64, Entry<C>, BuildHasherDefault<KeyHasher>>,
}

impl<C: Poolable> Default for Pool<C> {
    fn default() -> Self {
        Pool {
            entries: HashMap::default(),
        }
    }
}

impl<C: Poolable> Pool<C> {
    /// A reusable idle connection for `key` (made by this process, healthy, not too old).
    pub fn take(&mut self, key: u64, pid: u32, now: Instant) -> Option<C> {
        let entry = self.entries.get_mut(&key)?;
        entry.last_used = now;
        while let Some(p) = entry.idle.pop() {
            // A forked child must not share its parent's sockets.
            if p.pid == pid && !p.conn.is_broken() && now.duration_since(p.since) <= MAX_IDLE_AGE {
                let mut conn = p.conn;
                conn.mark_reused();
                return Some(conn);
            }
        }
        None
    }

    /// Keeps `conn` for reuse, within the bounds; a broken one is dropped (closed).
    pub fn put(&mut self, key: u64, conn: C, pid: u32, now: Instant) {
        if conn.is_broken() {
            return;
        }
        if !self.entries.contains_key(&key) && self.entries.len() >= MAX_KEYS {
            self.evict(now);
        }
        let entry = self.entries.entry(key).or_insert_with(|| Entry {
            endpoint: conn.endpoint().to_string(),
            last_used: now,
            idle: Vec::new(),
        });
        entry.last_used = now;
        if entry.idle.len() < MAX_IDLE_PER_KEY {
            entry.idle.push(Idle {
                pid,
                since: now,
                conn,
            });
        }
    }

    /// Drops what is too old, then the least recently used endpoint if still full.
    fn evict(&mut self, now: Instant) {
        for e in self.entries.values_mut() {
            e.idle
                .retain(|p| now.duration_since(p.since) <= MAX_IDLE_AGE);
        }
        self.entries.retain(|_, e| !e.idle.is_empty());
        if self.entries.len() >= MAX_KEYS {
            if let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| *k)
            {
                self.entries.remove(&oldest);
            }
        }
    }

    pub fn remove(&mut self, key: u64) {
        self.entries.remove(&key);
    }

    /// Drops the idle connections of the endpoints among `candidates` that `keep` rejects.
    pub fn retain_endpoints(&mut self, candidates: &[u64], keep: impl Fn(&str) -> bool) {
        for k in candidates {
            if self.entries.get(k).is_some_and(|e| !keep(&e.endpoint)) {
                self.entries.remove(k);
            }
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn idle_count(&self) -> usize {
        self.entries.values().map(|e| e.idle.len()).sum()
    }
}

static POOL: Lazy<Mutex<Pool<NodeConn>>> = Lazy::new(|| Mutex::new(Pool::default()));

/// Identifies "the same connection": endpoint, credentials, database, TLS, persistent_id.
/// Hashed, so the password never sits in a printable key.
pub fn pool_key(addr: &Address, opts: &ConnOptions) -> u64 {
    let mut h = DefaultHasher::new();
    addr.hash(&mut h);
    if let Some(a) = &opts.auth {
        a.user.hash(&mut h);
        a.pass.expose().hash(&mut h);
    }
    opts.database.hash(&mut h);
    opts.tls.is_some().hash(&mut h);
    if let Some(t) = &opts.tls {
        format!("{t:?}").hash(&mut h);
    }
    opts.persistent_id.hash(&mut h);
    h.finish()
}

/// A pooled connection for `addr`, or a new one.
pub fn checkout(addr: &Address, opts: &ConnOptions) -> Result<NodeConn> {
    checkout_keyed(pool_key(addr, opts), addr, opts)
}

/// [`checkout`] with the pool key of `addr` and `opts` known already (see [`pool_key`]).
pub fn checkout_keyed(key: u64, addr: &Address, opts: &ConnOptions) -> Result<NodeConn> {
    let reused = POOL.lock().take(key, std::process::id(), Instant::now());
    let mut conn = match reused {
        // The key leaves read_timeout out: a reused connection takes this request's.
        Some(mut c) => {
            c.set_read_timeout(opts.read_timeout);
            c
        }
        None => NodeConn::open(addr, opts)?,
    };
    conn.pool_key = Some(key);
    Ok(conn)
}

/// An idle connection for `addr` kept by this process, if any (never a new one).
pub fn take_idle(addr: &Address, opts: &ConnOptions) -> Option<NodeConn> {
    take_idle_keyed(pool_key(addr, opts), opts.read_timeout)
}

/// [`take_idle`] by pool key. The key leaves read_timeout out: the connection takes this
/// request's `read_timeout`.
pub fn take_idle_keyed(key: u64, read_timeout: Duration) -> Option<NodeConn> {
    let mut conn = POOL.lock().take(key, std::process::id(), Instant::now())?;
    conn.pool_key = Some(key);
    conn.set_read_timeout(read_timeout);
    Some(conn)
}

/// Returns a connection for reuse; a broken one is dropped (closed) instead. The key the
/// connection was checked out with is reused (it is the same endpoint and options).
pub fn checkin(addr: &Address, opts: &ConnOptions, conn: NodeConn) {
    if conn.is_broken() {
        return;
    }
    let key = conn.pool_key.unwrap_or_else(|| pool_key(addr, opts));
    POOL.lock()
        .put(key, conn, std::process::id(), Instant::now());
}

/// Drops the idle connections of one endpoint (they all went stale when one did: the
/// server restarted or closed them).
pub fn discard(addr: &Address, opts: &ConnOptions) {
    discard_keyed(pool_key(addr, opts));
}

/// [`discard`] by pool key.
pub fn discard_keyed(key: u64) {
    POOL.lock().remove(key);
}

/// After a cluster's slot map changed: drops the idle connections to the nodes in `old`
/// (with these options) that `new` no longer has.
pub fn retain_nodes(old: &[Address], new: &[Address], opts: &ConnOptions) {
    let gone: Vec<u64> = old
        .iter()
        .filter(|a| !new.contains(a))
        .map(|a| pool_key(a, opts))
        .collect();
    if !gone.is_empty() {
        POOL.lock().retain_endpoints(&gone, |_| false);
    }
}

/// Drops every idle connection (module shutdown).
pub fn clear() {
    POOL.lock().clear();
}

/// Number of idle connections (for `php --ri` and tests).
pub fn idle_count() -> usize {
    POOL.lock().idle_count()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake {
        id: usize,
        broken: bool,
        endpoint: &'static str,
    }

    impl Poolable for Fake {
        fn is_broken(&self) -> bool {
            self.broken
        }
        fn mark_reused(&mut self) {}
        fn endpoint(&self) -> &str {
            self.endpoint
        }
    }

    fn at(id: usize, endpoint: &'static str) -> Fake {
        Fake {
            id,
            broken: false,
            endpoint,
        }
    }

    #[test]
    fn reuses_healthy_connections_of_this_process_only() {
        let mut p = Pool::default();
        let t = Instant::now();
        p.put(1, at(1, "a:1"), 10, t);
        assert!(p.take(1, 11, t).is_none(), "another pid (a forked child)");
        p.put(1, at(2, "a:1"), 10, t);
        assert_eq!(p.take(1, 10, t).map(|c| c.id), Some(2));
        p.put(
            1,
            Fake {
                id: 3,
                broken: true,
                endpoint: "a:1",
            },
            10,
            t,
        );
        assert_eq!(p.idle_count(), 0, "a broken connection is not kept");
    }

    #[test]
    fn idle_connections_are_bounded_per_key_and_in_keys() {
        let mut p = Pool::default();
        let t = Instant::now();
        for i in 0..10 {
            p.put(7, at(i, "a:1"), 1, t);
        }
        assert_eq!(p.idle_count(), MAX_IDLE_PER_KEY);
        for k in 0..(MAX_KEYS as u64 * 3) {
            p.put(100 + k, at(0, "b:1"), 1, t + Duration::from_millis(k));
        }
        assert!(p.entries.len() <= MAX_KEYS, "{}", p.entries.len());
        assert!(p.idle_count() <= MAX_KEYS * MAX_IDLE_PER_KEY);
        // The most recently used endpoints stayed.
        let last = 100 + MAX_KEYS as u64 * 3 - 1;
        assert!(p.take(last, 1, t + Duration::from_secs(1)).is_some());
    }

    #[test]
    fn old_idle_connections_are_not_reused() {
        let mut p = Pool::default();
        let t = Instant::now();
        p.put(1, at(1, "a:1"), 1, t);
        assert!(p
            .take(1, 1, t + MAX_IDLE_AGE + Duration::from_secs(1))
            .is_none());
    }

    #[test]
    fn nodes_that_left_are_dropped() {
        let mut p = Pool::default();
        let t = Instant::now();
        p.put(1, at(1, "10.0.0.1:7000"), 1, t);
        p.put(2, at(2, "10.0.0.2:7000"), 1, t);
        p.retain_endpoints(&[1, 2], |e| e != "10.0.0.1:7000");
        assert!(p.take(1, 1, t).is_none());
        assert!(p.take(2, 1, t).is_some());
    }
}
