//! ring backend (WASM, and native on request), with RustCrypto `p521` for P-521,
//! which ring does not implement.

use ring::{digest, signature};

use super::{Curve, Hash, Scheme};

pub(super) const NAME: &str = "ring";

/// ring parses a key on every verification; a prepared key keeps its bytes.
pub(super) struct Prepared(Vec<u8>);

impl Prepared {
    pub(super) fn new(_scheme: Scheme, public_key: &[u8]) -> Option<Self> {
        Some(Self(public_key.to_vec()))
    }

    pub(super) fn verify(&self, scheme: Scheme, message: &[u8], sig: &[u8]) -> bool {
        verify(scheme, &self.0, message, sig)
    }
}

pub(super) fn verify(scheme: Scheme, public_key: &[u8], message: &[u8], sig: &[u8]) -> bool {
    let alg: &dyn signature::VerificationAlgorithm = match scheme {
        Scheme::EcdsaFixed(Curve::P521, Hash::Sha512) => {
            return p521_verify(public_key, message, sig, false)
        }
        Scheme::EcdsaAsn1(Curve::P521, Hash::Sha512) => {
            return p521_verify(public_key, message, sig, true)
        }
        Scheme::EcdsaFixed(Curve::P256, Hash::Sha256) => &signature::ECDSA_P256_SHA256_FIXED,
        Scheme::EcdsaFixed(Curve::P384, Hash::Sha384) => &signature::ECDSA_P384_SHA384_FIXED,
        Scheme::EcdsaFixed(..) => return false,
        Scheme::EcdsaAsn1(Curve::P256, Hash::Sha256) => &signature::ECDSA_P256_SHA256_ASN1,
        Scheme::EcdsaAsn1(Curve::P256, Hash::Sha384) => &signature::ECDSA_P256_SHA384_ASN1,
        Scheme::EcdsaAsn1(Curve::P384, Hash::Sha256) => &signature::ECDSA_P384_SHA256_ASN1,
        Scheme::EcdsaAsn1(Curve::P384, Hash::Sha384) => &signature::ECDSA_P384_SHA384_ASN1,
        Scheme::EcdsaAsn1(..) => return false,
        Scheme::RsaPss(Hash::Sha256) => &signature::RSA_PSS_2048_8192_SHA256,
        Scheme::RsaPss(Hash::Sha384) => &signature::RSA_PSS_2048_8192_SHA384,
        Scheme::RsaPss(Hash::Sha512) => &signature::RSA_PSS_2048_8192_SHA512,
        Scheme::RsaPkcs1(Hash::Sha256) => &signature::RSA_PKCS1_2048_8192_SHA256,
        Scheme::RsaPkcs1(Hash::Sha384) => &signature::RSA_PKCS1_2048_8192_SHA384,
        Scheme::RsaPkcs1(Hash::Sha512) => &signature::RSA_PKCS1_2048_8192_SHA512,
    };
    signature::UnparsedPublicKey::new(alg, public_key)
        .verify(message, sig)
        .is_ok()
}

fn p521_verify(public_key: &[u8], message: &[u8], sig: &[u8], asn1: bool) -> bool {
    use p521::ecdsa::signature::Verifier;
    let Ok(key) = p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key) else {
        return false;
    };
    let sig = if asn1 {
        p521::ecdsa::Signature::from_der(sig)
    } else {
        p521::ecdsa::Signature::from_slice(sig)
    };
    sig.is_ok_and(|sig| key.verify(message, &sig).is_ok())
}

pub(super) fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    let alg = match hash {
        Hash::Sha256 => &digest::SHA256,
        Hash::Sha384 => &digest::SHA384,
        Hash::Sha512 => &digest::SHA512,
    };
    digest::digest(alg, data).as_ref().to_vec()
}
