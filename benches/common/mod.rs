//! The fixture kinds the benchmarks measure, built from the committed fixtures, and
//! for each the raw signature verifications a verification needs (its crypto floor).

use std::path::{Path, PathBuf};

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use const_oid::db::rfc5912;
use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use serde_json::Value;
use verify::crypto::{self, Curve, Hash, Scheme};
use verify::{Descriptor, OciTrustPolicy, Request, RevocationEvidence, Time, TrustStore, Verifier};
use x509_cert::crl::CertificateList;
use x509_cert::Certificate;

/// One raw signature verification.
pub struct Signature {
    /// What is verified ("envelope", "link 1→2", …).
    pub what: String,
    /// Whether every verification of this signature needs it even with a warm
    /// chain cache (the envelope, the timestamp token), unlike chain links and
    /// revocation evidence the verifier has seen.
    pub per_signature: bool,
    /// Whether the signer is a trust-store certificate, whose key the verifier
    /// parses once per scheme and keeps (`TrustStore`), where the floor parses it
    /// on every verification.
    pub by_store_cert: bool,
    scheme: Scheme,
    key: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

impl Signature {
    /// Verifies it (true for every floor signature of a valid fixture).
    pub fn verify(&self) -> bool {
        crypto::verify(self.scheme, &self.key, &self.message, &self.signature)
    }

    /// The key parsed once for repeated verifications (what a warm verification
    /// uses for the signing key).
    pub fn prepared(&self) -> crypto::PreparedKey {
        crypto::PreparedKey::new(self.scheme, &self.key).expect("fixture key parses")
    }

    /// Verifies it with a prepared key.
    pub fn verify_prepared(&self, key: &crypto::PreparedKey) -> bool {
        key.verify(&self.message, &self.signature)
    }
}

/// A valid signature with everything needed to verify it.
pub struct Kind {
    /// Short name used in benchmark IDs.
    pub name: &'static str,
    /// The envelope bytes.
    pub envelope: Vec<u8>,
    store: TrustStore,
    policy: OciTrustPolicy,
    reference: String,
    descriptor: Descriptor,
    at: Time,
    evidence: RevocationEvidence,
    /// The envelope signature first, then one per chain link (the trusted root's
    /// self-signature is checked once when the trust store is built), then, for a
    /// timestamped signature, the token's signature, its chain links and the CRL.
    pub floor: Vec<Signature>,
}

impl Kind {
    /// A verifier for this kind; `cache` > 0 enables the verified-chain cache.
    pub fn verifier(&self, cache: usize) -> Verifier {
        Verifier::new(self.store.clone())
            .with_oci_policy(self.policy.clone())
            .with_chain_cache(cache)
    }

    /// The verification request.
    pub fn request(&self) -> Request<'_> {
        Request::oci(
            &self.envelope,
            &self.reference,
            self.descriptor.clone(),
            self.at,
        )
        .revocation(self.evidence.clone())
    }

    /// Runs every floor signature verification.
    pub fn floor(&self) -> bool {
        self.floor.iter().all(Signature::verify)
    }

    /// The keys of the floor signatures made by trust-store certificates, parsed
    /// once, as the verifier keeps them.
    pub fn store_keys(&self) -> Vec<Option<crypto::PreparedKey>> {
        self.floor
            .iter()
            .map(|s| s.by_store_cert.then(|| s.prepared()))
            .collect()
    }

    /// Runs every floor signature verification, those by trust-store
    /// certificates with `keys` from [`Kind::store_keys`].
    pub fn floor_store_keys(&self, keys: &[Option<crypto::PreparedKey>]) -> bool {
        self.floor.iter().zip(keys).all(|(s, key)| match key {
            Some(key) => s.verify_prepared(key),
            None => s.verify(),
        })
    }

