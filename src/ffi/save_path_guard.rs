//! Keeps passwords out of PHP's own failure messages. When a callback fails, PHP prints
//! `PS(save_path)` verbatim ("Failed to read session data: redis (path: ...)"); if that
//! holds credentials we point it at a redacted copy until the request ends.
//!
//! `PS(save_path)` is the first field of PHP's `php_ps_globals`, and its type depends on the
//! PHP version: `char *` up to 8.4, `zend_string *` from 8.5. build.rs reads it from the headers
//! this build is compiled against (src/ffi/php_layout.rs) and sets `cfg(rs_save_path)`. For a
//! PHP whose layout this build does not know, the redaction is off (one notice at start-up) and
//! the field is never read or written.

use std::ffi::CStr;
#[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
use std::os::raw::{c_char, c_void};

#[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
use once_cell::sync::OnceCell;
#[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
use parking_lot::Mutex;
#[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
use redis_session_core::redact::redact_save_path;

use super::session::{open_str_ptr, OpenStr};

/// Why the redaction is off for this build ("" when it is on).
pub const REFUSED: &str = env!("RS_SAVE_PATH_REFUSED");

/// `PS(save_path)` as `char *` (PHP 8.1 to 8.4).
#[cfg(rs_save_path = "char_ptr")]
mod field {
    use std::ffi::CString;
    use std::os::raw::c_char;

    pub type Raw = *const c_char;
    pub const NAME: &str = "char *";

    /// Our redacted copy: a C string we free ourselves (PHP never frees PS(save_path)).
    pub struct Owned(CString);

    impl Owned {
        pub fn new(text: &str) -> Option<Self> {
            CString::new(text).ok().map(Owned)
        }
        pub fn raw(&self) -> Raw {
            self.0.as_ptr()
        }
    }

    /// The text pointer PHP hands open() for this value.
    pub fn text_ptr(raw: Raw) -> *const c_char {
        raw
    }
}

/// `PS(save_path)` as `zend_string *` (PHP 8.5 and later).
#[cfg(rs_save_path = "zend_string")]
mod field {
    use std::os::raw::c_char;

    use ext_php_rs::boxed::ZBox;
    use ext_php_rs::ffi::zend_string;
    use ext_php_rs::types::ZendStr;

    pub type Raw = *mut zend_string;
    pub const NAME: &str = "zend_string *";

    /// Our redacted copy: a request-allocated, refcounted zend_string holding one reference,
    /// released at request shutdown (before PHP frees request memory). PS(save_path) only
    /// borrows the INI value's string (no reference of its own), and whatever copies it takes
    /// its own reference, so releasing ours is right whoever still looks at it.
    pub struct Owned(ZBox<ZendStr>);

    impl Owned {
        pub fn new(text: &str) -> Option<Self> {
            Some(Owned(ZendStr::new(text.as_bytes(), false)))
        }
        pub fn raw(&self) -> Raw {
            &*self.0 as *const ZendStr as *mut zend_string
        }
    }

    /// The text pointer PHP hands open() for this value (ZSTR_VAL).
    pub fn text_ptr(raw: Raw) -> *const c_char {
        if raw.is_null() {
            return std::ptr::null();
        }
        // SAFETY: raw is PS(save_path) or our copy, a live zend_string; `val` is its text.
        unsafe { (*raw).val.as_ptr() }
    }
}

#[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
mod active {
    use super::*;

    /// Address of `ps_globals.save_path` (the first field of php_ps_globals), exported by
    /// non-thread-safe PHP (build.rs refuses ZTS).
    static SAVE_PATH_SLOT: OnceCell<usize> = OnceCell::new();

    pub struct Swap {
        pub original: usize,
        pub redacted: field::Owned,
    }
    // SAFETY: only touched from the request thread of a non-ZTS PHP.
    unsafe impl Send for Swap {}

    pub static SWAP: Mutex<Option<Swap>> = Mutex::new(None);

