//! The public Rust API beyond the manifest cases: rules that need a mutated input,
//! the AWS revocation answer, thread-safety, and the verified-chain cache.

mod support;

use std::path::Path;

use verify::aws::RevocationAnswer;
use verify::{
    Check, Descriptor, ErrorCode, Limits, OciTrustPolicy, Request, RevocationEvidence, Status,
    Time, TrustStore, Verdict, Verifier,
};

const AT: &str = "2026-11-24T00:00:00Z";

fn fixture(path: &str) -> Vec<u8> {
    support::read(&support::fixtures().join(path))
}

fn artifact() -> Descriptor {
    Descriptor::of_content(
        "application/vnd.oci.image.manifest.v1+json",
        &fixture("artifact/manifest.json"),
    )
}

fn at(text: &str) -> Time {
    Time::parse_rfc3339(text).unwrap()
}

/// The committed notation config: trust policy and the four stores.
fn committed_verifier() -> Verifier {
    let config = support::fixtures().join("config");
    let mut store = TrustStore::new();
    for (name, dir) in [
        ("ca:test-rsa", "ca/test-rsa"),
        ("ca:test-ec", "ca/test-ec"),
        ("signingAuthority:test-sa", "signingAuthority/test-sa"),
        (
            "signingAuthority:test-signer",
            "signingAuthority/test-signer",
        ),
    ] {
        for file in std::fs::read_dir(config.join("truststore/x509").join(dir)).unwrap() {
            store
                .add(name, &support::read(&file.unwrap().path()))
                .unwrap();
        }
    }
    let policy =
        OciTrustPolicy::from_json(&support::read(&config.join("trustpolicy.json"))).unwrap();
    Verifier::new(store).with_oci_policy(policy)
}

fn oci<'a>(envelope: &'a [u8], repo: &str, reference: &'a mut String, time: &str) -> Request<'a> {
    let descriptor = artifact();
    *reference = format!("registry.example/{repo}@{}", descriptor.digest);
    Request::oci(envelope, reference, descriptor, at(time))
}

#[test]
fn jws_10_dot_in_protected_payload_or_signature() {
    let envelope: serde_json::Value =
        serde_json::from_slice(&fixture("envelopes/valid/x509-es256.jws")).unwrap();
    for member in ["protected", "payload", "signature"] {
        let mut mutated = envelope.clone();
        let value = mutated[member].as_str().unwrap();
        mutated[member] = format!("{}.{}", &value[..4], &value[4..]).into();
        let bytes = serde_json::to_vec(&mutated).unwrap();
        let mut reference = String::new();
        let outcome = committed_verifier().verify(&oci(&bytes, "net-monitor", &mut reference, AT));
        let error = outcome.error.expect("rejected");
        assert_eq!(error.code, ErrorCode::EnvelopeMemberHasDot, "{member}");
        assert_eq!(error.rule, Some("JWS-10"));
    }
}

#[test]
fn jws_12_cose_media_type_is_rejected() {
    let envelope = fixture("envelopes/valid/x509-es256.jws");
    let mut reference = String::new();
    let request =
        oci(&envelope, "net-monitor", &mut reference, AT).envelope_media_type("application/cose");
    let outcome = committed_verifier().verify(&request);
    assert_eq!(
        outcome.error.unwrap().code,
        ErrorCode::EnvelopeMediaTypeUnsupported
    );
}

fn aws_case(id: &str) -> serde_json::Value {
    let manifest = support::manifest(&support::fixtures());
    manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn plug_04_minimum_plugin_version_above_the_builtin_aws_equivalent() {
    let outcome = support::run_case(
        &support::fixtures(),
        &aws_case("aws-08-min-version-too-high"),
    );
    let error = outcome.error.unwrap();
    assert_eq!(error.code, ErrorCode::AwsPluginVersionTooLow);
    assert!(error.message.contains("99.0.0"), "{}", error.message);
}

#[test]
fn plug_07_unprocessed_extended_attribute_fails_even_when_not_critical() {
    let outcome = support::run_case(
        &support::fixtures(),
        &aws_case("aws-07-extra-noncritical-attribute"),
    );
    assert_eq!(
        outcome.error.unwrap().code,
        ErrorCode::AwsUnexpectedAttribute
    );
}

fn aws_verifier(revocation: &str) -> Verifier {
    let policy = format!(
        r#"{{"version":"1.0","trustPolicies":[{{"name":"aws","registryScopes":["*"],
        "signatureVerification":{{"level":"strict"{revocation}}},
        "trustStores":["signingAuthority:test-signer"],
        "trustedIdentities":["arn:aws:signer:us-west-2:111122223333:/signing-profiles/NotationTest"]}}]}}"#
    );
    let mut store = TrustStore::new();
    store
        .add(
            "signingAuthority:test-signer",
            &fixture("config/truststore/x509/signingAuthority/test-signer/test-signer-root.pem"),
        )
        .unwrap();
    Verifier::new(store).with_oci_policy(OciTrustPolicy::from_json(policy.as_bytes()).unwrap())
}

