//! `gzip`: DEFLATE (RFC 1951, the compression inside gzip and zlib) via flate2. The payload is
//! a raw DEFLATE stream, without gzip's own 18-byte wrapper: our header already carries the
//! length and a CRC-32. (Decode by hand: `zlib.decompress(payload, -15)` in Python.)

use std::io::Read;
use std::sync::Mutex;

use flate2::read::DeflateDecoder;
use flate2::{Compress, FlushCompress, Status};

use super::{Codec, CodecError, CodecId, Levels};

pub struct Gzip;

/// The deflate state kept between values, with its level.
static DEFLATE: Mutex<Option<(u32, Compress)>> = Mutex::new(None);

impl Codec for Gzip {
    fn id(&self) -> CodecId {
        CodecId::Gzip
    }

    fn levels(&self) -> Option<Levels> {
        Some(Levels {
            min: 1,
            max: 9,
            default: 6,
        })
    }

    fn compress(&self, data: &[u8], level: Option<i32>) -> Result<Vec<u8>, CodecError> {
        let level = level.unwrap_or(6).clamp(1, 9) as u32;
        // A deflate state is ~300 KB to set up (about 100 us, more than compressing a few KB):
        // keep one for the process, reset between values. A static, not a thread-local (no
        // destructor runs when PHP unloads the extension); busy (another thread) = a fresh one.
        let mut cached = DEFLATE.try_lock().ok();
        let mut fresh = None;
        let deflate = match cached.as_deref_mut() {
            Some(Some((l, d))) if *l == level => {
                d.reset();
                d
            }
            Some(slot) => {
                &mut slot
                    .insert((level, Compress::new(flate2::Compression::new(level), false)))
                    .1
            }
            None => fresh.insert(Compress::new(flate2::Compression::new(level), false)),
        };
        // Output that would not be smaller than the input is of no use: stop there.
        let mut out = Vec::with_capacity(data.len());
        let status = deflate
            .compress_vec(data, &mut out, FlushCompress::Finish)
            .map_err(|e| CodecError::Failed(format!("deflate: {e}")))?;
        match status {
            Status::StreamEnd => Ok(out),
            Status::Ok | Status::BufError => Err(CodecError::Incompressible),
        }
    }

    fn decompress(&self, payload: &[u8], len: usize) -> Result<Vec<u8>, CodecError> {
        let mut dec = DeflateDecoder::new(payload);
        // Grows with the real output only; one byte more than expected shows a wrong length.
        let mut out = Vec::with_capacity(len.min(payload.len().saturating_mul(8)));
        (&mut dec)
            .take(len as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| CodecError::Failed(format!("deflate: {e}")))?;
        if dec.total_in() != payload.len() as u64 {
            return Err(CodecError::Failed(format!(
                "deflate: {} bytes after the end of the stream",
                payload.len() as u64 - dec.total_in()
            )));
        }
        Ok(out)
    }

    fn max_decoded_len(&self, n: usize) -> usize {
        // DEFLATE's best case is 258 bytes per 2 bits, about 1032:1.
        n.saturating_mul(1032).saturating_add(64)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_codec, check_corrupt_and_truncated};
    use super::*;

    #[test]
    fn round_trips() {
        check_codec(&Gzip);
    }

    #[test]
    fn corrupt_and_truncated_input_is_an_error() {
        check_corrupt_and_truncated(CodecId::Gzip);
    }

    #[test]
    fn every_level_round_trips_and_higher_is_not_larger() {
        let data = super::super::samples::cart(20_000);
        let sizes: Vec<usize> = (1..=9)
            .map(|l| {
                let c = Gzip.compress(&data, Some(l)).unwrap();
                assert_eq!(Gzip.decompress(&c, data.len()).unwrap(), data);
                c.len()
            })
            .collect();
        assert!(sizes[8] <= sizes[0], "{sizes:?}");
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        let mut c = Gzip.compress(b"hello hello hello hello", None).unwrap();
        c.extend_from_slice(b"junk");
        assert!(Gzip.decompress(&c, 23).is_err());
    }
}
