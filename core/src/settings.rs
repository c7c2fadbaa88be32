//! The `redis.session.*` settings: names, defaults, validation, and the typed values a request uses.

use std::time::Duration;

use crate::codec::{CodecId, Compression, MAX_THRESHOLD};

/// One INI setting: its name, default, and a one-line meaning (shown by `php --ri`).
#[derive(Debug, Clone, Copy)]
pub struct SettingDef {
    pub name: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
    /// The phpredis version that added the name (None: ours only).
    pub since: Option<&'static str>,
    /// Checks a new value; Err(reason) rejects it and the old value stays.
    pub validate: fn(&str) -> Result<(), String>,
}

pub const LOCKING_ENABLED: &str = "redis.session.locking_enabled";
pub const LOCK_EXPIRE: &str = "redis.session.lock_expire";
pub const LOCK_WAIT_TIME: &str = "redis.session.lock_wait_time";
pub const LOCK_RETRIES: &str = "redis.session.lock_retries";
pub const LOCK_RELEASE_CMD: &str = "redis.session.lock_release_cmd";
pub const LOCK_FAILURE_READONLY: &str = "redis.session.lock_failure_readonly";
pub const EARLY_REFRESH: &str = "redis.session.early_refresh";
pub const COMPRESSION: &str = "redis.session.compression";
pub const COMPRESSION_THRESHOLD: &str = "redis.session.compression_threshold";
pub const COMPRESSION_LEVEL: &str = "redis.session.compression_level";
pub const MAX_SIZE: &str = "redis.session.max_size";
pub const WRITE_FAILURE: &str = "redis.session.write_failure";

/// phpredis's own meaning of `0` for the wait and the attempts.
pub const PHPREDIS_WAIT_US: i64 = 20_000;
pub const PHPREDIS_RETRIES: i64 = 100;

// Settings phpredis has (`since` is the phpredis version that added the name) accept every
// value, as phpredis does, and mean what phpredis makes of it; a value phpredis itself
// misreads (text that is not a plain number, a name it does not know) is used the way
// phpredis reads it and warned about at session_start(). Our own settings are validated on set.

/// Every setting we read, in the order `php --ri` shows them.
pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        name: LOCKING_ENABLED,
        default: "0",
        meaning: "take a lock per session for the whole request",
        since: Some("3.1"),
        validate: accept,
    },
    SettingDef {
        name: LOCK_EXPIRE,
        default: "0",
        meaning: "lock TTL in seconds; 0 (or negative) = max_execution_time, or 30 when that is 0 too",
        since: Some("3.1"),
        validate: accept,
    },
    SettingDef {
        name: LOCK_WAIT_TIME,
        default: "20000",
        meaning: "microseconds between lock attempts; 0 = 20000",
        since: Some("3.1"),
        validate: accept,
    },
    SettingDef {
        name: LOCK_RETRIES,
        default: "100",
        meaning: "lock attempts; 0 = 100; -1 (any negative) = until the lock TTL runs out",
        since: Some("3.1"),
        validate: accept,
    },
    SettingDef {
        name: LOCK_RELEASE_CMD,
        default: "eval",
        meaning: "eval (a Lua script, every server), delifeq (Valkey 9+) or delex (Redis 8.4+); any case",
        since: Some("6.3"),
        validate: accept,
    },
    SettingDef {
        name: LOCK_FAILURE_READONLY,
        default: "0",
        meaning: "when the lock is not had in time: 1 = read the session anyway, refuse its writes",
        since: Some("6.3"),
        validate: accept,
    },
    SettingDef {
        name: EARLY_REFRESH,
        default: "0",
        meaning: "refresh the session TTL as it is read; no separate refresh at close",
        since: Some("6.0"),
        validate: accept,
    },
    SettingDef {
        name: COMPRESSION,
        default: "none",
        meaning: "codec for new writes: none, lzf, lz4, zstd (as phpredis), gzip, snappy (every stored value reads whatever is set)",
        since: Some("6.1"),
        validate: accept,
    },
    SettingDef {
        name: COMPRESSION_THRESHOLD,
        default: "2048",
        meaning: "bytes: smaller session values are stored uncompressed",
        since: None,
        validate: validate_threshold,
    },
    SettingDef {
        name: COMPRESSION_LEVEL,
        default: "3",
        meaning: "codec level: zstd 1-22, gzip 1-9; below 1 = the codec's default (zstd 3, gzip 6), above the top = the top; lz4, snappy, lzf have none",
        since: Some("6.1"),
        validate: accept,
    },
    SettingDef {
        name: MAX_SIZE,
        default: "67108864",
        meaning: "bytes (or with K/M/G): largest session read, stored or decoded; 0 = unlimited",
        since: None,
        validate: validate_max_size,
    },
    SettingDef {
        name: WRITE_FAILURE,
        default: "warning",
        meaning: "a session write that finally failed: warning (PHP's own behaviour: session_write_close() still returns true) or exception (a RedisSessionException the application sees)",
        since: None,
        validate: validate_write_failure,
    },
];

