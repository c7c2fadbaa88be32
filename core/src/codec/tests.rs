//! Tests of the stored format as a whole ([`encode`] / [`decode`]) and helpers the per-codec
//! tests share.

use super::samples::{cart, flash, noise, profile, Rng};
use super::*;

const CODECS: [CodecId; 5] = [
    CodecId::Gzip,
    CodecId::Lz4,
    CodecId::Snappy,
    CodecId::Lzf,
    CodecId::Zstd,
];

fn comp(codec: CodecId, threshold: usize) -> Compression {
    Compression {
        codec,
        level: None,
        threshold,
    }
}

/// Encodes with `c`, checks the result decodes back under every configured codec.
fn round_trip(data: &[u8], c: &Compression) -> Stored {
    let e = encode(data, c);
    assert!(e.failure.is_none(), "{:?}", e.failure);
    for configured in CodecId::ALL {
        let (back, _) = decode(e.bytes.to_vec(), configured)
            .unwrap_or_else(|err| panic!("{c:?} read as {configured}: {err}"));
        assert!(back == data, "{c:?} read as {configured}: wrong data");
    }
    e.stored
}

/// Round trip of a codec alone, on the inputs every codec must handle.
pub(super) fn check_codec(codec: &dyn Codec) {
    let inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"a".to_vec(),
        b"ab".to_vec(),
        vec![b'a'; 1000],
        cart(1024),
        profile(100_000),
        flash(30_000),
        noise(10_000, 5),
    ];
    let levels: Vec<Option<i32>> = match codec.levels() {
        Some(l) => vec![None, Some(l.min), Some(l.default), Some(l.max)],
        None => vec![None],
    };
    for data in &inputs {
        for &level in &levels {
            match codec.compress(data, level) {
                Ok(c) => {
                    let back = codec.decompress(&c, data.len()).unwrap();
                    assert!(&back == data, "{:?} len {}", codec.id(), data.len());
                    assert!(data.len() <= codec.max_decoded_len(c.len()));
                }
                Err(CodecError::Incompressible) => {}
                Err(e) => panic!("{:?}: {e}", codec.id()),
            }
        }
    }
}

/// Corrupt and truncated values of a codec are errors (or, where the damage does not change
/// the decoded bytes, the original data), never wrong data and never a panic.
pub(super) fn check_corrupt_and_truncated(id: CodecId) {
    let data = profile(20_000);
    let e = encode(&data, &comp(id, 0));
    assert_eq!(e.stored, Stored::Compressed(id));
    let good = e.bytes.to_vec();
    // truncated: inside the header, right after it, mid-payload, one byte short
    for n in [
        4,
        5,
        HEADER_LEN - 1,
        HEADER_LEN,
        HEADER_LEN + 1,
        good.len() / 2,
        good.len() - 1,
    ] {
        let r = decode(good[..n].to_vec(), id);
        assert!(r.is_err(), "{id} truncated to {n}: {r:?}");
    }
    // every single-byte change in the header and a spread of payload positions
    let positions: Vec<usize> = (4..HEADER_LEN)
        .chain((HEADER_LEN..good.len()).step_by(good.len() / 97 + 1))
        .chain([good.len() - 1])
        .collect();
    for &at in &positions {
        for flip in [0x01u8, 0x80, 0xFF] {
            let mut bad = good.clone();
            bad[at] ^= flip;
            match decode(bad, id) {
                Err(_) => {}
                Ok((back, _)) => {
                    assert!(back == data, "{id}: byte {at} ^ {flip:#x} gave wrong data")
                }
            }
        }
    }
    // the CRC catches what the codec cannot: a payload of another value with the same length
    let other = encode(&cart(20_000), &comp(id, 0)).bytes.to_vec();
    let mut spliced = good[..HEADER_LEN].to_vec();
    spliced.extend_from_slice(&other[HEADER_LEN..]);
    assert!(
        decode(spliced, id).is_err(),
        "{id}: spliced payload accepted"
    );
}

#[test]
fn empty_session_is_stored_empty_and_reads_empty() {
    for codec in CodecId::ALL {
        for threshold in [0, 1, DEFAULT_THRESHOLD] {
            let e = encode(b"", &comp(codec, threshold));
            assert_eq!(e.stored, Stored::Raw);
            assert_eq!(&e.bytes[..], b"");
        }
        assert_eq!(decode(Vec::new(), codec), Ok((Vec::new(), Source::Raw)));
    }
}

