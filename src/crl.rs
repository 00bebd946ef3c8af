//! Certificate revocation lists (spec §10.2, CRL details): base CRLs from the
//! certificate's issuer, delta CRLs where the CRL or the certificate points to
//! one, checked as notation-core-go checks them.

use std::sync::Arc;

use const_oid::db::rfc5280;
use der::asn1::{GeneralizedTime, Uint};
use der::Decode;
use x509_cert::crl::{CertificateList, RevokedCert};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{CrlReason, KeyUsages};
use x509_cert::ext::Extension;

use crate::cert::{oid_name, original_tbs, Cert};
use crate::chain_cache::Known;
use crate::revocation::CertStatus;
use crate::signed_data;
use crate::time::Time;

/// Largest CRL accepted (notation-core-go's download limit).
pub const MAX_CRL_BYTES: usize = 32 * 1024 * 1024;

/// A parsed CRL.
#[derive(Debug)]
pub(crate) struct Crl {
    /// SHA-256 of the DER (names a verified signature in the chain cache), when
    /// a cache remembers signatures.
    sha256: Option<[u8; 32]>,
    tbs: Vec<u8>,
    list: CertificateList,
    issuer_raw: Vec<u8>,
    /// cRLNumber, big-endian without leading zeros.
    number: Option<Vec<u8>>,
    /// The base CRL number of a delta CRL (deltaCRLIndicator).
    delta_base: Option<Vec<u8>>,
    /// Whether the CRL points to a delta CRL (freshestCRL).
    has_freshest: bool,
}

fn uint_extension(ext: &Extension) -> Result<Vec<u8>, String> {
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
        let list = CertificateList::from_der(der).map_err(|e| format!("not a DER CRL: {e}"))?;
        let tbs = original_tbs(der)
            .ok_or("cannot locate tbsCertList")?
            .to_vec();
        let issuer_raw =
            der::Encode::to_der(&list.tbs_cert_list.issuer).map_err(|e| e.to_string())?;
        let mut crl = Crl {
            sha256,
            tbs,
            issuer_raw,
            number: None,
            delta_base: None,
            has_freshest: false,
            list,
        };
        for ext in crl.list.tbs_cert_list.crl_extensions.iter().flatten() {
            match ext.extn_id {
                rfc5280::ID_CE_CRL_NUMBER => crl.number = Some(uint_extension(ext)?),
                rfc5280::ID_CE_DELTA_CRL_INDICATOR => crl.delta_base = Some(uint_extension(ext)?),
                rfc5280::ID_CE_FRESHEST_CRL => crl.has_freshest = true,
                _ => {}
            }
        }
        Ok(crl)
    }

    fn this_update(&self) -> Time {
        Time::from_der(&self.list.tbs_cert_list.this_update)
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
            .list
            .signature
            .as_bytes()
            .ok_or_else(|| format!("the {kind}'s signature BIT STRING has unused bits"))?;
        match known.signed(self.sha256.as_ref(), issuer, || {
            signed_data::verify(
                &self.list.signature_algorithm,
                None,
                issuer,
                &self.tbs,
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
        let Some(next_update) = self
            .list
            .tbs_cert_list
            .next_update
            .as_ref()
            .map(Time::from_der)
        else {
            return Err(format!("the {kind} has no nextUpdate"));
        };
        if now > next_update {
            return Err(format!(
                "the {kind} expired at {next_update} (nextUpdate); fetch a current one"
            ));
        }
        if now < self.this_update() {
            return Err(format!(
                "the {kind} is not valid before {} (thisUpdate)",
                self.this_update()
            ));
        }
        for ext in self.list.tbs_cert_list.crl_extensions.iter().flatten() {
            let tolerated = ext.extn_id == rfc5280::ID_CE_ISSUING_DISTRIBUTION_POINT
                || ext.extn_id == rfc5280::ID_CE_DELTA_CRL_INDICATOR;
            if ext.critical && !tolerated {
                return Err(format!(
                    "the {kind} has an unsupported critical extension {}",
                    oid_name(&ext.extn_id)
                ));
            }
        }
        Ok(())
    }

    fn entries(&self) -> &[RevokedCert] {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .as_deref()
            .unwrap_or_default()
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
    for entry in base
        .entries()
        .iter()
        .chain(delta.map_or(&[][..], Crl::entries))
    {
        if entry.serial_number.as_bytes() != cert.serial() {
            continue;
        }
        let mut reason = CrlReason::Unspecified;
        let mut invalidity = None;
        for ext in entry.crl_entry_extensions.iter().flatten() {
            match ext.extn_id {
                rfc5280::ID_CE_CRL_REASONS => {
                    reason = CrlReason::from_der(ext.extn_value.as_bytes())
                        .map_err(|e| format!("a CRL entry has a malformed reason code: {e}"))?;
                }
                rfc5280::ID_CE_INVALIDITY_DATE => {
                    let date = GeneralizedTime::from_der(ext.extn_value.as_bytes())
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
        let revoked_at = Time::from_der(&entry.revocation_date);
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
}
