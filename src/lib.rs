//! # notary-verify
//!
//! An offline, embeddable verifier for [Notary Project](https://notaryproject.dev)
//! (notation) JWS signatures, AWS Signer signatures included. It never reads a
//! clock, the network or the filesystem: policies, certificates, envelopes and the
//! verification time are inputs.
//!
//! | module | what |
//! |---|---|
//! | [`policy`] | trust policy documents (OCI and blob), validated on load |
//! | [`store`] | trust stores by `type:name`, AWS Signer roots built in |
//! | [`verifier`] | [`Verifier`] and [`Request`]: the verification algorithm |
//! | [`outcome`] | [`Outcome`]: verdict, per-check results, signature facts (JSON) |
//! | [`error`] | [`ErrorCode`]: stable codes tied to the rejection catalogue |
//! | `ffi` | the C ABI (`include/verify.h`), feature `ffi` (default) |
//!
//! Crypto backend (exactly one): feature `aws-lc` (default) or `ring` (WASM).
//! Feature `ffi` (default) exports the C ABI from `libverify.{so,a}`.
//!
//! ```
//! use verify::{Descriptor, OciTrustPolicy, Request, Time, TrustStore, Verifier};
//!
//! let policy = OciTrustPolicy::from_json(br#"{
//!   "version": "1.0",
//!   "trustPolicies": [{
//!     "name": "aws-signed",
//!     "registryScopes": ["*"],
//!     "signatureVerification": { "level": "strict", "override": { "revocation": "log" } },
//!     "trustStores": ["signingAuthority:aws-signer-ts"],
//!     "trustedIdentities": ["arn:aws:signer:us-west-2:111122223333:/signing-profiles/MyProfile"]
//!   }]
//! }"#)?;
//! let verifier = Verifier::new(TrustStore::new()).with_oci_policy(policy);
//!
//! let descriptor = Descriptor::new(
//!     "application/vnd.oci.image.manifest.v1+json",
//!     "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b",
//!     1234,
//! );
//! let request = Request::oci(
//!     b"{}",
//!     "registry.example/app@sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b",
//!     descriptor,
//!     Time::from_unix(1_795_478_400),
//! );
//! let outcome = verifier.verify(&request);
//! assert!(!outcome.is_verified());
//! assert_eq!(outcome.error.unwrap().rule, Some("JWS-03"));
//! # Ok::<(), verify::Error>(())
//! ```
#![deny(unsafe_code)]
#![deny(missing_docs)]

mod alg;
pub mod aws;
mod b64;
mod cert;
mod chain;
mod chain_cache;
mod crl;
#[doc(hidden)]
pub mod crypto;
mod envelope;
pub mod error;
#[cfg(feature = "ffi")]
#[allow(unsafe_code)]
pub mod ffi;
mod header;
mod identity;
mod json;
mod limits;
mod ocsp;
pub mod outcome;
mod payload;
pub mod policy;
pub mod revocation;
mod signed_data;
pub mod store;
#[cfg(test)]
mod test_der;
#[cfg(test)]
mod test_rng;
mod time;
mod timestamp;
mod tsa_chain;
mod x509;

/// Hooks for the fuzz targets (`fuzz/`); not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    /// Decodes a DER certificate with the verifier's borrowed decoder and with
    /// x509-cert; `Err` names where they differ (acceptance, a field, or a
    /// rendered name). `Ok(accepted)` otherwise.
    pub fn compare_certificate_decoders(der: &[u8]) -> Result<bool, String> {
        crate::x509::compare_with_x509_cert(der)
    }

    /// Decodes a DER CRL with the verifier's borrowed decoder and with x509-cert;
    /// `Err` names where they differ (acceptance or a field). `Ok(accepted)`
    /// otherwise.
    pub fn compare_crl_decoders(der: &[u8]) -> Result<bool, String> {
        crate::x509::compare_crl_with_x509_cert(der)
    }

    /// Parses an RFC 3161 timestamp token with the verifier's parser and with the
    /// owned types of the `cms` crate; `Err` names where they differ (acceptance,
    /// error code, certificates and their order, signer infos, content, times).
    /// `Ok(accepted)` otherwise.
    pub fn compare_timestamp_token_parsers(token: &[u8]) -> Result<bool, String> {
        crate::timestamp::compare_with_cms(token)
    }

    /// Parses JSON into the owned tree (`serde_json::Value`) and the borrowed one
    /// the envelope is read with; `Err` says how they differ (acceptance, error,
    /// values). `Ok(accepted)` otherwise.
    pub fn compare_json_trees(bytes: &[u8]) -> Result<bool, String> {
        crate::json::compare_trees(bytes, crate::Limits::default().max_json_depth)
    }
}
pub mod verifier;

pub use alg::Algorithm;
pub use envelope::JWS_MEDIA_TYPE;
pub use error::{Error, ErrorCode};
pub use header::{SigningScheme, PAYLOAD_CONTENT_TYPE};
pub use limits::Limits;
pub use outcome::{
    Check, CheckResult, Failure, Outcome, SignatureFacts, Status, TimestampFacts, Verdict,
};
pub use payload::Descriptor;
pub use policy::{BlobTrustPolicy, OciTrustPolicy};
pub use revocation::RevocationEvidence;
pub use store::TrustStore;
pub use time::{HeaderTime, Time};
pub use verifier::{inspect, Request, Target, Verifier};

/// The README's examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
