//! Realistic session payloads for codec tests and the compression bench: what PHP's default
//! `php` session serializer produces for a shopping cart, a user profile and flash messages,
//! with deterministic pseudo-random content (ids, prices, tokens, text).

/// A small deterministic PRNG (xorshift64*), so payloads are the same on every run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
}

/// PHP `serialize()` of scalars and arrays, enough for session payloads.
enum V {
    I(i64),
    B(bool),
    D(f64),
    S(String),
    N,
    A(Vec<(String, V)>),
}

fn ser(v: &V, out: &mut String) {
    match v {
        V::I(i) => out.push_str(&format!("i:{i};")),
        V::B(b) => out.push_str(&format!("b:{};", u8::from(*b))),
        V::D(d) => out.push_str(&format!("d:{d};")),
        V::S(s) => out.push_str(&format!("s:{}:\"{s}\";", s.len())),
        V::N => out.push_str("N;"),
        V::A(items) => {
            out.push_str(&format!("a:{}:{{", items.len()));
            for (k, v) in items {
                ser_entry(k, v, out);
            }
            out.push('}');
        }
    }
}

/// One array entry: the key (an integer key when it looks like one, as PHP does) and its value.
fn ser_entry(k: &str, v: &V, out: &mut String) {
    match k.parse::<i64>() {
        Ok(i) => out.push_str(&format!("i:{i};")),
        Err(_) => out.push_str(&format!("s:{}:\"{k}\";", k.len())),
    }
    ser(v, out);
}

/// A `php`-serializer session: `name|value` for each top-level variable.
fn session(vars: Vec<(&str, V)>) -> Vec<u8> {
    let mut out = String::new();
    for (name, v) in vars {
        out.push_str(name);
        out.push('|');
        ser(&v, &mut out);
    }
    out.into_bytes()
}

fn s(v: impl Into<String>) -> V {
    V::S(v.into())
}

fn kv(k: &str, v: V) -> (String, V) {
    (k.to_string(), v)
}

const WORDS: &[&str] = &[
    "organic",
    "cotton",
    "shirt",
    "blue",
    "large",
    "ceramic",
    "mug",
    "coffee",
    "wireless",
    "headphones",
    "noise",
    "cancelling",
    "leather",
    "wallet",
    "running",
    "shoes",
    "steel",
    "bottle",
    "desk",
    "lamp",
    "notebook",
    "recycled",
    "paper",
    "gift",
    "card",
    "premium",
];
const CITIES: &[&str] = &[
    "Berlin", "Lyon", "Porto", "Austin", "Osaka", "Leeds", "Turin",
];
const MESSAGES: &[&str] = &[
    "Your changes have been saved.",
    "The item was added to your cart.",
    "Please confirm your email address to continue.",
    "Your password was changed successfully.",
    "We could not process your payment. Please try another card.",
    "A new version of the terms of service is available.",
    "Your order has shipped and is on its way.",
];

