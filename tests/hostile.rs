//! Hostile inputs: each ends in a clear error code, within a time bound, with the
//! heap it needs measured by a counting allocator and held to a budget.
//!
//! Inputs are built from `tests/fixtures/hostile/` (certificates and envelopes made
//! by its `gen.py`), mostly by mutating `valid-es256.jws`, which verifies.
//! `cargo test --test hostile -- --nocapture` prints what each case cost.

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
mod support;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use counting_alloc::{measure, Counting, Usage};
use serde_json::{json, Value};
use verify::{
    Descriptor, ErrorCode, Limits, OciTrustPolicy, Request, Time, TrustStore, Verdict, Verifier,
};

#[global_allocator]
static ALLOC: Counting = Counting;

const MIB: usize = 1024 * 1024;
/// Generous for a debug build on a busy 2-core machine; what is guarded against is
/// super-linear work (seconds become hours), not a few milliseconds.
const TIME_BOUND: Duration = Duration::from_secs(20);
const REPOSITORY: &str = "registry.example/hostile";

fn hostile(name: &str) -> Vec<u8> {
    support::read(&support::fixtures().join("hostile").join(name))
}

fn descriptor() -> Descriptor {
    serde_json::from_slice(&hostile("descriptor.json")).expect("descriptor.json is a descriptor")
}

fn verifier(limits: Limits) -> Verifier {
    let mut store = TrustStore::empty();
    store
        .add("ca:hostile", &hostile("root-ec256.pem"))
        .expect("hostile root loads");
    store
        .add("ca:hostile-rsa16384", &hostile("rsa16384-root.pem"))
        .expect("an RSA-16384 CA loads (its self-signature cannot be checked)");
    Verifier::new(store)
        .with_oci_policy(policy())
        .with_limits(limits)
}

/// The policy of [`verifier`]: the two hostile CA stores, any identity.
fn policy() -> OciTrustPolicy {
    let policy = json!({
        "version": "1.0",
        "trustPolicies": [{
            "name": "hostile",
            "registryScopes": [REPOSITORY],
            "signatureVerification": { "level": "strict", "override": { "revocation": "skip" } },
            "trustStores": ["ca:hostile", "ca:hostile-rsa16384"],
            "trustedIdentities": ["*"]
        }]
    });
    OciTrustPolicy::from_json(policy.to_string().as_bytes()).expect("policy loads")
}

fn raised(f: impl FnOnce(&mut Limits)) -> Limits {
    let mut limits = Limits::default();
    f(&mut limits);
    limits
}

/// Runs `f` on its own thread, measuring its time and heap. A call still running
/// after [`TIME_BOUND`] fails the test at once (the thread is left to finish).
#[track_caller]
fn bounded<R: Send + 'static>(
    case: &str,
    f: impl FnOnce() -> R + Send + 'static,
) -> (R, Duration, Usage) {
    let (done, outcome) = mpsc::channel();
    std::thread::spawn(move || {
        let start = Instant::now();
        let (result, usage) = measure(f);
        let _ = done.send((result, start.elapsed(), usage));
    });
    outcome
        .recv_timeout(TIME_BOUND)
        .unwrap_or_else(|_| panic!("{case}: not finished after {TIME_BOUND:?}"))
}

/// Verifies `envelope` under `limits` (see [`bounded`]).
#[track_caller]
fn verify_measured(
    case: &str,
    envelope: &[u8],
    limits: Limits,
) -> (verify::Outcome, Duration, Usage) {
    let verifier = verifier(limits);
    let envelope = envelope.to_vec();
    bounded(case, move || {
        let reference = format!("{REPOSITORY}@{}", descriptor().digest);
        let at = Time::parse_rfc3339("2026-11-24T00:00:00Z").unwrap();
        verifier.verify(&Request::oci(&envelope, &reference, descriptor(), at))
    })
}

/// Inspects `envelope` (see [`bounded`]).
#[track_caller]
fn inspect_measured(
    case: &str,
    envelope: &[u8],
) -> (
    Result<verify::SignatureFacts, verify::Error>,
    Duration,
    Usage,
) {
    let envelope = envelope.to_vec();
    bounded(case, move || verify::inspect(&envelope))
}

/// Asserts that verification under `limits` fails with `code`, in bounded time and
/// with at most `max_peak` bytes of heap above the input; returns the message.
#[track_caller]
fn rejects(
    case: &str,
    envelope: &[u8],
    limits: Limits,
    code: ErrorCode,
    max_peak: usize,
) -> String {
    let (outcome, elapsed, usage) = verify_measured(case, envelope, limits);
    report(case, envelope.len(), elapsed, usage);
    assert_eq!(
        outcome.verdict,
        Verdict::Rejected,
        "{case}: {}",
        outcome.to_json()
    );
    let error = outcome.error.expect("a rejection has an error");
    assert_eq!(error.code, code, "{case}: {}", error.message);
    assert!(!error.message.is_empty(), "{case}: the error has a message");
    assert!(
        usage.peak_bytes <= max_peak,
        "{case}: peak heap {} bytes > budget {max_peak}",
        usage.peak_bytes
    );
    error.message
}

/// Asserts that `verify::inspect` (default limits) fails with `code`, bounded as above.
#[track_caller]
fn inspect_rejects(case: &str, envelope: &[u8], code: ErrorCode, max_peak: usize) {
    let (result, elapsed, usage) = inspect_measured(case, envelope);
    report(&format!("{case} (inspect)"), envelope.len(), elapsed, usage);
    let Err(error) = result else {
        panic!("{case}: inspection succeeded");
    };
    assert_eq!(error.code(), code, "{case}: {}", error.message());
    assert!(
        usage.peak_bytes <= max_peak,
        "{case}: peak heap {} bytes > budget {max_peak}",
        usage.peak_bytes
    );
}

/// Both: verification with default limits and inspection.
#[track_caller]
fn both_reject(case: &str, envelope: &[u8], code: ErrorCode, max_peak: usize) {
    rejects(case, envelope, Limits::default(), code, max_peak);
    inspect_rejects(case, envelope, code, max_peak);
}

