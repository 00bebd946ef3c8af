//! OCSP responses (spec §10.2, OCSP details): a response speaks about a
//! certificate when one of its single responses names the certificate's serial
//! number (and, for SHA-2 CertIDs, its issuer's name and key hashes); it counts
//! when the issuer signed it, or a responder certificate the issuer issued for
//! OCSP signing did, and when it is current.

use const_oid::db::rfc5280;
use const_oid::db::rfc6960::ID_PKIX_OCSP_BASIC;
use der::asn1::GeneralizedTime;
use der::Decode;
use x509_ocsp::{
    BasicOcspResponse, CertStatus as OcspStatus, OcspResponse, OcspResponseStatus, SingleResponse,
};

use crate::cert::{eku, hash_from_oid, oid_name, original_tbs, Cert};
use crate::chain_cache::Known;
use crate::crypto;
use crate::revocation::CertStatus;
use crate::signed_data;
use crate::time::Time;

/// Largest OCSP response accepted (notation-core-go's download limit).
pub const MAX_OCSP_BYTES: usize = 20 * 1024;

/// A parsed OCSP response.
pub(crate) struct Response {
    /// Present for a successful basic response.
    basic: Option<Basic>,
}

struct Basic {
    /// SHA-256 of the BasicOCSPResponse DER (names a verified signature in the
    /// chain cache), when a cache remembers signatures.
    sha256: Option<[u8; 32]>,
    tbs: Vec<u8>,
    response: BasicOcspResponse,
    responders: Vec<Cert>,
}

fn time(t: &GeneralizedTime) -> Time {
    Time::from_unix(i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX))
}

impl Response {
    /// Parses a DER `OCSPResponse`. Unsuccessful responses (tryLater, …) parse but
    /// speak about no certificate.
    /// `hash`: compute the response's SHA-256 for the chain cache.
    pub(crate) fn parse(der: &[u8], hash: bool) -> Result<Self, String> {
        if der.len() > MAX_OCSP_BYTES {
            return Err(format!("it is larger than {MAX_OCSP_BYTES} bytes"));
        }
        let bounded = |der: &[u8]| {
            crate::x509::check_sets(der).map_err(|too_many| {
                format!("it {too_many} (the attributes of a name are sorted when decoded)")
            })
        };
        bounded(der)?;
        let response =
            OcspResponse::from_der(der).map_err(|e| format!("not a DER OCSP response: {e}"))?;
        if response.response_status != OcspResponseStatus::Successful {
            return Ok(Self { basic: None });
        }
        let bytes = response
            .response_bytes
            .ok_or("a successful OCSP response without responseBytes")?;
        if bytes.response_type != ID_PKIX_OCSP_BASIC {
            return Err(format!(
                "OCSP response type {} is not id-pkix-ocsp-basic",
                oid_name(&bytes.response_type)
            ));
        }
        let inner = bytes.response.as_bytes();
        bounded(inner)?;
        let basic = BasicOcspResponse::from_der(inner)
            .map_err(|e| format!("malformed BasicOCSPResponse: {e}"))?;
        let tbs = original_tbs(inner)
            .ok_or("cannot locate tbsResponseData")?
            .to_vec();
        let mut responders = Vec::new();
        for (i, cert) in basic.certs.iter().flatten().enumerate() {
            let der = der::Encode::to_der(cert).map_err(|e| e.to_string())?;
            responders.push(
                Cert::parse(&der, format_args!("OCSP responder certificate {}", i + 1))
                    .map_err(|e| e.message().to_owned())?,
            );
        }
        let sha256 = hash.then(|| crypto::sha256(inner));
        Ok(Self {
            basic: Some(Basic {
                sha256,
                tbs,
                response: basic,
                responders,
            }),
        })
    }
}

impl Basic {
    /// Signed by `issuer`, or by a delegated responder `issuer` certified for OCSP
    /// signing and valid at `now`.
    fn check_signer(&self, issuer: &Cert, now: Time, known: &Known<'_>) -> Result<(), String> {
        let signature = self
            .response
            .signature
            .as_bytes()
            .ok_or("the OCSP response's signature BIT STRING has unused bits")?;
        let alg = &self.response.signature_algorithm;
        let signed_by = |signer: &Cert| {
            known.signed(self.sha256.as_ref(), signer, || {
                signed_data::verify(alg, None, signer, &self.tbs, signature, known)
            }) == Ok(true)
        };
        if signed_by(issuer) {
            return Ok(());
        }
        let authorized = self.responders.iter().any(|r| {
            r.ext_key_usage
                .as_ref()
                .is_some_and(|e| e.value.contains(&eku::OCSP_SIGNING))
                && now >= r.not_before
                && now <= r.not_after
                && r.issuer_raw() == issuer.subject_raw()
                && known.link(r, issuer) == Ok(true)
                && signed_by(r)
        });
        if authorized {
            Ok(())
        } else {
            Err("the OCSP response is signed neither by the certificate's issuer nor by a current responder certificate the issuer issued for OCSP signing".into())
        }
    }
}

