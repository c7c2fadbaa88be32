//! Session compression: the [`Codec`] trait, one file per codec, the stored-format header
//! ([`header`]), and the two entry points the handler calls: [`encode`] before a write and
//! [`decode`] after a read.
//!
//! What a stored value can be, and how [`decode`] tells them apart:
//! 1. It starts with [`MAGIC`]: our header follows; the codec named there decodes it (whatever
//!    the site configures now), and the CRC-32 must match. Anything wrong is an error: the
//!    value is corrupt, and it is left as it is.
//! 2. The configured codec is lzf, lz4 or zstd and the value is in phpredis's own format for
//!    that codec: decoded the way phpredis 6 decodes its compressed sessions.
//! 3. Otherwise the value is the raw session string, as phpredis stores it uncompressed.
//!
//! [`encode`] keeps those three apart for everything it writes: a raw value that starts with
//! [`MAGIC`] is stored behind a codec-`none` header ("escaped"), and so is, while a codec is
//! configured, a raw value that one of phpredis's readers would take for its own format.

pub mod gzip;
pub mod header;
pub mod lz4;
pub mod lzf;
pub mod samples;
pub mod snappy;
pub mod zstd;

use std::borrow::Cow;
use std::fmt;

pub use header::{Header, HeaderError, HEADER_LEN, MAGIC};

/// The codecs, with the id each one has in the header (never renumber).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum CodecId {
    /// No compression; in a header it marks an escaped raw value.
    None = 0,
    Gzip = 1,
    Lz4 = 2,
    Snappy = 3,
    Lzf = 4,
    Zstd = 5,
}

impl CodecId {
    pub const ALL: [CodecId; 6] = [
        CodecId::None,
        CodecId::Gzip,
        CodecId::Lz4,
        CodecId::Snappy,
        CodecId::Lzf,
        CodecId::Zstd,
    ];

    /// The name used by `redis.session.compression` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            CodecId::None => "none",
            CodecId::Gzip => "gzip",
            CodecId::Lz4 => "lz4",
            CodecId::Snappy => "snappy",
            CodecId::Lzf => "lzf",
            CodecId::Zstd => "zstd",
        }
    }

    /// A `redis.session.compression` value: a codec name, case-insensitive; empty = none.
    pub fn parse(setting: &str) -> Option<CodecId> {
        let v = setting.trim();
        if v.is_empty() {
            return Some(CodecId::None);
        }
        CodecId::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(v))
    }

    pub fn from_byte(b: u8) -> Option<CodecId> {
        CodecId::ALL.into_iter().find(|c| *c as u8 == b)
    }

    /// The implementation (None for `none`).
    pub fn codec(self) -> Option<&'static dyn Codec> {
        match self {
            CodecId::None => None,
            CodecId::Gzip => Some(&gzip::Gzip),
            CodecId::Lz4 => Some(&lz4::Lz4),
            CodecId::Snappy => Some(&snappy::Snappy),
            CodecId::Lzf => Some(&lzf::Lzf),
            CodecId::Zstd => Some(&zstd::Zstd),
        }
    }

    /// The levels this codec accepts, if it has levels.
    pub fn levels(self) -> Option<Levels> {
        self.codec().and_then(|c| c.levels())
    }
}

impl fmt::Display for CodecId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The compression levels of a codec that has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    pub min: i32,
    pub max: i32,
    pub default: i32,
}

/// Why a codec did not produce output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// The output would not be smaller than the input (not a failure: stored raw).
    Incompressible,
    /// The codec failed; the text is the codec's own.
    Failed(String),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Incompressible => f.write_str("output not smaller than input"),
            CodecError::Failed(s) => f.write_str(s),
        }
    }
}

/// One compression algorithm. Implementations must never panic on any input, and must not
/// allocate much more than the length they are told to produce.
pub trait Codec: Sync {
    fn id(&self) -> CodecId;

    /// The levels it accepts; None when it has no levels (a configured level is ignored).
    fn levels(&self) -> Option<Levels> {
        None
    }

