//! The `rediscluster` handler's router: our own slot map (CRC16), MOVED and ASK followed,
//! every retry bounded by the configured timeouts.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use redis::{ErrorKind as RedisKind, ServerErrorKind, Value};

use super::command::{cmd, Cmd, ASKING};
use super::node::{map_error, NodeConn};
use super::version::ServerVersion;
use super::{as_int, pool, Router, SessionKeys};
use crate::error::{Error, ErrorKind, Result};
use crate::keys;
use crate::save_path::{Address, ClusterPath, ConnOptions};
use crate::slots::{NodeAddr, SlotMap};

/// Redirects followed for one command before we call the cluster unstable.
const MAX_REDIRECTS: usize = 5;
/// Pause between TRYAGAIN attempts (a multi-key script during a slot migration).
const TRYAGAIN_PAUSE: Duration = Duration::from_millis(10);

/// Seed lists whose slot maps are kept (ini_set() with ever new save_paths starts afresh).
const MAX_MAPS: usize = 32;

/// Slot maps shared by every request of this process, per seed list.
static SLOT_MAPS: Lazy<Mutex<HashMap<String, Arc<SlotMap>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));

/// The `rediscluster` handler's save_path as its requests use it: the parsed path, and the
/// name its slot map is kept under (made once, not at every request).
#[derive(Debug, Clone)]
pub struct Seeds {
    path: ClusterPath,
    map_key: String,
}

impl Seeds {
    pub fn new(path: ClusterPath) -> Seeds {
        let map_key = path
            .seeds
            .iter()
            .map(|(h, p)| format!("{h}:{p}"))
            .collect::<Vec<_>>()
            .join(",");
        Seeds { path, map_key }
    }

    pub fn path(&self) -> &ClusterPath {
        &self.path
    }
}

/// A request's connections, one per master it talks to (one or two: a look along a short
/// list costs less than hashing the address).
#[derive(Default)]
struct Conns(Vec<(NodeAddr, NodeConn)>);

impl Conns {
    fn get(&self, node: &NodeAddr) -> Option<&NodeConn> {
        self.0.iter().find(|(n, _)| n == node).map(|(_, c)| c)
    }

    fn get_mut(&mut self, node: &NodeAddr) -> Option<&mut NodeConn> {
        self.0.iter_mut().find(|(n, _)| n == node).map(|(_, c)| c)
    }

    fn contains_key(&self, node: &NodeAddr) -> bool {
        self.get(node).is_some()
    }

    fn insert(&mut self, node: NodeAddr, conn: NodeConn) {
        match self.get_mut(&node) {
            Some(c) => *c = conn,
            None => self.0.push((node, conn)),
        }
    }

    fn remove(&mut self, node: &NodeAddr) -> Option<NodeConn> {
        let i = self.0.iter().position(|(n, _)| n == node)?;
        Some(self.0.swap_remove(i).1)
    }
}

/// Routes a request's commands by key slot, holding one connection per master it talks to.
pub struct Cluster {
    seeds: Arc<Seeds>,
    map: Option<Arc<SlotMap>>,
    conns: Conns,
    /// Longest bulk string a reply may carry (see `Router::set_reply_limit`).
    reply_limit: usize,
}

fn addr_of(node: &NodeAddr) -> Address {
    Address::Tcp {
        host: node.host.clone(),
        port: node.port,
    }
}

/// Parses a CLUSTER SLOTS reply. Empty host means "the node you asked".
pub fn parse_cluster_slots(reply: &Value, asked: &NodeAddr) -> Option<SlotMap> {
    let Value::Array(ranges) = reply else {
        return None;
    };
    let mut map = SlotMap::new();
    for range in ranges {
        let Value::Array(parts) = range else {
            return None;
        };
        let start = as_int(parts.first()?)?;
        let end = as_int(parts.get(1)?)?;
        let Value::Array(master) = parts.get(2)? else {
            return None;
        };
        let host = match master.first()? {
            Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
            Value::SimpleString(s) => s.clone(),
            _ => return None,
        };
        let host = if host.is_empty() || host == "?" {
            asked.host.clone()
        } else {
            host
        };
        let port = u16::try_from(as_int(master.get(1)?)?).ok()?;
        if !(0..16384).contains(&start) || !(start..16384).contains(&end) {
            return None;
        }
        map.assign(start as u16, end as u16, NodeAddr { host, port });
    }
    Some(map)
}

