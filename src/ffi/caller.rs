//! Who called the session handler: whether PHP is inside `session_start(['read_and_close' =>
//! true])`. PHP then reads the session and closes it at once, so a read that finds the lock
//! free need not take it (one round trip instead of two). The callbacks run inside
//! session_start's own call frame, whose first argument is the options array.

use ext_php_rs::ffi::ext_php_rs_executor_globals;
use ext_php_rs::types::Zval;

/// The call frame of the running PHP function, if it is the internal function `name`.
fn running_internal(name: &[u8]) -> Option<&'static ext_php_rs::zend::ExecuteData> {
    // SAFETY: the executor globals exist for the whole request; NULL is handled.
    let eg = unsafe { ext_php_rs_executor_globals().as_ref() }?;
    // SAFETY: current_execute_data is NULL or the frame of the running function, which
    // outlives the callback that asks.
    let frame = unsafe { eg.current_execute_data.as_ref() }?;
    let func = frame.function()?;
    // SAFETY: `common` is the part every zend_function variant shares (type and name).
    let (kind, fname) = unsafe { (func.common.type_, func.common.function_name) };
    if u32::from(kind) != ext_php_rs::ffi::ZEND_INTERNAL_FUNCTION {
        return None;
    }
    // SAFETY: an internal function's name is NULL or a live zend_string.
    let fname = unsafe { fname.as_ref() }?;
    (fname.as_bytes() == name).then_some(frame)
}

/// True when the running PHP function is `session_regenerate_id`: its read of the new id
/// must not fail (PHP turns that into an uncaught Error), so an unreachable server gives an
/// empty, unlocked session with a warning there instead.
pub fn in_session_regenerate_id() -> bool {
    running_internal(b"session_regenerate_id").is_some()
}

/// True when the running PHP function is `session_start` called with a truthy
/// `read_and_close` option (read as PHP reads it: zval_get_long, per PHP version).
pub fn session_start_read_and_close() -> bool {
    let Some(frame) = running_internal(b"session_start") else {
        return false;
    };
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
    let n = match v.long() {
        Some(n) => n,
        // SAFETY: v is a live zval borrowed from the call frame; the function only reads it.
        None => unsafe { zval_get_long_func(v, false) },
    };
    enables_read_and_close(n, php_api())
}

/// The PHP module API this extension was built for (build.rs reads it from the headers).
fn php_api() -> u32 {
    env!("RS_PHP_API").parse().unwrap_or(0)
}

/// PHP up to 8.4 enables read_and_close for any non-zero value; PHP 8.5 (API 20250925) and
/// later only for a positive one (-1 keeps the session open: measured on 8.5 and 8.6 RC).
fn enables_read_and_close(n: i64, api: u32) -> bool {
    if api >= 20250925 {
        n > 0
    } else {
        n != 0
    }
}

#[cfg(test)]
mod tests {
    use super::enables_read_and_close;

    #[test]
    fn read_and_close_values_per_php_version() {
        for (n, old, new) in [
            (1, true, true),
            (777, true, true),
            (0, false, false),
            (-1, true, false),
        ] {
            assert_eq!(enables_read_and_close(n, 20220829), old, "8.2, {n}");
            assert_eq!(enables_read_and_close(n, 20250925), new, "8.5, {n}");
        }
    }
}
