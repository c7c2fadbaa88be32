//! Parses `session.save_path` in phpredis's syntax into typed values, for both handlers.

use std::fmt;
use std::num::IntErrorKind;
use std::time::Duration;

use percent_encoding::percent_decode_str;

use crate::keys::{DEFAULT_CLUSTER_PREFIX, DEFAULT_PREFIX};

/// Connect timeout used when save_path sets none: bounded, unlike phpredis's 86400 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Read/write timeout used when save_path sets none.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(2);

/// A secret string (password). Its Debug and Display never show the value.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Credentials: `auth=pass`, `auth[]=user&auth[]=pass`, `auth[user]=..&auth[pass]=..`, or the
/// password kept out of save_path: `auth_file=<path>` / `auth_env=<variable>` (with an optional
/// `auth[user]=..`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    pub user: Option<String>,
    /// Empty until [`Auth::resolve`] has read it when it comes from a file or a variable.
    pub pass: Secret,
    pub source: PassSource,
}

/// Where the password comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PassSource {
    /// Written in save_path.
    #[default]
    Inline,
    /// `auth_file=<path>`: the file's content, without a final newline.
    File(String),
    /// `auth_env=<name>`: the value of that environment variable.
    Env(String),
}

/// Largest password file read (a secret, not a document).
pub const MAX_PASSWORD_FILE: u64 = 4096;

impl Auth {
    /// Whether the password is kept in a file or variable rather than in the save_path.
    pub fn is_outside(&self) -> bool {
        !matches!(self.source, PassSource::Inline)
    }

    /// Reads the password from its file or environment variable. Called at every open(), so a
    /// rotated secret is used from the next request on, without a restart.
    pub fn resolve(&mut self) -> Result<(), SavePathError> {
        self.resolve_as("")
    }

    /// [`Auth::resolve`] for the option named `<prefix>auth_file` / `<prefix>auth_env`
    /// (`sentinel_` for the sentinels' password), as messages name it.
    pub fn resolve_as(&mut self, prefix: &str) -> Result<(), SavePathError> {
        let pass = match &self.source {
            PassSource::Inline => return Ok(()),
            PassSource::File(path) => read_password_file(prefix, path)?,
            PassSource::Env(name) => std::env::var(name).map_err(|e| {
                SavePathError::new(
                    format!("{prefix}auth_env={name}"),
                    match e {
                        std::env::VarError::NotPresent => reason::ENV_UNSET,
                        std::env::VarError::NotUnicode(_) => reason::NOT_UTF8,
                    },
                )
            })?,
        };
        if pass.is_empty() {
            let part = match &self.source {
                PassSource::File(path) => format!("{prefix}auth_file={path}"),
                PassSource::Env(name) => format!("{prefix}auth_env={name}"),
                PassSource::Inline => String::new(),
            };
            return Err(SavePathError::new(part, reason::PASSWORD_EMPTY));
        }
        self.pass = Secret(pass);
        Ok(())
    }
}

fn read_password_file(prefix: &str, path: &str) -> Result<String, SavePathError> {
    use std::io::Read;
    let part = || format!("{prefix}auth_file={path}");
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PASSWORD_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| SavePathError::new(part(), format!("{} ({e})", reason::UNREADABLE)))?;
    if bytes.len() as u64 > MAX_PASSWORD_FILE {
        return Err(SavePathError::new(part(), reason::FILE_TOO_LARGE));
    }
    for end in [&b"\n"[..], b"\r"] {
        if bytes.ends_with(end) {
            bytes.pop();
        }
    }
    String::from_utf8(bytes).map_err(|_| SavePathError::new(part(), reason::NOT_UTF8))
}

impl StandalonePath {
    /// Whether a password is kept in a file or variable (read again at every open).
    pub fn has_outside_secrets(&self) -> bool {
        self.servers
            .iter()
            .any(|s| s.options.auth.as_ref().is_some_and(Auth::is_outside))
    }

    /// Reads every password kept in a file or variable (see [`Auth::resolve`]).
    pub fn resolve_secrets(&mut self) -> Result<(), SavePathError> {
        for server in &mut self.servers {
            if let Some(auth) = &mut server.options.auth {
                auth.resolve()?;
            }
        }
        Ok(())
    }
}

impl SentinelPath {
    /// Reads the data nodes' and the sentinels' passwords when they are kept in a file or
    /// variable (`auth_file` / `auth_env`, `sentinel_auth_file` / `sentinel_auth_env`).
    pub fn resolve_secrets(&mut self) -> Result<(), SavePathError> {
        if let Some(auth) = &mut self.options.auth {
            auth.resolve()?;
        }
        if let Some(auth) = &mut self.sentinel_options.auth {
            auth.resolve_as("sentinel_")?;
        }
        Ok(())
    }
}

impl ClusterPath {
    /// Whether the password is kept in a file or variable (read again at every open).
    pub fn has_outside_secrets(&self) -> bool {
        self.options.auth.as_ref().is_some_and(Auth::is_outside)
    }

    /// Reads the password when it is kept in a file or variable (see [`Auth::resolve`]).
    pub fn resolve_secrets(&mut self) -> Result<(), SavePathError> {
        match &mut self.options.auth {
            Some(auth) => auth.resolve(),
            None => Ok(()),
        }
    }
}

/// TLS options from `stream[...]` (and `tls://` / `tls=1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsOptions {
    /// `stream[verify_peer]`, default true.
    pub verify_peer: bool,
    /// `stream[verify_peer_name]`, default true.
    pub verify_peer_name: bool,
    pub cafile: Option<String>,
    pub local_cert: Option<String>,
    pub local_pk: Option<String>,
    pub peer_name: Option<String>,
}

impl Default for TlsOptions {
    fn default() -> Self {
        TlsOptions {
            verify_peer: true,
            verify_peer_name: true,
            cafile: None,
            local_cert: None,
            local_pk: None,
            peer_name: None,
        }
    }
}

/// Where a server listens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    Tcp { host: String, port: u16 },
    Unix { path: String },
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Tcp { host, port } if host.contains(':') => write!(f, "[{host}]:{port}"),
            Address::Tcp { host, port } => write!(f, "{host}:{port}"),
            Address::Unix { path } => write!(f, "unix:{path}"),
        }
    }
}

/// Options that govern one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnOptions {
    /// `timeout` (seconds, float): connect timeout.
    pub connect_timeout: Duration,
    /// `read_timeout` (seconds, float): read and write timeout.
    pub read_timeout: Duration,
    /// `persistent` (0/1 or a string id like phpredis).
    pub persistent: bool,
    pub persistent_id: Option<String>,
    pub auth: Option<Auth>,
    /// `database` (standalone only).
    pub database: i64,
    /// `retry_interval` in milliseconds, as in phpredis (which multiplies it by 1000 into µs).
    pub retry_interval: Duration,
    /// Some when TLS is on.
    pub tls: Option<TlsOptions>,
}

impl Default for ConnOptions {
    fn default() -> Self {
        ConnOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            persistent: false,
            persistent_id: None,
            auth: None,
            database: 0,
            retry_interval: Duration::ZERO,
            tls: None,
        }
    }
}

/// One server of the `redis` handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSpec {
    pub address: Address,
    /// `weight`, default 1, at least 1.
    pub weight: u32,
    /// `prefix`, default `PHPREDIS_SESSION:`.
    pub prefix: String,
    pub options: ConnOptions,
}

/// Parsed save_path of the `redis` handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandalonePath {
    pub servers: Vec<ServerSpec>,
}

/// `failover=` of the `rediscluster` handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Failover {
    #[default]
    None,
    Error,
    Distribute,
}

/// Parsed save_path of the `rediscluster` handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterPath {
    /// `seed[]=host:port`, in order, at least one.
    pub seeds: Vec<(String, u16)>,
    /// `prefix`, default `PHPREDIS_CLUSTER_SESSION:`.
    pub prefix: String,
    pub failover: Failover,
    pub options: ConnOptions,
}

/// Parsed save_path of the `redissentinel` handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentinelPath {
    /// `sentinel[]=host:port`, in order (repeats dropped), at least one.
    pub sentinels: Vec<(String, u16)>,
    /// `service=` (required): the master name the sentinels monitor.
    pub service: String,
    /// `prefix`, default `PHPREDIS_SESSION:` (the `redis` handler's, so sessions carry over).
    pub prefix: String,
    /// Options of the connections to the data nodes (the master).
    pub options: ConnOptions,
    /// Options of the connections to the sentinels: the same timeouts and TLS, database 0,
    /// `sentinel_auth` as credentials, never persistent ids.
    pub sentinel_options: ConnOptions,
}

/// A malformed save_path. Display names the bad part; it never contains a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavePathError {
    /// The part at fault, e.g. `timeout=abc` or `seed[]=host` (values of `auth` are never kept).
    pub part: String,
    /// Why it is wrong, e.g. "is not a number of seconds".
    pub reason: String,
}

impl fmt::Display for SavePathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.part.is_empty() {
            write!(f, "malformed session.save_path: {}", self.reason)
        } else {
            write!(
                f,
                "malformed session.save_path: '{}' {}",
                self.part, self.reason
            )
        }
    }
}

impl std::error::Error for SavePathError {}

impl SavePathError {
    fn new(part: impl Into<String>, reason: impl Into<String>) -> Self {
        SavePathError {
            part: part.into(),
            reason: reason.into(),
        }
    }
}

/// Port of a `redis` server given without one, as in phpredis.
pub const DEFAULT_PORT: u16 = 6379;
/// Longest timeout or retry interval save_path can ask for; larger values are capped, so no
/// setting can make a request wait practically forever (phpredis's own default is 86400 s).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);
/// Shortest timeout: a tiny positive value must not round down to zero, which some socket
/// APIs read as "no timeout".
const MIN_TIMEOUT: Duration = Duration::from_millis(1);
/// Largest `weight`, so the weights of any server list add up without overflow.
const MAX_WEIGHT: u64 = 1_000_000;

