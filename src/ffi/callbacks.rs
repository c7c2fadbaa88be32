//! The `ps_module` callbacks PHP calls for the `redis`, `rediscluster` and `redissentinel` save
//! handlers.
//! Each one catches panics, converts PHP values, calls the safe core handler, and turns an
//! error into an E_WARNING plus FAILURE.
//!
//! Re-entrancy: a warning runs the user's error handler, which may call session_write_close(),
//! session_abort(), session_destroy() or session_regenerate_id(). PHP then calls our close()
//! (which frees the Handler behind mod_data) and may free the session id string it lent us.
//! So each callback first does its work and builds every message while it borrows the handler
//! and PHP's strings (an [`Outcome`]), ends those borrows, and only then emits ([`emit`]).

use std::ffi::CStr;
use std::os::raw::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

use ext_php_rs::ffi::{zend_long, zend_string};
use redis_session_core::error::Error;
use redis_session_core::handler::{Handler, HandlerKind};
use redis_session_core::stats;

use super::caller;
use super::php::{new_zstr, release_zstr, warn, zstr_bytes};
use super::save_path_guard;
use super::session::{php_session_create_id, OpenStr, PsModule, ZendResult, FAILURE, SUCCESS};
use crate::ini;

/// Runs `f`, turning a panic into a warning and `fallback` (a panic must never reach PHP).
fn guard<T>(op: &str, fallback: T, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            warn(&format!(
                "redis_session: internal error in {op} (please report it): {what}"
            ));
            fallback
        }
    }
}

/// The handler PHP keeps for us in mod_data, if open() succeeded.
///
/// # Safety
/// `mod_data` must be the pointer PHP passes to a save-handler callback.
unsafe fn handler<'a>(mod_data: *mut *mut c_void) -> Option<&'a mut Handler> {
    if mod_data.is_null() {
        return None;
    }
    // SAFETY: PHP passes a valid slot; we only ever store a Box<Handler> pointer in it.
    let p = unsafe { *mod_data } as *mut Handler;
    // SAFETY: non-NULL values come from Box::into_raw in open() and live until close().
    unsafe { p.as_mut() }
}

/// What a callback has to tell PHP, built while it still borrows the handler and the id, and
/// emitted by [`emit`] once those borrows have ended.
#[must_use]
struct Outcome {
    messages: Vec<String>,
    ok: bool,
}

/// The warnings the handler gathered and, on error, the error's description.
fn outcome(h: &mut Handler, r: Result<(), Error>, id: Option<&str>) -> Outcome {
    let mut messages = h.take_warnings();
    let ok = match r {
        Ok(()) => true,
        Err(e) => {
            stats::error(e.kind);
            messages.push(h.describe(&e, id));
            false
        }
    };
    Outcome { messages, ok }
}

/// Emits the messages (user code may run in each), then SUCCESS, or FAILURE with the
/// save_path PHP is about to quote hidden. Call it with no borrow of the handler or of a PHP
/// string alive.
fn emit(o: Outcome) -> ZendResult {
    for m in &o.messages {
        warn(m);
    }
    if o.ok {
        SUCCESS
    } else {
        fail()
    }
}

/// FAILURE, after hiding credentials from the save_path PHP is about to quote.
fn fail() -> ZendResult {
    save_path_guard::hide();
    FAILURE
}

fn not_open(op: &str) -> ZendResult {
    emit(Outcome {
        messages: vec![format!(
            "redis_session: {op} called on a session handler that is not open"
        )],
        ok: false,
    })
}

fn id_str(bytes: &[u8]) -> &str {
    // Invalid UTF-8 can never be a valid session id; the core refuses "" with a warning.
    std::str::from_utf8(bytes).unwrap_or("\u{fffd}")
}

