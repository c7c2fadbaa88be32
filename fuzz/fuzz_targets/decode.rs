//! The whole read path: any stored value, under any configured codec, decodes or is an error
//! (never a panic, never an unbounded allocation); a value with our header that decodes
//! re-encodes to a value that decodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redis_session_core::codec::{decode, encode, CodecId, Compression, Source};

fuzz_target!(|input: &[u8]| {
    let Some((&sel, stored)) = input.split_first() else {
        return;
    };
    let configured = CodecId::ALL[usize::from(sel) % CodecId::ALL.len()];
    if let Ok((data, source)) = decode(stored.to_vec(), configured) {
        if matches!(source, Source::Raw) {
            assert_eq!(data, stored);
        }
        let c = Compression {
            codec: configured,
            level: None,
            threshold: usize::from(sel >> 3) * 16,
        };
        let again = encode(&data, &c);
        let (back, _) =
            decode(again.bytes.into_owned(), configured).expect("our own output decodes");
        assert_eq!(back, data);
    }
});