    /// Compresses `data` at `level` (already checked against [`Codec::levels`]; None = default).
    fn compress(&self, data: &[u8], level: Option<i32>) -> Result<Vec<u8>, CodecError>;

    /// Decompresses `payload` into exactly `len` bytes; anything else is an error.
    fn decompress(&self, payload: &[u8], len: usize) -> Result<Vec<u8>, CodecError>;

    /// The largest length `n` payload bytes can decode to; a header claiming more is corrupt.
    /// (Bounds the buffer a corrupt header could make us allocate.)
    fn max_decoded_len(&self, n: usize) -> usize;

    /// phpredis's own stored format for this codec (a value written by phpredis with
    /// `redis.session.compression` = this codec): the decoded bytes, or None when `value` is
    /// not in that format.
    fn decode_phpredis(&self, _value: &[u8]) -> Option<Vec<u8>> {
        None
    }

    /// The decoded length a value in phpredis's format announces, when the format carries
    /// one (checked against `redis.session.max_size` before decoding).
    fn phpredis_len(&self, _value: &[u8]) -> Option<usize> {
        None
    }

    /// [`Codec::decode_phpredis`] for a format without a length (lzf): decodes into at most
    /// `cap` bytes; `Err(OverCap)` when the value decodes to more than that.
    fn decode_phpredis_capped(
        &self,
        value: &[u8],
        _cap: usize,
    ) -> Result<Option<Vec<u8>>, OverCap> {
        Ok(self.decode_phpredis(value))
    }
}

/// A value that decodes to more than the cap it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverCap;

/// A zeroed buffer of `len` bytes, or an error instead of aborting the process when the
/// memory is not there (`len` comes from stored data).
pub(crate) fn try_zeroed(len: usize) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    out.try_reserve_exact(len)
        .map_err(|e| CodecError::Failed(format!("{len} bytes: {e}")))?;
    out.resize(len, 0);
    Ok(out)
}

/// Values at or above this many bytes are compressed by default.
pub const DEFAULT_THRESHOLD: usize = 2048;

/// The largest threshold we accept: Redis's largest string.
pub const MAX_THRESHOLD: usize = 512 * 1024 * 1024;

/// What a request compresses new writes with (from the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compression {
    pub codec: CodecId,
    /// None = the codec's default level.
    pub level: Option<i32>,
    /// Values shorter than this are stored raw.
    pub threshold: usize,
}

impl Default for Compression {
    fn default() -> Self {
        Compression {
            codec: CodecId::None,
            level: None,
            threshold: DEFAULT_THRESHOLD,
        }
    }
}

impl Compression {
    /// The level new writes use, when the codec has levels.
    pub fn effective_level(&self) -> Option<i32> {
        self.codec.levels().map(|l| {
            self.level
                .filter(|v| (l.min..=l.max).contains(v))
                .unwrap_or(l.default)
        })
    }
}

/// How [`encode`] stored a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The session string itself, byte-identical to phpredis.
    Raw,
    /// The session string behind a codec-`none` header (it would otherwise be ambiguous).
    Escaped,
    /// Compressed with this codec, behind a header.
    Compressed(CodecId),
}

/// The bytes to store, how, and a codec failure to report (the value is then stored raw).
#[derive(Debug)]
pub struct Encoded<'a> {
    pub bytes: Cow<'a, [u8]>,
    pub stored: Stored,
    pub failure: Option<String>,
}

/// Prepares session data for the server. Compresses when the codec is not none, the data is
/// at least `threshold` bytes, and the result (with its header) is smaller; otherwise stores
/// it raw, escaped when a raw value would be ambiguous on read.
pub fn encode<'a>(data: &'a [u8], c: &Compression) -> Encoded<'a> {
    let mut failure = None;
    if let Some(codec) = c.codec.codec() {
        if data.len() >= c.threshold && u32::try_from(data.len()).is_ok() {
            match codec.compress(data, c.effective_level()) {
                Ok(payload) if HEADER_LEN + payload.len() < data.len() => {
                    return Encoded {
                        bytes: Cow::Owned(with_header(c.codec, data, &payload)),
                        stored: Stored::Compressed(c.codec),
                        failure: None,
                    };
                }
                Ok(_) | Err(CodecError::Incompressible) => {}
                Err(CodecError::Failed(e)) => failure = Some(e),
            }
        }
    }
    // Values over 4 GiB cannot be escaped (u32 length); Redis refuses them anyway.
    if needs_escape(data, c.codec) && u32::try_from(data.len()).is_ok() {
        return Encoded {
            bytes: Cow::Owned(with_header(CodecId::None, data, data)),
            stored: Stored::Escaped,
            failure,
        };
    }
    Encoded {
        bytes: Cow::Borrowed(data),
        stored: Stored::Raw,
        failure,
    }
}

