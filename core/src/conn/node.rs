//! One connection to one node: opened with bounded connect/read/write timeouts, marked broken on
//! any I/O failure so the pool never hands it out again.

use std::time::Duration;

use redis::{
    ClientTlsConfig, Cmd, ConnectionAddr, ConnectionInfo, ConnectionLike, ErrorKind as RedisKind,
    IntoConnectionInfo, RedisConnectionInfo, RedisError, ServerErrorKind, TlsCertificates, Value,
};

use super::version::ServerVersion;
use crate::error::{Error, ErrorKind, Result};
use crate::save_path::{Address, ConnOptions, TlsOptions};
use crate::stats;

/// An open connection and the label (host:port) messages use.
pub struct NodeConn {
    con: redis::Connection,
    pub label: String,
    io_timeout: Duration,
    broken: bool,
    /// Taken from the pool and not yet answered in this request: the server may have closed
    /// it meanwhile (restart, idle timeout), so one failure on it earns one fresh retry.
    unproven: bool,
    /// `INFO server` went out with the first command (see version.rs).
    probed: bool,
    /// The server's version, once that reply came back (None: not yet, or INFO refused).
    version: Option<ServerVersion>,
}

impl NodeConn {
    /// Connects, authenticates and selects the database, all within `opts.connect_timeout`.
    pub fn open(addr: &Address, opts: &ConnOptions) -> Result<NodeConn> {
        let label = addr.to_string();
        let mut redis_info = RedisConnectionInfo::default()
            .set_skip_set_lib_name()
            .set_db(opts.database);
        if let Some(auth) = &opts.auth {
            if let Some(user) = &auth.user {
                redis_info = redis_info.set_username(user);
            }
            redis_info = redis_info.set_password(auth.pass.expose());
        }
        let client = match (addr, &opts.tls) {
            (Address::Tcp { host, port }, Some(tls)) => tls_client(host, *port, tls, redis_info),
            (Address::Tcp { host, port }, None) => {
                client_for(ConnectionAddr::Tcp(host.clone(), *port), redis_info)
            }
            (Address::Unix { path }, _) => {
                client_for(ConnectionAddr::Unix(path.into()), redis_info)
            }
        }
        .map_err(|e| e.at(label.clone()))?;
        let con = client
            .get_connection_with_timeout(opts.connect_timeout)
            .map_err(|e| {
                let mut err = map_error(e, "connect", &label);
                if err.kind == ErrorKind::Timeout || err.kind == ErrorKind::Io {
                    err.kind = ErrorKind::Connect;
                }
                err
            })?;
        let io_timeout = nonzero(opts.read_timeout);
        con.set_read_timeout(Some(io_timeout))
            .and_then(|_| con.set_write_timeout(Some(io_timeout)))
            .map_err(|e| map_error(e, "connect", &label))?;
        stats::bump(&stats::connections_opened);
        Ok(NodeConn {
            con,
            label,
            io_timeout,
            broken: false,
            unproven: false,
            probed: false,
            version: None,
        })
    }

    /// Sends one command and reads its reply. Redirects and server errors come back as the
    /// raw RedisError so routers can act on them; I/O failures mark the connection broken.
    pub fn query(&mut self, cmd: &Cmd) -> std::result::Result<Value, RedisError> {
        if !self.probed {
            return self.query_many(std::slice::from_ref(cmd));
        }
        stats::bump(&stats::round_trips);
        let r = cmd.query::<Value>(&mut self.con);
        if let Err(e) = &r {
            if breaks_connection(e) {
                self.broken = true;
            }
        }
        r
    }

    /// Sends `cmds` in one write (one round trip) and returns the last reply; the replies
    /// before it are read and dropped (an error among them is returned).
    pub fn query_last(&mut self, cmds: &[Cmd]) -> std::result::Result<Value, RedisError> {
        if let [one] = cmds {
            if self.probed {
                return self.query(one);
            }
        }
        self.query_many(cmds)
    }

    /// The server's version, known once this connection has answered its first command.
    pub fn version(&self) -> Option<ServerVersion> {
        self.version
    }

