//! Which layout of PHP's session internals this build uses, decided at build time from the PHP
//! headers it is compiled against (build.rs includes this file). ext-php-rs has no bindings for
//! ext/session, so the `ps_module` mirror and the `ps_globals.save_path` access are ours: they
//! are only used for a PHP module API whose layout is listed here *and* matches the headers.
//! Anything else is refused at start-up with one notice, never guessed.
//!
//! Pure text parsing, no PHP and no unsafe code: unit-tested with header excerpts.

/// How `php_ps_globals.save_path` (the struct's first field) is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavePath {
    /// `char *save_path;` (PHP 8.1 to 8.4).
    CharPtr,
    /// `zend_string *save_path;` (PHP 8.5 and later).
    ZendString,
}

impl SavePath {
    /// The value build.rs passes in `cfg(rs_save_path = "...")`.
    pub fn cfg_value(self) -> &'static str {
        match self {
            SavePath::CharPtr => "char_ptr",
            SavePath::ZendString => "zend_string",
        }
    }
}

/// How PHP passes save_path and session name to a handler's open() (`PS_OPEN_ARGS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenArgs {
    /// `const char *save_path, const char *session_name` (PHP 8.1 to 8.5).
    CStr,
    /// `zend_string *save_path, zend_string *session_name` (PHP 8.6).
    ZendString,
}

impl OpenArgs {
    /// The value build.rs passes in `cfg(rs_ps_open = "...")`.
    pub fn cfg_value(self) -> &'static str {
        match self {
            OpenArgs::CStr => "c_str",
            OpenArgs::ZendString => "zend_string",
        }
    }
}

const OPEN_ARGS: &[(&str, OpenArgs)] = &[
    (
        "void **mod_data, const char *save_path, const char *session_name",
        OpenArgs::CStr,
    ),
    (
        "void **mod_data, zend_string *save_path, zend_string *session_name",
        OpenArgs::ZendString,
    ),
];

/// PHP module API numbers (ZEND_MODULE_API_NO) whose `save_path` layout is known, with the PHP
/// version for messages. 8.2, 8.4, 8.5 and 8.6 headers were read (see the test below); 8.1 and
/// 8.3 cannot be installed here, but their headers are checked against this table at build
/// time all the same, so a layout that differs is refused, not guessed. PHP refuses to load a module
/// built for another API number, so the build-time choice is the run-time truth.
pub const KNOWN_APIS: &[(u32, &str, SavePath)] = &[
    (20210902, "8.1", SavePath::CharPtr),
    (20220829, "8.2", SavePath::CharPtr),
    (20230831, "8.3", SavePath::CharPtr),
    (20240924, "8.4", SavePath::CharPtr),
    (20250925, "8.5", SavePath::ZendString),
    (20260924, "8.6", SavePath::ZendString),
];

/// The `PS_*_ARGS` parameter lists our callbacks implement (src/ffi/session.rs), whitespace
/// normalised, besides PS_OPEN_ARGS (two known forms, [`OpenArgs`]). A header whose lists differ
/// means a different ps_module ABI.
pub const PS_ARGS: &[(&str, &str)] = &[
    ("PS_CLOSE_ARGS", "void **mod_data"),
    (
        "PS_READ_ARGS",
        "void **mod_data, zend_string *key, zend_string **val, zend_long maxlifetime",
    ),
    (
        "PS_WRITE_ARGS",
        "void **mod_data, zend_string *key, zend_string *val, zend_long maxlifetime",
    ),
    ("PS_DESTROY_ARGS", "void **mod_data, zend_string *key"),
    (
        "PS_GC_ARGS",
        "void **mod_data, zend_long maxlifetime, zend_long *nrdels",
    ),
    ("PS_CREATE_SID_ARGS", "void **mod_data"),
    ("PS_VALIDATE_SID_ARGS", "void **mod_data, zend_string *key"),
    (
        "PS_UPDATE_TIMESTAMP_ARGS",
        "void **mod_data, zend_string *key, zend_string *val, zend_long maxlifetime",
    ),
];

/// The fields of `ps_module_struct`, in order, as mirrored by `PsModule`.
pub const PS_MODULE_FIELDS: &[&str] = &[
    "s_name",
    "s_open",
    "s_close",
    "s_read",
    "s_write",
    "s_destroy",
    "s_gc",
    "s_create_sid",
    "s_validate_sid",
    "s_update_timestamp",
];

