//! Trust policy parsing: OCI and blob trust policy documents, then statement
//! selection for a few references and names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verify::{BlobTrustPolicy, OciTrustPolicy};

const REFERENCES: &[&str] = &[
    "registry.example/net-monitor@sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b",
    "registry.example/aws-app@sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b",
    "localhost:5000/a/b/c@sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b",
    "not a reference",
];

fuzz_target!(|data: &[u8]| {
    if let Ok(policy) = OciTrustPolicy::from_json(data) {
        assert!(
            !policy.statements().is_empty(),
            "a valid OCI policy has statements"
        );
        for reference in REFERENCES {
            let _ = policy.select(reference);
        }
    }
    if let Ok(policy) = BlobTrustPolicy::from_json(data) {
        assert!(
            !policy.statements().is_empty(),
            "a valid blob policy has statements"
        );
        let _ = policy.select(None);
        for statement in policy.statements() {
            let name = statement.name.clone();
            assert!(
                policy.select(Some(&name)).is_ok(),
                "a blob statement is selectable by its name"
            );
        }
    }
});