/// open(): parses save_path and keeps a Handler in mod_data (non-NULL on SUCCESS).
/// No connection is made yet.
unsafe fn open(kind: HandlerKind, mod_data: *mut *mut c_void, save_path: OpenStr) -> ZendResult {
    guard("open", FAILURE, || {
        // SAFETY: PHP passes open() a live save_path.
        let path = unsafe { save_path_guard::open_save_path(save_path) };
        // SAFETY: PHP passes a valid mod_data slot; it holds NULL or our live Box<Handler>.
        if !unsafe { *mod_data }.is_null() {
            // session_reset() opens and reads again on the open session: keep the handler
            // (and the lock it holds) instead of leaking it and waiting for our own lock.
            return SUCCESS;
        }
        // The settings' warnings are emitted last, once mod_data is set: user code they run
        // may close the session (and free the handler) but finds it in a consistent state.
        let (settings, mut messages, session_ttl) = ini::current_settings();
        let locking = settings.locking_enabled;
        let ok = match Handler::open(kind, &path, settings) {
            Ok(mut h) => {
                h.set_session_ttl(session_ttl);
                if locking {
                    h.set_read_and_close(caller::session_start_read_and_close());
                }
                if caller::in_session_regenerate_id() {
                    h.set_regenerating();
                }
                stats::bump(&stats::requests);
                // SAFETY: PHP passes a valid mod_data slot; close() takes the Box back.
                unsafe { *mod_data = Box::into_raw(Box::new(h)) as *mut c_void };
                true
            }
            Err(e) => {
                stats::error(e.kind);
                messages.push(format!("{}: {}", kind.name(), e));
                false
            }
        };
        emit(Outcome { messages, ok })
    })
}

unsafe extern "C" fn redis_open(
    mod_data: *mut *mut c_void,
    save_path: OpenStr,
    _name: OpenStr,
) -> ZendResult {
    // SAFETY: arguments come straight from PHP's session module.
    unsafe { open(HandlerKind::Redis, mod_data, save_path) }
}

unsafe extern "C" fn cluster_open(
    mod_data: *mut *mut c_void,
    save_path: OpenStr,
    _name: OpenStr,
) -> ZendResult {
    // SAFETY: arguments come straight from PHP's session module.
    unsafe { open(HandlerKind::RedisCluster, mod_data, save_path) }
}

unsafe extern "C" fn sentinel_open(
    mod_data: *mut *mut c_void,
    save_path: OpenStr,
    _name: OpenStr,
) -> ZendResult {
    // SAFETY: arguments come straight from PHP's session module.
    unsafe { open(HandlerKind::RedisSentinel, mod_data, save_path) }
}

/// close(): releases a lock still held, then frees the handler. Connections go back to the
/// per-process pool.
unsafe extern "C" fn close(mod_data: *mut *mut c_void) -> ZendResult {
    guard("close", FAILURE, || {
        if mod_data.is_null() {
            return SUCCESS;
        }
        // SAFETY: PHP passes a valid slot holding our Box pointer or NULL.
        let p = unsafe { std::mem::replace(&mut *mod_data, std::ptr::null_mut()) } as *mut Handler;
        if p.is_null() {
            return SUCCESS;
        }
        // SAFETY: p came from Box::into_raw in open() and is taken exactly once.
        let mut h = unsafe { Box::from_raw(p) };
        let r = h.close();
        let out = outcome(&mut h, r, None);
        drop(h);
        crate::ffi::malloc::after_request();
        emit(out)
    })
}

/// read(): hands PHP the session data as a new non-persistent zend_string ("" when new).
unsafe extern "C" fn read(
    mod_data: *mut *mut c_void,
    key: *mut zend_string,
    val: *mut *mut zend_string,
    _maxlifetime: zend_long,
) -> ZendResult {
    guard("read", FAILURE, || {
        let out = {
            // SAFETY: PHP passes our mod_data slot.
            let Some(h) = (unsafe { handler(mod_data) }) else {
                return not_open("read");
            };
            // SAFETY: key is a live zend_string until we emit (see the module comment).
            let id = id_str(unsafe { zstr_bytes(key) });
            match h.read(id) {
                Ok(data) => {
                    stats::add(&stats::bytes_read, data.len() as u64);
                    // SAFETY: val is PHP's out-parameter; PHP frees the string.
                    unsafe { *val = new_zstr(&data) };
                    outcome(h, Ok(()), Some(id))
                }
                Err(e) => outcome(h, Err(e), Some(id)),
            }
        };
        emit(out)
    })
}

