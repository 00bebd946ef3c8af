//! One X.509 certificate, parsed once into the facts the verifier needs.

use base64ct::Encoding as _;
use const_oid::db::{rfc5280, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::{Any, UintRef};
use der::{Decode, Reader, SliceReader};
use std::borrow::Cow;
use std::fmt::Display;
use std::ops::Range;
use std::sync::OnceLock;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage,
};
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::x509;

use crate::crypto::{self, Curve, Hash, Scheme};
use crate::error::{err, Error, ErrorCode};
use crate::store::TrustStore;
use crate::time::Time;

/// The public key of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa { bits: usize },
    Ec(Curve),
    Other(String),
}

impl KeyKind {
    /// The notation key spec name (`RSA-2048`, `EC-384`, …).
    pub(crate) fn spec_name(&self) -> String {
        match self {
            KeyKind::Rsa { bits } => format!("RSA-{bits}"),
            KeyKind::Ec(Curve::P256) => "EC-256".into(),
            KeyKind::Ec(Curve::P384) => "EC-384".into(),
            KeyKind::Ec(Curve::P521) => "EC-521".into(),
            KeyKind::Other(what) => what.clone(),
        }
    }
}

/// An extension flag plus its criticality.
#[derive(Debug, Clone)]
pub(crate) struct Ext<T> {
    pub critical: bool,
    pub value: T,
}

/// A parsed certificate.
#[derive(Debug, Clone)]
pub(crate) struct Cert {
    pub der: Vec<u8>,
    /// Where the parts below are in `der` (they are read from it, not copied).
    parts: Parts,
    pub key: KeyKind,
    sig_alg: AlgorithmIdentifierOwned,
    pub not_before: Time,
    pub not_after: Time,
    pub basic_constraints: Option<Ext<BasicConstraints>>,
    pub key_usage: Option<Ext<KeyUsage>>,
    pub ext_key_usage: Option<Ext<Vec<ObjectIdentifier>>>,
    pub ocsp_urls: Vec<String>,
    pub crl_urls: Vec<String>,
    /// SHA-256 of `der`, computed when first needed (a certificate read only to
    /// be verified is never hashed).
    sha256: OnceLock<[u8; 32]>,
    /// Every extension, in certificate order.
    pub extensions: Vec<ExtInfo>,
}

/// An extension's identifier and criticality, and where its value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExtInfo {
    pub extn_id: ObjectIdentifier,
    pub critical: bool,
    /// The extnValue OCTET STRING's content, as a range of the certificate's DER.
    value: Range<usize>,
}

/// Extended key usage OIDs the certificate profiles mention.
pub(crate) mod eku {
    use const_oid::ObjectIdentifier;
    pub const ANY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
    pub const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
    pub const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");
    pub const EMAIL_PROTECTION: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4");
    pub const TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
    pub const OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
}

const RSA_ENCRYPTION: ObjectIdentifier = rfc5912::RSA_ENCRYPTION;
const EC_PUBLIC_KEY: ObjectIdentifier = rfc5912::ID_EC_PUBLIC_KEY;
const MGF1: ObjectIdentifier = rfc5912::ID_MGF_1;

#[derive(der::Sequence)]
struct RsaPublicKey<'a> {
    modulus: UintRef<'a>,
    #[allow(dead_code)]
    exponent: UintRef<'a>,
}

#[derive(der::Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<x509_cert::spki::AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mgf: Option<x509_cert::spki::AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

pub(crate) fn hash_from_oid(oid: &ObjectIdentifier) -> Option<Hash> {
    match *oid {
        rfc5912::ID_SHA_256 => Some(Hash::Sha256),
        rfc5912::ID_SHA_384 => Some(Hash::Sha384),
        rfc5912::ID_SHA_512 => Some(Hash::Sha512),
        _ => None,
    }
}

pub(crate) fn oid_name(oid: &ObjectIdentifier) -> String {
    const_oid::db::DB
        .by_oid(oid)
        .map_or_else(|| oid.to_string(), str::to_owned)
}