#[test]
fn aws_09_no_answer_offline_is_unavailable_and_enforced_under_strict() {
    let envelope = fixture("envelopes/valid/sa-aws-es384.jws");
    let mut reference = String::new();
    let outcome = aws_verifier("").verify(&oci(&envelope, "app", &mut reference, AT));
    let revocation = outcome.check(Check::Revocation).unwrap();
    assert_eq!(revocation.status, Status::Unavailable);
    assert_eq!(
        outcome.error.unwrap().code,
        ErrorCode::AwsRevocationUnavailable
    );
    // The exact inputs of AWS's request are exposed for the host.
    let request = &outcome.signature.unwrap().aws.unwrap().revocation_request;
    assert_eq!(request.platform_id, "Notation-OCI-SHA384-ECDSA");
    assert_eq!(request.certificate_hashes.len(), 4);
    assert!(request.certificate_hashes.iter().all(|h| h.len() == 192));
    assert_eq!(
        &request.certificate_hashes[3][..96],
        &request.certificate_hashes[3][96..],
        "the root pairs with itself"
    );
    assert_eq!(
        &request.certificate_hashes[0][96..],
        &request.certificate_hashes[1][..96]
    );
}

#[test]
fn aws_10_revoked_answer_rejects_and_empty_answer_verifies() {
    let envelope = fixture("envelopes/valid/sa-aws-es384.jws");
    let verifier = aws_verifier("");
    let mut reference = String::new();
    let revoked = RevocationAnswer {
        revoked_entities: vec!["arn:aws:signer:us-west-2:111122223333:/signing-jobs/2e8a6f5c-0c8e-4d55-9f0e-6a4b7b1a8c01".into()],
    };
    let request = oci(&envelope, "app", &mut reference, AT)
        .revocation(RevocationEvidence::none().with_aws_answer(revoked));
    let outcome = verifier.verify(&request);
    let error = outcome.error.unwrap();
    assert_eq!(error.code, ErrorCode::AwsRevoked);
    assert_eq!(error.rule, Some("AWS-10"));
    assert!(error.message.contains("signing-jobs"), "{}", error.message);

    let mut reference = String::new();
    let request = oci(&envelope, "app", &mut reference, AT)
        .revocation(RevocationEvidence::none().with_aws_answer(RevocationAnswer::default()));
    let outcome = verifier.verify(&request);
    assert_eq!(outcome.verdict, Verdict::Verified, "{}", outcome.to_json());
    assert_eq!(
        outcome.check(Check::Revocation).unwrap().status,
        Status::Passed
    );
}

#[test]
fn verifier_is_send_and_sync_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Verifier>();
    let verifier = std::sync::Arc::new(committed_verifier().with_chain_cache(8));
    let envelope = std::sync::Arc::new(fixture("envelopes/valid/x509-ps384.jws"));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (verifier, envelope) = (verifier.clone(), envelope.clone());
            std::thread::spawn(move || {
                let mut reference = String::new();
                (0..10).all(|_| {
                    verifier
                        .verify(&oci(&envelope, "net-monitor", &mut reference, AT))
                        .is_verified()
                })
            })
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
}

/// Every fixture case gets the same outcome with and without the cache, cold and warm.
#[test]
fn chain_cache_never_changes_an_outcome() {
    let dir = support::fixtures();
    let manifest = support::manifest(&dir);
    for case in manifest["cases"].as_array().unwrap() {
        let plain = support::run_case(&dir, case).to_json();
        let (cold, warm) = support::run_case_twice_with_cache(&dir, case);
        assert_eq!(plain, cold.to_json(), "{} cold", case["id"]);
        assert_eq!(plain, warm.to_json(), "{} warm", case["id"]);
    }
}

/// Validity periods are never cached: a warm chain is still judged at each call's time.
#[test]
fn chain_cache_rechecks_validity_across_not_after() {
    let verifier = committed_verifier().with_chain_cache(4);
    let envelope = fixture("envelopes/valid/x509-es256.jws");
    let mut reference = String::new();
    assert!(verifier
        .verify(&oci(
            &envelope,
            "net-monitor",
            &mut reference,
            "2027-12-31T23:59:59Z"
        ))
        .is_verified());
    assert_eq!(verifier.cached_chains(), 1);
    let mut reference = String::new();
    let late = verifier.verify(&oci(
        &envelope,
        "net-monitor",
        &mut reference,
        "2028-01-01T00:00:01Z",
    ));
    assert_eq!(late.error.unwrap().code, ErrorCode::CertificateExpired);
    let mut reference = String::new();
    assert!(verifier
        .verify(&oci(&envelope, "net-monitor", &mut reference, AT))
        .is_verified());
}

