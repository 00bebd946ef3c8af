//! The result of a verification, shaped like notation-go's, serialisable to the
//! stable JSON schema documented in `docs/outcome.md` and shared by the C and WASM
//! layers.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::aws::AwsSignature;
use crate::cert::Cert;
use crate::error::{Error, ErrorCode};
use crate::payload::Descriptor;
use crate::policy::{Action, LevelName};

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
    pub(crate) fn of_chain<'a>(certs: impl IntoIterator<Item = &'a Cert>) -> Vec<Self> {
        let certs: Vec<&Cert> = certs.into_iter().collect();
        let subjects: Vec<String> = certs.iter().map(|c| c.subject_text()).collect();
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
    pub certificates: Vec<CertificateFacts>,
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
    pub certificates: Vec<CertificateFacts>,
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