#[test]
fn below_threshold_is_byte_identical_raw() {
    let data = cart(1500);
    for codec in CodecId::ALL {
        let e = encode(&data, &comp(codec, data.len() + 1));
        assert_eq!(e.stored, Stored::Raw, "{codec}");
        assert!(matches!(e.bytes, Cow::Borrowed(_)));
        assert_eq!(&e.bytes[..], &data[..]);
    }
}

#[test]
fn threshold_is_inclusive() {
    let data = cart(3000);
    for codec in CODECS {
        assert_eq!(
            round_trip(&data, &comp(codec, data.len())),
            Stored::Compressed(codec)
        );
        assert_eq!(round_trip(&data, &comp(codec, data.len() + 1)), Stored::Raw);
    }
}

#[test]
fn default_threshold_is_2048() {
    assert_eq!(Compression::default().threshold, 2048);
    assert_eq!(Compression::default().codec, CodecId::None);
}

#[test]
fn none_never_compresses() {
    let data = vec![b'x'; 100_000];
    let e = encode(&data, &comp(CodecId::None, 0));
    assert_eq!(e.stored, Stored::Raw);
    assert_eq!(&e.bytes[..], &data[..]);
}

#[test]
fn every_codec_reads_under_every_configuration() {
    // A site switches codecs (or disables compression): every stored value still reads.
    for data in [cart(5000), profile(40_000), flash(2048)] {
        for codec in CODECS {
            assert_eq!(
                round_trip(&data, &comp(codec, 0)),
                Stored::Compressed(codec)
            );
        }
    }
}

#[test]
fn ten_megabyte_sessions_round_trip() {
    let data = cart(10 * 1024 * 1024);
    assert!(data.len() >= 10 * 1024 * 1024);
    for codec in CODECS {
        let e = encode(&data, &comp(codec, DEFAULT_THRESHOLD));
        assert_eq!(e.stored, Stored::Compressed(codec));
        assert!(e.bytes.len() < data.len() / 2, "{codec}: {}", e.bytes.len());
        let (back, src) = decode(e.bytes.into_owned(), CodecId::None).unwrap();
        assert_eq!(src, Source::Header(codec));
        assert!(back == data, "{codec}");
    }
    // and raw: 10 MB of noise is stored as it is
    let n = noise(10 * 1024 * 1024, 9);
    for codec in CODECS {
        let e = encode(&n, &comp(codec, 0));
        assert_eq!(e.stored, Stored::Raw, "{codec}");
        assert_eq!(decode(e.bytes.into_owned(), codec).unwrap().0, n);
    }
}

#[test]
fn incompressible_data_is_stored_raw_never_larger() {
    for len in [HEADER_LEN, 100, 2048, 50_000] {
        let data = noise(len, len as u64);
        for codec in CODECS {
            let e = encode(&data, &comp(codec, 0));
            assert!(e.bytes.len() <= data.len(), "{codec} {len}");
            assert_eq!(e.stored, Stored::Raw, "{codec} {len}");
            assert!(e.failure.is_none());
        }
    }
}

#[test]
fn compressed_value_is_never_larger_than_raw() {
    // Barely compressible: compression saves less than the header costs.
    let mut data = noise(3000, 77);
    data.extend_from_slice(&[b'a'; 10]);
    for codec in CODECS {
        let e = encode(&data, &comp(codec, 0));
        assert!(e.bytes.len() <= data.len(), "{codec}");
    }
}

