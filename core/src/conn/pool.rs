//! The per-process connection pool: a php-fpm worker reuses its connections across requests.
//! A connection is checked out for a request and handed back only if it is healthy.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use super::node::NodeConn;
use crate::error::Result;
use crate::save_path::{Address, ConnOptions};

/// Idle connections kept per endpoint and identity.
const MAX_IDLE_PER_KEY: usize = 4;

struct Pooled {
    pid: u32,
    conn: NodeConn,
}

static POOL: Lazy<Mutex<HashMap<u64, Vec<Pooled>>>> = Lazy::new(|| Mutex::new(HashMap::new()));

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
    let key = pool_key(addr, opts);
    let pid = std::process::id();
    {
        let mut pool = POOL.lock();
        if let Some(list) = pool.get_mut(&key) {
            while let Some(p) = list.pop() {
                // A forked child must not share its parent's sockets.
                if p.pid == pid && !p.conn.is_broken() {
                    let mut conn = p.conn;
                    conn.mark_reused();
                    return Ok(conn);
                }
            }
        }
    }
    NodeConn::open(addr, opts)
}

/// Returns a connection for reuse; a broken one is dropped (closed) instead.
pub fn checkin(addr: &Address, opts: &ConnOptions, conn: NodeConn) {
    if conn.is_broken() {
        return;
    }
    let key = pool_key(addr, opts);
    let mut pool = POOL.lock();
    let list = pool.entry(key).or_default();
    if list.len() < MAX_IDLE_PER_KEY {
        list.push(Pooled {
            pid: std::process::id(),
            conn,
        });
    }
}

/// Drops the idle connections of one endpoint (they all went stale when one did: the
/// server restarted or closed them).
pub fn discard(addr: &Address, opts: &ConnOptions) {
    POOL.lock().remove(&pool_key(addr, opts));
}

/// Drops every idle connection (module shutdown).
pub fn clear() {
    POOL.lock().clear();
}

/// Number of idle connections (for `php --ri` and tests).
pub fn idle_count() -> usize {
    POOL.lock().values().map(Vec::len).sum()
}