fn validate_write_failure(v: &str) -> Result<(), String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "warning" | "exception" => Ok(()),
        _ => Err("must be warning or exception".to_string()),
    }
}

/// Default `redis.session.max_size`: 64 MiB, far above any real session.
pub const DEFAULT_MAX_SIZE: usize = 64 * 1024 * 1024;

/// Lock TTL used when neither lock_expire nor max_execution_time sets one: never an immortal lock.
pub const DEFAULT_LOCK_TTL: Duration = Duration::from_secs(30);

/// How a held lock is released when the session is closed without a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReleaseCmd {
    /// A Lua compare-and-delete script (works everywhere).
    #[default]
    Lua,
    /// `DELIFEQ key token` (Valkey 9+).
    DelIfEq,
    /// `DELEX key IFEQ token` (Redis 8.4+).
    DelEx,
}

impl ReleaseCmd {
    pub fn name(self) -> &'static str {
        match self {
            ReleaseCmd::Lua => "Lua",
            ReleaseCmd::DelIfEq => "DELIFEQ",
            ReleaseCmd::DelEx => "DELEX",
        }
    }
}

/// The typed settings one request runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub locking_enabled: bool,
    /// Lock TTL, already resolved (never zero).
    pub lock_ttl: Duration,
    pub lock_wait_time: Duration,
    /// None = until the lock TTL runs out (`-1`).
    pub lock_retries: Option<u32>,
    pub lock_release_cmd: ReleaseCmd,
    /// A lock not had in time gives a read-only session instead of a failed start.
    pub lock_failure_readonly: bool,
    /// The read refreshes the session TTL; an unchanged session is not touched at close.
    pub early_refresh: bool,
    /// Codec, level and threshold for new writes (reads decode whatever is stored).
    pub compression: Compression,
    /// Largest session in bytes, as stored and as decoded; 0 = unlimited.
    pub max_size: usize,
    /// A write that finally failed throws an exception the application sees (else a warning).
    pub write_failure_exception: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            locking_enabled: false,
            lock_ttl: DEFAULT_LOCK_TTL,
            lock_wait_time: Duration::from_micros(PHPREDIS_WAIT_US as u64),
            lock_retries: Some(PHPREDIS_RETRIES as u32),
            lock_release_cmd: ReleaseCmd::Lua,
            lock_failure_readonly: false,
            early_refresh: false,
            compression: Compression::default(),
            max_size: DEFAULT_MAX_SIZE,
            write_failure_exception: false,
        }
    }
}

/// Reads raw INI values the way phpredis reads them, collecting warnings for misread ones.
struct Reader<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
    warnings: Vec<String>,
    /// Numbers given as text: (name, raw, read as), told once the meaning in force is known.
    misread: Vec<(&'static str, String, i64)>,
}

impl Reader<'_> {
    /// The raw value (a name nobody registered reads as its default).
    fn raw(&self, name: &str) -> String {
        (self.get)(name).unwrap_or_else(|| {
            SETTINGS
                .iter()
                .find(|d| d.name == name)
                .map_or_else(String::new, |d| d.default.to_string())
        })
    }

    /// A number as phpredis reads it (`zend_ini_long`); text that is not a plain decimal
    /// number is read the same way and warned about.
    fn long(&mut self, name: &'static str) -> i64 {
        let raw = self.raw(name);
        let n = phpredis_long(&raw);
        if !is_plain_int(&raw) {
            self.misread.push((name, raw, n));
        }
        n
    }

    /// A switch: 0/1 or any number (non-zero = on) as phpredis reads it; PHP's words
    /// (On/Off, yes/no, true/false) as PHP's php.ini parser reads them, with a warning
    /// where phpredis would read them differently (it reads every word as 0, i.e. off).
    fn flag(&mut self, name: &'static str) -> bool {
        let raw = self.raw(name);
        match parse_bool(&raw) {
            Some(on) if is_plain_int(&raw) => on,
            Some(on) => {
                if on {
                    self.warnings
                        .push(crate::messages::misread_switch(name, &raw));
                }
                on
            }
            None => self.long(name) != 0,
        }
    }

    fn codec(&mut self) -> CodecId {
        let raw = self.raw(COMPRESSION);
        if let Some(c) = CodecId::parse(&raw) {
            return c;
        }
        let (codec, known) = phpredis_codec(&raw);
        self.warnings.push(crate::messages::misread_choice(
            COMPRESSION,
            &raw,
            codec.name(),
            known,
        ));
        codec
    }

    fn release_cmd(&mut self) -> ReleaseCmd {
        let raw = self.raw(LOCK_RELEASE_CMD);
        if let Some(c) = parse_release_cmd(&raw) {
            return c;
        }
        let t = raw.trim().to_ascii_lowercase();
        let (cmd, shown, known) = if t.starts_with("delex") {
            (ReleaseCmd::DelEx, "delex", true)
        } else if t.starts_with("delifeq") {
            (ReleaseCmd::DelIfEq, "delifeq", true)
        } else {
            (ReleaseCmd::Lua, "eval", false)
        };
        self.warnings.push(crate::messages::misread_choice(
            LOCK_RELEASE_CMD,
            &raw,
            shown,
            known,
        ));
        cmd
    }
}