/// Why a part of save_path is refused: the `reason` a SavePathError carries. Kept together so
/// the wording stays consistent; SavePathError's Display puts the sentence around it.
mod reason {
    pub const NO_SERVER: &str = "lists no server";
    pub const NO_ADDRESS: &str = "has no address before the ?";
    pub const NO_SEED: &str = "needs at least one seed[]=host:port";
    pub const NO_HOST: &str = "has no host";
    pub const BAD_HOST: &str = "has an invalid host";
    pub const NO_PORT: &str = "has no port";
    pub const BAD_PORT: &str = "port must be 1-65535";
    pub const BAD_ADDRESS: &str = "is not host:port";
    pub const IPV6_BRACKETS: &str = "IPv6 address needs brackets, e.g. [::1]:6379";
    pub const URL_CREDENTIALS: &str = "credentials in the address are not supported; use auth=";
    pub const URL_PATH: &str = "has a path after the address; use ?database=N to pick a database";
    pub const UNIX_PATH: &str = "needs an absolute socket path, e.g. unix:///run/redis.sock";
    pub const BAD_SCHEME: &str = "is not a known scheme (tcp://, tls://, unix://)";
    pub const SEED_SCHEME: &str = "must be host:port, tcp://host:port or tls://host:port";
    pub const OPTION_IN_ADDRESS: &str = "has an option in the address; options go after a ?, e.g. tcp://host:6379?timeout=1 (seed[]= is for the rediscluster handler)";
    pub const LOOKS_LIKE_ADDRESS: &str =
        "is not an option; the rediscluster handler takes seed[]=host:port&option=value";
    pub const SECONDS: &str = "is not a number of seconds";
    pub const NEGATIVE: &str = "must not be negative";
    pub const WHOLE_NUMBER: &str = "is not a whole number";
    pub const TOO_LARGE: &str = "is too large";
    pub const WEIGHT: &str = "must be a whole number 1-1000000";
    pub const BOOL: &str = "is not a boolean (0/1, true/false, yes/no, on/off)";
    pub const PERSISTENT: &str = "must be 0 or 1, or a persistent id that is not a number";
    pub const EMPTY: &str = "is empty";
    pub const NOT_UTF8: &str = "is not valid UTF-8 after percent-decoding";
    pub const NO_NAME: &str = "has no option name";
    pub const BAD_NAME: &str = "is not a valid option name (name, name[] or name[key])";
    pub const SCALAR: &str = "takes a single value, not name[...]";
    pub const UNKNOWN: &str = "unknown option";
    pub const AFTER_AUTH: &str = "(if it is part of the password, percent-encode & as %26)";
    pub const AFTER_AUTH_ITEM: &str = "(it follows an auth value: if it is part of the password, percent-encode , as %2C and a space as %20)";
    pub const ONLY_REDIS: &str = "only applies to the redis handler";
    pub const ONLY_CLUSTER: &str = "only applies to the rediscluster handler";
    pub const TLS_REDIS: &str = "only applies to the rediscluster handler; use a tls:// URL";
    pub const DATABASE_CLUSTER: &str = "is not supported by Redis Cluster (it only has database 0)";
    pub const STREAM_FORM: &str = "must be written stream[option]=value";
    pub const STREAM_UNSUPPORTED: &str = "is not a supported TLS option";
    pub const SELF_SIGNED: &str =
        "is not supported; trust the certificate with stream[cafile], or set stream[verify_peer]=0";
    pub const NAME_NEEDS_CAFILE: &str = "needs stream[cafile]: with the system trust store and no name check, any publicly trusted certificate (anyone's web site) would be accepted for this server";
    pub const ENV_UNSET: &str = "names an environment variable that is not set in the PHP process (php-fpm: env[NAME] in the pool, or clear_env = no)";
    pub const UNREADABLE: &str = "cannot be read by the PHP process";
    pub const FILE_TOO_LARGE: &str = "is larger than 4096 bytes; it must hold only the password";
    pub const PASSWORD_EMPTY: &str = "gives an empty password";
    pub const AUTH_TWICE: &str =
        "gives the password a second time; use auth_file/auth_env with at most auth[user]=";
    pub const AUTH_SOURCES_BOTH: &str = "use either auth_file or auth_env, not both";
    pub const FAILOVER: &str = "must be none, error or distribute";
    pub const SEED_FORM: &str = "must be written seed[]=host:port";
    pub const AUTH_ARITY: &str = "takes one or two values (password, or user and password)";
    pub const AUTH_FIELD: &str = "is not auth[user] or auth[pass]";
    pub const AUTH_MIXED: &str =
        "mixes auth forms; use one of auth=, auth[]= or auth[user]=&auth[pass]=";
    pub const AUTH_NO_PASS: &str = "has no auth[pass]";
    pub const TLS_CONFLICT: &str = "turns TLS on, which conflicts with tls=0";
    pub const NO_SENTINEL: &str = "needs at least one sentinel[]=host:port";
    pub const NO_SERVICE: &str =
        "needs service=<master name> (as in the sentinels' sentinel monitor line)";
    pub const SENTINEL_FORM: &str = "must be written sentinel[]=host:port";
    pub const ONLY_SENTINEL: &str = "only applies to the redissentinel handler";
    pub const NOT_SENTINEL: &str = "does not apply to the redissentinel handler";
    pub const PLAIN_SEED_TLS: &str =
        "is tcp:// but TLS is on (tls=1, a tls:// seed or stream[...])";
}

/// Parses the `redis` handler's save_path (comma-separated server URLs with query options).
///
/// Servers are separated by commas and/or whitespace, as in phpredis; empty items are skipped.
///
/// An item right after one that ends in an auth value may be the rest of a password with a raw
/// comma or space in it: it is never named in a message, and a bare word there (no port, no
/// scheme) is refused rather than taken for a host name (which would reach DNS and messages).
pub fn parse_standalone(s: &str) -> Result<StandalonePath, SavePathError> {
    let mut servers = Vec::new();
    let mut after_secret = false;
    for item in s
        .split(|c: char| c == ',' || is_c_space(c))
        .filter(|item| !item.is_empty())
    {
        let parsed = match after_secret {
            true if !item.contains([':', '/']) => Err(SavePathError::new("", reason::NO_PORT)),
            _ => parse_server(item),
        };
        let server = parsed.map_err(|e| match after_secret {
            true => SavePathError::new("***", format!("{} {}", e.reason, reason::AFTER_AUTH_ITEM)),
            false => e,
        })?;
        after_secret = item.split_once('?').is_some_and(|(_, query)| {
            tokenize(query).is_ok_and(|pairs| pairs.last().is_some_and(Pair::may_hold_secret))
        });
        servers.push(server);
    }
    if servers.is_empty() {
        return Err(SavePathError::new("", reason::NO_SERVER));
    }
    Ok(StandalonePath { servers })
}

/// Parses the `rediscluster` handler's save_path (a query string with `seed[]=`).
pub fn parse_cluster(s: &str) -> Result<ClusterPath, SavePathError> {
    let mut given = Given::default();
    for pair in tokenize(s.trim_matches(is_c_space))? {
        given.apply(&pair, Handler::Cluster)?;
    }
    if given.seeds.is_empty() {
        return Err(SavePathError::new("", reason::NO_SEED));
    }
    let tls = given.cluster_tls()?;
    let options = given.conn_options(tls)?;
    // phpredis drops repeated seeds too; order is kept so the first seed is tried first.
    let mut seeds: Vec<(String, u16)> = Vec::with_capacity(given.seeds.len());
    for seed in given.seeds {
        let host_port = (seed.host, seed.port);
        if !seeds.contains(&host_port) {
            seeds.push(host_port);
        }
    }
    Ok(ClusterPath {
        seeds,
        prefix: given
            .prefix
            .unwrap_or_else(|| DEFAULT_CLUSTER_PREFIX.to_string()),
        failover: given.failover.unwrap_or_default(),
        options,
    })
}

/// Parses the `redissentinel` handler's save_path (a query string with `sentinel[]=` and
/// `service=`).
pub fn parse_sentinel(s: &str) -> Result<SentinelPath, SavePathError> {
    let mut given = Given::default();
    for pair in tokenize(s.trim_matches(is_c_space))? {
        given.apply(&pair, Handler::Sentinel)?;
    }
    if given.seeds.is_empty() {
        return Err(SavePathError::new("", reason::NO_SENTINEL));
    }
    let service = match &given.service {
        Some(name) if !name.trim().is_empty() => name.trim().to_string(),
        _ => return Err(SavePathError::new("", reason::NO_SERVICE)),
    };
    let tls = given.cluster_tls()?;
    let options = given.conn_options(tls)?;
    let sentinel_auth = credentials(
        &given.sentinel_auth,
        &given.sentinel_pass_source,
        "sentinel_auth",
    )?;
    let sentinel_options = ConnOptions {
        auth: sentinel_auth,
        database: 0,
        persistent_id: None,
        ..options.clone()
    };
    let mut sentinels: Vec<(String, u16)> = Vec::with_capacity(given.seeds.len());
    for seed in given.seeds {
        let host_port = (seed.host, seed.port);
        if !sentinels.contains(&host_port) {
            sentinels.push(host_port);
        }
    }
    Ok(SentinelPath {
        sentinels,
        service,
        prefix: given.prefix.unwrap_or_else(|| DEFAULT_PREFIX.to_string()),
        options,
        sentinel_options,
    })
}

/// C's isspace(): what phpredis splits the server list on, besides commas.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// One server of the `redis` list: `address[?query]`.
fn parse_server(item: &str) -> Result<ServerSpec, SavePathError> {
    let (address_text, query) = item.split_once('?').unwrap_or((item, ""));
    if address_text.is_empty() {
        return Err(SavePathError::new("?...", reason::NO_ADDRESS));
    }
    let (address, tls) = parse_address(address_text)?;
    let mut given = Given::default();
    for pair in tokenize(query)? {
        given.apply(&pair, Handler::Redis)?;
    }
    // phpredis accepts stream[...] here and ignores it, since a tcp:// or unix socket never
    // uses its TLS context; so do we (a php.ini that works with phpredis works unchanged).
    // The README says so: only tls:// (or ssl://) encrypts a `redis` handler's connection.
    Ok(ServerSpec {
        address,
        weight: given.weight.unwrap_or(1),
        prefix: given
            .prefix
            .clone()
            .unwrap_or_else(|| DEFAULT_PREFIX.to_string()),
        options: given.conn_options(tls)?,
    })
}

/// `tcp://host:port`, `tls://host:port`, `unix:///path`, `unix:/path`, `/path`, `host:port`,
/// `host`, `[v6]:port`. Returns the address and whether it is TLS.
fn parse_address(text: &str) -> Result<(Address, bool), SavePathError> {
    if let Some((before, _)) = text.split_once('=') {
        // Shows only the text before `=`: what follows may be a password.
        return Err(SavePathError::new(before, reason::OPTION_IN_ADDRESS));
    }
    let (scheme, rest) = split_scheme(text);
    match scheme.map(str::to_ascii_lowercase).as_deref() {
        None if rest.starts_with('/') => Ok((unix_address(text, rest)?, false)),
        Some("unix") => Ok((unix_address(text, rest)?, false)),
        None | Some("tcp") => Ok((tcp_address(text, rest)?, false)),
        // phpredis hands the scheme to PHP streams, where ssl:// and tls:// both mean TLS.
        Some("tls" | "ssl") => Ok((tcp_address(text, rest)?, true)),
        Some(_) => Err(SavePathError::new(
            &text[..text.len() - rest.len()],
            reason::BAD_SCHEME,
        )),
    }
}

/// Splits `scheme://rest` (scheme of letters and digits only) or `unix:rest`.
fn split_scheme(text: &str) -> (Option<&str>, &str) {
    if let Some((scheme, rest)) = text.split_once("://") {
        if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return (Some(scheme), rest);
        }
    }
    match text.get(..5) {
        Some(unix) if unix.eq_ignore_ascii_case("unix:") => (Some("unix"), &text[5..]),
        _ => (None, text),
    }
}

fn unix_address(text: &str, path: &str) -> Result<Address, SavePathError> {
    if path.len() < 2 || !path.starts_with('/') {
        return Err(SavePathError::new(text, reason::UNIX_PATH));
    }
    Ok(Address::Unix {
        path: path.to_string(),
    })
}

/// What a message may show after `user:pass@`: `@host:port` when it reads as one, else
/// nothing (a password holding an `@` would otherwise show its tail as the "host").
fn host_after_credentials<'a>(userinfo: &str, at_host: &'a str) -> &'a str {
    let host_like = at_host[1..]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".-:[]/".contains(c));
    // Options run into the address (`h:1?auth=@pw`): what follows the `@` is no host.
    if host_like && !userinfo.contains(['?', '=', '&']) {
        at_host
    } else {
        ""
    }
}

/// `rest` is `text` after its scheme: `host[:port][/]`.
fn tcp_address(text: &str, rest: &str) -> Result<Address, SavePathError> {
    if let Some(at) = rest.rfind('@') {
        // phpredis ignores user:pass@ silently; the message must not repeat it.
        let scheme = &text[..text.len() - rest.len()];
        return Err(SavePathError::new(
            format!(
                "{scheme}***{}",
                host_after_credentials(&rest[..at], &rest[at..])
            ),
            reason::URL_CREDENTIALS,
        ));
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains('/') {
        return Err(SavePathError::new(text, reason::URL_PATH));
    }
    let (host, port) =
        host_port(authority, Some(DEFAULT_PORT)).map_err(|why| SavePathError::new(text, why))?;
    Ok(Address::Tcp { host, port })
}

/// Splits `host:port` or `[v6]:port`; without a port, `default_port` or an error.
/// The host comes back without brackets.
fn host_port(text: &str, default_port: Option<u16>) -> Result<(String, u16), &'static str> {
    let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or(reason::BAD_ADDRESS)?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(reason::BAD_ADDRESS)?),
        };
        (host, port)
    } else {
        match text.rsplit_once(':') {
            Some((host, _)) if host.contains(':') => return Err(reason::IPV6_BRACKETS),
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    if host.is_empty() {
        return Err(reason::NO_HOST);
    }
    if host
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "/?#@[]\\,&=".contains(c))
    {
        return Err(reason::BAD_HOST);
    }
    let port = match port {
        None => default_port.ok_or(reason::NO_PORT)?,
        Some("") => return Err(reason::NO_PORT),
        Some(port) => parse_port(port).ok_or(reason::BAD_PORT)?,
    };
    Ok((host.to_string(), port))
}

fn parse_port(text: &str) -> Option<u16> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|&port| port != 0)
}

/// The bracket part of a query key: `name`, `name[]` or `name[key]`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Index {
    None,
    Append,
    Key(String),
}