/// What build.rs found, for the extension to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// ZEND_MODULE_API_NO of the headers (0 when not found).
    pub api: u32,
    /// Our ps_module mirror and callback signatures match the headers (with this open()), or
    /// why not.
    pub ps_module: Result<OpenArgs, String>,
    /// The save_path layout to use, or why none is used.
    pub save_path: Result<SavePath, String>,
}

/// Strips C comments (`/* */` and `//`), so declarations can be compared as text.
fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                rest = match rest[b + 2..].find("*/") {
                    Some(e) => &rest[b + 2 + e + 2..],
                    None => "",
                };
                out.push(' ');
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = match rest[l..].find('\n') {
                    Some(e) => &rest[l + e..],
                    None => "",
                };
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// ZEND_MODULE_API_NO from Zend/zend_modules.h.
pub fn module_api(zend_modules_h: &str) -> Option<u32> {
    zend_modules_h.lines().find_map(|l| {
        let mut w = l.split_whitespace();
        (w.next() == Some("#define") && w.next() == Some("ZEND_MODULE_API_NO"))
            .then(|| w.next()?.parse().ok())
            .flatten()
    })
}

/// The body of `typedef struct NAME { ... }` in `src` (comments stripped).
fn struct_body<'a>(src: &'a str, name: &str) -> Option<&'a str> {
    let start = src.find(&format!("struct {name}"))?;
    let open = start + src[start..].find('{')?;
    let mut depth = 0usize;
    for (i, c) in src[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&src[open + 1..open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The first field of `struct _php_ps_globals`: which `save_path` layout this PHP has.
pub fn save_path_field(php_session_h: &str) -> Result<SavePath, String> {
    let src = strip_comments(php_session_h);
    let body =
        struct_body(&src, "_php_ps_globals").ok_or("no struct _php_ps_globals in php_session.h")?;
    let first = squash(body.split(';').next().unwrap_or(""));
    match first.as_str() {
        "char *save_path" => Ok(SavePath::CharPtr),
        "zend_string *save_path" => Ok(SavePath::ZendString),
        other => Err(format!(
            "php_ps_globals starts with `{other}`, not a known save_path field"
        )),
    }
}

/// `#define NAME <args>`: the argument list, whitespace normalised.
fn define(src: &str, name: &str) -> Result<String, String> {
    src.lines()
        .find_map(|l| {
            let t = l.trim_start();
            let t = t.strip_prefix('#')?.trim_start().strip_prefix("define")?;
            let t = t.trim_start().strip_prefix(name)?;
            t.starts_with(char::is_whitespace).then(|| squash(t))
        })
        .ok_or(format!("{name} not defined in php_session.h"))
}

/// Whether ps_module and the PS_*_ARGS lists are ones our mirror implements, and which open().
pub fn ps_module_matches(php_session_h: &str) -> Result<OpenArgs, String> {
    let src = strip_comments(php_session_h);
    let open = define(&src, "PS_OPEN_ARGS")?;
    let open = OPEN_ARGS
        .iter()
        .find(|(text, _)| *text == open)
        .map(|(_, o)| *o)
        .ok_or(format!(
            "PS_OPEN_ARGS is `{open}`, not a form this build implements"
        ))?;
    for (name, want) in PS_ARGS {
        let got = define(&src, name)?;
        if got != *want {
            return Err(format!("{name} is `{got}`, this build implements `{want}`"));
        }
    }
    let body = struct_body(&src, "ps_module_struct").ok_or("no struct ps_module_struct")?;
    let fields: Vec<String> = body
        .split(';')
        .map(squash)
        .filter(|d| !d.is_empty())
        .map(|d| {
            // `const char *s_name` or `zend_result (*s_open)(PS_OPEN_ARGS)`
            let name = match d.find("(*") {
                Some(p) => d[p + 2..].split(')').next().unwrap_or(""),
                None => d.rsplit(['*', ' ']).next().unwrap_or(""),
            };
            name.trim().to_string()
        })
        .collect();
    if fields != PS_MODULE_FIELDS {
        return Err(format!(
            "ps_module fields are {fields:?}, this build mirrors {PS_MODULE_FIELDS:?}"
        ));
    }
    Ok(open)
}

/// Whether main/php_config.h describes a thread-safe (ZTS) build (`#define ZTS 1`).
pub fn is_zts(php_config_h: &str) -> bool {
    php_config_h
        .lines()
        .any(|l| l.split_whitespace().take(2).eq(["#define", "ZTS"]))
}

/// The whole decision for one set of headers.
pub fn decide(zend_modules_h: &str, php_session_h: &str) -> Layout {
    let api = module_api(zend_modules_h).unwrap_or(0);
    let known = KNOWN_APIS.iter().find(|(a, _, _)| *a == api);
    let ps_module = match known {
        None => Err(format!("PHP module API {api} is not one this build knows")),
        Some(_) => ps_module_matches(php_session_h),
    };
    let save_path = match known {
        None => Err(format!("PHP module API {api} is not one this build knows")),
        Some((_, version, want)) => match save_path_field(php_session_h) {
            Ok(got) if got == *want => Ok(got),
            Ok(got) => Err(format!(
                "PHP {version} headers have a {} save_path, expected {}",
                got.cfg_value(),
                want.cfg_value()
            )),
            Err(e) => Err(e),
        },
    };
    Layout {
        api,
        ps_module,
        save_path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULES_82: &str = "#define ZEND_MODULE_API_NO 20220829\n#ifdef ZTS\n";
    const MODULES_85: &str = "#define ZEND_MODULE_API_NO 20250925\n";
    const MODULES_86: &str = "#define ZEND_MODULE_API_NO 20260924\n";
    const MODULES_99: &str = "#define ZEND_MODULE_API_NO 20990101\n";

    const SESSION_HEAD: &str = "
#define PS_OPEN_ARGS     void **mod_data, const char *save_path, const char *session_name
#define PS_CLOSE_ARGS    void **mod_data
#define PS_READ_ARGS     void **mod_data, zend_string *key, zend_string **val, zend_long maxlifetime
#define PS_WRITE_ARGS    void **mod_data, zend_string *key, zend_string *val, zend_long maxlifetime
#define PS_DESTROY_ARGS  void **mod_data, zend_string *key
#define PS_GC_ARGS       void **mod_data, zend_long maxlifetime, zend_long *nrdels
#define PS_CREATE_SID_ARGS void **mod_data
#define PS_VALIDATE_SID_ARGS void **mod_data, zend_string *key
#define PS_UPDATE_TIMESTAMP_ARGS void **mod_data, zend_string *key, zend_string *val, zend_long maxlifetime

typedef struct ps_module_struct {
	const char *s_name;
	zend_result (*s_open)(PS_OPEN_ARGS);
	zend_result (*s_close)(PS_CLOSE_ARGS);
	zend_result (*s_read)(PS_READ_ARGS);
	zend_result (*s_write)(PS_WRITE_ARGS);
	zend_result (*s_destroy)(PS_DESTROY_ARGS);
	zend_long (*s_gc)(PS_GC_ARGS);
	zend_string *(*s_create_sid)(PS_CREATE_SID_ARGS);
	zend_result (*s_validate_sid)(PS_VALIDATE_SID_ARGS);
	zend_result (*s_update_timestamp)(PS_UPDATE_TIMESTAMP_ARGS);
} ps_module;
";

    fn session_h(first_field: &str) -> String {
        format!(
            "{SESSION_HEAD}\ntypedef struct _php_ps_globals {{\n\t{first_field} /* x */\n\tchar *session_name;\n\tunion {{ zval names[9]; struct {{ zval ps_open; }} name; }} mod_user_names;\n}} php_ps_globals;\n"
        )
    }

    #[test]
    fn php82_char_pointer_save_path() {
        let l = decide(MODULES_82, &session_h("char *save_path;"));
        assert_eq!(l.api, 20220829);
        assert_eq!(l.ps_module, Ok(OpenArgs::CStr));
        assert_eq!(l.save_path, Ok(SavePath::CharPtr));
    }

    #[test]
    fn php85_zend_string_save_path() {
        let l = decide(MODULES_85, &session_h("zend_string *save_path;"));
        assert_eq!(l.ps_module, Ok(OpenArgs::CStr));
        assert_eq!(l.save_path, Ok(SavePath::ZendString));
    }

    #[test]
    fn php86_open_takes_zend_strings() {
        let h = session_h("zend_string *save_path;").replace(
            "const char *save_path, const char *session_name",
            "zend_string *save_path, zend_string *session_name",
        );
        let l = decide(MODULES_86, &h);
        assert_eq!(l.ps_module, Ok(OpenArgs::ZendString));
        assert_eq!(l.save_path, Ok(SavePath::ZendString));
    }

    #[test]
    fn layout_that_disagrees_with_the_known_table_is_refused() {
        // PHP 8.5 headers still saying char * would mean our table is wrong: never guess.
        let l = decide(MODULES_85, &session_h("char *save_path;"));
        assert!(l.save_path.unwrap_err().contains("expected zend_string"));
        let l = decide(MODULES_82, &session_h("zend_string *save_path;"));
        assert!(l.save_path.is_err());
    }

    #[test]
    fn unknown_api_refuses_everything() {
        let l = decide(MODULES_99, &session_h("char *save_path;"));
        assert_eq!(l.api, 20990101);
        assert!(l.ps_module.unwrap_err().contains("20990101"));
        assert!(l.save_path.is_err());
        assert_eq!(decide("", "").api, 0);
    }

    #[test]
    fn unknown_first_field_is_refused() {
        let e = save_path_field(&session_h("HashTable *save_paths;")).unwrap_err();
        assert!(e.contains("HashTable *save_paths"), "{e}");
    }

    #[test]
    fn changed_callback_arguments_are_refused() {
        let h = session_h("char *save_path;").replace(
            "PS_OPEN_ARGS     void **mod_data, const char *save_path,",
            "PS_OPEN_ARGS void **mod_data, zend_string *save_path,",
        );
        assert!(ps_module_matches(&h).unwrap_err().contains("PS_OPEN_ARGS"));
        let h = session_h("char *save_path;").replace("zend_long *nrdels", "int *nrdels");
        assert!(ps_module_matches(&h).unwrap_err().contains("PS_GC_ARGS"));
    }

    #[test]
    fn changed_module_fields_are_refused() {
        let h = session_h("char *save_path;").replace(
            "\tzend_result (*s_validate_sid)(PS_VALIDATE_SID_ARGS);\n",
            "",
        );
        assert!(ps_module_matches(&h)
            .unwrap_err()
            .contains("s_validate_sid"));
    }

    /// The real headers of every PHP installed here or in the test-matrix chroots parse to the
    /// layout the table expects (8.2 here; 8.4, 8.5, 8.6 when the chroots exist).
    #[test]
    fn installed_php_headers_parse_as_known() {
        let chroots = std::env::var("REDIS_SESSION_CHROOTS")
            .unwrap_or_else(|_| "/var/cache/redis_session-chroots".into());
        let mut roots = vec!["/usr/include/php".to_string()];
        for suite in ["trixie", "sid"] {
            roots.push(format!("{chroots}/{suite}/usr/include/php"));
        }
        let mut seen = Vec::new();
        for root in roots {
            let Ok(dirs) = std::fs::read_dir(&root) else {
                continue;
            };
            for dir in dirs.flatten() {
                let d = dir.path();
                let (Ok(m), Ok(h)) = (
                    std::fs::read_to_string(d.join("Zend/zend_modules.h")),
                    std::fs::read_to_string(d.join("ext/session/php_session.h")),
                ) else {
                    continue;
                };
                let l = decide(&m, &h);
                let (_, _, want) = KNOWN_APIS
                    .iter()
                    .find(|(a, _, _)| *a == l.api)
                    .unwrap_or_else(|| panic!("{}: API {} not in KNOWN_APIS", d.display(), l.api));
                assert_eq!(l.save_path, Ok(*want), "{}", d.display());
                let open = if l.api >= 20260924 {
                    OpenArgs::ZendString
                } else {
                    OpenArgs::CStr
                };
                assert_eq!(l.ps_module, Ok(open), "{}", d.display());
                seen.push(l.api);
            }
        }
        assert!(!seen.is_empty(), "no PHP headers found (php8.x-dev)");
    }

    #[test]
    fn zts_is_recognised() {
        assert!(is_zts("/* x */\n#define ZTS 1\n"));
        assert!(!is_zts("/* #undef ZTS */\n#define ZTS_SOMETHING 1\n"));
        let here = std::fs::read_to_string("/usr/include/php/20220829/main/php_config.h");
        if let Ok(h) = here {
            assert!(!is_zts(&h), "Debian's PHP 8.2 is NTS");
        }
    }

    #[test]
    fn comments_do_not_count() {
        assert_eq!(squash(&strip_comments("a /* b\n c */ d // e\n f")), "a d f");
    }
}
