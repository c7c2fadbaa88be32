//! `snappy`: the Snappy raw format via snap (no levels). The payload starts with Snappy's own
//! varint length, which must agree with our header's. phpredis has no snappy.

use super::{Codec, CodecError, CodecId};

pub struct Snappy;

impl Codec for Snappy {
    fn id(&self) -> CodecId {
        CodecId::Snappy
    }

    fn compress(&self, data: &[u8], _level: Option<i32>) -> Result<Vec<u8>, CodecError> {
        snap::raw::Encoder::new()
            .compress_vec(data)
            .map_err(|e| CodecError::Failed(e.to_string()))
    }

    fn decompress(&self, payload: &[u8], len: usize) -> Result<Vec<u8>, CodecError> {
        let inner =
            snap::raw::decompress_len(payload).map_err(|e| CodecError::Failed(e.to_string()))?;
        if inner != len {
            return Err(CodecError::Failed(format!(
                "its length field says {inner} bytes, the header {len}"
            )));
        }
        // Into a buffer we allocate fallibly (decompress_vec would abort on a failed one).
        let mut out = super::try_zeroed(len)?;
        let n = snap::raw::Decoder::new()
            .decompress(payload, &mut out)
            .map_err(|e| CodecError::Failed(e.to_string()))?;
        out.truncate(n);
        Ok(out)
    }

    fn max_decoded_len(&self, n: usize) -> usize {
        // The densest element is a 3-byte copy of 64 bytes.
        n.saturating_mul(22).saturating_add(64)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_codec, check_corrupt_and_truncated};
    use super::*;

    #[test]
    fn round_trips() {
        check_codec(&Snappy);
    }

    #[test]
    fn corrupt_and_truncated_input_is_an_error() {
        check_corrupt_and_truncated(CodecId::Snappy);
    }

    #[test]
    fn inner_length_must_match() {
        let c = Snappy.compress(b"abcabcabcabcabcabcabc", None).unwrap();
        assert!(Snappy.decompress(&c, 21).is_ok());
        assert!(Snappy.decompress(&c, 20).is_err());
        assert!(Snappy.decompress(&c, 22).is_err());
    }
}