#[test]
fn raw_data_starting_with_the_magic_is_escaped_and_reads_back() {
    let mut cases: Vec<Vec<u8>> = vec![
        MAGIC.to_vec(),
        [&MAGIC[..], &[1]].concat(),
        [&MAGIC[..], b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"].concat(),
        [&MAGIC[..], b"|i:1;"].concat(),
    ];
    // a complete, valid compressed value stored as if it were session data
    cases.push(
        encode(&cart(4000), &comp(CodecId::Gzip, 0))
            .bytes
            .into_owned(),
    );
    // and an escaped one
    cases.push(encode(&MAGIC, &comp(CodecId::None, 0)).bytes.into_owned());
    for data in &cases {
        for codec in CodecId::ALL {
            let threshold = if codec == CodecId::None { 0 } else { 1 << 20 };
            assert_eq!(round_trip(data, &comp(codec, threshold)), Stored::Escaped);
        }
    }
    let e = encode(&MAGIC, &comp(CodecId::None, 0));
    assert_eq!(&e.bytes[..4], &MAGIC);
    assert_eq!(e.bytes[5], CodecId::None as u8);
    assert_eq!(&e.bytes[HEADER_LEN..], &MAGIC);
}

#[test]
fn prefixes_of_the_magic_are_plain_raw_values() {
    for n in 0..MAGIC.len() {
        let data = &MAGIC[..n];
        for codec in CodecId::ALL {
            assert_eq!(round_trip(data, &comp(codec, 1 << 20)), Stored::Raw);
        }
    }
}

/// The first bytes of what each PHP session serializer writes.
fn serializer_samples() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("php", b"user|a:1:{s:2:\"id\";i:7;}count|i:3;".to_vec()),
        ("php with empty key", b"|i:1;".to_vec()),
        ("php undef marker", b"!gone|count|i:3;".to_vec()),
        ("php non-UTF-8 key", b"\xFE\xFFkey|i:1;".to_vec()),
        ("php_binary", b"\x04useri:7;\x05counti:3;".to_vec()),
        ("php_binary undef", b"\x84user".to_vec()),
        (
            "php_serialize",
            b"a:2:{s:4:\"user\";i:7;s:5:\"count\";i:3;}".to_vec(),
        ),
        (
            "igbinary",
            b"\x00\x00\x00\x02\x14\x02\x11\x04user\x06\x07\x11\x05count\x06\x03".to_vec(),
        ),
        ("msgpack", b"\x82\xa4user\x07\xa5count\x03".to_vec()),
        ("msgpack map16", b"\xde\x00\x01\xa1a\x01".to_vec()),
        ("empty", Vec::new()),
    ]
}

#[test]
fn every_serializer_output_is_stored_byte_identical_when_small() {
    for (name, data) in serializer_samples() {
        for codec in CodecId::ALL {
            let e = encode(&data, &comp(codec, DEFAULT_THRESHOLD));
            assert_eq!(e.stored, Stored::Raw, "{name} under {codec}");
            assert_eq!(&e.bytes[..], &data[..]);
            for configured in CodecId::ALL {
                let (back, src) = decode(data.clone(), configured).unwrap();
                assert_eq!(back, data, "{name} read as {configured}");
                assert_eq!(src, Source::Raw, "{name} read as {configured}");
            }
        }
    }
}

#[test]
fn phpredis_values_read_when_the_same_codec_is_configured() {
    let data = flash(6000);
    let values = [
        (
            CodecId::Lzf,
            super::lzf::compress(&data, usize::MAX).unwrap(),
        ),
        (CodecId::Lz4, lz4::phpredis_encode(&data)),
        (CodecId::Zstd, ::zstd::bulk::compress(&data, 3).unwrap()),
    ];
    for (codec, v) in &values {
        for configured in CodecId::ALL {
            let (back, src) = decode(v.clone(), configured).unwrap();
            if configured == *codec {
                assert_eq!(src, Source::Phpredis(*codec));
                assert!(back == data);
            } else {
                // another codec configured: handed over as stored (PHP then reports it)
                assert_eq!(src, Source::Raw, "{codec} read as {configured}");
                assert_eq!(&back, v);
            }
        }
    }
}

#[test]
fn raw_values_a_phpredis_reader_would_take_are_escaped_when_a_codec_is_on() {
    // "\x01ab" is a valid lzf stream (a 2-byte literal run): phpredis's lzf reader would
    // decode it to "ab". Stored raw under compression=none (byte-identical to phpredis);
    // behind a header as soon as any codec is configured.
    let lzf_like = b"\x01ab".to_vec();
    let lz4_like = lz4::phpredis_encode(b"x|i:1;x|i:1;x|i:1;");
    let zstd_like = ::zstd::bulk::compress(b"x|i:1;", 1).unwrap();
    for data in [&lzf_like, &lz4_like, &zstd_like] {
        assert_eq!(round_trip_raw_under_none(data), Stored::Raw);
        for codec in CODECS {
            assert_eq!(
                round_trip(data, &comp(codec, 1 << 20)),
                Stored::Escaped,
                "{codec}"
            );
        }
    }
}

fn round_trip_raw_under_none(data: &[u8]) -> Stored {
    let e = encode(data, &comp(CodecId::None, 0));
    assert_eq!(&e.bytes[..], data);
    e.stored
}