/// Whether a raw value must be stored behind a codec-none header to read back as itself.
fn needs_escape(data: &[u8], configured: CodecId) -> bool {
    if data.starts_with(&MAGIC) {
        return true;
    }
    // With compression=none we stay byte-identical to phpredis. With a codec configured, a raw
    // value that phpredis's lzf / lz4 / zstd reader would accept could be misread later (when
    // the site configures that codec), so it gets a header: nothing we write is ambiguous.
    configured != CodecId::None
        && [CodecId::Lzf, CodecId::Lz4, CodecId::Zstd]
            .into_iter()
            .filter_map(CodecId::codec)
            .any(|codec| codec.decode_phpredis(data).is_some())
}

fn with_header(codec: CodecId, original: &[u8], payload: &[u8]) -> Vec<u8> {
    let header = Header {
        codec,
        len: original.len() as u32,
        crc: crc32fast::hash(original),
    };
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(payload);
    out
}

/// Where [`decode`] found the session data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A raw session string (no header).
    Raw,
    /// Behind our header, with this codec (`None` = an escaped raw value).
    Header(CodecId),
    /// In phpredis's compressed format for this codec.
    Phpredis(CodecId),
}

/// A stored value that starts with our header but cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The header itself is unusable.
    Header(HeaderError),
    /// The header claims a length the payload cannot decode to.
    ImplausibleLength { codec: CodecId, len: u32 },
    /// The codec rejected the payload.
    Codec { codec: CodecId, error: String },
    /// The payload decoded to a different length than the header says.
    Length {
        codec: CodecId,
        expected: u32,
        got: usize,
    },
    /// The decoded bytes do not match the header's CRC-32.
    Checksum { codec: CodecId },
    /// The value is, or says it decodes to, more than `redis.session.max_size` bytes.
    TooLarge {
        codec: CodecId,
        len: u64,
        max: usize,
    },
}

impl DecodeError {
    /// The codec the value names, for messages ("unknown" when the header is unusable).
    pub fn codec_name(&self) -> String {
        match self {
            DecodeError::Header(HeaderError::Codec(b)) => format!("unknown codec id {b}"),
            DecodeError::Header(_) => "unknown".into(),
            DecodeError::ImplausibleLength { codec, .. }
            | DecodeError::Codec { codec, .. }
            | DecodeError::Length { codec, .. }
            | DecodeError::Checksum { codec }
            | DecodeError::TooLarge { codec, .. } => codec.name().into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Header(HeaderError::Truncated(n)) => write!(
                f,
                "the value starts with the redis_session header but is only {n} bytes long"
            ),
            DecodeError::Header(HeaderError::Version(v)) => write!(
                f,
                "stored format version {v} is unknown to this build (written by a newer redis_session?)"
            ),
            DecodeError::Header(HeaderError::Codec(b)) => write!(
                f,
                "codec id {b} is unknown to this build (written by a newer redis_session?)"
            ),
            DecodeError::ImplausibleLength { len, .. } => write!(
                f,
                "the header's length ({len} bytes) is impossible for the stored payload"
            ),
            DecodeError::Codec { error, .. } => write!(f, "{error}"),
            DecodeError::Length { expected, got, .. } => write!(
                f,
                "decoded to {got} bytes, the header says {expected}"
            ),
            DecodeError::Checksum { .. } => f.write_str("CRC-32 mismatch: the data is corrupt"),
            DecodeError::TooLarge { len, max, .. } => write!(
                f,
                "the session is {len} bytes, more than redis.session.max_size ({max} bytes)"
            ),
        }
    }
}

