//! Hides credentials in a save_path before PHP can print it (PHP's own "Failed to read
//! session data ... (path: ...)" messages quote session.save_path verbatim).

use crate::save_path::secret_spans;

/// The save_path with every secret replaced by `***`, or None when there is nothing to hide.
/// What counts as a secret comes from the save_path tokenizer itself
/// ([`secret_spans`]: one parser, one truth), never from a second scan of the text.
pub fn redact_save_path(path: &str) -> Option<String> {
    let spans = secret_spans(path);
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(path.len());
    let mut at = 0;
    for r in spans {
        out.push_str(&path[at..r.start]);
        out.push_str("***");
        at = r.end;
    }
    out.push_str(&path[at..]);
    Some(out)
}

/// A quoted part of a save_path for a message: cut at the first secret-looking word.
pub fn scrub_part(part: &str) -> String {
    // `auth_file=<path>` / `auth_env=<name>` say where the password is (a path such as
    // /run/secrets/redis_auth), not what it is: shown as they are.
    // Such a value holds no `=`, `?`, `&`, `%` or `@`: from the first one on it may be
    // another option that a mistyped separator ran into it (`auth_file=/f?auth=Pw`).
    if let Some(name) = ["auth_file=", "auth_env="]
        .iter()
        .find(|p| part.starts_with(*p))
    {
        let value = &part[name.len()..];
        return match value
            .find(|c: char| "=?&%@".contains(c) || c.is_whitespace() || c.is_control())
        {
            Some(i) => format!("{name}{}***", &value[..i]),
            None => part.to_string(),
        };
    }
    match first_secret_word(part) {
        Some(i) => format!("{}***", &part[..i]),
        None => part.to_string(),
    }
}

/// Where the first secret-looking word ("auth", "pass", "secret", any case) starts.
fn first_secret_word(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    ["auth", "pass", "secret"]
        .iter()
        .filter_map(|w| lower.find(w))
        .min()
}

