//! RFC 3161 timestamp countersignatures (spec §9) through the public API: tokens
//! made by `tests/fixtures/revocation/gen.py` (a test timestamp authority whose
//! certificate has a CRL pointer) over a signature whose certificate expired before
//! the verification time, plus the `uncertain` timestamp cases of notation-go's
//! vectors. Test names carry the rejection-catalogue ID they exercise.

mod support;

use verify::{Check, ErrorCode, Outcome, RevocationEvidence, Status};

const TSA_CRL_URL: &str = "http://crl.example.test/tsa.crl";
const STRICT: &str = r#""level": "strict", "verifyTimestamp": "always""#;

fn fixture(rel: &str) -> Vec<u8> {
    support::read(&support::fixtures().join("timestamp").join(rel))
}

/// Evidence that the timestamp authority's certificate is not revoked.
fn tsa_good() -> RevocationEvidence {
    RevocationEvidence::none().with_crl(fixture("crl/tsa-good.crl"))
}

fn run_with(
    envelope: &str,
    signature_verification: &str,
    tsa_root: &str,
    evidence: RevocationEvidence,
) -> Outcome {
    support::verify_oci(
        &[
            ("ca:signer", &fixture("certs/signer-root.pem")),
            ("tsa:ts", &fixture(&format!("certs/{tsa_root}.pem"))),
        ],
        signature_verification,
        &["ca:signer", "tsa:ts"],
        &fixture(&format!("envelopes/{envelope}.jws")),
        evidence,
    )
}

fn strict(envelope: &str) -> Outcome {
    run_with(envelope, STRICT, "tsa-root", tsa_good())
}

/// Asserts authenticTimestamp failed (enforced) with `code`; returns the message.
fn ats_failure(outcome: &Outcome, code: ErrorCode) -> String {
    let check = support::check_of(outcome, Check::AuthenticTimestamp);
    let error = check
        .error
        .as_ref()
        .unwrap_or_else(|| panic!("authenticTimestamp passed: {}", outcome.to_json()));
    assert_eq!(
        (check.status, error.code),
        (Status::Failed, code),
        "{}",
        outcome.to_json()
    );
    assert!(!outcome.is_verified());
    assert_eq!(outcome.error.as_ref().map(|e| e.code), Some(code));
    error.message.clone()
}

fn verified(outcome: &Outcome) {
    assert!(outcome.is_verified(), "{}", outcome.to_json());
    assert_eq!(
        support::check_of(outcome, Check::AuthenticTimestamp).status,
        Status::Passed
    );
}

#[test]
fn timestamp_rescues_an_expired_signing_certificate() {
    let outcome = strict("valid");
    verified(&outcome);
    let stamp = outcome
        .signature
        .as_ref()
        .and_then(|s| s.timestamp.as_ref())
        .expect("timestamp facts");
    assert_eq!(stamp.gen_time, "2026-03-01T00:00:00Z");
    assert_eq!(stamp.lower, "2026-02-28T23:59:59.5Z");
    assert_eq!(stamp.upper, "2026-03-01T00:00:00.5Z");
    assert_eq!(stamp.certificates[0].crl_urls, [TSA_CRL_URL]);
    verified(&strict("valid-with-root"));
}

