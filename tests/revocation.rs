//! Revocation from host-supplied evidence (spec §10): CRLs and OCSP responses made
//! by the test PKI of `tests/fixtures/revocation/gen.py`, run through the public
//! API. Test names carry the rejection-catalogue ID they exercise.

mod support;

use verify::{Check, ErrorCode, Outcome, RevocationEvidence, Status};

const OCSP_URL: &str = "http://ocsp.example.test/int";
const CRL_URL: &str = "http://crl.example.test/int.crl";
const DELTA_URL: &str = "http://crl.example.test/int-delta.crl";
const ROOT_CRL_URL: &str = "http://crl.example.test/root.crl";

fn fixture(rel: &str) -> Vec<u8> {
    support::read(&support::fixtures().join("revocation").join(rel))
}

fn crl(name: &str) -> Vec<u8> {
    fixture(&format!("crl/{name}.crl"))
}

fn ocsp(name: &str) -> Vec<u8> {
    fixture(&format!("ocsp/{name}.der"))
}

/// Verifies `envelope` (under `envelopes/`) at level strict with the given
/// revocation action and evidence.
fn run(envelope: &str, revocation: &str, evidence: RevocationEvidence) -> Outcome {
    let store_type = if envelope.ends_with("-sa.jws") {
        "signingAuthority"
    } else {
        "ca"
    };
    support::verify_oci(
        &[(&format!("{store_type}:rev"), &fixture("certs/root.pem"))],
        &format!("\"level\": \"strict\", \"override\": {{\"revocation\": \"{revocation}\"}}"),
        &[&format!("{store_type}:rev")],
        &fixture(&format!("envelopes/{envelope}")),
        evidence,
    )
}

fn strict(envelope: &str, evidence: RevocationEvidence) -> Outcome {
    run(envelope, "enforce", evidence)
}

/// Asserts the revocation check failed with `code` and returns its message.
fn revocation_failure(outcome: &Outcome, status: Status, code: ErrorCode) -> String {
    let check = support::check_of(outcome, Check::Revocation);
    let error = check
        .error
        .as_ref()
        .unwrap_or_else(|| panic!("no revocation error: {}", outcome.to_json()));
    assert_eq!(
        (check.status, error.code),
        (status, code),
        "{}",
        outcome.to_json()
    );
    assert!(!outcome.is_verified());
    assert_eq!(outcome.error.as_ref().map(|e| e.code), Some(code));
    error.message.clone()
}

fn unknown(outcome: &Outcome) -> String {
    revocation_failure(outcome, Status::Unavailable, ErrorCode::RevocationUnknown)
}

fn revoked(outcome: &Outcome) -> String {
    revocation_failure(outcome, Status::Failed, ErrorCode::CertificateRevoked)
}

fn passed(outcome: &Outcome) {
    assert!(outcome.is_verified(), "{}", outcome.to_json());
    assert_eq!(
        support::check_of(outcome, Check::Revocation).status,
        Status::Passed
    );
}

/// Evidence that includes the root's CRL, which the intermediate needs.
fn ev() -> RevocationEvidence {
    RevocationEvidence::none().with_crl(crl("root"))
}

fn none() -> RevocationEvidence {
    RevocationEvidence::none()
}

#[test]
fn rev_02_no_evidence_names_the_urls_to_fetch() {
    let message = unknown(&strict("leaf.jws", none()));
    for url in [OCSP_URL, CRL_URL] {
        assert!(message.contains(url), "{message}");
    }
    assert!(message.contains("revocation override"), "{message}");
}

#[test]
fn rev_02_no_evidence_is_logged_when_the_policy_says_log() {
    let outcome = run("leaf.jws", "log", none());
    assert!(outcome.is_verified(), "{}", outcome.to_json());
    let logged: Vec<Check> = outcome.logged().map(|c| c.check).collect();
    assert_eq!(logged, [Check::Revocation]);
}