impl Cert {
    /// Parses one DER certificate; trailing bytes are an error. `what` names the
    /// certificate in messages ("certificate 2 of x5c").
    pub(crate) fn parse(der: &[u8], what: impl Display) -> Result<Self, Error> {
        Self::parse_cow(Cow::Borrowed(der), &what)
    }

    /// [`Cert::parse`], keeping `der` rather than a copy of it.
    pub(crate) fn parse_owned(der: Vec<u8>, what: impl Display) -> Result<Self, Error> {
        Self::parse_cow(Cow::Owned(der), &what)
    }

    /// [`Cert::parse_owned`], unless `store` holds a certificate of exactly these
    /// bytes: then a copy of the store's parse, which is what parsing them gives
    /// (a chain usually carries its root, which the store has read already).
    pub(crate) fn parse_owned_or_known(
        der: Vec<u8>,
        what: impl Display,
        store: Option<&TrustStore>,
    ) -> Result<Self, Error> {
        match store.and_then(|s| s.parsed(&der)) {
            Some(known) => Ok(known.with_der(der)),
            None => Self::parse_owned(der, what),
        }
    }

    /// [`Cert::parse`], or a copy of `store`'s parse of the same bytes, as
    /// [`Cert::parse_owned_or_known`].
    pub(crate) fn parse_or_known(
        der: &[u8],
        what: impl Display,
        store: Option<&TrustStore>,
    ) -> Result<Self, Error> {
        match store.and_then(|s| s.parsed(der)) {
            Some(known) => Ok(known.clone()),
            None => Self::parse(der, what),
        }
    }

    /// This certificate with `der`, the same bytes as its own, kept as its DER.
    fn with_der(&self, der: Vec<u8>) -> Self {
        debug_assert!(der == self.der);
        // No `..`: a field added to `Cert` must be decided on here.
        Self {
            der,
            parts: self.parts.clone(),
            key: self.key.clone(),
            sig_alg: self.sig_alg.clone(),
            not_before: self.not_before,
            not_after: self.not_after,
            basic_constraints: self.basic_constraints.clone(),
            key_usage: self.key_usage.clone(),
            ext_key_usage: self.ext_key_usage.clone(),
            ocsp_urls: self.ocsp_urls.clone(),
            crl_urls: self.crl_urls.clone(),
            sha256: self.sha256.clone(),
            extensions: self.extensions.clone(),
        }
    }

