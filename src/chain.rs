//! The x5c certificate chain: linkage (no path building — the list is used as
//! given) and the code-signing certificate profile, with no time checks.

use x509_cert::ext::pkix::KeyUsages;

use crate::cert::{eku, Cert, KeyKind};
use crate::chain_cache::Known;
use crate::error::{err, Error, ErrorCode};

/// Validates the shape and the certificate requirements of a signing chain
/// (spec §4.1–4.3). A root that `known` says is a trust-store certificate whose
/// self-signature was verified when the store was built is not verified again.
pub(crate) fn validate_code_signing(chain: &[Cert], known: &Known<'_>) -> Result<(), Error> {
    let Some(last) = chain.last() else {
        return Err(err(
            ErrorCode::CertificateChainMissing,
            "the signature carries no certificate chain (x5c is empty)",
        ));
    };
    if chain.len() == 1 {
        let cert = last;
        check_self_signature(
            cert,
            known,
            ErrorCode::ChainSingleNotSelfSigned,
            "the only certificate of the chain",
        )?;
        if !cert.is_self_issued() {
            return Err(err(
                ErrorCode::ChainSingleNotSelfIssued,
                "the only certificate of the chain is not self-issued (its subject differs from its issuer); include the issuing certificates up to a self-signed root",
            ));
        }
        return leaf_profile(cert).map_err(|e| {
            err(
                ErrorCode::SelfSignedLeafInvalid,
                format!(
                    "the self-signed signing certificate fails the code-signing profile: {}",
                    e.message()
                ),
            )
        });
    }

    let n = chain.len();
    for i in 0..n - 1 {
        let (cert, issuer) = (&chain[i], &chain[i + 1]);
        if cert.is_self_issued() && known.verify_signed_by(cert, cert) == Ok(true) {
            return Err(if i == 0 {
                err(ErrorCode::ChainLeafSelfSigned, "the signing certificate is self-signed but the chain has more certificates; a self-signed certificate must be the only one")
            } else {
                err(
                    ErrorCode::ChainIntermediateSelfSigned,
                    format!("certificate {} of the chain is self-signed; only the last certificate may be a root", i + 1),
                )
            });
        }
        if cert.issuer_raw() != issuer.subject_raw() {
            return Err(err(
                ErrorCode::ChainLinkBroken,
                format!(
                    "certificate {} of the chain is not issued by certificate {} (issuer and subject names differ); order x5c leaf first, root last",
                    i + 1,
                    i + 2
                ),
            ));
        }
        match known.verify_signed_by(cert, issuer) {
            Ok(true) => {}
            Ok(false) => {
                return Err(err(
                    ErrorCode::ChainLinkBroken,
                    format!("the signature on certificate {} of the chain does not verify with the key of certificate {}", i + 1, i + 2),
                ))
            }
            Err(reason) => {
                return Err(err(
                    ErrorCode::ChainSignatureAlgorithmUnsupported,
                    format!("certificate {} of the chain: {reason}", i + 1),
                ))
            }
        }
    }
    if !last.is_self_issued() {
        return Err(err(
            ErrorCode::ChainIncomplete,
            "the chain does not end in a root: its last certificate is not self-issued; include the certificates up to the self-signed root",
        ));
    }
    check_self_signature(
        last,
        known,
        ErrorCode::ChainRootNotSelfSigned,
        "the root (last) certificate of the chain",
    )?;

    leaf_profile(&chain[0])?;
    for (i, cert) in chain.iter().enumerate().skip(1) {
        ca_profile(cert, i)?;
    }
    Ok(())
}

fn check_self_signature(
    cert: &Cert,
    known: &Known<'_>,
    code: ErrorCode,
    what: &str,
) -> Result<(), Error> {
    if known.verified_root(cert) {
        return Ok(());
    }
    match known.verify_signed_by(cert, cert) {
        Ok(true) => Ok(()),
        Ok(false) => Err(err(
            code,
            format!("{what} is not self-signed: its signature does not verify with its own key"),
        )),
        Err(reason) => Err(err(
            ErrorCode::ChainSignatureAlgorithmUnsupported,
            format!("{what}: {reason}"),
        )),
    }
}