fn report(case: &str, input: usize, elapsed: Duration, usage: Usage) {
    eprintln!(
        "hostile {case}: input {} KiB, {:.1} ms, peak heap {} KiB, {} allocations",
        input / 1024,
        elapsed.as_secs_f64() * 1e3,
        usage.peak_bytes / 1024,
        usage.allocations
    );
}

/// The valid envelope as JSON, for mutation.
fn valid() -> Value {
    serde_json::from_slice(&hostile("valid-es256.jws")).expect("valid-es256.jws is JSON")
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("serializes")
}

fn protected_json() -> Value {
    let protected = Base64UrlUnpadded::decode_vec(valid()["protected"].as_str().unwrap()).unwrap();
    serde_json::from_slice(&protected).unwrap()
}

/// The valid envelope with its protected header replaced by `raw` (the signature no
/// longer matches, which matters only after header parsing).
fn with_protected(raw: &[u8]) -> Vec<u8> {
    let mut envelope = valid();
    envelope["protected"] = Value::String(Base64UrlUnpadded::encode_string(raw));
    bytes(&envelope)
}

fn with_payload(raw: &[u8]) -> Vec<u8> {
    let mut envelope = valid();
    envelope["payload"] = Value::String(Base64UrlUnpadded::encode_string(raw));
    bytes(&envelope)
}

/// Replaces the first occurrence of `from` in the serialized valid envelope.
fn splice(from: &str, to: &[u8]) -> Vec<u8> {
    let text = bytes(&valid());
    let at = text
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .expect("pattern present");
    [&text[..at], to, &text[at + from.len()..]].concat()
}

/// Heap budget of an input refused before it is parsed (or parsed into little).
const SMALL: usize = 64 * 1024;

/// Heap budget of an input parsed in full: 64 KiB plus four times its size.
fn parsed(input: &[u8]) -> usize {
    SMALL + 4 * input.len()
}

#[test]
fn the_base_envelope_verifies() {
    let envelope = hostile("valid-es256.jws");
    let (outcome, elapsed, usage) = verify_measured("valid-es256", &envelope, Limits::default());
    report("valid-es256", envelope.len(), elapsed, usage);
    assert!(outcome.is_verified(), "{}", outcome.to_json());
}

// --- size ------------------------------------------------------------------------

#[test]
fn envelope_of_64_mib_is_refused_before_parsing() {
    let mut envelope = valid();
    envelope["payload"] = Value::String("A".repeat(64 * MIB));
    let envelope = bytes(&envelope);
    let message = rejects(
        "64 MiB envelope",
        &envelope,
        Limits::default(),
        ErrorCode::LimitExceeded,
        SMALL,
    );
    assert!(message.contains("limit"), "{message}");
    inspect_rejects(
        "64 MiB envelope",
        &envelope,
        ErrorCode::LimitExceeded,
        SMALL,
    );
}

/// Limits raised to accept 16 MiB envelopes: the cost of parsing stays a small
/// multiple of the input (16 MiB rather than 64 keeps debug-build CI runs short).
fn raised_envelope_limit() -> Limits {
    raised(|l| l.max_envelope_bytes = 17 * MIB)
}

#[test]
fn envelope_of_16_mib_under_raised_limits_costs_a_bounded_multiple_of_its_size() {
    let mut envelope = valid();
    envelope["payload"] = Value::String("A".repeat(16 * MIB));
    let envelope = bytes(&envelope);
    // The payload is decoded, then the signing input is hashed: the signature fails.
    rejects(
        "16 MiB envelope, raised limit",
        &envelope,
        raised_envelope_limit(),
        ErrorCode::SignatureInvalid,
        parsed(&envelope),
    );
}

