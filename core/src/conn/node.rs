//! One connection to one node: our own socket (TCP, unix or TLS via rustls), AUTH and SELECT,
//! and our own reply reader (`resp.rs`). Every command has one deadline for its whole round
//! trip (read_timeout, plus the server-side wait of a blocking command): before each read or
//! write the socket timeout is set to the time left, so a server that drips its reply byte by
//! byte cannot hold a request longer than that. Connecting (TCP, TLS handshake, AUTH, SELECT)
//! likewise has one deadline: the connect timeout. A connection is marked broken on any
//! failure that can leave its stream out of step, so the pool never hands it out again.

use std::io::{self, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::{ErrorKind as RedisKind, RedisError, ServerErrorKind, Value};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

use super::command::{cmd, push_len, Cmd};
use super::resp::{self, Limits, ReadError};
use super::version::ServerVersion;
use crate::error::{Error, ErrorKind, Result};
use crate::save_path::{Address, ConnOptions, TlsOptions};
use crate::stats;

/// Bytes buffered per connection for reading replies (a reply larger than this is read
/// straight into its own buffer, which leaves with the reply).
const READ_BUFFER: usize = 4096;

/// The socket itself, and the deadline its reads and writes must meet.
struct Sock {
    stream: Stream,
    deadline: Option<Instant>,
}

enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "timed out")
}

impl Sock {
    /// The time left before the deadline, or a timeout error when none is left.
    fn left(&self) -> io::Result<Option<Duration>> {
        match self.deadline {
            None => Ok(None),
            Some(d) => match d.checked_duration_since(Instant::now()) {
                Some(left) if left >= Duration::from_micros(1) => Ok(Some(left)),
                _ => Err(timed_out()),
            },
        }
    }
}

impl Read for Sock {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.left()?;
        let r = match &mut self.stream {
            Stream::Tcp(s) => s.set_read_timeout(left).and_then(|_| s.read(buf)),
            #[cfg(unix)]
            Stream::Unix(s) => s.set_read_timeout(left).and_then(|_| s.read(buf)),
        };
        r.map_err(as_timeout)
    }
}

impl Write for Sock {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.left()?;
        let r = match &mut self.stream {
            Stream::Tcp(s) => s.set_write_timeout(left).and_then(|_| s.write(buf)),
            #[cfg(unix)]
            Stream::Unix(s) => s.set_write_timeout(left).and_then(|_| s.write(buf)),
        };
        r.map_err(as_timeout)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A socket timeout surfaces as WouldBlock on Linux: call it what it is.
fn as_timeout(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::WouldBlock {
        timed_out()
    } else {
        e
    }
}

/// Plain or TLS, over a [`Sock`].
enum Transport {
    Plain(Sock),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, Sock>>),
}

impl Transport {
    fn sock(&mut self) -> &mut Sock {
        match self {
            Transport::Plain(s) => s,
            Transport::Tls(t) => &mut t.sock,
        }
    }
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(s) => s.read(buf),
            Transport::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(s) => s.write(buf),
            Transport::Tls(t) => t.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Transport::Plain(s) => s.flush(),
            Transport::Tls(t) => t.flush(),
        }
    }
}

/// An open connection and the label (host:port) messages use.
pub struct NodeConn {
    io: BufReader<Transport>,
    pub label: String,
    io_timeout: Duration,
    limits: Limits,
    broken: bool,
    /// Taken from the pool and not yet answered in this request: the server may have closed
    /// it meanwhile (restart, idle timeout), so one failure on it earns one fresh retry.
    unproven: bool,
    /// `INFO server` went out with this connection's first round trip (see version.rs).
    probed: bool,
    /// The server's version, once that reply came back (None: not yet, or INFO refused).
    version: Option<ServerVersion>,
    /// The server has let this connection run a script command (EVALSHA or SCRIPT answered
    /// without an error): the acquire need not ask again (see `may_run_scripts`).
    scripts_allowed: bool,
    /// A NOPERM or NOSCRIPT came in this round trip: nothing in it proves scripts may run.
    scripts_refused: bool,
    /// The buffer commands are gathered in before they are written (kept between round
    /// trips, up to WRITE_BUFFER_KEPT bytes).
    wbuf: Vec<u8>,
    /// The pool's key for this connection, set when the pool handed it out (checkin reuses
    /// it rather than hashing the endpoint and options again).
    pub(super) pool_key: Option<u64>,
}

