//! The `redis.session.*` settings: names, defaults, validation, and the typed values a request uses.

use std::time::Duration;

use crate::codec::{CodecId, Compression, MAX_THRESHOLD};

/// One INI setting: its name, default, and a one-line meaning (shown by `php --ri`).
#[derive(Debug, Clone, Copy)]
pub struct SettingDef {
    pub name: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
    /// Checks a new value; Err(reason) rejects it and the old value stays.
    pub validate: fn(&str) -> Result<(), String>,
}

pub const LOCKING_ENABLED: &str = "redis.session.locking_enabled";
pub const LOCK_EXPIRE: &str = "redis.session.lock_expire";
pub const LOCK_WAIT_TIME: &str = "redis.session.lock_wait_time";
pub const LOCK_RETRIES: &str = "redis.session.lock_retries";
pub const LOCK_RELEASE_CMD: &str = "redis.session.lock_release_cmd";
pub const COMPRESSION: &str = "redis.session.compression";
pub const COMPRESSION_THRESHOLD: &str = "redis.session.compression_threshold";
pub const COMPRESSION_LEVEL: &str = "redis.session.compression_level";
pub const MAX_SIZE: &str = "redis.session.max_size";

/// Every setting we read, in the order `php --ri` shows them.
pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        name: LOCKING_ENABLED,
        default: "0",
        meaning: "take a lock per session for the whole request",
        validate: validate_bool,
    },
    SettingDef {
        name: LOCK_EXPIRE,
        default: "0",
        meaning: "lock TTL in seconds; 0 = max_execution_time, or 30 when that is 0 too",
        validate: validate_lock_expire,
    },
    SettingDef {
        name: LOCK_WAIT_TIME,
        default: "20000",
        meaning: "microseconds between lock attempts",
        validate: validate_wait_time,
    },
    SettingDef {
        name: LOCK_RETRIES,
        default: "100",
        meaning: "lock attempts; -1 = until the lock TTL runs out",
        validate: validate_retries,
    },
    SettingDef {
        name: LOCK_RELEASE_CMD,
        default: "",
        meaning: "DELIFEQ (Valkey 9+), DELEX (Redis 8.4+), or empty for a Lua script",
        validate: validate_release_cmd,
    },
    SettingDef {
        name: COMPRESSION,
        default: "none",
        meaning: "codec for new writes: none, gzip, lz4, snappy, lzf or zstd (every stored value reads whatever is set)",
        validate: validate_compression,
    },
    SettingDef {
        name: COMPRESSION_THRESHOLD,
        default: "2048",
        meaning: "bytes: smaller session values are stored uncompressed",
        validate: validate_threshold,
    },
    SettingDef {
        name: COMPRESSION_LEVEL,
        default: "",
        meaning: "codec level: gzip 1-9 (default 6), zstd 1-22 (default 3); empty or 0 = the codec's default; lz4, snappy, lzf have none",
        validate: validate_level,
    },
    SettingDef {
        name: MAX_SIZE,
        default: "67108864",
        meaning: "bytes (or with K/M/G): largest session read, stored or decoded; 0 = unlimited",
        validate: validate_max_size,
    },
];

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
    /// Codec, level and threshold for new writes (reads decode whatever is stored).
    pub compression: Compression,
    /// Largest session in bytes, as stored and as decoded; 0 = unlimited.
    pub max_size: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            locking_enabled: false,
            lock_ttl: DEFAULT_LOCK_TTL,
            lock_wait_time: Duration::from_micros(20_000),
            lock_retries: Some(100),
            lock_release_cmd: ReleaseCmd::Lua,
            compression: Compression::default(),
            max_size: DEFAULT_MAX_SIZE,
        }
    }
}