fn words(r: &mut Rng, n: usize) -> String {
    (0..n).map(|_| r.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

fn common(r: &mut Rng) -> Vec<(&'static str, V)> {
    vec![
        ("_token", s(r.hex(40))),
        ("user_id", V::I(100_000 + r.below(900_000) as i64)),
        ("locale", s("en_US")),
        (
            "last_activity",
            V::I(1_700_000_000 + r.below(10_000_000) as i64),
        ),
    ]
}

fn item(r: &mut Rng, id: usize) -> (String, V) {
    let price = (r.below(20_000) as f64) / 100.0 + 0.99;
    let n_words = 3 + r.below(3) as usize;
    (
        id.to_string(),
        V::A(vec![
            kv(
                "sku",
                s(format!("SKU-{:06}-{}", r.below(1_000_000), r.hex(4))),
            ),
            kv("name", s(words(r, n_words))),
            kv("qty", V::I(1 + r.below(4) as i64)),
            kv("price", V::D(price)),
            kv("currency", s("EUR")),
            kv("gift_wrap", V::B(r.below(5) == 0)),
            kv(
                "options",
                V::A(vec![
                    kv("size", s(r.pick(&["S", "M", "L", "XL"]))),
                    kv("color", s(r.pick(&["red", "blue", "black", "white"]))),
                ]),
            ),
            kv("added_at", V::I(1_700_000_000 + r.below(1_000_000) as i64)),
        ]),
    )
}

/// Serializes `head`, then `name|a:N:{...}` whose entries come from `entry(rng, index)` until
/// the whole session reaches about `target` bytes.
fn grow(
    head: Vec<(&str, V)>,
    name: &str,
    target: usize,
    r: &mut Rng,
    mut entry: impl FnMut(&mut Rng, usize) -> (String, V),
) -> Vec<u8> {
    let mut out = session(head);
    let mut body = String::new();
    let mut n = 0;
    while out.len() + body.len() + name.len() + 16 < target {
        let (k, v) = entry(r, n);
        ser_entry(&k, &v, &mut body);
        n += 1;
    }
    out.extend_from_slice(format!("{name}|a:{n}:{{{body}}}").as_bytes());
    out
}

/// A shopping cart (line items with SKU, name, price, options) of about `target` bytes.
pub fn cart(target: usize) -> Vec<u8> {
    let mut r = Rng::new(1);
    let mut head = common(&mut r);
    head.push(("coupon", V::N));
    grow(head, "cart", target, &mut r, item)
}

/// A user profile (identity, address, roles, preferences, an access token) followed by a
/// recently-viewed / activity list, of about `target` bytes.
pub fn profile(target: usize) -> Vec<u8> {
    let mut r = Rng::new(2);
    let mut head = common(&mut r);
    let first = r.pick(&["Ada", "Grace", "Linus", "Ken", "Barbara", "Dennis"]);
    let last = r.pick(&["Lovelace", "Hopper", "Torvalds", "Thompson", "Liskov"]);
    head.push((
        "user",
        V::A(vec![
            kv("id", V::I(r.below(1_000_000) as i64)),
            kv(
                "email",
                s(format!("{}.{}@example.com", first, last).to_lowercase()),
            ),
            kv("name", s(format!("{first} {last}"))),
            kv(
                "address",
                V::A(vec![
                    kv("street", s(format!("{} Main Street", 1 + r.below(200)))),
                    kv("city", s(r.pick(CITIES))),
                    kv("zip", s(format!("{:05}", r.below(100_000)))),
                ]),
            ),
            kv(
                "roles",
                V::A(vec![kv("0", s("customer")), kv("1", s("newsletter"))]),
            ),
            kv(
                "preferences",
                V::A(vec![
                    kv("theme", s("dark")),
                    kv("currency", s("EUR")),
                    kv("items_per_page", V::I(24)),
                    kv("marketing_emails", V::B(false)),
                ]),
            ),
            kv("access_token", s(r.hex(64))),
            kv(
                "token_expires",
                V::I(1_700_000_000 + r.below(100_000) as i64),
            ),
        ]),
    ));
    grow(head, "activity", target, &mut r, |r, i| {
        (
            i.to_string(),
            V::A(vec![
                kv("at", V::I(1_700_000_000 + r.below(1_000_000) as i64)),
                kv("page", s(format!("/products/{}", r.below(50_000)))),
                kv("ref", s(r.pick(&["search", "home", "category", "email"]))),
                kv("city", s(r.pick(CITIES))),
            ]),
        )
    })
}

/// Flash messages and old form input (what frameworks keep between two requests), of about
/// `target` bytes.
pub fn flash(target: usize) -> Vec<u8> {
    let mut r = Rng::new(3);
    let mut head = common(&mut r);
    head.push((
        "_old_input",
        V::A(vec![
            kv("name", s("Grace Hopper")),
            kv("email", s("grace@example.com")),
            kv("comment", s(words(&mut r, 30))),
        ]),
    ));
    grow(head, "_flash", target, &mut r, |r, i| {
        (
            i.to_string(),
            V::A(vec![
                kv("type", s(r.pick(&["success", "info", "warning", "error"]))),
                kv("message", s(r.pick(MESSAGES))),
                kv("created", V::I(1_700_000_000 + r.below(1_000_000) as i64)),
                kv("id", s(r.hex(12))),
            ]),
        )
    })
}

/// Random bytes (incompressible), for the "larger than the input" paths.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut r = Rng::new(seed);
    (0..len).map(|_| r.next_u64() as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_reach_their_size_and_look_like_php_sessions() {
        for (f, name) in [
            (cart as fn(usize) -> Vec<u8>, "cart|"),
            (profile, "activity|"),
            (flash, "_flash|"),
        ] {
            for target in [1024, 10_000, 100_000] {
                let v = f(target);
                assert!(
                    v.len() >= target && v.len() < target + 400,
                    "{name} {target}: {}",
                    v.len()
                );
                let text = String::from_utf8(v).unwrap();
                assert!(text.starts_with("_token|s:40:\""), "{}", &text[..40]);
                assert!(text.contains(name));
                assert!(text.ends_with('}'));
            }
        }
        // deterministic
        assert_eq!(cart(5000), cart(5000));
    }

    #[test]
    fn grow_writes_valid_array_entries() {
        let v = String::from_utf8(flash(1500)).unwrap();
        let at = v.find("_flash|a:").unwrap();
        let n: usize = v[at + 9..].split(':').next().unwrap().parse().unwrap();
        assert_eq!(v[at..].matches("s:4:\"type\"").count(), n);
    }
}