impl Settings {
    /// Builds settings from raw INI strings (`get(name)`; None = not registered: its default)
    /// and PHP's max_execution_time, reading each value with phpredis's meaning. Values
    /// phpredis would misread yield warnings (see the comment above SETTINGS).
    pub fn from_ini(
        get: impl Fn(&str) -> Option<String>,
        max_execution_time: i64,
    ) -> (Settings, Vec<String>) {
        let mut r = Reader {
            get: &get,
            warnings: Vec::new(),
            misread: Vec::new(),
        };
        let locking_enabled = r.flag(LOCKING_ENABLED);
        let lock_ttl = resolve_lock_ttl(r.long(LOCK_EXPIRE), max_execution_time);
        let wait = match r.long(LOCK_WAIT_TIME) {
            0 => PHPREDIS_WAIT_US,
            n if n < 0 => {
                r.warnings.push(crate::messages::negative_wait(
                    LOCK_WAIT_TIME,
                    n,
                    PHPREDIS_WAIT_US,
                ));
                PHPREDIS_WAIT_US
            }
            n => n,
        };
        let lock_retries = match r.long(LOCK_RETRIES) {
            0 => Some(PHPREDIS_RETRIES as u32),
            n if n < 0 => None,
            n => Some(u32::try_from(n).unwrap_or(u32::MAX)),
        };
        let lock_release_cmd = r.release_cmd();
        let lock_failure_readonly = r.flag(LOCK_FAILURE_READONLY);
        let early_refresh = r.flag(EARLY_REFRESH);
        let mut compression = Compression {
            codec: r.codec(),
            ..Compression::default()
        };
        // Ours: validated on set; a value that slipped through (phpredis owns no such name).
        let threshold = r.raw(COMPRESSION_THRESHOLD);
        match validate_threshold(&threshold) {
            Ok(()) => compression.threshold = parse_int(&threshold).unwrap_or(0) as usize,
            Err(reason) => r.warnings.push(crate::messages::bad_setting(
                COMPRESSION_THRESHOLD,
                &threshold,
                &reason,
            )),
        }
        compression.level = resolve_level(compression.codec, r.long(COMPRESSION_LEVEL));
        // Ours: validated on set; a value that slipped through keeps the default.
        let max_size_raw = r.raw(MAX_SIZE);
        let max_size = parse_size(&max_size_raw).unwrap_or_else(|| {
            let reason = validate_max_size(&max_size_raw).err().unwrap_or_default();
            r.warnings.push(crate::messages::bad_setting(
                MAX_SIZE,
                &max_size_raw,
                &reason,
            ));
            DEFAULT_MAX_SIZE
        });
        let write_failure_raw = r.raw(WRITE_FAILURE);
        let write_failure_exception = match validate_write_failure(&write_failure_raw) {
            Ok(()) => write_failure_raw.trim().eq_ignore_ascii_case("exception"),
            Err(reason) => {
                r.warnings.push(crate::messages::bad_setting(
                    WRITE_FAILURE,
                    &write_failure_raw,
                    &reason,
                ));
                false
            }
        };
        let s = Settings {
            locking_enabled,
            lock_ttl,
            lock_wait_time: Duration::from_micros(wait as u64),
            lock_retries,
            lock_release_cmd,
            lock_failure_readonly,
            early_refresh,
            compression,
            max_size,
            write_failure_exception,
        };
        let mut warnings = r.warnings;
        for (name, raw, n) in r.misread {
            warnings.push(crate::messages::misread_number(
                name,
                &raw,
                n,
                &s.in_force(name),
            ));
        }
        (s, warnings)
    }

    /// The longest a request waits for a lock before giving up.
    pub fn lock_wait_budget(&self) -> Duration {
        match self.lock_retries {
            None => self.lock_ttl,
            Some(n) => self.lock_wait_time.saturating_mul(n),
        }
    }