#[test]
fn revocation_skip_ignores_missing_evidence() {
    let outcome = run("leaf.jws", "skip", none());
    assert!(outcome.is_verified(), "{}", outcome.to_json());
    assert_eq!(
        support::check_of(&outcome, Check::Revocation).status,
        Status::Skipped
    );
}

#[test]
fn ocsp_good_from_the_issuer() {
    passed(&strict("leaf.jws", ev().with_ocsp(ocsp("leaf-good"))));
}

#[test]
fn ocsp_good_with_a_sha256_cert_id() {
    passed(&strict(
        "leaf.jws",
        ev().with_ocsp(ocsp("leaf-good-sha256-certid")),
    ));
}

#[test]
fn ocsp_good_from_a_delegated_responder() {
    passed(&strict(
        "leaf.jws",
        ev().with_ocsp(ocsp("leaf-good-delegated")),
    ));
}

#[test]
fn rev_02_ocsp_from_a_responder_without_ocsp_signing() {
    let message = unknown(&strict(
        "leaf.jws",
        ev().with_ocsp(ocsp("leaf-good-rogue-responder")),
    ));
    assert!(message.contains("OCSP signing"), "{message}");
}

#[test]
fn rev_02_ocsp_signed_by_the_wrong_key() {
    let message = unknown(&strict(
        "leaf.jws",
        ev().with_ocsp(ocsp("leaf-good-wrong-key")),
    ));
    assert!(
        message.contains("signed neither by the certificate's issuer"),
        "{message}"
    );
}

#[test]
fn rev_02_ocsp_for_the_wrong_serial() {
    let message = unknown(&strict(
        "leaf.jws",
        ev().with_ocsp(ocsp("revoked-leaf-good")),
    ));
    assert!(
        message.contains("no OCSP response for it was supplied"),
        "{message}"
    );
}

#[test]
fn rev_02_ocsp_status_unknown() {
    let message = unknown(&strict("leaf.jws", ev().with_ocsp(ocsp("leaf-unknown"))));
    assert!(message.contains("answered \"unknown\""), "{message}");
}

#[test]
fn rev_02_ocsp_without_next_update() {
    let message = unknown(&strict(
        "leaf.jws",
        ev().with_ocsp(ocsp("leaf-no-next-update")),
    ));
    assert!(message.contains("no nextUpdate"), "{message}");
}

#[test]
fn rev_02_ocsp_expired() {
    let message = unknown(&strict("leaf.jws", ev().with_ocsp(ocsp("leaf-expired"))));
    assert!(message.contains("expired"), "{message}");
}

#[test]
fn rev_01_ocsp_revoked_leaf() {
    let message = revoked(&strict(
        "revoked-leaf.jws",
        ev().with_ocsp(ocsp("revoked-leaf-revoked")),
    ));
    assert!(
        message.contains("OCSP responder reports it revoked"),
        "{message}"
    );
}

#[test]
fn ocsp_answer_decides_before_the_crl() {
    let evidence = ev()
        .with_ocsp(ocsp("revoked-leaf-good"))
        .with_crl(crl("int"));
    // The OCSP answer says good, so notation never consults the CRL.
    passed(&strict("revoked-leaf.jws", evidence.clone()));
    revoked(&strict(
        "revoked-leaf.jws",
        evidence.with_ocsp(ocsp("revoked-leaf-revoked")),
    ));
}

#[test]
fn ocsp_unknown_falls_back_to_the_crl() {
    passed(&strict(
        "leaf.jws",
        ev().with_ocsp(ocsp("leaf-unknown")).with_crl(crl("int")),
    ));
}

#[test]
fn rev_01_revoked_leaf_by_crl() {
    let message = revoked(&strict("revoked-leaf.jws", ev().with_crl(crl("int"))));
    assert!(message.contains("CRL lists it as revoked"), "{message}");
}

