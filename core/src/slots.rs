//! Redis Cluster key slots (CRC16/XMODEM over the hash tag) and the slot → node map.

use std::collections::HashMap;

pub const SLOT_COUNT: u16 = 16384;

/// The part of `key` Redis hashes: the content of the first `{...}` when non-empty.
pub fn hash_tag(key: &[u8]) -> Option<&[u8]> {
    let open = key.iter().position(|&c| c == b'{')?;
    let close = key[open + 1..].iter().position(|&c| c == b'}')?;
    if close == 0 {
        None
    } else {
        Some(&key[open + 1..open + 1 + close])
    }
}

/// The cluster slot of `key`, as CLUSTER KEYSLOT computes it.
pub fn key_slot(key: &[u8]) -> u16 {
    let hashed = hash_tag(key).unwrap_or(key);
    crc16::State::<crc16::XMODEM>::calculate(hashed) % SLOT_COUNT
}

/// One master as CLUSTER SLOTS names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeAddr {
    pub host: String,
    pub port: u16,
}

impl std::fmt::Display for NodeAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Which master serves each slot. Built from CLUSTER SLOTS, patched by MOVED replies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotMap {
    /// Index into `nodes` per slot; None where no master was announced.
    owners: Vec<Option<u16>>,
    nodes: Vec<NodeAddr>,
    index: HashMap<NodeAddr, u16>,
}

impl SlotMap {
    pub fn new() -> Self {
        SlotMap {
            owners: vec![None; SLOT_COUNT as usize],
            nodes: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Records that `start..=end` belong to `node`. A node left without slots is forgotten,
    /// so a map patched by MOVED after MOVED never holds more nodes than own slots.
    pub fn assign(&mut self, start: u16, end: u16, node: NodeAddr) {
        let idx = match self.index.get(&node) {
            Some(&i) => i,
            None => {
                let i = self.nodes.len() as u16;
                self.index.insert(node.clone(), i);
                self.nodes.push(node);
                i
            }
        };
        let end = end.min(SLOT_COUNT - 1);
        let mut replaced = false;
        for s in start..=end {
            replaced |= self.owners[s as usize].is_some_and(|o| o != idx);
            self.owners[s as usize] = Some(idx);
        }
        if replaced {
            self.forget_unused();
        }
    }

    /// Drops the nodes that own no slot (renumbering the rest).
    fn forget_unused(&mut self) {
        let mut used = vec![false; self.nodes.len()];
        for o in self.owners.iter().flatten() {
            used[*o as usize] = true;
        }
        if used.iter().all(|&u| u) {
            return;
        }
        let mut renumber = vec![None; self.nodes.len()];
        let old = std::mem::take(&mut self.nodes);
        self.index.clear();
        for (i, node) in old.into_iter().enumerate() {
            if used[i] {
                let n = self.nodes.len() as u16;
                renumber[i] = Some(n);
                self.index.insert(node.clone(), n);
                self.nodes.push(node);
            }
        }
        for o in self.owners.iter_mut() {
            *o = o.and_then(|i| renumber[i as usize]);
        }
    }

    pub fn owner(&self, slot: u16) -> Option<&NodeAddr> {
        let idx = (*self.owners.get(slot as usize)?)?;
        self.nodes.get(idx as usize)
    }

    /// True when every slot has an owner.
    pub fn is_complete(&self) -> bool {
        self.owners.len() == SLOT_COUNT as usize && self.owners.iter().all(Option::is_some)
    }

    pub fn masters(&self) -> &[NodeAddr] {
        &self.nodes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_match_redis_reference_values() {
        // Values from CLUSTER KEYSLOT on a real server.
        assert_eq!(key_slot(b"foo"), 12182);
        assert_eq!(key_slot(b"bar"), 5061);
        assert_eq!(key_slot(b"123456789"), 12739);
        assert_eq!(key_slot(b""), 0);
        assert_eq!(key_slot(b"{user1000}.following"), key_slot(b"user1000"));
        assert_eq!(key_slot(b"foo{}{bar}"), key_slot(b"foo{}{bar}"));
        assert_eq!(key_slot(b"foo{{bar}}zap"), key_slot(b"{bar"));
        assert_eq!(key_slot(b"foo{bar}{zap}"), key_slot(b"bar"));
    }

    #[test]
    fn hash_tag_rules() {
        assert_eq!(hash_tag(b"a{b}c"), Some(&b"b"[..]));
        assert_eq!(hash_tag(b"a{}c{d}"), None);
        assert_eq!(hash_tag(b"abc"), None);
        assert_eq!(hash_tag(b"a{bc"), None);
        assert_eq!(hash_tag(b"}a{b}"), Some(&b"b"[..]));
    }

    #[test]
    fn slot_map_assigns_and_looks_up() {
        let a = NodeAddr {
            host: "127.0.0.1".into(),
            port: 7000,
        };
        let b = NodeAddr {
            host: "127.0.0.1".into(),
            port: 7001,
        };
        let mut m = SlotMap::new();
        m.assign(0, 8191, a.clone());
        assert!(!m.is_complete());
        m.assign(8192, 16383, b.clone());
        assert!(m.is_complete());
        assert_eq!(m.owner(0), Some(&a));
        assert_eq!(m.owner(16383), Some(&b));
        m.assign(100, 100, b.clone());
        assert_eq!(m.owner(100), Some(&b));
        assert_eq!(m.masters().len(), 2);
    }

    #[test]
    fn nodes_without_slots_are_forgotten() {
        let node = |port| NodeAddr {
            host: "127.0.0.1".into(),
            port,
        };
        let mut m = SlotMap::new();
        m.assign(0, 8191, node(7000));
        m.assign(8192, 16383, node(7001));
        // Every slot of 7000 moves to 7002, one MOVED at a time.
        for s in 0..8192 {
            m.assign(s, s, node(7002));
        }
        assert_eq!(m.masters(), &[node(7001), node(7002)]);
        assert_eq!(m.owner(0), Some(&node(7002)));
        assert_eq!(m.owner(16383), Some(&node(7001)));
        // A node per MOVED, ten thousand times over: the map never holds more than the owners.
        for i in 0..10_000u16 {
            m.assign(5, 5, node(10_000 + i));
            assert!(m.masters().len() <= 3, "{}", m.masters().len());
        }
        assert_eq!(m.owner(5), Some(&node(19_999)));
        assert_eq!(m.owner(6), Some(&node(7002)));
        assert!(m.is_complete());
    }
}