#[test]
fn whitespace_of_64_mib() {
    let blank = vec![b' '; 64 * MIB];
    both_reject(
        "64 MiB of whitespace",
        &blank,
        ErrorCode::LimitExceeded,
        SMALL,
    );
    let blank = vec![b' '; 16 * MIB];
    rejects(
        "16 MiB of whitespace, raised limit",
        &blank,
        raised_envelope_limit(),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    let mut padded = vec![b'\n'; 16 * MIB];
    padded.extend_from_slice(b"{}");
    rejects(
        "16 MiB of whitespace before {}, raised limit",
        &padded,
        raised_envelope_limit(),
        ErrorCode::EnvelopeMemberInvalid,
        SMALL,
    );
}

#[test]
fn json_nested_10000_deep_in_the_unprotected_header() {
    let deep_arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_objects = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    for (what, deep) in [("arrays", deep_arrays), ("objects", deep_objects)] {
        let envelope = splice(r#""x5c":"#, format!(r#""deep":{deep},"x5c":"#).as_bytes());
        both_reject(
            &format!("unprotected header nested 10,000 deep ({what})"),
            &envelope,
            ErrorCode::LimitExceeded,
            SMALL,
        );
    }
    let unclosed = splice(
        r#""x5c":"#,
        format!(r#""deep":{}"#, "[".repeat(1_000_000)).as_bytes(),
    );
    both_reject(
        "1,000,000 unclosed brackets",
        &unclosed,
        ErrorCode::LimitExceeded,
        SMALL,
    );
}

#[test]
fn json_nested_10000_deep_in_the_protected_header_and_payload() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let header = format!(r#"{{"alg":"ES256","deep":{deep}}}"#);
    let envelope = with_protected(header.as_bytes());
    both_reject(
        "protected header nested 10,000 deep",
        &envelope,
        ErrorCode::LimitExceeded,
        parsed(&envelope),
    );
    let payload = format!(r#"{{"targetArtifact":{deep}}}"#);
    let envelope = with_payload(payload.as_bytes());
    inspect_rejects(
        "payload nested 10,000 deep",
        &envelope,
        ErrorCode::LimitExceeded,
        parsed(&envelope),
    );
}

#[test]
fn x5c_with_10000_certificates() {
    let leaf = valid()["header"]["x5c"][0].clone();
    let mut envelope = valid();
    envelope["header"]["x5c"] = Value::Array(vec![leaf; 10_000]);
    let envelope = bytes(&envelope);
    assert!(
        envelope.len() > 4 * MIB,
        "10,000 certificates exceed the envelope limit"
    );
    both_reject(
        "x5c of 10,000 certificates",
        &envelope,
        ErrorCode::LimitExceeded,
        SMALL,
    );
    let limits = raised_envelope_limit();
    let message = rejects(
        "x5c of 10,000 certificates, raised envelope limit",
        &envelope,
        limits,
        ErrorCode::LimitExceeded,
        4 * envelope.len(),
    );
    assert!(message.contains("10000 certificates"), "{message}");

    let mut tiny = valid();
    tiny["header"]["x5c"] = Value::Array(vec![Value::String("AA==".into()); 10_000]);
    both_reject(
        "x5c of 10,000 tiny entries",
        &bytes(&tiny),
        ErrorCode::LimitExceeded,
        4 * MIB,
    );
}

/// A DER SEQUENCE of `len` (< 16 MiB) zero content bytes: well-formed DER, not a
/// certificate.
fn huge_der(len: usize) -> Vec<u8> {
    let mut der = vec![0x30, 0x83];
    der.extend_from_slice(&u32::try_from(len).unwrap().to_be_bytes()[1..]);
    der.resize(5 + len, 0);
    der
}

#[test]
fn certificate_of_10_mib() {
    let der = huge_der(10 * MIB);
    let mut envelope = valid();
    envelope["header"]["x5c"][0] = Value::String(Base64::encode_string(&der));
    let envelope = bytes(&envelope);
    both_reject(
        "10 MiB certificate in x5c",
        &envelope,
        ErrorCode::LimitExceeded,
        SMALL,
    );
    let limits = raised_envelope_limit();
    let message = rejects(
        "10 MiB certificate in x5c, raised envelope limit",
        &envelope,
        limits,
        ErrorCode::LimitExceeded,
        3 * envelope.len(),
    );
    assert!(message.contains("certificate"), "{message}");

    for (what, input) in [("DER", der.clone()), ("PEM", pem(&der))] {
        let case = format!("10 MiB {what} certificate in a trust store");
        let size = input.len();
        let (result, elapsed, usage) =
            bounded(&case, move || TrustStore::empty().add("ca:big", &input));
        report(&case, size, elapsed, usage);
        let error = result.unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::LimitExceeded,
            "{what}: {}",
            error.message()
        );
        assert!(usage.peak_bytes <= 2 * size);
    }
}

fn pem(der: &[u8]) -> Vec<u8> {
    let body = Base64::encode_string(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| core::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
    .into_bytes()
}

// --- base64 ------------------------------------------------------------------------

#[test]
fn base64url_members_refuse_padding_standard_alphabet_and_whitespace() {
    let v = valid();
    let member = |name: &str| v[name].as_str().unwrap().to_owned();
    let mutate = |name: &str, value: String| {
        let mut e = valid();
        e[name] = Value::String(value);
        bytes(&e)
    };
    for name in ["payload", "protected", "signature"] {
        let text = member(name);
        both_reject(
            &format!("{name} with '=' padding"),
            &mutate(name, format!("{text}==")),
            ErrorCode::EnvelopeMemberInvalid,
            SMALL,
        );
        let standard = format!("+/{}", &text[2..]);
        both_reject(
            &format!("{name} in the standard alphabet"),
            &mutate(name, standard),
            ErrorCode::EnvelopeMemberInvalid,
            SMALL,
        );
        for ws in [" ", "\n", "\r\n", "\t"] {
            let spaced = format!("{}{ws}{}", &text[..8], &text[8..]);
            both_reject(
                &format!("{name} with embedded {ws:?}"),
                &mutate(name, spaced),
                ErrorCode::EnvelopeMemberInvalid,
                SMALL,
            );
        }
    }
}

#[test]
fn x5c_entries_refuse_missing_padding_url_alphabet_and_spaces() {
    let mutate = |f: &dyn Fn(&str) -> String| {
        let mut e = valid();
        let entry = e["header"]["x5c"][1].as_str().unwrap().to_owned();
        e["header"]["x5c"][1] = Value::String(f(&entry));
        bytes(&e)
    };
    let entry = valid()["header"]["x5c"][1].as_str().unwrap().to_owned();
    assert!(
        entry.contains('+') || entry.contains('/'),
        "the root's base64 has a character the URL alphabet changes"
    );
    let url = mutate(&|s| s.replace('+', "-").replace('/', "_"));
    both_reject(
        "x5c entry in the URL alphabet",
        &url,
        ErrorCode::CertificateInvalid,
        SMALL,
    );
    let unpadded = mutate(&|s| format!("{}A", s.trim_end_matches('=')));
    both_reject(
        "x5c entry with broken padding",
        &unpadded,
        ErrorCode::CertificateInvalid,
        SMALL,
    );
    let spaced = mutate(&|s| format!("{} {}", &s[..10], &s[10..]));
    both_reject(
        "x5c entry with a space",
        &spaced,
        ErrorCode::CertificateInvalid,
        SMALL,
    );
    let trailing =
        mutate(&|s| Base64::encode_string(&[Base64::decode_vec(s).unwrap(), vec![0]].concat()));
    both_reject(
        "x5c entry with a trailing byte after the certificate",
        &trailing,
        ErrorCode::CertificateInvalid,
        SMALL,
    );

    let mut stamped = valid();
    stamped["header"]["io.cncf.notary.timestampSignature"] = Value::String("MIIB-_w".into());
    both_reject(
        "timestamp signature in the URL alphabet",
        &bytes(&stamped),
        ErrorCode::TimestampSignatureInvalid,
        SMALL,
    );
}

/// JWS-06: an `x5c` entry is padded standard base64 and nothing else. Go's decoder
/// skips CR and LF, so notation-go accepts line-wrapped entries; the specification's
/// b64std does not, and neither do we (`docs/compat.md`).
#[test]
fn jws_06_x5c_entry_with_line_breaks_or_other_whitespace() {
    let entry = valid()["header"]["x5c"][0].as_str().unwrap().to_owned();
    let wrapped = |sep: &str| {
        let lines: Vec<&str> = entry
            .as_bytes()
            .chunks(64)
            .map(|c| core::str::from_utf8(c).unwrap())
            .collect();
        lines.join(sep)
    };
    let mut variants = Vec::new();
    for sep in ["\r\n", "\n", "\r", " ", "\t"] {
        variants.push((format!("wrapped at 64 with {sep:?}"), wrapped(sep)));
        variants.push((format!("ending in {sep:?}"), format!("{entry}{sep}")));
        variants.push((format!("starting with {sep:?}"), format!("{sep}{entry}")));
    }
    for (what, text) in variants {
        let mut envelope = valid();
        envelope["header"]["x5c"][0] = Value::String(text);
        let envelope = bytes(&envelope);
        let case = format!("leaf x5c entry {what}");
        rejects(
            &case,
            &envelope,
            Limits::default(),
            ErrorCode::CertificateInvalid,
            SMALL,
        );
        let (outcome, _, _) = verify_measured(&case, &envelope, Limits::default());
        assert_eq!(outcome.error.and_then(|e| e.rule), Some("JWS-06"), "{case}");
        inspect_rejects(&case, &envelope, ErrorCode::CertificateInvalid, SMALL);
    }
}

// --- JSON ------------------------------------------------------------------------

#[test]
fn duplicate_member_names() {
    let text = String::from_utf8(bytes(&valid())).unwrap();
    let signature = valid()["signature"].as_str().unwrap().to_owned();
    let top = text.replacen('{', &format!(r#"{{"signature":"{signature}","#), 1);
    both_reject(
        "duplicate top-level signature",
        top.as_bytes(),
        ErrorCode::JsonDuplicateMember,
        SMALL,
    );
    let case = text.replacen('{', r#"{"Payload":"e30","#, 1);
    both_reject(
        "top-level Payload beside payload",
        case.as_bytes(),
        ErrorCode::JsonDuplicateMember,
        SMALL,
    );
    let header = splice(r#""x5c":"#, br#""x5c":[],"x5c":"#);
    both_reject(
        "duplicate x5c",
        &header,
        ErrorCode::JsonDuplicateMember,
        SMALL,
    );

    let protected = protected_json().to_string();
    let doubled = protected.replacen('{', r#"{"alg":"ES256","#, 1);
    both_reject(
        "duplicate alg",
        &with_protected(doubled.as_bytes()),
        ErrorCode::JsonDuplicateMember,
        SMALL,
    );
    let cased = protected.replacen('{', r#"{"ALG":"ES256","#, 1);
    both_reject(
        "alg and ALG",
        &with_protected(cased.as_bytes()),
        ErrorCode::JsonDuplicateMember,
        SMALL,
    );

    let payload =
        r#"{"targetArtifact":{"mediaType":"a","digest":"sha256:00","size":1},"targetArtifact":{}}"#;
    inspect_rejects(
        "duplicate targetArtifact",
        &with_payload(payload.as_bytes()),
        ErrorCode::JsonDuplicateMember,
        SMALL,
    );
}

/// `n` distinct member names (`"m0":0,"m1":0,…`): a 4 MiB envelope holds about
/// 350,000. Checks that compare every pair of names would take many minutes.
fn many_members(n: usize) -> String {
    (0..n)
        .map(|i| format!(r#""m{i}":0"#))
        .collect::<Vec<_>>()
        .join(",")
}

/// Just under the JSON value limit of one document (100,000), leaving room for the
/// envelope's, header's or payload's own values.
const MANY: usize = 90_000;

/// The most heap the values parsed before the value limit stops a document take:
/// about 11 MiB for 100,000 object members (about 110 bytes each), whatever the
/// size of the document.
const VALUE_LIMIT_HEAP: usize = 12 * MIB;

/// Heap budget of an envelope whose protected header the value limit stops: the
/// envelope's copy of the header's base64 text, the decoded header, and the values
/// parsed before the limit.
fn header_stopped(envelope: &[u8]) -> usize {
    2 * envelope.len() + VALUE_LIMIT_HEAP
}

#[test]
fn tens_of_thousands_of_top_level_members() {
    let top = splice("{", format!("{{{},", many_members(MANY)).as_bytes());
    both_reject(
        "90,000 top-level members",
        &top,
        ErrorCode::EnvelopeUnknownMember,
        16 * top.len(),
    );
    let top = splice("{", format!("{{{},", many_members(300_000)).as_bytes());
    assert!(top.len() < 4 * MIB);
    both_reject(
        "300,000 top-level members",
        &top,
        ErrorCode::LimitExceeded,
        4 * top.len(),
    );
}

#[test]
fn tens_of_thousands_of_unprotected_header_members() {
    let header = splice(
        r#""x5c":"#,
        format!("{},\"x5c\":", many_members(MANY)).as_bytes(),
    );
    let case = "90,000 unprotected header members";
    let (outcome, elapsed, usage) = verify_measured(case, &header, Limits::default());
    report(case, header.len(), elapsed, usage);
    assert!(
        outcome.is_verified(),
        "unknown unprotected members are ignored: {:?}",
        outcome.error
    );
    assert!(usage.peak_bytes <= 16 * header.len());
}

#[test]
fn tens_of_thousands_of_protected_header_members() {
    let protected = protected_json().to_string();
    let many = protected.replacen('{', &format!("{{{},", many_members(MANY)), 1);
    let envelope = with_protected(many.as_bytes());
    rejects(
        "90,000 protected header members",
        &envelope,
        Limits::default(),
        ErrorCode::SignatureInvalid,
        16 * envelope.len(),
    );
    // Inspection does not check the signature; unknown non-critical members are allowed.
    let case = "90,000 protected header members (inspect)";
    let (facts, elapsed, usage) = inspect_measured(case, &envelope);
    report(case, envelope.len(), elapsed, usage);
    assert_eq!(facts.map(|f| f.extended_attributes.len()).ok(), Some(MANY));

    let many = protected.replacen('{', &format!("{{{},", many_members(200_000)), 1);
    let envelope = with_protected(many.as_bytes());
    assert!(envelope.len() < 4 * MIB);
    both_reject(
        "200,000 protected header members",
        &envelope,
        ErrorCode::LimitExceeded,
        header_stopped(&envelope),
    );
}

#[test]
fn a_crit_list_of_tens_of_thousands_of_members() {
    // Every extra member is listed in `crit`: matching each member against the whole
    // list must not be quadratic. Inspection (no signature check) reads it all.
    let names: Vec<String> = (0..MANY / 2).map(|i| format!("m{i}")).collect();
    let mut header = protected_json();
    for name in &names {
        header[name.as_str()] = json!(0);
    }
    let mut crit = vec![json!("io.cncf.notary.signingScheme")];
    crit.extend(names.iter().map(|n| json!(n)));
    header["crit"] = Value::Array(crit);
    let envelope = with_protected(header.to_string().as_bytes());
    inspect_rejects(
        "45,000 critical members",
        &envelope,
        ErrorCode::CriticalHeaderUnknown,
        16 * envelope.len(),
    );
}

// --- JSON heap amplification -------------------------------------------------------

/// `item(0)`, `item(1)`, … joined by commas, as many as fit in `bytes`.
fn filler(bytes: usize, item: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(bytes);
    for i in 0.. {
        let next = item(i);
        if out.len() + next.len() + 1 > bytes {
            break;
        }
        if i > 0 {
            out.push(',');
        }
        out.push_str(&next);
    }
    out
}

/// `[0,0,…]` and `{"0":0,"1":0,…}` (hexadecimal names) of about `bytes` bytes: the
/// inputs that cost the most heap per input byte once parsed.
fn amplifiers(bytes: usize) -> [(&'static str, String); 2] {
    [
        (
            "[0,0,…]",
            format!("[{}]", filler(bytes - 2, |_| "0".into())),
        ),
        (
            r#"{"0":0,"1":0,…}"#,
            format!("{{{}}}", filler(bytes - 2, |i| format!(r#""{i:x}":0"#))),
        ),
    ]
}

/// An unprotected header member of 4 MiB that parses into millions of values:
/// `serde_json::Value` took 64 MiB for `[0,0,…]` and 45 MiB for `{"0":0,…}`, so the
/// value limit must stop it, early and with a clear message.
#[test]
fn json_values_a_4_mib_envelope_of_tiny_values_in_the_unprotected_header() {
    let room = Limits::default().max_envelope_bytes - bytes(&valid()).len() - 64;
    for (what, filling) in amplifiers(room) {
        let envelope = splice(
            r#""x5c":"#,
            format!(r#""fill":{filling},"x5c":"#).as_bytes(),
        );
        assert!(envelope.len() <= Limits::default().max_envelope_bytes);
        assert!(envelope.len() > 4 * MIB - 1024);
        let case = format!("4 MiB envelope: {what} in the unprotected header");
        let message = rejects(
            &case,
            &envelope,
            Limits::default(),
            ErrorCode::LimitExceeded,
            4 * envelope.len(),
        );
        assert_eq!(
            message,
            "the signature envelope: more than 100000 JSON values, the limit for one document"
        );
        inspect_rejects(
            &case,
            &envelope,
            ErrorCode::LimitExceeded,
            4 * envelope.len(),
        );
    }
}

/// The same inside the protected header (a document of its own, 3 MiB once decoded):
/// 75 MiB for `[0,0,…]` without the value limit.
#[test]
fn json_values_a_4_mib_envelope_of_tiny_values_in_the_protected_header() {
    let room = (Limits::default().max_envelope_bytes - bytes(&valid()).len()) / 4 * 3 - 64;
    for (what, filling) in amplifiers(room) {
        let header = format!(r#"{{"alg":"ES256","fill":{filling}}}"#);
        let envelope = with_protected(header.as_bytes());
        assert!(envelope.len() <= Limits::default().max_envelope_bytes);
        let case = format!("4 MiB envelope: {what} in the protected header");
        let message = rejects(
            &case,
            &envelope,
            Limits::default(),
            ErrorCode::LimitExceeded,
            header_stopped(&envelope),
        );
        assert_eq!(
            message,
            "the protected header: more than 100000 JSON values, the limit for one document"
        );
    }
}

/// A 1 MiB trust policy (the document limit) of tiny values. Without the value limit
/// `[0,0,…]` took 16 MiB and `{"0":0,…}` 12 MiB; with it, at most
/// [`VALUE_LIMIT_HEAP`], which is 4 times the input only from 3 MiB on.
#[test]
fn json_values_a_1_mib_trust_policy_of_tiny_values() {
    let policy = json!({
        "version": "1.0",
        "trustPolicies": [{
            "name": "fill",
            "registryScopes": ["*"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:hostile"],
            "trustedIdentities": ["*"]
        }]
    })
    .to_string();
    let room = MIB - policy.len() - 64;
    for (what, filling) in amplifiers(room) {
        let document = policy.replacen('{', &format!(r#"{{"fill":{filling},"#), 1);
        assert!(document.len() <= MIB && document.len() > MIB - 1024);
        let case = format!("1 MiB trust policy: {what}");
        let size = document.len();
        let (result, elapsed, usage) = bounded(&case, move || {
            OciTrustPolicy::from_json(document.as_bytes()).map(|_| ())
        });
        report(&case, size, elapsed, usage);
        let error = result.unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::LimitExceeded,
            "{}",
            error.message()
        );
        assert_eq!(
            error.message(),
            "trust policy: more than 100000 JSON values, the limit for one document"
        );
        assert!(
            usage.peak_bytes <= VALUE_LIMIT_HEAP,
            "{case}: peak heap {} bytes > {VALUE_LIMIT_HEAP}",
            usage.peak_bytes
        );
    }
}

#[test]
fn nul_bytes() {
    let text = bytes(&valid());
    both_reject(
        "NUL before the JSON",
        &[b"\0".as_slice(), &text].concat(),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    let raw_nul = splice(r#""x5c":"#, b"\"agent\":\"a\0b\",\"x5c\":");
    both_reject(
        "raw NUL inside a string",
        &raw_nul,
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    let member = splice(r#""payload""#, br#""payload\u0000""#);
    both_reject(
        "NUL in a member name",
        &member,
        ErrorCode::EnvelopeUnknownMember,
        SMALL,
    );
    let mut x5c = valid();
    x5c["header"]["x5c"][0] = Value::String("MII\0".into());
    both_reject(
        "NUL in an x5c entry",
        &bytes(&x5c),
        ErrorCode::CertificateInvalid,
        SMALL,
    );
    let mut alg = protected_json();
    alg["alg"] = Value::String("ES256\0".into());
    both_reject(
        "NUL in alg",
        &with_protected(alg.to_string().as_bytes()),
        ErrorCode::AlgUnsupported,
        SMALL,
    );
    let mut signature = valid();
    signature["signature"] = Value::String("AAAA\0AAAA".into());
    both_reject(
        "NUL in the signature",
        &bytes(&signature),
        ErrorCode::EnvelopeMemberInvalid,
        SMALL,
    );
}

#[test]
fn invalid_utf8() {
    let agent = |raw: &[u8]| {
        splice(
            r#""x5c":"#,
            &[br#""agent":""#.as_slice(), raw, br#"","x5c":"#].concat(),
        )
    };
    both_reject(
        "0xFF in a string",
        &agent(b"\xff"),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    both_reject(
        "overlong NUL (C0 80)",
        &agent(b"\xc0\x80"),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    both_reject(
        "lone surrogate code unit (ED A0 80)",
        &agent(b"\xed\xa0\x80"),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    both_reject(
        "truncated sequence",
        &agent(b"\xe2\x82"),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    both_reject(
        "escaped lone surrogate",
        &agent(br"\ud800"),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    both_reject(
        "0xFF outside strings",
        &[bytes(&valid()), b"\xff".to_vec()].concat(),
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );

    let mut broken = protected_json().to_string().into_bytes();
    broken.splice(8..8, *b"\xff\xfe"); // inside the value of "alg"
    both_reject(
        "invalid UTF-8 in the protected header",
        &with_protected(&broken),
        ErrorCode::HeaderInvalid,
        SMALL,
    );
    inspect_rejects(
        "invalid UTF-8 in the payload",
        &with_payload(b"{\"targetArtifact\xff\":1}"),
        ErrorCode::PayloadNotObject,
        SMALL,
    );
}

#[test]
fn numbers_where_strings_belong() {
    for (member, code) in [
        ("payload", ErrorCode::EnvelopeMemberInvalid),
        ("protected", ErrorCode::EnvelopeMemberInvalid),
        ("signature", ErrorCode::EnvelopeMemberInvalid),
        ("header", ErrorCode::CertificateChainMissing),
    ] {
        let mut e = valid();
        e[member] = json!(1.5e300);
        both_reject(&format!("{member} is a number"), &bytes(&e), code, SMALL);
    }
    let huge = splice(r#""signature":"#, br#""signature":1e999999,"ignored":"#);
    both_reject(
        "a number out of range",
        &huge,
        ErrorCode::EnvelopeNotJson,
        SMALL,
    );
    let mut x5c = valid();
    x5c["header"]["x5c"] = json!([1, 2]);
    both_reject(
        "x5c of numbers",
        &bytes(&x5c),
        ErrorCode::CertificateChainMissing,
        SMALL,
    );
    let mut x5c = valid();
    x5c["header"]["x5c"] = json!(7);
    both_reject(
        "x5c is a number",
        &bytes(&x5c),
        ErrorCode::CertificateChainMissing,
        SMALL,
    );
    let mut stamp = valid();
    stamp["header"]["io.cncf.notary.timestampSignature"] = json!(7);
    both_reject(
        "timestamp signature is a number",
        &bytes(&stamp),
        ErrorCode::TimestampSignatureInvalid,
        SMALL,
    );

    for (key, code) in [
        ("alg", ErrorCode::AlgMissing),
        ("cty", ErrorCode::ContentTypeInvalid),
        (
            "io.cncf.notary.signingScheme",
            ErrorCode::SigningSchemeInvalid,
        ),
        ("io.cncf.notary.signingTime", ErrorCode::HeaderInvalid),
        ("crit", ErrorCode::HeaderInvalid),
    ] {
        let mut header = protected_json();
        header[key] = json!(256);
        let envelope = with_protected(header.to_string().as_bytes());
        inspect_rejects(
            &format!("protected {key} is a number"),
            &envelope,
            code,
            SMALL,
        );
    }
    let mut header = protected_json();
    header["crit"] = json!(["io.cncf.notary.signingScheme", 1]);
    inspect_rejects(
        "crit entry is a number",
        &with_protected(header.to_string().as_bytes()),
        ErrorCode::HeaderInvalid,
        SMALL,
    );

    let mut payload = json!({ "targetArtifact": descriptor() });
    payload["targetArtifact"]["mediaType"] = json!(1);
    inspect_rejects(
        "payload mediaType is a number",
        &with_payload(payload.to_string().as_bytes()),
        ErrorCode::PayloadInvalid,
        SMALL,
    );
    payload["targetArtifact"]["mediaType"] = json!("application/vnd.oci.image.manifest.v1+json");
    payload["targetArtifact"]["size"] = json!("37");
    inspect_rejects(
        "payload size is a string",
        &with_payload(payload.to_string().as_bytes()),
        ErrorCode::PayloadInvalid,
        SMALL,
    );
}

// --- trust stores ------------------------------------------------------------------

/// `n` distinct CA certificates (DER): the hostile root with serial numbers 2, 3, …
/// Their signatures no longer verify, which a `ca` store does not require of a CA.
fn distinct_cas(n: usize) -> Vec<Vec<u8>> {
    use der::{Decode, Encode};
    let pem = hostile("root-ec256.pem");
    let text = String::from_utf8(pem).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let root = x509_cert::Certificate::from_der(&Base64::decode_vec(&body).unwrap()).unwrap();
    (0..n)
        .map(|i| {
            let mut cert = root.clone();
            let serial = u32::try_from(i + 2).unwrap().to_be_bytes();
            cert.tbs_certificate.serial_number =
                x509_cert::serial_number::SerialNumber::new(&serial).unwrap();
            cert.to_der().unwrap()
        })
        .collect()
}

fn verify_with(store: TrustStore) -> verify::Outcome {
    let verifier = Verifier::new(store).with_oci_policy(policy());
    let reference = format!("{REPOSITORY}@{}", descriptor().digest);
    let at = Time::parse_rfc3339("2026-11-24T00:00:00Z").unwrap();
    verifier.verify(&Request::oci(
        &hostile("valid-es256.jws"),
        &reference,
        descriptor(),
        at,
    ))
}

#[test]
fn trust_store_of_more_than_1000_certificates() {
    let cas = distinct_cas(1000);
    let root = hostile("root-ec256.pem");
    let input = cas.iter().map(Vec::len).sum::<usize>() + root.len();
    let case = "1000 certificates in one store, then one more";
    let (outcome, elapsed, usage) = bounded(case, move || {
        // 999 files of one CA each, then the root: 1000 certificates, the limit.
        let mut store = TrustStore::empty();
        for der in &cas[..999] {
            assert_eq!(store.add("ca:hostile", der).unwrap(), 1);
        }
        assert_eq!(store.add("ca:hostile", &root).unwrap(), 1);
        // The same certificates again do not count twice.
        store.add("ca:hostile", &cas[..999].concat()).unwrap();
        store.add("ca:hostile-rsa16384", &root).unwrap();
        let within = verify_with(store.clone());
        // One more breaks the store: verification that consults it fails.
        let error = store.add("ca:hostile", &cas[999]).unwrap_err();
        (within, error, verify_with(store))
    });
    let (within, error, beyond) = outcome;
    report(case, input, elapsed, usage);
    assert!(within.is_verified(), "{}", within.to_json());
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert_eq!(
        error.message(),
        "trust store ca:hostile would hold 1001 certificates; a store holds at most 1000"
    );
    assert_eq!(beyond.verdict, Verdict::Rejected);
    assert_eq!(
        beyond.error.as_ref().map(|e| e.code),
        Some(ErrorCode::LimitExceeded),
        "{}",
        beyond.to_json()
    );
}

#[test]
fn trust_store_bytes_are_bounded() {
    assert_eq!(Limits::default().max_store_bytes, 16 * MIB);
    let cas = distinct_cas(4);
    let size = cas[0].len();
    let limits = raised(|l| l.max_store_bytes = 3 * size);
    let mut store = TrustStore::empty().with_limits(limits);
    assert_eq!(store.add("ca:small", &cas[..3].concat()).unwrap(), 3);
    let error = store.add("ca:small", &cas[3]).unwrap_err();
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert_eq!(
        error.message(),
        format!(
            "trust store ca:small would hold {} bytes of certificates; a store holds at most {}",
            4 * size,
            3 * size
        )
    );
    // A file that alone goes over fails too, and other stores are unaffected.
    let mut store = TrustStore::empty().with_limits(limits);
    let error = store.add("ca:big", &cas.concat()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert_eq!(store.add("ca:other", &cas[..3].concat()).unwrap(), 3);
}

// --- certificates ----------------------------------------------------------------

#[test]
fn rsa_16384_signing_key_is_refused() {
    both_reject(
        "RSA-16384 signing certificate",
        &hostile("rsa16384-leaf.jws"),
        ErrorCode::KeyUnsupported,
        SMALL,
    );
}

#[test]
fn rsa_16384_ca_key_fails_the_chain_in_bounded_time() {
    // The backends verify RSA signatures of keys of 2048 to 8192 bits: the link's
    // algorithm is reported as unsupported, without any big-number work.
    rejects(
        "RSA-16384 CA in the chain",
        &hostile("rsa16384-ca.jws"),
        Limits::default(),
        ErrorCode::ChainSignatureAlgorithmUnsupported,
        SMALL,
    );
    let root = hostile("rsa16384-root.pem");
    let case = "RSA-16384 root in a tsa store";
    let size = root.len();
    let (result, elapsed, usage) = bounded(case, move || TrustStore::empty().add("tsa:big", &root));
    report(case, size, elapsed, usage);
    assert_eq!(
        result.unwrap_err().code(),
        ErrorCode::StoreCertificateNotRoot
    );
}

#[test]
fn certificate_with_10000_extensions() {
    let envelope = hostile("ext10k-leaf.jws");
    both_reject(
        "certificate with 10,000 extensions",
        &envelope,
        ErrorCode::LimitExceeded,
        parsed(&envelope),
    );
    let limits = raised(|l| l.max_certificate_bytes = MIB);
    let case = "certificate with 10,000 extensions, raised certificate limit";
    let (outcome, elapsed, usage) = verify_measured(case, &envelope, limits);
    report(case, envelope.len(), elapsed, usage);
    assert!(
        outcome.is_verified(),
        "a large but well-formed certificate verifies: {}",
        outcome.to_json()
    );

    let ca = hostile("ext10k-ca.pem");
    let case = "CA certificate with 10,000 extensions in a trust store";
    let size = ca.len();
    let (result, elapsed, usage) = bounded(case, move || TrustStore::empty().add("ca:ext", &ca));
    report(case, size, elapsed, usage);
    assert_eq!(result.unwrap_err().code(), ErrorCode::LimitExceeded);
}

/// DER: `tag`, the definite length of `content`, `content`.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match content.len() {
        n if n < 0x80 => out.push(n as u8),
        n => {
            let bytes = (n as u64).to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | (8 - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
    }
    out.extend_from_slice(content);
    out
}

/// The verifier and envelope of a timestamped signature whose token's SignedData
/// holds `digest_algorithms` (a SET's content), `certificates` (the [0] set's
/// content) and `signer_infos` (a SET's content), under a policy that verifies
/// timestamps.
fn timestamped(
    digest_algorithms: &[u8],
    certificates: &[u8],
    signer_infos: &[u8],
) -> (Verifier, Vec<u8>) {
    const SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
    const TST_INFO: &[u8] = &[
        0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x04,
    ];
    let signed_data = tlv(
        0x30,
        &[
            tlv(0x02, &[3]),
            tlv(0x31, digest_algorithms),
            tlv(0x30, &tlv(0x06, TST_INFO)),
            tlv(0xA0, certificates),
            tlv(0x31, signer_infos),
        ]
        .concat(),
    );
    let token = tlv(
        0x30,
        &[tlv(0x06, SIGNED_DATA), tlv(0xA0, &signed_data)].concat(),
    );
    let mut stamped = valid();
    stamped["header"]["io.cncf.notary.timestampSignature"] =
        Value::String(Base64::encode_string(&token));
    let envelope = bytes(&stamped);
    assert!(envelope.len() < 4 * MIB, "within the envelope limit");
    // A policy that verifies timestamps, with a tsa store.
    let mut store = TrustStore::empty();
    store.add("ca:hostile", &hostile("root-ec256.pem")).unwrap();
    store
        .add(
            "tsa:ts",
            &support::read(&support::fixtures().join("timestamp/certs/tsa-root.pem")),
        )
        .unwrap();
    let policy = json!({
        "version": "1.0",
        "trustPolicies": [{
            "name": "hostile-ts",
            "registryScopes": [REPOSITORY],
            "signatureVerification": { "level": "strict", "verifyTimestamp": "always",
                "override": { "revocation": "skip" } },
            "trustStores": ["ca:hostile", "tsa:ts"],
            "trustedIdentities": ["*"]
        }]
    });
    let verifier = Verifier::new(store)
        .with_oci_policy(OciTrustPolicy::from_json(policy.to_string().as_bytes()).unwrap());
    (verifier, envelope)
}

/// Verifies `envelope` with `verifier` (see [`bounded`]) and reports it.
fn verify_timestamped(case: &str, verifier: Verifier, envelope: &[u8]) -> (verify::Outcome, Usage) {
    let input = envelope.to_vec();
    let (outcome, elapsed, usage) = bounded(case, move || {
        let reference = format!("{REPOSITORY}@{}", descriptor().digest);
        let at = Time::parse_rfc3339("2026-11-24T00:00:00Z").unwrap();
        verifier.verify(&Request::oci(&input, &reference, descriptor(), at))
    });
    report(case, envelope.len(), elapsed, usage);
    (outcome, usage)
}

/// A timestamp token whose certificate set holds 1,000,000 elements (two bytes
/// each, 2 MiB): refused for its certificate count having framed 33 of them, not
/// a million, and decoded none.
#[test]
fn timestamp_token_with_a_million_certificates() {
    let certificates = [0x05, 0x00].repeat(1_000_000);
    let (verifier, envelope) = timestamped(&[], &certificates, &[]);
    let case = "timestamp token of 1,000,000 certificates";
    let (outcome, usage) = verify_timestamped(case, verifier, &envelope);
    let error = outcome.error.expect("rejected");
    assert_eq!(error.code, ErrorCode::LimitExceeded, "{}", error.message);
    assert!(
        error.message.contains("more than 32 certificates"),
        "{}",
        error.message
    );
    assert!(
        usage.peak_bytes <= parsed(&envelope),
        "{case}: peak heap {} bytes",
        usage.peak_bytes
    );
}

/// `n` distinct DER AlgorithmIdentifiers (OIDs 1.2.3.x), in descending order: the
/// worst order for an insertion sort.
fn descending_algorithms(n: usize) -> Vec<u8> {
    (0..n)
        .rev()
        .flat_map(|k| {
            let arcs = [
                0x80 | (k >> 14 & 0x7F) as u8,
                0x80 | (k >> 7 & 0x7F) as u8,
                (k & 0x7F) as u8,
            ];
            tlv(0x30, &tlv(0x06, &[&[0x2A, 0x03][..], &arcs].concat()))
        })
        .collect()
}

/// SET OFs that `cms` and x509-cert decode are sorted by insertion, n²/2
/// comparisons: a token with 100,000 digest algorithms in descending order (1.1
/// MiB) took minutes. Refused for the SET's size before anything sorts it.
#[test]
fn timestamp_token_with_100000_digest_algorithms() {
    let (verifier, envelope) = timestamped(&descending_algorithms(100_000), &[], &[]);
    let case = "timestamp token of 100,000 digest algorithms";
    let (outcome, _) = verify_timestamped(case, verifier, &envelope);
    let error = outcome.error.expect("rejected");
    assert_eq!(error.code, ErrorCode::LimitExceeded, "{}", error.message);
    assert!(
        error.message.contains("SET of more than 64"),
        "{}",
        error.message
    );
}

/// The same in a signerInfo: 100,000 signed attributes (`SEQUENCE { OID, SET {} }`)
/// in descending order.
#[test]
fn timestamp_token_with_100000_signed_attributes() {
    // An AlgorithmIdentifier with an empty SET after its OID is an Attribute.
    let attributes: Vec<u8> = descending_algorithms(100_000)
        .chunks(9)
        .flat_map(|algorithm| tlv(0x30, &[&algorithm[2..], &[0x31, 0x00][..]].concat()))
        .collect();
    let sha256 = tlv(
        0x30,
        &tlv(
            0x06,
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
        ),
    );
    let signer_info = tlv(
        0x30,
        &[
            tlv(0x02, &[1]),
            tlv(0x30, &[tlv(0x30, &[]), tlv(0x02, &[1])].concat()),
            sha256.clone(),
            tlv(0xA0, &attributes),
            sha256,
            tlv(0x04, &[0]),
        ]
        .concat(),
    );
    let (verifier, envelope) = timestamped(&[], &[], &signer_info);
    let case = "timestamp token of 100,000 signed attributes";
    let (outcome, _) = verify_timestamped(case, verifier, &envelope);
    let error = outcome.error.expect("rejected");
    assert_eq!(error.code, ErrorCode::LimitExceeded, "{}", error.message);
}
