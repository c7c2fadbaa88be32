//! Build script: (1) reads the headers of the PHP this build is for (`php-config`, or
//! `$PHP_CONFIG`, as ext-php-rs does) and tells the shell which layout of PHP's session internals
//! to use (src/ffi/php_layout.rs); (2) refuses thread-safe (ZTS) PHP builds; (3) lets the shell's
//! unit tests link without a PHP binary (PHP provides the Zend symbols at load time; the tests
//! never call them).

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "src/ffi/php_layout.rs"]
#[allow(dead_code)]
mod php_layout;

fn php_config() -> PathBuf {
    std::env::var_os("PHP_CONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("php-config"))
}

fn include_dir() -> PathBuf {
    let bin = php_config();
    let out = Command::new(&bin)
        .arg("--include-dir")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "redis_session: cannot run {} ({e}); install the PHP dev package (php8.x-dev) \
                 or set PHP_CONFIG to its php-config",
                bin.display()
            )
        });
    assert!(
        out.status.success(),
        "redis_session: {} --include-dir failed",
        bin.display()
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn read(dir: &Path, rel: &str) -> String {
    let p = dir.join(rel);
    println!("cargo:rerun-if-changed={}", p.display());
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("redis_session: cannot read {} ({e})", p.display()))
}

fn main() {
    println!("cargo:rustc-link-arg=-Wl,--unresolved-symbols=ignore-all");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/ffi/php_layout.rs");
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo::rustc-check-cfg=cfg(rs_save_path, values(\"char_ptr\", \"zend_string\"))");
    println!("cargo::rustc-check-cfg=cfg(rs_ps_open, values(\"c_str\", \"zend_string\"))");

    let inc = include_dir();
    let php_config_h = read(&inc, "main/php_config.h");
    if php_layout::is_zts(&php_config_h) {
        // Untested here (no ZTS PHP package exists for Debian) and the save_path redaction and
        // the connection pool assume one request per process at a time.
        panic!(
            "redis_session does not support thread-safe (ZTS) PHP builds ({} has ZTS); \
             build against a non-thread-safe PHP (php-fpm, CLI and mod_php prefork are NTS)",
            inc.display()
        );
    }

    let layout = php_layout::decide(
        &read(&inc, "Zend/zend_modules.h"),
        &read(&inc, "ext/session/php_session.h"),
    );
    println!("cargo:rustc-env=RS_PHP_API={}", layout.api);
    let version = php_layout::KNOWN_APIS
        .iter()
        .find(|(a, _, _)| *a == layout.api)
        .map_or("unknown", |(_, v, _)| v);
    println!("cargo:rustc-env=RS_PHP_VERSION={version}");
    match &layout.ps_module {
        Ok(open) => {
            println!("cargo:rustc-cfg=rs_ps_open=\"{}\"", open.cfg_value());
            println!("cargo:rustc-env=RS_PS_MODULE_REFUSED=");
        }
        Err(why) => {
            println!("cargo:warning=redis_session: session handlers disabled: {why}");
            println!("cargo:rustc-env=RS_PS_MODULE_REFUSED={why}");
        }
    }
    match &layout.save_path {
        Ok(sp) => {
            println!("cargo:rustc-cfg=rs_save_path=\"{}\"", sp.cfg_value());
            println!("cargo:rustc-env=RS_SAVE_PATH_REFUSED=");
        }
        Err(why) => {
            println!("cargo:warning=redis_session: save_path redaction disabled: {why}");
            println!("cargo:rustc-env=RS_SAVE_PATH_REFUSED={why}");
        }
    }
}
