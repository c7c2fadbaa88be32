//! The thin unsafe layer: PHP's session API mirrored in Rust, the callbacks PHP calls, and
//! the few Zend calls ext-php-rs does not wrap. Every unsafe block lives under this module.

pub mod callbacks;
pub mod caller;
pub mod functions;
pub mod php;
#[cfg_attr(not(test), allow(dead_code))]
mod php_layout;
pub mod save_path_guard;
pub mod session;
