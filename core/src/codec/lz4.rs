//! `lz4`: the LZ4 block format via lz4_flex (its fast compressor; lz4_flex has no LZ4HC, so
//! `compression_level` does not apply). Also reads phpredis's lz4 sessions.
//!
//! phpredis's lz4 value (library.c, `redis_compress` / `redis_uncompress`):
//! ```text
//! byte 0       CRC-8 (polynomial 0x31, initial value 0xFF, no reflection) of bytes 1..5
//! bytes 1..5   original length, a C `int` copied from memory (little-endian on x86 and ARM)
//! bytes 5..    one LZ4 block (LZ4_compress_default, or LZ4_compress_HC for levels 1-12)
//! ```
//! phpredis never compresses an empty value with lz4.

use super::{Codec, CodecError, CodecId};

pub struct Lz4;

/// phpredis's header: CRC-8 byte + 4 length bytes.
const PHPREDIS_HEADER: usize = 5;

impl Codec for Lz4 {
    fn id(&self) -> CodecId {
        CodecId::Lz4
    }

    fn compress(&self, data: &[u8], _level: Option<i32>) -> Result<Vec<u8>, CodecError> {
        Ok(lz4_flex::block::compress(data))
    }

    fn decompress(&self, payload: &[u8], len: usize) -> Result<Vec<u8>, CodecError> {
        let mut out = super::try_zeroed(len)?;
        let n = lz4_flex::block::decompress_into(payload, &mut out)
            .map_err(|e| CodecError::Failed(e.to_string()))?;
        out.truncate(n);
        Ok(out)
    }

    fn max_decoded_len(&self, n: usize) -> usize {
        // A match costs at least 1 byte per 255 bytes of output.
        n.saturating_mul(255).saturating_add(64)
    }

    fn phpredis_len(&self, value: &[u8]) -> Option<usize> {
        let len_bytes = [
            *value.get(1)?,
            *value.get(2)?,
            *value.get(3)?,
            *value.get(4)?,
        ];
        if crc8(&len_bytes) != value[0] {
            return None;
        }
        usize::try_from(i32::from_le_bytes(len_bytes)).ok()
    }

    fn decode_phpredis(&self, value: &[u8]) -> Option<Vec<u8>> {
        if value.len() < PHPREDIS_HEADER {
            return None;
        }
        let len_bytes = [value[1], value[2], value[3], value[4]];
        if crc8(&len_bytes) != value[0] {
            return None;
        }
        let len = i32::from_le_bytes(len_bytes);
        let payload = &value[PHPREDIS_HEADER..];
        let len = usize::try_from(len).ok().filter(|&l| l > 0)?;
        if len > self.max_decoded_len(payload.len()) {
            return None;
        }
        // Stricter than phpredis (which accepts any positive result): the block must decode
        // to exactly the length it announces, so raw data is almost never taken for lz4.
        self.decompress(payload, len)
            .ok()
            .filter(|out| out.len() == len)
    }
}

/// phpredis's CRC-8 over the length bytes of its lz4 header.
pub fn crc8(bytes: &[u8]) -> u8 {
    let mut crc: u8 = 0xFF;
    for &b in bytes {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x31
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// Builds a value in phpredis's lz4 format (for tests and the bench; we never write it).
pub fn phpredis_encode(data: &[u8]) -> Vec<u8> {
    let len = (data.len() as i32).to_le_bytes();
    let mut out = vec![crc8(&len)];
    out.extend_from_slice(&len);
    out.extend_from_slice(&lz4_flex::block::compress(data));
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_codec, check_corrupt_and_truncated};
    use super::*;

    #[test]
    fn round_trips() {
        check_codec(&Lz4);
    }

    #[test]
    fn corrupt_and_truncated_input_is_an_error() {
        check_corrupt_and_truncated(CodecId::Lz4);
    }

    #[test]
    fn crc8_matches_known_values() {
        // CRC-8 with poly 0x31, init 0xFF (as phpredis): check value of "123456789" is 0xF7.
        assert_eq!(crc8(b"123456789"), 0xF7);
        assert_eq!(crc8(&[]), 0xFF);
    }

    #[test]
    fn reads_phpredis_lz4() {
        let data = super::super::samples::profile(5000);
        let v = phpredis_encode(&data);
        assert_eq!(Lz4.decode_phpredis(&v), Some(data));
    }

    #[test]
    fn phpredis_bytes_from_php_redis_5_3_7() {
        // `new Redis` with OPT_COMPRESSION=COMPRESSION_LZ4, SET of "a|s:16:\"aaaaaaaaaaaaaaaa\";"
        // (26 bytes), read back raw (captured from Debian's php-redis 5.3.7).
        let v = b"\xf4\x1a\x00\x00\x00\x98a|s:16:\"a\x01\x00Paaa\";";
        assert_eq!(crc8(&[0x1a, 0, 0, 0]), 0xF4);
        assert_eq!(
            Lz4.decode_phpredis(v).as_deref(),
            Some(&b"a|s:16:\"aaaaaaaaaaaaaaaa\";"[..])
        );
    }

    #[test]
    fn phpredis_format_rejects_what_is_not_lz4() {
        let data = super::super::samples::flash(3000);
        let mut v = phpredis_encode(&data);
        // wrong CRC
        v[0] ^= 1;
        assert_eq!(Lz4.decode_phpredis(&v), None);
        v[0] ^= 1;
        // length off by one: the block decodes to a different length
        let mut w = v.clone();
        let len = (data.len() as i32 + 1).to_le_bytes();
        w[1..5].copy_from_slice(&len);
        w[0] = crc8(&len);
        assert_eq!(Lz4.decode_phpredis(&w), None);
        // negative and zero lengths
        for l in [-1i32, 0, i32::MIN] {
            let mut z = v.clone();
            z[1..5].copy_from_slice(&l.to_le_bytes());
            z[0] = crc8(&l.to_le_bytes());
            assert_eq!(Lz4.decode_phpredis(&z), None);
        }
        // truncated
        for n in [0, 1, 4, 5, v.len() / 2, v.len() - 1] {
            assert_eq!(Lz4.decode_phpredis(&v[..n]), None, "{n}");
        }
        // raw session strings
        for raw in [
            &b""[..],
            b"a|i:1;",
            b"\x00\x00\x00\x02\x14\x01",
            b"a:1:{s:1:\"a\";i:1;}",
        ] {
            assert_eq!(Lz4.decode_phpredis(raw), None);
        }
    }
}