impl NodeConn {
    /// Connects, shakes hands (TLS), authenticates and selects the database, all within
    /// `opts.connect_timeout`.
    pub fn open(addr: &Address, opts: &ConnOptions) -> Result<NodeConn> {
        let label = addr.to_string();
        let at = label.clone();
        let deadline = Instant::now() + nonzero(opts.connect_timeout);
        let connect_err = |e: RedisError| {
            let mut err = map_error(e, "connect", &at);
            if err.kind == ErrorKind::Timeout || err.kind == ErrorKind::Io {
                err.kind = ErrorKind::Connect;
            }
            err
        };
        let tls = match (addr, &opts.tls) {
            (Address::Tcp { host, .. }, Some(tls)) => Some(tls_config(host, tls)?),
            _ => None,
        };
        let stream = connect(addr, deadline).map_err(|e| connect_err(e.into()))?;
        let mut sock = Sock {
            stream,
            deadline: Some(deadline),
        };
        let transport = match tls {
            None => Transport::Plain(sock),
            Some((config, name)) => {
                let mut tls = rustls::ClientConnection::new(config, name)
                    .map_err(|e| config_error(&e.to_string()))?;
                while tls.is_handshaking() {
                    tls.complete_io(&mut sock)
                        .map_err(|e| connect_err(e.into()))?;
                }
                Transport::Tls(Box::new(rustls::StreamOwned::new(tls, sock)))
            }
        };
        let mut conn = NodeConn {
            io: BufReader::with_capacity(READ_BUFFER, transport),
            label,
            io_timeout: nonzero(opts.read_timeout),
            limits: Limits::default(),
            broken: false,
            unproven: false,
            probed: false,
            version: None,
            scripts_allowed: false,
            scripts_refused: false,
            wbuf: Vec::new(),
            pool_key: None,
        };
        conn.hello(opts, deadline).map_err(connect_err)?;
        stats::bump(&stats::connections_opened);
        Ok(conn)
    }