#[test]
fn header_errors_name_the_problem() {
    let good = encode(&cart(5000), &comp(CodecId::Lz4, 0))
        .bytes
        .into_owned();
    let err = |v: Vec<u8>| decode(v, CodecId::None).unwrap_err();

    assert!(matches!(
        err(good[..9].to_vec()),
        DecodeError::Header(HeaderError::Truncated(9))
    ));
    let mut v = good.clone();
    v[4] = 7;
    let e = err(v);
    assert_eq!(e, DecodeError::Header(HeaderError::Version(7)));
    assert!(e.to_string().contains("newer redis_session"), "{e}");
    let mut v = good.clone();
    v[5] = 42;
    let e = err(v);
    assert_eq!(e.codec_name(), "unknown codec id 42");
    // a length no lz4 payload of this size can reach
    let mut v = good.clone();
    v[6..10].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(err(v), DecodeError::ImplausibleLength { .. }));
    // a length one off
    let mut v = good.clone();
    let len = u32::from_le_bytes([v[6], v[7], v[8], v[9]]);
    v[6..10].copy_from_slice(&(len + 1).to_le_bytes());
    assert!(decode(v, CodecId::None).is_err());
    // crc
    let mut v = good.clone();
    v[10] ^= 1;
    let e = err(v);
    assert_eq!(
        e,
        DecodeError::Checksum {
            codec: CodecId::Lz4
        }
    );
    assert_eq!(e.codec_name(), "lz4");
    // codec none whose length disagrees with the payload
    let mut esc = encode(&MAGIC, &comp(CodecId::None, 0)).bytes.into_owned();
    esc.push(b'!');
    assert!(matches!(err(esc), DecodeError::Length { .. }));
}

#[test]
fn levels_in_range_are_used_others_fall_back_to_the_default() {
    let c = |codec, level| Compression {
        codec,
        level,
        threshold: 0,
    };
    assert_eq!(c(CodecId::Gzip, None).effective_level(), Some(6));
    assert_eq!(c(CodecId::Gzip, Some(9)).effective_level(), Some(9));
    assert_eq!(c(CodecId::Gzip, Some(15)).effective_level(), Some(6));
    assert_eq!(c(CodecId::Zstd, Some(19)).effective_level(), Some(19));
    assert_eq!(c(CodecId::Zstd, None).effective_level(), Some(3));
    for codec in [CodecId::Lz4, CodecId::Snappy, CodecId::Lzf, CodecId::None] {
        assert_eq!(c(codec, Some(5)).effective_level(), None);
    }
    // levels change the output and still round-trip
    let data = profile(50_000);
    let fast = encode(&data, &c(CodecId::Zstd, Some(1))).bytes.len();
    let best = encode(&data, &c(CodecId::Zstd, Some(19))).bytes.len();
    assert!(best < fast, "{best} {fast}");
}

#[test]
fn codec_names_parse_case_insensitively_and_exactly() {
    for codec in CodecId::ALL {
        assert_eq!(CodecId::parse(codec.name()), Some(codec));
        assert_eq!(CodecId::parse(&codec.name().to_uppercase()), Some(codec));
        assert_eq!(CodecId::from_byte(codec as u8), Some(codec));
    }
    assert_eq!(CodecId::parse(""), Some(CodecId::None));
    assert_eq!(CodecId::parse(" LZ4 "), Some(CodecId::Lz4));
    for bad in ["lz", "lzfx", "gz", "zlib", "deflate", "brotli", "lz4hc"] {
        assert_eq!(CodecId::parse(bad), None, "{bad}");
    }
}

