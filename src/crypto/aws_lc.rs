//! aws-lc-rs backend (native default).

use aws_lc_rs::{digest, signature};

use super::{Curve, Hash, Scheme};

pub(super) const NAME: &str = "aws-lc";

/// A key parsed once (aws-lc keeps the parsed key and its Montgomery context).
pub(super) struct Prepared(signature::ParsedPublicKey);

impl Prepared {
    pub(super) fn new(scheme: Scheme, public_key: &[u8]) -> Option<Self> {
        signature::ParsedPublicKey::new(algorithm(scheme)?, public_key)
            .ok()
            .map(Self)
    }

    pub(super) fn verify(&self, _scheme: Scheme, message: &[u8], sig: &[u8]) -> bool {
        self.0.verify_sig(message, sig).is_ok()
    }
}

pub(super) fn verify(scheme: Scheme, public_key: &[u8], message: &[u8], sig: &[u8]) -> bool {
    let Some(alg) = algorithm(scheme) else {
        return false;
    };
    signature::UnparsedPublicKey::new(alg, public_key)
        .verify(message, sig)
        .is_ok()
}

fn algorithm(scheme: Scheme) -> Option<&'static dyn signature::VerificationAlgorithm> {
    Some(match scheme {
        Scheme::EcdsaFixed(Curve::P256, Hash::Sha256) => &signature::ECDSA_P256_SHA256_FIXED,
        Scheme::EcdsaFixed(Curve::P384, Hash::Sha384) => &signature::ECDSA_P384_SHA384_FIXED,
        Scheme::EcdsaFixed(Curve::P521, Hash::Sha512) => &signature::ECDSA_P521_SHA512_FIXED,
        Scheme::EcdsaFixed(..) => return None,
        Scheme::EcdsaAsn1(Curve::P256, Hash::Sha256) => &signature::ECDSA_P256_SHA256_ASN1,
        Scheme::EcdsaAsn1(Curve::P256, Hash::Sha384) => &signature::ECDSA_P256_SHA384_ASN1,
        Scheme::EcdsaAsn1(Curve::P384, Hash::Sha256) => &signature::ECDSA_P384_SHA256_ASN1,
        Scheme::EcdsaAsn1(Curve::P384, Hash::Sha384) => &signature::ECDSA_P384_SHA384_ASN1,
        Scheme::EcdsaAsn1(Curve::P521, Hash::Sha512) => &signature::ECDSA_P521_SHA512_ASN1,
        Scheme::EcdsaAsn1(..) => return None,
        Scheme::RsaPss(Hash::Sha256) => &signature::RSA_PSS_2048_8192_SHA256,
        Scheme::RsaPss(Hash::Sha384) => &signature::RSA_PSS_2048_8192_SHA384,
        Scheme::RsaPss(Hash::Sha512) => &signature::RSA_PSS_2048_8192_SHA512,
        Scheme::RsaPkcs1(Hash::Sha256) => &signature::RSA_PKCS1_2048_8192_SHA256,
        Scheme::RsaPkcs1(Hash::Sha384) => &signature::RSA_PKCS1_2048_8192_SHA384,
        Scheme::RsaPkcs1(Hash::Sha512) => &signature::RSA_PKCS1_2048_8192_SHA512,
    })
}

pub(super) fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    let alg = match hash {
        Hash::Sha256 => &digest::SHA256,
        Hash::Sha384 => &digest::SHA384,
        Hash::Sha512 => &digest::SHA512,
    };
    digest::digest(alg, data).as_ref().to_vec()
}