    /// AUTH and SELECT, in one round trip.
    fn hello(
        &mut self,
        opts: &ConnOptions,
        deadline: Instant,
    ) -> std::result::Result<(), RedisError> {
        let mut cmds = Vec::new();
        if let Some(auth) = &opts.auth {
            let mut c = cmd("AUTH");
            if let Some(user) = &auth.user {
                c.arg(user.as_str());
            }
            c.arg(auth.pass.expose());
            cmds.push(c);
        }
        if opts.database != 0 {
            let mut c = cmd("SELECT");
            c.arg(opts.database);
            cmds.push(c);
        }
        if cmds.is_empty() {
            return Ok(());
        }
        let replies = self.round_trip(&cmds, deadline)?;
        for (i, v) in replies.into_iter().enumerate() {
            if let Value::ServerError(e) = v {
                if i == 0 && opts.auth.is_some() {
                    return Err(RedisError::from((
                        RedisKind::AuthenticationFailed,
                        "authentication failed",
                    )));
                }
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// The largest bulk string a reply may carry (bytes); longer ones are refused unread and
    /// the connection is dropped.
    /// Each reply's timeout from now on (a pooled connection serves requests whose
    /// save_paths may differ in read_timeout).
    pub fn set_read_timeout(&mut self, read_timeout: Duration) {
        self.io_timeout = nonzero(read_timeout);
    }

    pub fn set_reply_limit(&mut self, max_bulk: usize) {
        self.limits.max_bulk = max_bulk;
    }

    /// The deadline of a command sent now that waits on the server for up to `block`.
    pub fn deadline(&self, block: Duration) -> Instant {
        Instant::now() + self.io_timeout + block
    }

    /// Writes `cmds` in one go and reads one reply per command, all before `deadline`.
    /// Server errors come back as `Value::ServerError` among the replies; any other failure
    /// is an error and marks the connection broken.
    pub(super) fn round_trip(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<Vec<Value>, RedisError> {
        stats::bump(&stats::round_trips);
        let r = self.round_trip_inner(cmds, deadline);
        if r.is_err() {
            self.broken = true;
        }
        r
    }

    fn round_trip_inner(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<Vec<Value>, RedisError> {
        let probe = self.write_round_trip(cmds, deadline)?;
        let mut replies = Vec::with_capacity(cmds.len());
        for _ in cmds {
            replies.push(resp::read_value(&mut self.io, &self.limits).map_err(read_error)?);
        }
        self.read_probe(probe)?;
        for (c, v) in cmds.iter().zip(&replies) {
            let top_error = match v {
                Value::ServerError(e) => Some(e),
                _ => None,
            };
            self.learn_scripting(c, top_error);
        }
        Ok(replies)
    }

    /// Sets the deadline and writes `cmds` (and the version probe on the connection's first
    /// round trip: `INFO server` after the commands, so no extra round trip, and after AUTH;
    /// its reply never fails the commands). Returns whether the probe went out.
    fn write_round_trip(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<bool, RedisError> {
        self.io.get_mut().sock().deadline = Some(deadline);
        self.scripts_refused = false;
        let probe = !std::mem::replace(&mut self.probed, true);
        static INFO: Cmd = Cmd::constant(b"$4\r\nINFO\r\n$6\r\nserver\r\n", 2);
        let info = probe.then_some(&INFO);
        let w = self.io.get_mut();
        let r = write_commands(w, &mut self.wbuf, cmds.iter().chain(info)).and_then(|_| w.flush());
        if self.wbuf.capacity() > WRITE_BUFFER_KEPT {
            self.wbuf = Vec::new();
        }
        r?;
        Ok(probe)
    }

    /// Reads the version probe's reply, if it went out (INFO denied by ACL or renamed: the
    /// version stays unknown).
    fn read_probe(&mut self, probe: bool) -> std::result::Result<(), RedisError> {
        if probe {
            self.version = match resp::read_value(&mut self.io, &self.limits).map_err(read_error)? {
                Value::BulkString(b) => ServerVersion::parse(&String::from_utf8_lossy(&b)),
                _ => None,
            };
        }
        Ok(())
    }

    /// Learns from the reply to `cmd` (`top_error`: the error it was, if one) whether this
    /// connection may run scripts: yes once a script command is answered without an error
    /// (inside MULTI, +QUEUED: the ACL is checked when a command is queued); unknown again
    /// after any NOPERM or NOSCRIPT (permissions or the server's scripts changed: the next
    /// acquire asks again).
    fn learn_scripting(&mut self, cmd: &Cmd, top_error: Option<&redis::ServerError>) {
        match top_error {
            Some(e) => {
                if matches!(e.code(), "NOPERM" | "NOSCRIPT") {
                    self.scripts_allowed = false;
                    self.scripts_refused = true;
                }
            }
            None if !self.scripts_allowed
                && !self.scripts_refused
                && (cmd.is("EVALSHA") || cmd.is("SCRIPT")) =>
            {
                self.scripts_allowed = true;
            }
            None => {}
        }
    }

    /// Sends `cmds` in one write (one round trip) before `deadline` and returns the last
    /// reply; the replies before it are read and dropped without being built (the first
    /// error among them is returned). Redirects and server errors come back as the raw
    /// RedisError so routers can act on them.
    pub fn query_until(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<Value, RedisError> {
        stats::bump(&stats::round_trips);
        let r = self.query_inner(cmds, deadline);
        if r.is_err() {
            self.broken = true;
        }
        let (last, first_error) = r?;
        if let Some(e) = first_error {
            return Err(e.into());
        }
        last.extract_error()
    }

    /// The last reply and the first server error of the ones before it; Err only for a
    /// failure that leaves the stream out of step.
    #[allow(clippy::type_complexity)]
    fn query_inner(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<(Value, Option<redis::ServerError>), RedisError> {
        let probe = self.write_round_trip(cmds, deadline)?;
        let mut first_error = None;
        let mut last = Value::Nil;
        for (i, c) in cmds.iter().enumerate() {
            if i + 1 < cmds.len() {
                let found = resp::skip_value(&mut self.io, &self.limits).map_err(read_error)?;
                let top = if found.top {
                    found.error.as_ref()
                } else {
                    None
                };
                self.learn_scripting(c, top);
                if first_error.is_none() {
                    first_error = found.error;
                }
            } else {
                last = resp::read_value(&mut self.io, &self.limits).map_err(read_error)?;
                let top = match &last {
                    Value::ServerError(e) => Some(e),
                    _ => None,
                };
                self.learn_scripting(c, top);
            }
        }
        self.read_probe(probe)?;
        Ok((last, first_error))
    }

    /// Sends `cmds` like `query_until`; when this is a pooled connection's first use and the
    /// peer had dropped it, says so with `Err(None)` so the caller can retry once on a fresh
    /// connection. Every other failure is `Err(Some(e))`.
    pub fn send(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<Value, Option<RedisError>> {
        self.first_use(|c| c.query_until(cmds, deadline))
    }

    /// Runs `f` on this connection; a failure because the peer had dropped a pooled
    /// connection before its first use here is `Err(None)` (the caller retries once on a
    /// fresh one), every other failure `Err(Some(e))`.
    fn first_use<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> std::result::Result<T, RedisError>,
    ) -> std::result::Result<T, Option<RedisError>> {
        let unproven = std::mem::replace(&mut self.unproven, false);
        match f(self) {
            Ok(v) => Ok(v),
            Err(e) if unproven && is_dropped(&e) => Err(None),
            Err(e) => Err(Some(e)),
        }
    }

    /// Sends `cmds` in one round trip like `send`, and returns every reply: a server error
    /// (a redirect too) is a `Value::ServerError` in its place, so independent commands
    /// pipelined together each get their own answer.
    pub fn send_each(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<Vec<Value>, Option<RedisError>> {
        self.first_use(|c| c.round_trip(cmds, deadline))
    }

    /// `send_each` on a connection just made (no retry to offer).
    pub fn query_each(
        &mut self,
        cmds: &[Cmd],
        deadline: Instant,
    ) -> std::result::Result<Vec<Value>, RedisError> {
        self.round_trip(cmds, deadline)
    }

    /// The server's version, known once this connection has made its first round trip.
    pub fn version(&self) -> Option<ServerVersion> {
        self.version
    }

    /// Whether the server has let this connection run a script command and no NOPERM or
    /// NOSCRIPT came since (false: not known yet).
    pub fn may_run_scripts(&self) -> bool {
        self.scripts_allowed
    }

    /// Marks a connection handed out again by the pool.
    pub fn mark_reused(&mut self) {
        self.unproven = true;
    }

    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Whether the peer has sent anything no reply has read yet, or closed the connection,
    /// checked without waiting (for a connection kept subscribed to events). Unsure means yes.
    pub fn has_unread(&mut self) -> bool {
        if !self.io.buffer().is_empty() {
            return true;
        }
        match &self.io.get_mut().sock().stream {
            // One recv(MSG_PEEK | MSG_DONTWAIT): the socket stays blocking for round trips.
            #[cfg(unix)]
            Stream::Tcp(s) => {
                let mut byte = [std::mem::MaybeUninit::<u8>::uninit()];
                let r = socket2::SockRef::from(s)
                    .recv_with_flags(&mut byte, libc::MSG_PEEK | libc::MSG_DONTWAIT);
                !matches!(r, Err(e) if e.kind() == io::ErrorKind::WouldBlock)
            }
            #[cfg(not(unix))]
            Stream::Tcp(s) => {
                let r = s.set_nonblocking(true).and_then(|_| s.peek(&mut [0u8; 1]));
                let back = s.set_nonblocking(false);
                !matches!(r, Err(e) if e.kind() == io::ErrorKind::WouldBlock) || back.is_err()
            }
            #[cfg(unix)]
            Stream::Unix(_) => true,
        }
    }
}

/// The most a connection keeps of its command buffer between round trips (bytes).
const WRITE_BUFFER_KEPT: usize = 16 * 1024;

/// Arguments from this size on are written from where they lie, not copied into the buffer.
const COPY_MAX: usize = 64 * 1024;

/// Writes `cmds` in RESP: small ones gathered in one buffer (one write for a round trip), a
/// large one (a big session) written straight from the command, never copied again.
fn write_commands<'a>(
    w: &mut impl Write,
    buf: &mut Vec<u8>,
    cmds: impl IntoIterator<Item = &'a Cmd>,
) -> io::Result<()> {
    buf.clear();
    buf.reserve(512);
    for c in cmds {
        push_len(buf, b'*', c.argc());
        let body = c.body();
        if body.len() >= COPY_MAX {
            super::note_large(body.len());
            w.write_all(buf)?;
            buf.clear();
            w.write_all(body)?;
        } else {
            buf.extend_from_slice(body);
        }
    }
    let r = w.write_all(buf);
    buf.clear();
    r
}

/// A reply that could not be read, as the RedisError the routers map.
fn read_error(e: ReadError) -> RedisError {
    match e {
        ReadError::Io(e) => e.into(),
        ReadError::Protocol(what) => {
            RedisError::from((RedisKind::Parse, "unparseable reply", what))
        }
        // Our transport raises no client error of its own: this kind marks "too large".
        too_large @ (ReadError::TooLarge { .. } | ReadError::Alloc(_)) => {
            RedisError::from((RedisKind::Client, "reply too large", too_large.to_string()))
        }
    }
}

/// Opens the socket: each address of the host in turn, within the deadline.
fn connect(addr: &Address, deadline: Instant) -> io::Result<Stream> {
    match addr {
        Address::Tcp { host, port } => {
            let mut last = None;
            for a in (host.as_str(), *port).to_socket_addrs()? {
                let left = deadline
                    .checked_duration_since(Instant::now())
                    .filter(|d| !d.is_zero())
                    .ok_or_else(timed_out)?;
                match TcpStream::connect_timeout(&a, left) {
                    Ok(s) => {
                        s.set_nodelay(true)?;
                        return Ok(Stream::Tcp(s));
                    }
                    Err(e) => last = Some(as_timeout(e)),
                }
            }
            Err(last.unwrap_or_else(|| {
                io::Error::new(io::ErrorKind::NotFound, "the host resolves to no address")
            }))
        }
        #[cfg(unix)]
        Address::Unix { path } => UnixStream::connect(path).map(Stream::Unix),
        #[cfg(not(unix))]
        Address::Unix { .. } => Err(io::Error::other("unix sockets need a unix system")),
    }
}

fn nonzero(t: Duration) -> Duration {
    if t.is_zero() {
        Duration::from_millis(1)
    } else {
        t
    }
}

fn config_error(detail: &str) -> Error {
    Error::new(ErrorKind::Config, "connect", sanitize_detail(detail))
}

/// The rustls client configuration from the `stream[...]` options: peer verification on
/// unless `stream[verify_peer]=0`; `stream[cafile]` replaces the system trust store;
/// `local_cert` + `local_pk` give a client certificate (mutual TLS); `verify_peer_name=0`
/// checks the certificate but not the name in it.
fn tls_config(
    host: &str,
    tls: &TlsOptions,
) -> Result<(Arc<rustls::ClientConfig>, ServerName<'static>)> {
    install_crypto_provider();
    if tls.peer_name.as_deref().is_some_and(|p| p != host) {
        return Err(config_error(
            "stream[peer_name] different from the host is not supported: connect by that name",
        ));
    }
    let read = |what: &str, path: &str| {
        std::fs::read(path).map_err(|e| config_error(&format!("cannot read {what} {path}: {e}")))
    };
    let certs = |what: &str, path: &str| -> Result<Vec<CertificateDer<'static>>> {
        let pem = read(what, path)?;
        let list: std::result::Result<Vec<_>, _> = CertificateDer::pem_slice_iter(&pem).collect();
        match list {
            Ok(l) if !l.is_empty() => Ok(l),
            _ => Err(config_error(&format!(
                "{what} {path}: no PEM certificate in it"
            ))),
        }
    };
    let client = match (&tls.local_cert, &tls.local_pk) {
        (Some(cert), key) => {
            // PHP streams accept a local_cert file holding both certificate and key.
            let (key_what, key_path) = match key {
                Some(k) => ("stream[local_pk]", k),
                None => ("stream[local_cert]", cert),
            };
            let key = PrivateKeyDer::from_pem_slice(&read(key_what, key_path)?).map_err(|_| {
                config_error(&format!("{key_what} {key_path}: no PEM private key in it"))
            })?;
            Some((certs("stream[local_cert]", cert)?, key))
        }
        (None, Some(_)) => return Err(config_error("stream[local_pk] needs stream[local_cert]")),
        (None, None) => None,
    };
    let mut roots = rustls::RootCertStore::empty();
    match &tls.cafile {
        Some(f) => {
            for c in certs("stream[cafile]", f)? {
                roots
                    .add(c)
                    .map_err(|e| config_error(&format!("stream[cafile] {f}: {e}")))?;
            }
        }
        None => {
            for c in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(c);
            }
        }
    }
    let roots = Arc::new(roots);
    let builder = rustls::ClientConfig::builder();
    let builder = if !tls.verify_peer {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verify::AnyCertificate::new()))
    } else if !tls.verify_peer_name {
        let inner = rustls::client::WebPkiServerVerifier::builder(roots)
            .build()
            .map_err(|e| config_error(&e.to_string()))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verify::AnyName(inner)))
    } else {
        builder.with_root_certificates(roots)
    };
    let mut config = match client {
        Some((chain, key)) => builder
            .with_client_auth_cert(chain, key)
            .map_err(|e| config_error(&format!("client certificate: {e}")))?,
        None => builder.with_no_client_auth(),
    };
    if !tls.verify_peer {
        config.enable_sni = false;
    }
    let name = ServerName::try_from(host.to_string())
        .map_err(|e| config_error(&format!("TLS server name {host}: {e}")))?;
    Ok((Arc::new(config), name))
}

/// Certificate verifiers for `stream[verify_peer]=0` and `stream[verify_peer_name]=0`.
mod verify {
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::client::WebPkiServerVerifier;
    use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};

    /// Accepts any certificate (the operator turned verification off); signatures are
    /// still checked, so the peer holds the key of the certificate it shows.
    #[derive(Debug)]
    pub struct AnyCertificate(Arc<CryptoProvider>);

    impl AnyCertificate {
        pub fn new() -> Self {
            AnyCertificate(
                CryptoProvider::get_default()
                    .cloned()
                    .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider())),
            )
        }
    }

    impl ServerCertVerifier for AnyCertificate {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    /// Checks the certificate chain against the trust store, but not the host name in it.
    #[derive(Debug)]
    pub struct AnyName(pub Arc<WebPkiServerVerifier>);

    fn name_error(e: &Error) -> bool {
        matches!(
            e,
            Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
            )
        )
    }

    impl ServerCertVerifier for AnyName {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, Error> {
            match self
                .0
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
            {
                Err(e) if name_error(&e) => Ok(ServerCertVerified::assertion()),
                other => other,
            }
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            self.0.verify_tls12_signature(message, cert, dss)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            self.0.verify_tls13_signature(message, cert, dss)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.supported_verify_schemes()
        }
    }
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
        RedisKind::Client => (
            ErrorKind::TooLarge,
            e.detail().unwrap_or("reply too large").to_string(),
        ),
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
        RedisKind::Parse => (
            ErrorKind::Protocol,
            match e.detail() {
                Some(what) => format!("unparseable reply ({})", sanitize_detail(what)),
                None => "unparseable reply".to_string(),
            },
        ),
        _ => (ErrorKind::Io, sanitize_detail(&e.to_string())),
    };
    Error::new(kind, op, detail).at(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_written_as_redis_rs_packs_them() {
        let big = vec![b'x'; COPY_MAX + 5];
        let mut set = cmd("SET");
        set.arg("k").arg(&big[..]).arg("EX").arg(60);
        let mut odd = cmd("EVALSHA");
        odd.arg("")
            .arg(&[b'y'; 10][..])
            .arg(&[b'z'; 100][..])
            .arg(0);
        let cmds = [
            super::super::command::MULTI,
            set,
            odd,
            super::super::command::EXEC,
        ];
        let mut ours = Vec::new();
        write_commands(&mut ours, &mut Vec::new(), &cmds).unwrap();
        let mut theirs = Vec::new();
        let mut set = redis::cmd("SET");
        set.arg("k").arg(&big[..]).arg("EX").arg(60);
        let mut odd = redis::cmd("EVALSHA");
        odd.arg("")
            .arg(&[b'y'; 10][..])
            .arg(&[b'z'; 100][..])
            .arg(0);
        for c in [redis::cmd("MULTI"), set, odd, redis::cmd("EXEC")] {
            c.write_packed_command(&mut theirs);
        }
        assert_eq!(ours, theirs);
    }

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