    /// What a setting means in force (for `php --ri`), e.g. `20000 us`.
    pub fn in_force(&self, name: &str) -> String {
        let on = |b: bool| if b { "on" } else { "off" }.to_string();
        match name {
            LOCKING_ENABLED => on(self.locking_enabled),
            LOCK_EXPIRE => format!("lock TTL {} s", self.lock_ttl.as_secs()),
            LOCK_WAIT_TIME => format!("{} us", self.lock_wait_time.as_micros()),
            LOCK_RETRIES => match self.lock_retries {
                Some(n) => format!(
                    "{n} attempts, at most {} ms",
                    self.lock_wait_budget().as_millis()
                ),
                None => format!(
                    "until the lock TTL ({} s) runs out",
                    self.lock_ttl.as_secs()
                ),
            },
            LOCK_RELEASE_CMD => match self.lock_release_cmd {
                ReleaseCmd::Lua => "Lua script (eval)".to_string(),
                c => c.name().to_string(),
            },
            LOCK_FAILURE_READONLY => on(self.lock_failure_readonly),
            EARLY_REFRESH => on(self.early_refresh),
            COMPRESSION => self.compression.codec.name().to_string(),
            COMPRESSION_THRESHOLD => format!("{} bytes", self.compression.threshold),
            COMPRESSION_LEVEL => match self.compression.effective_level() {
                Some(l) => format!("{} level {l}", self.compression.codec.name()),
                None => format!("not used by {}", self.compression.codec.name()),
            },
            WRITE_FAILURE => {
                if self.write_failure_exception {
                    "exception".to_string()
                } else {
                    "warning".to_string()
                }
            }
            MAX_SIZE => match self.max_size {
                0 => "unlimited".to_string(),
                n => format!("{n} bytes"),
            },
            _ => String::new(),
        }
    }
}

/// lock_expire if positive, else max_execution_time, else DEFAULT_LOCK_TTL. (phpredis takes
/// a negative lock_expire, or 0 with max_execution_time 0, as a lock that never expires.)
pub fn resolve_lock_ttl(lock_expire: i64, max_execution_time: i64) -> Duration {
    /// About 68 years: any larger TTL means the same, and fits every server's PX.
    const MAX_SECS: i64 = i32::MAX as i64;
    if lock_expire > 0 {
        Duration::from_secs(lock_expire.min(MAX_SECS) as u64)
    } else if max_execution_time > 0 {
        Duration::from_secs(max_execution_time.min(MAX_SECS) as u64)
    } else {
        DEFAULT_LOCK_TTL
    }
}

/// compression_level as phpredis applies it to zstd: below 1 the codec's default, above the
/// top the top. gzip follows the same rule; codecs without levels ignore it.
pub fn resolve_level(codec: CodecId, level: i64) -> Option<i32> {
    let range = codec.levels()?;
    Some(if level < 1 {
        range.default
    } else {
        level.min(i64::from(range.max)) as i32
    })
}

/// PHP's boolean INI spellings (zend_ini_long reads "On" as 0, so we parse ourselves).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "on" | "yes" | "true" => Some(true),
        "0" | "off" | "no" | "false" | "none" | "" => Some(false),
        _ => None,
    }
}

/// A string read as C's `strtol(v, NULL, 0)` reads it, which is how phpredis reads every
/// redis.session.* number (`zend_ini_long`): leading whitespace, a sign, then `0x` hex,
/// `0` octal or decimal digits, up to the first other character; out of range saturates.
pub fn phpredis_long(v: &str) -> i64 {
    let t = v.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let b = t.as_bytes();
    let (radix, digits) =
        if b.len() > 2 && b[0] == b'0' && (b[1] | 0x20) == b'x' && b[2].is_ascii_hexdigit() {
            (16, &t[2..])
        } else if b.first() == Some(&b'0') {
            (8, t)
        } else {
            (10, t)
        };
    let end = digits
        .bytes()
        .position(|c| !(c as char).is_digit(radix))
        .unwrap_or(digits.len());
    let n =
        i128::from_str_radix(&digits[..end], radix).unwrap_or(if end > 0 { i128::MAX } else { 0 });
    let n = if neg { -n } else { n };
    n.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Empty, or a decimal integer without leading zeros: phpredis and a reader agree on it.
pub fn is_plain_int(v: &str) -> bool {
    let t = v.trim();
    let d = t.strip_prefix(['-', '+']).unwrap_or(t);
    t.is_empty()
        || (!d.is_empty()
            && d.bytes().all(|b| b.is_ascii_digit())
            && (d == "0" || !d.starts_with('0')))
}

/// The codec phpredis picks for a compression value it does not spell exactly: it compares
/// only the first letters (`lz4hc` is lz4); anything else is none. Returns (codec, whether
/// phpredis recognised it).
fn phpredis_codec(v: &str) -> (CodecId, bool) {
    let t = v.to_ascii_lowercase();
    for (prefix, codec) in [
        ("none", CodecId::None),
        ("lzf", CodecId::Lzf),
        ("zstd", CodecId::Zstd),
        ("lz4", CodecId::Lz4),
    ] {
        if t.starts_with(prefix) {
            return (codec, true);
        }
    }
    (CodecId::None, false)
}

/// A string read as PHP's zval_get_long() reads it: leading whitespace, an optional sign and
/// the leading digits ("1" -> 1, "1.9" -> 1, " 7x" -> 7, "yes" -> 0).
pub fn leading_integer(v: &str) -> i64 {
    let t = v.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    let n = digits[..end]
        .parse::<i64>()
        .unwrap_or(if end > 0 { i64::MAX } else { 0 });
    if neg {
        -n
    } else {
        n
    }
}

/// A decimal integer (optionally signed, surrounding whitespace allowed).
pub fn parse_int(v: &str) -> Option<i64> {
    v.trim().parse::<i64>().ok()
}

/// The release command for a value spelled exactly (any case): eval/lua/empty, delifeq, delex.
pub fn parse_release_cmd(v: &str) -> Option<ReleaseCmd> {
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "lua" | "eval" => Some(ReleaseCmd::Lua),
        "delifeq" => Some(ReleaseCmd::DelIfEq),
        "delex" => Some(ReleaseCmd::DelEx),
        _ => None,
    }
}