    /// `what` is only formatted for an error.
    fn parse_cow(bytes: Cow<'_, [u8]>, what: &dyn Display) -> Result<Self, Error> {
        let der: &[u8] = &bytes;
        let bad = |detail: String| {
            err(
                ErrorCode::CertificateInvalid,
                format!("{what} is not a valid X.509 certificate: {detail}"),
            )
        };
        let parsed = x509::Certificate::from_der(der).map_err(|e| bad(e.to_string()))?;
        let tbs_cert = &parsed.tbs_certificate;
        if tbs_cert.skipped > 0 {
            // x509-cert (and so the decoder above) passes over them; Go reads the
            // certificate differently (as one without extensions). Neither is DER.
            return Err(bad("its tbsCertificate has a repeated or misplaced [0], [1] or [2] field; RFC 5280 allows each once, in order".into()));
        }
        let spki = &tbs_cert.subject_public_key_info;
        let key_bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| bad("public key BIT STRING has unused bits".into()))?;
        let signature = parsed
            .signature
            .as_bytes()
            .ok_or_else(|| bad("signature BIT STRING has unused bits".into()))?;
        // Every part borrows from `der`, so each has a place in it.
        let parts = (|| {
            Some(Parts {
                tbs: range_in(der, parsed.tbs)?,
                serial: range_in(der, tbs_cert.serial_number.0.as_bytes())?,
                issuer: range_in(der, tbs_cert.issuer.tlv)?,
                subject: range_in(der, tbs_cert.subject.tlv)?,
                key_bits: range_in(der, key_bits)?,
                signature: range_in(der, signature)?,
            })
        })()
        .ok_or_else(|| bad("its parts cannot be located".into()))?;
        let key = match spki.algorithm.oid {
            RSA_ENCRYPTION => {
                let rsa = RsaPublicKey::from_der(key_bits)
                    .map_err(|e| bad(format!("RSA public key: {e}")))?;
                let m = rsa.modulus.as_bytes();
                let bits = m
                    .first()
                    .map_or(0, |b| (m.len() - 1) * 8 + (8 - b.leading_zeros() as usize));
                KeyKind::Rsa { bits }
            }
            EC_PUBLIC_KEY => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                    .ok_or_else(|| bad("EC public key without a named curve".into()))?;
                match curve {
                    rfc5912::SECP_256_R_1 => KeyKind::Ec(Curve::P256),
                    rfc5912::SECP_384_R_1 => KeyKind::Ec(Curve::P384),
                    rfc5912::SECP_521_R_1 => KeyKind::Ec(Curve::P521),
                    other => KeyKind::Other(format!("EC curve {}", oid_name(&other))),
                }
            }
            other => KeyKind::Other(oid_name(&other)),
        };

        let decoded = tbs_cert.extensions.as_deref().unwrap_or_default();
        let mut basic_constraints = None;
        let mut key_usage = None;
        let mut ext_key_usage = None;
        let mut ocsp_urls = Vec::new();
        let mut crl_urls = Vec::new();
        let extensions = decoded
            .iter()
            .map(|e| {
                Some(ExtInfo {
                    extn_id: e.extn_id,
                    critical: e.critical,
                    value: range_in(der, e.extn_value.as_bytes())?,
                })
            })
            .collect::<Option<Vec<ExtInfo>>>()
            .ok_or_else(|| bad("its extensions cannot be located".into()))?;
        if let Some(twice) = repeated_extension(&extensions) {
            return Err(bad(format!("extension {} appears twice", oid_name(twice))));
        }
        for ext in decoded {
            let value = ext.extn_value.as_bytes();
            let ext_bad = |e: der::Error| {
                bad(format!(
                    "malformed {} extension: {e}",
                    oid_name(&ext.extn_id)
                ))
            };
            let bounded = || {
                // Names in these are SET OFs x509-cert sorts by insertion.
                crate::x509::check_sets(value).map_err(|too_many| {
                    err(
                        ErrorCode::LimitExceeded,
                        format!(
                            "{what}: its {} extension {too_many}",
                            oid_name(&ext.extn_id)
                        ),
                    )
                })
            };
            match ext.extn_id {
                rfc5280::ID_CE_BASIC_CONSTRAINTS => {
                    basic_constraints = Some(Ext {
                        critical: ext.critical,
                        value: BasicConstraints::from_der(value).map_err(ext_bad)?,
                    });
                }
                rfc5280::ID_CE_KEY_USAGE => {
                    key_usage = Some(Ext {
                        critical: ext.critical,
                        value: KeyUsage::from_der(value).map_err(ext_bad)?,
                    });
                }
                rfc5280::ID_CE_EXT_KEY_USAGE => {
                    ext_key_usage = Some(Ext {
                        critical: ext.critical,
                        value: ExtendedKeyUsage::from_der(value).map_err(ext_bad)?.0,
                    });
                }
                rfc5280::ID_PE_AUTHORITY_INFO_ACCESS => {
                    bounded()?;
                    let aia = AuthorityInfoAccessSyntax::from_der(value).map_err(ext_bad)?;
                    for desc in aia.0 {
                        if desc.access_method == rfc5280::ID_AD_OCSP {
                            if let GeneralName::UniformResourceIdentifier(uri) =
                                desc.access_location
                            {
                                ocsp_urls.push(uri.to_string());
                            }
                        }
                    }
                }
                rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS => {
                    bounded()?;
                    let cdp = CrlDistributionPoints::from_der(value).map_err(ext_bad)?;
                    for dp in cdp.0 {
                        if let Some(DistributionPointName::FullName(names)) = dp.distribution_point
                        {
                            for name in names {
                                if let GeneralName::UniformResourceIdentifier(uri) = name {
                                    crl_urls.push(uri.to_string());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let sig_alg = AlgorithmIdentifierOwned {
            oid: parsed.signature_algorithm.oid,
            parameters: parsed.signature_algorithm.parameters.map(Any::from),
        };
        let (not_before, not_after) = (tbs_cert.not_before, tbs_cert.not_after);
        Ok(Cert {
            der: bytes.into_owned(),
            parts,
            key,
            sig_alg,
            not_before,
            not_after,
            basic_constraints,
            key_usage,
            ext_key_usage,
            ocsp_urls,
            crl_urls,
            sha256: OnceLock::new(),
            extensions,
        })
    }

    /// The subject as Go's `pkix.Name.String()` renders it.
    pub(crate) fn subject_text(&self) -> String {
        crate::identity::render_go_der(self.subject_raw())
    }

    /// The issuer as Go's `pkix.Name.String()` renders it.
    pub(crate) fn issuer_text(&self) -> String {
        crate::identity::render_go_der(self.issuer_raw())
    }

    /// The exact bytes of the tbsCertificate (what the issuer signed).
    pub(crate) fn tbs(&self) -> &[u8] {
        &self.der[self.parts.tbs.clone()]
    }

    /// The exact bytes of the subject name (Go compares these when it links
    /// certificates).
    pub(crate) fn subject_raw(&self) -> &[u8] {
        &self.der[self.parts.subject.clone()]
    }

    /// The exact bytes of the issuer name.
    pub(crate) fn issuer_raw(&self) -> &[u8] {
        &self.der[self.parts.issuer.clone()]
    }

    /// The subjectPublicKey BIT STRING's bytes (a DER RSAPublicKey or an EC point).
    pub(crate) fn key_bits(&self) -> &[u8] {
        &self.der[self.parts.key_bits.clone()]
    }

    /// The serial number's content octets, as encoded.
    pub(crate) fn serial(&self) -> &[u8] {
        &self.der[self.parts.serial.clone()]
    }

    /// The content of an extension's extnValue (an extension of this certificate).
    pub(crate) fn extension_value(&self, ext: &ExtInfo) -> &[u8] {
        self.der.get(ext.value.clone()).unwrap_or_default()
    }

    pub(crate) fn signature(&self) -> &[u8] {
        &self.der[self.parts.signature.clone()]
    }

    /// Whether the raw subject equals the raw issuer.
    pub(crate) fn is_self_issued(&self) -> bool {
        self.subject_raw() == self.issuer_raw()
    }

    /// Whether Basic Constraints says cA=true.
    pub(crate) fn is_ca(&self) -> bool {
        self.basic_constraints
            .as_ref()
            .is_some_and(|bc| bc.value.ca)
    }

    /// The scheme of this certificate's own signature when checked with `issuer_key`.
    pub(crate) fn signature_scheme(&self, issuer_key: &KeyKind) -> Result<Scheme, String> {
        crate::signed_data::scheme(&self.sig_alg, None, issuer_key)
    }

    /// SHA-256 of the DER.
    pub(crate) fn sha256(&self) -> &[u8; 32] {
        self.sha256.get_or_init(|| crypto::sha256(&self.der))
    }

    /// Whether [`Cert::sha256`] was computed.
    #[cfg(test)]
    pub(crate) fn hashed(&self) -> bool {
        self.sha256.get().is_some()
    }

    /// Lower-case hex SHA-256 of the DER.
    pub(crate) fn fingerprint(&self) -> String {
        crypto::hex(self.sha256())
    }
}

pub(crate) fn pss_hash(alg: &x509_cert::spki::AlgorithmIdentifierOwned) -> Option<Hash> {
    let params: PssParams = alg.parameters.as_ref()?.decode_as().ok()?;
    let hash = hash_from_oid(&params.hash?.oid)?;
    let mgf = params.mgf?;
    if mgf.oid != MGF1 {
        return None;
    }
    let mgf_hash: x509_cert::spki::AlgorithmIdentifierOwned = mgf.parameters?.decode_as().ok()?;
    if hash_from_oid(&mgf_hash.oid)? != hash {
        return None;
    }
    if params.salt_len.unwrap_or(20) as usize != hash.output_len()
        || params.trailer.unwrap_or(1) != 1
    {
        return None;
    }
    Some(hash)
}

/// The exact bytes of the first element of the outer SEQUENCE in `der`: the
/// to-be-signed part of a certificate, CRL or OCSP response.
pub(crate) fn original_tbs(der: &[u8]) -> Option<&[u8]> {
    let mut reader = SliceReader::new(der).ok()?;
    let _outer: der::Header = reader.decode().ok()?;
    reader.tlv_bytes().ok()
}

/// An extension OID that appears more than once (the first such in certificate
/// order), found without comparing every pair when there are many extensions.
fn repeated_extension(extensions: &[ExtInfo]) -> Option<&ObjectIdentifier> {
    x509::first_repeat(extensions, |ext| ext.extn_id).map(|i| &extensions[i].extn_id)
}

/// Where a certificate's parts are in its DER, as byte ranges.
#[derive(Debug, Clone)]
struct Parts {
    tbs: Range<usize>,
    serial: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    /// The subjectPublicKey BIT STRING's content after its unused-bits octet.
    key_bits: Range<usize>,
    /// The signature BIT STRING's content after its unused-bits octet.
    signature: Range<usize>,
}

/// Where `part`, a slice of `whole`, lies in it.
pub(crate) fn range_in(whole: &[u8], part: &[u8]) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start.checked_add(part.len())? <= whole.len()).then_some(start..start + part.len())
}

/// Decodes PEM blocks of type CERTIFICATE, or DER certificates back to back, from
/// `bytes`. Returns the DER of each certificate.
pub(crate) fn split_pem_or_der(
    bytes: &[u8],
    max_certificates: usize,
) -> Result<Vec<Vec<u8>>, String> {
    let text = core::str::from_utf8(bytes).ok();
    if let Some(text) = text.filter(|t| t.contains("-----BEGIN")) {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("-----BEGIN ") {
            let after = &rest[start + 11..];
            let label_end = after.find("-----").ok_or("unterminated PEM header")?;
            let label = &after[..label_end];
            let body_start = &after[label_end + 5..];
            let end_marker = format!("-----END {label}-----");
            let end = body_start
                .find(&end_marker)
                .ok_or_else(|| format!("PEM block {label} has no END line"))?;
            if label == "CERTIFICATE" {
                let b64: String = body_start[..end]
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace())
                    .collect();
                let der = base64ct::Base64::decode_vec(&b64)
                    .map_err(|_| "PEM CERTIFICATE block is not valid base64".to_owned())?;
                out.push(der);
                if out.len() > max_certificates {
                    return Err(format!("more than {max_certificates} certificates"));
                }
            }
            rest = &body_start[end + end_marker.len()..];
        }
        if out.is_empty() {
            return Err("no CERTIFICATE PEM block".into());
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let mut reader = SliceReader::new(rest).map_err(|e| e.to_string())?;
        let tlv = reader
            .tlv_bytes()
            .map_err(|_| "not PEM and not DER certificates".to_owned())?;
        out.push(tlv.to_vec());
        if out.len() > max_certificates {
            return Err(format!("more than {max_certificates} certificates"));
        }
        rest = &rest[tlv.len()..];
    }
    if out.is_empty() {
        return Err("empty file".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use der::Encode;

    use super::*;
    use crate::test_der::{self, Node};

    /// The raw names sliced from the DER are the names x509-cert decoded, encoded
    /// again: for every PEM certificate under tests/fixtures.
    #[test]
    fn raw_names_are_the_decoded_names() {
        let mut seen = 0;
        for (path, der) in fixture_certificates() {
            let Ok(cert) = Cert::parse(&der, "fixture") else {
                continue;
            };
            let theirs = x509_cert::Certificate::from_der(&der)
                .unwrap()
                .tbs_certificate;
            assert_eq!(
                cert.subject_raw(),
                theirs.subject.to_der().unwrap(),
                "{path:?}"
            );
            assert_eq!(
                cert.issuer_raw(),
                theirs.issuer.to_der().unwrap(),
                "{path:?}"
            );
            assert_eq!(cert.tbs(), original_tbs(&der).unwrap(), "{path:?}");
            seen += 1;
        }
        assert!(seen > 50, "only {seen} certificates found");
    }

    /// A certificate a store holds is taken from the store, field for field what
    /// parsing its bytes gives: for every fixture certificate, through both
    /// entry points; bytes the store does not hold are parsed, and refused as
    /// parsing refuses them.
    #[test]
    fn a_store_certificate_is_what_parsing_it_gives() {
        let mut seen = 0;
        for (path, der) in fixture_certificates() {
            let Ok(parsed) = Cert::parse(&der, "fixture") else {
                continue;
            };
            let mut store = TrustStore::empty();
            if store.add("ca:fixture", &der).is_err() {
                continue; // not a CA certificate the store takes
            }
            let known = store.parsed(&der).unwrap();
            // The store's copy, hashed: the copies carry its digest.
            known.sha256();
            for copy in [
                Cert::parse_owned_or_known(der.clone(), "fixture", Some(&store)).unwrap(),
                Cert::parse_or_known(&der, "fixture", Some(&store)).unwrap(),
            ] {
                assert!(copy.hashed(), "{path:?}: not the store's");
                assert_eq!(format!("{copy:?}"), format!("{known:?}"), "{path:?}");
                let (mut copy, mut parsed) = (copy, parsed.clone());
                copy.sha256 = OnceLock::new();
                parsed.sha256 = OnceLock::new();
                assert_eq!(format!("{copy:?}"), format!("{parsed:?}"), "{path:?}");
            }
            seen += 1;
        }
        assert!(seen > 20, "only {seen} CA certificates found");
        let store = TrustStore::new();
        let (_, der) = fixture_certificates().remove(0);
        let alone = Cert::parse_or_known(&der, "fixture", Some(&store)).unwrap();
        assert!(!alone.hashed());
        let mut broken = der.clone();
        broken.truncate(der.len() - 1);
        for what in [
            Cert::parse_or_known(&broken, "fixture", Some(&store)).unwrap_err(),
            Cert::parse_owned_or_known(broken.clone(), "fixture", Some(&store)).unwrap_err(),
        ] {
            assert_eq!(
                what.message(),
                Cert::parse(&broken, "fixture").unwrap_err().message()
            );
        }
    }

    /// The DER of every certificate in a PEM file under tests/fixtures.
    fn fixture_certificates() -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut dirs =
            vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "pem") {
                    if let Ok(ders) = split_pem_or_der(&std::fs::read(&path).unwrap(), 64) {
                        out.extend(ders.into_iter().map(|der| (path.clone(), der)));
                    }
                }
            }
        }
        out
    }

    /// The DER of every fixture certificate.
    fn fixture_ders() -> Vec<Vec<u8>> {
        fixture_certificates()
            .into_iter()
            .map(|(_, der)| der)
            .collect()
    }

    /// The borrowed decoder (`crate::x509`) accepts exactly the certificates
    /// x509-cert accepts and reads the same fields, and names render the same from
    /// both: fixture certificates with random byte changes, insertions and
    /// deletions.
    #[test]
    fn borrowed_decoding_agrees_with_x509_cert() {
        let ders = fixture_ders();
        let mut next = crate::test_rng::xorshift(0x853C_49E6_748F_EA9B_u64);
        let (mut decodable, mut mutated) = (0, 0);
        for der in ders.iter().take(40) {
            assert_same_decoding(der);
            for _ in 0..150 {
                let m = test_der::mutate_bytes(der, &mut next);
                mutated += 1;
                if assert_same_decoding(&m) {
                    decodable += 1;
                }
            }
        }
        assert!(
            mutated >= 6_000 && decodable > 700,
            "{decodable} of {mutated}"
        );
    }

    /// Both decoders agree on certificates changed structurally, lengths kept
    /// right: elements duplicated, removed, swapped, retagged (context-specific,
    /// primitive/constructed, unknown), or new elements inserted, anywhere in the
    /// tree. This is where the rules of optional context-specific fields, DEFAULT
    /// booleans, SET OF duplicates and trailing elements show.
    #[test]
    fn borrowed_decoding_agrees_on_structural_changes() {
        let ders = fixture_ders();
        let mut next = crate::test_rng::xorshift(0x2545_F491_4F6C_DD1D_u64);
        let (mut decodable, mut mutated) = (0, 0);
        for der in ders.iter().take(40) {
            let tree = Node::parse(der);
            for _ in 0..200 {
                let bytes = test_der::mutate_tree(&tree, &mut next);
                mutated += 1;
                if assert_same_decoding(&bytes) {
                    decodable += 1;
                }
            }
        }
        assert!(
            mutated >= 8_000 && decodable > 500,
            "{decodable} of {mutated}"
        );
    }

    /// Asserts that both decoders agree on `der`; whether they accept it.
    fn assert_same_decoding(der: &[u8]) -> bool {
        x509::compare_with_x509_cert(der).unwrap_or_else(|e| panic!("{e}"))
    }

    /// x509-cert passes over a repeated or misplaced context-specific field in
    /// front of a later optional one (der's `decode_with`), which RFC 5280 has no
    /// room for and Go reads differently; the verifier refuses such certificates.
    /// A certificate whose cRLDistributionPoints or authorityInfoAccess (decoded by
    /// x509-cert, which sorts the SET OFs of their names by insertion) holds a SET
    /// of more than 64 elements is refused for it before they are decoded.
    #[test]
    fn name_sets_in_decoded_extensions_are_bounded() {
        const CDP: [u8; 3] = [0x55, 0x1D, 0x1F];
        let der = fixture_ders()
            .into_iter()
            .find(|der| {
                Cert::parse(der, "fixture")
                    .is_ok_and(|c| c.extensions.iter().any(|e| e.extn_id.as_bytes() == CDP))
            })
            .expect("a fixture certificate with cRLDistributionPoints");
        for (n, refused) in [(64, false), (65, true)] {
            let mut tree = Node::parse(&der);
            let Node::Tree(_, certificate) = &mut tree[0] else {
                panic!("a certificate is a SEQUENCE")
            };
            let Node::Tree(_, tbs) = &mut certificate[0] else {
                panic!("a tbsCertificate is a SEQUENCE")
            };
            let Some(Node::Tree(0xA3, extensions)) = tbs.last_mut() else {
                panic!("[3] extensions")
            };
            let Node::Tree(_, extensions) = &mut extensions[0] else {
                panic!("Extensions")
            };
            let cdp = extensions
                .iter_mut()
                .find_map(|e| match e {
                    Node::Tree(_, f) if f[0] == Node::Leaf(0x06, CDP.to_vec()) => f.last_mut(),
                    _ => None,
                })
                .unwrap();
            // DistributionPoints { DistributionPoint { [0] { fullName [0] {
            // directoryName [4] { Name { RDN SET of n attributes } } } } } }
            let attribute = |k: usize| {
                Node::Tree(
                    0x30,
                    vec![
                        Node::Leaf(0x06, vec![0x55, 0x04, 0x03]),
                        Node::Leaf(0x0C, format!("{k:05}").into_bytes()),
                    ],
                )
            };
            let name = Node::Tree(
                0x30,
                vec![Node::Tree(0x31, (0..n).map(attribute).collect())],
            );
            let value = Node::Tree(
                0x30,
                vec![Node::Tree(
                    0x30,
                    vec![Node::Tree(
                        0xA0,
                        vec![Node::Tree(0xA0, vec![Node::Tree(0xA4, vec![name])])],
                    )],
                )],
            );
            let mut encoded = Vec::new();
            value.encode(&mut encoded);
            *cdp = Node::Leaf(0x04, encoded);
            let mut mutated = Vec::new();
            tree[0].encode(&mut mutated);
            let result = Cert::parse(&mutated, "certificate 1 of x5c");
            if refused {
                let e = result.unwrap_err();
                assert_eq!(e.code(), ErrorCode::LimitExceeded, "{}", e.message());
                assert!(
                    e.message().contains("SET of more than 64"),
                    "{}",
                    e.message()
                );
            } else {
                assert!(
                    result.is_ok(),
                    "{:?}",
                    result.err().map(|e| e.message().to_owned())
                );
            }
        }
    }

    #[test]
    fn misplaced_context_fields_in_tbs_are_refused() {
        let der = fixture_ders()
            .into_iter()
            .find(|der| {
                x509::Certificate::from_der(der).is_ok_and(|c| {
                    c.tbs_certificate.version == x509_cert::certificate::Version::V3
                        && c.tbs_certificate.extensions.is_some()
                })
            })
            .unwrap();
        let tree = Node::parse(&der);
        let cases: [(usize, Node); 3] = [
            // A [0] after the subject public key info (index 7 of a v3 TBS).
            (7, Node::Leaf(0x80, vec![])),
            // A second version field there.
            (7, Node::Tree(0xA0, vec![Node::Leaf(0x02, vec![2])])),
            // An issuerUniqueID twice.
            (7, Node::Leaf(0x81, vec![0, 1])),
        ];
        for (i, (at, extra)) in cases.into_iter().enumerate() {
            let mut m = tree.clone();
            let Node::Tree(_, certificate) = &mut m[0] else {
                panic!("a certificate is a SEQUENCE")
            };
            let Node::Tree(_, tbs) = &mut certificate[0] else {
                panic!("a tbsCertificate is a SEQUENCE")
            };
            tbs.insert(at, extra.clone());
            if i == 2 {
                tbs.insert(at, extra);
            }
            let mut bytes = Vec::new();
            m.iter().for_each(|n| n.encode(&mut bytes));
            assert!(x509_cert::Certificate::from_der(&bytes).is_ok(), "case {i}");
            assert!(assert_same_decoding(&bytes), "case {i}");
            let e = Cert::parse(&bytes, "certificate 1 of x5c").unwrap_err();
            assert_eq!(e.code(), ErrorCode::CertificateInvalid, "case {i}");
            assert!(e.message().contains("misplaced"), "{}", e.message());
        }
        // Unchanged, the certificate parses.
        assert!(Cert::parse(&der, "certificate 1 of x5c").is_ok());
    }

    /// RFC 5280 §4.2: an extension appears at most once. Few or many extensions,
    /// the first repetition in certificate order is reported, as a pairwise scan
    /// would find it.
    #[test]
    fn repeated_extensions_are_found() {
        let ext = |arc: u32| ExtInfo {
            extn_id: format!("1.2.3.{arc}").parse().unwrap(),
            critical: false,
            value: 0..0,
        };
        let pairwise = |exts: &[ExtInfo]| {
            exts.iter()
                .enumerate()
                .find(|(i, e)| exts[..*i].iter().any(|o| o.extn_id == e.extn_id))
                .map(|(_, e)| e.extn_id)
        };
        let mut next = crate::test_rng::xorshift(0x1234_5678_9ABC_DEF1_u64);
        for len in [0, 1, 2, 16, 17, 40, 10_000] {
            let unique: Vec<ExtInfo> = (0..len).map(ext).collect();
            assert_eq!(repeated_extension(&unique), None, "{len}");
            for _ in 0..20 {
                let mut exts: Vec<ExtInfo> = (0..len)
                    .map(|_| ext((next() % (len as u64 + 1)) as u32))
                    .collect();
                if len > 1 {
                    let at = (next() % len as u64) as usize;
                    exts.push(exts[at].clone()); // at least one repetition
                }
                assert_eq!(repeated_extension(&exts).copied(), pairwise(&exts), "{len}");
            }
        }
    }
}
