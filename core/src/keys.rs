//! Session key naming: data key, lock key (standalone and cluster), and session id checks.

use crate::slots::hash_tag;

/// Default prefix of the `redis` handler (phpredis's).
pub const DEFAULT_PREFIX: &str = "PHPREDIS_SESSION:";
/// Default prefix of the `rediscluster` handler (phpredis's).
pub const DEFAULT_CLUSTER_PREFIX: &str = "PHPREDIS_CLUSTER_SESSION:";
/// PHP's PS_MAX_SID_LENGTH.
pub const MAX_ID_LEN: usize = 256;

/// True when `id` uses only PHP's session id alphabet (`a-z A-Z 0-9 , -`) and is 1-256 bytes,
/// the same rule as php_session_valid_key().
pub fn valid_session_id(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b',' || c == b'-')
}

/// `<prefix><id>`.
pub fn data_key(prefix: &str, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + id.len());
    k.extend_from_slice(prefix.as_bytes());
    k.extend_from_slice(id.as_bytes());
    k
}

/// Standalone lock key: `<data key>_LOCK` (phpredis's name).
pub fn standalone_lock_key(data_key: &[u8]) -> Vec<u8> {
    let mut k = data_key.to_vec();
    k.extend_from_slice(b"_LOCK");
    k
}

/// Why a cluster prefix cannot be used for locking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPrefix(pub String);

/// Checks a cluster prefix: no braces at all, or one valid non-empty `{tag}` inside it.
pub fn check_cluster_prefix(prefix: &str) -> Result<(), BadPrefix> {
    let p = prefix.as_bytes();
    if !p.contains(&b'{') && !p.contains(&b'}') {
        return Ok(());
    }
    // The tag Redis will hash: first '{', then the first '}' after it, non-empty between.
    // Session ids never contain braces, so the tag of the data key is the tag of the prefix.
    match hash_tag(p) {
        Some(_) => Ok(()),
        // Quoted as any part of a save_path is: a mistyped separator may have run a password
        // into the value (`prefix={x?auth=Pw`).
        _ => Err(BadPrefix(format!(
            "prefix '{}' has braces but no valid non-empty {{hash tag}}: use no braces, or one {{tag}}",
            crate::redact::scrub_part(prefix)
        ))),
    }
}

/// Characters of the session id a [`key_tag`] shows (when the id is long enough).
pub const TAG_ID_CHARS: usize = 4;
/// Shortest id whose first [`TAG_ID_CHARS`] characters a tag shows; shorter ids show none.
pub const TAG_MIN_ID_LEN: usize = 16;
/// Hex digits of the SHA-1 a [`key_tag`] ends with.
pub const TAG_HASH_HEX: usize = 8;

/// How messages name a session key without giving the session id away (an id is a bearer
/// credential: whoever reads it from a log can take the session over).
///
/// `<prefix><first 4 id characters>*#<first 8 hex digits of SHA-1(whole key)>`, e.g.
/// `PHPREDIS_SESSION:k7Qx*#3f9a1c02`. The part before `#` is a `redis-cli --scan --pattern`;
/// the hash picks the one key among its matches (`printf %s "$key" | sha1sum`). The id is
/// taken to be the key's longest tail of id characters (`a-z A-Z 0-9 , -`), so a prefix ending
/// in such characters only makes the tag show fewer id characters, never more. Ids shorter
/// than 16 characters show none.
pub fn key_tag(key: &[u8]) -> String {
    let tail = key
        .iter()
        .rev()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b',' || c == b'-')
        .count();
    let shown = if tail >= TAG_MIN_ID_LEN {
        TAG_ID_CHARS
    } else {
        0
    };
    let visible = &key[..key.len() - tail + shown];
    let digest = sha1_smol::Sha1::from(key).digest().to_string();
    format!(
        "{}*#{}",
        String::from_utf8_lossy(visible),
        &digest[..TAG_HASH_HEX]
    )
}

/// Cluster lock key, always on the data key's slot: `{<data key>}_LOCK` when the prefix has
/// no braces, `<data key>_LOCK` when the prefix carries a valid `{tag}`.
pub fn cluster_lock_key(prefix: &str, data_key: &[u8]) -> Result<Vec<u8>, BadPrefix> {
    let (open, close) = cluster_lock_affixes(prefix)?;
    Ok([open.as_bytes(), data_key, close.as_bytes()].concat())
}

/// What goes before and after the data key in a standalone lock key (see standalone_lock_key).
pub const STANDALONE_LOCK_AFFIXES: (&str, &str) = ("", "_LOCK");

