//! The committed C header `include/verify.h` is what cbindgen generates from
//! `src/ffi` with `cbindgen.toml`, so reviewers see every C API change in the diff.
//!
//! Needs the cbindgen CLI at the pinned version (`scripts/test-ffi.sh` installs it).
//! Without it the test is skipped with a printed reason, unless
//! `NV_REQUIRE_CBINDGEN=1` (set by `scripts/test-ffi.sh`) makes that a failure.

use std::path::Path;
use std::process::Command;

/// The cbindgen version the committed header was generated with.
const CBINDGEN_VERSION: &str = "0.29.4";

#[test]
fn committed_header_matches_a_fresh_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let required = std::env::var_os("NV_REQUIRE_CBINDGEN").is_some_and(|v| v == "1");
    let skip = |reason: String| {
        assert!(!required, "{reason}");
        eprintln!("skipped: {reason}; run scripts/test-ffi.sh to check the header");
    };
    let version = match Command::new("cbindgen").arg("--version").output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        _ => return skip("the cbindgen CLI is not installed".to_owned()),
    };
    if version != format!("cbindgen {CBINDGEN_VERSION}") {
        return skip(format!(
            "{version} is installed, but the header is generated with cbindgen {CBINDGEN_VERSION}"
        ));
    }
    let out = Command::new("cbindgen")
        .current_dir(root)
        .args(["--config", "cbindgen.toml", "--quiet", "src/ffi/mod.rs"])
        .output()
        .expect("cbindgen runs");
    assert!(
        out.status.success(),
        "cbindgen failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(root.join("include/verify.h"))
        .expect("include/verify.h is committed");
    let fresh = String::from_utf8(out.stdout).expect("cbindgen writes UTF-8");
    assert!(
        committed == fresh,
        "include/verify.h is stale: regenerate it with `cbindgen --config cbindgen.toml --output include/verify.h src/ffi/mod.rs` and commit it"
    );
}
