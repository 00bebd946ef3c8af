//! Signatures over signed structures other than certificates: CMS signer infos
//! (timestamp tokens), CRLs and OCSP responses. Maps the algorithm identifiers
//! they carry to a [`Scheme`] and checks the signature with a certificate's key.

use const_oid::db::rfc5912;
use const_oid::ObjectIdentifier;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::cert::{hash_from_oid, oid_name, pss_hash, Cert, KeyKind};
use crate::chain_cache::Known;
use crate::crypto::{Hash, Scheme};

/// The scheme of a signature made with algorithm `sig_alg` by a `key`.
///
/// `digest_alg` is the separate digest algorithm of a CMS signer info; it decides
/// the hash when `sig_alg` is bare `rsaEncryption` (as RFC 5652 allows) and is
/// ignored otherwise, as tspclient-go does. SHA-1 and MD5 are refused.
pub(crate) fn scheme(
    sig_alg: &AlgorithmIdentifierOwned,
    digest_alg: Option<&ObjectIdentifier>,
    key: &KeyKind,
) -> Result<Scheme, String> {
    let oid = sig_alg.oid;
    let unsupported = || {
        format!(
            "signature algorithm {} is not supported (SHA-1 and MD5 are refused)",
            oid_name(&oid)
        )
    };
    let scheme = match oid {
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Scheme::RsaPkcs1(Hash::Sha256),
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Scheme::RsaPkcs1(Hash::Sha384),
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION => Scheme::RsaPkcs1(Hash::Sha512),
        rfc5912::RSA_ENCRYPTION => {
            let digest = digest_alg.ok_or_else(unsupported)?;
            Scheme::RsaPkcs1(hash_from_oid(digest).ok_or_else(|| {
                format!("rsaEncryption with digest algorithm {} is not supported (SHA-1 and MD5 are refused)", oid_name(digest))
            })?)
        }
        rfc5912::ID_RSASSA_PSS => Scheme::RsaPss(pss_hash(sig_alg).ok_or_else(|| {
            "RSASSA-PSS parameters are not SHA-256/384/512 with MGF1 of the same hash and salt length = hash length".to_owned()
        })?),
        rfc5912::ECDSA_WITH_SHA_256 | rfc5912::ECDSA_WITH_SHA_384 | rfc5912::ECDSA_WITH_SHA_512 => {
            let hash = match oid {
                rfc5912::ECDSA_WITH_SHA_256 => Hash::Sha256,
                rfc5912::ECDSA_WITH_SHA_384 => Hash::Sha384,
                _ => Hash::Sha512,
            };
            let KeyKind::Ec(curve) = key else {
                return Err("ECDSA signature but the signer's key is not an EC key".into());
            };
            Scheme::EcdsaAsn1(*curve, hash)
        }
        _ => return Err(unsupported()),
    };
    if matches!(scheme, Scheme::RsaPkcs1(_) | Scheme::RsaPss(_))
        && !matches!(key, KeyKind::Rsa { .. })
    {
        return Err("RSA signature but the signer's key is not an RSA key".into());
    }
    if !scheme.is_supported() {
        return Err(format!(
            "{} with a {} key is not supported",
            oid_name(&oid),
            key.spec_name()
        ));
    }
    if let KeyKind::Rsa { bits } = key {
        if !(2048..=8192).contains(bits) {
            return Err(format!(
                "RSA signatures by a {bits}-bit key are not supported (2048 to 8192 bits)"
            ));
        }
    }
    Ok(scheme)
}

/// Checks `signature` over `message`, made with `sig_alg`, against `signer`'s key.
/// `Err` names an unsupported algorithm; `Ok(false)` is a signature that does not
/// verify.
pub(crate) fn verify(
    sig_alg: &AlgorithmIdentifierOwned,
    digest_alg: Option<&ObjectIdentifier>,
    signer: &Cert,
    message: &[u8],
    signature: &[u8],
    known: &Known<'_>,
) -> Result<bool, String> {
    let scheme = scheme(sig_alg, digest_alg, &signer.key)?;
    Ok(known.verify_by(signer, scheme, message, signature))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Curve;
    use der::asn1::Null;

    fn alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid,
            parameters: None,
        }
    }

    #[test]
    fn maps_cms_and_crl_algorithms() {
        let rsa = KeyKind::Rsa { bits: 2048 };
        let p256 = KeyKind::Ec(Curve::P256);
        assert_eq!(
            scheme(&alg(rfc5912::SHA_384_WITH_RSA_ENCRYPTION), None, &rsa),
            Ok(Scheme::RsaPkcs1(Hash::Sha384))
        );
        assert_eq!(
            scheme(
                &alg(rfc5912::RSA_ENCRYPTION),
                Some(&rfc5912::ID_SHA_512),
                &rsa
            ),
            Ok(Scheme::RsaPkcs1(Hash::Sha512))
        );
        assert_eq!(
            scheme(&alg(rfc5912::ECDSA_WITH_SHA_256), None, &p256),
            Ok(Scheme::EcdsaAsn1(Curve::P256, Hash::Sha256))
        );
        let with_null = AlgorithmIdentifierOwned {
            oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            parameters: Some(Null.into()),
        };
        assert_eq!(
            scheme(&with_null, None, &rsa),
            Ok(Scheme::RsaPkcs1(Hash::Sha256))
        );
    }

    #[test]
    fn refuses_sha1_mismatched_keys_and_bare_rsa_without_digest() {
        let rsa = KeyKind::Rsa { bits: 2048 };
        let p256 = KeyKind::Ec(Curve::P256);
        assert!(scheme(&alg(rfc5912::SHA_1_WITH_RSA_ENCRYPTION), None, &rsa).is_err());
        assert!(scheme(
            &alg(rfc5912::RSA_ENCRYPTION),
            Some(&rfc5912::ID_SHA_1),
            &rsa
        )
        .is_err());
        assert!(scheme(&alg(rfc5912::RSA_ENCRYPTION), None, &rsa).is_err());
        assert!(scheme(&alg(rfc5912::SHA_256_WITH_RSA_ENCRYPTION), None, &p256).is_err());
        assert!(scheme(&alg(rfc5912::ECDSA_WITH_SHA_256), None, &rsa).is_err());
        assert!(scheme(&alg(rfc5912::ECDSA_WITH_SHA_512), None, &p256).is_err());
    }
}
