//! The result of a verification, shaped like notation-go's, serialisable to the
//! stable JSON schema documented in `docs/outcome.md` and shared by the C and WASM
//! layers.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::aws::AwsSignature;
use crate::cert::Cert;
use crate::chain_cache::ParsedChain;
use crate::error::{Error, ErrorCode};
use crate::payload::Descriptor;
use crate::policy::{Action, LevelName};
use crate::timestamp::TokenCertificates;

/// Version of the outcome JSON schema.
pub const SCHEMA_VERSION: u32 = 1;

/// The overall decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Every enforced check passed.
    Verified,
    /// An enforced check failed, or the input or policy was unusable.
    Rejected,
    /// The trust policy says `skip`: nothing was verified.
    Skipped,
}

/// The five verification checks of the Notary Project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Check {
    /// Envelope, signature, header, chain and target (always enforced).
    Integrity,
    /// Trust store and trusted identity.
    Authenticity,
    /// Certificate validity at the verification time, timestamp or authentic
    /// signing time.
    AuthenticTimestamp,
    /// The signature's expiry.
    Expiry,
    /// Revocation of the signing chain.
    Revocation,
}

impl Check {
    /// All checks, in the order they run.
    pub const ALL: [Check; 5] = [
        Check::Integrity,
        Check::Authenticity,
        Check::AuthenticTimestamp,
        Check::Expiry,
        Check::Revocation,
    ];

    /// The name used in trust policies and JSON (`authenticTimestamp`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Check::Integrity => "integrity",
            Check::Authenticity => "authenticity",
            Check::AuthenticTimestamp => "authenticTimestamp",
            Check::Expiry => "expiry",
            Check::Revocation => "revocation",
        }
    }
}

/// What happened to one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// The check ran and passed.
    Passed,
    /// The check ran and failed (see its action for whether that mattered).
    Failed,
    /// The policy skips this check.
    Skipped,
    /// The check could not be decided offline (revocation without evidence).
    Unavailable,
    /// An earlier enforced failure ended verification before this check.
    NotRun,
}

/// A failure: stable code, catalogue rule, and one actionable sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The stable error code.
    pub code: ErrorCode,
    /// The rejection-catalogue ID, e.g. `HDR-07`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// What is wrong and what to do.
    pub message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure {
            code: e.code(),
            rule: e.rule(),
            message: e.message().to_owned(),
        }
    }
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// Which check.
    pub check: Check,
    /// What the policy does with a failure of this check.
    pub action: Action,
    /// What happened.
    pub status: Status,
    /// Why it failed or was unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
}

/// One certificate of a chain, as `notation inspect` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateFacts {
    /// Lower-case hex SHA-256 of the DER.
    pub sha256_fingerprint: String,
    /// Subject, rendered as notation renders it.
    pub issued_to: String,
    /// Issuer, rendered as notation renders it.
    pub issued_by: String,
    /// notBefore, RFC 3339.
    pub not_before: String,
    /// notAfter, RFC 3339.
    pub expiry: String,
    /// OCSP responder URLs (Authority Information Access).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ocsp_urls: Vec<String>,
    /// CRL distribution point URLs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub crl_urls: Vec<String>,
}

impl CertificateFacts {
    /// The facts of a chain (leaf first), rendering each name once: an issuer that
    /// is the next certificate's subject, or a self-issued certificate's own
    /// subject, reads the same.
    /// `first_subject` is the first certificate's subject when already rendered.
    pub(crate) fn of_chain<'a>(
        certs: impl IntoIterator<Item = &'a Cert>,
        mut first_subject: Option<String>,
    ) -> Vec<Self> {
        let certs: Vec<&Cert> = certs.into_iter().collect();
        let subjects: Vec<String> = certs
            .iter()
            .map(|c| first_subject.take().unwrap_or_else(|| c.subject_text()))
            .collect();
        certs
            .iter()
            .enumerate()
            .map(|(i, cert)| {
                let issued_by = if cert.is_self_issued() {
                    subjects[i].clone()
                } else {
                    match certs.get(i + 1) {
                        Some(next) if next.subject_raw() == cert.issuer_raw() => {
                            subjects[i + 1].clone()
                        }
                        _ => cert.issuer_text(),
                    }
                };
                Self {
                    sha256_fingerprint: cert.fingerprint(),
                    issued_to: subjects[i].clone(),
                    issued_by,
                    not_before: cert.not_before.to_rfc3339(),
                    expiry: cert.not_after.to_rfc3339(),
                    ocsp_urls: cert.ocsp_urls.clone(),
                    crl_urls: cert.crl_urls.clone(),
                }
            })
            .collect()
    }
}

/// The certificates of a chain as `notation inspect` shows them, in chain order.
///
/// Reads as a slice of [`CertificateFacts`] (`list.len()`, `list[0]`,
/// `list.iter()`, …) and serializes as a JSON array. A verification that nobody
/// inspects should not pay for rendering names, times and fingerprints, so the
/// facts of a verified chain are rendered when the list is first read, once (a
/// chain the verifier caches renders them once for all its outcomes), and
/// clones share them.
#[derive(Clone)]
pub struct CertificateList(Arc<Pending>);

/// Where a [`CertificateList`]'s facts come from.
enum Pending {
    /// Facts given whole.
    Ready(Vec<CertificateFacts>),
    /// A parsed `x5c` chain, which renders its facts once.
    Chain(Arc<ParsedChain>),
    /// A timestamp token's certificates, in this order (indexes into them).
    Token {
        certificates: Arc<TokenCertificates>,
        order: Vec<usize>,
        facts: OnceLock<Vec<CertificateFacts>>,
    },
}