/// The cache belongs to a verifier, so a changed trust store (a new verifier) is
/// never answered from it; and a chain that failed is never cached.
#[test]
fn chain_cache_follows_the_trust_store_and_never_caches_failures() {
    let envelope = fixture("envelopes/valid/x509-es384.jws");
    let warm = committed_verifier().with_chain_cache(4);
    let mut reference = String::new();
    assert!(warm
        .verify(&oci(&envelope, "net-monitor", &mut reference, AT))
        .is_verified());

    let policy = OciTrustPolicy::from_json(&fixture("config/trustpolicy.json")).unwrap();
    let mut store = TrustStore::new();
    store
        .add(
            "ca:test-rsa",
            &fixture("config/truststore/x509/ca/test-rsa/test-rsa-root.pem"),
        )
        .unwrap();
    store
        .add(
            "ca:test-ec",
            &fixture("config/truststore/x509/ca/test-rsa/test-rsa-root.pem"),
        )
        .unwrap();
    let changed = Verifier::new(store)
        .with_oci_policy(policy)
        .with_chain_cache(4);
    let mut reference = String::new();
    let outcome = changed.verify(&oci(&envelope, "net-monitor", &mut reference, AT));
    assert_eq!(outcome.error.unwrap().code, ErrorCode::ChainNotTrusted);

    let broken = fixture("envelopes/invalid/chain-06-order-swapped.jws");
    let mut reference = String::new();
    let outcome = warm.verify(&oci(&broken, "net-monitor", &mut reference, AT));
    assert_eq!(outcome.verdict, Verdict::Rejected);
    assert_eq!(warm.cached_chains(), 1, "failed chains are not cached");
}

/// Chains in the cache were admitted under the verifier's limits; new limits start
/// a new cache, so a stricter limit is never bypassed by a cached chain.
#[test]
fn chain_cache_starts_over_when_the_limits_change() {
    let warm = committed_verifier().with_chain_cache(4);
    let envelope = fixture("envelopes/valid/x509-ps384.jws");
    let mut reference = String::new();
    assert!(warm
        .verify(&oci(&envelope, "net-monitor", &mut reference, AT))
        .is_verified());
    assert_eq!(warm.cached_chains(), 1);
    let strict = warm.clone().with_limits(Limits {
        max_certificates: 2,
        ..Limits::default()
    });
    assert_eq!(strict.cached_chains(), 0);
    let mut reference = String::new();
    let outcome = strict.verify(&oci(&envelope, "net-monitor", &mut reference, AT));
    assert_eq!(outcome.error.unwrap().code, ErrorCode::LimitExceeded);
    assert_eq!(
        warm.cached_chains(),
        1,
        "the original verifier keeps its cache"
    );
}

#[test]
fn chain_cache_is_bounded() {
    let verifier = committed_verifier().with_chain_cache(2);
    for name in ["x509-es256", "x509-es384", "x509-es512", "x509-ps256"] {
        let envelope = fixture(&format!("envelopes/valid/{name}.jws"));
        let mut reference = String::new();
        assert!(
            verifier
                .verify(&oci(&envelope, "net-monitor", &mut reference, AT))
                .is_verified(),
            "{name}"
        );
    }
    assert_eq!(verifier.cached_chains(), 2);
}

#[test]
fn skip_level_verifies_nothing() {
    let policy = br#"{"version":"1.0","trustPolicies":[{"name":"skip-one","registryScopes":["registry.example/skipped"],
        "signatureVerification":{"level":"skip"}}]}"#;
    let verifier = Verifier::new(TrustStore::new())
        .with_oci_policy(OciTrustPolicy::from_json(policy).unwrap());
    let mut reference = String::new();
    let outcome = verifier.verify(&oci(b"not even JSON", "skipped", &mut reference, AT));
    assert_eq!(outcome.verdict, Verdict::Skipped);
    assert!(outcome.checks.iter().all(|c| c.status == Status::Skipped));
}

#[test]
fn inspect_reads_without_trust() {
    let facts = verify::inspect(&fixture("envelopes/valid/sa-aws-es384.jws")).unwrap();
    assert_eq!(facts.signing_scheme, "notary.x509.signingAuthority");
    assert_eq!(facts.certificates.len(), 4);
    assert_eq!(
        facts.certificates[0].issued_to,
        "CN=AWS Signer,OU=AWS Cryptography,O=AWS,L=Seattle,ST=WA,C=US"
    );
    let aws = facts.aws.unwrap();
    assert!(aws
        .signing_profile_version
        .ends_with("/signing-profiles/NotationTest/AbCdEf1234"));
    let alias = verify::inspect(&fixture("envelopes/valid/sa-aws-alias-name.jws")).unwrap();
    assert_eq!(
        alias.aws.unwrap().signing_profile_alias.as_deref(),
        Some("release")
    );
    assert_eq!(
        verify::inspect(&fixture("envelopes/invalid/hdr-07-expiry-not-critical.jws"))
            .unwrap_err()
            .code(),
        ErrorCode::CritLacksExpiry
    );
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("README.md")
        .exists());
}