impl Settings {
    /// Builds settings from raw INI strings (`get(name)`; None = not registered) and PHP's
    /// max_execution_time. A value that does not parse keeps its default and yields a warning.
    pub fn from_ini(
        get: impl Fn(&str) -> Option<String>,
        max_execution_time: i64,
    ) -> (Settings, Vec<String>) {
        let mut warnings = Vec::new();
        let mut s = Settings::default();
        let mut value = |name: &str| -> Option<String> {
            let raw = get(name)?;
            let def = SETTINGS.iter().find(|d| d.name == name)?;
            match (def.validate)(&raw) {
                Ok(()) => Some(raw),
                Err(reason) => {
                    warnings.push(crate::messages::bad_setting(name, &raw, &reason));
                    None
                }
            }
        };
        if let Some(v) = value(LOCKING_ENABLED) {
            s.locking_enabled = parse_bool(&v).unwrap_or(false);
        }
        let expire = value(LOCK_EXPIRE).and_then(|v| parse_int(&v)).unwrap_or(0);
        s.lock_ttl = resolve_lock_ttl(expire, max_execution_time);
        if let Some(v) = value(LOCK_WAIT_TIME).and_then(|v| parse_int(&v)) {
            s.lock_wait_time = Duration::from_micros(v as u64);
        }
        if let Some(v) = value(LOCK_RETRIES).and_then(|v| parse_int(&v)) {
            s.lock_retries = if v < 0 { None } else { Some(v as u32) };
        }
        if let Some(v) = value(LOCK_RELEASE_CMD) {
            s.lock_release_cmd = parse_release_cmd(&v).unwrap_or_default();
        }
        if let Some(v) = value(COMPRESSION) {
            s.compression.codec = CodecId::parse(&v).unwrap_or(CodecId::None);
        }
        if let Some(v) = value(COMPRESSION_THRESHOLD).and_then(|v| parse_int(&v)) {
            s.compression.threshold = v as usize;
        }
        if let Some(v) = value(MAX_SIZE).and_then(|v| parse_size(&v)) {
            s.max_size = v;
        }
        let level = value(COMPRESSION_LEVEL).and_then(|v| parse_level(&v));
        // A level is checked against the codec in force (ini_set checks each setting alone).
        if let (Some(l), Some(range)) = (level, s.compression.codec.levels()) {
            if (range.min..=range.max).contains(&l) {
                s.compression.level = Some(l);
            } else {
                warnings.push(crate::messages::level_out_of_range(
                    COMPRESSION_LEVEL,
                    l,
                    s.compression.codec.name(),
                    range.min,
                    range.max,
                    range.default,
                ));
            }
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
}

/// lock_expire if set, else max_execution_time, else DEFAULT_LOCK_TTL.
pub fn resolve_lock_ttl(lock_expire: i64, max_execution_time: i64) -> Duration {
    if lock_expire > 0 {
        Duration::from_secs(lock_expire as u64)
    } else if max_execution_time > 0 {
        Duration::from_secs(max_execution_time as u64)
    } else {
        DEFAULT_LOCK_TTL
    }
}

/// PHP's boolean INI spellings (zend_ini_long reads "On" as 0, so we parse ourselves).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "on" | "yes" | "true" => Some(true),
        "0" | "off" | "no" | "false" | "none" | "" => Some(false),
        _ => None,
    }
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

pub fn parse_release_cmd(v: &str) -> Option<ReleaseCmd> {
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "lua" => Some(ReleaseCmd::Lua),
        "delifeq" => Some(ReleaseCmd::DelIfEq),
        "delex" => Some(ReleaseCmd::DelEx),
        _ => None,
    }
}

fn validate_bool(v: &str) -> Result<(), String> {
    parse_bool(v)
        .map(|_| ())
        .ok_or_else(|| "expects 0/1, On/Off, yes/no or true/false".into())
}