    pub fn init() {
        // SAFETY: RTLD_DEFAULT (NULL) searches the global symbol scope; a missing symbol is NULL.
        let p = unsafe { dlsym(std::ptr::null_mut(), c"ps_globals".as_ptr()) };
        if !p.is_null() {
            let _ = SAVE_PATH_SLOT.set(p as usize);
        }
    }

    unsafe extern "C" {
        fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    }

    pub fn slot() -> Option<*mut field::Raw> {
        SAVE_PATH_SLOT.get().map(|&p| p as *mut field::Raw)
    }

    /// The text of a PS(save_path) value.
    ///
    /// # Safety
    /// `raw` must be NULL or the live value of PS(save_path) (or our copy).
    pub unsafe fn text(raw: field::Raw) -> Option<String> {
        let p = field::text_ptr(raw);
        // SAFETY: NULL or the NUL-terminated text of a live value (caller's contract).
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

/// Looks up `ps_globals` once (MINIT), or says once why the redaction is off.
pub fn init() {
    #[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
    active::init();
    #[cfg(not(any(rs_save_path = "char_ptr", rs_save_path = "zend_string")))]
    super::php::notice(&format!(
        "redis_session: passwords in session.save_path are not hidden from PHP's own session \
         error messages on this PHP: {REFUSED}"
    ));
}

/// `php --ri` text: whether the redaction is on, and for which field layout.
pub fn status() -> String {
    #[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
    {
        match active::slot() {
            Some(_) => format!("on (save_path as {})", field::NAME),
            None => "off (ps_globals not found)".to_string(),
        }
    }
    #[cfg(not(any(rs_save_path = "char_ptr", rs_save_path = "zend_string")))]
    {
        format!("off: {REFUSED}")
    }
}

/// Points PS(save_path) at a copy without credentials, if it has any. Called right before a
/// callback returns FAILURE.
pub fn hide() {
    #[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
    {
        use active::*;
        let Some(slot) = slot() else { return };
        let mut swap = SWAP.lock();
        // SAFETY: slot is &ps_globals.save_path; it holds NULL or a value owned by the INI
        // entry (or our copy).
        let current = unsafe { *slot };
        if current.is_null() || swap.as_ref().is_some_and(|s| s.redacted.raw() == current) {
            return;
        }
        // SAFETY: current is the live value of PS(save_path).
        let Some(text) = (unsafe { text(current) }) else {
            return;
        };
        let Some(redacted) = redact_save_path(&text).and_then(|r| field::Owned::new(&r)) else {
            return;
        };
        // SAFETY: we store a pointer to a copy we keep alive in SWAP until restore().
        unsafe { *slot = redacted.raw() };
        *swap = Some(Swap {
            original: current as usize,
            redacted,
        });
    }
}

/// The real save_path, as text, from the save_path argument PHP gives open(): PHP hands us our
/// own redacted copy when a session is restarted in the same request after a failure.
///
/// # Safety
/// `save_path` must be open()'s live save_path argument.
pub unsafe fn open_save_path(save_path: OpenStr) -> String {
    // SAFETY: the caller's contract.
    let p = unsafe { open_str_ptr(save_path) };
    #[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
    let p = match active::SWAP.lock().as_ref() {
        Some(s) if field::text_ptr(s.redacted.raw()) == p => {
            field::text_ptr(s.original as field::Raw)
        }
        _ => p,
    };
    if p.is_null() {
        return String::new();
    }
    // SAFETY: open()'s argument (or the original value PHP still owns) is NUL-terminated text.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// Puts the real save_path back (request shutdown) and frees our copy.
pub fn restore() {
    #[cfg(any(rs_save_path = "char_ptr", rs_save_path = "zend_string"))]
    {
        use active::*;
        let Some(slot) = slot() else { return };
        if let Some(s) = SWAP.lock().take() {
            // SAFETY: slot is &ps_globals.save_path; we only undo our own change.
            unsafe {
                if *slot == s.redacted.raw() {
                    *slot = s.original as field::Raw;
                }
            }
        }
    }
}
