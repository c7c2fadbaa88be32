//! redis_session: the PHP extension shell. Module entry, start-up (INI, save handlers), and
//! `php --ri`. All session logic lives in the `redis_session_core` crate.

pub mod ffi;
mod ini;
mod report;

use std::os::raw::c_int;

use ext_php_rs::builders::ModuleBuilder;
use ext_php_rs::ffi::_zend_module_dep as zend_module_dep;
use ext_php_rs::zend::ModuleEntry;
use once_cell::sync::OnceCell;

use ffi::session::{_php_find_ps_module, php_session_register_module, PsModule, SUCCESS};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// MODULE_DEP_REQUIRED / MODULE_DEP_OPTIONAL from zend_modules.h.
const DEP_REQUIRED: u8 = 1;
const DEP_OPTIONAL: u8 = 3;

struct Deps([zend_module_dep; 3]);
// SAFETY: static C strings only, never written after start.
unsafe impl Sync for Deps {}

/// session is required; redis (phpredis) is optional, so PHP starts us after it and we can
/// see which handler and INI names it took.
static DEPS: Deps = Deps([
    zend_module_dep {
        name: c"session".as_ptr(),
        rel: std::ptr::null(),
        version: std::ptr::null(),
        type_: DEP_REQUIRED,
    },
    zend_module_dep {
        name: c"redis".as_ptr(),
        rel: std::ptr::null(),
        version: std::ptr::null(),
        type_: DEP_OPTIONAL,
    },
    zend_module_dep {
        name: std::ptr::null(),
        rel: std::ptr::null(),
        version: std::ptr::null(),
        type_: 0,
    },
]);

/// How a handler name ended up served by us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// We registered the name.
    Registered,
    /// phpredis had registered it; its entry now calls our callbacks.
    TookOver,
    /// Neither worked (should not happen).
    Failed,
}

/// What start-up did for each handler; the original phpredis entries, to restore on shutdown.
struct HandlerState {
    redis: Registration,
    cluster: Registration,
    sentinel: Registration,
    replaced: Vec<(*mut PsModule, PsModule)>,
}
// SAFETY: written once in MINIT, read in MINFO/MSHUTDOWN on the main thread.
unsafe impl Send for HandlerState {}
// SAFETY: as above.
unsafe impl Sync for HandlerState {}

static HANDLERS: OnceCell<parking_lot::Mutex<HandlerState>> = OnceCell::new();

/// Registers `ours`, or when the name is taken (phpredis), points that entry at our callbacks
/// (keeping its name) so `session.save_handler=<name>` runs this extension either way.
fn install(ours: &'static PsModule, replaced: &mut Vec<(*mut PsModule, PsModule)>) -> Registration {
    // SAFETY: ours.name is a static C string.
    let existing = unsafe { _php_find_ps_module(ours.name) } as *mut PsModule;
    if existing.is_null() {
        // SAFETY: a static module table PHP keeps a pointer to.
        return if unsafe { php_session_register_module(ours) } == SUCCESS {
            Registration::Registered
        } else {
            Registration::Failed
        };
    }
    // SAFETY: existing is the registered ps_module of another extension (phpredis keeps it
    // in writable static data); we save it whole, then swap the callbacks in place during
    // MINIT, before any request can use it.
    unsafe {
        let original = *existing;
        replaced.push((existing, original));
        let name = (*existing).name;
        *existing = PsModule { name, ..*ours };
    }
    Registration::TookOver
}

extern "C" fn minit(_ty: c_int, module_number: c_int) -> c_int {
    let r = std::panic::catch_unwind(|| {
        ini::register(module_number);
        ffi::save_path_guard::init();
        let mut replaced = Vec::new();
        let (redis, cluster, sentinel) = if ffi::session::PS_MODULE_KNOWN {
            (
                install(&ffi::callbacks::REDIS_MODULE, &mut replaced),
                install(&ffi::callbacks::CLUSTER_MODULE, &mut replaced),
                install(&ffi::callbacks::SENTINEL_MODULE, &mut replaced),
            )
        } else {
            // Never hand PHP a ps_module whose layout we would be guessing.
            ffi::php::warn(&format!(
                "redis_session: save handlers redis, rediscluster and redissentinel not registered: {}",
                ffi::session::PS_MODULE_REFUSED
            ));
            (
                Registration::Failed,
                Registration::Failed,
                Registration::Failed,
            )
        };
        let _ = HANDLERS.set(parking_lot::Mutex::new(HandlerState {
            redis,
            cluster,
            sentinel,
            replaced,
        }));
    });
    if r.is_ok() {
        0
    } else {
        -1
    }
}

extern "C" fn mshutdown(_ty: c_int, module_number: c_int) -> c_int {
    let _ = std::panic::catch_unwind(|| {
        if let Some(state) = HANDLERS.get() {
            for (ptr, original) in state.lock().replaced.drain(..) {
                // SAFETY: restores the entry we changed in MINIT; our code is about to unload.
                unsafe { *ptr = original };
            }
        }
        redis_session_core::conn::pool::clear();
        unsafe extern "C" {
            fn zend_unregister_ini_entries(module_number: c_int);
        }
        // SAFETY: removes the entries this module registered in MINIT.
        unsafe { zend_unregister_ini_entries(module_number) };
    });
    0
}

extern "C" fn rshutdown(_ty: c_int, _module_number: c_int) -> c_int {
    let _ = std::panic::catch_unwind(ffi::save_path_guard::restore);
    let _ = std::panic::catch_unwind(ffi::malloc::after_request);
    0
}

/// (redis, rediscluster, redissentinel) registration outcome, for `php --ri`.
pub(crate) fn registrations() -> (Registration, Registration, Registration) {
    HANDLERS
        .get()
        .map(|s| {
            let s = s.lock();
            (s.redis, s.cluster, s.sentinel)
        })
        .unwrap_or((
            Registration::Failed,
            Registration::Failed,
            Registration::Failed,
        ))
}

/// The module entry PHP loads.
#[unsafe(no_mangle)]
pub extern "C" fn get_module() -> *mut ModuleEntry {
    static ENTRY: OnceCell<usize> = OnceCell::new();
    let ptr = ENTRY.get_or_init(|| {
        let mut builder = ModuleBuilder::new("redis_session", VERSION)
            .startup_function(minit)
            .shutdown_function(mshutdown)
            .request_shutdown_function(rshutdown)
            .info_function(report::minfo);
        for f in ffi::functions::builders() {
            builder = builder.function(f);
        }
        let built: Result<(ModuleEntry, _, _), _> = builder.try_into();
        let (mut entry, startup, owned) = built.expect("a module without classes always builds");
        entry.deps = DEPS.0.as_ptr();
        // PHP keeps these for the life of the process.
        std::mem::forget(startup);
        std::mem::forget(owned);
        Box::into_raw(Box::new(entry)) as usize
    });
    *ptr as *mut ModuleEntry
}
