//! Certificate revocation lists (spec §10.2, CRL details): base CRLs from the
//! certificate's issuer, delta CRLs where the CRL or the certificate points to
//! one, checked as notation-core-go checks them.

use std::ops::Range;
use std::sync::Arc;

use const_oid::db::rfc5280;
use const_oid::ObjectIdentifier;
use der::asn1::{Any, GeneralizedTime, Uint};
use der::Decode;
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{CrlReason, KeyUsages};

use crate::cert::{oid_name, range_in, Cert};
use crate::chain_cache::Known;
use crate::revocation::CertStatus;
use crate::signed_data;
use crate::time::Time;
use crate::x509::{self, Extension};

/// Largest CRL accepted (notation-core-go's download limit).
pub const MAX_CRL_BYTES: usize = 32 * 1024 * 1024;

/// A parsed CRL: its DER and where its parts are, read by
/// [`x509::CertificateList`] (which accepts exactly what x509-cert accepts).
#[derive(Debug)]
pub(crate) struct Crl {
    /// SHA-256 of the DER (names a verified signature in the chain cache), when
    /// a cache remembers signatures.
    sha256: Option<[u8; 32]>,
    der: Vec<u8>,
    /// The tbsCertList, as signed.
    tbs: Range<usize>,
    signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature's octets; `None` when its BIT STRING has unused bits.
    signature: Option<Range<usize>>,
    /// The issuer Name as x509-cert encodes it (attributes of an RDN sorted).
    issuer_raw: Vec<u8>,
    this_update: Time,
    next_update: Option<Time>,
    /// Each crlExtension's type and criticality.
    extensions: Vec<(ObjectIdentifier, bool)>,
    entries: Vec<Entry>,
    /// cRLNumber, big-endian without leading zeros.
    number: Option<Vec<u8>>,
    /// The base CRL number of a delta CRL (deltaCRLIndicator).
    delta_base: Option<Vec<u8>>,
    /// Whether the CRL points to a delta CRL (freshestCRL).
    has_freshest: bool,
}

/// One revoked certificate.
#[derive(Debug)]
struct Entry {
    /// The serial number's octets, as `SerialNumber::as_bytes` gives them.
    serial: Range<usize>,
    revocation_date: Time,
    extensions: Vec<EntryExtension>,
}

#[derive(Debug)]
struct EntryExtension {
    extn_id: ObjectIdentifier,
    critical: bool,
    /// The extnValue OCTET STRING's content.
    value: Range<usize>,
}

fn uint_extension(ext: &Extension<'_>) -> Result<Vec<u8>, String> {
    Uint::from_der(ext.extn_value.as_bytes())
        .map(|n| n.as_bytes().to_vec())
        .map_err(|e| format!("malformed {} extension: {e}", oid_name(&ext.extn_id)))
}

