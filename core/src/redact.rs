//! Hides credentials in a save_path before PHP can print it (PHP's own "Failed to read
//! session data ... (path: ...)" messages quote session.save_path verbatim).

use crate::save_path::{parse_cluster, parse_standalone};

/// The save_path with every credential replaced by `***`, or None when there is nothing to
/// hide. A path that parses has exactly its `auth` values hidden. A path that does not parse
/// may hold a password anywhere (an unencoded `&` in it, `user:pass@host`, a misspelt key), so
/// each server entry is cut from its first suspicious part to its end.
pub fn redact_save_path(path: &str) -> Option<String> {
    let redacted = if parse_standalone(path).is_ok() || parse_cluster(path).is_ok() {
        redact_auth_values(path)
    } else {
        redact_suspicious(path)
    };
    (redacted != path).then_some(redacted)
}

/// Whether a query key may carry a secret (any spelling of auth or pass).
fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("auth") || k.contains("pass") || k.contains("secret")
}

/// For a path that did not parse: per server entry (split on `,` and whitespace), hide the
/// user info of any `user:pass@host`, and everything from the first secret-looking key on.
fn redact_suspicious(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut item = String::new();
    for c in path.chars() {
        if c == ',' || c.is_whitespace() {
            out.push_str(&redact_item(&item));
            item.clear();
            out.push(c);
        } else {
            item.push(c);
        }
    }
    out.push_str(&redact_item(&item));
    out
}

fn redact_item(item: &str) -> String {
    let mut out = String::with_capacity(item.len());
    // Tokens are separated by '?' and '&'; keep the separators.
    let mut rest = item;
    loop {
        let end = rest.find(['?', '&']).unwrap_or(rest.len());
        let token = &rest[..end];
        let (key, value) = match token.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (token, None),
        };
        // Anywhere in the token: a password can hide in a value too ("seed[]=h:1?auth=pw").
        if secret_key(token) {
            out.push_str("***");
            return out;
        }
        match token.rfind('@') {
            // user:pass@host, in an address or a seed[] value: keep only what follows '@'.
            Some(at) => {
                let keep_from = match (value, token.find("//")) {
                    (Some(_), _) => key.len() + 1,
                    (None, Some(slashes)) => slashes + 2,
                    (None, None) => 0,
                };
                if keep_from <= at {
                    out.push_str(&token[..keep_from]);
                    out.push_str("***");
                    out.push_str(&token[at..]);
                } else {
                    out.push_str(token);
                }
            }
            None => out.push_str(token),
        }
        if end == rest.len() {
            return out;
        }
        out.push_str(&rest[end..end + 1]);
        rest = &rest[end + 1..];
    }
}

/// A quoted part of a save_path for a message: cut at the first secret-looking word.
pub fn scrub_part(part: &str) -> String {
    let lower = part.to_ascii_lowercase();
    match ["auth", "pass", "secret"]
        .iter()
        .filter_map(|w| lower.find(w))
        .min()
    {
        Some(i) => format!("{}***", &part[..i]),
        None => part.to_string(),
    }
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
        let lower = quoted.to_ascii_lowercase();
        match ["auth", "pass", "secret"]
            .iter()
            .filter_map(|w| lower.find(w))
            .min()
        {
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

/// For a path that parsed: the value of every `auth` option replaced by `***`.
fn redact_auth_values(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(pos) = find_auth(rest) {
        let (before, from_key) = rest.split_at(pos);
        out.push_str(before);
        let eq = match from_key.find('=') {
            Some(eq) => eq,
            None => break,
        };
        out.push_str(&from_key[..=eq]);
        let value_and_rest = &from_key[eq + 1..];
        let end = value_and_rest
            .find(['&', ',', ' ', '\t', '\n'])
            .unwrap_or(value_and_rest.len());
        if end > 0 {
            out.push_str("***");
        }
        rest = &value_and_rest[end..];
    }
    out.push_str(rest);
    out
}

/// Offset of the next `auth=`, `auth[]=`, `auth[user]=`, `auth[pass]=` (also percent-encoded
/// brackets) that starts a query option.
fn find_auth(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("auth").map(|i| i + from) {
        let starts_option = i == 0 || matches!(bytes[i - 1], b'?' | b'&');
        let after = &s[i + 4..];
        let key_end = after.find('=');
        let is_key = key_end.is_some_and(|k| {
            let k = &after[..k];
            k.is_empty()
                || (k.starts_with('[') || k.starts_with("%5B") || k.starts_with("%5b"))
                    && !k.contains('&')
        });
        if starts_option && is_key {
            return Some(i);
        }
        from = i + 4;
    }
    None
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
            (
                "tcp://a:1?auth=x, tcp://b:2?auth=y",
                Some("tcp://a:1?auth=***, tcp://b:2?auth=***"),
            ),
            (
                "seed[]=a:1&auth%5B%5D=pw",
                Some("seed[]=a:1&auth%5B%5D=***"),
            ),
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
            // An unencoded '&' splits the password into an unknown option.
            ("tcp://h:1?timeout=1&auth=Hd&Tl", "tcp://h:1?timeout=1&***"),
            (
                "seed[]=a:1&auth[user]=u&auth[pass]=Hd&Tl=x",
                "seed[]=a:1&***",
            ),
            // Credentials in the address.
            ("tcp://user:Pw@h:1?timeout=1", "tcp://***@h:1?timeout=1"),
            ("tls://:Pw@h:1", "tls://***@h:1"),
            ("seed[]=user:Pw@h:1&timeout=1", "seed[]=***@h:1&timeout=1"),
            // Misspelt or misplaced keys.
            ("tcp://h:1?password=Pw", "tcp://h:1?***"),
            ("tcp://h:1?AUTH=Pw&timeout=1", "tcp://h:1?***"),
            ("tcp://h:1?auth[Pw]=x", "tcp://h:1?***"),
            ("seed[]=h:1&requirepass=Pw", "seed[]=h:1&***"),
            // Each server entry on its own.
            (
                "tcp://a:1?pass=X, tcp://b:2?timeout=1",
                "tcp://a:1?***, tcp://b:2?timeout=1",
            ),
        ] {
            assert_eq!(redact_save_path(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(redact_save_path("tcp://h:1?timout=1"), None);
    }

    #[test]
    fn scrubs_a_part_whatever_it_contains() {
        assert_eq!(scrub_part("timeout=1'?auth=Pw"), "timeout=1'?***");
        assert_eq!(scrub_part("seed[]=h:1%3FPASS%3Dx"), "seed[]=h:1%3F***");
        assert_eq!(scrub_part("timeout=abc"), "timeout=abc");
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
