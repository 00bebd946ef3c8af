//! Revocation without network: the host hands over evidence it fetched itself.
//!
//! Certificates without OCSP or CRL pointers are not revocable (as in notation).
//! A certificate with pointers and no usable evidence has an unknown status, which
//! fails the revocation check (enforced or logged per the policy).

use crate::aws::RevocationAnswer;
use crate::cert::Cert;
use crate::error::{err, Error, ErrorCode};
use crate::time::Time;

/// Revocation evidence a host fetched itself and passes to the verifier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RevocationEvidence {
    /// The answer of AWS's `signer:GetRevocationStatus` for an AWS Signer signature.
    pub aws: Option<RevocationAnswer>,
}

impl RevocationEvidence {
    /// No evidence.
    pub fn none() -> Self {
        Self::default()
    }

    /// Evidence consisting of an AWS Signer revocation answer.
    pub fn with_aws_answer(mut self, answer: RevocationAnswer) -> Self {
        self.aws = Some(answer);
        self
    }
}

/// The revocation status of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChainStatus {
    /// Nothing is revoked (or nothing is revocable).
    Good,
    /// Some certificate is revoked.
    Revoked(Error),
    /// Some certificate's status cannot be determined.
    Unknown(Error),
}

/// Decides the revocation status of `chain` (leaf first) at `now` from `evidence`.
pub(crate) fn check_chain(chain: &[Cert], _evidence: &RevocationEvidence, _now: Time, what: &str) -> ChainStatus {
    let revocable = chain
        .iter()
        .take(chain.len().saturating_sub(1))
        .enumerate()
        .find(|(_, c)| !c.ocsp_urls.is_empty() || !c.crl_urls.is_empty());
    match revocable {
        None => ChainStatus::Good,
        Some((i, cert)) => {
            let urls: Vec<&str> = cert.ocsp_urls.iter().chain(&cert.crl_urls).map(String::as_str).collect();
            ChainStatus::Unknown(err(
                ErrorCode::RevocationUnknown,
                format!(
                    "the revocation status of {what} certificate {} cannot be determined offline; fetch {} and pass the response as revocation evidence, or set the policy's revocation override to log or skip",
                    i + 1,
                    urls.join(", ")
                ),
            ))
        }
    }
}
