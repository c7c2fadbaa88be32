//! Who called the session handler: whether PHP is inside `session_start(['read_and_close' =>
//! true])`. PHP then reads the session and closes it at once, so a read that finds the lock
//! free need not take it (one round trip instead of two). The callbacks run inside
//! session_start's own call frame, whose first argument is the options array.

use ext_php_rs::ffi::ext_php_rs_executor_globals;
use ext_php_rs::types::Zval;

/// True when the running PHP function is `session_regenerate_id`: its read of the new id
/// must not fail (PHP turns that into an uncaught Error), so an unreachable server gives an
/// empty, unlocked session with a warning there instead.
pub fn in_session_regenerate_id() -> bool {
    // SAFETY: the executor globals exist for the whole request; NULL is handled.
    let Some(eg) = (unsafe { ext_php_rs_executor_globals().as_ref() }) else {
        return false;
    };
    // SAFETY: current_execute_data is NULL or the frame of the running function.
    let Some(frame) = (unsafe { eg.current_execute_data.as_ref() }) else {
        return false;
    };
    let Some(func) = frame.function() else {
        return false;
    };
    // SAFETY: `common` is the part every zend_function variant shares (type and name).
    let (kind, name) = unsafe { (func.common.type_, func.common.function_name) };
    if u32::from(kind) != ext_php_rs::ffi::ZEND_INTERNAL_FUNCTION {
        return false;
    }
    // SAFETY: an internal function's name is NULL or a live zend_string.
    unsafe { name.as_ref() }.is_some_and(|n| n.as_bytes() == b"session_regenerate_id")
}

/// True when the running PHP function is `session_start` called with a truthy
/// `read_and_close` option (read as PHP reads it: an integer, or a string's leading digits).
pub fn session_start_read_and_close() -> bool {
    // SAFETY: the executor globals exist for the whole request; NULL is handled.
    let Some(eg) = (unsafe { ext_php_rs_executor_globals().as_ref() }) else {
        return false;
    };
    // SAFETY: current_execute_data is NULL or the frame of the running function.
    let Some(frame) = (unsafe { eg.current_execute_data.as_ref() }) else {
        return false;
    };
    let Some(func) = frame.function() else {
        return false;
    };
    // SAFETY: `common` is the part every zend_function variant shares (type and name).
    let (kind, name) = unsafe { (func.common.type_, func.common.function_name) };
    if u32::from(kind) != ext_php_rs::ffi::ZEND_INTERNAL_FUNCTION {
        return false;
    }
    // SAFETY: an internal function's name is NULL or a live zend_string.
    let Some(name) = (unsafe { name.as_ref() }) else {
        return false;
    };
    if name.as_bytes() != b"session_start" {
        return false;
    }
    // SAFETY: all fields of the u2 union are the same integer; num_args is set for a call.
    if unsafe { frame.This.u2.num_args } < 1 {
        return false;
    }
    // SAFETY: the frame holds num_args (>= 1) arguments; the first one is read only.
    let Some(options) = (unsafe { frame.zend_call_arg(0) }) else {
        return false;
    };
    options
        .array()
        .and_then(|a| a.get("read_and_close"))
        .is_some_and(truthy_as_long)
}

unsafe extern "C" {
    /// PHP's own conversion behind `zval_get_long()` (Zend/zend_operators.h): the second
    /// argument is false in zval_get_long() itself (8.2: is_strict; 8.3+: is_legacy_behavior).
    fn zval_get_long_func(op: *const Zval, flag: bool) -> ext_php_rs::ffi::zend_long;
}

/// `zval_get_long($v) != 0`, exactly as session_start() reads its read_and_close option
/// ("1e-3" is 0, " 1" and "1abc" are 1, true is 1): PHP's own conversion, not ours.
fn truthy_as_long(v: &Zval) -> bool {
    if let Some(n) = v.long() {
        return n != 0;
    }
    // SAFETY: v is a live zval borrowed from the call frame; the function only reads it.
    unsafe { zval_get_long_func(v, false) != 0 }
}
