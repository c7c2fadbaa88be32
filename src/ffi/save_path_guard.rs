//! Keeps passwords out of PHP's own failure messages. When a callback fails, PHP prints
//! `PS(save_path)` verbatim ("Failed to read session data: redis (path: ...)"); if that
//! holds credentials we point it at a redacted copy until the request ends.

use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_void};

use once_cell::sync::OnceCell;
use parking_lot::Mutex;
use redis_session_core::redact::redact_save_path;

unsafe extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

/// Address of `ps_globals.save_path` (the first field of php_ps_globals), when PHP is a
/// non-thread-safe build that exports `ps_globals`; ZTS builds lack it and keep PHP's text.
static SAVE_PATH_SLOT: OnceCell<usize> = OnceCell::new();

struct Swap {
    original: usize,
    redacted: CString,
}
// SAFETY: only touched from the request thread of a non-ZTS PHP.
unsafe impl Send for Swap {}

static SWAP: Mutex<Option<Swap>> = Mutex::new(None);

/// Looks up `ps_globals` once (MINIT).
pub fn init() {
    // SAFETY: RTLD_DEFAULT (NULL) searches the global symbol scope; a missing symbol is NULL.
    let p = unsafe { dlsym(std::ptr::null_mut(), c"ps_globals".as_ptr()) };
    if !p.is_null() {
        let _ = SAVE_PATH_SLOT.set(p as usize);
    }
}

fn slot() -> Option<*mut *const c_char> {
    SAVE_PATH_SLOT.get().map(|&p| p as *mut *const c_char)
}

/// Points PS(save_path) at a copy without credentials, if it has any. Called right before a
/// callback returns FAILURE.
pub fn hide() {
    let Some(slot) = slot() else { return };
    let mut swap = SWAP.lock();
    // SAFETY: slot is &ps_globals.save_path; it holds NULL or a C string owned by the INI entry.
    let current = unsafe { *slot };
    if current.is_null()
        || swap
            .as_ref()
            .is_some_and(|s| s.redacted.as_ptr() == current)
    {
        return;
    }
    // SAFETY: non-NULL current is a valid C string (see above).
    let text = unsafe { CStr::from_ptr(current) }.to_string_lossy();
    let Some(redacted) = redact_save_path(&text).and_then(|r| CString::new(r).ok()) else {
        return;
    };
    // SAFETY: we store a pointer to a CString we keep alive in SWAP until restore().
    unsafe { *slot = redacted.as_ptr() };
    *swap = Some(Swap {
        original: current as usize,
        redacted,
    });
}

/// The real save_path when PHP hands us our own redacted copy (a session restarted in the
/// same request after a failure).
pub fn resolve(save_path: *const c_char) -> *const c_char {
    match SWAP.lock().as_ref() {
        Some(s) if s.redacted.as_ptr() == save_path => s.original as *const c_char,
        _ => save_path,
    }
}

/// Puts the real save_path back (request shutdown).
pub fn restore() {
    let Some(slot) = slot() else { return };
    if let Some(s) = SWAP.lock().take() {
        // SAFETY: slot is &ps_globals.save_path; we only undo our own change.
        unsafe {
            if *slot == s.redacted.as_ptr() {
                *slot = s.original as *const c_char;
            }
        }
    }
}
