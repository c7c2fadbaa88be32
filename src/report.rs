//! `php --ri redis_session` / phpinfo(): version, handlers, settings in force.

use std::ffi::CString;

use ext_php_rs::ffi::{
    php_info_print_table_end, php_info_print_table_header, php_info_print_table_row,
    php_info_print_table_start,
};
use ext_php_rs::zend::ModuleEntry;
use redis_session_core::codec::CodecId;
use redis_session_core::lock::effective_release_cmd;
use redis_session_core::messages;
use redis_session_core::settings::SETTINGS;

use crate::ffi::php::ini_string;
use crate::{ini, registrations, Registration, VERSION};

fn row(name: &str, value: &str) {
    let n = CString::new(name.replace('\0', "")).unwrap_or_default();
    let v = CString::new(value.replace('\0', "")).unwrap_or_default();
    // SAFETY: two NUL-terminated strings for a 2-column row; PHP copies them.
    unsafe { php_info_print_table_row(2, n.as_ptr(), v.as_ptr()) };
}

fn describe(r: Registration) -> &'static str {
    match r {
        Registration::Registered => "registered",
        Registration::TookOver => "registered (took over phpredis's handler of that name)",
        Registration::Failed => "NOT registered",
    }
}

pub extern "C" fn minfo(_module: *mut ModuleEntry) {
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: phpinfo() table calls with static or NUL-terminated arguments.
        unsafe {
            php_info_print_table_start();
            php_info_print_table_header(2, c"redis_session".as_ptr(), c"enabled".as_ptr());
        }
        row("Version", VERSION);
        let (redis, cluster, sentinel) = registrations();
        row("Save handler redis", describe(redis));
        row("Save handler rediscluster", describe(cluster));
        row("Save handler redissentinel", describe(sentinel));
        row(
            "Built for",
            &format!(
                "PHP {} (module API {})",
                crate::ffi::session::PHP_VERSION,
                crate::ffi::session::PHP_API
            ),
        );
        row(
            "Password redaction in PHP's session messages",
            &crate::ffi::save_path_guard::status(),
        );
        let (settings, _, _) = ini::current_settings();
        let settings = &settings;
        row(
            "Lock release command in use",
            effective_release_cmd(settings.lock_release_cmd).name(),
        );
        let c = settings.compression;
        let built_in: Vec<&str> = CodecId::ALL
            .iter()
            .filter(|id| **id != CodecId::None)
            .map(|id| id.name())
            .collect();
        row(
            "Compression codecs",
            &messages::codecs_row(&built_in, c.codec.name(), c.effective_level(), c.threshold),
        );
        // SAFETY: closes the table opened above.
        unsafe { php_info_print_table_end() };

        // SAFETY: as above.
        unsafe {
            php_info_print_table_start();
            php_info_print_table_header(
                4,
                c"Setting".as_ptr(),
                c"Value".as_ptr(),
                c"In force (phpredis's meaning)".as_ptr(),
                c"Registered by".as_ptr(),
            );
        }
        for def in SETTINGS {
            let value = match ini_string(def.name) {
                None => "(not registered)".to_string(),
                // phpinfo() drops an empty cell; say what empty means.
                Some(v) if v.is_empty() => "(empty)".to_string(),
                Some(v) => v,
            };
            let owner = if ini::is_owned(def.name) {
                "redis_session"
            } else {
                "redis (phpredis)"
            };
            let n = CString::new(def.name).unwrap_or_default();
            let v = CString::new(value.replace('\0', "")).unwrap_or_default();
            let m = CString::new(settings.in_force(def.name)).unwrap_or_default();
            let o = CString::new(owner).unwrap_or_default();
            // SAFETY: four NUL-terminated strings for a 4-column row.
            unsafe { php_info_print_table_row(4, n.as_ptr(), v.as_ptr(), m.as_ptr(), o.as_ptr()) };
        }
        // SAFETY: closes the table opened above.
        unsafe { php_info_print_table_end() };
    });
}