/// Whether `single` names `cert` issued by `issuer`. SHA-1 CertIDs (the usual
/// kind) are matched by serial number only, as Go's x/crypto/ocsp does; the
/// issuer's signature on the response binds it to the issuer.
fn names(single: &SingleResponse, cert: &Cert, issuer: &Cert) -> bool {
    let id = &single.cert_id;
    if id.serial_number.as_bytes() != cert.serial() {
        return false;
    }
    match hash_from_oid(&id.hash_algorithm.oid) {
        Some(hash) => {
            crypto::digest(hash, issuer.subject_raw()) == id.issuer_name_hash.as_bytes()
                && crypto::digest(hash, issuer.key_bits()) == id.issuer_key_hash.as_bytes()
        }
        None => true,
    }
}

/// The status of `cert` from the OCSP responses among `responses`.
pub(crate) fn status(
    cert: &Cert,
    issuer: &Cert,
    responses: &[Response],
    now: Time,
    signing_time: Option<Time>,
    known: &Known<'_>,
) -> CertStatus {
    let mut good = false;
    let mut unknown_to_responder = false;
    let mut first_error = None;
    for basic in responses.iter().filter_map(|r| r.basic.as_ref()) {
        let Some(single) = basic
            .response
            .tbs_response_data
            .responses
            .iter()
            .find(|s| names(s, cert, issuer))
        else {
            continue;
        };
        match judge(basic, single, issuer, now, signing_time, known) {
            Ok(CertStatus::Revoked(why)) => return CertStatus::Revoked(why),
            Ok(CertStatus::Good) => good = true,
            Ok(CertStatus::Unknown(_)) => unknown_to_responder = true,
            Err(why) => {
                first_error.get_or_insert(why);
            }
        }
    }
    if good {
        CertStatus::Good
    } else if unknown_to_responder {
        CertStatus::Unknown("the OCSP responder answered \"unknown\" for it".into())
    } else {
        CertStatus::Unknown(
            first_error.unwrap_or_else(|| "no OCSP response for it was supplied".into()),
        )
    }
}

fn judge(
    basic: &Basic,
    single: &SingleResponse,
    issuer: &Cert,
    now: Time,
    signing_time: Option<Time>,
    known: &Known<'_>,
) -> Result<CertStatus, String> {
    basic.check_signer(issuer, now, known)?;
    let this_update = time(&single.this_update.0);
    let Some(next_update) = single.next_update.as_ref().map(|t| time(&t.0)) else {
        return Err("the OCSP response has no nextUpdate, so it counts as expired".into());
    };
    if now > next_update {
        return Err(format!(
            "the OCSP response expired at {next_update} (nextUpdate); fetch a current one"
        ));
    }
    if now < this_update {
        return Err(format!(
            "the OCSP response is not valid before {this_update} (thisUpdate)"
        ));
    }
    let mut invalidity = None;
    for ext in single.single_extensions.iter().flatten() {
        if ext.critical {
            return Err(format!(
                "the OCSP response has an unsupported critical extension {}",
                oid_name(&ext.extn_id)
            ));
        }
        if ext.extn_id == rfc5280::ID_CE_INVALIDITY_DATE {
            invalidity = GeneralizedTime::from_der(ext.extn_value.as_bytes())
                .ok()
                .map(|t| time(&t));
        }
    }
    Ok(match &single.cert_status {
        OcspStatus::Good(_) => CertStatus::Good,
        OcspStatus::Unknown(_) => CertStatus::Unknown(String::new()),
        OcspStatus::Revoked(info) => match (signing_time, invalidity) {
            (Some(signed), Some(invalid)) if signed < invalid => CertStatus::Good,
            _ => CertStatus::Revoked(format!(
                "its OCSP responder reports it revoked since {}{}",
                time(&info.revocation_time.0),
                info.revocation_reason
                    .map(|r| format!(" (reason {r:?})"))
                    .unwrap_or_default()
            )),
        },
    })
}
