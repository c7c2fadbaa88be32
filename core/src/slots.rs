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

    /// Records that `start..=end` belong to `node`.
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
        for s in start..=end {
            self.owners[s as usize] = Some(idx);
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
}