#[test]
fn time_02_without_timestamp_verification_the_expired_certificate_fails() {
    let outcome = run_with("valid", r#""level": "strict""#, "tsa-root", tsa_good());
    let outcome_no_tsa = support::verify_oci(
        &[("ca:signer", &fixture("certs/signer-root.pem"))],
        r#""level": "strict""#,
        &["ca:signer"],
        &fixture("envelopes/valid.jws"),
        RevocationEvidence::none(),
    );
    // A tsa store with verifyTimestamp defaulting to "always" still evaluates it.
    verified(&outcome);
    ats_failure(&outcome_no_tsa, ErrorCode::CertificateExpired);
}

#[test]
fn after_cert_expiry_evaluates_the_timestamp_of_an_expired_chain() {
    verified(&run_with(
        "valid",
        r#""level": "strict", "verifyTimestamp": "afterCertExpiry""#,
        "tsa-root",
        tsa_good(),
    ));
}

#[test]
fn tsa_16_timestamp_authority_revocation_unknown_offline() {
    let outcome = run_with("valid", STRICT, "tsa-root", RevocationEvidence::none());
    let message = ats_failure(&outcome, ErrorCode::TimestampRevocation);
    assert!(message.contains(TSA_CRL_URL), "{message}");
    // The revocation override governs the signing chain only.
    let outcome = run_with(
        "valid",
        r#""level": "strict", "override": {"revocation": "skip"}"#,
        "tsa-root",
        RevocationEvidence::none(),
    );
    ats_failure(&outcome, ErrorCode::TimestampRevocation);
    // Permissive logs it.
    let outcome = run_with(
        "valid",
        r#""level": "permissive""#,
        "tsa-root",
        RevocationEvidence::none(),
    );
    assert!(outcome.is_verified(), "{}", outcome.to_json());
    assert_eq!(
        outcome.logged().map(|c| c.check).collect::<Vec<_>>(),
        [Check::AuthenticTimestamp]
    );
}

#[test]
fn tsa_16_revoked_timestamp_authority() {
    let evidence = RevocationEvidence::none().with_crl(fixture("crl/tsa-revoked.crl"));
    let message = ats_failure(
        &run_with("valid", STRICT, "tsa-root", evidence),
        ErrorCode::TimestampRevocation,
    );
    assert!(message.contains("revoked"), "{message}");
}

#[test]
fn tsa_01_timestamp_missing() {
    ats_failure(&strict("no-timestamp"), ErrorCode::TimestampMissing);
}

#[test]
fn time_04_timestamp_before_not_before() {
    ats_failure(
        &strict("before-not-before"),
        ErrorCode::TimestampBeforeCertificate,
    );
}

#[test]
fn time_05_timestamp_after_not_after() {
    ats_failure(
        &strict("after-not-after"),
        ErrorCode::TimestampAfterCertificate,
    );
}

#[test]
fn tsa_04_imprint_algorithm_unsupported() {
    ats_failure(
        &strict("sha1-imprint"),
        ErrorCode::TimestampImprintAlgorithmUnsupported,
    );
}

#[test]
fn tsa_05_imprint_mismatch() {
    ats_failure(
        &strict("wrong-imprint"),
        ErrorCode::TimestampImprintMismatch,
    );
}

#[test]
fn tsa_07_token_without_signer_info() {
    let message = ats_failure(&strict("no-signer"), ErrorCode::TimestampNoSigner);
    assert!(message.contains("signerInfo"), "{message}");
}

#[test]
fn tsa_08_signing_certificate_v1_only() {
    let message = ats_failure(
        &strict("signing-certificate-v1"),
        ErrorCode::TimestampSigningCertificateInvalid,
    );
    assert!(message.contains("signingCertificateV2"), "{message}");
}

#[test]
fn tsa_08_signing_certificate_hash_mismatch() {
    // The token is signed by the TSA, but its signingCertificateV2 names the TSA
    // certificate with the SHA-256 of another (the TSA root).
    let message = ats_failure(
        &strict("wrong-signing-certificate-hash"),
        ErrorCode::TimestampSigningCertificateInvalid,
    );
    assert!(message.contains("hash does not match"), "{message}");
}

#[test]
fn tsa_09_signer_version_not_1() {
    ats_failure(
        &strict("signer-version-3"),
        ErrorCode::TimestampSignerVersionInvalid,
    );
}

#[test]
fn tsa_10_timestamp_authority_not_trusted() {
    ats_failure(&strict("other-tsa"), ErrorCode::TimestampChainNotTrusted);
    ats_failure(
        &run_with("valid", STRICT, "other-tsa-root", tsa_good()),
        ErrorCode::TimestampChainNotTrusted,
    );
}

#[test]
fn tsa_11_token_signature_invalid() {
    ats_failure(
        &strict("bad-signature"),
        ErrorCode::TimestampTokenSignatureInvalid,
    );
}

#[test]
fn tsa_12_message_digest_mismatch() {
    ats_failure(
        &strict("bad-message-digest"),
        ErrorCode::TimestampSignedAttributesInvalid,
    );
}

#[test]
fn tsa_13_signing_time_outside_the_chain() {
    ats_failure(
        &strict("signing-time-outside"),
        ErrorCode::TimestampSigningTimeInvalid,
    );
}

#[test]
fn tsa_14_timestamping_eku_not_critical() {
    ats_failure(
        &strict("eku-not-critical"),
        ErrorCode::TimestampCertificateEkuInvalid,
    );
}

#[test]
fn tsa_15_timestamping_certificate_without_digital_signature() {
    ats_failure(
        &strict("no-digital-signature"),
        ErrorCode::TimestampChainProfileInvalid,
    );
}

#[test]
fn baseline_policy_without_accuracy_means_one_second() {
    let outcome = strict("baseline-policy-fraction");
    verified(&outcome);
    let stamp = outcome
        .signature
        .and_then(|s| s.timestamp)
        .expect("timestamp facts");
    assert_eq!(
        (stamp.lower.as_str(), stamp.upper.as_str()),
        ("2026-02-28T23:59:59.25Z", "2026-03-01T00:00:01.25Z")
    );
}

#[test]
fn inspect_reports_the_token() {
    let facts = verify::inspect(&fixture("envelopes/valid-with-root.jws")).unwrap();
    let stamp = facts.timestamp.expect("timestamp facts");
    let names: Vec<&str> = stamp
        .certificates
        .iter()
        .map(|c| c.issued_to.split(',').next().unwrap())
        .collect();
    assert_eq!(names, ["CN=TSA", "CN=TSA Root"]);
    assert!(verify::inspect(&fixture("envelopes/no-timestamp.jws"))
        .unwrap()
        .timestamp
        .is_none());
}

/// notation-go's timestamp cases whose verdict depends on network access (the
/// manifest's `uncertain` section): notation-go online verifies them; offline the
/// GlobalSign TSA chain's revocation status is unknown, so strict rejects them
/// under authenticTimestamp (TSA-16) and names the URLs to fetch.
#[test]
fn tsa_16_uncertain_notation_go_cases_fail_offline_for_want_of_tsa_evidence() {
    let Some(dir) = support::shared_vectors() else {
        eprintln!("skipped: ../shared/vectors is not present");
        return;
    };
    let manifest = support::manifest(&dir);
    let cases: Vec<_> = manifest["uncertain"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["id"].as_str().is_some_and(|id| id.starts_with("ngo-ts-")))
        .collect();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let outcome = support::run_case(&dir, case);
        let message = ats_failure(&outcome, ErrorCode::TimestampRevocation);
        assert!(
            message.contains("http://ocsp.globalsign.com/ca/gstsacasha384g4"),
            "{message}"
        );
        assert!(
            message.contains("http://crl.globalsign.com/ca/gstsacasha384g4.crl"),
            "{message}"
        );
    }
}

