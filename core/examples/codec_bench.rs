//! Compression bench: ratio and compress / decompress throughput of every codec on realistic
//! PHP-serialized session payloads (cart, user profile, flash messages; 1 KB to 1 MB), through
//! the same `codec::encode` / `codec::decode` the handler calls (header and CRC-32 included).
//!
//! Run: `cargo run --release -p redis_session_core --example codec_bench` (or `make
//! bench-compression`). `BENCH_MS=500` sets the time spent per measurement (default 300).

use std::hint::black_box;
use std::time::{Duration, Instant};

use redis_session_core::codec::{decode, encode, samples, CodecId, Compression, Stored};

/// Builds a session payload of about the given size.
type Payload = fn(usize) -> Vec<u8>;

/// Runs `f` repeatedly for at least `budget`; returns the mean time per call.
fn time_per_call(budget: Duration, mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget || n < 3 {
        f();
        n += 1;
    }
    start.elapsed() / n
}

fn mb_per_s(bytes: usize, per_call: Duration) -> f64 {
    bytes as f64 / 1e6 / per_call.as_secs_f64()
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
    );
    let configs: Vec<(CodecId, Option<i32>)> = vec![
        (CodecId::Gzip, Some(1)),
        (CodecId::Gzip, None),
        (CodecId::Lz4, None),
        (CodecId::Snappy, None),
        (CodecId::Lzf, None),
        (CodecId::Zstd, Some(1)),
        (CodecId::Zstd, None),
        (CodecId::Zstd, Some(9)),
    ];
    let payloads: [(&str, Payload); 3] = [
        ("cart", samples::cart),
        ("profile", samples::profile),
        ("flash", samples::flash),
    ];
    let sizes = [1024, 10 * 1024, 100 * 1024, 1024 * 1024];

    println!("Ratio = stored bytes / session bytes (lower is better; header included).");
    println!("MB/s = session megabytes (10^6 bytes) per second, one core.\n");
    for (kind, make) in payloads {
        println!("### {kind}\n");
        println!("| codec | size | stored bytes | ratio | compress MB/s | decompress MB/s |");
        println!("|---|---:|---:|---:|---:|---:|");
        for &size in &sizes {
            let data = make(size);
            for &(codec, level) in &configs {
                let c = Compression {
                    codec,
                    level,
                    threshold: 0,
                };
                let e = encode(&data, &c);
                let stored = e.bytes.to_vec();
                let name = match (level, c.effective_level()) {
                    (Some(_), Some(l)) => format!("{codec} -{l}"),
                    (None, Some(l)) => format!("{codec} (-{l}, default)"),
                    _ => codec.to_string(),
                };
                if e.stored != Stored::Compressed(codec) {
                    println!(
                        "| {name} | {} | {} | stored raw | | |",
                        data.len(),
                        stored.len()
                    );
                    continue;
                }
                let comp = time_per_call(budget, || {
                    black_box(encode(black_box(&data), &c).bytes.len());
                });
                let decomp = time_per_call(budget, || {
                    let v = stored.clone();
                    black_box(decode(v, CodecId::None).expect("decodes").0.len());
                });
                assert_eq!(decode(stored.clone(), CodecId::None).unwrap().0, data);
                println!(
                    "| {name} | {} | {} | {:.3} | {:.0} | {:.0} |",
                    data.len(),
                    stored.len(),
                    stored.len() as f64 / data.len() as f64,
                    mb_per_s(data.len(), comp),
                    mb_per_s(data.len(), decomp),
                );
            }
        }
        println!();
    }
}