/// phpredis's settings take every value (see SETTINGS).
fn accept(_: &str) -> Result<(), String> {
    Ok(())
}

fn int_in(v: &str, min: i64, max: i64, what: &str) -> Result<(), String> {
    match parse_int(v) {
        Some(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(format!("expects {what} ({min} to {max})")),
    }
}

fn validate_threshold(v: &str) -> Result<(), String> {
    int_in(v, 0, MAX_THRESHOLD as i64, "a number of bytes")
}

/// Largest `max_size`: the stored format's length field is 32 bits.
const MAX_MAX_SIZE: u64 = u32::MAX as u64;

/// `max_size`: bytes, optionally with a K, M or G suffix (x1024, as PHP's INI shorthand).
pub fn parse_size(v: &str) -> Option<usize> {
    let t = v.trim();
    let (num, mult) = match t.as_bytes().last() {
        Some(b'k' | b'K') => (&t[..t.len() - 1], 1u64 << 10),
        Some(b'm' | b'M') => (&t[..t.len() - 1], 1 << 20),
        Some(b'g' | b'G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let n = num.trim().parse::<u64>().ok()?.checked_mul(mult)?;
    (n <= MAX_MAX_SIZE).then_some(n as usize)
}

fn validate_max_size(v: &str) -> Result<(), String> {
    parse_size(v).map(|_| ()).ok_or_else(|| {
        "expects 0 (unlimited) or a number of bytes up to 4G, e.g. 67108864 or 64M".into()
    })
}

/// Validates `value` for the setting `name`; unknown names are accepted.
pub fn validate(name: &str, value: &str) -> Result<(), String> {
    match SETTINGS.iter().find(|d| d.name == name) {
        Some(def) => (def.validate)(value),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::DEFAULT_THRESHOLD;
    use std::collections::HashMap;

    #[test]
    fn leading_integers_read_like_php() {
        for (v, n) in [
            ("1", 1),
            ("0", 0),
            ("", 0),
            ("yes", 0),
            ("1.9", 1),
            (" 7x", 7),
            ("-3", -3),
            ("+2", 2),
            ("99999999999999999999", i64::MAX),
        ] {
            assert_eq!(leading_integer(v), n, "{v:?}");
        }
    }

    fn settings(pairs: &[(&str, &str)], met: i64) -> (Settings, Vec<String>) {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_ini(|n| map.get(n).cloned(), met)
    }

    #[test]
    fn booleans_in_every_php_spelling() {
        for (v, want) in [
            ("1", Some(true)),
            ("On", Some(true)),
            ("yes", Some(true)),
            ("TRUE", Some(true)),
            ("0", Some(false)),
            ("off", Some(false)),
            ("", Some(false)),
            ("maybe", None),
            ("2", None),
        ] {
            assert_eq!(parse_bool(v), want, "{v:?}");
        }
    }

    #[test]
    fn defaults_match_phpredis() {
        let (s, w) = settings(&[], 0);
        assert!(w.is_empty());
        assert!(!s.locking_enabled);
        assert_eq!(s.lock_wait_time, Duration::from_micros(20_000));
        assert_eq!(s.lock_retries, Some(100));
        assert_eq!(s.lock_release_cmd, ReleaseCmd::Lua);
        assert_eq!(s.lock_ttl, DEFAULT_LOCK_TTL);
        assert_eq!(s.compression.codec, CodecId::None);
        assert_eq!(s.compression.threshold, DEFAULT_THRESHOLD);
        assert_eq!(s.compression.level, None, "no codec, no level");
        assert!(!s.early_refresh && !s.lock_failure_readonly);
        for def in SETTINGS {
            assert!((def.validate)(def.default).is_ok(), "{}", def.name);
        }
    }

    #[test]
    fn lock_ttl_is_never_unbounded() {
        assert_eq!(resolve_lock_ttl(0, 0), DEFAULT_LOCK_TTL);
        assert_eq!(resolve_lock_ttl(0, 45), Duration::from_secs(45));
        assert_eq!(resolve_lock_ttl(7, 45), Duration::from_secs(7));
        assert_eq!(resolve_lock_ttl(-3, 0), DEFAULT_LOCK_TTL);
    }

    #[test]
    fn wait_budget_is_retries_times_wait_or_ttl() {
        let (s, _) = settings(
            &[
                (LOCK_RETRIES, "10"),
                (LOCK_WAIT_TIME, "5000"),
                (LOCK_EXPIRE, "3"),
            ],
            0,
        );
        assert_eq!(s.lock_wait_budget(), Duration::from_millis(50));
        let (s, _) = settings(&[(LOCK_RETRIES, "-1"), (LOCK_EXPIRE, "3")], 0);
        assert_eq!(s.lock_retries, None);
        assert_eq!(s.lock_wait_budget(), Duration::from_secs(3));
    }

    #[test]
    fn release_cmd_is_case_insensitive_and_checked() {
        assert_eq!(parse_release_cmd("delifeq"), Some(ReleaseCmd::DelIfEq));
        assert_eq!(parse_release_cmd("DelEx"), Some(ReleaseCmd::DelEx));
        assert_eq!(parse_release_cmd(""), Some(ReleaseCmd::Lua));
        assert_eq!(parse_release_cmd("DEL"), None);
        let (s, w) = settings(&[(LOCK_RELEASE_CMD, "unlink")], 0);
        assert_eq!(s.lock_release_cmd, ReleaseCmd::Lua);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains(LOCK_RELEASE_CMD), "{}", w[0]);
    }

    #[test]
    fn bad_values_warn_and_keep_defaults() {
        let (s, w) = settings(
            &[
                (LOCKING_ENABLED, "sure"),
                (LOCK_WAIT_TIME, "-5"),
                (LOCK_RETRIES, "x"),
            ],
            0,
        );
        assert_eq!(s, Settings::default());
        assert_eq!(w.len(), 3);
    }

    #[test]
    fn only_our_own_settings_are_validated_on_set() {
        for def in SETTINGS {
            assert_eq!(
                def.since.is_some(),
                (def.validate)("nonsense").is_ok(),
                "{}",
                def.name
            );
        }
        assert!(validate(LOCK_WAIT_TIME, "0").is_ok());
        assert!(validate(COMPRESSION, "brotli").is_ok());
        assert!(validate(COMPRESSION_THRESHOLD, "-1").is_err());
        assert!(validate("redis.session.unknown", "x").is_ok());
    }
}

#[cfg(test)]
mod compression_tests {
    use super::*;
    use crate::codec::DEFAULT_THRESHOLD;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> (Settings, Vec<String>) {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_ini(|n| map.get(n).cloned(), 0)
    }

    #[test]
    fn codec_names_read_like_phpredis() {
        for (v, want) in [
            ("none", CodecId::None),
            ("", CodecId::None),
            ("gzip", CodecId::Gzip),
            ("LZ4", CodecId::Lz4),
            ("snappy", CodecId::Snappy),
            ("lzf", CodecId::Lzf),
            ("Zstd", CodecId::Zstd),
            (" lz4 ", CodecId::Lz4),
        ] {
            let (s, w) = settings(&[(COMPRESSION, v)]);
            assert_eq!((s.compression.codec, w.len()), (want, 0), "{v}");
        }
        // phpredis compares the first letters only: lz4hc is lz4, zstd19 is zstd (warned).
        for (v, want) in [
            ("lz4hc", CodecId::Lz4),
            ("zstd19", CodecId::Zstd),
            ("nonesuch", CodecId::None),
        ] {
            let (s, w) = settings(&[(COMPRESSION, v)]);
            assert_eq!(s.compression.codec, want, "{v}");
            assert_eq!(w.len(), 1, "{v}");
            assert!(
                w[0].contains(COMPRESSION) && w[0].contains(want.name()),
                "{}",
                w[0]
            );
        }
        // Unknown to phpredis: stored uncompressed there, and here.
        let (s, w) = settings(&[(COMPRESSION, "rar")]);
        assert_eq!(s.compression.codec, CodecId::None);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("not a known value"), "{}", w[0]);
    }

    #[test]
    fn threshold_is_bytes_from_zero_to_512_mib() {
        for ok in ["0", "1", "2048", "536870912"] {
            assert!(validate(COMPRESSION_THRESHOLD, ok).is_ok(), "{ok}");
        }
        for bad in ["-1", "536870913", "2k", "", "x"] {
            assert!(validate(COMPRESSION_THRESHOLD, bad).is_err(), "{bad}");
        }
        let (s, w) = settings(&[(COMPRESSION_THRESHOLD, "100")]);
        assert!(w.is_empty());
        assert_eq!(s.compression.threshold, 100);
        let (s, w) = settings(&[(COMPRESSION_THRESHOLD, "-5")]);
        assert_eq!(s.compression.threshold, DEFAULT_THRESHOLD);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn level_reads_like_phpredis_zstd_level() {
        let level = |codec: &str, level: &str| {
            let (s, w) = settings(&[(COMPRESSION, codec), (COMPRESSION_LEVEL, level)]);
            (s.compression.effective_level(), w.len())
        };
        // Below 1: the codec's default; above the top: the top (phpredis clamps zstd so).
        assert_eq!(level("zstd", "3"), (Some(3), 0));
        assert_eq!(level("zstd", "19"), (Some(19), 0));
        assert_eq!(level("zstd", "0"), (Some(3), 0));
        assert_eq!(level("zstd", "-5"), (Some(3), 0));
        assert_eq!(level("zstd", "99"), (Some(22), 0));
        assert_eq!(level("gzip", "9"), (Some(9), 0));
        assert_eq!(level("gzip", "15"), (Some(9), 0));
        assert_eq!(level("gzip", ""), (Some(6), 0));
        assert_eq!(level("gzip", "0"), (Some(6), 0));
        // Text: read as phpredis reads it, with a warning.
        assert_eq!(level("zstd", "fast"), (Some(3), 1));
        assert_eq!(level("zstd", "7x"), (Some(7), 1));
        // codecs without levels ignore it quietly (phpredis's lz4 levels select LZ4HC)
        for codec in ["lz4", "snappy", "lzf", "none"] {
            assert_eq!(level(codec, "9"), (None, 0), "{codec}");
        }
    }
}

#[cfg(test)]
mod phpredis_compat_tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> (Settings, Vec<String>) {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_ini(|n| map.get(n).cloned(), 0)
    }

    #[test]
    fn zero_means_phpredis_default_silently() {
        let (s, w) = settings(&[(LOCK_WAIT_TIME, "0"), (LOCK_RETRIES, "0")]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.lock_wait_time, Duration::from_micros(20_000));
        assert_eq!(s.lock_retries, Some(100));
        let (s, w) = settings(&[(LOCK_EXPIRE, "0")]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.lock_ttl, DEFAULT_LOCK_TTL);
    }

    #[test]
    fn every_number_phpredis_takes_is_taken_silently() {
        let (s, w) = settings(&[
            (LOCK_WAIT_TIME, "50000000"),
            (LOCK_RETRIES, "-7"),
            (LOCK_EXPIRE, "-1"),
            (LOCKING_ENABLED, "2"),
            (EARLY_REFRESH, "1"),
            (LOCK_FAILURE_READONLY, "1"),
        ]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.lock_wait_time, Duration::from_secs(50));
        assert_eq!(s.lock_retries, None, "any negative: until the lock TTL");
        assert_eq!(s.lock_ttl, DEFAULT_LOCK_TTL, "never an immortal lock");
        assert!(s.locking_enabled && s.early_refresh && s.lock_failure_readonly);
        let (s, w) = settings(&[(LOCK_EXPIRE, "99999999999")]);
        assert!(w.is_empty());
        assert_eq!(s.lock_ttl, Duration::from_secs(i32::MAX as u64));
    }

    #[test]
    fn text_is_read_like_strtol_and_warned_about() {
        for (v, n) in [
            ("12", 12),
            (" 12 ", 12),
            ("-1", -1),
            ("+3", 3),
            ("", 0),
            ("10ms", 10),
            ("1.9", 1),
            ("0x10", 16),
            ("010", 8),
            ("09", 0),
            ("0x", 0),
            ("abc", 0),
            ("99999999999999999999", i64::MAX),
            ("-99999999999999999999", i64::MIN),
        ] {
            assert_eq!(phpredis_long(v), n, "{v:?}");
        }
        for (v, plain) in [
            ("12", true),
            (" 12 ", true),
            ("", true),
            ("0", true),
            ("-1", true),
            ("010", false),
            ("0x10", false),
            ("10ms", false),
            ("1.5", false),
        ] {
            assert_eq!(is_plain_int(v), plain, "{v:?}");
        }
        let (s, w) = settings(&[(LOCK_WAIT_TIME, "5ms")]);
        assert_eq!(s.lock_wait_time, Duration::from_micros(5));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains(LOCK_WAIT_TIME) && w[0].contains("phpredis reads it as 5"),
            "{}",
            w[0]
        );
        let (s, w) = settings(&[(LOCK_RETRIES, "lots")]);
        assert_eq!(s.lock_retries, Some(100), "read as 0, i.e. the default");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn switches_take_php_words_and_warn_where_phpredis_reads_them_as_off() {
        for (v, on, warned) in [
            ("1", true, false),
            ("0", false, false),
            ("", false, false),
            ("Off", false, false),
            ("no", false, false),
            ("On", true, true),
            ("yes", true, true),
            ("TRUE", true, true),
            ("maybe", false, true),
            ("3", true, false),
        ] {
            let (s, w) = settings(&[(LOCKING_ENABLED, v), (EARLY_REFRESH, v)]);
            assert_eq!(s.locking_enabled, on, "{v:?}");
            assert_eq!(s.early_refresh, on, "{v:?}");
            assert_eq!(w.len(), if warned { 2 } else { 0 }, "{v:?}: {w:?}");
        }
        let (_, w) = settings(&[(LOCKING_ENABLED, "On")]);
        assert!(w[0].contains("phpredis reads it as 0 (off)"), "{}", w[0]);
    }

    #[test]
    fn release_cmd_takes_phpredis_values() {
        for (v, want, warned) in [
            ("eval", ReleaseCmd::Lua, false),
            ("EVAL", ReleaseCmd::Lua, false),
            ("", ReleaseCmd::Lua, false),
            ("lua", ReleaseCmd::Lua, false),
            ("delex", ReleaseCmd::DelEx, false),
            ("DelIfEq", ReleaseCmd::DelIfEq, false),
            ("delexx", ReleaseCmd::DelEx, true),
            ("unlink", ReleaseCmd::Lua, true),
        ] {
            let (s, w) = settings(&[(LOCK_RELEASE_CMD, v)]);
            assert_eq!(s.lock_release_cmd, want, "{v}");
            assert_eq!(w.len(), usize::from(warned), "{v}: {w:?}");
        }
    }

    #[test]
    fn negative_wait_is_the_one_number_refused() {
        let (s, w) = settings(&[(LOCK_WAIT_TIME, "-5")]);
        assert_eq!(s.lock_wait_time, Duration::from_micros(20_000));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("71 minutes"), "{}", w[0]);
    }

    #[test]
    fn in_force_says_what_each_setting_means() {
        let (s, _) = settings(&[(LOCK_WAIT_TIME, "0"), (LOCK_RETRIES, "-1")]);
        assert_eq!(s.in_force(LOCK_WAIT_TIME), "20000 us");
        assert_eq!(
            s.in_force(LOCK_RETRIES),
            "until the lock TTL (30 s) runs out"
        );
        assert_eq!(s.in_force(LOCK_RELEASE_CMD), "Lua script (eval)");
        assert_eq!(s.in_force(COMPRESSION_LEVEL), "not used by none");
        for def in SETTINGS {
            assert!(!s.in_force(def.name).is_empty(), "{}", def.name);
        }
    }
}

#[cfg(test)]
mod max_size_tests {
    use super::*;

    #[test]
    fn max_size_is_bytes_with_optional_suffix() {
        let table = [
            ("0", Some(0)),
            ("1", Some(1)),
            ("67108864", Some(DEFAULT_MAX_SIZE)),
            ("64M", Some(DEFAULT_MAX_SIZE)),
            (" 64m ", Some(DEFAULT_MAX_SIZE)),
            ("512k", Some(512 * 1024)),
            ("1G", Some(1 << 30)),
            ("4294967295", Some(u32::MAX as usize)),
            ("4G", None),
            ("-1", None),
            ("", None),
            ("64MB", None),
            ("x", None),
        ];
        for (v, want) in table {
            assert_eq!(parse_size(v), want, "{v:?}");
            assert_eq!(validate(MAX_SIZE, v).is_ok(), want.is_some(), "{v:?}");
        }
        let get = |v: &'static str| move |n: &str| (n == MAX_SIZE).then(|| v.to_string());
        assert_eq!(Settings::default().max_size, DEFAULT_MAX_SIZE);
        assert_eq!(Settings::from_ini(get("1M"), 0).0.max_size, 1 << 20);
        let (s, w) = Settings::from_ini(get("lots"), 0);
        assert_eq!(s.max_size, DEFAULT_MAX_SIZE);
        assert!(w[0].contains(MAX_SIZE), "{w:?}");
    }
}
