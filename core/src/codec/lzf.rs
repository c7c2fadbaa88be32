//! `lzf`: LibLZF's format (no levels): our compressor, the lzf crate's decoder. Also reads
//! phpredis's lzf sessions.
//!
//! phpredis's lzf value is the bare lzf_compress() output, with no length: phpredis decodes
//! into a buffer of 2x, 4x, 8x... the stored size until the buffer is large enough. Every
//! LZF stream starts with a literal run (a back-reference needs earlier output), so its first
//! byte is below 0x20; a session string in the `php` or `php_serialize` format starts with a
//! printable byte and is never taken for lzf, nor is a raw igbinary session (see below).
//! php_binary sessions (first byte = key length) can in principle be valid LZF; none of
//! 100,000 random ones was (`docs/compression.md`).
//!
//! Compression is our own (below): the lzf crate's compressor panics on some inputs (found by
//! the fuzz target; the input is in `testdata/`), and the crate is marked deprecated by its
//! author. Decompression uses the crate's decoder, which checks every bound (an error, never
//! a panic, on any input: see the fuzz target).

use lzf::LzfError;

use super::{Codec, CodecError, CodecId, OverCap};

pub struct Lzf;

/// The headers igbinary puts in front of what it serializes (format versions 1 and 2).
const IGBINARY_V1: &[u8] = b"\x00\x00\x00\x01";
const IGBINARY_V2: &[u8] = b"\x00\x00\x00\x02";

/// LZF's densest element: a 3-byte back-reference copies up to 264 bytes.
const MAX_RATIO: usize = 88;

impl Codec for Lzf {
    fn id(&self) -> CodecId {
        CodecId::Lzf
    }

    fn compress(&self, data: &[u8], _level: Option<i32>) -> Result<Vec<u8>, CodecError> {
        // Output as long as the input is of no use: give up there.
        compress(data, data.len().saturating_sub(1)).ok_or(CodecError::Incompressible)
    }

    fn decompress(&self, payload: &[u8], len: usize) -> Result<Vec<u8>, CodecError> {
        if payload.is_empty() && len == 0 {
            return Ok(Vec::new());
        }
        lzf::decompress(payload, len).map_err(|e| {
            CodecError::Failed(match e {
                LzfError::BufferTooSmall => "decodes to more bytes than the header says".into(),
                LzfError::DataCorrupted => "corrupt LZF data".into(),
                other => format!("{other:?}"),
            })
        })
    }

    fn max_decoded_len(&self, n: usize) -> usize {
        n.saturating_mul(MAX_RATIO).saturating_add(64)
    }

    fn decode_phpredis(&self, value: &[u8]) -> Option<Vec<u8>> {
        self.decode_phpredis_capped(value, usize::MAX)
            .ok()
            .flatten()
    }

    fn decode_phpredis_capped(&self, value: &[u8], cap: usize) -> Result<Option<Vec<u8>>, OverCap> {
        // phpredis leaves an empty value alone; an LZF stream starts with a literal run.
        if value.first().is_none_or(|&b| b >= 0x20) {
            return Ok(None);
        }
        // A raw igbinary session (header 00 00 00 01/02) can also be a valid LZF stream: of
        // 100,000 random small igbinary sessions, 0.7% decoded. phpredis's lzf value of a
        // session never starts so: it would decode to output starting 00 01 / 00 02, which no
        // session serializer writes. So these are raw, always.
        if value.starts_with(IGBINARY_V1) || value.starts_with(IGBINARY_V2) {
            return Ok(None);
        }
        let ratio_limit = self.max_decoded_len(value.len());
        let limit = ratio_limit.min(cap);
        let mut size = value.len().saturating_mul(2).min(limit);
        loop {
            match lzf::decompress(value, size) {
                Ok(out) => return Ok(Some(out)),
                Err(LzfError::BufferTooSmall) if size < limit => {
                    size = size.saturating_mul(2).min(limit)
                }
                // Valid so far but longer than the cap: too large, not "not lzf".
                Err(LzfError::BufferTooSmall) if limit < ratio_limit => return Err(OverCap),
                Err(_) => return Ok(None),
            }
        }
    }
}

/// Most bytes in one literal run.
const MAX_LIT: usize = 32;
/// Farthest back-reference (distance - 1 fits 13 bits).
const MAX_OFF: usize = 1 << 13;
/// Longest back-reference: 7 + 255 in the length fields, plus the 2 implied bytes.
const MAX_REF: usize = (1 << 8) + (1 << 3);
/// Hash table of 2^14 positions (64 KiB).
const HLOG: u32 = 14;

fn hash(b: &[u8]) -> usize {
    let v = u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16;
    (v.wrapping_mul(0x9E37_79B1) >> (32 - HLOG)) as usize
}

