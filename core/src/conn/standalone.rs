//! The `redis` handler's router: one of the save_path servers, picked by session id exactly as
//! phpredis picks it (so sessions stay on the same server after a switch).

use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::{RedisError, Value};

use super::command::Cmd;
use super::node::{map_error, NodeConn};
use super::version::ServerVersion;
use super::{pool, Router, SessionKeys};
use crate::error::Result;
use crate::keys;
use crate::save_path::{ServerSpec, StandalonePath};

/// Index of the server for `id`, exactly as phpredis picks it: the id's first 4 bytes as a
/// native-endian unsigned int, modulo the total weight, then a walk over the weighted list —
/// from the LAST save_path entry to the first, because phpredis prepends each server to its
/// pool as it parses them.
pub fn pick_server(servers: &[ServerSpec], id: &[u8]) -> usize {
    let total: u64 = servers.iter().map(|s| s.weight.max(1) as u64).sum();
    if servers.len() <= 1 || total == 0 {
        return 0;
    }
    let mut first = [0u8; 4];
    for (i, b) in id.iter().take(4).enumerate() {
        first[i] = *b;
    }
    let pos = u32::from_ne_bytes(first) as u64 % total;
    let mut start = 0u64;
    for (i, s) in servers.iter().enumerate().rev() {
        let w = s.weight.max(1) as u64;
        if pos >= start && pos < start + w {
            return i;
        }
        start += w;
    }
    0
}

/// The `redis` handler's save_path as its requests use it: the servers, and each one's pool
/// key (hashed once, not at every request's first command).
#[derive(Debug, Clone)]
pub struct Servers {
    path: StandalonePath,
    pool_keys: Vec<u64>,
}

impl Servers {
    pub fn new(path: StandalonePath) -> Servers {
        let pool_keys = path
            .servers
            .iter()
            .map(|s| pool::pool_key(&s.address, &s.options))
            .collect();
        Servers { path, pool_keys }
    }

    pub fn path(&self) -> &StandalonePath {
        &self.path
    }
}

/// Routes every command of a request to the session's server, holding its connection.
pub struct Standalone {
    servers: Arc<Servers>,
    conns: Vec<Option<NodeConn>>,
    /// Longest bulk string a reply may carry (see `Router::set_reply_limit`).
    reply_limit: usize,
}

impl Standalone {
    pub fn new(servers: Arc<Servers>) -> Standalone {
        let n = servers.path.servers.len();
        Standalone {
            servers,
            conns: (0..n).map(|_| None).collect(),
            reply_limit: usize::MAX,
        }
    }

    fn conn(&mut self, server: usize) -> Result<&mut NodeConn> {
        let spec = &self.servers.path.servers[server];
        if self.conns[server].as_ref().is_none_or(NodeConn::is_broken) {
            let key = self.servers.pool_keys[server];
            self.conns[server] = Some(pool::checkout_keyed(key, &spec.address, &spec.options)?);
        }
        let limit = self.reply_limit;
        if let Some(c) = self.conns[server].as_mut() {
            c.set_reply_limit(limit);
        }
        Ok(self.conns[server].as_mut().expect("connection just set"))
    }
}

impl Standalone {
    /// Runs `send` on the connection to `server` (read timeout stretched by `block`); when a
    /// pooled connection turns out to have been closed by the server, `query` once more on a
    /// new one. Errors name the server.
    fn on_server<T>(
        &mut self,
        server: usize,
        block: Duration,
        op: &'static str,
        send: impl FnOnce(&mut NodeConn, Instant) -> std::result::Result<T, Option<RedisError>>,
        query: impl FnOnce(&mut NodeConn, Instant) -> std::result::Result<T, RedisError>,
    ) -> Result<T> {
        let conn = self.conn(server)?;
        let deadline = conn.deadline(block);
        let e = match send(conn, deadline) {
            Ok(v) => return Ok(v),
            Err(Some(e)) => e,
            Err(None) => {
                pool::discard_keyed(self.servers.pool_keys[server]);
                self.conns[server] = None;
                let conn = self.conn(server)?;
                let deadline = conn.deadline(block);
                match query(conn, deadline) {
                    Ok(v) => return Ok(v),
                    Err(e) => e,
                }
            }
        };
        let label = self.servers.path.servers[server].address.to_string();
        Err(map_error(e, op, &label))
    }
}

impl Router for Standalone {
    fn keys_for(&self, id: &str) -> Result<SessionKeys> {
        let server = pick_server(&self.servers.path.servers, id.as_bytes());
        Ok(SessionKeys::of_session(
            server,
            &self.servers.path.servers[server].prefix,
            id,
            keys::STANDALONE_LOCK_AFFIXES,
        ))
    }