/// One `key=value` of a query string, split and decoded the way PHP's parse_str does.
#[derive(Debug)]
struct Pair<'a> {
    /// As written, e.g. `timeout=abc`; named in messages (never for `auth`).
    raw: &'a str,
    /// The key as written, before decoding.
    raw_key: &'a str,
    name: String,
    index: Index,
    /// Decoded; None when it is not UTF-8 (reported once the key is known to be valid, so
    /// that a misspelt key is named rather than its value shown).
    value: Option<String>,
    /// Set (to the previous pair's redacted text) when the previous pair may hold a password:
    /// an unknown key here may be the tail of a password with a raw `&` in it, so it is not
    /// shown.
    after_auth: Option<String>,
}

impl Pair<'_> {
    fn is_auth(&self) -> bool {
        self.name == "auth" || self.name == "sentinel_auth"
    }

    /// `auth`, or a key that looks like a misspelt or misplaced one (`AUTH`, `password`,
    /// `h?auth` given to the wrong handler): its value is never repeated, nor what follows it.
    fn may_hold_secret(&self) -> bool {
        let name = self.name.to_ascii_lowercase();
        name.contains("auth") || name.contains("pass")
    }

    /// The decoded key, e.g. `auth[pass]`.
    fn key(&self) -> String {
        match &self.index {
            Index::None => self.name.clone(),
            Index::Append => format!("{}[]", self.name),
            Index::Key(key) => format!("{}[{key}]", self.name),
        }
    }

    /// How this pair is named in messages: as written, except that auth values are `***`.
    fn part(&self) -> String {
        if self.is_auth() {
            format!("{}=***", self.key())
        } else {
            self.raw.to_string()
        }
    }

    /// The decoded value; call only after [`Given::apply`] has checked it is there.
    fn value(&self) -> &str {
        self.value.as_deref().unwrap_or_default()
    }

    fn error(&self, reason: &str) -> SavePathError {
        SavePathError::new(self.part(), reason)
    }

    /// An error about the key itself. Names the key only: under a misspelt name (`pasword=`)
    /// the value may well be a secret.
    fn key_error(&self, reason: &str) -> SavePathError {
        key_error(self.raw_key, self.after_auth.as_deref(), reason)
    }
}

fn key_error(raw_key: &str, after_auth: Option<&str>, why: &str) -> SavePathError {
    match after_auth {
        Some(auth) => SavePathError::new(
            format!("{auth}&***"),
            format!("{why} {}", reason::AFTER_AUTH),
        ),
        // A key with an `@` is likely a URL with user:password@ given to the wrong handler.
        None => match raw_key.rfind('@') {
            Some(at) => SavePathError::new(format!("***{}", &raw_key[at..]), why),
            None => SavePathError::new(raw_key, why),
        },
    }
}

/// Splits a query string on `&` and then `=` (before decoding, as PHP does, so encoded `%26`
/// and `%3D` stay inside values), and decodes keys and values. Empty pieces are skipped.
fn tokenize(query: &str) -> Result<Vec<Pair<'_>>, SavePathError> {
    let mut pairs: Vec<Pair<'_>> = Vec::new();
    for raw in query.split('&').filter(|piece| !piece.is_empty()) {
        let after_auth = pairs
            .last()
            .filter(|p| p.may_hold_secret())
            .map(|p| format!("{}=***", p.key()));
        let (raw_key, raw_value) = raw.split_once('=').unwrap_or((raw, ""));
        let decoded = url_decode(raw_key)
            .ok_or_else(|| key_error(raw_key, after_auth.as_deref(), reason::NOT_UTF8))?;
        // PHP drops leading spaces of a key.
        let key = decoded.trim_start_matches(' ');
        if key.is_empty() {
            return Err(key_error("=...", after_auth.as_deref(), reason::NO_NAME));
        }
        let (name, index) = split_index(key)
            .ok_or_else(|| key_error(raw_key, after_auth.as_deref(), reason::BAD_NAME))?;
        pairs.push(Pair {
            raw,
            raw_key,
            name,
            index,
            value: url_decode(raw_value),
            after_auth,
        });
    }
    Ok(pairs)
}

/// PHP's urldecode(): `+` is a space, `%XX` a byte, malformed escapes stay as written.
/// None when the bytes are not UTF-8.
fn url_decode(raw: &str) -> Option<String> {
    let spaced = raw.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// `name` / `name[]` / `name[key]`. Nested or unbalanced brackets, which PHP would quietly
/// turn into some other name, are refused.
fn split_index(key: &str) -> Option<(String, Index)> {
    let Some(open) = key.find('[') else {
        return (!key.contains(']')).then(|| (key.to_string(), Index::None));
    };
    let (name, rest) = key.split_at(open);
    let inner = rest.strip_prefix('[')?.strip_suffix(']')?;
    if name.is_empty() || inner.contains(['[', ']']) {
        return None;
    }
    let index = match inner {
        "" => Index::Append,
        _ => Index::Key(inner.to_string()),
    };
    Some((name.to_string(), index))
}

/// Which handler's save_path is being read; some options belong to one of them only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handler {
    Redis,
    Cluster,
    Sentinel,
}

// Options each handler takes. phpredis ignores any other key; we refuse it, so that a typo
// such as `timout=1` is reported instead of silently leaving the default in force. No
// phpredis session option exists that we accept and ignore; only stream[...] has such a list.
const COMMON_OPTIONS: &[&str] = &[
    "timeout",
    "read_timeout",
    "persistent",
    "prefix",
    "auth",
    "auth_file",
    "auth_env",
    "stream",
];
const REDIS_OPTIONS: &[&str] = &["weight", "persistent_id", "database", "retry_interval"];
const CLUSTER_OPTIONS: &[&str] = &["seed", "failover", "tls"];
const SENTINEL_OPTIONS: &[&str] = &[
    "sentinel",
    "service",
    "sentinel_auth",
    "sentinel_auth_file",
    "sentinel_auth_env",
    "database",
    "persistent_id",
    "retry_interval",
    "tls",
];
/// Options only the `redissentinel` handler takes (named as such to the other handlers).
const SENTINEL_ONLY: &[&str] = &[
    "sentinel",
    "service",
    "sentinel_auth",
    "sentinel_auth_file",
    "sentinel_auth_env",
];

/// PHP stream-context `ssl` options that only tune or report on a connection: ignoring them
/// cannot weaken TLS, so configurations written for phpredis keep working.
const IGNORED_STREAM_OPTIONS: &[&str] = &[
    "SNI_enabled",
    "capture_peer_cert",
    "capture_peer_cert_chain",
    "disable_compression",
];

/// Credentials in one of the three forms, before they are checked.
#[derive(Debug, Default)]
enum AuthGiven {
    #[default]
    Unset,
    Plain(String),
    List(Vec<String>),
    Fields {
        user: Option<String>,
        pass: Option<String>,
    },
}

impl AuthGiven {
    fn add(&mut self, pair: &Pair<'_>) -> Result<(), SavePathError> {
        if matches!(self, AuthGiven::Unset) {
            *self = match pair.index {
                Index::None => AuthGiven::Plain(String::new()),
                Index::Append => AuthGiven::List(Vec::new()),
                Index::Key(_) => AuthGiven::Fields {
                    user: None,
                    pass: None,
                },
            };
        }
        let value = pair.value().to_string();
        match (&pair.index, self) {
            // Repeated auth=: the last one wins, as in PHP.
            (Index::None, AuthGiven::Plain(pass)) => *pass = value,
            (Index::Append, AuthGiven::List(list)) => list.push(value),
            (Index::Key(key), AuthGiven::Fields { user, pass }) => match key.as_str() {
                "user" => *user = Some(value),
                "pass" => *pass = Some(value),
                // The field name is not shown: it may be the password, written in the wrong place.
                _ => {
                    return Err(SavePathError::new(
                        format!("{}[...]=***", pair.name),
                        reason::AUTH_FIELD,
                    ))
                }
            },
            _ => return Err(pair.error(reason::AUTH_MIXED)),
        }
        Ok(())
    }

    /// An empty user means the default user (a template with an empty variable); an empty
    /// password is refused, since `AUTH ""` can only fail.
    fn finish(&self, name: &str) -> Result<Option<Auth>, SavePathError> {
        let (user, pass, part) = match self {
            AuthGiven::Unset => return Ok(None),
            AuthGiven::Plain(pass) => (None, pass, name.to_string()),
            AuthGiven::List(list) => match list.as_slice() {
                [pass] => (None, pass, format!("{name}[]")),
                [user, pass] => (Some(user), pass, format!("{name}[]")),
                _ => {
                    return Err(SavePathError::new(
                        format!("{name}[]=***"),
                        reason::AUTH_ARITY,
                    ))
                }
            },
            AuthGiven::Fields { pass: None, .. } => {
                return Err(SavePathError::new(
                    format!("{name}[user]=***"),
                    reason::AUTH_NO_PASS,
                ))
            }
            AuthGiven::Fields {
                user,
                pass: Some(pass),
            } => (user.as_ref(), pass, format!("{name}[pass]")),
        };
        if pass.is_empty() {
            return Err(SavePathError::new(part, reason::EMPTY));
        }
        Ok(Some(Auth {
            user: user.filter(|u| !u.is_empty()).cloned(),
            pass: Secret(pass.clone()),
            source: PassSource::Inline,
        }))
    }
}

/// `stream[...]` options as given.
#[derive(Debug, Default)]
struct StreamGiven {
    tls: TlsOptions,
    /// The first stream[...] pair, to name when TLS is off.
    first: Option<String>,
    /// `stream[allow_self_signed]` set to true, checked once verify_peer is known.
    allow_self_signed: Option<String>,
    /// `stream[verify_peer_name]` set to false, checked once cafile is known.
    no_name_check: Option<String>,
}

impl StreamGiven {
    fn set(&mut self, key: &str, pair: &Pair<'_>) -> Result<(), SavePathError> {
        self.first.get_or_insert_with(|| pair.part());
        match key {
            "verify_peer" => self.tls.verify_peer = bool_value(pair)?,
            "verify_peer_name" => {
                self.tls.verify_peer_name = bool_value(pair)?;
                self.no_name_check = (!self.tls.verify_peer_name).then(|| pair.part());
            }
            "cafile" => self.tls.cafile = Some(non_empty(pair)?),
            "local_cert" => self.tls.local_cert = Some(non_empty(pair)?),
            "local_pk" => self.tls.local_pk = Some(non_empty(pair)?),
            "peer_name" => self.tls.peer_name = Some(non_empty(pair)?),
            "allow_self_signed" => {
                self.allow_self_signed = bool_value(pair)?.then(|| pair.part());
            }
            _ if IGNORED_STREAM_OPTIONS.contains(&key) => {}
            _ => return Err(pair.error(reason::STREAM_UNSUPPORTED)),
        }
        Ok(())
    }