/// LZF compression (LibLZF's format: literal runs `000LLLLL` + L+1 bytes; back-references
/// `LLLooooo [L+] oooooooo` copying L+2 bytes from distance o+1). None when the output would
/// exceed `max_out` bytes.
pub fn compress(input: &[u8], max_out: usize) -> Option<Vec<u8>> {
    let n = input.len();
    let mut out = Vec::with_capacity(max_out.min(n + n / MAX_LIT + 1));
    // Slot = position + 1 of the last occurrence of a 3-byte hash (0 = none).
    let mut htab = vec![0u32; 1 << HLOG];
    // Index in `out` of the current literal run's control byte, and the run's length.
    let mut run_at = 0;
    let mut run = 0usize;
    out.push(0);
    let mut ip = 0;
    while ip < n {
        if ip + 2 < n {
            let h = hash(&input[ip..]);
            let candidate = htab[h] as usize;
            htab[h] = (ip + 1) as u32;
            if candidate > 0 {
                let r = candidate - 1;
                let off = ip - r - 1;
                if off < MAX_OFF && input[r..r + 3] == input[ip..ip + 3] {
                    let max_len = (n - ip).min(MAX_REF);
                    let mut len = 3;
                    while len < max_len && input[r + len] == input[ip + len] {
                        len += 1;
                    }
                    // Close the literal run (or drop its unused control byte).
                    if run > 0 {
                        out[run_at] = (run - 1) as u8;
                    } else {
                        out.pop();
                    }
                    let l = len - 2;
                    if l < 7 {
                        out.push(((off >> 8) as u8) | ((l as u8) << 5));
                    } else {
                        out.push(((off >> 8) as u8) | (7 << 5));
                        out.push((l - 7) as u8);
                    }
                    out.push(off as u8);
                    // The match's last two positions become candidates too (as LibLZF does;
                    // hashing every position costs more time than it gains ratio).
                    for p in (ip + len).saturating_sub(2)..(ip + len).min(n.saturating_sub(2)) {
                        htab[hash(&input[p..])] = (p + 1) as u32;
                    }
                    ip += len;
                    run_at = out.len();
                    run = 0;
                    out.push(0);
                    if out.len() > max_out.saturating_add(1) {
                        return None;
                    }
                    continue;
                }
            }
        }
        out.push(input[ip]);
        ip += 1;
        run += 1;
        if run == MAX_LIT {
            out[run_at] = (MAX_LIT - 1) as u8;
            run_at = out.len();
            run = 0;
            out.push(0);
        }
        if out.len() > max_out.saturating_add(1) {
            return None;
        }
    }
    if run > 0 {
        out[run_at] = (run - 1) as u8;
    } else {
        out.pop();
    }
    (out.len() <= max_out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_codec, check_corrupt_and_truncated};
    use super::*;

    #[test]
    fn round_trips() {
        check_codec(&Lzf);
    }

    #[test]
    fn corrupt_and_truncated_input_is_an_error() {
        check_corrupt_and_truncated(CodecId::Lzf);
    }

    #[test]
    fn reads_phpredis_lzf() {
        for data in [
            super::super::samples::cart(4000),
            super::super::samples::cart(300_000),
            vec![b'x'; 100_000],
        ] {
            let v = compress(&data, usize::MAX).unwrap();
            assert_eq!(Lzf.decode_phpredis(&v), Some(data));
        }
        // phpredis gives lzf_compress a larger buffer, so even 2 bytes become a literal run
        assert_eq!(Lzf.decode_phpredis(b"\x01ab").as_deref(), Some(&b"ab"[..]));
    }

    #[test]
    fn phpredis_bytes_from_php_redis_5_3_7() {
        // `new Redis` with OPT_COMPRESSION=COMPRESSION_LZF, SET of "a|s:16:\"aaaaaaaaaaaaaaaa\";",
        // read back raw (captured from Debian's php-redis 5.3.7).
        let v = b"\x08a|s:16:\"a\xe0\x06\x00\x01\";";
        assert_eq!(
            Lzf.decode_phpredis(v).as_deref(),
            Some(&b"a|s:16:\"aaaaaaaaaaaaaaaa\";"[..])
        );
    }

    #[test]
    fn our_compressor_round_trips_through_the_crate_decoder() {
        let mut r = super::super::samples::Rng::new(11);
        let mut inputs: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"a".to_vec(),
            b"aaa".to_vec(),
            vec![0; 70_000],
            include_bytes!("testdata/lzf_crate_compress_panic.bin").to_vec(),
            super::super::samples::profile(200_000),
        ];
        for _ in 0..300 {
            // runs of a small alphabet: many matches of every length and distance
            let len = r.below(5000) as usize;
            let alphabet = 1 + r.below(6) as u8;
            inputs.push(
                (0..len)
                    .map(|_| b'a' + (r.below(u64::from(alphabet)) as u8))
                    .collect(),
            );
        }
        for data in &inputs {
            let c = compress(data, usize::MAX).unwrap();
            let back = if data.is_empty() {
                Vec::new()
            } else {
                lzf::decompress(&c, data.len()).unwrap()
            };
            assert!(&back == data, "len {}", data.len());
            assert!(c.len() <= data.len() + data.len() / MAX_LIT + 1);
        }
    }

    #[test]
    fn compress_gives_up_at_max_out() {
        let data = super::super::samples::noise(1000, 3);
        assert_eq!(compress(&data, 999), None);
        assert!(compress(&data, 2000).is_some());
        assert_eq!(Lzf.compress(&data, None), Err(CodecError::Incompressible));
    }

    #[test]
    fn igbinary_sessions_are_never_lzf() {
        // Raw igbinary sessions that ARE valid LZF streams (found by decoding random ones).
        let v = b"\x00\x00\x00\x02\x14\x01\x11\x02id\x11\x0e28ee276fd01eaa";
        assert!(lzf::decompress(&v[..], 1000).is_ok());
        assert_eq!(Lzf.decode_phpredis(v), None);
        let v1 = b"\x00\x00\x00\x01\x14\x01\x11\x02id\x11\x0e28ee276fd01eaa";
        assert_eq!(Lzf.decode_phpredis(v1), None);
    }

    #[test]
    fn text_sessions_are_never_lzf() {
        for raw in [
            &b""[..],
            b"a|i:1;",
            b"a:1:{s:1:\"a\";i:1;}",
            b"user|a:2:{s:2:\"id\";i:7;s:4:\"name\";s:3:\"bob\";}",
        ] {
            assert_eq!(Lzf.decode_phpredis(raw), None);
        }
    }
}