/// Turns a stored value back into the session string. `configured` is the codec the site
/// configures now: only it is tried on values in phpredis's format.
pub fn decode(stored: Vec<u8>, configured: CodecId) -> Result<(Vec<u8>, Source), DecodeError> {
    decode_limited(stored, configured, 0)
}

/// [`decode`], refusing a session of more than `max` bytes (0 = no limit) before decoding
/// it: the stored size, the length in our header, or the one in phpredis's format.
pub fn decode_limited(
    stored: Vec<u8>,
    configured: CodecId,
    max: usize,
) -> Result<(Vec<u8>, Source), DecodeError> {
    let max = if max == 0 { usize::MAX } else { max };
    let too_large = |codec: CodecId, len: usize| DecodeError::TooLarge {
        codec,
        len: len as u64,
        max,
    };
    if stored.starts_with(&MAGIC) {
        let h = Header::parse(&stored).map_err(DecodeError::Header)?;
        if h.len as usize > max || stored.len() - HEADER_LEN > max {
            return Err(too_large(
                h.codec,
                (h.len as usize).max(stored.len() - HEADER_LEN),
            ));
        }
        let payload = &stored[HEADER_LEN..];
        let data = match h.codec.codec() {
            None => {
                if payload.len() != h.len as usize {
                    return Err(DecodeError::Length {
                        codec: CodecId::None,
                        expected: h.len,
                        got: payload.len(),
                    });
                }
                let mut data = stored;
                data.drain(..HEADER_LEN);
                data
            }
            Some(codec) => {
                if h.len as usize > codec.max_decoded_len(payload.len()) {
                    return Err(DecodeError::ImplausibleLength {
                        codec: h.codec,
                        len: h.len,
                    });
                }
                let data =
                    codec
                        .decompress(payload, h.len as usize)
                        .map_err(|e| DecodeError::Codec {
                            codec: h.codec,
                            error: e.to_string(),
                        })?;
                if data.len() != h.len as usize {
                    return Err(DecodeError::Length {
                        codec: h.codec,
                        expected: h.len,
                        got: data.len(),
                    });
                }
                data
            }
        };
        if crc32fast::hash(&data) != h.crc {
            return Err(DecodeError::Checksum { codec: h.codec });
        }
        return Ok((data, Source::Header(h.codec)));
    }
    if stored.len() > max {
        return Err(too_large(CodecId::None, stored.len()));
    }
    if let Some(codec) = configured.codec() {
        if let Some(len) = codec.phpredis_len(&stored).filter(|&l| l > max) {
            return Err(too_large(configured, len));
        }
        match codec.decode_phpredis_capped(&stored, max) {
            Ok(Some(data)) if data.len() > max => return Err(too_large(configured, data.len())),
            Ok(Some(data)) => return Ok((data, Source::Phpredis(configured))),
            Ok(None) => {}
            Err(OverCap) => return Err(too_large(configured, max.saturating_add(1))),
        }
    }
    Ok((stored, Source::Raw))
}

#[cfg(test)]
mod tests;

/// The property every codec's fuzz target checks: decompress() of any payload with any
/// claimed length is Ok or Err (never a panic), so is the phpredis reader, and compress()
/// round-trips. `input` starts with 3 bytes that choose the claimed length.
pub fn fuzz_codec(id: CodecId, input: &[u8]) {
    let codec = id.codec().expect("a real codec");
    if input.len() >= 3 {
        let claimed = usize::from(u16::from_le_bytes([input[0], input[1]])) << (input[2] % 8);
        let payload = &input[3..];
        if claimed <= codec.max_decoded_len(payload.len()) {
            let _ = codec.decompress(payload, claimed);
        }
    }
    let _ = codec.decode_phpredis(input);
    if let Ok(c) = codec.compress(input, None) {
        assert_eq!(
            codec.decompress(&c, input.len()).expect("round trip"),
            input
        );
    }
}