    /// Runs the floor signatures a warm chain cache cannot save.
    pub fn warm_floor(&self) -> bool {
        self.floor
            .iter()
            .filter(|s| s.per_signature)
            .all(Signature::verify)
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(rel: &str) -> Vec<u8> {
    let path = fixtures().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The benchmarked kinds: the AWS-like P-384 four-certificate chain, the RSA-3072
/// `notary.x509` chain and a timestamped P-256 signature (RSA-2048 CAs and TSA).
pub fn kinds() -> Vec<Kind> {
    let manifest: Value =
        serde_json::from_slice(&read("manifest.json")).expect("manifest.json is JSON");
    let case = |id: &str| {
        manifest["cases"]
            .as_array()
            .and_then(|cases| cases.iter().find(|c| c["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("manifest case {id}"))
    };
    let kinds = vec![
        from_case("sa-aws-es384", &case("sa-aws-es384")),
        from_case("x509-ps384", &case("x509-ps384")),
        timestamped(),
    ];
    for kind in &kinds {
        let outcome = kind.verifier(0).verify(&kind.request());
        assert!(
            outcome.is_verified(),
            "{} does not verify: {}",
            kind.name,
            outcome.to_json()
        );
        assert!(
            kind.floor(),
            "{}: a floor signature does not verify",
            kind.name
        );
    }
    kinds
}

fn from_case(name: &'static str, case: &Value) -> Kind {
    let mut store = TrustStore::new();
    for (store_name, files) in case["trust_stores"].as_object().expect("trust_stores") {
        for file in files.as_array().expect("store files") {
            store
                .add(store_name, &read(file.as_str().expect("file name")))
                .expect("fixture store loads");
        }
    }
    let policy = OciTrustPolicy::from_json(&serde_json::to_vec(&case["trust_policy"]).unwrap())
        .expect("policy loads");
    let envelope = read(case["envelope"].as_str().expect("envelope"));
    let descriptor: Descriptor =
        serde_json::from_value(case["artifact"].clone()).expect("artifact is a descriptor");
    Kind {
        name,
        floor: envelope_floor(&envelope),
        envelope,
        store,
        policy,
        reference: case["reference"].as_str().expect("reference").to_owned(),
        descriptor,
        at: Time::parse_rfc3339(case["at"].as_str().expect("at")).expect("at is RFC 3339"),
        evidence: RevocationEvidence::none(),
    }
}

/// `tests/fixtures/timestamp/envelopes/valid.jws` as `tests/timestamp.rs` verifies it.
fn timestamped() -> Kind {
    let mut store = TrustStore::new();
    store
        .add("ca:signer", &read("timestamp/certs/signer-root.pem"))
        .expect("signer root loads");
    store
        .add("tsa:ts", &read("timestamp/certs/tsa-root.pem"))
        .expect("TSA root loads");
    let policy = OciTrustPolicy::from_json(
        br#"{"version": "1.0", "trustPolicies": [{"name": "timestamped", "registryScopes": ["*"],
            "signatureVerification": {"level": "strict", "verifyTimestamp": "always"},
            "trustStores": ["ca:signer", "tsa:ts"], "trustedIdentities": ["*"]}]}"#,
    )
    .expect("policy loads");
    let envelope = read("timestamp/envelopes/valid.jws");
    let json: Value = serde_json::from_slice(&envelope).expect("envelope is JSON");
    let payload: Value =
        serde_json::from_slice(&b64url(&json["payload"])).expect("payload is JSON");
    let descriptor: Descriptor =
        serde_json::from_value(payload["targetArtifact"].clone()).expect("signed descriptor");
    let crl = read("timestamp/crl/tsa-good.crl");

    let tsa_root = der_of_pem(&read("timestamp/certs/tsa-root.pem"));
    let tsa = der_of_pem(&read("timestamp/certs/tsa.pem"));
    let mut floor = envelope_floor(&envelope);
    let token = Base64::decode_vec(
        json["header"]["io.cncf.notary.timestampSignature"]
            .as_str()
            .expect("timestamp"),
    )
    .expect("timestamp is base64");
    floor.push(token_signature(&token, &tsa));
    floor.push(link("timestamp link 1→2", &tsa, &tsa_root));
    floor.push(crl_signature(&crl, &tsa_root));
    // The TSA root is the tsa store's; the token is signed by the TSA itself.
    let n = floor.len();
    floor[n - 2].by_store_cert = true;
    floor[n - 1].by_store_cert = true;
    Kind {
        name: "x509-es256-timestamp",
        floor,
        reference: format!("registry.example/timestamped@{}", descriptor.digest),
        descriptor,
        envelope,
        store,
        policy,
        at: Time::parse_rfc3339("2026-11-24T00:00:00Z").unwrap(),
        evidence: RevocationEvidence::none().with_crl(crl),
    }
}

fn b64url(value: &Value) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(value.as_str().expect("base64url string")).expect("base64url")
}

fn der_of_pem(pem: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(pem).expect("PEM is text");
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    Base64::decode_vec(&body).expect("PEM body is base64")
}

/// The envelope signature and one verification per chain link.
fn envelope_floor(envelope: &[u8]) -> Vec<Signature> {
    let json: Value = serde_json::from_slice(envelope).expect("envelope is JSON");
    let chain: Vec<Vec<u8>> = json["header"]["x5c"]
        .as_array()
        .expect("x5c")
        .iter()
        .map(|c| Base64::decode_vec(c.as_str().expect("x5c entry")).expect("x5c base64"))
        .collect();
    let header: Value =
        serde_json::from_slice(&b64url(&json["protected"])).expect("protected header is JSON");
    let scheme = match header["alg"].as_str().expect("alg") {
        "ES256" => Scheme::EcdsaFixed(Curve::P256, Hash::Sha256),
        "ES384" => Scheme::EcdsaFixed(Curve::P384, Hash::Sha384),
        "ES512" => Scheme::EcdsaFixed(Curve::P521, Hash::Sha512),
        "PS256" => Scheme::RsaPss(Hash::Sha256),
        "PS384" => Scheme::RsaPss(Hash::Sha384),
        "PS512" => Scheme::RsaPss(Hash::Sha512),
        other => panic!("unexpected alg {other}"),
    };
    let message = format!(
        "{}.{}",
        json["protected"].as_str().unwrap(),
        json["payload"].as_str().unwrap()
    );
    let mut floor = vec![Signature {
        what: "envelope".into(),
        per_signature: true,
        by_store_cert: false,
        scheme,
        key: public_key(&chain[0]),
        message: message.into_bytes(),
        signature: b64url(&json["signature"]),
    }];
    for i in 0..chain.len() - 1 {
        let mut signature = link(
            &format!("link {}→{}", i + 1, i + 2),
            &chain[i],
            &chain[i + 1],
        );
        // The chain's root is the trust store's (the fixtures verify).
        signature.by_store_cert = i + 2 == chain.len();
        floor.push(signature);
    }
    floor
}

fn public_key(der: &[u8]) -> Vec<u8> {
    let cert = Certificate::from_der(der).expect("certificate parses");
    cert.tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes()
        .to_vec()
}

fn curve(issuer: &Certificate) -> Option<Curve> {
    let params = issuer
        .tbs_certificate
        .subject_public_key_info
        .algorithm
        .parameters
        .as_ref()?;
    match params.decode_as::<ObjectIdentifier>().ok()? {
        rfc5912::SECP_256_R_1 => Some(Curve::P256),
        rfc5912::SECP_384_R_1 => Some(Curve::P384),
        rfc5912::SECP_521_R_1 => Some(Curve::P521),
        _ => None,
    }
}

/// The scheme of an X.509 signature algorithm (no RSASSA-PSS in these fixtures).
fn x509_scheme(algorithm: ObjectIdentifier, issuer: &Certificate) -> Scheme {
    let ecdsa = |hash| Scheme::EcdsaAsn1(curve(issuer).expect("EC issuer has a named curve"), hash);
    match algorithm {
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Scheme::RsaPkcs1(Hash::Sha256),
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Scheme::RsaPkcs1(Hash::Sha384),
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION => Scheme::RsaPkcs1(Hash::Sha512),
        rfc5912::ECDSA_WITH_SHA_256 => ecdsa(Hash::Sha256),
        rfc5912::ECDSA_WITH_SHA_384 => ecdsa(Hash::Sha384),
        rfc5912::ECDSA_WITH_SHA_512 => ecdsa(Hash::Sha512),
        other => panic!("unexpected signature algorithm {other}"),
    }
}

/// `subject`'s signature checked with `issuer`'s key.
fn link(what: &str, subject: &[u8], issuer: &[u8]) -> Signature {
    let cert = Certificate::from_der(subject).expect("certificate parses");
    let issuer_cert = Certificate::from_der(issuer).expect("issuer parses");
    Signature {
        what: what.into(),
        per_signature: false,
        by_store_cert: false,
        scheme: x509_scheme(cert.signature_algorithm.oid, &issuer_cert),
        key: public_key(issuer),
        message: cert
            .tbs_certificate
            .to_der()
            .expect("tbsCertificate encodes"),
        signature: cert.signature.raw_bytes().to_vec(),
    }
}

/// The RFC 3161 token's CMS signature over its signed attributes.
fn token_signature(token: &[u8], signer: &[u8]) -> Signature {
    let info = cms::content_info::ContentInfo::from_der(token).expect("token is a ContentInfo");
    let signed: cms::signed_data::SignedData =
        info.content.decode_as().expect("token is SignedData");
    let signer_info = signed.signer_infos.0.get(0).expect("token has a signer");
    let hash = match signer_info.digest_alg.oid {
        rfc5912::ID_SHA_256 => Hash::Sha256,
        rfc5912::ID_SHA_384 => Hash::Sha384,
        rfc5912::ID_SHA_512 => Hash::Sha512,
        other => panic!("unexpected digest {other}"),
    };
    let signer_cert = Certificate::from_der(signer).expect("TSA certificate parses");
    let scheme = match signer_info.signature_algorithm.oid {
        rfc5912::RSA_ENCRYPTION => Scheme::RsaPkcs1(hash),
        other => x509_scheme(other, &signer_cert),
    };
    Signature {
        what: "timestamp token".into(),
        per_signature: true,
        by_store_cert: false,
        scheme,
        key: public_key(signer),
        message: signer_info
            .signed_attrs
            .as_ref()
            .expect("signed attributes")
            .to_der()
            .expect("attributes encode"),
        signature: signer_info.signature.as_bytes().to_vec(),
    }
}

fn crl_signature(crl: &[u8], issuer: &[u8]) -> Signature {
    let list = CertificateList::from_der(crl).expect("CRL parses");
    let issuer_cert = Certificate::from_der(issuer).expect("issuer parses");
    Signature {
        what: "TSA CRL".into(),
        // The same CRL serves every verification until it is replaced: a warm
        // verifier remembers that its signature verified.
        per_signature: false,
        by_store_cert: false,
        scheme: x509_scheme(list.signature_algorithm.oid, &issuer_cert),
        key: public_key(issuer),
        message: list.tbs_cert_list.to_der().expect("tbsCertList encodes"),
        signature: list.signature.raw_bytes().to_vec(),
    }
}
