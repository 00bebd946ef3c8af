//! Inputs the fuzz targets (`fuzz/`) found, replayed: each file under
//! `tests/fixtures/fuzz/<target>/` runs through the check of the target of that
//! name and must pass it now.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// `timestamp_token`: the token parser and the `cms` decoding agree.
///
/// - `misplaced-certificate-field-then-bad-content.der` (2026-12-06): a token
///   certificate with a misplaced `[0]` in its tbsCertificate, and content that is
///   not an OCTET STRING. The parser refuses the certificate (as for `x5c`); `cms`
///   passed over the field and failed later, at the TSTInfo. The comparison
///   allowed the by-design difference only when `cms` accepted the token.
/// - `explicit-default-version-certificate.der` (2026-12-06): a token certificate
///   whose tbsCertificate encodes the default version v1 (`[0] INTEGER 0`), which
///   DER leaves out and x509-cert accepts. `cms` hands it over re-encoded without
///   it; the parser keeps the certificate as sent (as Go does, and as the
///   signingCertificateV2 hash covers it). The comparison now compares such
///   certificates by their re-encodings.
#[test]
fn timestamp_token_findings() {
    let found = inputs("timestamp_token");
    assert!(!found.is_empty());
    for (path, token) in found {
        let agreed = verify::fuzzing::compare_timestamp_token_parsers(&token);
        assert!(agreed.is_ok(), "{}: {agreed:?}", path.display());
    }
}
