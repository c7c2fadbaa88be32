//! A `#[repr(C)]` mirror of PHP's `ps_module` (ext/session/php_session.h) and the session
//! functions we call; ext-php-rs has no bindings for the session API.

use std::os::raw::{c_char, c_int, c_void};

use ext_php_rs::ffi::{zend_long, zend_string};

/// PHP's `zend_result`: SUCCESS = 0, FAILURE = -1.
pub type ZendResult = c_int;
pub const SUCCESS: ZendResult = 0;
pub const FAILURE: ZendResult = -1;

pub type OpenFn =
    unsafe extern "C" fn(*mut *mut c_void, *const c_char, *const c_char) -> ZendResult;
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
