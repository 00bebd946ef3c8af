//! Trying the signatures of one artifact in order: like notation, the first that
//! verifies wins, and every attempt is reported.

use verify::policy::LevelName;
use verify::{OciTrustPolicy, Outcome, Request, Verdict, Verifier};

/// Most signatures tried for one artifact (notation's `--max-signatures` default).
pub const MAX_ATTEMPTS: usize = 100;

/// A signature found for an artifact: a label (the signature manifest digest or
/// the envelope file) and the envelope with its media type, or why it could not
/// be read.
#[derive(Debug)]
pub struct Candidate {
    /// What identifies the signature to a person.
    pub label: String,
    /// `(envelope media type, envelope bytes)`.
    pub envelope: Result<(String, Vec<u8>), String>,
}

/// One signature tried.
#[derive(Debug)]
pub struct Attempt {
    /// The candidate's label.
    pub label: String,
    /// The core's outcome, or why the envelope could not be read.
    pub result: Result<Outcome, String>,
}

impl Attempt {
    /// Whether this attempt lets the artifact through (verified, or skipped by policy).
    pub fn accepted(&self) -> bool {
        matches!(&self.result, Ok(o) if o.verdict != Verdict::Rejected)
    }
}

/// Verifies `candidates` in order with `request` (its envelope and media type
/// replaced by each candidate's) until one is accepted, trying at most
/// [`MAX_ATTEMPTS`].
pub fn try_in_order(
    verifier: &Verifier,
    request: &Request<'_>,
    candidates: Vec<Candidate>,
) -> Vec<Attempt> {
    let mut attempts = Vec::new();
    for candidate in candidates.into_iter().take(MAX_ATTEMPTS) {
        let result = match &candidate.envelope {
            Ok((media_type, bytes)) => {
                let mut request = request.clone();
                request.envelope = bytes;
                request.envelope_media_type = media_type;
                Ok(verifier.verify(&request))
            }
            Err(why) => Err(why.clone()),
        };
        let attempt = Attempt {
            label: candidate.label,
            result,
        };
        let done = attempt.accepted();
        attempts.push(attempt);
        if done {
            break;
        }
    }
    attempts
}

/// The name of the OCI policy statement for `reference`, if that statement has
/// level `skip` (which needs no signature at all).
pub fn skipping_statement(policy: &OciTrustPolicy, reference: &str) -> Option<String> {
    policy
        .select(reference)
        .ok()
        .filter(|s| s.level.name == LevelName::Skip)
        .map(|s| s.name.clone())
}