    fn query_many(&mut self, cmds: &[Cmd]) -> std::result::Result<Value, RedisError> {
        stats::bump(&stats::round_trips);
        // The connection's first write also asks `INFO server` (once per connection, no extra
        // round trip); its reply is read first and never fails the command (an ACL user
        // without INFO, a renamed INFO: the version stays unknown).
        let probe = !std::mem::replace(&mut self.probed, true);
        // Read every reply ourselves: a server error keeps its code and text (redis-rs's
        // pipeline error would drop them), and the first error among the replies wins.
        let mut packed = Vec::new();
        if probe {
            redis::cmd("INFO")
                .arg("server")
                .write_packed_command(&mut packed);
        }
        for c in cmds {
            c.write_packed_command(&mut packed);
        }
        let mut replies = self
            .con
            .req_packed_commands(&packed, 0, cmds.len() + usize::from(probe));
        if probe {
            if let Some(r) = replies.as_mut().ok().filter(|r| !r.is_empty()) {
                self.version = match r.remove(0) {
                    Value::BulkString(b) => ServerVersion::parse(&String::from_utf8_lossy(&b)),
                    Value::VerbatimString { text, .. } => ServerVersion::parse(&text),
                    _ => None,
                };
            }
        }
        let r = replies.and_then(|replies| {
            let mut last = Value::Nil;
            for v in replies {
                last = v.extract_error()?;
            }
            Ok(last)
        });
        if let Err(e) = &r {
            if breaks_connection(e) {
                self.broken = true;
            }
        }
        r
    }

    /// Sends `cmds` like `query_last_blocking`; when this is a pooled connection's first use
    /// and the peer had dropped it, says so with `Err(None)` so the caller can retry once on a
    /// fresh connection. Every other failure is `Err(Some(e))`.
    pub fn send(
        &mut self,
        cmds: &[Cmd],
        block: Duration,
    ) -> std::result::Result<Value, Option<RedisError>> {
        let unproven = std::mem::replace(&mut self.unproven, false);
        match self.query_last_blocking(cmds, block) {
            Ok(v) => Ok(v),
            Err(e) if unproven && is_dropped(&e) => Err(None),
            Err(e) => Err(Some(e)),
        }
    }

    /// Marks a connection handed out again by the pool.
    pub fn mark_reused(&mut self) {
        self.unproven = true;
    }

    /// Like `query_last`, for commands that block on the server (BLPOP) for up to `block`:
    /// the read timeout is stretched by `block` for this call only.
    pub fn query_last_blocking(
        &mut self,
        cmds: &[Cmd],
        block: Duration,
    ) -> std::result::Result<Value, RedisError> {
        if block.is_zero() {
            return self.query_last(cmds);
        }
        if let Err(e) = self.con.set_read_timeout(Some(self.io_timeout + block)) {
            self.broken = true;
            return Err(e);
        }
        let r = self.query_last(cmds);
        if self.con.set_read_timeout(Some(self.io_timeout)).is_err() {
            self.broken = true;
        }
        r
    }

    pub fn is_broken(&self) -> bool {
        self.broken || !self.con.is_open()
    }
}

fn nonzero(t: Duration) -> Duration {
    if t.is_zero() {
        Duration::from_millis(1)
    } else {
        t
    }
}

fn client_for(addr: ConnectionAddr, redis_info: RedisConnectionInfo) -> Result<redis::Client> {
    let info: ConnectionInfo = addr
        .into_connection_info()
        .map_err(|e| config_error(&e.to_string()))?
        .set_redis_settings(redis_info);
    redis::Client::open(info).map_err(|e| config_error(&e.to_string()))
}

fn config_error(detail: &str) -> Error {
    Error::new(ErrorKind::Config, "connect", sanitize_detail(detail))
}

/// A TLS client from the `stream[...]` options: peer verification on unless
/// `stream[verify_peer]=0`; `stream[cafile]` replaces the system trust store; `local_cert` +
/// `local_pk` give a client certificate (mutual TLS).
fn tls_client(
    host: &str,
    port: u16,
    tls: &TlsOptions,
    redis_info: RedisConnectionInfo,
) -> Result<redis::Client> {
    install_crypto_provider();
    if tls.peer_name.as_deref().is_some_and(|p| p != host) {
        return Err(config_error(
            "stream[peer_name] different from the host is not supported: connect by that name",
        ));
    }
    let read = |what: &str, path: &str| {
        std::fs::read(path).map_err(|e| config_error(&format!("cannot read {what} {path}: {e}")))
    };
    let client_tls = match (&tls.local_cert, &tls.local_pk) {
        (Some(cert), Some(key)) => Some(ClientTlsConfig {
            client_cert: read("stream[local_cert]", cert)?,
            client_key: read("stream[local_pk]", key)?,
        }),
        (Some(cert), None) => Some(ClientTlsConfig {
            // PHP streams accept a local_cert file holding both certificate and key.
            client_cert: read("stream[local_cert]", cert)?,
            client_key: read("stream[local_cert]", cert)?,
        }),
        (None, Some(_)) => return Err(config_error("stream[local_pk] needs stream[local_cert]")),
        (None, None) => None,
    };
    let root_cert = tls
        .cafile
        .as_deref()
        .map(|f| read("stream[cafile]", f))
        .transpose()?;
    let addr = ConnectionAddr::TcpTls {
        host: host.to_string(),
        port,
        insecure: !tls.verify_peer,
        tls_params: None,
    };
    let info = addr
        .into_connection_info()
        .map_err(|e| config_error(&e.to_string()))?
        .set_redis_settings(redis_info);
    let built = redis::Client::build_with_tls(
        info,
        TlsCertificates {
            client_tls,
            root_cert,
        },
    )
    .map_err(|e| config_error(&e.to_string()))?;
    if tls.verify_peer_name || !tls.verify_peer {
        return Ok(built);
    }
    // Certificate checked against the trust store, host name not checked.
    let info = built.get_connection_info().clone();
    let mut addr = info.addr().clone();
    addr.set_danger_accept_invalid_hostnames(true);
    redis::Client::open(info.set_addr(addr)).map_err(|e| config_error(&e.to_string()))
}

