//! Userland functions: `redis_session_stats(): array` (declared in stubs/redis_session.stub.php).

use ext_php_rs::builders::FunctionBuilder;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ExecuteData;
use redis_session_core::stats;

/// Per-process counters since the process started: a flat array of integers, plus `errors`
/// (an array of counts by kind). In php-fpm each worker has its own.
extern "C" fn redis_session_stats(_ex: &mut ExecuteData, retval: &mut Zval) {
    let r = std::panic::catch_unwind(|| -> ext_php_rs::error::Result<_> {
        let mut out = ZendHashTable::new();
        for (name, n) in stats::snapshot() {
            out.insert(name, n as i64)?;
        }
        let mut errors = ZendHashTable::new();
        for (name, n) in stats::errors() {
            errors.insert(name, n as i64)?;
        }
        out.insert("errors", errors)?;
        Ok(out)
    });
    match r {
        Ok(Ok(table)) => retval.set_hashtable(table),
        _ => retval.set_null(),
    }
}

/// The function entries the module registers.
pub fn builders() -> Vec<FunctionBuilder<'static>> {
    vec![
        FunctionBuilder::new("redis_session_stats", redis_session_stats).returns(
            DataType::Array,
            false,
            false,
        ),
    ]
}
