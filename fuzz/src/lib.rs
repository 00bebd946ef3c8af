//! What the fuzz targets share: committed test fixtures embedded at build time, the
//! verifiers built from them once per process, and the request every target makes.

use std::sync::OnceLock;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use serde_json::Value;
use verify::{
    BlobTrustPolicy, Descriptor, OciTrustPolicy, Outcome, Request, Time, TrustStore, Verifier,
};

macro_rules! fixture {
    ($path:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/",
            $path
        ))
    };
}

/// Trust stores of the committed notation configuration (`tests/fixtures/config`).
pub const STORES: &[(&str, &[u8])] = &[
    (
        "ca:test-rsa",
        fixture!("config/truststore/x509/ca/test-rsa/test-rsa-root.pem"),
    ),
    (
        "ca:test-ec",
        fixture!("config/truststore/x509/ca/test-ec/test-ec-roots.pem"),
    ),
    (
        "signingAuthority:test-sa",
        fixture!("config/truststore/x509/signingAuthority/test-sa/test-sa-root.pem"),
    ),
    (
        "signingAuthority:test-signer",
        fixture!("config/truststore/x509/signingAuthority/test-signer/test-signer-root.pem"),
    ),
];
/// The committed OCI trust policy (`trustpolicy.json`).
pub const OCI_POLICY: &[u8] = fixture!("config/trustpolicy.json");
/// The committed blob trust policy.
pub const BLOB_POLICY: &[u8] = fixture!("config/trustpolicy.blob.json");
const ARTIFACT: &[u8] = fixture!("artifact/manifest.json");
/// The blob the committed blob signatures sign.
pub const BLOB: &[u8] = fixture!("blob/hello.txt");
/// The verification time of the fixtures' manifest.
const AT: &str = "2026-11-24T00:00:00Z";
/// The repositories of the committed OCI policy's two statements.
pub const REPOSITORIES: [&str; 2] = ["registry.example/net-monitor", "registry.example/aws-app"];

/// Valid committed envelopes, one per algorithm and signing scheme: the bases that
/// structure-aware targets take certificate chains from.
pub const ENVELOPES: &[(&str, &[u8])] = &[
    ("x509-es256", fixture!("envelopes/valid/x509-es256.jws")),
    ("x509-es384", fixture!("envelopes/valid/x509-es384.jws")),
    ("x509-es512", fixture!("envelopes/valid/x509-es512.jws")),
    ("x509-ps256", fixture!("envelopes/valid/x509-ps256.jws")),
    ("x509-ps384", fixture!("envelopes/valid/x509-ps384.jws")),
    ("x509-ps512", fixture!("envelopes/valid/x509-ps512.jws")),
    ("sa-aws-es384", fixture!("envelopes/valid/sa-aws-es384.jws")),
];

/// The trust store of the committed configuration (plus the built-in AWS roots).
pub fn trust_store() -> TrustStore {
    let mut store = TrustStore::new();
    for (name, pem) in STORES {
        store.add(name, pem).expect("committed trust store loads");
    }
    store
}

/// The committed configuration's verifier (no chain cache).
pub fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| build_verifier(0))
}

/// The same verifier with a verified-chain cache: it must reach the same verdicts.
pub fn cached_verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| build_verifier(64))
}

fn build_verifier(cache: usize) -> Verifier {
    Verifier::new(trust_store())
        .with_oci_policy(OciTrustPolicy::from_json(OCI_POLICY).expect("committed OCI policy loads"))
        .with_blob_policy(
            BlobTrustPolicy::from_json(BLOB_POLICY).expect("committed blob policy loads"),
        )
        .with_chain_cache(cache)
}

/// The artifact the committed OCI signatures sign.
pub fn descriptor() -> Descriptor {
    Descriptor::of_content("application/vnd.oci.image.manifest.v1+json", ARTIFACT)
}

/// `repository@digest` for one of [`REPOSITORIES`].
pub fn reference(repository: &str) -> String {
    format!("{repository}@{}", descriptor().digest)
}

fn at() -> Time {
    Time::parse_rfc3339(AT).expect("AT is RFC 3339")
}

/// Verifies `envelope` the way the committed manifest does: as an OCI signature
/// for the first repository and, when it got past envelope parsing (the outcome
/// carries signature facts), also for the second repository and as a blob
/// signature. Every outcome must serialize to JSON, and the verifier with a chain
/// cache must reach exactly the same outcomes.
pub fn verify_all(envelope: &[u8]) {
    let first = verify_with(verifier(), envelope, 0);
    if first.signature.is_none() {
        return;
    }
    for target in 0..3 {
        let plain = if target == 0 {
            first.clone()
        } else {
            verify_with(verifier(), envelope, target)
        };
        let cached = verify_with(cached_verifier(), envelope, target);
        assert_eq!(
            plain,
            cached,
            "the chain cache changed an outcome:\n{}\n{}",
            plain.to_json(),
            cached.to_json()
        );
    }
}

/// Target 0 and 1: OCI, [`REPOSITORIES`]; 2: blob.
fn verify_with(verifier: &Verifier, envelope: &[u8], target: usize) -> Outcome {
    let outcome = match REPOSITORIES.get(target) {
        Some(repository) => {
            let reference = reference(repository);
            verifier.verify(&Request::oci(envelope, &reference, descriptor(), at()))
        }
        None => verifier.verify(&Request::blob(envelope, BLOB, at())),
    };
    let json: Value = serde_json::from_str(&outcome.to_json()).expect("outcome JSON parses");
    assert!(json.is_object(), "outcome JSON is an object");
    outcome
}

/// The certificate chain (DER, leaf first) of a committed envelope.
pub fn chain_of(envelope: &[u8]) -> Vec<Vec<u8>> {
    let value: Value = serde_json::from_slice(envelope).expect("committed envelope is JSON");
    value["header"]["x5c"]
        .as_array()
        .expect("committed envelope has x5c")
        .iter()
        .map(|c| {
            Base64::decode_vec(c.as_str().expect("x5c entry is a string"))
                .expect("x5c entry is base64")
        })
        .collect()
}

/// A flattened JWS JSON envelope from raw parts (no valid signature).
pub fn assemble(protected: &[u8], payload: &[u8], chain: &[Vec<u8>], signature: &str) -> Vec<u8> {
    let x5c: Vec<Value> = chain
        .iter()
        .map(|der| Value::String(Base64::encode_string(der)))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "payload": Base64UrlUnpadded::encode_string(payload),
        "protected": Base64UrlUnpadded::encode_string(protected),
        "header": { "x5c": x5c },
        "signature": signature,
    }))
    .expect("JSON serializes")
}