    fn exec(
        &mut self,
        keys: &SessionKeys,
        cmds: &[Cmd],
        block: Duration,
        op: &'static str,
    ) -> Result<Value> {
        self.on_server(
            keys.server,
            block,
            op,
            |c, d| c.send(cmds, d),
            |c, d| c.query_until(cmds, d),
        )
    }

    fn shares_node(&self, a: &SessionKeys, b: &SessionKeys) -> bool {
        a.server == b.server
    }

    fn exec_each(
        &mut self,
        keys: &SessionKeys,
        cmds: &[Cmd],
        op: &'static str,
    ) -> Result<Vec<Value>> {
        self.on_server(
            keys.server,
            Duration::ZERO,
            op,
            |c, d| c.send_each(cmds, d),
            |c, d| c.query_each(cmds, d),
        )
    }

    fn server_version(&self, keys: &SessionKeys) -> Option<ServerVersion> {
        self.conns[keys.server].as_ref()?.version()
    }

    fn may_run_scripts(&mut self, keys: &SessionKeys) -> bool {
        let slot = &mut self.conns[keys.server];
        if slot.is_none() {
            // The request's first command: take the pooled connection it would use anyway.
            let spec = &self.servers.path.servers[keys.server];
            *slot = pool::take_idle_keyed(
                self.servers.pool_keys[keys.server],
                spec.options.read_timeout,
            );
        }
        slot.as_ref()
            .is_some_and(|c| !c.is_broken() && c.may_run_scripts())
    }

    fn node_of(&self, keys: &SessionKeys) -> String {
        self.servers.path.servers[keys.server].address.to_string()
    }

    fn set_reply_limit(&mut self, max_bulk: usize) {
        self.reply_limit = max_bulk;
    }
}

impl Drop for Standalone {
    fn drop(&mut self) {
        for (i, c) in self.conns.iter_mut().enumerate() {
            if let Some(conn) = c.take() {
                let spec = &self.servers.path.servers[i];
                pool::checkin(&spec.address, &spec.options, conn);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::save_path::{Address, ConnOptions};

    fn server(port: u16, weight: u32) -> ServerSpec {
        ServerSpec {
            address: Address::Tcp {
                host: "127.0.0.1".into(),
                port,
            },
            weight,
            prefix: keys::DEFAULT_PREFIX.into(),
            options: ConnOptions::default(),
        }
    }

    #[test]
    fn picks_like_phpredis() {
        // phpredis walks the list last entry first.
        let servers = vec![server(1, 1), server(2, 1)];
        // "abcd" little-endian = 0x64636261 = 1684234849, odd -> position 1 -> first entry.
        assert_eq!(pick_server(&servers, b"abcdef"), 0);
        // "bbcd" = 0x64636262, even -> position 0 -> last entry.
        assert_eq!(pick_server(&servers, b"bbcdef"), 1);
        let weighted = vec![server(1, 1), server(2, 3)];
        // 1684234849 % 4 = 1 -> positions 0..3 belong to the last entry (weight 3).
        assert_eq!(pick_server(&weighted, b"abcdef"), 1);
        // 1684234852 ("dbcd") % 4 = 0 -> last entry; position 3 -> first entry.
        assert_eq!(pick_server(&weighted, b"dbcd"), 1);
        // "gbcd" = 0x64636267 % 4 = 3 -> first entry.
        assert_eq!(pick_server(&weighted, b"gbcd"), 0);
        // A(1), B(2), C(1): positions 0:C 1:B 2:B 3:A (measured with phpredis 5.3.7).
        let three = vec![server(1, 1), server(2, 2), server(3, 1)];
        assert_eq!(pick_server(&three, b"dbcd"), 2);
        assert_eq!(pick_server(&three, b"ebcd"), 1);
        assert_eq!(pick_server(&three, b"fbcd"), 1);
        assert_eq!(pick_server(&three, b"gbcd"), 0);
        assert_eq!(pick_server(&servers[..1], b"zzzz"), 0);
    }

    #[test]
    fn spreads_ids_by_weight() {
        let weighted = vec![server(1, 1), server(2, 3)];
        let mut counts = [0usize; 2];
        for i in 0..4000u32 {
            let id = format!("{:08x}", i.wrapping_mul(2654435761));
            counts[pick_server(&weighted, id.as_bytes())] += 1;
        }
        assert!(counts[1] > counts[0] * 2, "{counts:?}");
    }
}