    fn tls_options(&self) -> Result<TlsOptions, SavePathError> {
        // allow_self_signed has no counterpart here. With verify_peer off it changes nothing;
        // with verify_peer on, ignoring it would turn a working phpredis setup into a TLS
        // failure that does not say why.
        if let Some(part) = &self.allow_self_signed {
            if self.tls.verify_peer {
                return Err(SavePathError::new(part.clone(), reason::SELF_SIGNED));
            }
        }
        // Without the name check, the system trust store would accept the certificate of any
        // publicly trusted name (anyone's web site) for this server.
        if let Some(part) = &self.no_name_check {
            if self.tls.verify_peer && self.tls.cafile.is_none() {
                return Err(SavePathError::new(part.clone(), reason::NAME_NEEDS_CAFILE));
            }
        }
        Ok(self.tls.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SeedScheme {
    Bare,
    Tcp,
    Tls,
}

#[derive(Debug)]
struct Seed {
    host: String,
    port: u16,
    scheme: SeedScheme,
    /// The pair, for messages.
    part: String,
}

/// Options as given in save_path, before defaults and cross-checks.
#[derive(Debug, Default)]
struct Given {
    weight: Option<u32>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    persistent: Option<bool>,
    /// phpredis-style `persistent=<id>`.
    persistent_as_id: Option<String>,
    persistent_id: Option<String>,
    prefix: Option<String>,
    auth: AuthGiven,
    /// `auth_file=` / `auth_env=`, and the pair as written (for messages).
    pass_source: Option<(PassSource, String)>,
    /// `sentinel_auth_file=` / `sentinel_auth_env=`, likewise.
    sentinel_pass_source: Option<(PassSource, String)>,
    database: Option<i64>,
    retry_interval: Option<Duration>,
    stream: StreamGiven,
    tls: Option<bool>,
    failover: Option<Failover>,
    /// `seed[]=` (rediscluster) or `sentinel[]=` (redissentinel).
    seeds: Vec<Seed>,
    service: Option<String>,
    sentinel_auth: AuthGiven,
}

impl Given {
    fn apply(&mut self, pair: &Pair<'_>, handler: Handler) -> Result<(), SavePathError> {
        if !check_scope(pair, handler)? {
            return Ok(());
        }
        if pair.value.is_none() {
            return Err(pair.error(reason::NOT_UTF8));
        }
        match (pair.name.as_str(), &pair.index) {
            ("auth", _) => self.auth.add(pair),
            ("sentinel_auth", _) => self.sentinel_auth.add(pair),
            ("sentinel", Index::Append) => self.add_seed(pair),
            ("sentinel", Index::Key(key)) if key.bytes().all(|b| b.is_ascii_digit()) => {
                self.add_seed(pair)
            }
            ("sentinel", _) => Err(pair.error(reason::SENTINEL_FORM)),
            ("stream", Index::Key(key)) => self.stream.set(key, pair),
            ("stream", _) => Err(pair.error(reason::STREAM_FORM)),
            // PHP also reads seed[0]=..&seed[1]=.. as a list.
            ("seed", Index::Append) => self.add_seed(pair),
            ("seed", Index::Key(key)) if key.bytes().all(|b| b.is_ascii_digit()) => {
                self.add_seed(pair)
            }
            ("seed", _) => Err(pair.error(reason::SEED_FORM)),
            (_, Index::None) => self.set_scalar(pair),
            _ => Err(pair.error(reason::SCALAR)),
        }
    }

    /// A single-valued option; repeated ones: the last wins, as in PHP.
    fn set_scalar(&mut self, pair: &Pair<'_>) -> Result<(), SavePathError> {
        let value = pair.value().trim();
        match pair.name.as_str() {
            "weight" => {
                let weight = whole_number(value)
                    .ok()
                    .filter(|w| (1..=MAX_WEIGHT).contains(w))
                    .ok_or_else(|| pair.error(reason::WEIGHT))?;
                self.weight = u32::try_from(weight).ok();
            }
            "timeout" => {
                self.connect_timeout = Some(seconds(pair, DEFAULT_CONNECT_TIMEOUT)?);
            }
            "read_timeout" => self.read_timeout = Some(seconds(pair, DEFAULT_READ_TIMEOUT)?),
            "persistent" => self.set_persistent(pair)?,
            "persistent_id" => {
                self.persistent_id = Some(pair.value().to_string()).filter(|id| !id.is_empty());
            }
            "prefix" => self.prefix = Some(pair.value().to_string()),
            "auth_file" | "auth_env" | "sentinel_auth_file" | "sentinel_auth_env" => {
                let value = non_empty(pair)?;
                let slot = match pair.name.starts_with("sentinel_") {
                    true => &mut self.sentinel_pass_source,
                    false => &mut self.pass_source,
                };
                if slot
                    .as_ref()
                    .is_some_and(|(_, part)| !part.starts_with(&format!("{}=", pair.name)))
                {
                    return Err(pair.error(reason::AUTH_SOURCES_BOTH));
                }
                let source = match pair.name.ends_with("_file") {
                    true => PassSource::File(value),
                    false => PassSource::Env(value),
                };
                *slot = Some((source, pair.part()));
            }
            "database" => {
                let db = whole_number(value).map_err(|why| pair.error(why))?;
                self.database = Some(i64::try_from(db).map_err(|_| pair.error(reason::TOO_LARGE))?);
            }
            "retry_interval" => {
                let millis = match whole_number(value) {
                    Ok(millis) => millis,
                    Err(reason::TOO_LARGE) => u64::MAX,
                    Err(why) => return Err(pair.error(why)),
                };
                self.retry_interval = Some(Duration::from_millis(millis).min(MAX_TIMEOUT));
            }
            "tls" => self.tls = Some(bool_value(pair)?),
            "service" => self.service = Some(non_empty(pair)?),
            "failover" => {
                self.failover = Some(match value.to_ascii_lowercase().as_str() {
                    "none" => Failover::None,
                    "error" => Failover::Error,
                    "distribute" => Failover::Distribute,
                    _ => return Err(pair.error(reason::FAILOVER)),
                });
            }
            _ => return Err(pair.key_error(reason::UNKNOWN)),
        }
        Ok(())
    }

    /// `persistent=1|0|yes|..`, or as phpredis allows, `persistent=<id>`: on, with that id.
    fn set_persistent(&mut self, pair: &Pair<'_>) -> Result<(), SavePathError> {
        let value = pair.value().trim();
        if value.is_empty() {
            return Err(pair.error(reason::EMPTY));
        }
        if let Some(on) = parse_bool(value) {
            self.persistent = Some(on);
            self.persistent_as_id = None;
        } else if value
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.".contains(&b))
        {
            return Err(pair.error(reason::PERSISTENT));
        } else {
            self.persistent = Some(true);
            self.persistent_as_id = Some(pair.value().to_string());
        }
        Ok(())
    }

    fn add_seed(&mut self, pair: &Pair<'_>) -> Result<(), SavePathError> {
        let text = pair.value().trim();
        let (scheme, rest) = split_scheme(text);
        let scheme = match scheme.map(str::to_ascii_lowercase).as_deref() {
            None => SeedScheme::Bare,
            Some("tcp") => SeedScheme::Tcp,
            Some("tls" | "ssl") => SeedScheme::Tls,
            Some(_) => return Err(pair.error(reason::SEED_SCHEME)),
        };
        if let Some(at) = rest.rfind('@') {
            let scheme_text = &text[..text.len() - rest.len()];
            return Err(SavePathError::new(
                format!(
                    "{}={scheme_text}***{}",
                    pair.key(),
                    host_after_credentials(&rest[..at], &rest[at..])
                ),
                reason::URL_CREDENTIALS,
            ));
        }
        let (host, port) = host_port(rest, None).map_err(|why| pair.error(why))?;
        self.seeds.push(Seed {
            host,
            port,
            scheme,
            part: pair.part(),
        });
        Ok(())
    }

    /// TLS is on for the whole cluster when tls=1, a seed is tls://, or any stream[...] option
    /// is given: phpredis connects with ssl:// whenever a stream context is set and the seed
    /// has no scheme, and every node the cluster reports has none.
    fn cluster_tls(&self) -> Result<bool, SavePathError> {
        let tls_seed = self.seeds.iter().find(|s| s.scheme == SeedScheme::Tls);
        if self.tls == Some(false) {
            let turns_on = tls_seed
                .map(|seed| &seed.part)
                .or(self.stream.first.as_ref());
            return match turns_on {
                Some(part) => Err(SavePathError::new(part.clone(), reason::TLS_CONFLICT)),
                None => Ok(false),
            };
        }
        let on = self.tls == Some(true) || tls_seed.is_some() || self.stream.first.is_some();
        if on {
            if let Some(seed) = self.seeds.iter().find(|s| s.scheme == SeedScheme::Tcp) {
                return Err(SavePathError::new(
                    seed.part.clone(),
                    reason::PLAIN_SEED_TLS,
                ));
            }
        }
        Ok(on)
    }

    /// Fills in defaults; `tls` says whether the connection is encrypted.
    fn conn_options(&self, tls: bool) -> Result<ConnOptions, SavePathError> {
        let auth = credentials(&self.auth, &self.pass_source, "auth")?;
        let tls = match tls {
            true => Some(self.stream.tls_options()?),
            false => None,
        };
        Ok(ConnOptions {
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
            persistent: self.persistent.unwrap_or(false),
            persistent_id: self
                .persistent_id
                .clone()
                .or_else(|| self.persistent_as_id.clone()),
            auth,
            database: self.database.unwrap_or(0),
            retry_interval: self.retry_interval.unwrap_or(Duration::ZERO),
            tls,
        })
    }
}

/// Credentials from `<name>=...` and, when the password is kept elsewhere, its source
/// (`<name>_file=` / `<name>_env=`, with at most `<name>[user]=` beside it).
fn credentials(
    given: &AuthGiven,
    source: &Option<(PassSource, String)>,
    name: &str,
) -> Result<Option<Auth>, SavePathError> {
    let Some((source, part)) = source else {
        return given.finish(name);
    };
    let user = match given {
        AuthGiven::Unset => None,
        AuthGiven::Fields { user, pass: None } => user.clone().filter(|u| !u.is_empty()),
        _ => return Err(SavePathError::new(part.clone(), reason::AUTH_TWICE)),
    };
    Ok(Some(Auth {
        user,
        pass: Secret::default(),
        source: source.clone(),
    }))
}

/// phpredis options of the other handler that phpredis's handler ignores: accepted and
/// ignored here too, so a save_path moved between handlers works as it does with phpredis.
/// (`database` on a cluster stays refused: a cluster has only database 0.)
const IGNORED_ON_CLUSTER: &[&str] = &["weight", "persistent_id", "retry_interval"];
const IGNORED_ON_REDIS: &[&str] = &["failover"];

/// Whether the handler takes the key (Ok(true)), ignores it as phpredis does (Ok(false)), or
/// refuses it, naming the right handler when it is the other's.
fn check_scope(pair: &Pair<'_>, handler: Handler) -> Result<bool, SavePathError> {
    let name = pair.name.as_str();
    let (own, other, ignored): (&[&str], &[&str], &[&str]) = match handler {
        Handler::Redis => (REDIS_OPTIONS, CLUSTER_OPTIONS, IGNORED_ON_REDIS),
        Handler::Cluster => (CLUSTER_OPTIONS, REDIS_OPTIONS, IGNORED_ON_CLUSTER),
        Handler::Sentinel => (SENTINEL_OPTIONS, &[], &[]),
    };
    if COMMON_OPTIONS.contains(&name) || own.contains(&name) {
        return Ok(true);
    }
    if ignored.contains(&name) && pair.index == Index::None {
        return Ok(false);
    }
    if SENTINEL_ONLY.contains(&name) {
        return Err(pair.error(reason::ONLY_SENTINEL));
    }
    if handler == Handler::Sentinel
        && (REDIS_OPTIONS.contains(&name) || CLUSTER_OPTIONS.contains(&name))
    {
        return Err(pair.error(reason::NOT_SENTINEL));
    }
    if other.contains(&name) {
        let why = match (handler, name) {
            (Handler::Cluster, "database") => reason::DATABASE_CLUSTER,
            (Handler::Redis, "tls") => reason::TLS_REDIS,
            (Handler::Redis, _) => reason::ONLY_CLUSTER,
            (_, _) => reason::ONLY_REDIS,
        };
        return Err(pair.error(why));
    }
    if handler != Handler::Redis && name.contains(':') {
        return Err(pair.key_error(reason::LOOKS_LIKE_ADDRESS));
    }
    Err(pair.key_error(reason::UNKNOWN))
}

/// Seconds as a decimal number. 0 means the default, as in phpredis, but never "no timeout";
/// values above MAX_TIMEOUT are capped.
fn seconds(pair: &Pair<'_>, default: Duration) -> Result<Duration, SavePathError> {
    let secs: f64 = pair
        .value()
        .trim()
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite())
        .ok_or_else(|| pair.error(reason::SECONDS))?;
    if secs < 0.0 {
        return Err(pair.error(reason::NEGATIVE));
    }
    Ok(if secs == 0.0 {
        default
    } else if secs >= MAX_TIMEOUT.as_secs_f64() {
        MAX_TIMEOUT
    } else {
        Duration::from_secs_f64(secs).max(MIN_TIMEOUT)
    })
}

/// A non-negative integer, or the reason it is not one.
fn whole_number(text: &str) -> Result<u64, &'static str> {
    match text.parse::<u64>() {
        Ok(n) => Ok(n),
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => Err(reason::TOO_LARGE),
        Err(_)
            if text.strip_prefix('-').is_some_and(|digits| {
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            }) =>
        {
            Err(reason::NEGATIVE)
        }
        Err(_) => Err(reason::WHOLE_NUMBER),
    }
}

/// 0/1, true/false, yes/no, on/off, in any case.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn bool_value(pair: &Pair<'_>) -> Result<bool, SavePathError> {
    parse_bool(pair.value()).ok_or_else(|| pair.error(reason::BOOL))
}

fn non_empty(pair: &Pair<'_>) -> Result<String, SavePathError> {
    match pair.value() {
        "" => Err(pair.error(reason::EMPTY)),
        value => Ok(value.to_string()),
    }
}