/// The signing (leaf) certificate rules of the code-signing profile (§4.2).
pub(crate) fn leaf_profile(cert: &Cert) -> Result<(), Error> {
    if cert.is_ca() {
        return Err(err(ErrorCode::LeafIsCa, "the signing certificate is a CA (Basic Constraints cA=true); sign with an end-entity certificate"));
    }
    let Some(ku) = &cert.key_usage else {
        return Err(err(ErrorCode::LeafKeyUsageMissing, "the signing certificate has no Key Usage extension; it needs a critical Key Usage with digitalSignature"));
    };
    if !ku.critical {
        return Err(err(
            ErrorCode::LeafKeyUsageNotCritical,
            "the signing certificate's Key Usage extension is not marked critical",
        ));
    }
    if !ku.value.0.contains(KeyUsages::DigitalSignature) {
        return Err(err(
            ErrorCode::LeafKeyUsageLacksDigitalSignature,
            "the signing certificate's Key Usage lacks digitalSignature",
        ));
    }
    const FORBIDDEN: [(KeyUsages, &str); 7] = [
        (KeyUsages::KeyEncipherment, "keyEncipherment"),
        (KeyUsages::DataEncipherment, "dataEncipherment"),
        (KeyUsages::KeyAgreement, "keyAgreement"),
        (KeyUsages::KeyCertSign, "keyCertSign"),
        (KeyUsages::CRLSign, "cRLSign"),
        (KeyUsages::EncipherOnly, "encipherOnly"),
        (KeyUsages::DecipherOnly, "decipherOnly"),
    ];
    if let Some((_, name)) = FORBIDDEN.iter().find(|(bit, _)| ku.value.0.contains(*bit)) {
        return Err(err(
            ErrorCode::LeafKeyUsageForbidden,
            format!("the signing certificate's Key Usage has {name}, which code signing forbids"),
        ));
    }
    if let Some(ekus) = &cert.ext_key_usage {
        for oid in &ekus.value {
            let name = match *oid {
                eku::SERVER_AUTH => "serverAuth",
                eku::CLIENT_AUTH => "clientAuth",
                eku::EMAIL_PROTECTION => "emailProtection",
                eku::TIME_STAMPING => "timeStamping",
                eku::ANY => {
                    return Err(err(ErrorCode::LeafExtendedKeyUsageAny, "the signing certificate's Extended Key Usage has anyExtendedKeyUsage, which code signing forbids"))
                }
                eku::OCSP_SIGNING => {
                    return Err(err(ErrorCode::LeafExtendedKeyUsageOcspSigning, "the signing certificate's Extended Key Usage has OCSPSigning, which code signing forbids"))
                }
                _ => continue,
            };
            return Err(err(
                ErrorCode::LeafExtendedKeyUsageForbidden,
                format!("the signing certificate's Extended Key Usage has {name}; use codeSigning"),
            ));
        }
    }
    match cert.key {
        KeyKind::Rsa { bits } if bits < 2048 => Err(err(
            ErrorCode::LeafKeyTooSmall,
            format!(
                "the signing certificate's RSA key has {bits} bits; at least 2048 are required"
            ),
        )),
        _ => Ok(()),
    }
}

/// The CA rules of the code-signing profile (§4.3) for the certificate at chain
/// index `index` (the leaf is 0).
fn ca_profile(cert: &Cert, index: usize) -> Result<(), Error> {
    let what = format_args!("CA certificate {} of the chain", index + 1);
    let Some(bc) = cert.basic_constraints.as_ref().filter(|bc| bc.value.ca) else {
        return Err(err(
            ErrorCode::CaNotCa,
            format!("{what} is not a CA (Basic Constraints cA=true is missing)"),
        ));
    };
    if !bc.critical {
        return Err(err(
            ErrorCode::CaBasicConstraintsNotCritical,
            format!("{what} has a Basic Constraints extension that is not critical"),
        ));
    }
    let Some(ku) = &cert.key_usage else {
        return Err(err(
            ErrorCode::CaKeyUsageMissing,
            format!("{what} has no Key Usage extension"),
        ));
    };
    if !ku.critical {
        return Err(err(
            ErrorCode::CaKeyUsageNotCritical,
            format!("{what} has a Key Usage extension that is not critical"),
        ));
    }
    if !ku.value.0.contains(KeyUsages::KeyCertSign) {
        return Err(err(
            ErrorCode::CaKeyUsageLacksKeyCertSign,
            format!("{what} has a Key Usage without keyCertSign"),
        ));
    }
    if let Some(path_len) = bc.value.path_len_constraint {
        let below = index - 1;
        if usize::from(path_len) < below {
            return Err(err(
                ErrorCode::ChainPathLengthExceeded,
                format!("{what} allows {path_len} CA certificate(s) below it (pathLenConstraint) but the chain has {below}"),
            ));
        }
    }
    Ok(())
}
