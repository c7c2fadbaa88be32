//! The thin unsafe layer: PHP's session API mirrored in Rust, the callbacks PHP calls, and
//! the few Zend calls ext-php-rs does not wrap. Every unsafe block lives under this module.

pub mod callbacks;
pub mod caller;
pub mod functions;
pub mod malloc;
pub mod php;
#[allow(dead_code)] // used by build.rs (which includes it) and by its tests here
mod php_layout;
pub mod save_path_guard;
pub mod session;