impl Crl {
    /// Parses a DER CRL; `sha256`: the SHA-256 of `der`, which names its
    /// signature in the chain cache (`None` without cache).
    pub(crate) fn parse(der: &[u8], sha256: Option<[u8; 32]>) -> Result<Self, String> {
        if der.len() > MAX_CRL_BYTES {
            return Err(format!("it is larger than {MAX_CRL_BYTES} bytes"));
        }
        crate::x509::check_sets(der).map_err(|too_many| {
            format!("it {too_many} (its names' attributes are sorted when decoded)")
        })?;
        let der = der.to_vec();
        let list = match x509::CertificateList::from_der(&der) {
            Ok(list) => list,
            // x509-cert refuses it too (a unit test and the `crl` fuzz target
            // compare both); its message is the one reported.
            Err(ours) => {
                let e = x509_cert::crl::CertificateList::from_der(&der)
                    .err()
                    .unwrap_or(ours);
                return Err(format!("not a DER CRL: {e}"));
            }
        };
        let range = |part: &[u8]| range_in(&der, part).ok_or("cannot locate a part of the CRL");
        let issuer_raw = x509::crl_issuer(&list.issuer).map_err(|e| e.to_string())?;
        let mut number = None;
        let mut delta_base = None;
        let mut has_freshest = false;
        let mut extensions = Vec::new();
        for ext in list.crl_extensions.iter().flatten() {
            match ext.extn_id {
                rfc5280::ID_CE_CRL_NUMBER => number = Some(uint_extension(ext)?),
                rfc5280::ID_CE_DELTA_CRL_INDICATOR => delta_base = Some(uint_extension(ext)?),
                rfc5280::ID_CE_FRESHEST_CRL => has_freshest = true,
                _ => {}
            }
            extensions.push((ext.extn_id, ext.critical));
        }
        let mut entries = Vec::new();
        for entry in list.revoked_certificates.iter().flatten() {
            let mut entry_extensions = Vec::new();
            for ext in entry.crl_entry_extensions.iter().flatten() {
                entry_extensions.push(EntryExtension {
                    extn_id: ext.extn_id,
                    critical: ext.critical,
                    value: range(ext.extn_value.as_bytes())?,
                });
            }
            entries.push(Entry {
                serial: range(entry.serial_number.0.as_bytes())?,
                revocation_date: entry.revocation_date,
                extensions: entry_extensions,
            });
        }
        Ok(Crl {
            sha256,
            tbs: range(list.tbs)?,
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: list.signature_algorithm.oid,
                parameters: list.signature_algorithm.parameters.map(Any::from),
            },
            signature: list.signature_value.as_bytes().map(range).transpose()?,
            issuer_raw,
            this_update: list.this_update,
            next_update: list.next_update,
            extensions,
            entries,
            number,
            delta_base,
            has_freshest,
            der,
        })
    }

    /// Signature by `issuer`, freshness at `now`, no unknown critical extension.
    fn validate(&self, issuer: &Cert, now: Time, known: &Known<'_>) -> Result<(), String> {
        let kind = if self.delta_base.is_some() {
            "delta CRL"
        } else {
            "CRL"
        };
        if issuer
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.value.0.contains(KeyUsages::CRLSign))
        {
            return Err(format!("the issuer may not sign CRLs (its Key Usage lacks cRLSign), so its {kind} cannot be trusted"));
        }
        let signature = self
            .signature
            .clone()
            .map(|r| &self.der[r])
            .ok_or_else(|| format!("the {kind}'s signature BIT STRING has unused bits"))?;
        match known.signed(self.sha256.as_ref(), issuer, || {
            signed_data::verify(
                &self.signature_algorithm,
                None,
                issuer,
                &self.der[self.tbs.clone()],
                signature,
                known,
            )
        }) {
            Ok(true) => {}
            Ok(false) => {
                return Err(format!(
                    "the {kind} is not signed by the certificate's issuer"
                ))
            }
            Err(reason) => {
                return Err(format!(
                    "the {kind}'s signature cannot be checked: {reason}"
                ))
            }
        }
        let Some(next_update) = self.next_update else {
            return Err(format!("the {kind} has no nextUpdate"));
        };
        if now > next_update {
            return Err(format!(
                "the {kind} expired at {next_update} (nextUpdate); fetch a current one"
            ));
        }
        if now < self.this_update {
            return Err(format!(
                "the {kind} is not valid before {} (thisUpdate)",
                self.this_update
            ));
        }
        for &(extn_id, critical) in &self.extensions {
            let tolerated = extn_id == rfc5280::ID_CE_ISSUING_DISTRIBUTION_POINT
                || extn_id == rfc5280::ID_CE_DELTA_CRL_INDICATOR;
            if critical && !tolerated {
                return Err(format!(
                    "the {kind} has an unsupported critical extension {}",
                    oid_name(&extn_id)
                ));
            }
        }
        Ok(())
    }
}

