//! Gives the memory of a large session back to the system, so a php-fpm worker that once
//! handled a 10 MB session does not keep ~20 MB more RSS for the rest of its life.
//!
//! glibc serves large blocks with mmap, but raises that threshold (up to 32 MiB) each time
//! such a block is freed; from then on blocks of a large session's size come from the heap,
//! and freed heap memory stays with the process. After a request that moved a large value
//! (a reply or an argument of 1 MiB or more, see `conn::note_large`), `malloc_trim(0)` hands
//! the free pages back. Requests with small sessions never pay for it; a fixed mmap threshold
//! (mallopt) would have cost every large allocation a map, unmap and page faults.

/// Called when a session closes and at request end: trims the heap if the request (or one
/// before it, for a close PHP made after our request shutdown) moved a large value.
pub fn after_request() {
    if redis_session_core::conn::take_large() {
        trim();
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    use std::os::raw::c_int;
    extern "C" {
        fn malloc_trim(pad: usize) -> c_int;
    }
    // SAFETY: malloc_trim takes malloc's own locks and only returns free pages to the system;
    // it touches no memory of ours and is sound at any time.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