/// write(): stores the data (fenced by the lock when locking) with TTL maxlifetime.
unsafe extern "C" fn write(
    mod_data: *mut *mut c_void,
    key: *mut zend_string,
    val: *mut zend_string,
    maxlifetime: zend_long,
) -> ZendResult {
    guard("write", FAILURE, || {
        let out = {
            // SAFETY: PHP passes our mod_data slot.
            let Some(h) = (unsafe { handler(mod_data) }) else {
                return not_open("write");
            };
            // SAFETY: key and val are live zend_strings until we emit.
            let (id, data) = unsafe { (id_str(zstr_bytes(key)), zstr_bytes(val)) };
            stats::add(&stats::bytes_written, data.len() as u64);
            let r = h.write(id, data, maxlifetime);
            let throw = h.settings().write_failure_exception;
            let out = outcome(h, r, Some(id));
            let cause =
                (throw && !out.ok).then(|| out.messages.last().cloned().unwrap_or_default());
            (out, cause)
        };
        let (out, cause) = out;
        let rc = emit(out);
        if let Some(cause) = cause {
            // redis.session.write_failure=exception: the application sees the lost write.
            let _ = ext_php_rs::exception::throw(
                ext_php_rs::zend::ce::exception(),
                &format!("redis_session: the session was not written: {cause}"),
            );
        }
        rc
    })
}

/// update_timestamp(): lazy_write with unchanged data; refreshes the TTL (and releases the lock).
unsafe extern "C" fn update_timestamp(
    mod_data: *mut *mut c_void,
    key: *mut zend_string,
    _val: *mut zend_string,
    maxlifetime: zend_long,
) -> ZendResult {
    guard("update_timestamp", FAILURE, || {
        let out = {
            // SAFETY: PHP passes our mod_data slot.
            let Some(h) = (unsafe { handler(mod_data) }) else {
                return not_open("update_timestamp");
            };
            // SAFETY: key is a live zend_string until we emit.
            let id = id_str(unsafe { zstr_bytes(key) });
            let r = h.update_timestamp(id, maxlifetime);
            outcome(h, r, Some(id))
        };
        emit(out)
    })
}

/// A new id from PHP's own generator (session.sid_length, sid_bits_per_character).
///
/// # Safety
/// `mod_data` must be the pointer PHP passes to a save-handler callback.
unsafe fn php_new_id(mod_data: *mut *mut c_void) -> Option<String> {
    // SAFETY: PHP's own id generator; it returns an owned zend_string or NULL.
    let s = unsafe { php_session_create_id(mod_data) };
    if s.is_null() {
        return None;
    }
    // SAFETY: s is live until released just below.
    let id = String::from_utf8_lossy(unsafe { zstr_bytes(s) }).into_owned();
    // SAFETY: we own s.
    unsafe { release_zstr(s) };
    Some(id)
}

/// destroy(): deletes data and our lock; a missing session is not an error. Inside
/// session_regenerate_id(true) with locking, the next id's lock is claimed in the same round
/// trip when it shares the node (Handler::destroy_regenerating); a plain session_destroy()
/// only destroys.
unsafe extern "C" fn destroy(mod_data: *mut *mut c_void, key: *mut zend_string) -> ZendResult {
    guard("destroy", FAILURE, || {
        let out = {
            // SAFETY: PHP passes our mod_data slot.
            let Some(h) = (unsafe { handler(mod_data) }) else {
                return not_open("destroy");
            };
            // SAFETY: key is a live zend_string until we emit.
            let id = id_str(unsafe { zstr_bytes(key) });
            let r = if h.settings().locking_enabled && caller::in_session_regenerate_id() {
                // SAFETY: mod_data is the slot PHP passed to this callback.
                h.destroy_regenerating(id, || unsafe { php_new_id(mod_data) })
            } else {
                h.destroy(id)
            };
            outcome(h, r, Some(id))
        };
        emit(out)
    })
}

