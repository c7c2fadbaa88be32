//! The `redis.session.*` INI settings: registered only where no other module (phpredis) owns
//! the name already, and read by name per request. phpredis's names take every value, as
//! phpredis does (their reading, with warnings for misread values, is in core's settings.rs);
//! our own are validated on set.

use std::ffi::CString;
use std::os::raw::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

use ext_php_rs::ffi::{zend_ini_entry, zend_ini_entry_def, zend_register_ini_entries, zend_string};
use once_cell::sync::OnceCell;
use redis_session_core::messages;
use redis_session_core::settings::{self, Settings, SETTINGS};

use crate::ffi::php::{ini_long, ini_string, ini_unchanged, warn, with_ini_raw, zstr_bytes};

/// ZEND_INI_ALL: settable in php.ini, .htaccess and ini_set().
const ZEND_INI_ALL: u8 = 7;

/// The names this module registered itself (the rest belong to phpredis).
static OWNED: OnceCell<Vec<&'static str>> = OnceCell::new();

/// Validates a new value of one of our own settings; a bad one is refused with a warning and
/// the old value stays (phpredis's names accept everything: settings::validate says Ok).
unsafe extern "C" fn on_modify(
    entry: *mut zend_ini_entry,
    new_value: *mut zend_string,
    _a1: *mut c_void,
    _a2: *mut c_void,
    _a3: *mut c_void,
    _stage: c_int,
) -> c_int {
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: PHP passes the live INI entry and the proposed value.
        let (name, value) = unsafe { (zstr_bytes((*entry).name), zstr_bytes(new_value)) };
        let name = String::from_utf8_lossy(name);
        let value = String::from_utf8_lossy(value);
        match settings::validate(&name, &value) {
            Ok(()) => 0,
            Err(reason) => {
                warn(&messages::rejected_setting(&name, &reason));
                -1
            }
        }
    }));
    r.unwrap_or(-1)
}

/// Registers every setting nobody registered yet. Registering a name that exists would make
/// PHP drop ALL of this module's entries, so we look first.
pub fn register(module_number: c_int) {
    let mut owned = Vec::new();
    // PHP copies names and values into its own entries, so these only live for the call.
    let mut strings: Vec<(CString, CString)> = Vec::new();
    for def in SETTINGS {
        if ini_string(def.name).is_some() {
            continue;
        }
        owned.push(def.name);
        strings.push((
            CString::new(def.name).expect("static name"),
            CString::new(def.default).expect("static default"),
        ));
    }
    let _ = OWNED.set(owned);
    if strings.is_empty() {
        return;
    }
    let mut defs: Vec<zend_ini_entry_def> = strings
        .iter()
        .map(|(name, value)| zend_ini_entry_def {
            name: name.as_ptr(),
            on_modify: Some(on_modify),
            mh_arg1: std::ptr::null_mut(),
            mh_arg2: std::ptr::null_mut(),
            mh_arg3: std::ptr::null_mut(),
            value: value.as_ptr(),
            displayer: None,
            value_length: value.as_bytes().len() as u32,
            name_length: name.as_bytes().len() as u16,
            modifiable: ZEND_INI_ALL,
        })
        .collect();
    // SAFETY: an all-zero entry terminates the list PHP walks.
    defs.push(unsafe { std::mem::zeroed() });
    // SAFETY: defs is a terminated array of valid entries whose strings outlive the call;
    // PHP copies what it keeps.
    unsafe { zend_register_ini_entries(defs.as_ptr(), module_number) };
}

/// Whether this module registered `name` itself (false: phpredis owns it).
pub fn is_owned(name: &str) -> bool {
    OWNED.get().is_some_and(|o| o.contains(&name))
}

/// The raw values the last settings were built from, and what they gave.
struct Cached {
    raw: Vec<Option<Vec<u8>>>,
    max_execution_time: i64,
    session_ttl: i64,
    settings: Settings,
    warnings: Vec<String>,
    /// Built while no INI value of the request had been changed (see `ini_unchanged`): the
    /// values every such request sees, since PHP changes them only at start-up.
    base: bool,
}

thread_local! {
    static CACHE: std::cell::RefCell<Option<Cached>> = const { std::cell::RefCell::new(None) };
}

/// The settings in force for this request: our settings, with warnings for values that do
/// not parse, and the session TTL (`session.gc_maxlifetime`).
/// Settings are per request (ini_set, per-directory values, .user.ini), and every such
/// change goes through PHP's list of changed values, restored at the end of the request. A
/// request whose list is empty sees the start-up values: then the settings built from them
/// the last time are used as they are, without looking up a single name. Otherwise the raw
/// values are looked up, and parsed again only when one of them changed.
pub fn current_settings() -> (Settings, Vec<String>, i64) {
    let unchanged = ini_unchanged();
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(c) = cache.as_ref() {
            if unchanged && c.base {
                return (c.settings.clone(), c.warnings.clone(), c.session_ttl);
            }
        }
        let max_execution_time = ini_long("max_execution_time");
        let session_ttl = ini_long("session.gc_maxlifetime");
        if let Some(c) = cache.as_mut() {
            let same = c.max_execution_time == max_execution_time
                && SETTINGS
                    .iter()
                    .zip(&c.raw)
                    .all(|(def, old)| with_ini_raw(def.name, |now| now == old.as_deref()));
            if same {
                c.session_ttl = session_ttl;
                c.base = unchanged;
                return (c.settings.clone(), c.warnings.clone(), session_ttl);
            }
        }
        let raw: Vec<Option<Vec<u8>>> = SETTINGS
            .iter()
            .map(|def| with_ini_raw(def.name, |v| v.map(<[u8]>::to_vec)))
            .collect();
        // Parsed from the values just read (every name from_ini asks for is in SETTINGS).
        let get = |name: &str| {
            let i = SETTINGS.iter().position(|d| d.name == name)?;
            raw[i]
                .as_deref()
                .map(|v| String::from_utf8_lossy(v).into_owned())
        };
        let (settings, warnings) = Settings::from_ini(get, max_execution_time);
        *cache = Some(Cached {
            raw,
            max_execution_time,
            session_ttl,
            settings: settings.clone(),
            warnings: warnings.clone(),
            base: unchanged,
        });
        (settings, warnings, session_ttl)
    })
}