/// Byte ranges of `path` that hold a secret, as the tokenizers of both handlers see it, for
/// redacting the save_path PHP prints. Both views count, since the same text may be given to
/// either handler: the `redis` view (servers split on commas and spaces, `address?query`) and
/// the `rediscluster` view (one query string, where a comma or space stays inside a value).
/// In each, a pair whose decoded name says auth / pass / secret (as the parser decodes it:
/// `+` and `%20` are spaces, leading spaces dropped, `au%74h` is `auth`) has its value marked,
/// or the whole pair when the name itself may be the password (`auth[<password>]=`), and so
/// are the `user:password@` parts of addresses and values. When neither handler accepts the
/// path, a secret may run on anywhere (an unencoded `&` in a password), so everything from
/// the first marked byte to the end is marked.
pub fn secret_spans(path: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    // Secrets under a secret-looking name, which may run on past an unencoded `&`.
    let mut named = Vec::new();
    for item in path
        .split(|c: char| c == ',' || is_c_space(c))
        .filter(|item| !item.is_empty())
    {
        let (address, query) = item.split_once('?').unwrap_or((item, &item[item.len()..]));
        if address.contains(['=', '&']) {
            // Options written without a `?` (or cluster syntax given to the redis handler).
            pair_secrets(path, address, &mut spans, &mut named);
        } else if let Some(at) = split_scheme(address).1.rfind('@') {
            spans.push(span_of(path, &split_scheme(address).1[..at]));
        }
        pair_secrets(path, query, &mut spans, &mut named);
    }
    pair_secrets(path, path.trim_matches(is_c_space), &mut spans, &mut named);
    // A secret value runs to the next `&`, as a query string reads it: in the redis view a
    // comma or space in a password would otherwise end it (and start a "server").
    for r in &mut named {
        r.end = path[r.end..]
            .find('&')
            .map_or(path.len(), |amp| r.end + amp);
    }
    if parse_standalone(path).is_err()
        && parse_cluster(path).is_err()
        && parse_sentinel(path).is_err()
    {
        if let Some(first) = named.iter().map(|r| r.start).min() {
            spans.push(first..path.len());
        }
    }
    spans.extend(named);
    spans.retain(|r| !r.is_empty());
    spans.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The range `part` (a subslice of `base`) covers in `base`; empty when `part` is not inside
/// `base` (an empty default), which marks nothing.
fn span_of(base: &str, part: &str) -> std::ops::Range<usize> {
    match (part.as_ptr() as usize).checked_sub(base.as_ptr() as usize) {
        Some(start) if start + part.len() <= base.len() => start..start + part.len(),
        _ => 0..0,
    }
}

/// Option names whose values are not secret although the name says auth: they say where the
/// password is kept, not what it is.
const PASS_SOURCES: &[&str] = &[
    "auth_file",
    "auth_env",
    "sentinel_auth_file",
    "sentinel_auth_env",
];

/// Marks the secrets of one query string (see [`secret_spans`]), split exactly as [`tokenize`]
/// splits it, with names decoded the same way (but never failing).
fn pair_secrets(
    base: &str,
    query: &str,
    spans: &mut Vec<std::ops::Range<usize>>,
    named: &mut Vec<std::ops::Range<usize>>,
) {
    for raw in query.split('&').filter(|piece| !piece.is_empty()) {
        let (raw_key, raw_value) = raw.split_once('=').unwrap_or((raw, &raw[raw.len()..]));
        let decoded = lossy_decode(raw_key);
        // The other handler's view may glue an address to the first name: `tcp://h:1?auth`.
        let key = decoded.rsplit('?').next().unwrap_or_default();
        let key = key.trim().to_ascii_lowercase();
        let (name, index) = match key.find('[') {
            Some(open) => (&key[..open], Some(&key[open..])),
            None => (key.as_str(), None),
        };
        let secret_word = |text: &str| ["auth", "pass", "secret"].iter().any(|w| text.contains(w));
        if name.contains(['=', '&']) {
            // A whole query hidden in one name (`tcp://h:1%3Fauth%3Dpw`).
            if secret_word(name) {
                named.push(span_of(base, raw));
            }
        } else if !PASS_SOURCES.contains(&name) && secret_word(name) {
            let name_is_plain = index.is_none_or(|i| matches!(i, "[]" | "[user]" | "[pass]"));
            let whole_pair = &raw[raw_key.rfind('?').map_or(0, |q| q + 1)..];
            named.push(span_of(
                base,
                if name_is_plain { raw_value } else { whole_pair },
            ));
        }
        if let Some(at) = raw_key.rfind('@') {
            let (_, rest) = split_scheme(raw_key);
            spans.push(span_of(
                base,
                &raw_key[raw_key.len() - rest.len()..at.max(raw_key.len() - rest.len())],
            ));
        }
        let value = lossy_decode(raw_value);
        if value.contains('@') {
            spans.push(span_of(base, raw_value));
        }
        // A query written inside a value (`seed[]=h:1%3Fauth%3Dpw`, `timeout=1?auth=pw`).
        if let Some(q) = value.find(['?', '=', '&']) {
            if secret_word(&value[q..].to_ascii_lowercase()) {
                named.push(span_of(base, raw_value));
            }
        }
    }
}

/// [`url_decode`] that never fails (invalid UTF-8 becomes U+FFFD).
fn lossy_decode(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(host: &str, port: u16) -> Address {
        Address::Tcp {
            host: host.to_string(),
            port,
        }
    }

    fn unix(path: &str) -> Address {
        Address::Unix {
            path: path.to_string(),
        }
    }

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    fn auth(user: Option<&str>, pass: &str) -> Option<Auth> {
        Some(Auth {
            user: user.map(str::to_string),
            pass: Secret(pass.to_string()),
            source: PassSource::Inline,
        })
    }

    fn server(address: Address) -> ServerSpec {
        ServerSpec {
            address,
            weight: 1,
            prefix: DEFAULT_PREFIX.to_string(),
            options: ConnOptions::default(),
        }
    }

    fn tls_server(address: Address) -> ServerSpec {
        let mut s = server(address);
        s.options.tls = Some(TlsOptions::default());
        s
    }

    fn one_server(input: &str) -> ServerSpec {
        let mut path = parse_standalone(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(path.servers.len(), 1, "{input:?}");
        path.servers.remove(0)
    }

    fn cluster(seeds: &[(&str, u16)]) -> ClusterPath {
        ClusterPath {
            seeds: seeds.iter().map(|(h, p)| (h.to_string(), *p)).collect(),
            prefix: DEFAULT_CLUSTER_PREFIX.to_string(),
            failover: Failover::None,
            options: ConnOptions::default(),
        }
    }

    #[test]
    fn standalone_addresses() {
        let cases: &[(&str, ServerSpec)] = &[
            ("tcp://127.0.0.1:6379", server(tcp("127.0.0.1", 6379))),
            ("tcp://redis.local:7000/", server(tcp("redis.local", 7000))),
            ("TCP://h:1", server(tcp("h", 1))),
            ("127.0.0.1:6380", server(tcp("127.0.0.1", 6380))),
            ("localhost", server(tcp("localhost", 6379))),
            ("tcp://localhost", server(tcp("localhost", 6379))),
            ("[::1]:6379", server(tcp("::1", 6379))),
            ("[::1]", server(tcp("::1", 6379))),
            (
                "tcp://[fe80::1%eth0]:7000",
                server(tcp("fe80::1%eth0", 7000)),
            ),
            (
                "tls://redis.example:6380",
                tls_server(tcp("redis.example", 6380)),
            ),
            (
                "ssl://redis.example:6380",
                tls_server(tcp("redis.example", 6380)),
            ),
            ("tls://[::1]:6380", tls_server(tcp("::1", 6380))),
            ("unix:///run/redis.sock", server(unix("/run/redis.sock"))),
            ("unix:/run/redis.sock", server(unix("/run/redis.sock"))),
            ("UNIX:///run/redis.sock", server(unix("/run/redis.sock"))),
            ("/run/redis.sock", server(unix("/run/redis.sock"))),
            ("tcp://h:65535", server(tcp("h", 65535))),
        ];
        for (input, want) in cases {
            assert_eq!(&one_server(input), want, "{input:?}");
        }
    }

    #[test]
    fn standalone_lists() {
        let cases: &[(&str, &[Address])] = &[
            ("tcp://a:1,tcp://b:2", &[tcp("a", 1), tcp("b", 2)]),
            (" tcp://a:1 , tcp://b:2 ,, ", &[tcp("a", 1), tcp("b", 2)]),
            (
                "tcp://a:1 tcp://b:2\ttcp://c:3\n",
                &[tcp("a", 1), tcp("b", 2), tcp("c", 3)],
            ),
            (",,/run/r.sock,", &[unix("/run/r.sock")]),
            ("a?weight=2,b", &[tcp("a", 6379), tcp("b", 6379)]),
        ];
        for (input, want) in cases {
            let got: Vec<Address> = parse_standalone(input)
                .unwrap_or_else(|e| panic!("{input:?}: {e}"))
                .servers
                .into_iter()
                .map(|s| s.address)
                .collect();
            assert_eq!(&got, want, "{input:?}");
        }
        // Options belong to the server they follow.
        let path = parse_standalone("tcp://a:1?weight=3&prefix=x:,tcp://b:2").unwrap();
        assert_eq!(
            (path.servers[0].weight, path.servers[0].prefix.as_str()),
            (3, "x:")
        );
        assert_eq!(
            (path.servers[1].weight, path.servers[1].prefix.as_str()),
            (1, DEFAULT_PREFIX)
        );
    }

    #[test]
    fn standalone_options() {
        type Edit = fn(&mut ServerSpec);
        let cases: &[(&str, Edit)] = &[
            ("h?weight=3", |s| s.weight = 3),
            ("h?weight=1000000", |s| s.weight = 1_000_000),
            ("h?timeout=1.5", |s| s.options.connect_timeout = ms(1500)),
            ("h?timeout=3", |s| s.options.connect_timeout = ms(3000)),
            ("h?timeout=.25", |s| s.options.connect_timeout = ms(250)),
            ("h?timeout=%201%20", |s| {
                s.options.connect_timeout = ms(1000)
            }),
            ("h?timeout=0", |_| {}),
            ("h?timeout=0.0", |_| {}),
            ("h?timeout=99999", |s| {
                s.options.connect_timeout = MAX_TIMEOUT
            }),
            ("h?timeout=1e300", |s| {
                s.options.connect_timeout = MAX_TIMEOUT
            }),
            ("h?timeout=0.0000001", |s| s.options.connect_timeout = ms(1)),
            ("h?read_timeout=2.5", |s| s.options.read_timeout = ms(2500)),
            ("h?read_timeout=0", |_| {}),
            ("h?persistent=1", |s| s.options.persistent = true),
            ("h?persistent=yes", |s| s.options.persistent = true),
            ("h?persistent=TRUE", |s| s.options.persistent = true),
            ("h?persistent=On", |s| s.options.persistent = true),
            ("h?persistent=0", |_| {}),
            ("h?persistent=off", |_| {}),
            ("h?persistent=pool_a", |s| {
                s.options.persistent = true;
                s.options.persistent_id = Some("pool_a".into());
            }),
            ("h?persistent=pool_a&persistent=0", |_| {}),
            ("h?persistent=1&persistent_id=x", |s| {
                s.options.persistent = true;
                s.options.persistent_id = Some("x".into());
            }),
            ("h?persistent=a&persistent_id=b", |s| {
                s.options.persistent = true;
                s.options.persistent_id = Some("b".into());
            }),
            ("h?persistent_id=", |_| {}),
            // phpredis's redis handler ignores the cluster's failover, and so do we
            ("h?failover=error", |_| {}),
            ("h?failover=anything", |_| {}),
            // a TLS context on a plain connection: ignored, as phpredis ignores it
            ("tcp://h?stream[verify_peer]=0", |_| {}),
            ("h?stream[cafile]=/ca&stream[verify_peer_name]=0", |_| {}),
            ("h?prefix=myapp:", |s| s.prefix = "myapp:".into()),
            ("h?prefix=", |s| s.prefix = String::new()),
            ("h?prefix=a+b%3A", |s| s.prefix = "a b:".into()),
            ("h?database=0", |_| {}),
            ("h?database=15", |s| s.options.database = 15),
            ("h?retry_interval=100", |s| {
                s.options.retry_interval = ms(100)
            }),
            ("h?retry_interval=0", |_| {}),
            ("h?retry_interval=99999999", |s| {
                s.options.retry_interval = MAX_TIMEOUT
            }),
            ("h?retry_interval=99999999999999999999999", |s| {
                s.options.retry_interval = MAX_TIMEOUT
            }),
            ("h?timeout=1&timeout=2", |s| {
                s.options.connect_timeout = ms(2000)
            }),
            ("h?&&timeout=2&&", |s| s.options.connect_timeout = ms(2000)),
            ("h?", |_| {}),
            ("h?%20timeout=2", |s| s.options.connect_timeout = ms(2000)),
            ("h?time%6Fut=2", |s| s.options.connect_timeout = ms(2000)),
        ];
        for (input, edit) in cases {
            let mut want = server(tcp("h", 6379));
            edit(&mut want);
            assert_eq!(one_server(input), want, "{input:?}");
        }
    }

    #[test]
    fn auth_forms() {
        let cases: &[(&str, Option<Auth>)] = &[
            ("h", None),
            ("h?auth=secret", auth(None, "secret")),
            ("h?auth=a&auth=b", auth(None, "b")),
            ("h?auth[]=secret", auth(None, "secret")),
            (
                "h?auth[]=alice&auth[]=secret",
                auth(Some("alice"), "secret"),
            ),
            ("h?auth[]=&auth[]=secret", auth(None, "secret")),
            (
                "h?auth[user]=alice&auth[pass]=secret",
                auth(Some("alice"), "secret"),
            ),
            (
                "h?auth[pass]=secret&auth[user]=alice",
                auth(Some("alice"), "secret"),
            ),
            ("h?auth[pass]=secret", auth(None, "secret")),
            (
                "h?auth%5Buser%5D=alice&auth%5Bpass%5D=secret",
                auth(Some("alice"), "secret"),
            ),
            (
                "h?auth%5B%5D=alice&auth%5b%5d=secret",
                auth(Some("alice"), "secret"),
            ),
            // Every character that would otherwise end or split the value, percent-encoded.
            (
                "h?auth=p%26w%3Dx%23y%40z%2B%25%2C%3F",
                auth(None, "p&w=x#y@z+%,?"),
            ),
            ("h?auth=a+b", auth(None, "a b")),
            ("h?auth=a%2Bb", auth(None, "a+b")),
            ("h?auth=a%20b", auth(None, "a b")),
            ("h?auth=caf%C3%A9", auth(None, "café")),
            // Raw = after the first one belongs to the value; raw # is just a character.
            ("h?auth=a=b", auth(None, "a=b")),
            ("h?auth=a#b", auth(None, "a#b")),
            ("h?auth=a@b", auth(None, "a@b")),
            // Malformed escapes stay as written, as in PHP.
            ("h?auth=100%", auth(None, "100%")),
            ("h?auth=%zz%4", auth(None, "%zz%4")),
            ("h?timeout=1&auth=x&prefix=p:", auth(None, "x")),
        ];
        for (input, want) in cases {
            assert_eq!(&one_server(input).options.auth, want, "{input:?}");
        }
        let c = parse_cluster("seed[]=h:1&auth[]=u&auth[]=p").unwrap();
        assert_eq!(c.options.auth, auth(Some("u"), "p"));
    }

    #[test]
    fn tls_stream_options() {
        let s = one_server(
            "tls://h:6380?stream[verify_peer]=0&stream[verify_peer_name]=false\
             &stream[cafile]=/etc/ca.pem&stream[local_cert]=/etc/c.pem\
             &stream[local_pk]=/etc/k.pem&stream[peer_name]=redis.internal",
        );
        assert_eq!(
            s.options.tls,
            Some(TlsOptions {
                verify_peer: false,
                verify_peer_name: false,
                cafile: Some("/etc/ca.pem".into()),
                local_cert: Some("/etc/c.pem".into()),
                local_pk: Some("/etc/k.pem".into()),
                peer_name: Some("redis.internal".into()),
            })
        );
        let defaults = Some(TlsOptions::default());
        let cases: &[(&str, Option<TlsOptions>)] = &[
            ("tls://h:1", defaults.clone()),
            ("tls://h:1?stream[verify_peer]=YES", defaults.clone()),
            ("tls://h:1?stream[SNI_enabled]=1", defaults.clone()),
            ("tls://h:1?stream[capture_peer_cert]=1", defaults.clone()),
            ("tls://h:1?stream[allow_self_signed]=0", defaults.clone()),
            (
                "tls://h:1?stream[verify_peer]=off&stream[allow_self_signed]=1",
                Some(TlsOptions {
                    verify_peer: false,
                    ..TlsOptions::default()
                }),
            ),
            (
                "tls://h:1?stream%5Bcafile%5D=%2Fca.pem",
                Some(TlsOptions {
                    cafile: Some("/ca.pem".into()),
                    ..TlsOptions::default()
                }),
            ),
            ("tcp://h:1", None),
            ("unix:///r.sock", None),
        ];
        for (input, want) in cases {
            assert_eq!(&one_server(input).options.tls, want, "{input:?}");
        }
    }

    #[test]
    fn standalone_errors() {
        use reason::*;
        let cases: &[(&str, &str, &str)] = &[
            ("", "", NO_SERVER),
            (" , ,\t", "", NO_SERVER),
            ("?timeout=1", "?...", NO_ADDRESS),
            ("tcp://host:notaport", "tcp://host:notaport", BAD_PORT),
            ("tcp://host:0", "tcp://host:0", BAD_PORT),
            ("tcp://host:65536", "tcp://host:65536", BAD_PORT),
            ("tcp://host:+1", "tcp://host:+1", BAD_PORT),
            ("host:", "host:", NO_PORT),
            ("tcp://:6379", "tcp://:6379", NO_HOST),
            ("tcp://", "tcp://", NO_HOST),
            ("[]:1", "[]:1", NO_HOST),
            ("::1", "::1", IPV6_BRACKETS),
            ("tcp://::1:6379", "tcp://::1:6379", IPV6_BRACKETS),
            ("[::1", "[::1", BAD_ADDRESS),
            ("[::1]6379", "[::1]6379", BAD_ADDRESS),
            ("tcp://a]:1", "tcp://a]:1", BAD_HOST),
            ("redis://h:1", "redis://", BAD_SCHEME),
            ("unix://run/redis.sock", "unix://run/redis.sock", UNIX_PATH),
            ("unix:", "unix:", UNIX_PATH),
            ("unix:relative.sock", "unix:relative.sock", UNIX_PATH),
            ("tcp://user:secret@h:1", "tcp://***@h:1", URL_CREDENTIALS),
            (":secret@h", "***@h", URL_CREDENTIALS),
            ("tcp://h:1/0", "tcp://h:1/0", URL_PATH),
            ("seed[]=a:1&auth=topsecret", "seed[]", OPTION_IN_ADDRESS),
            (
                "tcp://h:1&timeout=1",
                "tcp://h:1&timeout",
                OPTION_IN_ADDRESS,
            ),
            ("h?weight=0", "weight=0", WEIGHT),
            ("h?weight=-1", "weight=-1", WEIGHT),
            ("h?weight=abc", "weight=abc", WEIGHT),
            ("h?weight=1000001", "weight=1000001", WEIGHT),
            ("h?timeout=abc", "timeout=abc", SECONDS),
            ("h?timeout=", "timeout=", SECONDS),
            ("h?timeout", "timeout", SECONDS),
            ("h?timeout=inf", "timeout=inf", SECONDS),
            ("h?timeout=NaN", "timeout=NaN", SECONDS),
            ("h?timeout=1s", "timeout=1s", SECONDS),
            ("h?timeout=-1", "timeout=-1", NEGATIVE),
            ("h?read_timeout=x", "read_timeout=x", SECONDS),
            ("h?read_timeout=-0.5", "read_timeout=-0.5", NEGATIVE),
            ("h?database=-1", "database=-1", NEGATIVE),
            ("h?database=one", "database=one", WHOLE_NUMBER),
            ("h?database=1.5", "database=1.5", WHOLE_NUMBER),
            (
                "h?database=99999999999999999999",
                "database=99999999999999999999",
                TOO_LARGE,
            ),
            (
                "h?database=18446744073709551615",
                "database=18446744073709551615",
                TOO_LARGE,
            ),
            ("h?retry_interval=-5", "retry_interval=-5", NEGATIVE),
            ("h?retry_interval=soon", "retry_interval=soon", WHOLE_NUMBER),
            ("h?persistent=2", "persistent=2", PERSISTENT),
            ("h?persistent=-1", "persistent=-1", PERSISTENT),
            ("h?persistent=", "persistent=", EMPTY),
            ("h?timout=1", "timout", UNKNOWN),
            ("h?Timeout=1", "Timeout", UNKNOWN),
            ("h?pasword=hunter2", "pasword", UNKNOWN),
            ("h?AUTH=hunter2", "AUTH", UNKNOWN),
            ("h?timeout[]=1", "timeout[]=1", SCALAR),
            ("h?prefix[a]=1", "prefix[a]=1", SCALAR),
            ("h?a[b][c]=1", "a[b][c]", BAD_NAME),
            ("h?a[b=1", "a[b", BAD_NAME),
            ("h?a]=1", "a]", BAD_NAME),
            ("h?[x]=1", "[x]", BAD_NAME),
            ("h?=x", "=...", NO_NAME),
            ("h?%ff=1", "%ff", NOT_UTF8),
            ("h?prefix=%ff", "prefix=%ff", NOT_UTF8),
            ("h?seed[]=h:1", "seed[]=h:1", ONLY_CLUSTER),
            ("h?tls=1", "tls=1", TLS_REDIS),
            (
                "tls://h:1?stream[ciphers]=ALL",
                "stream[ciphers]=ALL",
                STREAM_UNSUPPORTED,
            ),
            (
                "tls://h:1?stream[peer_fingerprint]=ab",
                "stream[peer_fingerprint]=ab",
                STREAM_UNSUPPORTED,
            ),
            (
                "tls://h:1?stream[verify_peer]=maybe",
                "stream[verify_peer]=maybe",
                BOOL,
            ),
            (
                "tls://h:1?stream[verify_peer]=",
                "stream[verify_peer]=",
                BOOL,
            ),
            ("tls://h:1?stream[cafile]=", "stream[cafile]=", EMPTY),
            ("tls://h:1?stream=1", "stream=1", STREAM_FORM),
            ("tls://h:1?stream[]=1", "stream[]=1", STREAM_FORM),
            (
                "tls://h:1?stream[allow_self_signed]=1",
                "stream[allow_self_signed]=1",
                SELF_SIGNED,
            ),
            (
                "tls://h:1?stream[verify_peer_name]=0",
                "stream[verify_peer_name]=0",
                NAME_NEEDS_CAFILE,
            ),
            ("h?auth[]=a&auth[]=b&auth[]=c", "auth[]=***", AUTH_ARITY),
            ("h?auth[user]=alice", "auth[user]=***", AUTH_NO_PASS),
            ("h?auth[password]=x", "auth[...]=***", AUTH_FIELD),
            ("h?auth[0]=x", "auth[...]=***", AUTH_FIELD),
            ("h?auth=x&auth[]=y", "auth[]=***", AUTH_MIXED),
            ("h?auth[]=x&auth[pass]=y", "auth[pass]=***", AUTH_MIXED),
            ("h?auth[pass]=x&auth=y", "auth=***", AUTH_MIXED),
            ("h?auth=", "auth", EMPTY),
            ("h?auth", "auth", EMPTY),
            ("h?auth[user]=u&auth[pass]=", "auth[pass]", EMPTY),
            ("h?auth=%ff", "auth=***", NOT_UTF8),
            ("tcp://good:1,tcp://bad:x", "tcp://bad:x", BAD_PORT),
        ];
        for (input, part, why) in cases {
            let err = parse_standalone(input).expect_err(input);
            assert_eq!(
                (err.part.as_str(), err.reason.as_str()),
                (*part, *why),
                "{input:?}"
            );
        }
    }

    #[test]
    fn password_fragment_after_raw_ampersand_is_hidden() {
        use reason::*;
        let cases: &[(&str, &str)] = &[
            ("h?auth=hunter&2secret", "auth=***&***"),
            ("h?auth[pass]=hunter&2secret=x", "auth[pass]=***&***"),
            ("h?auth=hunter&=2secret", "auth=***&***"),
            ("h?auth=hunter&2se[cret", "auth=***&***"),
        ];
        for (input, part) in cases {
            let err = parse_standalone(input).expect_err(input);
            assert_eq!(err.part, *part, "{input:?}");
            assert!(err.reason.ends_with(AFTER_AUTH), "{input:?}: {err}");
            assert!(!err.to_string().contains("2se"), "{input:?}: {err}");
        }
    }

    #[test]
    fn password_from_a_file_or_a_variable() {
        use reason::*;
        let dir = std::env::temp_dir().join(format!("rs-pwfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pw");
        std::fs::write(&file, "s3cr et,&=\r\n").unwrap();
        let f = file.to_str().unwrap();
        // Parsed: the source, no password yet; resolved: the file without its final newline.
        let mut p = parse_standalone(&format!("tcp://h:1?auth_file={f}&auth[user]=alice")).unwrap();
        let auth = p.servers[0].options.auth.clone().unwrap();
        assert_eq!(
            (auth.user.as_deref(), auth.pass.expose()),
            (Some("alice"), "")
        );
        assert_eq!(auth.source, PassSource::File(f.to_string()));
        p.resolve_secrets().unwrap();
        assert_eq!(
            p.servers[0].options.auth.as_ref().unwrap().pass.expose(),
            "s3cr et,&="
        );
        let mut c = parse_cluster(&format!("seed[]=a:1&auth_file={f}")).unwrap();
        c.resolve_secrets().unwrap();
        assert_eq!(c.options.auth.as_ref().unwrap().pass.expose(), "s3cr et,&=");
        assert_eq!(c.options.auth.as_ref().unwrap().user, None);
        // A variable of the process.
        std::env::set_var("RS_TEST_PASSWORD_VAR", "from-env");
        let mut c = parse_cluster("seed[]=a:1&auth_env=RS_TEST_PASSWORD_VAR").unwrap();
        c.resolve_secrets().unwrap();
        assert_eq!(c.options.auth.as_ref().unwrap().pass.expose(), "from-env");
        // Refused when read: missing, empty, too large, unset; the message names the file or
        // the variable and never a content.
        std::fs::write(dir.join("empty"), "\n").unwrap();
        std::fs::write(dir.join("big"), "x".repeat(5000)).unwrap();
        let missing = dir.join("missing");
        for (path, why) in [
            (
                format!("tcp://h:1?auth_file={}", missing.display()),
                UNREADABLE,
            ),
            (
                format!("tcp://h:1?auth_file={}/empty", dir.display()),
                PASSWORD_EMPTY,
            ),
            (
                format!("tcp://h:1?auth_file={}/big", dir.display()),
                FILE_TOO_LARGE,
            ),
            (
                "tcp://h:1?auth_env=RS_TEST_NO_SUCH_VAR".to_string(),
                ENV_UNSET,
            ),
        ] {
            let err = parse_standalone(&path)
                .unwrap()
                .resolve_secrets()
                .unwrap_err();
            assert!(err.reason.starts_with(why), "{path}: {err}");
            assert!(err.part.starts_with("auth_"), "{path}: {err}");
            assert!(!err.to_string().contains("xxxx"), "{err}");
        }
        // Refused when parsed: a second password, both sources.
        for (path, why) in [
            (format!("tcp://h:1?auth_file={f}&auth=x"), AUTH_TWICE),
            (format!("tcp://h:1?auth_file={f}&auth[pass]=x"), AUTH_TWICE),
            (
                "seed[]=a:1&auth[]=u&auth[]=p&auth_env=V".to_string(),
                AUTH_TWICE,
            ),
            (
                format!("tcp://h:1?auth_file={f}&auth_env=V"),
                AUTH_SOURCES_BOTH,
            ),
            ("tcp://h:1?auth_file=".to_string(), EMPTY),
        ] {
            let err = match path.starts_with("seed") {
                true => parse_cluster(&path).err(),
                false => parse_standalone(&path).err(),
            }
            .unwrap_or_else(|| panic!("{path} parsed"));
            assert_eq!(err.reason, why, "{path}: {err}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sentinel_password_from_a_file_or_a_variable() {
        use reason::*;
        let dir = std::env::temp_dir().join(format!("rs-spwfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pw");
        std::fs::write(&file, "sent pw&=\n").unwrap();
        let f = file.to_str().unwrap();
        std::env::set_var("RS_TEST_SENTINEL_PW", "sent-env");
        let base = "sentinel[]=a:1&service=m&auth=datapw";
        // Sentinels' password from a file (with a user), or a variable; the data nodes' stays.
        let mut p = parse_sentinel(&format!(
            "{base}&sentinel_auth_file={f}&sentinel_auth[user]=su"
        ))
        .unwrap();
        p.resolve_secrets().unwrap();
        let sa = p.sentinel_options.auth.clone().unwrap();
        assert_eq!(
            (sa.user.as_deref(), sa.pass.expose()),
            (Some("su"), "sent pw&=")
        );
        assert_eq!(p.options.auth.as_ref().unwrap().pass.expose(), "datapw");
        let mut p = parse_sentinel(&format!(
            "sentinel[]=a:1&service=m&auth_file={f}&sentinel_auth_env=RS_TEST_SENTINEL_PW"
        ))
        .unwrap();
        p.resolve_secrets().unwrap();
        assert_eq!(
            p.sentinel_options.auth.as_ref().unwrap().pass.expose(),
            "sent-env"
        );
        assert_eq!(p.options.auth.as_ref().unwrap().pass.expose(), "sent pw&=");
        // Read errors name the sentinel option and never a content.
        let err = parse_sentinel(&format!("{base}&sentinel_auth_env=RS_TEST_NO_SUCH_VAR"))
            .unwrap()
            .resolve_secrets()
            .unwrap_err();
        assert_eq!(err.part, "sentinel_auth_env=RS_TEST_NO_SUCH_VAR");
        assert!(err.reason.starts_with(ENV_UNSET), "{err}");
        let err = parse_sentinel(&format!("{base}&sentinel_auth_file={}/nope", dir.display()))
            .unwrap()
            .resolve_secrets()
            .unwrap_err();
        assert!(err.part.starts_with("sentinel_auth_file="), "{err}");
        // Same rules as auth_file / auth_env: one password source, one form.
        for (path, why) in [
            (
                format!("{base}&sentinel_auth_file={f}&sentinel_auth=x"),
                AUTH_TWICE,
            ),
            (
                format!("{base}&sentinel_auth_file={f}&sentinel_auth_env=V"),
                AUTH_SOURCES_BOTH,
            ),
            (format!("{base}&sentinel_auth_env="), EMPTY),
        ] {
            let err = parse_sentinel(&path).unwrap_err();
            assert_eq!(err.reason, why, "{path}: {err}");
            assert!(!err.to_string().contains("datapw"), "{err}");
        }
        // Only the redissentinel handler takes them.
        let err = parse_cluster(&format!("seed[]=a:1&sentinel_auth_file={f}")).unwrap_err();
        assert_eq!(err.reason, ONLY_SENTINEL);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn item_after_an_auth_value_is_never_named() {
        use reason::*;
        for input in [
            "tcp://h:1?auth=One,Two",
            "tcp://h:1?timeout=1&auth=One Two&timeout=1",
            "tcp://h:1?auth=One,Two:x",
            "tcp://h:1?+auth=One,Two?x=1",
        ] {
            let err = parse_standalone(input).expect_err(input);
            assert_eq!(err.part, "***", "{input:?}");
            assert!(err.reason.ends_with(AFTER_AUTH_ITEM), "{input:?}: {err}");
            assert!(!err.to_string().contains("Two"), "{input:?}: {err}");
        }
        for input in [
            "tcp://a:1?auth=x, tcp://b:2",
            "tcp://a:1?auth=x,b:6379",
            "tcp://a:1?auth=x,/r.sock",
        ] {
            assert_eq!(parse_standalone(input).expect(input).servers.len(), 2);
        }
    }

    #[test]
    fn cluster_ok() {
        type Edit = fn(&mut ClusterPath);
        type Seeds<'a> = &'a [(&'a str, u16)];
        let cases: &[(&str, Seeds, Edit)] = &[
            ("seed[]=127.0.0.1:7000", &[("127.0.0.1", 7000)], |_| {}),
            (
                "seed[]=10.0.0.1:6379&seed[]=10.0.0.2:6379&timeout=1&read_timeout=1",
                &[("10.0.0.1", 6379), ("10.0.0.2", 6379)],
                |c| {
                    c.options.connect_timeout = ms(1000);
                    c.options.read_timeout = ms(1000);
                },
            ),
            (
                "seed[]=a:1&seed[]=b:2&seed[]=a:1",
                &[("a", 1), ("b", 2)],
                |_| {},
            ),
            ("seed[0]=a:1&seed[1]=b:2", &[("a", 1), ("b", 2)], |_| {}),
            ("seed%5B%5D=a%3A1", &[("a", 1)], |_| {}),
            (" seed[]=a:1 \n", &[("a", 1)], |_| {}),
            ("seed[]=%20a:1%20", &[("a", 1)], |_| {}),
            ("&&seed[]=a:1&&", &[("a", 1)], |_| {}),
            (
                "seed[]=[::1]:7000&seed[]=[2001:db8::5]:7001",
                &[("::1", 7000), ("2001:db8::5", 7001)],
                |_| {},
            ),
            ("seed[]=tcp://a:1", &[("a", 1)], |_| {}),
            ("seed[]=a:1&prefix=app:", &[("a", 1)], |c| {
                c.prefix = "app:".into()
            }),
            // phpredis's cluster handler ignores these redis-handler options, and so do we
            ("seed[]=a:1&retry_interval=100", &[("a", 1)], |_| {}),
            ("seed[]=a:1&weight=2&persistent_id=x", &[("a", 1)], |_| {}),
            ("seed[]=a:1&failover=error", &[("a", 1)], |c| {
                c.failover = Failover::Error
            }),
            ("seed[]=a:1&failover=DISTRIBUTE", &[("a", 1)], |c| {
                c.failover = Failover::Distribute
            }),
            ("seed[]=a:1&failover=None", &[("a", 1)], |_| {}),
            ("seed[]=a:1&timeout=0&read_timeout=0", &[("a", 1)], |_| {}),
            ("seed[]=a:1&read_timeout=86400", &[("a", 1)], |c| {
                c.options.read_timeout = MAX_TIMEOUT
            }),
            ("seed[]=a:1&persistent=1", &[("a", 1)], |c| {
                c.options.persistent = true
            }),
            ("seed[]=a:1&persistent=sess", &[("a", 1)], |c| {
                c.options.persistent = true;
                c.options.persistent_id = Some("sess".into());
            }),
            ("seed[]=a:1&auth=p%26ss", &[("a", 1)], |c| {
                c.options.auth = auth(None, "p&ss")
            }),
            ("seed[]=a:1&auth[user]=u&auth[pass]=p", &[("a", 1)], |c| {
                c.options.auth = auth(Some("u"), "p")
            }),
            ("seed[]=a:1&tls=0", &[("a", 1)], |_| {}),
            ("seed[]=a:1&tls=1", &[("a", 1)], |c| {
                c.options.tls = Some(TlsOptions::default())
            }),
            ("seed[]=a:1&tls=yes", &[("a", 1)], |c| {
                c.options.tls = Some(TlsOptions::default())
            }),
            ("seed[]=tls://a:1&seed[]=b:2", &[("a", 1), ("b", 2)], |c| {
                c.options.tls = Some(TlsOptions::default())
            }),
            ("seed[]=ssl://a:1", &[("a", 1)], |c| {
                c.options.tls = Some(TlsOptions::default())
            }),
            ("seed[]=a:1&stream[verify_peer]=0", &[("a", 1)], |c| {
                c.options.tls = Some(TlsOptions {
                    verify_peer: false,
                    ..TlsOptions::default()
                })
            }),
            (
                "seed[]=a:1&tls=1&stream[cafile]=/ca.pem",
                &[("a", 1)],
                |c| {
                    c.options.tls = Some(TlsOptions {
                        cafile: Some("/ca.pem".into()),
                        ..TlsOptions::default()
                    })
                },
            ),
        ];
        for (input, seeds, edit) in cases {
            let mut want = cluster(seeds);
            edit(&mut want);
            let got = parse_cluster(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(got, want, "{input:?}");
        }
    }

    #[test]
    fn cluster_errors() {
        use reason::*;
        let cases: &[(&str, &str, &str)] = &[
            ("", "", NO_SEED),
            ("  ", "", NO_SEED),
            ("&&&", "", NO_SEED),
            ("timeout=1", "", NO_SEED),
            ("seed[]=127.0.0.1", "seed[]=127.0.0.1", NO_PORT),
            ("seed[]=h:", "seed[]=h:", NO_PORT),
            ("seed[]=[::1]", "seed[]=[::1]", NO_PORT),
            ("seed[]=", "seed[]=", NO_HOST),
            ("seed[]=:7000", "seed[]=:7000", NO_HOST),
            ("seed[]=h:0", "seed[]=h:0", BAD_PORT),
            ("seed[]=h:70000", "seed[]=h:70000", BAD_PORT),
            ("seed[]=::1:7000", "seed[]=::1:7000", IPV6_BRACKETS),
            ("seed[]=a+b:1", "seed[]=a+b:1", BAD_HOST),
            (
                "seed[]=unix:///r.sock",
                "seed[]=unix:///r.sock",
                SEED_SCHEME,
            ),
            ("seed[]=redis://h:1", "seed[]=redis://h:1", SEED_SCHEME),
            ("seed[]=u:secret@h:1", "seed[]=***@h:1", URL_CREDENTIALS),
            // A fuzz find: a password holding an `@` showed its tail as the host.
            (
                "seed[]=a:1?auth=%40base%3DeRE&x",
                "seed[]=***",
                URL_CREDENTIALS,
            ),
            (
                "seed[]=':1?auth=%40basestunent",
                "seed[]=***",
                URL_CREDENTIALS,
            ),
            (
                "seed[]=tls://u:secret@h:1",
                "seed[]=tls://***@h:1",
                URL_CREDENTIALS,
            ),
            ("seed=h:1", "seed=h:1", SEED_FORM),
            ("seed[x]=h:1", "seed[x]=h:1", SEED_FORM),
            ("seed[]=a:1&seed[]=b", "seed[]=b", NO_PORT),
            ("seed[]=a:1&database=1", "database=1", DATABASE_CLUSTER),
            ("seed[]=a:1&weight[]=2", "weight[]=2", ONLY_REDIS),
            ("seed[]=a:1&failover=maybe", "failover=maybe", FAILOVER),
            ("seed[]=a:1&failover=", "failover=", FAILOVER),
            ("seed[]=a:1&tls=maybe", "tls=maybe", BOOL),
            ("seed[]=a:1&timeout=-1", "timeout=-1", NEGATIVE),
            ("seed[]=a:1&read_timeout=abc", "read_timeout=abc", SECONDS),
            ("seed[]=a:1&timout=1", "timout", UNKNOWN),
            ("tcp://h:6379", "tcp://h:6379", LOOKS_LIKE_ADDRESS),
            ("127.0.0.1:7000", "127.0.0.1:7000", LOOKS_LIKE_ADDRESS),
            ("seed[]=tls://a:1&tls=0", "seed[]=tls://a:1", TLS_CONFLICT),
            (
                "seed[]=a:1&stream[verify_peer]=0&tls=0",
                "stream[verify_peer]=0",
                TLS_CONFLICT,
            ),
            ("seed[]=tcp://a:1&tls=1", "seed[]=tcp://a:1", PLAIN_SEED_TLS),
            (
                "seed[]=tcp://a:1&seed[]=tls://b:1",
                "seed[]=tcp://a:1",
                PLAIN_SEED_TLS,
            ),
            (
                "seed[]=a:1&stream[ciphers]=x",
                "stream[ciphers]=x",
                STREAM_UNSUPPORTED,
            ),
            (
                "seed[]=a:1&stream[allow_self_signed]=true",
                "stream[allow_self_signed]=true",
                SELF_SIGNED,
            ),
            (
                "seed[]=a:1&stream[verify_peer_name]=off",
                "stream[verify_peer_name]=off",
                NAME_NEEDS_CAFILE,
            ),
            (
                "seed[]=a:1&auth[]=a&auth[]=b&auth[]=c",
                "auth[]=***",
                AUTH_ARITY,
            ),
            ("seed[]=a:1&auth[user]=u", "auth[user]=***", AUTH_NO_PASS),
            ("seed[]=a:1&auth=", "auth", EMPTY),
            (
                "seed[]=a:1&auth=top&secret",
                "auth=***&***",
                "unknown option (if it is part of the password, percent-encode & as %26)",
            ),
            ("seed[]=%ff:1", "seed[]=%ff:1", NOT_UTF8),
        ];
        for (input, part, why) in cases {
            let err = parse_cluster(input).expect_err(input);
            assert_eq!(
                (err.part.as_str(), err.reason.as_str()),
                (*part, *why),
                "{input:?}"
            );
        }
    }

    #[test]
    fn errors_never_show_a_password() {
        let secret = "Sup3rS3cret";
        let templates = [
            "h?auth=S&timout=1",
            "h?auth=S&auth[]=x",
            "h?auth[]=S&auth[]=S&auth[]=S",
            "h?auth[user]=S",
            "h?auth=S%ff",
            "h?auth=S&S",
            "h?auth=S&S=S",
            "h?auth=S&[S",
            "h?AUTH=S",
            "h?password=S",
            "tcp://user:S@h:1",
            "tcp://S@h:1",
            "seed[]=a:1&auth=S",
            "seed[]=a:1&auth=S&S",
            "seed[]=user:S@a:1",
            "h?auth=S,tcp://bad:x",
        ];
        for template in templates {
            let input = template.replace('S', secret);
            for result in [parse_standalone(&input).err(), parse_cluster(&input).err()]
                .into_iter()
                .flatten()
            {
                let shown = format!("{result} {result:?}");
                assert!(!shown.contains(secret), "{input:?} -> {shown}");
            }
        }
        // A password written as the field name (auth[<password>]) is not shown either.
        let err = parse_standalone(&format!("h?auth[{secret}]=x")).unwrap_err();
        assert!(!format!("{err} {err:?}").contains(secret));
        // Parsed credentials do not leak through Debug either.
        let path = parse_standalone(&format!("h?auth={secret}")).unwrap();
        assert!(!format!("{path:?}").contains(secret));
    }

    #[test]
    fn error_display() {
        let err = parse_cluster("seed[]=127.0.0.1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed session.save_path: 'seed[]=127.0.0.1' has no port"
        );
        let err = parse_cluster("").unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed session.save_path: needs at least one seed[]=host:port"
        );
    }

    #[test]
    fn garbage_never_panics() {
        let garbage = [
            "%",
            "%f",
            "%ff",
            "%%",
            "[",
            "]",
            "[]",
            "?",
            "??",
            "&&&",
            "=",
            "==",
            "&=&",
            "[]=",
            "a[",
            "a]",
            "a[]]",
            "a[[]]",
            ":",
            "::",
            ":::",
            "@",
            "@@",
            "/",
            "//",
            "///",
            "://",
            ":///",
            "unix:",
            "unix://",
            "unix:///",
            "tls://",
            "tls://[",
            "tls://]",
            "tcp://[::",
            "tcp://[]",
            "[::1]:",
            "[::1]:x",
            "\0",
            "\u{7f}",
            "é",
            "€://",
            "uni€:",
            "unix€",
            "[€]:1",
            "tcp://€:1",
            "seed[]=[",
            "seed[]=]:1",
            "seed[]=[::1",
            "seed[]=tls://",
            "seed[]=%",
            "seed[]=%e2%82",
            "auth[=",
            "auth]=",
            "auth[]",
            "auth[][]=x",
            "stream[]",
            "stream[[",
            "h?stream[x",
            "?&=?&",
            ",?,",
            "h?,",
            "h?a=%e2%82%ac",
            "seed[]=h:99999999999999999999999",
            "h?weight=99999999999999999999999",
            "h?timeout=1e999",
            "h?timeout=-1e999",
            "h?timeout=-0",
            "h?timeout=0x10",
            "h?database=-0",
            "h?retry_interval=+1",
        ];
        for input in garbage {
            // Only the absence of a panic is checked; the Display must render too.
            if let Err(e) = parse_standalone(input) {
                let _ = e.to_string();
            }
            if let Err(e) = parse_cluster(input) {
                let _ = e.to_string();
            }
        }
    }

    #[test]
    fn short_strings_never_panic() {
        // Every string of up to four characters over an alphabet of the troublesome ones.
        let alphabet: Vec<char> = "a1:/[]?&=%+@,#é ".chars().collect();
        let mut inputs = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..4 {
            level = level
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            inputs.extend(level.iter().cloned());
        }
        for input in &inputs {
            let _ = parse_standalone(input);
            let _ = parse_cluster(input);
            let _ = parse_cluster(&format!("seed[]={input}"));
            let _ = parse_standalone(&format!("h?{input}"));
        }
    }

    #[test]
    fn sentinel_paths() {
        let p = parse_sentinel(
            "sentinel[]=10.0.0.1:26379&sentinel[]=10.0.0.2:26380&sentinel[]=10.0.0.1:26379&service=mymaster&timeout=0.5&database=3&auth=dpw&sentinel_auth[user]=su&sentinel_auth[pass]=spw",
        )
        .unwrap();
        assert_eq!(
            p.sentinels,
            vec![
                ("10.0.0.1".to_string(), 26379),
                ("10.0.0.2".to_string(), 26380)
            ]
        );
        assert_eq!(p.service, "mymaster");
        assert_eq!(p.prefix, DEFAULT_PREFIX);
        assert_eq!(p.options.connect_timeout, ms(500));
        assert_eq!(p.options.database, 3);
        assert_eq!(p.options.auth, auth(None, "dpw"));
        assert_eq!(p.sentinel_options.auth, auth(Some("su"), "spw"));
        assert_eq!(p.sentinel_options.database, 0);
        assert_eq!(p.sentinel_options.connect_timeout, ms(500));
        let p = parse_sentinel("sentinel[]=h:1&service=m&sentinel_auth=only&tls=1").unwrap();
        assert_eq!(p.sentinel_options.auth, auth(None, "only"));
        assert!(p.options.tls.is_some() && p.sentinel_options.tls.is_some());
        assert_eq!(p.options.auth, None);

        for (input, part, why) in [
            ("service=m", "", reason::NO_SENTINEL),
            ("sentinel[]=h:1", "", reason::NO_SERVICE),
            ("sentinel[]=h:1&service=", "service=", reason::EMPTY),
            (
                "sentinel=h:1&service=m",
                "sentinel=h:1",
                reason::SENTINEL_FORM,
            ),
            ("sentinel[]=h&service=m", "sentinel[]=h", reason::NO_PORT),
            (
                "sentinel[]=h:1&service=m&weight=2",
                "weight=2",
                reason::NOT_SENTINEL,
            ),
            (
                "sentinel[]=h:1&service=m&seed[]=h:2",
                "seed[]=h:2",
                reason::NOT_SENTINEL,
            ),
            (
                "sentinel[]=h:1&service=m&sentinel_auth[x]=pw",
                "sentinel_auth[...]=***",
                reason::AUTH_FIELD,
            ),
            (
                "sentinel[]=h:1&service=m&sentinel_auth[user]=u",
                "sentinel_auth[user]=***",
                reason::AUTH_NO_PASS,
            ),
            (
                "sentinel[]=h:1&service=m&sentinel_auth=pw&sentinel_auth[]=x",
                "sentinel_auth[]=***",
                reason::AUTH_MIXED,
            ),
        ] {
            let e = parse_sentinel(input).unwrap_err();
            assert_eq!((e.part.as_str(), e.reason.as_str()), (part, why), "{input}");
        }
        // The sentinel options, given to the other handlers, say which handler takes them.
        let e = parse_cluster("seed[]=h:1&service=m").unwrap_err();
        assert_eq!(e.reason, reason::ONLY_SENTINEL);
        let e = parse_standalone("tcp://h:1?sentinel_auth=pw").unwrap_err();
        assert_eq!(
            (e.part.as_str(), e.reason.as_str()),
            ("sentinel_auth=***", reason::ONLY_SENTINEL)
        );
    }

    #[test]
    fn sentinel_passwords_are_secret_spans() {
        for (path, hidden) in [
            ("sentinel[]=h:1&service=m&sentinel_auth=Secret1", vec!["Secret1"]),
            (
                "sentinel[]=h:1&service=m&sentinel_auth[]=user&sentinel_auth[]=Secret1&auth=Secret2",
                vec!["user", "Secret1", "Secret2"],
            ),
            (
                "sentinel[]=h:1&service=m&sentinel_auth[user]=u&sentinel_auth[pass]=Secret1",
                vec!["Secret1"],
            ),
            // A raw & in the password: everything after it is hidden too.
            ("sentinel[]=h:1&service=m&sentinel_auth=Sec&ret1", vec!["Sec", "ret1"]),
        ] {
            let shown = crate::redact::redact_save_path(path).expect("something hidden");
            for h in hidden {
                assert!(!shown.contains(h), "{path} -> {shown}");
            }
            assert!(shown.contains("service=m"), "{shown}");
        }
    }
}
