//! A `#[repr(C)]` mirror of PHP's `ps_module` (ext/session/php_session.h) and the session
//! functions we call; ext-php-rs has no bindings for the session API.

use std::os::raw::{c_char, c_int, c_void};

use ext_php_rs::ffi::{zend_long, zend_string};

/// PHP's `zend_result`: SUCCESS = 0, FAILURE = -1.
pub type ZendResult = c_int;
pub const SUCCESS: ZendResult = 0;
pub const FAILURE: ZendResult = -1;

/// What open() is given as save_path and session name: `const char *` up to PHP 8.5,
/// `zend_string *` from PHP 8.6 (`PS_OPEN_ARGS`, read from the headers by build.rs).
#[cfg(not(rs_ps_open = "zend_string"))]
pub type OpenStr = *const c_char;
/// What open() is given as save_path and session name (PHP 8.6: `zend_string *`).
#[cfg(rs_ps_open = "zend_string")]
pub type OpenStr = *mut zend_string;

pub type OpenFn = unsafe extern "C" fn(*mut *mut c_void, OpenStr, OpenStr) -> ZendResult;

/// Whether the headers this build was made from have the ps_module ABI mirrored here
/// (src/ffi/php_layout.rs); if not, the handlers are never registered.
pub const PS_MODULE_KNOWN: bool = cfg!(any(rs_ps_open = "c_str", rs_ps_open = "zend_string"));

/// Why the ps_module ABI of the headers was not recognised ("" when it was).
pub const PS_MODULE_REFUSED: &str = env!("RS_PS_MODULE_REFUSED");

/// The module API number (ZEND_MODULE_API_NO) and PHP version this build is for.
pub const PHP_API: &str = env!("RS_PHP_API");
pub const PHP_VERSION: &str = env!("RS_PHP_VERSION");

/// The text PHP passes to open() (save_path or session name).
///
/// # Safety
/// `s` must be NULL or a live argument of open() for the duration of the call.
pub unsafe fn open_str_ptr(s: OpenStr) -> *const c_char {
    #[cfg(rs_ps_open = "zend_string")]
    {
        if s.is_null() {
            return std::ptr::null();
        }
        // SAFETY: a live zend_string; `val` is its inline NUL-terminated text.
        unsafe { (*s).val.as_ptr() }
    }
    #[cfg(not(rs_ps_open = "zend_string"))]
    {
        s
    }
}
pub type CloseFn = unsafe extern "C" fn(*mut *mut c_void) -> ZendResult;
pub type ReadFn = unsafe extern "C" fn(
    *mut *mut c_void,
    *mut zend_string,
    *mut *mut zend_string,
    zend_long,
) -> ZendResult;
pub type WriteFn = unsafe extern "C" fn(
    *mut *mut c_void,
    *mut zend_string,
    *mut zend_string,
    zend_long,
) -> ZendResult;
pub type DestroyFn = unsafe extern "C" fn(*mut *mut c_void, *mut zend_string) -> ZendResult;
pub type GcFn = unsafe extern "C" fn(*mut *mut c_void, zend_long, *mut zend_long) -> zend_long;
pub type CreateSidFn = unsafe extern "C" fn(*mut *mut c_void) -> *mut zend_string;
pub type ValidateSidFn = unsafe extern "C" fn(*mut *mut c_void, *mut zend_string) -> ZendResult;
pub type UpdateTimestampFn = unsafe extern "C" fn(
    *mut *mut c_void,
    *mut zend_string,
    *mut zend_string,
    zend_long,
) -> ZendResult;

/// `ps_module`: a save handler's name and callbacks, field for field.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct PsModule {
    pub name: *const c_char,
    pub open: Option<OpenFn>,
    pub close: Option<CloseFn>,
    pub read: Option<ReadFn>,
    pub write: Option<WriteFn>,
    pub destroy: Option<DestroyFn>,
    pub gc: Option<GcFn>,
    pub create_sid: Option<CreateSidFn>,
    pub validate_sid: Option<ValidateSidFn>,
    pub update_timestamp: Option<UpdateTimestampFn>,
}

// SAFETY: a PsModule is immutable after MINIT and only holds a static name and fn pointers.
unsafe impl Sync for PsModule {}
// SAFETY: as above; it is moved only during MINIT/MSHUTDOWN on the main thread.
unsafe impl Send for PsModule {}

unsafe extern "C" {
    pub fn php_session_register_module(module: *const PsModule) -> ZendResult;
    pub fn _php_find_ps_module(name: *const c_char) -> *const PsModule;
    pub fn php_session_create_id(mod_data: *mut *mut c_void) -> *mut zend_string;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn mirror_has_ps_module_layout() {
        let p = size_of::<*const c_void>();
        assert_eq!(size_of::<PsModule>(), 10 * p);
        assert_eq!(offset_of!(PsModule, name), 0);
        assert_eq!(offset_of!(PsModule, open), p);
        assert_eq!(offset_of!(PsModule, close), 2 * p);
        assert_eq!(offset_of!(PsModule, read), 3 * p);
        assert_eq!(offset_of!(PsModule, write), 4 * p);
        assert_eq!(offset_of!(PsModule, destroy), 5 * p);
        assert_eq!(offset_of!(PsModule, gc), 6 * p);
        assert_eq!(offset_of!(PsModule, create_sid), 7 * p);
        assert_eq!(offset_of!(PsModule, validate_sid), 8 * p);
        assert_eq!(offset_of!(PsModule, update_timestamp), 9 * p);
    }
}
