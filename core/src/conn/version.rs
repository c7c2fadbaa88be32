//! The server's version, read once per connection from `INFO server` (sent in the same write as
//! the connection's first command, so it costs no round trip), and what the lock protocol needs
//! from it.

/// A server's product and version as `INFO server` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerVersion {
    /// Valkey (which also reports a Redis-compatible `redis_version`, 7.2.4 on Valkey 8/9).
    pub valkey: bool,
    /// The product's own version (valkey_version on Valkey, else redis_version).
    pub version: (u32, u32, u32),
    /// The Redis version whose commands it serves (redis_version).
    pub redis_compat: (u32, u32, u32),
}

impl ServerVersion {
    /// Parses an `INFO server` reply; None when it carries no redis_version.
    pub fn parse(info: &str) -> Option<ServerVersion> {
        let field = |name: &str| {
            info.lines().find_map(|l| {
                l.trim_end()
                    .strip_prefix(name)
                    .and_then(|v| v.strip_prefix(':'))
                    .and_then(triple)
            })
        };
        let redis_compat = field("redis_version")?;
        let valkey_version = field("valkey_version");
        Some(ServerVersion {
            valkey: valkey_version.is_some() || info.contains("server_name:valkey"),
            version: valkey_version.unwrap_or(redis_compat),
            redis_compat,
        })
    }

    /// BLPOP takes a fractional timeout (Redis 6.0+); older servers only whole seconds.
    pub fn fractional_block_timeout(&self) -> bool {
        self.redis_compat >= (6, 0, 0)
    }

    /// GETEX (Redis 6.2+): the early_refresh read in one command.
    pub fn has_getex(&self) -> bool {
        self.redis_compat >= (6, 2, 0)
    }

    /// "Redis 5.0.10" or "Valkey 9.1.2", for messages.
    pub fn describe(&self) -> String {
        let (a, b, c) = self.version;
        let name = if self.valkey { "Valkey" } else { "Redis" };
        format!("{name} {a}.{b}.{c}")
    }
}

/// Before Redis 7, an error raised inside a script comes wrapped: "ERR Error running script
/// (call to f_<sha>): @user_script:35: @user_script: 35: -OOM command not allowed ...". Returns
/// the inner error ("OOM command not allowed ..."), as Redis 7+ and Valkey report it, so
/// messages and the retry rules (READONLY, LOADING ...) are the same on every version.
pub fn unwrap_script_error(code: &str, detail: &str) -> Option<String> {
    if code != "ERR" || !detail.starts_with("Error running script") {
        return None;
    }
    let at = detail.find("@user_script")?;
    let inner = &detail[at..];
    let start = inner.find(": -")? + 3;
    Some(inner[start..].to_string())
}

fn triple(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.trim().split('.').map(|p| {
        // "6.0.0-rc2" style suffixes: the leading digits only
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok()
    });
    let major = it.next()??;
    let minor = it.next().flatten().unwrap_or(0);
    let patch = it.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_errors_of_old_servers_are_unwrapped() {
        let d = "Error running script (call to f_1acf645018f6a9f6e2104dfd6aef28910bf35dc1): @user_script:35: @user_script: 35: -READONLY You can't write against a read only replica. ";
        assert_eq!(
            unwrap_script_error("ERR", d).as_deref(),
            Some("READONLY You can't write against a read only replica. ")
        );
        assert_eq!(unwrap_script_error("ERR", "unknown command 'X'"), None);
        assert_eq!(unwrap_script_error("OOM", d), None);
        // A script error without an inner error code (a Lua runtime error) stays as it is.
        assert_eq!(
            unwrap_script_error(
                "ERR",
                "Error running script (call to f_1): @user_script:1: attempt to index nil"
            ),
            None
        );
    }

    #[test]
    fn parses_redis_and_valkey_info() {
        let redis5 = "# Server\r\nredis_version:5.0.10\r\nredis_git_sha1:00000000\r\n";
        let v = ServerVersion::parse(redis5).unwrap();
        assert_eq!(v.describe(), "Redis 5.0.10");
        assert!(!v.fractional_block_timeout() && !v.has_getex());
        let redis60 = "# Server\r\nredis_version:6.0.9\r\n";
        let v = ServerVersion::parse(redis60).unwrap();
        assert!(v.fractional_block_timeout() && !v.has_getex());
        let redis62 = "# Server\r\nredis_version:6.2.5\r\n";
        assert!(ServerVersion::parse(redis62).unwrap().has_getex());
        let valkey =
            "# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:9.1.2\r\n";
        let v = ServerVersion::parse(valkey).unwrap();
        assert_eq!(v.describe(), "Valkey 9.1.2");
        assert_eq!(v.redis_compat, (7, 2, 4));
        assert!(v.fractional_block_timeout() && v.has_getex());
        // redis_version must not match a longer field name, and is required.
        assert_eq!(ServerVersion::parse("redis_version_x:9\r\n"), None);
        assert_eq!(ServerVersion::parse("NOPERM no permission"), None);
        assert_eq!(
            ServerVersion::parse("redis_version:6.0.0-rc2\n")
                .unwrap()
                .version,
            (6, 0, 0)
        );
    }
}