/// What goes before and after the data key in a cluster lock key (see cluster_lock_key).
pub fn cluster_lock_affixes(prefix: &str) -> Result<(&'static str, &'static str), BadPrefix> {
    check_cluster_prefix(prefix)?;
    Ok(if prefix.contains('{') {
        STANDALONE_LOCK_AFFIXES
    } else {
        ("{", "}_LOCK")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bad_prefix_message_never_quotes_a_password_run_into_it() {
        let msg = check_cluster_prefix("{x79?auth=Pw########").unwrap_err().0;
        assert!(msg.contains("'{x79?***'"), "{msg}");
        assert!(!msg.contains("Pw"), "{msg}");
    }

    use super::*;
    use crate::slots::key_slot;

    #[test]
    fn session_ids_follow_php_alphabet() {
        for (id, ok) in [
            (&b"abc123"[..], true),
            (b"A-b,c", true),
            (b"", false),
            (b"abc def", false),
            (b"abc\0", false),
            (b"abc{x}", false),
            (b"../etc", false),
            ("é".as_bytes(), false),
        ] {
            assert_eq!(valid_session_id(id), ok, "{id:?}");
        }
        assert!(valid_session_id(&[b'a'; 256]));
        assert!(!valid_session_id(&[b'a'; 257]));
    }

    #[test]
    fn keys_match_phpredis() {
        let dk = data_key(DEFAULT_PREFIX, "abc");
        assert_eq!(dk, b"PHPREDIS_SESSION:abc");
        assert_eq!(standalone_lock_key(&dk), b"PHPREDIS_SESSION:abc_LOCK");
    }

    #[test]
    fn cluster_lock_key_shares_the_data_slot() {
        for prefix in [
            DEFAULT_CLUSTER_PREFIX,
            "app:{users}:",
            "{s}",
            "x{tag}y{z}",
            "",
        ] {
            for id in ["abc", "0123456789abcdef0123456789", "Z-,z"] {
                let dk = data_key(prefix, id);
                let lk = cluster_lock_key(prefix, &dk).unwrap();
                assert_eq!(key_slot(&dk), key_slot(&lk), "{prefix} {id}");
            }
        }
        let dk = data_key(DEFAULT_CLUSTER_PREFIX, "abc");
        assert_eq!(
            cluster_lock_key(DEFAULT_CLUSTER_PREFIX, &dk).unwrap(),
            b"{PHPREDIS_CLUSTER_SESSION:abc}_LOCK"
        );
        let dk = data_key("app:{u}:", "abc");
        assert_eq!(
            cluster_lock_key("app:{u}:", &dk).unwrap(),
            b"app:{u}:abc_LOCK"
        );
    }

    #[test]
    fn key_tags_show_four_id_characters_and_a_hash() {
        let id = "k7Qx0123456789abcdefghijklmnopqr";
        let key = data_key(DEFAULT_PREFIX, id);
        let tag = key_tag(&key);
        let sha = sha1_smol::Sha1::from(&key).digest().to_string();
        assert_eq!(tag, format!("PHPREDIS_SESSION:k7Qx*#{}", &sha[..8]));
        assert!(!tag.contains(&id[..5]));
        // Stable, and different for another id with the same first characters.
        assert_eq!(tag, key_tag(&key));
        let other = data_key(DEFAULT_PREFIX, "k7Qx0123456789abcdefghijklmnopqs");
        assert_ne!(tag, key_tag(&other));
        // A prefix ending in id characters hides more, never less.
        let key = data_key("app-", id);
        assert!(key_tag(&key).starts_with("app-*#"), "{}", key_tag(&key));
        // Short ids: no character shown.
        let key = data_key(DEFAULT_PREFIX, "abc");
        assert!(key_tag(&key).starts_with("PHPREDIS_SESSION:*#"));
        assert_eq!(
            key_tag(b""),
            format!(
                "*#{}",
                &sha1_smol::Sha1::from(b"").digest().to_string()[..8]
            )
        );
        // Never the whole id, whatever its length.
        for len in 1..=256 {
            let id: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            let tag = key_tag(&data_key("p:", &id));
            let shown = tag.split('*').next().unwrap().strip_prefix("p:").unwrap();
            assert!(shown.len() <= 4 && shown.len() < len.max(2), "{len}: {tag}");
        }
    }

    #[test]
    fn malformed_braces_are_refused() {
        for prefix in ["{}", "a{", "}a", "a}b{c", "{:", "x{}y"] {
            assert!(check_cluster_prefix(prefix).is_err(), "{prefix}");
        }
    }
}
