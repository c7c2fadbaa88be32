//! The error type every fallible core operation returns, with a kind callers match on.

use std::fmt;

/// What went wrong, for callers that react differently (and for operator stats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// session.save_path or a redis.session.* setting is malformed.
    Config,
    /// A session id outside PHP's id alphabet.
    InvalidId,
    /// TCP/unix/TLS connect failed or timed out.
    Connect,
    /// A read or write on an open connection timed out.
    Timeout,
    /// The connection broke mid-request.
    Io,
    /// AUTH or ACL refused us.
    Auth,
    /// The server answered an error (OOM, READONLY, WRONGTYPE, NOPERM, ...).
    Server,
    /// The cluster redirected us more often than we allow, or is down.
    Cluster,
    /// The server's reply did not have the shape we expect.
    Protocol,
    /// The session lock could not be acquired in time.
    LockTimeout,
    /// The session lock was no longer ours at write time.
    LockLost,
    /// A reply or stored value larger than `redis.session.max_size`: refused unread or
    /// undecoded, and left untouched on the server.
    TooLarge,
    /// The stored session value could not be decoded (decompression failed); it is left as it is.
    Corrupt,
}

/// An error with the node and operation it happened on. Its Display never contains a
/// password or a lock token: callers build `detail` from server replies we sanitise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The operation, e.g. "read", "write", "connect".
    pub op: &'static str,
    /// host:port (or unix:path) of the node, when one was involved.
    pub node: Option<String>,
    pub detail: String,
}

impl Error {
    pub fn new(kind: ErrorKind, op: &'static str, detail: impl Into<String>) -> Self {
        Error {
            kind,
            op,
            node: None,
            detail: detail.into(),
        }
    }

    pub fn at(mut self, node: impl Into<String>) -> Self {
        self.node = Some(node.into());
        self
    }

    pub fn with_op(mut self, op: &'static str) -> Self {
        self.op = op;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.node {
            Some(node) => write!(f, "{} on {}: {}", self.op, node, self.detail),
            None => write!(f, "{}: {}", self.op, self.detail),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
