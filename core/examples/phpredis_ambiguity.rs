//! How often a raw session is also a valid value in one of phpredis's compressed formats: reads
//! blobs written by bench/compression/raw_sessions.php (u32 LE length + bytes; igbinary and
//! php_binary alternating) and counts those that phpredis's lzf / lz4 / zstd readers, as
//! implemented in core/src/codec, would take for compressed data. "bare LZF" counts the blobs
//! that are valid LZF streams at all (what a reader without the igbinary rule would accept).
//!
//!   php -n -d extension=igbinary bench/compression/raw_sessions.php /tmp/raw.bin 100000
//!   cargo run --release -p redis_session_core --example phpredis_ambiguity -- /tmp/raw.bin

use redis_session_core::codec::CodecId;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: phpredis_ambiguity FILE");
    let data = std::fs::read(path).expect("read the blob file");
    let names = ["igbinary", "php_binary"];
    let readers = [CodecId::Lzf, CodecId::Lz4, CodecId::Zstd];
    let mut total = [0usize; 2];
    let mut hits = [[0usize; 3]; 2];
    let mut bare_lzf = [0usize; 2];
    let (mut at, mut i) = (0, 0);
    while at + 4 <= data.len() {
        let n = u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize;
        let blob = &data[at + 4..at + 4 + n];
        at += 4 + n;
        let kind = i % 2;
        i += 1;
        total[kind] += 1;
        for (j, id) in readers.iter().enumerate() {
            if id.codec().expect("codec").decode_phpredis(blob).is_some() {
                hits[kind][j] += 1;
            }
        }
        if !blob.is_empty() && lzf::decompress(blob, blob.len() * 100 + 64).is_ok() {
            bare_lzf[kind] += 1;
        }
    }
    for k in 0..2 {
        println!(
            "{}: {} sessions; taken for phpredis lzf {}, lz4 {}, zstd {}; valid bare LZF streams {}",
            names[k], total[k], hits[k][0], hits[k][1], hits[k][2], bare_lzf[k]
        );
    }
}