/// Parses "host:port" (IPv6 hosts come without brackets in MOVED replies).
fn parse_node(s: &str, fallback_host: &str) -> Option<NodeAddr> {
    let (host, port) = s.rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host = if host.is_empty() { fallback_host } else { host };
    Some(NodeAddr {
        host: host.to_string(),
        port: port.parse().ok()?,
    })
}

enum Outcome {
    Done(Value),
    Moved(u16, NodeAddr),
    Ask(NodeAddr),
    TryAgain,
}

impl Cluster {
    pub fn new(seeds: Arc<Seeds>) -> Result<Cluster> {
        keys::check_cluster_prefix(&seeds.path.prefix)
            .map_err(|e| Error::new(ErrorKind::Config, "open", e.0))?;
        let map = SLOT_MAPS.lock().get(&seeds.map_key).cloned();
        Ok(Cluster {
            seeds,
            map,
            conns: Conns::default(),
            reply_limit: usize::MAX,
        })
    }

    fn options(&self) -> &ConnOptions {
        &self.seeds.path.options
    }

    fn conn(&mut self, node: &NodeAddr) -> Result<&mut NodeConn> {
        if self.conns.get(node).is_some_and(NodeConn::is_broken) {
            self.conns.remove(node);
        }
        if !self.conns.contains_key(node) {
            let c = pool::checkout(&addr_of(node), &self.seeds.path.options)?;
            self.conns.insert(node.clone(), c);
        }
        let conn = self.conns.get_mut(node).expect("connection just set");
        conn.set_reply_limit(self.reply_limit);
        Ok(conn)
    }

    /// Fetches CLUSTER SLOTS from a known master or a seed, first answer wins.
    fn refresh_map(&mut self) -> Result<Arc<SlotMap>> {
        let mut candidates: Vec<NodeAddr> = self
            .map
            .as_ref()
            .map(|m| m.masters().to_vec())
            .unwrap_or_default();
        for (host, port) in &self.seeds.path.seeds {
            let n = NodeAddr {
                host: host.clone(),
                port: *port,
            };
            if !candidates.contains(&n) {
                candidates.push(n);
            }
        }
        // All seeds together get one connect timeout plus one read timeout, not one each.
        let deadline = Instant::now()
            + self.seeds.path.options.connect_timeout
            + self.seeds.path.options.read_timeout;
        let mut last_err = None;
        for node in candidates {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            if !self.conns.contains_key(&node) {
                let mut opts = self.seeds.path.options.clone();
                opts.connect_timeout = opts.connect_timeout.min(left);
                match pool::checkout(&addr_of(&node), &opts) {
                    Ok(c) => {
                        self.conns.insert(node.clone(), c);
                    }
                    Err(e) => {
                        last_err = Some(e);
                        continue;
                    }
                }
            }
            let mut slots = cmd("CLUSTER");
            slots.arg("SLOTS");
            let reply = self.send(
                &node,
                &[slots],
                false,
                Duration::ZERO,
                &mut Some(deadline),
                "cluster slots",
            );
            match reply {
                Ok(Outcome::Done(v)) => match parse_cluster_slots(&v, &node) {
                    Some(map) if !map.masters().is_empty() => {
                        let map = Arc::new(map);
                        self.install(map.clone());
                        return Ok(map);
                    }
                    _ => {
                        last_err = Some(
                            Error::new(
                                ErrorKind::Cluster,
                                "cluster slots",
                                "no usable CLUSTER SLOTS reply (is cluster mode enabled?)",
                            )
                            .at(node.to_string()),
                        )
                    }
                },
                Ok(_) => {
                    last_err = Some(
                        Error::new(ErrorKind::Cluster, "cluster slots", "redirected")
                            .at(node.to_string()),
                    )
                }
                Err(e) => last_err = Some(e),
            }
        }
        let tried = self
            .seeds
            .path
            .seeds
            .iter()
            .map(|(h, p)| format!("{h}:{p}"))
            .collect::<Vec<_>>()
            .join(", ");
        Err(match last_err {
            Some(mut e) => {
                e.detail = format!("{}; no seed answered (seeds: {tried})", e.detail);
                e
            }
            None => Error::new(ErrorKind::Config, "cluster slots", "no seed[] to ask"),
        })
    }