#[test]
fn rev_01_revoked_intermediate_by_root_crl() {
    let message = revoked(&strict("leaf-under-revoked-intermediate.jws", ev()));
    assert!(message.contains("certificate 2"), "{message}");
    let message = unknown(&strict("leaf-under-revoked-intermediate.jws", none()));
    assert!(message.contains(ROOT_CRL_URL), "{message}");
}

#[test]
fn crl_good_for_a_crl_only_leaf_and_its_intermediate() {
    passed(&strict("crl-only-leaf.jws", ev().with_crl(crl("int"))));
    let message = unknown(&strict("crl-only-leaf.jws", none().with_crl(crl("int"))));
    assert!(
        message.contains("certificate 2") && message.contains(ROOT_CRL_URL),
        "{message}"
    );
}

#[test]
fn rev_02_expired_crl() {
    let message = unknown(&strict(
        "crl-only-leaf.jws",
        ev().with_crl(crl("int-expired")),
    ));
    assert!(message.contains("expired"), "{message}");
}

#[test]
fn rev_02_crl_signed_by_the_wrong_key() {
    let message = unknown(&strict(
        "crl-only-leaf.jws",
        ev().with_crl(crl("int-wrong-key")),
    ));
    assert!(
        message.contains("not signed by the certificate's issuer"),
        "{message}"
    );
}

#[test]
fn a_current_crl_outweighs_an_unusable_one() {
    let evidence = ev()
        .with_crl(crl("int-expired"))
        .with_crl(crl("int-wrong-key"))
        .with_crl(crl("int"));
    passed(&strict("crl-only-leaf.jws", evidence));
}

#[test]
fn rev_02_crl_with_an_unknown_critical_extension() {
    let message = unknown(&strict(
        "crl-only-leaf.jws",
        ev().with_crl(crl("int-critical-ext")),
    ));
    assert!(
        message.contains("unsupported critical extension"),
        "{message}"
    );
}

#[test]
fn rev_01_certificate_hold() {
    let message = revoked(&strict("leaf.jws", ev().with_crl(crl("int-hold"))));
    assert!(message.contains("on hold"), "{message}");
}

#[test]
fn rev_01_invalidity_date_only_spares_signing_authority_signatures() {
    // Invalidity date 2026-11-15; the Signing Authority signed at 2026-11-10.
    let evidence = ev().with_crl(crl("int-invalidity"));
    passed(&strict("leaf-sa.jws", evidence.clone()));
    revoked(&strict("leaf.jws", evidence));
    let evidence = ev().with_ocsp(ocsp("leaf-revoked-invalidity"));
    passed(&strict("leaf-sa.jws", evidence.clone()));
    revoked(&strict("leaf.jws", evidence));
}

#[test]
fn delta_crl_removes_a_hold() {
    let base = || ev().with_crl(crl("int-base-with-delta"));
    let message = unknown(&strict("delta-leaf.jws", base()));
    assert!(
        message.contains("delta CRL") && message.contains(DELTA_URL),
        "{message}"
    );
    passed(&strict(
        "delta-leaf.jws",
        base().with_crl(crl("int-delta-remove")),
    ));
    revoked(&strict(
        "delta-leaf.jws",
        base().with_crl(crl("int-delta-revoke")),
    ));
    let message = unknown(&strict(
        "delta-leaf.jws",
        base().with_crl(crl("int-delta-stale")),
    ));
    assert!(message.contains("does not belong"), "{message}");
}

#[test]
fn rev_02_certificate_pointing_to_a_delta_crl_needs_one() {
    let message = unknown(&strict(
        "delta-leaf.jws",
        ev().with_crl(crl("int-plain-for-delta-leaf")),
    ));
    assert!(message.contains("delta CRL"), "{message}");
}