/// Big-endian unsigned comparison.
fn cmp_uint(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The URLs of `cert`'s freshestCRL (delta CRL) extension.
pub(crate) fn delta_urls(cert: &Cert) -> Vec<String> {
    let Some(ext) = cert
        .extensions
        .iter()
        .find(|e| e.extn_id == rfc5280::ID_CE_FRESHEST_CRL)
    else {
        return Vec::new();
    };
    let Ok(points) = Vec::<DistributionPoint>::from_der(cert.extension_value(ext)) else {
        return Vec::new();
    };
    points
        .into_iter()
        .filter_map(|dp| match dp.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .flatten()
        .filter_map(|name| match name {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
            _ => None,
        })
        .collect()
}

/// The status of `cert` from the CRLs of its `issuer` among `crls`.
pub(crate) fn status(
    cert: &Cert,
    issuer: &Cert,
    crls: &[Arc<Crl>],
    now: Time,
    signing_time: Option<Time>,
    known: &Known<'_>,
) -> CertStatus {
    let bases: Vec<&Crl> = crls
        .iter()
        .map(|c| &**c)
        .filter(|c| c.delta_base.is_none() && c.issuer_raw == cert.issuer_raw())
        .collect();
    if bases.is_empty() {
        return CertStatus::Unknown("no CRL from its issuer was supplied".into());
    }
    let mut good = false;
    let mut first_error = None;
    for base in bases {
        match check_with_base(cert, issuer, base, crls, now, signing_time, known) {
            Ok(CertStatus::Revoked(why)) => return CertStatus::Revoked(why),
            Ok(_) => good = true,
            Err(why) => {
                first_error.get_or_insert(why);
            }
        }
    }
    match (good, first_error) {
        (true, _) => CertStatus::Good,
        (false, why) => CertStatus::Unknown(why.unwrap_or_default()),
    }
}

fn check_with_base(
    cert: &Cert,
    issuer: &Cert,
    base: &Crl,
    crls: &[Arc<Crl>],
    now: Time,
    signing_time: Option<Time>,
    known: &Known<'_>,
) -> Result<CertStatus, String> {
    base.validate(issuer, now, known)?;
    let cert_points_to_delta = cert
        .extensions
        .iter()
        .any(|e| e.extn_id == rfc5280::ID_CE_FRESHEST_CRL);
    let delta = if base.has_freshest || cert_points_to_delta {
        let base_number = base
            .number
            .as_deref()
            .ok_or("the CRL points to a delta CRL but has no cRLNumber to match it with")?;
        let mut last_error =
            String::from("it needs a delta CRL (freshest CRL), which was not supplied");
        let mut found = None;
        for delta in crls.iter().filter(|d| d.issuer_raw == base.issuer_raw) {
            let (Some(indicator), Some(number)) =
                (delta.delta_base.as_deref(), delta.number.as_deref())
            else {
                continue;
            };
            if cmp_uint(indicator, base_number).is_gt() || cmp_uint(number, base_number).is_le() {
                last_error =
                    "the supplied delta CRL does not belong to the supplied base CRL (CRL numbers)"
                        .into();
                continue;
            }
            match delta.validate(issuer, now, known) {
                Ok(()) => {
                    found = Some(delta);
                    break;
                }
                Err(why) => last_error = why,
            }
        }
        Some(found.ok_or(last_error)?)
    } else {
        None
    };
    entry_status(cert, base, delta.map(|d| &**d), signing_time)
}

/// The entries for `cert` in `base` and `delta`: a non-hold reason revokes; else
/// the most recent certificateHold / removeFromCRL entry decides.
fn entry_status(
    cert: &Cert,
    base: &Crl,
    delta: Option<&Crl>,
    signing_time: Option<Time>,
) -> Result<CertStatus, String> {
    let mut latest_temporary: Option<(Time, CrlReason)> = None;
    let delta_entries = delta
        .into_iter()
        .flat_map(|d| d.entries.iter().map(move |e| (d, e)));
    for (crl, entry) in base.entries.iter().map(|e| (base, e)).chain(delta_entries) {
        if crl.der[entry.serial.clone()] != *cert.serial() {
            continue;
        }
        let mut reason = CrlReason::Unspecified;
        let mut invalidity = None;
        for ext in &entry.extensions {
            let value = &crl.der[ext.value.clone()];
            match ext.extn_id {
                rfc5280::ID_CE_CRL_REASONS => {
                    reason = CrlReason::from_der(value)
                        .map_err(|e| format!("a CRL entry has a malformed reason code: {e}"))?;
                }
                rfc5280::ID_CE_INVALIDITY_DATE => {
                    let date = GeneralizedTime::from_der(value)
                        .map_err(|e| format!("a CRL entry has a malformed invalidity date: {e}"))?;
                    invalidity = Some(Time::from_unix(
                        i64::try_from(date.to_unix_duration().as_secs()).unwrap_or(i64::MAX),
                    ));
                }
                other if ext.critical => {
                    return Err(format!(
                        "a CRL entry has an unsupported critical extension {}",
                        oid_name(&other)
                    ))
                }
                _ => {}
            }
        }
        if let (Some(signed), Some(invalid)) = (signing_time, invalidity) {
            if signed < invalid {
                continue;
            }
        }
        let revoked_at = entry.revocation_date;
        match reason {
            CrlReason::CertificateHold | CrlReason::RemoveFromCRL => {
                if latest_temporary.is_none_or(|(t, _)| t < revoked_at) {
                    latest_temporary = Some((revoked_at, reason));
                }
            }
            other => {
                return Ok(CertStatus::Revoked(format!(
                    "its issuer's CRL lists it as revoked since {revoked_at} (reason {other:?})"
                )))
            }
        }
    }
    Ok(match latest_temporary {
        Some((since, CrlReason::CertificateHold)) => {
            CertStatus::Revoked(format!("its issuer's CRL lists it on hold since {since}"))
        }
        _ => CertStatus::Good,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::split_pem_or_der;

    /// notation-core-go's CRL test data, or `None` (with a note) when
    /// `../shared/vectors` is not checked out.
    fn vectors() -> Option<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/vectors/notation-core-go/revocation/crl/testdata");
        if dir.exists() {
            Some(dir)
        } else {
            eprintln!("skipped: ../shared/vectors is not present");
            None
        }
    }

    fn read(dir: &std::path::Path, name: &str) -> Vec<u8> {
        std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn cert(dir: &std::path::Path, name: &str) -> Result<Cert, crate::error::Error> {
        let der = split_pem_or_der(&read(dir, name), 1).unwrap().remove(0);
        Cert::parse(&der, name)
    }

    #[test]
    fn core_go_delta_and_base_crls_parse() {
        let Some(dir) = vectors() else { return };
        let delta = Crl::parse(&read(&dir, "delta.crl"), None).unwrap();
        assert_eq!(
            (delta.delta_base.as_deref(), delta.number.as_deref()),
            (Some(&[4u8][..]), Some(&[5u8][..]))
        );
        let base = Crl::parse(&read(&dir, "crlWithMultipleFreshestCRLs.crl"), None).unwrap();
        assert!(base.has_freshest && base.delta_base.is_none());
        assert_eq!(base.number.as_deref(), Some(&[5u8][..]));
    }

    #[test]
    fn core_go_certificates_with_freshest_crl_pointers() {
        let Some(dir) = vectors() else { return };
        for (name, urls) in [
            ("certificateWithDeltaCRL.cer", 1),
            ("certificateWith2DeltaCRL.cer", 2),
            ("certificateWithZeroDeltaCRLURL.cer", 0),
        ] {
            let c = cert(&dir, name).unwrap();
            assert_eq!(delta_urls(&c).len(), urls, "{name}");
            assert!(
                c.extensions
                    .iter()
                    .any(|e| e.extn_id == rfc5280::ID_CE_FRESHEST_CRL),
                "{name}"
            );
        }
        // Malformed CRL distribution points make the certificate itself invalid here
        // (notation-go reports the CRL check as failed instead).
        for name in [
            "certificateWithIncompleteFreshestCRL.cer",
            "certificateWithIncompleteFreshestCRL2.cer",
            "certificateWithNonURIDeltaCRL.cer",
        ] {
            if let Ok(c) = cert(&dir, name) {
                assert!(delta_urls(&c).is_empty(), "{name}");
            }
        }
    }

    #[test]
    fn core_go_crls_are_unknown_without_the_issuers_key() {
        let Some(dir) = vectors() else { return };
        let leaf = cert(&dir, "certificateWithDeltaCRL.cer").unwrap();
        let crls = vec![
            Arc::new(Crl::parse(&read(&dir, "crlWithMultipleFreshestCRLs.crl"), None).unwrap()),
            Arc::new(Crl::parse(&read(&dir, "delta.crl"), None).unwrap()),
        ];
        // Inside the CRLs' five-minute window, but the "issuer" here is the leaf
        // itself, which may not sign CRLs.
        let now = Time::parse_rfc3339("2024-11-25T07:33:00Z").unwrap();
        let CertStatus::Unknown(why) = status(&leaf, &leaf, &crls, now, None, &Known::nothing())
        else {
            panic!("status should be unknown");
        };
        assert!(why.contains("lacks cRLSign"), "{why}");
        // Only a delta CRL, no base: unknown.
        assert!(matches!(
            status(&leaf, &leaf, &crls[1..], now, None, &Known::nothing()),
            CertStatus::Unknown(_)
        ));
    }

    /// Every committed CRL (and notation-core-go's, when present).
    fn crl_fixtures() -> Vec<Vec<u8>> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.join("tests/fixtures/revocation/crl"),
            root.join("tests/fixtures/timestamp/crl"),
        ];
        dirs.extend(vectors());
        let mut out = Vec::new();
        for dir in dirs {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "crl"))
                .collect();
            paths.sort();
            out.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
        }
        out
    }

    fn assert_same_decoding(der: &[u8]) -> bool {
        crate::x509::compare_crl_with_x509_cert(der).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The borrowed CRL reader accepts exactly what x509-cert accepts, with the
    /// same fields, on every fixture CRL and on thousands of byte and structural
    /// mutants of them (fields removed, repeated, swapped, retagged, inserted).
    #[test]
    fn borrowed_crl_decoding_agrees_with_x509_cert() {
        use crate::test_der::{mutate_bytes, mutate_tree, Node};
        let fixtures = crl_fixtures();
        assert!(fixtures.len() >= 14);
        for der in &fixtures {
            assert!(assert_same_decoding(der));
            let crl = Crl::parse(der, None).unwrap();
            let list = x509_cert::crl::CertificateList::from_der(der).unwrap();
            assert_eq!(
                crl.entries.len(),
                list.tbs_cert_list
                    .revoked_certificates
                    .map_or(0, |r| r.len())
            );
        }
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15);
        let (mut decodable, mut mutated) = (0, 0);
        for der in &fixtures {
            let tree = Node::parse(der);
            for _ in 0..300 {
                for bytes in [mutate_tree(&tree, &mut next), mutate_bytes(der, &mut next)] {
                    mutated += 1;
                    if assert_same_decoding(&bytes) {
                        decodable += 1;
                        // What both accept, the verifier parses (or refuses for
                        // an extension value it reads, not for the structure).
                        if let Err(e) = Crl::parse(&bytes, None) {
                            assert!(e.starts_with("malformed"), "{e}");
                        }
                    }
                }
            }
        }
        assert!(
            mutated >= 8_000 && decodable > 1_000,
            "{decodable} of {mutated}"
        );
        // The changes random mutation rarely makes: each field left out, times
        // as GeneralizedTime, serial numbers of 21 and 22 octets, other
        // versions, a context-specific element other than [0].
        let (mut accepted, mut refused) = (0, 0);
        for der in &fixtures {
            for bytes in targeted_mutants(der) {
                if assert_same_decoding(&bytes) {
                    accepted += 1;
                } else {
                    refused += 1;
                }
            }
        }
        assert!(
            accepted > 50 && refused > 50,
            "{accepted} accepted, {refused} refused"
        );
    }

    /// `der` (a CRL) with one targeted change to its tbsCertList, per change.
    fn targeted_mutants(der: &[u8]) -> Vec<Vec<u8>> {
        use crate::test_der::Node;
        let tree = Node::parse(der);
        let edit = |change: &dyn Fn(&mut Vec<Node>)| {
            let mut tree = tree.clone();
            if let Node::Tree(_, list) = &mut tree[0] {
                if let Node::Tree(_, tbs) = &mut list[0] {
                    change(tbs);
                }
            }
            let mut out = Vec::new();
            tree[0].encode(&mut out);
            out
        };
        let generalized = |node: &mut Node| {
            if let Node::Leaf(tag @ 0x17, value) = node {
                *tag = 0x18;
                value.splice(0..0, *b"20");
            }
        };
        let mut out = Vec::new();
        let fields = match &tree[0] {
            Node::Tree(_, list) => match &list[0] {
                Node::Tree(_, tbs) => tbs.len(),
                Node::Leaf(..) => 0,
            },
            Node::Leaf(..) => 0,
        };
        for i in 0..fields {
            out.push(edit(&|tbs| {
                tbs.remove(i);
            }));
            out.push(edit(&|tbs| generalized(&mut tbs[i])));
        }
        for version in [0u8, 1, 2, 3] {
            out.push(edit(&|tbs| tbs[0] = Node::Leaf(0x02, vec![version])));
        }
        out.push(edit(&|tbs| {
            tbs.push(Node::Tree(0xA1, vec![Node::Leaf(0x05, vec![])]))
        }));
        out.push(edit(&|tbs| {
            let at = tbs.len() - 1;
            tbs.insert(at, Node::Tree(0xA1, vec![Node::Leaf(0x05, vec![])]));
        }));
        let revoked = |tbs: &mut Vec<Node>, each: &dyn Fn(&mut Vec<Node>)| {
            for field in tbs.iter_mut().skip(4) {
                if let Node::Tree(0x30, entries) = field {
                    for entry in entries {
                        if let Node::Tree(_, entry) = entry {
                            each(entry);
                        }
                    }
                }
            }
        };
        for serial in [
            vec![0x01; 21],
            vec![0x01; 22],
            [&[0x00][..], &[0x80; 20]].concat(),
            [&[0x00][..], &[0x80; 21]].concat(),
            vec![0x00, 0x01],
            vec![],
        ] {
            out.push(edit(&|tbs| {
                revoked(tbs, &|entry| entry[0] = Node::Leaf(0x02, serial.clone()))
            }));
        }
        out.push(edit(&|tbs| {
            revoked(tbs, &|entry| generalized(&mut entry[1]))
        }));
        out.push(edit(&|tbs| {
            revoked(tbs, &|entry| {
                entry.truncate(2);
            })
        }));
        out
    }

    /// An issuer whose RDN holds two attributes out of DER order is accepted by
    /// both decoders; the issuer the verifier matches is x509-cert's sorted
    /// re-encoding, as before the borrowed reader.
    #[test]
    fn crl_issuer_with_an_unsorted_rdn_reads_as_x509_cert_sorts_it() {
        use crate::test_der::Node;
        use der::Encode;
        let der = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/timestamp/crl/tsa-good.crl"),
        )
        .unwrap();
        let mut tree = Node::parse(&der);
        let Node::Tree(_, list) = &mut tree[0] else {
            panic!("CertificateList")
        };
        let Node::Tree(_, tbs) = &mut list[0] else {
            panic!("tbsCertList")
        };
        let attribute = |oid: &[u8], value: &str| {
            Node::Tree(
                0x30,
                vec![
                    Node::Leaf(0x06, oid.to_vec()),
                    Node::Leaf(0x0C, value.as_bytes().to_vec()),
                ],
            )
        };
        // Encodings of one length: O (2.5.4.10) after CN (2.5.4.3) would be
        // DER order; this is reversed.
        tbs[2] = Node::Tree(
            0x30,
            vec![Node::Tree(
                0x31,
                vec![
                    attribute(&[0x55, 0x04, 0x0A], "Org"),
                    attribute(&[0x55, 0x04, 0x03], "Nam"),
                ],
            )],
        );
        let mut mutated = Vec::new();
        tree[0].encode(&mut mutated);
        assert!(assert_same_decoding(&mutated));
        let ours = crate::x509::CertificateList::from_der(&mutated).unwrap();
        assert!(!ours.issuer.in_der_order());
        let theirs = x509_cert::crl::CertificateList::from_der(&mutated).unwrap();
        let sorted = theirs.tbs_cert_list.issuer.to_der().unwrap();
        assert_ne!(sorted, ours.issuer.tlv);
        assert_eq!(Crl::parse(&mutated, None).unwrap().issuer_raw, sorted);
    }
}
