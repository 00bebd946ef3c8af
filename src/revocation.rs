//! Revocation without network (spec §10): the host fetches CRLs and OCSP
//! responses itself and hands the DER bytes over as [`RevocationEvidence`]; the
//! verifier checks them as notation-core-go checks what it downloads.
//!
//! Per certificate of a chain (the root is never revocable): a certificate with
//! OCSP URLs is judged by a matching OCSP response; when that gives no answer and
//! the certificate has CRL distribution points, by its issuer's CRL (plus delta
//! CRL); a certificate with CRL pointers only, by the CRL. A certificate without
//! pointers is not revocable. A certificate with pointers and no usable evidence
//! has an unknown status, which fails the revocation check (enforced or logged per
//! the policy); the message names the URLs to fetch.

use std::borrow::Borrow;
use std::sync::Arc;

use crate::aws::RevocationAnswer;
use crate::cert::Cert;
use crate::chain_cache::Known;
use crate::crl;
use crate::error::{err, Error, ErrorCode};
use crate::ocsp;
use crate::time::Time;

/// Most CRLs, and most OCSP responses, one request may carry.
pub const MAX_EVIDENCE_ITEMS: usize = 64;

/// Revocation evidence a host fetched itself and passes to the verifier.
///
/// CRLs and OCSP responses are DER, as served by the URLs in
/// `SignatureFacts.certificates[].crlUrls` / `ocspUrls` (signing chain) and
/// `SignatureFacts.timestamp.certificates[]` (timestamp authority chain). Order
/// does not matter; each is matched to the certificates it speaks about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RevocationEvidence {
    /// The answer of AWS's `signer:GetRevocationStatus` for an AWS Signer signature.
    pub aws: Option<RevocationAnswer>,
    /// DER CRLs (base and delta CRLs).
    pub crls: Vec<Vec<u8>>,
    /// DER OCSP responses (`OCSPResponse`, as an OCSP responder returns it).
    pub ocsp: Vec<Vec<u8>>,
}

impl RevocationEvidence {
    /// No evidence.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds an AWS Signer revocation answer.
    pub fn with_aws_answer(mut self, answer: RevocationAnswer) -> Self {
        self.aws = Some(answer);
        self
    }

    /// Adds a DER CRL.
    pub fn with_crl(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.crls.push(der.into());
        self
    }

    /// Adds a DER OCSP response.
    pub fn with_ocsp(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.ocsp.push(der.into());
        self
    }
}

/// Which chain is checked; decides the wording of failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// The signature's x5c chain (REV-01/02/03).
    CodeSigning,
    /// The timestamp authority's chain (reported as TSA-16 by the caller).
    Timestamping,
}

impl Purpose {
    fn chain(self) -> &'static str {
        match self {
            Purpose::CodeSigning => "signing chain",
            Purpose::Timestamping => "timestamp authority chain",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Purpose::CodeSigning => ", or set the policy's revocation override to log or skip",
            Purpose::Timestamping => {
                " (the policy's revocation override does not apply to the timestamp authority)"
            }
        }
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

/// The revocation status of one certificate, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CertStatus {
    Good,
    Revoked(String),
    Unknown(String),
}

/// The evidence, parsed.
struct Parsed {
    crls: Vec<Arc<crl::Crl>>,
    ocsp: Vec<ocsp::Response>,
}

impl Parsed {
    fn new(evidence: &RevocationEvidence, known: &Known<'_>) -> Result<Self, Error> {
        if evidence.crls.len() > MAX_EVIDENCE_ITEMS || evidence.ocsp.len() > MAX_EVIDENCE_ITEMS {
            return Err(err(
                ErrorCode::LimitExceeded,
                format!("at most {MAX_EVIDENCE_ITEMS} CRLs and {MAX_EVIDENCE_ITEMS} OCSP responses may be passed as revocation evidence"),
            ));
        }
        let failed = |detail: String| {
            err(
                ErrorCode::RevocationCheckFailed,
                format!("the revocation evidence is unusable: {detail}; pass the DER bytes exactly as the CRL distribution point or OCSP responder served them"),
            )
        };
        Ok(Self {
            crls: evidence
                .crls
                .iter()
                .enumerate()
                .map(|(i, der)| {
                    known
                        .crl(der)
                        .map_err(|e| failed(format!("CRL {}: {e}", i + 1)))
                })
                .collect::<Result<_, _>>()?,
            ocsp: evidence
                .ocsp
                .iter()
                .enumerate()
                .map(|(i, der)| {
                    ocsp::Response::parse(der, known.remembers())
                        .map_err(|e| failed(format!("OCSP response {}: {e}", i + 1)))
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Decides the revocation status of `chain` (leaf first, root last) at `now` from
/// `evidence` (spec §10.2). `signing_time` is the Signing Authority's authentic
/// signing time, compared with invalidity dates; `None` for `notary.x509`.
pub(crate) fn check_chain<C: Borrow<Cert>>(
    chain: &[C],
    evidence: &RevocationEvidence,
    now: Time,
    signing_time: Option<Time>,
    purpose: Purpose,
    known: &Known<'_>,
) -> ChainStatus {
    let revocable = chain.len().saturating_sub(1);
    if !chain[..revocable]
        .iter()
        .map(Borrow::borrow)
        .any(|c: &Cert| !c.ocsp_urls.is_empty() || !c.crl_urls.is_empty())
    {
        return ChainStatus::Good;
    }
    let parsed = match Parsed::new(evidence, known) {
        Ok(p) => p,
        Err(e) => return ChainStatus::Unknown(e),
    };
    let mut unknown = None;
    for i in 0..revocable {
        let (cert, issuer): (&Cert, &Cert) = (chain[i].borrow(), chain[i + 1].borrow());
        let crl_status = || crl::status(cert, issuer, &parsed.crls, now, signing_time, known);
        let status = if !cert.ocsp_urls.is_empty() {
            match ocsp::status(cert, issuer, &parsed.ocsp, now, signing_time, known) {
                CertStatus::Unknown(why) if !cert.crl_urls.is_empty() => match crl_status() {
                    CertStatus::Unknown(crl_why) => {
                        CertStatus::Unknown(format!("OCSP: {why}; CRL: {crl_why}"))
                    }
                    other => other,
                },
                other => other,
            }
        } else if !cert.crl_urls.is_empty() {
            crl_status()
        } else {
            CertStatus::Good
        };
        let what = || {
            format!(
                "{} certificate {} (\"{}\")",
                purpose.chain(),
                i + 1,
                cert.subject_text()
            )
        };
        match status {
            CertStatus::Good => {}
            CertStatus::Revoked(why) => {
                return ChainStatus::Revoked(err(
                    ErrorCode::CertificateRevoked,
                    format!(
                        "{} is revoked: {why}; the signature must not be trusted",
                        what()
                    ),
                ))
            }
            CertStatus::Unknown(why) => {
                if unknown.is_none() {
                    let delta_urls = crl::delta_urls(cert);
                    let urls: Vec<&str> = cert
                        .ocsp_urls
                        .iter()
                        .chain(&cert.crl_urls)
                        .chain(&delta_urls)
                        .map(String::as_str)
                        .collect();
                    unknown = Some(err(
                        ErrorCode::RevocationUnknown,
                        format!(
                            "the revocation status of {} cannot be determined offline: {why}; fetch {} and pass the response as revocation evidence{}",
                            what(),
                            urls.join(", "),
                            purpose.hint()
                        ),
                    ));
                }
            }
        }
    }
    match unknown {
        Some(e) => ChainStatus::Unknown(e),
        None => ChainStatus::Good,
    }
}
