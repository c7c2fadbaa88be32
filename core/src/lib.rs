//! Pure-Rust core of redis_session: everything that does not need PHP.
#![forbid(unsafe_code)]

pub mod codec;
pub mod conn;
pub mod error;
pub mod handler;
pub mod keys;
pub mod lock;
pub mod messages;
pub mod redact;
pub mod save_path;
pub mod scripts;
pub mod settings;
pub mod slots;
pub mod stats;
