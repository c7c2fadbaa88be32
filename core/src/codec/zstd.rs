//! `zstd`: Zstandard via the zstd crate (libzstd, built from C). Levels 1-22, default 3.
//! Also reads phpredis's zstd sessions: phpredis stores one bare zstd frame
//! (ZSTD_compress), and reads it only when the frame header carries the content size.

use std::sync::Mutex;

use ::zstd::bulk::{Compressor, Decompressor};

use super::{Codec, CodecError, CodecId, Levels};

pub struct Zstd;

/// The four bytes every zstd frame starts with (0xFD2FB528, little-endian).
const FRAME_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

// zstd contexts cost more to create than a small value costs to (de)compress: keep one of each
// for the process. Statics, not thread-locals (no destructor runs when PHP unloads the
// extension); when one is busy (another thread), a fresh context is used.
static CCTX: Mutex<Option<(i32, Compressor<'static>)>> = Mutex::new(None);
static DCTX: Mutex<Option<Decompressor<'static>>> = Mutex::new(None);

impl Codec for Zstd {
    fn id(&self) -> CodecId {
        CodecId::Zstd
    }

    fn levels(&self) -> Option<Levels> {
        Some(Levels {
            min: 1,
            max: 22,
            default: 3,
        })
    }

    fn compress(&self, data: &[u8], level: Option<i32>) -> Result<Vec<u8>, CodecError> {
        let level = level.unwrap_or(3).clamp(1, 22);
        let failed = |e: std::io::Error| CodecError::Failed(e.to_string());
        let mut cached = CCTX.try_lock().ok();
        let mut fresh = None;
        let cctx = match cached.as_deref_mut() {
            Some(Some((l, c))) if *l == level => c,
            Some(slot) => {
                &mut slot
                    .insert((level, Compressor::new(level).map_err(failed)?))
                    .1
            }
            None => fresh.insert(Compressor::new(level).map_err(failed)?),
        };
        cctx.compress(data).map_err(failed)
    }

    fn decompress(&self, payload: &[u8], len: usize) -> Result<Vec<u8>, CodecError> {
        bulk_decode(payload, len).map_err(|e| CodecError::Failed(e.to_string()))
    }

    fn max_decoded_len(&self, n: usize) -> usize {
        // The densest block is RLE: 4 bytes for 128 KiB.
        n.saturating_mul(1 << 15).saturating_add(64)
    }

    fn phpredis_len(&self, value: &[u8]) -> Option<usize> {
        if !value.starts_with(&FRAME_MAGIC) {
            return None;
        }
        let len = ::zstd::zstd_safe::get_frame_content_size(value).ok()??;
        Some(usize::try_from(len).unwrap_or(usize::MAX))
    }

    fn decode_phpredis(&self, value: &[u8]) -> Option<Vec<u8>> {
        if !value.starts_with(&FRAME_MAGIC) {
            return None;
        }
        // phpredis refuses frames without a content size, or above INT_MAX.
        let len = ::zstd::zstd_safe::get_frame_content_size(value).ok()??;
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= i32::MAX as usize && l <= self.max_decoded_len(value.len()))?;
        bulk_decode(value, len).ok().filter(|out| out.len() == len)
    }
}

/// Decodes into a buffer of exactly `len` bytes' capacity (more output is an error). The
/// allocation is fallible, so a corrupt length cannot abort the process.
fn bulk_decode(input: &[u8], len: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    out.try_reserve_exact(len)
        .map_err(|e| std::io::Error::other(format!("{len} bytes: {e}")))?;
    let mut cached = DCTX.try_lock().ok();
    let mut fresh = None;
    let dctx = match cached.as_deref_mut() {
        Some(Some(d)) => d,
        Some(slot) => slot.insert(Decompressor::new()?),
        None => fresh.insert(Decompressor::new()?),
    };
    dctx.decompress_to_buffer(input, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_codec, check_corrupt_and_truncated};
    use super::*;

    #[test]
    fn round_trips() {
        check_codec(&Zstd);
    }

    #[test]
    fn corrupt_and_truncated_input_is_an_error() {
        check_corrupt_and_truncated(CodecId::Zstd);
    }

    #[test]
    fn every_level_round_trips() {
        let data = super::super::samples::profile(20_000);
        for l in 1..=22 {
            let c = Zstd.compress(&data, Some(l)).unwrap();
            assert_eq!(Zstd.decompress(&c, data.len()).unwrap(), data, "level {l}");
        }
    }

    #[test]
    fn reads_phpredis_zstd() {
        let data = super::super::samples::flash(9000);
        let v = ::zstd::bulk::compress(&data, 3).unwrap();
        assert_eq!(Zstd.decode_phpredis(&v), Some(data));
    }

    #[test]
    fn phpredis_bytes_from_php_redis_5_3_7() {
        // `new Redis` with OPT_COMPRESSION=COMPRESSION_ZSTD, SET of "a|s:16:\"aaaaaaaaaaaaaaaa\";",
        // read back raw (captured from Debian's php-redis 5.3.7).
        let v = b"\x28\xb5\x2f\xfd\x20\x1a\x8d\x00\x00\x58a|s:16:\"a\";\x01\x00\x1d\x38\x02";
        assert_eq!(
            Zstd.decode_phpredis(v).as_deref(),
            Some(&b"a|s:16:\"aaaaaaaaaaaaaaaa\";"[..])
        );
    }

    #[test]
    fn phpredis_format_needs_a_content_size() {
        let data = b"a|s:3:\"abc\";".repeat(50);
        let mut enc = ::zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
        enc.include_contentsize(false).unwrap();
        std::io::Write::write_all(&mut enc, &data).unwrap();
        let v = enc.finish().unwrap();
        assert!(v.starts_with(&FRAME_MAGIC));
        assert_eq!(Zstd.decode_phpredis(&v), None);
    }

    #[test]
    fn phpredis_format_rejects_truncated_and_raw() {
        let data = super::super::samples::flash(9000);
        let v = ::zstd::bulk::compress(&data, 3).unwrap();
        for n in [0, 3, 4, 8, v.len() / 2, v.len() - 1] {
            assert_eq!(Zstd.decode_phpredis(&v[..n]), None, "{n}");
        }
        assert_eq!(Zstd.decode_phpredis(b"a|i:1;"), None);
    }
}
