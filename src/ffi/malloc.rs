//! glibc malloc tuning, so a php-fpm worker gives back the memory of a large session.
//!
//! glibc serves large blocks with mmap, but raises that threshold (up to 32 MiB) each time
//! such a block is freed; from then on blocks of a large session's size come from the heap,
//! and freed heap memory above the trim threshold (twice the mmap threshold) stays with the
//! process. A worker that once read a 10 MB session kept ~20 MB more RSS for its whole life.
//! Fixing the threshold turns the adjustment off: blocks of 256 KiB and more are mmapped and
//! returned to the system when freed. PHP's own allocator maps its memory itself; small
//! blocks are untouched.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_large_blocks() {
    use std::os::raw::c_int;
    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }
    /// glibc's M_MMAP_THRESHOLD (malloc.h).
    const M_MMAP_THRESHOLD: c_int = -3;
    // SAFETY: mallopt only sets a glibc malloc parameter (a plain integer, no pointers); it
    // takes malloc's own lock, so it is sound at any time, and we call it once, in MINIT.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_large_blocks() {}