    fn owner(&mut self, slot: u16) -> Result<NodeAddr> {
        let map = match &self.map {
            Some(m) => m.clone(),
            None => self.refresh_map()?,
        };
        match map.owner(slot) {
            Some(n) => Ok(n.clone()),
            None => Err(Error::new(
                ErrorKind::Cluster,
                "route",
                format!("no master serves slot {slot}"),
            )),
        }
    }

    /// Forgets the process-wide slot map so the next request asks the cluster again
    /// (after a failover the old master is gone).
    fn forget_map(&mut self) {
        self.map = None;
        SLOT_MAPS.lock().remove(&self.seeds.map_key);
    }

    fn remember_moved(&mut self, slot: u16, node: &NodeAddr) {
        let mut map = self.map.as_deref().cloned().unwrap_or_else(SlotMap::new);
        map.assign(slot, slot, node.clone());
        self.install(Arc::new(map));
    }

    /// Makes `map` this process's map for our seeds; the pool drops its idle connections to
    /// the masters the previous map had and this one has not (they left the cluster).
    fn install(&mut self, map: Arc<SlotMap>) {
        let previous = {
            let mut maps = SLOT_MAPS.lock();
            if maps.len() >= MAX_MAPS && !maps.contains_key(&self.seeds.map_key) {
                maps.clear();
            }
            maps.insert(self.seeds.map_key.clone(), map.clone())
        };
        if let Some(old) = previous.or_else(|| self.map.clone()) {
            let addrs = |m: &SlotMap| m.masters().iter().map(addr_of).collect::<Vec<_>>();
            pool::retain_nodes(&addrs(&old), &addrs(&map), &self.seeds.path.options);
        }
        self.map = Some(map);
    }

    /// Whether `node` is still worth a pooled connection: a master of the current map, or a seed.
    fn keeps(&self, node: &NodeAddr) -> bool {
        self.map.as_ref().is_none_or(|m| m.masters().contains(node))
            || self
                .seeds
                .path
                .seeds
                .iter()
                .any(|(h, p)| *h == node.host && *p == node.port)
    }

    /// Sends `cmds` to `node` (after ASKING when `asking`). The round trip must end within
    /// read_timeout (+ `block`) and, when `cap` is set, by `cap`; `cap` is then set to the
    /// deadline used, so a command's redirects share its first deadline.
    fn send(
        &mut self,
        node: &NodeAddr,
        cmds: &[Cmd],
        asking: bool,
        block: Duration,
        cap: &mut Option<Instant>,
        op: &'static str,
    ) -> Result<Outcome> {
        let with_asking;
        let cmds = if asking && starts_transaction(cmds) {
            // A transaction's commands are checked as they are queued, and ASKING holds for
            // the whole transaction: put it first.
            with_asking = [&[ASKING][..], cmds].concat();
            &with_asking[..]
        } else if asking {
            // ASKING admits only the command right after it: put it before the keyed one
            // (the last), after any SCRIPT LOADs.
            let (last, before) = cmds.split_last().expect("at least one command");
            with_asking = [before, &[ASKING, last.clone()][..]].concat();
            &with_asking[..]
        } else {
            cmds
        };
        let conn = self.conn(node)?;
        let deadline = cap.map_or(conn.deadline(block), |c| c.min(conn.deadline(block)));
        *cap = Some(deadline);
        let reply = match conn.send(cmds, deadline) {
            Ok(v) => Ok(v),
            Err(Some(e)) => Err(e),
            Err(None) => {
                // A pooled connection the node had closed: once more on a new one.
                pool::discard(&addr_of(node), &self.seeds.path.options);
                self.conns.remove(node);
                self.conn(node)?.query_until(cmds, deadline)
            }
        };
        let e = match reply {
            Ok(v) => return Ok(Outcome::Done(v)),
            Err(e) => e,
        };
        let redirect = e
            .redirect_node()
            .and_then(|(a, slot)| Some((slot, parse_node(a, &node.host)?)));
        match (e.kind(), redirect) {
            (RedisKind::Server(ServerErrorKind::Moved), Some((slot, to))) => {
                Ok(Outcome::Moved(slot, to))
            }
            (RedisKind::Server(ServerErrorKind::Ask), Some((_, to))) => Ok(Outcome::Ask(to)),
            (RedisKind::Server(ServerErrorKind::TryAgain), _) => Ok(Outcome::TryAgain),
            _ => Err(map_error(e, op, &node.to_string())),
        }
    }
}

