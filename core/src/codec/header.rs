//! The stored-format header that marks a compressed (or escaped) session value.
//!
//! ```text
//! offset  size  field
//!      0     4  magic     FF 52 53 5A  ("\xFF" "RSZ")
//!      4     1  version   01
//!      5     1  codec     00 none (escaped raw value), 01 gzip, 02 lz4, 03 snappy, 04 lzf, 05 zstd
//!      6     4  length    original (uncompressed) length, u32 little-endian
//!     10     4  crc32     CRC-32 (IEEE 802.3, as gzip and zlib use) of the original bytes, LE
//!     14     -  payload   the codec's output (codec none: the original bytes)
//! ```
//!
//! Why the first byte is 0xFF: no PHP session serializer starts its output with it (php_binary's
//! first byte is a key length below 0x80, igbinary starts with 0x00, php_serialize with `a`,
//! msgpack with a map or array marker 0x80-0x9F / 0xDC-0xDF, and `php`'s first byte is the first
//! byte of a key name, where 0xFF is never valid UTF-8); phpredis's lzf output starts with a
//! literal-run byte below 0x20 and its zstd output with 0x28. A phpredis lz4 value starts with a
//! CRC-8 of the 4 length bytes that follow; for `52 53 5A 01` that CRC-8 is 0xAC, so no phpredis
//! lz4 value can start with this header (a test pins that; version 2 would collide, so the next
//! version must be 3 or above). The one remaining case, a raw value that happens to start with
//! the magic, is escaped by the writer (see `super::encode`).

use super::CodecId;

/// The first four bytes of every value this extension stores with a header.
pub const MAGIC: [u8; 4] = [0xFF, b'R', b'S', b'Z'];

/// The format version this build writes and reads.
pub const VERSION: u8 = 1;

/// Header size in bytes; the payload starts here.
pub const HEADER_LEN: usize = 14;

/// A parsed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub codec: CodecId,
    /// Original (uncompressed) length.
    pub len: u32,
    /// CRC-32 of the original bytes.
    pub crc: u32,
}

/// Why a value that starts with [`MAGIC`] has no usable header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderError {
    /// Fewer than [`HEADER_LEN`] bytes.
    Truncated(usize),
    /// A version this build does not know (written by a newer redis_session?).
    Version(u8),
    /// A codec id this build does not know.
    Codec(u8),
}

impl Header {
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[..4].copy_from_slice(&MAGIC);
        h[4] = VERSION;
        h[5] = self.codec as u8;
        h[6..10].copy_from_slice(&self.len.to_le_bytes());
        h[10..14].copy_from_slice(&self.crc.to_le_bytes());
        h
    }

    /// Parses the header of a value that starts with [`MAGIC`].
    pub fn parse(value: &[u8]) -> Result<Header, HeaderError> {
        debug_assert!(value.starts_with(&MAGIC));
        if value.len() < HEADER_LEN {
            return Err(HeaderError::Truncated(value.len()));
        }
        if value[4] != VERSION {
            return Err(HeaderError::Version(value[4]));
        }
        let codec = CodecId::from_byte(value[5]).ok_or(HeaderError::Codec(value[5]))?;
        let u32_at =
            |i: usize| u32::from_le_bytes([value[i], value[i + 1], value[i + 2], value[i + 3]]);
        Ok(Header {
            codec,
            len: u32_at(6),
            crc: u32_at(10),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_codec_id() {
        for codec in CodecId::ALL {
            let h = Header {
                codec,
                len: 0xDEAD_BEEF,
                crc: 0x0102_0304,
            };
            let b = h.to_bytes();
            assert!(b.starts_with(&MAGIC));
            assert_eq!(Header::parse(&b), Ok(h));
        }
    }

    #[test]
    fn layout_is_pinned() {
        let h = Header {
            codec: CodecId::Lz4,
            len: 0x0403_0201,
            crc: 0x0807_0605,
        };
        assert_eq!(
            h.to_bytes(),
            [0xFF, b'R', b'S', b'Z', 1, 2, 1, 2, 3, 4, 5, 6, 7, 8]
        );
    }

    #[test]
    fn truncated_unknown_version_and_codec_are_errors() {
        let full = Header {
            codec: CodecId::Gzip,
            len: 10,
            crc: 0,
        }
        .to_bytes();
        for n in 4..HEADER_LEN {
            assert_eq!(Header::parse(&full[..n]), Err(HeaderError::Truncated(n)));
        }
        let mut v = full;
        v[4] = 9;
        assert_eq!(Header::parse(&v), Err(HeaderError::Version(9)));
        let mut c = full;
        c[5] = 6;
        assert_eq!(Header::parse(&c), Err(HeaderError::Codec(6)));
        c[5] = 0xFF;
        assert_eq!(Header::parse(&c), Err(HeaderError::Codec(0xFF)));
    }

    #[test]
    fn no_phpredis_lz4_value_starts_with_our_header() {
        // phpredis lz4: byte 0 = CRC-8 (poly 0x31, init 0xFF) of the 4 length bytes after it.
        // Our bytes 1..5 are "RSZ" + version, so a collision needs crc8 == 0xFF.
        assert_ne!(
            super::super::lz4::crc8(&[MAGIC[1], MAGIC[2], MAGIC[3], VERSION]),
            MAGIC[0]
        );
        // Version 2 is the one that would collide: skip it when the format changes.
        assert_eq!(
            super::super::lz4::crc8(&[MAGIC[1], MAGIC[2], MAGIC[3], 2]),
            0xFF
        );
    }

    #[test]
    fn first_byte_is_no_serializer_or_phpredis_first_byte() {
        let first = MAGIC[0];
        assert!(first >= 0x80, "php_binary key length byte is < 0x80");
        assert_ne!(first, 0x00, "igbinary");
        assert_ne!(first, b'a', "php_serialize");
        assert!(!(0x80..=0x9F).contains(&first), "msgpack fixmap/fixarray");
        assert!(
            !(0xDC..=0xDF).contains(&first),
            "msgpack array16/32, map16/32"
        );
        assert!(std::str::from_utf8(&[first]).is_err(), "never valid UTF-8");
        assert!(
            first >= 0x20,
            "phpredis lzf starts with a literal run < 0x20"
        );
        assert_ne!(first, 0x28, "zstd frame magic");
    }
}
