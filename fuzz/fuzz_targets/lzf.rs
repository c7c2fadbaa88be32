//! The lzf codec under libFuzzer: see redis_session_core::codec::fuzz_codec.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redis_session_core::codec::{fuzz_codec, CodecId};

fuzz_target!(|input: &[u8]| fuzz_codec(CodecId::Lzf, input));
