//! Per-process counters for operators (`redis_session_stats()`): cheap relaxed atomics,
//! bumped where the events happen, read as one snapshot.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::ErrorKind;

macro_rules! counters {
    ($($name:ident: $doc:literal,)*) => {
        $(#[doc = $doc] pub static $name: AtomicU64 = AtomicU64::new(0);)*
        /// Every counter as (name, value), in declaration order.
        pub fn snapshot() -> Vec<(&'static str, u64)> {
            vec![$((stringify!($name), $name.load(Ordering::Relaxed)),)*]
        }
    };
}

#[allow(non_upper_case_globals)]
mod names {
    use super::*;
    counters! {
        requests: "Session handler opens (one per session_start(), plus regenerate_id's reopen).",
        lock_acquisitions: "Locks taken.",
        lock_waits: "Lock acquisitions that had to wait for another request first.",
        lock_handoffs: "Of those waits, locks handed over directly by the previous holder's release.",
        lock_releases_retried: "Locks released at a later request after their close could not reach the server.",
        sentinel_discoveries: "redissentinel: times this process learnt a new master address from Sentinel (the first, then one per failover it followed).",
        sentinel_queries: "redissentinel: times this process asked a sentinel for the master (a warm request asks none while the cached master is known good).",
        lock_wait_us: "Total time spent waiting for locks, in microseconds.",
        lock_failures: "session_start() calls that gave up waiting for the lock.",
        writes_skipped_lock_lost: "Writes not done because the lock was no longer ours.",
        round_trips: "Requests sent to a server and answered (a pipeline counts once).",
        connections_opened: "TCP/unix/TLS connections opened (the rest were reused).",
        bytes_read: "Session bytes handed to PHP (after decompression).",
        bytes_written: "Session bytes PHP asked to store (before compression).",
        bytes_read_stored: "Session bytes read from the server (as stored).",
        bytes_written_stored: "Session bytes sent to the server (as stored).",
    }
}
pub use names::*;

/// Adds `n` to a counter.
pub fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

/// Adds one to a counter.
pub fn bump(counter: &AtomicU64) {
    add(counter, 1);
}

const KINDS: [(ErrorKind, &str); 13] = [
    (ErrorKind::Config, "config"),
    (ErrorKind::InvalidId, "invalid_id"),
    (ErrorKind::Connect, "connect"),
    (ErrorKind::Timeout, "timeout"),
    (ErrorKind::Io, "io"),
    (ErrorKind::Auth, "auth"),
    (ErrorKind::Server, "server"),
    (ErrorKind::Cluster, "cluster"),
    (ErrorKind::Protocol, "protocol"),
    (ErrorKind::LockTimeout, "lock_timeout"),
    (ErrorKind::LockLost, "lock_lost"),
    (ErrorKind::Corrupt, "corrupt"),
    (ErrorKind::TooLarge, "too_large"),
];

static ERRORS: [AtomicU64; KINDS.len()] = [const { AtomicU64::new(0) }; KINDS.len()];

/// Counts an error reported to PHP, by kind.
pub fn error(kind: ErrorKind) {
    if let Some(i) = KINDS.iter().position(|(k, _)| *k == kind) {
        bump(&ERRORS[i]);
    }
    match kind {
        ErrorKind::LockTimeout => bump(&lock_failures),
        ErrorKind::LockLost => bump(&writes_skipped_lock_lost),
        _ => {}
    }
}

/// Errors so far, by kind name.
pub fn errors() -> Vec<(&'static str, u64)> {
    KINDS
        .iter()
        .zip(ERRORS.iter())
        .map(|((_, name), n)| (*name, n.load(Ordering::Relaxed)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_count_by_kind_and_feed_lock_counters() {
        let before_lost = writes_skipped_lock_lost.load(Ordering::Relaxed);
        let timeout_before = errors().iter().find(|(n, _)| *n == "timeout").unwrap().1;
        error(ErrorKind::Timeout);
        error(ErrorKind::LockLost);
        let after = errors();
        assert_eq!(
            after.iter().find(|(n, _)| *n == "timeout").unwrap().1,
            timeout_before + 1
        );
        assert_eq!(
            writes_skipped_lock_lost.load(Ordering::Relaxed),
            before_lost + 1
        );
        assert!(snapshot().iter().any(|(n, _)| *n == "round_trips"));
    }
}