/// Whether `cmds` is a MULTI ... EXEC transaction.
fn starts_transaction(cmds: &[Cmd]) -> bool {
    cmds.first().is_some_and(|c| c.is("MULTI"))
}

impl Router for Cluster {
    fn keys_for(&self, id: &str) -> Result<SessionKeys> {
        let affixes = keys::cluster_lock_affixes(&self.seeds.path.prefix)
            .map_err(|e| Error::new(ErrorKind::Config, "open", e.0))?;
        Ok(SessionKeys::of_session(
            0,
            &self.seeds.path.prefix,
            id,
            affixes,
        ))
    }

    fn exec(
        &mut self,
        keys: &SessionKeys,
        cmds: &[Cmd],
        block: Duration,
        op: &'static str,
    ) -> Result<Value> {
        let slot = keys.slot();
        // While a slot migrates, multi-key scripts get ASK and TRYAGAIN until the move ends
        // (usually milliseconds): keep trying for one read_timeout. MOVED means the map is
        // stale; more than a few in a row means something is wrong.
        let deadline = Instant::now() + self.options().read_timeout;
        let mut node = self.owner(slot)?;
        let mut asking = false;
        let mut moved = 0;
        // Every redirect of this command shares the first attempt's reply deadline.
        let mut cap = None;
        loop {
            match self.send(&node, cmds, asking, block, &mut cap, op) {
                Ok(Outcome::Done(v)) => return Ok(v),
                Ok(Outcome::Moved(moved_slot, to)) => {
                    self.remember_moved(moved_slot, &to);
                    if !block.is_zero() {
                        // A blocked wait ended by its slot's move (the server redirects its
                        // blocked clients): nothing was popped. The caller looks again, and its
                        // next wait goes to the new owner with a deadline of its own (sent
                        // again here, it would block anew under this one's deadline).
                        return Ok(Value::Nil);
                    }
                    node = to;
                    asking = false;
                    moved += 1;
                    if moved > MAX_REDIRECTS {
                        self.forget_map();
                        return Err(Error::new(
                            ErrorKind::Cluster,
                            op,
                            format!("more than {MAX_REDIRECTS} MOVED redirects for slot {slot}; the cluster is misconfigured"),
                        )
                        .at(node.to_string()));
                    }
                }
                Ok(Outcome::Ask(to)) => {
                    node = to;
                    asking = true;
                }
                Ok(Outcome::TryAgain) => {
                    // TRYAGAIN waits for a migration to end: each try gets its own deadline.
                    cap = None;
                    std::thread::sleep(TRYAGAIN_PAUSE);
                    asking = false;
                    node = self.owner(slot)?;
                }
                Err(err) => {
                    if matches!(
                        err.kind,
                        ErrorKind::Connect | ErrorKind::Io | ErrorKind::Timeout
                    ) || err.detail.starts_with("CLUSTERDOWN")
                    {
                        self.forget_map();
                    }
                    return Err(err);
                }
            }
            if Instant::now() >= deadline {
                return Err(Error::new(
                    ErrorKind::Cluster,
                    op,
                    format!(
                        "slot {slot} is being migrated (ASK/TRYAGAIN) for longer than read_timeout"
                    ),
                )
                .at(node.to_string()));
            }
        }
    }

    fn shares_node(&self, a: &SessionKeys, b: &SessionKeys) -> bool {
        let Some(map) = self.map.as_ref() else {
            return false;
        };
        match (map.owner(a.slot()), map.owner(b.slot())) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }

    fn exec_each(
        &mut self,
        keys: &SessionKeys,
        cmds: &[Cmd],
        op: &'static str,
    ) -> Result<Vec<Value>> {
        // No redirect is followed here: a command MOVED or ASKed gets its error as its reply,
        // and the caller sends it again through `exec`, which follows it.
        let node = self.owner(keys.slot())?;
        let conn = self.conn(&node)?;
        let deadline = conn.deadline(Duration::ZERO);
        let reply = match conn.send_each(cmds, deadline) {
            Ok(v) => return Ok(v),
            Err(Some(e)) => Err(e),
            Err(None) => {
                // A pooled connection the node had closed: once more on a new one.
                pool::discard(&addr_of(&node), &self.seeds.path.options);
                self.conns.remove(&node);
                self.conn(&node)?.query_each(cmds, deadline)
            }
        };
        match reply {
            Ok(v) => Ok(v),
            Err(e) => {
                let err = map_error(e, op, &node.to_string());
                if matches!(
                    err.kind,
                    ErrorKind::Connect | ErrorKind::Io | ErrorKind::Timeout
                ) {
                    self.forget_map();
                }
                Err(err)
            }
        }
    }

    fn server_version(&self, keys: &SessionKeys) -> Option<ServerVersion> {
        let node = self.map.as_ref()?.owner(keys.slot())?;
        self.conns.get(node)?.version()
    }

    fn may_run_scripts(&mut self, keys: &SessionKeys) -> bool {
        let Some(node) = self
            .map
            .as_ref()
            .and_then(|m| m.owner(keys.slot()))
            .cloned()
        else {
            return false;
        };
        if !self.conns.contains_key(&node) {
            // The request's first command there: take the pooled connection it would use.
            match pool::take_idle(&addr_of(&node), &self.seeds.path.options) {
                Some(c) => {
                    self.conns.insert(node.clone(), c);
                }
                None => return false,
            }
        }
        self.conns
            .get(&node)
            .is_some_and(|c| !c.is_broken() && c.may_run_scripts())
    }

    fn node_of(&self, keys: &SessionKeys) -> String {
        let slot = keys.slot();
        self.map
            .as_ref()
            .and_then(|m| m.owner(slot))
            .map(|n| n.to_string())
            .unwrap_or_else(|| format!("slot {slot}"))
    }

    fn set_reply_limit(&mut self, max_bulk: usize) {
        self.reply_limit = max_bulk;
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (node, conn) in std::mem::take(&mut self.conns).0 {
            // A node that left the cluster gets no idle connection kept for it.
            if self.keeps(&node) {
                pool::checkin(&addr_of(&node), &self.seeds.path.options, conn);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_are_recognised_for_asking() {
        let multi = [cmd("MULTI"), cmd("GET"), cmd("EXEC")];
        assert!(starts_transaction(&multi));
        assert!(!starts_transaction(&[cmd("EVALSHA")]));
        assert!(starts_transaction(&[super::super::command::MULTI]));
        assert!(!starts_transaction(&[]));
    }

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn parses_cluster_slots() {
        let asked = NodeAddr {
            host: "127.0.0.1".into(),
            port: 7000,
        };
        let reply = Value::Array(vec![
            Value::Array(vec![
                Value::Int(0),
                Value::Int(5460),
                Value::Array(vec![bulk("127.0.0.1"), Value::Int(7000), bulk("id1")]),
                Value::Array(vec![bulk("127.0.0.1"), Value::Int(7003), bulk("id4")]),
            ]),
            Value::Array(vec![
                Value::Int(5461),
                Value::Int(16383),
                Value::Array(vec![bulk(""), Value::Int(7001), bulk("id2")]),
            ]),
        ]);
        let map = parse_cluster_slots(&reply, &asked).unwrap();
        assert!(map.is_complete());
        assert_eq!(map.owner(0).unwrap().port, 7000);
        assert_eq!(map.owner(16383).unwrap().port, 7001);
        assert_eq!(map.owner(16383).unwrap().host, "127.0.0.1");
        assert!(parse_cluster_slots(&Value::Int(1), &asked).is_none());
        let bad = Value::Array(vec![Value::Array(vec![Value::Int(5), Value::Int(2)])]);
        assert!(parse_cluster_slots(&bad, &asked).is_none());
    }

    #[test]
    fn parses_redirect_targets() {
        assert_eq!(
            parse_node("127.0.0.1:7002", "x"),
            Some(NodeAddr {
                host: "127.0.0.1".into(),
                port: 7002
            })
        );
        assert_eq!(parse_node("::1:7002", "x").unwrap().host, "::1");
        assert_eq!(parse_node(":7002", "h").unwrap().host, "h");
        assert_eq!(parse_node("nope", "h"), None);
    }
}