impl CertificateList {
    /// The facts of an `x5c` chain, rendered when first read.
    pub(crate) fn of_chain(chain: Arc<ParsedChain>) -> Self {
        Self(Arc::new(Pending::Chain(chain)))
    }

    /// The facts of a token's certificates in `order`, rendered when first read.
    pub(crate) fn of_token(certificates: Arc<TokenCertificates>, order: Vec<usize>) -> Self {
        Self(Arc::new(Pending::Token {
            certificates,
            order,
            facts: OnceLock::new(),
        }))
    }
}

impl CertificateList {
    /// Whether the facts were rendered (read at least once, or given whole).
    #[cfg(test)]
    pub(crate) fn is_rendered(&self) -> bool {
        match &*self.0 {
            Pending::Ready(_) => true,
            Pending::Chain(chain) => chain.facts_rendered(),
            Pending::Token { facts, .. } => facts.get().is_some(),
        }
    }
}

impl Default for CertificateList {
    /// No certificates.
    fn default() -> Self {
        Vec::new().into()
    }
}

impl From<Vec<CertificateFacts>> for CertificateList {
    fn from(facts: Vec<CertificateFacts>) -> Self {
        Self(Arc::new(Pending::Ready(facts)))
    }
}

impl Deref for CertificateList {
    type Target = [CertificateFacts];

    fn deref(&self) -> &[CertificateFacts] {
        match &*self.0 {
            Pending::Ready(facts) => facts,
            Pending::Chain(chain) => chain.facts(),
            Pending::Token {
                certificates,
                order,
                facts,
            } => facts.get_or_init(|| {
                let all = certificates.facts();
                order.iter().filter_map(|&i| all.get(i).cloned()).collect()
            }),
        }
    }
}

impl<'a> IntoIterator for &'a CertificateList {
    type Item = &'a CertificateFacts;
    type IntoIter = std::slice::Iter<'a, CertificateFacts>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for CertificateList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for CertificateList {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for CertificateList {}

impl Serialize for CertificateList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// What a signature says, whether or not it verified.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureFacts {
    /// The envelope media type (`application/jose+json`).
    pub media_type: String,
    /// The JWS `alg` (`ES384`, …).
    pub algorithm: String,
    /// The algorithm as notation names it (`ECDSA-SHA-384`, …).
    pub signature_algorithm: String,
    /// `cty`.
    pub content_type: String,
    /// `notary.x509` or `notary.x509.signingAuthority`.
    pub signing_scheme: String,
    /// The signing time (or authentic signing time) as written, RFC 3339.
    pub signing_time: String,
    /// Whether `signing_time` is the authentic signing time of a Signing Authority.
    pub authentic_signing_time: bool,
    /// The expiry as written, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    /// `io.cncf.notary.verificationPlugin`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_plugin: Option<String>,
    /// `io.cncf.notary.verificationPluginMinVersion`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_plugin_min_version: Option<String>,
    /// Every signed extended attribute (plugin headers included), by key.
    pub extended_attributes: BTreeMap<String, Value>,
    /// The `crit` list.
    pub critical: Vec<String>,
    /// Unsigned `io.cncf.notary.signingAgent`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_agent: Option<String>,
    /// Whether the envelope carries an RFC 3161 timestamp countersignature.
    pub has_timestamp: bool,
    /// The x5c chain, leaf first.
    pub certificates: CertificateList,
    /// The signed target descriptor (annotations are the user-defined attributes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_artifact: Option<Descriptor>,
    /// AWS Signer specifics, for signatures naming the AWS Signer plugin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsSignature>,
    /// The RFC 3161 timestamp countersignature as its token states it (read, not
    /// verified: the `authenticTimestamp` check says whether it verified).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<TimestampFacts>,
}

/// What an RFC 3161 timestamp token states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimestampFacts {
    /// genTime, RFC 3339.
    pub gen_time: String,
    /// genTime − accuracy, RFC 3339.
    pub lower: String,
    /// genTime + accuracy, RFC 3339.
    pub upper: String,
    /// The certificates the token carries, signing certificate first: the
    /// timestamp authority's chain, with the OCSP and CRL URLs a host fetches
    /// revocation evidence from.
    pub certificates: CertificateList,
}

/// The outcome of [`crate::Verifier::verify`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// Schema version of this JSON ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The decision.
    pub verdict: Verdict,
    /// The verification level applied, if a policy statement applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<LevelName>,
    /// The trust policy statement applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The verification time used, RFC 3339.
    pub verification_time: String,
    /// The five checks, in order.
    pub checks: Vec<CheckResult>,
    /// The failure that decided a rejection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
    /// What the signature says (present once the envelope could be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureFacts>,
}

impl Outcome {
    /// Whether the verdict is [`Verdict::Verified`].
    pub fn is_verified(&self) -> bool {
        self.verdict == Verdict::Verified
    }

    /// The result of one check.
    pub fn check(&self, check: Check) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.check == check)
    }

    /// Failures that were only logged (the policy's action was `log`).
    pub fn logged(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| {
            c.action == Action::Log && matches!(c.status, Status::Failed | Status::Unavailable)
        })
    }

    /// The outcome as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!("{{\"error\":\"outcome serialization failed: {e}\"}}"))
    }
}
