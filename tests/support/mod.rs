//! Shared test support: loads manifest cases (our fixtures and notation's vectors)
//! and runs them through the public API.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use verify::{
    BlobTrustPolicy, Check, Descriptor, OciTrustPolicy, Request, RevocationEvidence, Time,
    TrustStore, Verifier,
};

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `../shared/vectors`, if present.
pub fn shared_vectors() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors");
    p.join("manifest.json").exists().then_some(p)
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&read(&dir.join("manifest.json"))).expect("manifest.json is JSON")
}

/// Builds the verifier and request of a manifest case and runs it.
pub fn run_case(dir: &Path, case: &Value) -> verify::Outcome {
    run_case_with(dir, case, 0, 1).remove(0)
}

/// Runs a case twice on one verifier with a chain cache: (cold, warm).
pub fn run_case_twice_with_cache(dir: &Path, case: &Value) -> (verify::Outcome, verify::Outcome) {
    let mut outcomes = run_case_with(dir, case, 16, 2);
    let warm = outcomes.remove(1);
    (outcomes.remove(0), warm)
}

/// Builds the verifier (with a chain cache of `cache` entries, 0 for none) and
/// request of a manifest case and verifies `times` times.
pub fn run_case_with(dir: &Path, case: &Value, cache: usize, times: usize) -> Vec<verify::Outcome> {
    let mut store = TrustStore::new();
    if let Some(stores) = case["trust_stores"].as_object() {
        for (name, files) in stores {
            store.declare(name).expect("store name is valid");
            for file in files.as_array().into_iter().flatten() {
                let bytes = read(&dir.join(file.as_str().unwrap()));
                // A bad file marks the store broken; verification reports it.
                let _ = store.add(name, &bytes);
            }
        }
    }
    let policy = serde_json::to_vec(&case["trust_policy"]).unwrap();
    let envelope = read(&dir.join(case["envelope"].as_str().unwrap()));
    let at = Time::parse_rfc3339(case["at"].as_str().unwrap()).expect("at is RFC 3339");
    let blob_bytes;
    let mut verifier = Verifier::new(store).with_chain_cache(cache);
    let mut request = if let Some(blob) = case["blob"].as_str() {
        verifier = verifier
            .with_blob_policy(BlobTrustPolicy::from_json(&policy).expect("blob policy loads"));
        blob_bytes = read(&dir.join(blob));
        Request::blob_with(
            &envelope,
            &blob_bytes,
            case["policy_name"].as_str(),
            case["blob_media_type"].as_str(),
            at,
        )
    } else {
        verifier =
            verifier.with_oci_policy(OciTrustPolicy::from_json(&policy).expect("OCI policy loads"));
        let a = &case["artifact"];
        let descriptor = Descriptor::new(
            a["mediaType"].as_str().unwrap(),
            a["digest"].as_str().unwrap(),
            a["size"].as_u64().unwrap(),
        );
        Request::oci(
            &envelope,
            case["reference"].as_str().unwrap(),
            descriptor,
            at,
        )
    };
    if let Some(mt) = case["signature_media_type"].as_str() {
        request = request.envelope_media_type(mt);
    }
    if let Some(meta) = case["user_metadata"].as_object() {
        for (k, v) in meta {
            request = request.require_metadata(k.clone(), v.as_str().unwrap().to_owned());
        }
    }
    (0..times).map(|_| verifier.verify(&request)).collect()
}

/// Rules that name the same failure (AWS-specific IDs for general ones).
fn same_rule(expected: &str, actual: &str) -> bool {
    const EQUIVALENT: &[(&str, &[&str])] = &[
        ("AWS-02", &["HDR-14"]),
        ("AWS-11", &["STORE-08", "STORE-09"]),
        ("AWS-12", &["TIME-03"]),
        ("AWS-13", &["TIME-06"]),
        ("PLUG-04", &["AWS-08"]),
        ("CHAIN-03", &["CHAIN-09"]),
    ];
    expected == actual
        || EQUIVALENT.iter().any(|(e, a)| {
            (*e == expected && a.contains(&actual)) || (*e == actual && a.contains(&expected))
        })
}

fn check_name(name: &str) -> &str {
    match name {
        "plugin" | "userMetadata" => "integrity",
        other => other,
    }
}