/// rustls needs one process-wide crypto provider; we use ring.
fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The peer closed or reset the connection (not a timeout: a slow server is not retried).
fn is_dropped(e: &RedisError) -> bool {
    e.is_connection_dropped() || (e.kind() == RedisKind::Io && !e.is_timeout())
}

/// True when the connection can no longer be trusted (its stream may hold a stale reply).
fn breaks_connection(e: &RedisError) -> bool {
    !matches!(e.kind(), RedisKind::Server(_) | RedisKind::Extension)
}

/// Removes the argument echo some servers put in "unknown command" errors (it could hold a
/// lock token).
pub fn sanitize_detail(detail: &str) -> String {
    let cut = detail
        .find(", with args beginning with")
        .or_else(|| detail.find(" with args beginning with"))
        .unwrap_or(detail.len());
    let mut s: String = detail[..cut].chars().take(300).collect();
    s.truncate(s.trim_end().len());
    s
}

/// Turns a redis-rs error into ours, naming the node and operation.
pub fn map_error(e: RedisError, op: &'static str, node: &str) -> Error {
    let (kind, detail) = match e.kind() {
        RedisKind::AuthenticationFailed => (ErrorKind::Auth, "authentication failed".to_string()),
        RedisKind::Server(sk) => {
            let code = e.code().unwrap_or("ERR");
            let detail = sanitize_detail(e.detail().unwrap_or(""));
            let kind = match sk {
                ServerErrorKind::Moved
                | ServerErrorKind::Ask
                | ServerErrorKind::TryAgain
                | ServerErrorKind::ClusterDown
                | ServerErrorKind::CrossSlot
                | ServerErrorKind::MasterDown => ErrorKind::Cluster,
                _ => ErrorKind::Server,
            };
            let text = super::version::unwrap_script_error(code, &detail)
                .unwrap_or_else(|| format!("{code} {detail}"));
            (kind, text.trim_end().to_string())
        }
        RedisKind::Extension => {
            let code = e.code().unwrap_or("ERR");
            let detail = sanitize_detail(e.detail().unwrap_or(""));
            let kind = if code == "WRONGPASS" || code == "NOAUTH" {
                ErrorKind::Auth
            } else {
                ErrorKind::Server
            };
            (kind, format!("{code} {detail}").trim_end().to_string())
        }
        RedisKind::Io if e.is_timeout() => (ErrorKind::Timeout, "timed out".to_string()),
        RedisKind::Io => {
            let text = sanitize_detail(&e.to_string());
            if text.contains("certificate") || text.contains("handshake") {
                // rustls shakes hands on first use, so a TLS refusal shows up here.
                (ErrorKind::Connect, format!("TLS handshake failed: {text}"))
            } else if e.is_connection_refusal() {
                (ErrorKind::Connect, text)
            } else {
                (ErrorKind::Io, text)
            }
        }
        RedisKind::Parse => (ErrorKind::Protocol, "unparseable reply".to_string()),
        _ => (ErrorKind::Io, sanitize_detail(&e.to_string())),
    };
    Error::new(kind, op, detail).at(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_cuts_argument_echo() {
        let d = "unknown command 'DELIFEQ', with args beginning with: 'k' 'secret-token' ";
        assert_eq!(sanitize_detail(d), "unknown command 'DELIFEQ'");
        assert_eq!(
            sanitize_detail("OOM command not allowed"),
            "OOM command not allowed"
        );
        assert!(sanitize_detail(&"x".repeat(1000)).len() <= 300);
    }
}