/// One verifier with a chain cache verifies every timestamp fixture envelope, in
/// turn and again, so tokens meet certificates, TSA links and CRL signatures the
/// cache took from other tokens (most share the timestamp authority's
/// certificate set); every outcome equals a fresh verifier's without cache.
#[test]
fn chain_cache_shared_across_tokens_never_changes_an_outcome() {
    let dir = support::fixtures().join("timestamp/envelopes");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    let (signer_root, tsa_root) = (
        fixture("certs/signer-root.pem"),
        fixture("certs/tsa-root.pem"),
    );
    let verifier = |cache: usize| {
        support::oci_verifier(
            &[("ca:signer", &signer_root), ("tsa:ts", &tsa_root)],
            STRICT,
            &["ca:signer", "tsa:ts"],
        )
        .with_chain_cache(cache)
    };
    let reference = support::fixture_reference();
    let shared = verifier(8);
    let mut verified = 0;
    for round in 0..2 {
        for name in &names {
            let envelope = fixture(&format!("envelopes/{name}"));
            let request =
                support::fixture_request(&envelope, &reference, "2026-11-24T00:00:00Z", tsa_good());
            let fresh = verifier(0).verify(&request);
            assert_eq!(
                shared.verify(&request).to_json(),
                fresh.to_json(),
                "{name}, round {round}"
            );
            verified += usize::from(fresh.is_verified());
        }
    }
    assert!(verified >= 2, "some envelopes verify: {verified}");
}