/// Compares an outcome with a case's expectations; returns a description of
/// every mismatch.
pub fn judge(case: &Value, outcome: &verify::Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    let expected = case["expected"].as_str().unwrap();
    let verdict = if outcome.is_verified() {
        "verified"
    } else {
        "rejected"
    };
    if expected != verdict {
        problems.push(format!("verdict {verdict}, expected {expected}"));
    }
    if let Some(check) = case["failing_check"].as_str() {
        let failed = outcome
            .checks
            .iter()
            .find(|c| c.error.is_some() && outcome.error.as_ref() == c.error.as_ref())
            .map(|c| c.check.as_str());
        if failed != Some(check_name(check)) {
            problems.push(format!("failing check {failed:?}, expected {check}"));
        }
    }
    if let Some(rule) = case["rule"].as_str() {
        let actual = outcome
            .error
            .as_ref()
            .and_then(|e| e.rule)
            .unwrap_or("(none)");
        if !same_rule(rule, actual) {
            problems.push(format!("rule {actual}, expected {rule}"));
        }
    }
    let mut logged: Vec<String> = outcome
        .logged()
        .map(|c| c.check.as_str().to_owned())
        .collect();
    logged.sort();
    let mut expected_logged: Vec<String> = case["logged_checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    expected_logged.extend(offline_logged(case).map(str::to_owned));
    expected_logged.sort();
    if case.get("logged_checks").is_some() && logged != expected_logged {
        problems.push(format!("logged {logged:?}, expected {expected_logged:?}"));
    }
    if !problems.is_empty() {
        problems.push(format!("outcome: {}", outcome.to_json()));
    }
    problems
}

/// Runs every case of `cases`; returns `(passed, failures)`.
pub fn run_all(
    dir: &Path,
    cases: &[Value],
    skip_issue: impl Fn(&Value) -> bool,
) -> (usize, BTreeMap<String, Vec<String>>) {
    let mut passed = 0;
    let mut failures = BTreeMap::new();
    for case in cases {
        if skip_issue(case) {
            continue;
        }
        let id = case["id"].as_str().unwrap().to_owned();
        let outcome = run_case(dir, case);
        let problems = judge(case, &outcome);
        if problems.is_empty() {
            passed += 1;
        } else {
            failures.insert(id, problems);
        }
    }
    (passed, failures)
}

pub fn check_of(outcome: &verify::Outcome, check: Check) -> &verify::CheckResult {
    outcome.check(check).expect("every check is reported")
}

/// Checks an offline verifier logs where notation-go (online) records none: the
/// case's manifest notes say so. Its timestamp authority's chain has OCSP and CRL
/// pointers and the vectors carry no revocation evidence for it, so the TSA chain's
/// revocation status is unknown and `authenticTimestamp` is logged (spec §10.3).
const OFFLINE_LOGGED: &[(&str, &str)] = &[("ngo-ts-jws-with-tsa-permissive", "authenticTimestamp")];

fn offline_logged(case: &Value) -> impl Iterator<Item = &'static str> + '_ {
    OFFLINE_LOGGED
        .iter()
        .filter(move |(id, _)| case["id"].as_str() == Some(*id))
        .map(|(_, check)| *check)
}

/// The artifact every fixture under `tests/fixtures/revocation` and
/// `tests/fixtures/timestamp` signs.
pub const FIXTURE_ARTIFACT_DIGEST: &str =
    "sha256:ef7284ef2669581e556d09fb7876095832e7bdc786e4fde600847d5f170807c7";

/// A verifier with a one-statement OCI policy for the fixtures of
/// `tests/fixtures/revocation/gen.py`: `signature_verification` is the inside of
/// its `signatureVerification` object, `trust_stores` its `trustStores`; `stores`
/// are `(type:name, PEM)` trust store contents.
pub fn oci_verifier(
    stores: &[(&str, &[u8])],
    signature_verification: &str,
    trust_stores: &[&str],
) -> Verifier {
    let mut store = TrustStore::new();
    for (name, pem) in stores {
        store.add(name, pem).expect("fixture trust store loads");
    }
    let policy = format!(
        r#"{{"version": "1.0", "trustPolicies": [{{"name": "fixtures", "registryScopes": ["*"],
            "signatureVerification": {{{signature_verification}}}, "trustStores": {}, "trustedIdentities": ["*"]}}]}}"#,
        serde_json::to_string(trust_stores).unwrap()
    );
    Verifier::new(store).with_oci_policy(
        OciTrustPolicy::from_json(policy.as_bytes()).expect("fixture policy loads"),
    )
}

/// The reference of the artifact those fixtures sign.
pub fn fixture_reference() -> String {
    format!("registry.example/fixtures@{FIXTURE_ARTIFACT_DIGEST}")
}

/// A request to verify `envelope` over that artifact at `at` (RFC 3339), with
/// `evidence`; `reference` is [`fixture_reference`].
pub fn fixture_request<'a>(
    envelope: &'a [u8],
    reference: &'a str,
    at: &str,
    evidence: RevocationEvidence,
) -> Request<'a> {
    let descriptor = Descriptor::new(
        "application/vnd.oci.image.manifest.v1+json",
        FIXTURE_ARTIFACT_DIGEST,
        28,
    );
    let at = Time::parse_rfc3339(at).expect("an RFC 3339 time");
    Request::oci(envelope, reference, descriptor, at).revocation(evidence)
}

/// Verifies `envelope` at 2026-11-24T00:00:00Z with [`oci_verifier`].
pub fn verify_oci(
    stores: &[(&str, &[u8])],
    signature_verification: &str,
    trust_stores: &[&str],
    envelope: &[u8],
    evidence: RevocationEvidence,
) -> verify::Outcome {
    let verifier = oci_verifier(stores, signature_verification, trust_stores);
    let reference = fixture_reference();
    let request = fixture_request(envelope, &reference, "2026-11-24T00:00:00Z", evidence);
    let outcome = verifier.verify(&request);
    // The chain cache (signing chain and timestamp authority links) never changes
    // an outcome, cold or warm.
    let cached = verifier.with_chain_cache(4);
    for run in ["cold", "warm"] {
        assert_eq!(
            cached.verify(&request).to_json(),
            outcome.to_json(),
            "with the chain cache, {run}"
        );
    }
    outcome
}

/// Runs every case of one manifest section and fails with a description of each
/// mismatch.
pub fn assert_section(dir: &Path, section: &str) {
    let manifest = manifest(dir);
    let cases: Vec<Value> = manifest[section].as_array().cloned().unwrap_or_default();
    assert!(!cases.is_empty(), "manifest section {section} is empty");
    let (passed, failures) = run_all(dir, &cases, |_| false);
    for (id, problems) in &failures {
        eprintln!("{id}:\n  {}", problems.join("\n  "));
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases of {} failed",
        failures.len(),
        cases.len(),
        dir.display()
    );
    eprintln!("{passed} cases of {} passed", dir.display());
}