fn int_in(v: &str, min: i64, max: i64, what: &str) -> Result<(), String> {
    match parse_int(v) {
        Some(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(format!("expects {what} ({min} to {max})")),
    }
}

fn validate_lock_expire(v: &str) -> Result<(), String> {
    int_in(v, 0, 86_400, "a number of seconds")
}

fn validate_wait_time(v: &str) -> Result<(), String> {
    int_in(v, 1, 10_000_000, "a number of microseconds")
}

fn validate_retries(v: &str) -> Result<(), String> {
    int_in(
        v,
        -1,
        1_000_000,
        "-1 (wait up to the lock TTL) or a number of attempts",
    )
}

fn validate_release_cmd(v: &str) -> Result<(), String> {
    parse_release_cmd(v)
        .map(|_| ())
        .ok_or_else(|| "expects DELIFEQ, DELEX or empty (Lua)".into())
}

fn validate_compression(v: &str) -> Result<(), String> {
    CodecId::parse(v)
        .map(|_| ())
        .ok_or_else(|| "expects none, gzip, lz4, snappy, lzf or zstd".into())
}

fn validate_threshold(v: &str) -> Result<(), String> {
    int_in(v, 0, MAX_THRESHOLD as i64, "a number of bytes")
}

/// `compression_level`: None = the codec's default (empty, or phpredis's `0`).
pub fn parse_level(v: &str) -> Option<i32> {
    match parse_int(v) {
        Some(0) | None => None,
        Some(n) => i32::try_from(n).ok(),
    }
}

fn validate_level(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        return Ok(());
    }
    match parse_int(v) {
        Some(n) if (0..=22).contains(&n) => Ok(()),
        _ => {
            Err("expects empty or 0 (the codec's default), or a level: gzip 1-9, zstd 1-22".into())
        }
    }
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
        assert_eq!(s.compression.level, None);
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
    fn validate_rejects_out_of_range() {
        assert!(validate(LOCK_RETRIES, "-2").is_err());
        assert!(validate(LOCK_RETRIES, "-1").is_ok());
        assert!(validate(LOCK_WAIT_TIME, "0").is_err());
        assert!(validate(LOCK_EXPIRE, "86401").is_err());
        assert!(validate(COMPRESSION, "brotli").is_err());
        assert!(validate(COMPRESSION, "lz").is_err());
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
    fn codec_names_are_validated() {
        for ok in ["none", "", "gzip", "LZ4", "snappy", "lzf", "Zstd", " lz4 "] {
            assert!(validate(COMPRESSION, ok).is_ok(), "{ok}");
        }
        for bad in ["zip", "brotli", "1", "lz4hc", "lzfx", "gzip9"] {
            assert!(validate(COMPRESSION, bad).is_err(), "{bad}");
        }
        let (s, w) = settings(&[(COMPRESSION, "SNAPPY")]);
        assert!(w.is_empty());
        assert_eq!(s.compression.codec, CodecId::Snappy);
        let (s, w) = settings(&[(COMPRESSION, "rar")]);
        assert_eq!(s.compression.codec, CodecId::None);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains(COMPRESSION), "{}", w[0]);
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
    fn level_is_checked_against_the_codec_in_force() {
        for ok in ["", "0", "1", "9", "22", " 3 "] {
            assert!(validate(COMPRESSION_LEVEL, ok).is_ok(), "{ok:?}");
        }
        for bad in ["-1", "23", "fast", "1.5"] {
            assert!(validate(COMPRESSION_LEVEL, bad).is_err(), "{bad}");
        }
        let level = |codec: &str, level: &str| {
            let (s, w) = settings(&[(COMPRESSION, codec), (COMPRESSION_LEVEL, level)]);
            (s.compression.level, s.compression.effective_level(), w)
        };
        assert_eq!(level("gzip", "9"), (Some(9), Some(9), vec![]));
        assert_eq!(level("gzip", ""), (None, Some(6), vec![]));
        assert_eq!(level("gzip", "0"), (None, Some(6), vec![]));
        assert_eq!(level("zstd", "19"), (Some(19), Some(19), vec![]));
        let (l, eff, w) = level("gzip", "15");
        assert_eq!((l, eff), (None, Some(6)));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains(COMPRESSION_LEVEL) && w[0].contains("gzip") && w[0].contains("1-9"),
            "{}",
            w[0]
        );
        // codecs without levels ignore the setting quietly (phpredis's lz4 levels select LZ4HC)
        for codec in ["lz4", "snappy", "lzf", "none"] {
            assert_eq!(level(codec, "9"), (None, None, vec![]), "{codec}");
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