/// Mutates valid values at random (bit flips, truncation, insertion, splices of headers) and
/// feeds random bytes: decode must never panic, and must never return wrong data for a value
/// that still carries our header. A bounded stand-in for the cargo-fuzz targets in fuzz/
/// (`make fuzz` runs those); REDIS_SESSION_FUZZ_ITERS raises the count.
#[test]
fn randomized_decode_never_panics_or_returns_wrong_data() {
    let iters: usize = std::env::var("REDIS_SESSION_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut r = Rng::new(0xC0DEC);
    let originals: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"a|i:1;".to_vec(),
        cart(300),
        profile(3000),
        flash(9000),
        noise(500, 1),
    ];
    let mut encoded = Vec::new();
    for (i, data) in originals.iter().enumerate() {
        for codec in CodecId::ALL {
            encoded.push((i, encode(data, &comp(codec, 0)).bytes.into_owned()));
        }
        encoded.push((i, encode(data, &comp(CodecId::Gzip, 0)).bytes.into_owned()));
    }
    for _ in 0..iters {
        let (orig, base) = &encoded[r.below(encoded.len() as u64) as usize];
        let mut v = base.clone();
        let mut replaced = false;
        for _ in 0..=r.below(3) {
            match r.below(6) {
                0 if !v.is_empty() => {
                    let at = r.below(v.len() as u64) as usize;
                    v[at] ^= 1 << r.below(8);
                }
                1 => v.truncate(r.below(v.len() as u64 + 1) as usize),
                2 => {
                    let at = r.below(v.len() as u64 + 1) as usize;
                    v.insert(at, r.next_u64() as u8);
                }
                3 if v.len() > HEADER_LEN => {
                    // a header of another codec over this payload
                    v[5] = r.below(6) as u8;
                }
                4 => {
                    v = noise(r.below(200) as usize, r.next_u64());
                    replaced = true;
                }
                _ => {
                    let mut h = MAGIC.to_vec();
                    h.extend(noise(r.below(40) as usize, r.next_u64()));
                    v = h;
                    replaced = true;
                }
            }
        }
        let configured = CodecId::ALL[r.below(6) as usize];
        let had_header = v.starts_with(&MAGIC);
        if let Ok((back, src)) = decode(v.clone(), configured) {
            if had_header {
                assert!(matches!(src, Source::Header(_)));
                // Random bytes after MAGIC pass only with a matching CRC-32 (p = 2^-32).
                assert!(
                    replaced || back == originals[*orig],
                    "wrong data from a mutated value {v:?}"
                );
            }
        }
    }
}

#[test]
fn max_size_is_checked_before_decoding() {
    let data = profile(50_000);
    let n = data.len();
    let too_large =
        |r: Result<(Vec<u8>, Source), DecodeError>| matches!(r, Err(DecodeError::TooLarge { .. }));
    for codec in CODECS {
        let stored = encode(&data, &comp(codec, 0)).bytes.into_owned();
        assert!(stored.len() < 20_000, "{codec}");
        // The header says n: refused at n - 1 without decoding, read at n.
        assert!(
            too_large(decode_limited(stored.clone(), codec, n - 1)),
            "{codec}"
        );
        assert_eq!(decode_limited(stored.clone(), codec, n).unwrap().0, data);
        assert_eq!(
            decode_limited(stored, codec, 0).unwrap().0,
            data,
            "0 = unlimited"
        );
    }
    // A header claiming 4 GiB over a few bytes: TooLarge under a limit, Implausible without.
    let mut claim = Header {
        codec: CodecId::Zstd,
        len: u32::MAX,
        crc: 0,
    }
    .to_bytes()
    .to_vec();
    claim.extend_from_slice(&[0x28, 0xB5, 0x2F, 0xFD, 0, 0]);
    assert!(too_large(decode_limited(
        claim.clone(),
        CodecId::None,
        1 << 26
    )));
    assert!(matches!(
        decode(claim, CodecId::None),
        Err(DecodeError::ImplausibleLength { .. })
    ));
    // Raw values, and phpredis's formats (lz4 and zstd carry their length, lzf does not).
    assert!(too_large(decode_limited(
        vec![b'a'; 1001],
        CodecId::None,
        1000
    )));
    assert_eq!(
        decode_limited(vec![b'a'; 1000], CodecId::None, 1000)
            .unwrap()
            .0
            .len(),
        1000
    );
    let lz4 = super::lz4::phpredis_encode(&data);
    assert!(too_large(decode_limited(lz4.clone(), CodecId::Lz4, n - 1)));
    assert_eq!(decode_limited(lz4, CodecId::Lz4, n).unwrap().0, data);
    let zstd = ::zstd::bulk::compress(&data, 3).unwrap();
    assert!(too_large(decode_limited(zstd, CodecId::Zstd, n - 1)));
    let lzf = super::lzf::compress(&data, data.len()).unwrap();
    assert!(too_large(decode_limited(lzf.clone(), CodecId::Lzf, n - 1)));
    assert_eq!(decode_limited(lzf, CodecId::Lzf, n).unwrap().0, data);
}