/// A message quoting part of a save_path: everything from the first secret-looking word
/// ("auth", "pass", "secret", any case, also inside a value) to the end of each quoted part
/// ('...') becomes `***`.
pub fn scrub_message(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(open) = rest.find('\'') {
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let close = after.find('\'').unwrap_or(after.len());
        let quoted = &after[..close];
        match first_secret_word(quoted) {
            Some(i) => {
                out.push_str(&quoted[..i]);
                out.push_str("***");
            }
            None => out.push_str(quoted),
        }
        if close == after.len() {
            return out;
        }
        out.push('\'');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_every_auth_form_of_a_valid_path() {
        for (input, want) in [
            ("tcp://h:1?auth=secret", Some("tcp://h:1?auth=***")),
            (
                "tcp://h:1?timeout=1&auth=s%26cret&prefix=x",
                Some("tcp://h:1?timeout=1&auth=***&prefix=x"),
            ),
            (
                "seed[]=a:1&auth[]=user&auth[]=pass",
                Some("seed[]=a:1&auth[]=***&auth[]=***"),
            ),
            (
                "seed[]=a:1&auth[user]=u&auth[pass]=p&timeout=2",
                Some("seed[]=a:1&auth[user]=***&auth[pass]=***&timeout=2"),
            ),
            // As the rediscluster tokenizer reads it, the first auth value runs to the next
            // `&`: the rest of the list is hidden with it.
            (
                "tcp://a:1?auth=x, tcp://b:2?auth=y",
                Some("tcp://a:1?auth=***"),
            ),
            // ... and an option value that holds `?auth=` is hidden whole.
            (
                "tcp://a:1?auth=x&timeout=1, tcp://b:2?auth=y",
                Some("tcp://a:1?auth=***&timeout=***"),
            ),
            (
                "tcp://a:1?auth=x&timeout=1, tcp://b:2?timeout=2",
                Some("tcp://a:1?auth=***&timeout=1, tcp://b:2?timeout=2"),
            ),
            (
                "seed[]=a:1&auth%5B%5D=pw",
                Some("seed[]=a:1&auth%5B%5D=***"),
            ),
            // Where the parser names the password, whatever the spelling of the key (#11).
            (
                "seed[]=a:1&auth=SECRETone,SECRETtwo",
                Some("seed[]=a:1&auth=***"),
            ),
            (
                "tcp://h:1?timeout=1&auth=SECRETone,SECRETtwo",
                Some("tcp://h:1?timeout=1&auth=***"),
            ),
            (
                "seed[]=a:1&auth=SECRET one&timeout=1",
                Some("seed[]=a:1&auth=***&timeout=1"),
            ),
            ("seed[]=a:1& auth=pw", Some("seed[]=a:1& auth=***")),
            ("seed[]=a:1&+auth=pw", Some("seed[]=a:1&+auth=***")),
            ("seed[]=a:1&%20auth=pw", Some("seed[]=a:1&%20auth=***")),
            (
                "tcp://host:6379?au%74h=pw",
                Some("tcp://host:6379?au%74h=***"),
            ),
            (
                "tcp://h:1?%61uth%5Bpass%5D=pw&auth[user]=u",
                Some("tcp://h:1?%61uth%5Bpass%5D=***&auth[user]=***"),
            ),
            // Where the password is kept is not a secret.
            ("tcp://h:1?auth_file=/run/secrets/redis", None),
            ("seed[]=a:1&auth_env=REDIS_PASSWORD", None),
            ("tcp://h:1?timeout=1", None),
            ("tcp://h:1?prefix=author&timeout=1", None),
            ("", None),
        ] {
            assert_eq!(redact_save_path(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn hides_passwords_in_paths_that_do_not_parse() {
        for (input, want) in [
            // An unencoded '&' splits the password into an unknown option: from the first
            // secret on, everything is hidden.
            (
                "tcp://h:1?timeout=1&auth=Hd&Tl",
                "tcp://h:1?timeout=1&auth=***",
            ),
            (
                "seed[]=a:1&auth[user]=u&auth[pass]=Hd&Tl=x",
                "seed[]=a:1&auth[user]=***",
            ),
            ("seed[]=a:1&auth=pa&timeout=1x", "seed[]=a:1&auth=***"),
            // Credentials in the address.
            ("tcp://user:Pw@h:1?timeout=1", "tcp://***@h:1?timeout=1"),
            ("tls://:Pw@h:1", "tls://***@h:1"),
            ("seed[]=user:Pw@h:1&timeout=1", "seed[]=***&timeout=1"),
            // Misspelt or misplaced keys.
            ("tcp://h:1?password=Pw", "tcp://h:1?password=***"),
            ("tcp://h:1?AUTH=Pw&timeout=1", "tcp://h:1?AUTH=***"),
            ("tcp://h:1?auth[Pw]=x", "tcp://h:1?***"),
            ("seed[]=h:1&requirepass=Pw", "seed[]=h:1&requirepass=***"),
            (
                "tcp://a:1?pass=X, tcp://b:2?timeout=1",
                "tcp://a:1?pass=***",
            ),
            ("seed[]=h:1&auth=Pw&bogus", "seed[]=h:1&auth=***"),
            // A raw space in a password splits the redis handler's server list.
            ("tcp://h:1?auth=SECRET one&timeout=1", "tcp://h:1?auth=***"),
        ] {
            assert_eq!(redact_save_path(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(redact_save_path("tcp://h:1?timout=1"), None);
    }

    /// xorshift64*: a fixed sequence, so a failure is reproducible.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    /// PHP's urldecode, lossy (to look for a secret that the output shows encoded).
    fn decoded(s: &str) -> String {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    }

    /// The property of #11: for any save_path with a secret in it (a password made of markers
    /// joined by every kind of separator, under every spelling of the auth key, in both
    /// handlers' syntax, among other options), no marker shows in the redacted path, raw or
    /// decoded. Bounded (REDIS_SESSION_REDACT_ITERS, default 10000); most generated paths parse.
    #[test]
    fn no_generated_secret_ever_shows() {
        let iters: usize = std::env::var("REDIS_SESSION_REDACT_ITERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let keys = [
            "auth",
            " auth",
            "+auth",
            "%20auth",
            "au%74h",
            "%61uth",
            "%61%75%74%68",
            "++auth",
        ];
        let seps = [
            ",", " ", "%2C", "%20", "+", "%26", "%3D", "=", "#", "%23", "%40", "@", "%", "[", "]",
            "%5B", ":", "/", "?", "~", "%2B", "\t",
        ];
        let others = [
            "timeout=1",
            "read_timeout=2",
            "prefix=app%3A",
            "persistent=1",
            "prefix=a,b",
        ];
        let (mut accepted, mut total) = (0, 0);
        for n in 0..iters {
            // The secret: markers SQk<n> joined by separators.
            let pieces = 1 + rng.next() % 4;
            let mut secret = String::new();
            let mut markers = Vec::new();
            for k in 0..pieces {
                if k > 0 {
                    secret.push_str(rng.pick(&seps));
                }
                let m = format!("SQ{k}x{}", n % 97);
                secret.push_str(&m);
                markers.push(m);
            }
            let key = rng.pick(&keys);
            let auth = match rng.next() % 4 {
                0 => format!("{key}={secret}"),
                1 => format!("{key}[]=user&{key}[]={secret}"),
                2 => format!("{key}%5B%5D={secret}"),
                _ => format!("{key}[user]=u&{key}[pass]={secret}"),
            };
            let mut opts: Vec<String> = (0..rng.next() % 3)
                .map(|_| rng.pick(&others).to_string())
                .collect();
            let at = (rng.next() % (opts.len() as u64 + 1)) as usize;
            opts.insert(at, auth);
            let query = opts.join("&");
            let path = match rng.next() % 4 {
                0 => format!("tcp://127.0.0.1:6379?{query}"),
                1 => format!("tcp://10.0.0.1:1?timeout=1, tls://h:2?{query}"),
                2 => format!("seed[]=127.0.0.1:7000&{query}"),
                _ => format!(" {query}&seed[]=h:1&seed[]=h:2 "),
            };
            total += 1;
            if crate::save_path::parse_standalone(&path).is_ok()
                || crate::save_path::parse_cluster(&path).is_ok()
            {
                accepted += 1;
            }
            let shown = redact_save_path(&path).unwrap_or_else(|| path.clone());
            for m in &markers {
                assert!(
                    !shown.contains(m.as_str()) && !decoded(&shown).contains(m.as_str()),
                    "{path:?} shows {m}: {shown:?}"
                );
            }
        }
        assert!(
            accepted * 2 > total,
            "only {accepted} of {total} paths parse"
        );
    }

    #[test]
    fn scrubs_a_part_whatever_it_contains() {
        assert_eq!(
            scrub_part("auth_file=/run/secrets/redis_auth"),
            "auth_file=/run/secrets/redis_auth"
        );
        assert_eq!(scrub_part("timeout=1'?auth=Pw"), "timeout=1'?***");
        assert_eq!(scrub_part("seed[]=h:1%3FPASS%3Dx"), "seed[]=h:1%3F***");
        assert_eq!(scrub_part("timeout=abc"), "timeout=abc");
        // A fuzz find: a password run into an auth_file path by a mistyped separator.
        assert_eq!(
            scrub_part("auth_file=+auth=SECRET3s 9?auth=onet%26imeout%3D1"),
            "auth_file=+auth***"
        );
        assert_eq!(scrub_part("auth_env=V?auth=Pw"), "auth_env=V***");
    }

    #[test]
    fn scrubs_quoted_parts_of_messages() {
        assert_eq!(
            scrub_message("malformed: 'seed[]=h:1?auth=Pw' port must be 1-65535"),
            "malformed: 'seed[]=h:1?***' port must be 1-65535"
        );
        assert_eq!(
            scrub_message("'tcp://h:1%3FAUTH%3DPw' x 'timeout=abc' y"),
            "'tcp://h:1%3F***' x 'timeout=abc' y"
        );
        assert_eq!(scrub_message("no quotes, auth"), "no quotes, auth");
        assert_eq!(scrub_message("'unterminated auth=x"), "'unterminated ***");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "auth",
            "?auth",
            "auth=",
            "&auth[",
            "auth[=x",
            "ääauth=ü&",
            "@",
            "a@@b",
            "//@",
            "=@",
        ] {
            let _ = redact_save_path(input);
        }
    }
}
