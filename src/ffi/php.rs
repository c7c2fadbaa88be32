//! Zend helpers: warnings, zend_string conversion, and reading INI values by name.

use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::ffi::{php_error_docref, zend_long, zend_string, E_NOTICE, E_WARNING};
use ext_php_rs::types::ZendStr;

unsafe extern "C" {
    fn zend_ini_string_ex(
        name: *const c_char,
        name_length: usize,
        orig: c_int,
        exists: *mut bool,
    ) -> *mut c_char;
    fn zend_ini_long(name: *const c_char, name_length: usize, orig: c_int) -> zend_long;
}

/// Emits an E_WARNING attributed to the running PHP function (e.g. session_start()).
pub fn warn(msg: &str) {
    report(E_WARNING, msg)
}

/// Emits an E_NOTICE (at start-up: once per PHP process).
pub fn notice(msg: &str) {
    report(E_NOTICE, msg)
}

fn report(level: u32, msg: &str) {
    let text = CString::new(msg.replace('\0', "\\0")).unwrap_or_default();
    // SAFETY: "%s" with one NUL-terminated string argument; PHP copies the text.
    unsafe {
        php_error_docref(
            std::ptr::null(),
            level as c_int,
            c"%s".as_ptr(),
            text.as_ptr(),
        )
    };
}

/// The current value of an INI setting, or None when nobody registered that name.
pub fn ini_string(name: &str) -> Option<String> {
    let mut exists = false;
    // SAFETY: name/len describe a valid buffer; PHP returns NULL or a NUL-terminated string
    // owned by the INI entry, which we copy at once.
    let ptr = unsafe { zend_ini_string_ex(name.as_ptr().cast(), name.len(), 0, &mut exists) };
    if !exists {
        return None;
    }
    if ptr.is_null() {
        return Some(String::new());
    }
    // SAFETY: non-NULL value of a registered INI entry is a valid C string.
    Some(
        unsafe { CStr::from_ptr(ptr) }
            .to_string_lossy()
            .into_owned(),
    )
}

/// Calls `f` with the current value of an INI setting as PHP holds it (None when nobody
/// registered that name), without copying it.
pub fn with_ini_raw<R>(name: &str, f: impl FnOnce(Option<&[u8]>) -> R) -> R {
    let mut exists = false;
    // SAFETY: name/len describe a valid buffer; PHP returns NULL or a NUL-terminated string
    // owned by the INI entry.
    let ptr = unsafe { zend_ini_string_ex(name.as_ptr().cast(), name.len(), 0, &mut exists) };
    if !exists {
        return f(None);
    }
    if ptr.is_null() {
        return f(Some(b""));
    }
    // SAFETY: a non-NULL value of a registered INI entry is a valid C string, and only PHP
    // (not running while we are) can replace it; the borrow ends when `f` returns.
    f(Some(unsafe { CStr::from_ptr(ptr) }.to_bytes()))
}

/// True when no INI value has been changed in this request (no ini_set(), set_time_limit(),
/// per-directory or .user.ini value): PHP then holds every setting at its start-up value.
pub fn ini_unchanged() -> bool {
    // SAFETY: the executor globals exist for the whole process; NULL is handled.
    let Some(eg) = (unsafe { ext_php_rs::ffi::ext_php_rs_executor_globals().as_ref() }) else {
        return false;
    };
    // PHP creates the list at the first change of a request and frees it (NULL) at its end.
    eg.modified_ini_directives.is_null()
}

/// An INI setting read as PHP reads integers (for PHP's own settings, e.g. max_execution_time).
pub fn ini_long(name: &str) -> i64 {
    // SAFETY: name/len describe a valid buffer; unknown names read as 0.
    unsafe { zend_ini_long(name.as_ptr().cast(), name.len(), 0) }
}

/// The bytes of a zend_string PHP lends us for the duration of a callback.
///
/// # Safety
/// `s` must be NULL or a valid zend_string that outlives the returned slice.
pub unsafe fn zstr_bytes<'a>(s: *const zend_string) -> &'a [u8] {
    if s.is_null() {
        return &[];
    }
    // SAFETY: the caller guarantees a live zend_string; ZendStr is its transparent wrapper.
    unsafe { (*(s as *const ZendStr)).as_bytes() }
}

/// A new non-persistent zend_string PHP takes ownership of.
pub fn new_zstr(bytes: &[u8]) -> *mut zend_string {
    let s: ZBox<ZendStr> = ZendStr::new(bytes, false);
    s.into_raw() as *mut ZendStr as *mut zend_string
}

/// Frees a zend_string PHP handed us ownership of.
///
/// # Safety
/// `s` must be a valid, owned, non-persistent zend_string (or NULL).
pub unsafe fn release_zstr(s: *mut zend_string) {
    if !s.is_null() {
        // SAFETY: we own `s`; ZBox releases it with zend_string_release.
        drop(unsafe { ZBox::from_raw(s as *mut ZendStr) });
    }
}
