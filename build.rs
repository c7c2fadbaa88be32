//! Build script: lets the shell's unit tests link without a PHP binary (PHP provides the Zend
//! symbols at load time; the tests never call them).

fn main() {
    println!("cargo:rustc-link-arg=-Wl,--unresolved-symbols=ignore-all");
    println!("cargo:rerun-if-changed=build.rs");
}