#[test]
fn rev_03_malformed_evidence() {
    let outcome = strict("leaf.jws", ev().with_crl(b"not a CRL".to_vec()));
    let message = revocation_failure(
        &outcome,
        Status::Unavailable,
        ErrorCode::RevocationCheckFailed,
    );
    assert!(message.contains("CRL 2: not a DER CRL"), "{message}");
    let outcome = strict("leaf.jws", ev().with_ocsp(crl("int")));
    revocation_failure(
        &outcome,
        Status::Unavailable,
        ErrorCode::RevocationCheckFailed,
    );
}

#[test]
fn certificates_expose_their_ocsp_and_crl_urls() {
    let facts = verify::inspect(&fixture("envelopes/leaf.jws")).unwrap();
    let urls: Vec<(Vec<String>, Vec<String>)> = facts
        .certificates
        .iter()
        .map(|c| (c.ocsp_urls.clone(), c.crl_urls.clone()))
        .collect();
    assert_eq!(
        urls,
        [
            (vec![OCSP_URL.to_owned()], vec![CRL_URL.to_owned()]),
            (vec![], vec![ROOT_CRL_URL.to_owned()]),
            (vec![], vec![]),
        ]
    );
    let outcome = strict("leaf.jws", none());
    let json: serde_json::Value = serde_json::from_str(&outcome.to_json()).unwrap();
    assert_eq!(
        json["signature"]["certificates"][0]["ocspUrls"][0],
        OCSP_URL
    );
    assert_eq!(json["signature"]["certificates"][0]["crlUrls"][0], CRL_URL);
    assert_eq!(
        json["signature"]["certificates"][1]["crlUrls"][0],
        ROOT_CRL_URL
    );
    assert!(json["signature"]["certificates"][2]
        .get("crlUrls")
        .is_none());
}

/// A cached verifier keeps CRLs parsed, never judged: the same CRL bytes at a
/// time after the CRL's nextUpdate are expired evidence, and before it good again,
/// exactly as for a verifier without cache; the root's CRL signature, cached as
/// verified, changes nothing either.
#[test]
fn chain_cache_keeps_crls_parsed_but_judges_them_at_each_call() {
    let root = fixture("certs/root.pem");
    let verifier = |cache: usize| {
        support::oci_verifier(
            &[("ca:rev", &root)],
            r#""level": "strict", "override": {"revocation": "enforce"}"#,
            &["ca:rev"],
        )
        .with_chain_cache(cache)
    };
    let envelope = fixture("envelopes/crl-only-leaf.jws");
    let reference = support::fixture_reference();
    let request = |at: &str, evidence: RevocationEvidence| {
        support::fixture_request(&envelope, &reference, at, evidence)
    };
    let cached = verifier(8);
    // The CRLs' nextUpdate is 2026-12-20; the certificates are valid long after.
    for (at, verified) in [
        ("2026-11-24T00:00:00Z", true),
        ("2026-12-21T00:00:00Z", false),
        ("2026-11-24T00:00:00Z", true),
        ("2026-12-21T00:00:00Z", false),
    ] {
        let evidence = ev().with_crl(crl("int"));
        let fresh = verifier(0).verify(&request(at, evidence.clone()));
        let warm = cached.verify(&request(at, evidence));
        assert_eq!(warm.to_json(), fresh.to_json(), "{at}");
        assert_eq!(fresh.is_verified(), verified, "{at}: {}", fresh.to_json());
        if !verified {
            assert!(unknown(&warm).contains("expired"), "{}", warm.to_json());
        }
    }
    // Other CRL bytes from the same issuer name (signed by another key) are other
    // evidence: parsed, and their signature checked, anew.
    let forged = ev().with_crl(crl("int-wrong-key"));
    let fresh = verifier(0).verify(&request("2026-11-24T00:00:00Z", forged.clone()));
    let warm = cached.verify(&request("2026-11-24T00:00:00Z", forged));
    assert_eq!(warm.to_json(), fresh.to_json());
    assert!(unknown(&warm).contains("not signed"), "{}", warm.to_json());
}