/// gc(): sessions expire by TTL in Redis; nothing to collect, never fails.
unsafe extern "C" fn gc(
    mod_data: *mut *mut c_void,
    _maxlifetime: zend_long,
    nrdels: *mut zend_long,
) -> zend_long {
    guard("gc", -1, || {
        // SAFETY: PHP passes our mod_data slot.
        let n = match unsafe { handler(mod_data) } {
            Some(h) => h.gc().unwrap_or(0),
            None => 0,
        };
        if !nrdels.is_null() {
            // SAFETY: PHP's out-parameter.
            unsafe { *nrdels = n };
        }
        n
    })
}

/// create_sid(): a new id from PHP's generator that no session uses (checked, and locked when
/// locking, in one round trip). NULL makes PHP fail the session start.
unsafe extern "C" fn create_sid(mod_data: *mut *mut c_void) -> *mut zend_string {
    guard("create_sid", std::ptr::null_mut(), || {
        let (out, id) = {
            // SAFETY: PHP passes our mod_data slot.
            let Some(h) = (unsafe { handler(mod_data) }) else {
                not_open("create_sid");
                return std::ptr::null_mut();
            };
            // SAFETY: mod_data is the slot PHP passed to this callback.
            let generate = || unsafe { php_new_id(mod_data) };
            match h.create_sid(generate) {
                Ok(id) => (outcome(h, Ok(()), None), Some(id)),
                Err(e) => (outcome(h, Err(e), None), None),
            }
        };
        let rc = emit(out);
        match id {
            Some(id) if rc == SUCCESS => new_zstr(id.as_bytes()),
            _ => std::ptr::null_mut(),
        }
    })
}

/// validate_sid() (use_strict_mode): SUCCESS when a session with this id exists.
unsafe extern "C" fn validate_sid(mod_data: *mut *mut c_void, key: *mut zend_string) -> ZendResult {
    guard("validate_sid", FAILURE, || {
        let (out, exists) = {
            // SAFETY: PHP passes our mod_data slot.
            let Some(h) = (unsafe { handler(mod_data) }) else {
                return not_open("validate_sid");
            };
            // SAFETY: key is a live zend_string until we emit.
            let id = id_str(unsafe { zstr_bytes(key) });
            match h.validate_sid(id) {
                Ok(exists) => (outcome(h, Ok(()), Some(id)), exists),
                Err(e) => (outcome(h, Err(e), Some(id)), false),
            }
        };
        match (emit(out), exists) {
            (SUCCESS, true) => SUCCESS,
            // Not an error when the session does not exist: PHP makes a new id.
            _ => FAILURE,
        }
    })
}

/// The callbacks of one handler; only open() differs between the two.
const fn module(name: &'static CStr, open: super::session::OpenFn) -> PsModule {
    PsModule {
        name: name.as_ptr(),
        open: Some(open),
        close: Some(close),
        read: Some(read),
        write: Some(write),
        destroy: Some(destroy),
        gc: Some(gc),
        create_sid: Some(create_sid),
        validate_sid: Some(validate_sid),
        update_timestamp: Some(update_timestamp),
    }
}

pub static REDIS_MODULE: PsModule = module(c"redis", redis_open);
pub static CLUSTER_MODULE: PsModule = module(c"rediscluster", cluster_open);
pub static SENTINEL_MODULE: PsModule = module(c"redissentinel", sentinel_open);
