//! The verification algorithm (spec §8): a [`Verifier`] built once from trust
//! policies and a trust store, then [`Verifier::verify`] per signature.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::alg::Algorithm;
use crate::aws;
use crate::cert::{Cert, KeyKind};
use crate::chain;
use crate::chain_cache::{ChainCache, ChainKey, Known, ParsedChain};
use crate::envelope::{self, Envelope, X5c, JWS_MEDIA_TYPE};
use crate::error::{err, Error, ErrorCode};
use crate::header::{self, ProtectedHeader, SigningScheme};
use crate::identity::{self, TrustedSubjects};
use crate::limits::Limits;
use crate::outcome::{
    CertificateList, Check, CheckResult, Failure, Outcome, SignatureFacts, Status, Verdict,
    SCHEMA_VERSION,
};
use crate::payload::{self, Descriptor};
use crate::policy::{
    Action, BlobTrustPolicy, LevelName, OciTrustPolicy, Statement, StoreType, VerificationLevel,
    VerifyTimestamp,
};
use crate::revocation::{self, ChainStatus, Purpose, RevocationEvidence};
use crate::store::TrustStore;
use crate::time::Time;
use crate::timestamp;

/// What is being verified.
#[derive(Debug, Clone)]
pub enum Target<'a> {
    /// An OCI artifact: its reference `registry/repository@digest` (selects the
    /// policy statement) and its descriptor (must equal the signed one).
    Oci {
        /// `registry/repository@sha256:…` (tags must be resolved first).
        reference: &'a str,
        /// The artifact's descriptor.
        descriptor: Descriptor,
    },
    /// A blob with a detached signature.
    Blob {
        /// The blob's bytes (digest and size are computed from them).
        blob: &'a [u8],
        /// The blob policy statement name; `None` selects the global statement.
        policy_name: Option<&'a str>,
        /// The media type the caller expects the signature to name, if any.
        media_type: Option<&'a str>,
    },
}

/// One verification request.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The signature envelope bytes.
    pub envelope: &'a [u8],
    /// The envelope's media type (only `application/jose+json` is supported).
    pub envelope_media_type: &'a str,
    /// What the signature must be for.
    pub target: Target<'a>,
    /// The verification time ("now"). The library never reads a clock.
    pub time: Time,
    /// User metadata that must be present, with these values, among the signed
    /// annotations.
    pub user_metadata: BTreeMap<String, String>,
    /// Revocation evidence the host fetched.
    pub revocation: RevocationEvidence,
}

impl<'a> Request<'a> {
    /// A request for an OCI artifact.
    pub fn oci(envelope: &'a [u8], reference: &'a str, descriptor: Descriptor, time: Time) -> Self {
        Self::new(
            envelope,
            Target::Oci {
                reference,
                descriptor,
            },
            time,
        )
    }

    /// A request for a blob, selecting the global blob policy statement.
    pub fn blob(envelope: &'a [u8], blob: &'a [u8], time: Time) -> Self {
        Self::blob_with(envelope, blob, None, None, time)
    }

    /// A request for a blob with the blob policy statement `policy_name` (`None`:
    /// the global statement) and the media type the signature must name (`None`:
    /// any).
    pub fn blob_with(
        envelope: &'a [u8],
        blob: &'a [u8],
        policy_name: Option<&'a str>,
        media_type: Option<&'a str>,
        time: Time,
    ) -> Self {
        Self::new(
            envelope,
            Target::Blob {
                blob,
                policy_name,
                media_type,
            },
            time,
        )
    }

    fn new(envelope: &'a [u8], target: Target<'a>, time: Time) -> Self {
        Self {
            envelope,
            envelope_media_type: JWS_MEDIA_TYPE,
            target,
            time,
            user_metadata: BTreeMap::new(),
            revocation: RevocationEvidence::default(),
        }
    }

    /// Requires signed user metadata `key=value`.
    pub fn require_metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.user_metadata.insert(key.into(), value.into());
        self
    }

    /// Sets the envelope media type.
    pub fn envelope_media_type(mut self, media_type: &'a str) -> Self {
        self.envelope_media_type = media_type;
        self
    }

    /// Supplies revocation evidence.
    pub fn revocation(mut self, evidence: RevocationEvidence) -> Self {
        self.revocation = evidence;
        self
    }
}

/// A verifier: trust policies plus trust store, built once and shared freely
/// (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct Verifier {
    oci: Option<OciTrustPolicy>,
    blob: Option<BlobTrustPolicy>,
    store: TrustStore,
    limits: Limits,
    cache: Option<Arc<ChainCache>>,
    /// The trusted identities of each OCI statement, parsed once (same order).
    oci_subjects: Arc<[TrustedSubjects]>,
    /// The same for the blob statements.
    blob_subjects: Arc<[TrustedSubjects]>,
}

/// A signature whose integrity checks passed.
struct Integral<'a> {
    envelope: Envelope<'a>,
    header: ProtectedHeader,
    chain: Arc<ParsedChain>,
    /// The timestamp countersignature, parsed (not verified), if there is one.
    token: Option<Result<timestamp::Token, Error>>,
    target: Descriptor,
    aws: Option<aws::AwsSignature>,
}

impl Verifier {
    /// A verifier with `store` and no policy yet.
    pub fn new(store: TrustStore) -> Self {
        Self {
            oci: None,
            blob: None,
            store,
            limits: Limits::default(),
            cache: None,
            oci_subjects: Arc::new([]),
            blob_subjects: Arc::new([]),
        }
    }

    /// Enables a verified-chain cache of at most `capacity` chains (LRU): a signer
    /// seen before costs one signature verification instead of one per chain link,
    /// and its certificates are neither decoded nor parsed again (the key is the
    /// exact `x5c` text). Timestamp authority links that verified are remembered
    /// too, and so are the signatures of CRLs and OCSP responses that verified
    /// (keyed by the SHA-256 of their DER and of the signer certificate). Parsing
    /// is kept as well: the certificates of timestamp tokens (by the exact bytes
    /// of the token's certificate set) and CRLs (by their SHA-256, up to 4 MiB of
    /// them). Only time-independent checks are cached; validity periods, expiry,
    /// trust, identity and the revocation status itself (freshness, the revoked
    /// list) are evaluated on every call, and only chains that passed validation
    /// are kept.
    /// The cache is shared by clones of this verifier and internally
    /// synchronized. `capacity` 0 disables it.
    pub fn with_chain_cache(mut self, capacity: usize) -> Self {
        self.cache = (capacity > 0).then(|| Arc::new(ChainCache::new(capacity)));
        self
    }

    /// How many chains the verified-chain cache holds (0 without a cache).
    pub fn cached_chains(&self) -> usize {
        self.cache.as_ref().map_or(0, |c| c.len())
    }

    /// Sets the OCI trust policy (`trustpolicy.oci.json`).
    pub fn with_oci_policy(mut self, policy: OciTrustPolicy) -> Self {
        self.oci_subjects = subjects_of(policy.statements());
        self.oci = Some(policy);
        self
    }

    /// Sets the blob trust policy (`trustpolicy.blob.json`).
    pub fn with_blob_policy(mut self, policy: BlobTrustPolicy) -> Self {
        self.blob_subjects = subjects_of(policy.statements());
        self.blob = Some(policy);
        self
    }

    /// The parsed trusted identities of `statement`, one of this verifier's own.
    fn subjects(&self, statement: &Statement) -> Option<&TrustedSubjects> {
        let position =
            |statements: &[Statement]| statements.iter().position(|s| std::ptr::eq(s, statement));
        if let Some(i) = self.oci.as_ref().and_then(|p| position(p.statements())) {
            return self.oci_subjects.get(i);
        }
        let i = self.blob.as_ref().and_then(|p| position(p.statements()))?;
        self.blob_subjects.get(i)
    }

    /// Sets input limits. A chain cache starts empty again: its chains were admitted
    /// under the previous limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        if let Some(cache) = &self.cache {
            self.cache = Some(Arc::new(cache.fresh()));
        }
        self
    }

    /// The trust store.
    pub fn trust_store(&self) -> &TrustStore {
        &self.store
    }

    /// Verifies one signature. Never panics; every problem is reported in the
    /// outcome with a stable code.
    pub fn verify(&self, request: &Request<'_>) -> Outcome {
        let mut run = Run::new(request.time);
        let statement = match self.select(&request.target) {
            Ok(s) => s,
            Err(e) => return run.hard(e),
        };
        run.level = Some(statement.level);
        run.policy = Some(statement.name.clone());
        if statement.level.name == LevelName::Skip {
            return run.skipped();
        }

        let integral = match self.integrity(request, statement, &mut run) {
            Ok(i) => i,
            Err(e) => return run.hard(e),
        };
        let header = &integral.header;
        let chain = &integral.chain.certs;

        // Authenticity: trust store, then trusted identity.
        if run.should_run(Check::Authenticity) {
            let result = self.authenticity(statement, &integral);
            if run.apply(Check::Authenticity, result) {
                return run.finish();
            }
        }

        // Expiry.
        if run.should_run(Check::Expiry) {
            let result = match &header.expiry {
                Some(expiry) if request.time >= expiry.instant => Err(err(
                    ErrorCode::SignatureExpired,
                    format!("the signature expired at {}", expiry.text),
                )),
                _ => Ok(()),
            };
            if run.apply(Check::Expiry, result) {
                return run.finish();
            }
        }

        // Authentic timestamp.
        if run.should_run(Check::AuthenticTimestamp) {
            let result = self.authentic_timestamp(statement, &integral, request);
            if run.apply(Check::AuthenticTimestamp, result) {
                return run.finish();
            }
        }

        // Revocation.
        if run.should_run(Check::Revocation) {
            let status = match &integral.aws {
                Some(_) => match &request.revocation.aws {
                    Some(answer) => match aws::check_revocation_answer(answer) {
                        Ok(()) => ChainStatus::Good,
                        Err(e) => ChainStatus::Revoked(e),
                    },
                    None => ChainStatus::Unknown(err(
                        ErrorCode::AwsRevocationUnavailable,
                        "AWS Signer revocation cannot be checked offline: pass AWS's GetRevocationStatus answer (request inputs are in signature.aws.revocationRequest), or set the policy's revocation override to log or skip",
                    )),
                },
                None => {
                    let authentic_signing_time = (header.scheme == SigningScheme::SigningAuthority).then_some(header.signing_time.instant);
                    revocation::check_chain(chain, &request.revocation, request.time, authentic_signing_time, Purpose::CodeSigning, &self.known())
                }
            };
            let stop = match status {
                ChainStatus::Good => run.apply(Check::Revocation, Ok(())),
                ChainStatus::Revoked(e) => run.apply(Check::Revocation, Err(e)),
                ChainStatus::Unknown(e) => run.unavailable(Check::Revocation, e),
            };
            if stop {
                return run.finish();
            }
        }

        // Target and user metadata (integrity: fatal at every level).
        let target = match &request.target {
            Target::Oci { descriptor, .. } => {
                payload::match_descriptor(&integral.target, descriptor)
            }
            Target::Blob {
                blob, media_type, ..
            } => payload::match_blob(&integral.target, header.alg, blob, *media_type),
        }
        .and_then(|()| payload::match_user_metadata(&integral.target, &request.user_metadata));
        if let Err(e) = target {
            return run.hard(e);
        }
        run.finish()
    }

    fn select(&self, target: &Target<'_>) -> Result<&Statement, Error> {
        match target {
            Target::Oci { reference, .. } => self
                .oci
                .as_ref()
                .ok_or_else(|| {
                    err(
                        ErrorCode::PolicyNotApplicable,
                        "no OCI trust policy (trustpolicy.oci.json) is configured",
                    )
                })?
                .select(reference),
            Target::Blob { policy_name, .. } => self
                .blob
                .as_ref()
                .ok_or_else(|| {
                    err(
                        ErrorCode::PolicyNotApplicable,
                        "no blob trust policy (trustpolicy.blob.json) is configured",
                    )
                })?
                .select(*policy_name),
        }
    }

    /// Integrity (spec §8 step 3–4), plus the AWS plugin's protocol checks.
    fn integrity<'a>(
        &self,
        request: &Request<'a>,
        statement: &Statement,
        run: &mut Run,
    ) -> Result<Integral<'a>, Error> {
        if request.envelope_media_type != JWS_MEDIA_TYPE {
            return Err(err(
                ErrorCode::EnvelopeMediaTypeUnsupported,
                format!(
                    "signature envelope type {} is not supported; only {JWS_MEDIA_TYPE} (JWS) is",
                    request.envelope_media_type
                ),
            ));
        }
        let (envelope, raw, chain, source) = parse_structure(
            request.envelope,
            &self.limits,
            self.cache.as_deref(),
            Some(&self.store),
        )?;
        check_key(&chain.certs[0], raw.alg)?;
        check_signature(&envelope, &chain, raw.alg)?;
        let header = header::validate(&raw)?;
        let token = envelope
            .timestamp
            .as_deref()
            .map(|t| timestamp::parse_with(t, self.cache.as_deref(), Some(&self.store)));
        let mut facts = facts(&envelope, &header, &chain, token.as_ref(), None);
        let target = payload::parse(&envelope.payload, &self.limits)?;
        facts.signed_artifact = Some(target.clone());
        run.facts = Some(facts);
        if let Source::Envelope(key) = source {
            self.validate_chain(&chain, key)?;
        }
        let aws_facts = if header.verification_plugin.as_deref() == Some(aws::PLUGIN_NAME) {
            aws::check_no_wildcard(&statement.trusted_identities)?;
            if statement.level.revocation != Action::Skip
                && header.extended(aws::SIGNING_JOB).is_none()
            {
                return Err(err(
                    ErrorCode::AwsSigningJobInvalid,
                    format!("the AWS Signer signature has no {} attribute, which the revocation check needs", aws::SIGNING_JOB),
                ));
            }
            Some(aws::signature_facts(&header, &chain.certs))
        } else {
            None
        };
        if let Some(f) = run.facts.as_mut() {
            f.aws.clone_from(&aws_facts);
        }
        Ok(Integral {
            envelope,
            header,
            chain,
            token,
            target,
            aws: aws_facts,
        })
    }

    /// What this verifier already verified: its store's roots, its cached links.
    fn known(&self) -> Known<'_> {
        Known::new(&self.store, self.cache.as_deref())
    }

    /// Validates a chain the cache did not hold; remembers it if it passes.
    fn validate_chain(&self, chain: &Arc<ParsedChain>, key: Option<ChainKey>) -> Result<(), Error> {
        chain::validate_code_signing(&chain.certs, &self.known())?;
        if let (Some(cache), Some(key)) = (&self.cache, key) {
            cache.insert(key, Arc::clone(chain));
        }
        Ok(())
    }

    fn authenticity(&self, statement: &Statement, integral: &Integral<'_>) -> Result<(), Error> {
        let store_type = match integral.header.scheme {
            SigningScheme::X509 => StoreType::Ca,
            SigningScheme::SigningAuthority => StoreType::SigningAuthority,
        };
        let mut pooled: Vec<&Arc<Cert>> = Vec::new();
        let mut any = false;
        for store in statement.stores_of(store_type) {
            any = true;
            pooled.extend(self.store.lookup(store)?);
        }
        if !any {
            return Err(err(
                ErrorCode::StoreTypeMissing,
                format!(
                    "trust policy statement \"{}\" names no {store_type} trust store, which {} signatures need",
                    statement.name,
                    integral.header.scheme.as_str()
                ),
            ));
        }
        let trusted = integral
            .chain
            .certs
            .iter()
            .any(|c| pooled.iter().any(|t| t.der == c.der));
        if !trusted {
            let root = integral
                .chain
                .certs
                .last()
                .map(Cert::fingerprint)
                .unwrap_or_default();
            return Err(err(
                ErrorCode::ChainNotTrusted,
                format!(
                    "the certificate chain does not lead to a certificate in the {store_type} trust stores of policy \"{}\" (chain root SHA-256 {root})",
                    statement.name
                ),
            ));
        }
        match &integral.aws {
            Some(aws_facts) => aws::check_identity(&statement.trusted_identities, aws_facts),
            None => {
                // Rendered and parsed only when an identity is not "*".
                let leaf = || (integral.chain.leaf_subject(), integral.chain.leaf_dn());
                match self.subjects(statement) {
                    Some(subjects) => subjects.check(leaf),
                    None => identity::check_trusted_identity(&statement.trusted_identities, leaf),
                }
            }
        }
    }

    fn authentic_timestamp(
        &self,
        statement: &Statement,
        integral: &Integral<'_>,
        request: &Request<'_>,
    ) -> Result<(), Error> {
        let chain = &integral.chain.certs;
        if integral.header.scheme == SigningScheme::SigningAuthority {
            let at = integral.header.signing_time.instant;
            return within_all(chain, at, at, |_, _| {
                (
                    ErrorCode::CertificateInvalidAtSigningTime,
                    format!(
                        "at the authentic signing time {}",
                        integral.header.signing_time.text
                    ),
                )
            });
        }
        let now = request.time;
        let mut perform_tsa = statement.stores_of(StoreType::Tsa).next().is_some();
        if perform_tsa && statement.verify_timestamp == VerifyTimestamp::AfterCertExpiry {
            perform_tsa = chain.iter().any(|c| now > c.not_after);
        }
        if !perform_tsa {
            return within_all(chain, now, now, |cert, now| {
                if now < cert.not_before {
                    (
                        ErrorCode::CertificateNotYetValid,
                        format!("at the verification time {now}"),
                    )
                } else {
                    (
                        ErrorCode::CertificateExpired,
                        format!("at the verification time {now}"),
                    )
                }
            });
        }
        let Some(token) = &integral.token else {
            return Err(err(
                ErrorCode::TimestampMissing,
                format!(
                    "trust policy \"{}\" requires a trusted timestamp but the signature has no timestamp countersignature",
                    statement.name
                ),
            ));
        };
        let mut roots: Vec<Arc<Cert>> = Vec::new();
        for store in statement.stores_of(StoreType::Tsa) {
            roots.extend(self.store.lookup(store)?.iter().cloned());
        }
        let stamp = timestamp::verify(
            token.as_ref().map_err(Error::clone)?,
            &integral.envelope.signature,
            &roots,
            &self.known(),
        )?;
        within_all(chain, stamp.lower, stamp.upper, |cert, _| {
            if stamp.lower < cert.not_before {
                (
                    ErrorCode::TimestampBeforeCertificate,
                    format!("at the timestamp {} (± accuracy)", stamp.gen_time),
                )
            } else {
                (
                    ErrorCode::TimestampAfterCertificate,
                    format!("at the timestamp {} (± accuracy)", stamp.gen_time),
                )
            }
        })?;
        match revocation::check_chain(
            &stamp.certificates,
            &request.revocation,
            now,
            None,
            Purpose::Timestamping,
            &self.known(),
        ) {
            ChainStatus::Good => Ok(()),
            ChainStatus::Revoked(e) | ChainStatus::Unknown(e) => {
                Err(err(ErrorCode::TimestampRevocation, e.message().to_owned()))
            }
        }
    }
}

/// Every certificate must satisfy `notBefore <= lower` and `upper <= notAfter`.
fn within_all(
    chain: &[Cert],
    lower: Time,
    upper: Time,
    code: impl Fn(&Cert, Time) -> (ErrorCode, String),
) -> Result<(), Error> {
    for (i, cert) in chain.iter().enumerate() {
        if lower < cert.not_before || upper > cert.not_after {
            let (code, when) = code(cert, lower);
            return Err(err(
                code,
                format!(
                    "certificate {} of the chain ({}) is not valid {when}: it is valid from {} to {}",
                    i + 1,
                    cert.subject_text(),
                    cert.not_before,
                    cert.not_after
                ),
            ));
        }
    }
    Ok(())
}

/// Where a parsed chain comes from.
enum Source {
    /// The chain cache: already validated.
    Cache,
    /// The envelope: still to be validated, then cached under this key (when the
    /// verifier has a cache).
    Envelope(Option<ChainKey>),
}

/// Envelope syntax, protected header stage 1 and every certificate parsed (or the
/// chain found in the cache).
fn parse_structure<'a>(
    bytes: &'a [u8],
    limits: &Limits,
    cache: Option<&ChainCache>,
    store: Option<&TrustStore>,
) -> Result<(Envelope<'a>, header::RawHeader, Arc<ParsedChain>, Source), Error> {
    let (envelope, x5c) = envelope::parse(bytes, limits, cache)?;
    let raw = header::parse_raw(&envelope.protected, limits)?;
    let (certificates, key) = match x5c {
        X5c::Cached(chain) => return Ok((envelope, raw, chain, Source::Cache)),
        X5c::Der { certificates, key } => (certificates, key),
    };
    let mut chain = Vec::with_capacity(certificates.len());
    for (i, der) in certificates.into_iter().enumerate() {
        if der.len() > limits.max_certificate_bytes {
            return Err(err(
                ErrorCode::LimitExceeded,
                format!(
                    "certificate {} of x5c is {} bytes; the limit is {}",
                    i + 1,
                    der.len(),
                    limits.max_certificate_bytes
                ),
            ));
        }
        chain.push(Cert::parse_owned_or_known(
            der,
            format_args!("certificate {} of x5c", i + 1),
            store,
        )?);
    }
    Ok((
        envelope,
        raw,
        Arc::new(ParsedChain::new(chain)),
        Source::Envelope(key),
    ))
}

/// The signing key must be one of the six key specs and match `alg`.
fn check_key(leaf: &Cert, alg: Algorithm) -> Result<(), Error> {
    match Algorithm::for_key(&leaf.key) {
        Some(implied) if implied == alg => Ok(()),
        Some(implied) => Err(err(
            ErrorCode::AlgKeyMismatch,
            format!(
                "the signature claims {} but the signing certificate's {} key implies {}",
                alg.jws_name(),
                leaf.key.spec_name(),
                implied.jws_name()
            ),
        )),
        None => match leaf.key {
            KeyKind::Rsa { bits } if bits < 2048 => Err(err(
                ErrorCode::LeafKeyTooSmall,
                format!("the signing certificate's RSA key has {bits} bits; at least 2048 are required"),
            )),
            _ => Err(err(
                ErrorCode::KeyUnsupported,
                format!(
                    "the signing certificate's {} key is not allowed; use RSA-2048/3072/4096 or EC P-256/P-384/P-521",
                    leaf.key.spec_name()
                ),
            )),
        },
    }
}

fn check_signature(envelope: &Envelope, chain: &ParsedChain, alg: Algorithm) -> Result<(), Error> {
    if let crate::crypto::Scheme::EcdsaFixed(curve, _) = alg.scheme() {
        if envelope.signature.len() != 2 * curve.scalar_len() {
            return Err(err(
                ErrorCode::SignatureLengthInvalid,
                format!(
                    "an {} signature must be {} bytes (raw r‖s), not {}",
                    alg.jws_name(),
                    2 * curve.scalar_len(),
                    envelope.signature.len()
                ),
            ));
        }
    }
    if chain.leaf_verifies(alg.scheme(), &envelope.signing_input(), &envelope.signature) {
        Ok(())
    } else {
        Err(err(
            ErrorCode::SignatureInvalid,
            "the signature does not verify with the signing certificate's key: the envelope was altered or signed by another key",
        ))
    }
}

/// The trusted identities of each statement, parsed.
fn subjects_of(statements: &[Statement]) -> Arc<[TrustedSubjects]> {
    statements
        .iter()
        .map(|s| TrustedSubjects::parse(&s.trusted_identities))
        .collect()
}

fn facts(
    envelope: &Envelope,
    header: &ProtectedHeader,
    chain: &Arc<ParsedChain>,
    token: Option<&Result<timestamp::Token, Error>>,
    target: Option<Descriptor>,
) -> SignatureFacts {
    SignatureFacts {
        media_type: JWS_MEDIA_TYPE.to_owned(),
        algorithm: header.alg.jws_name().to_owned(),
        signature_algorithm: header.alg.notation_name().to_owned(),
        content_type: header.cty.clone(),
        signing_scheme: header.scheme.as_str().to_owned(),
        signing_time: header.signing_time.text.clone(),
        authentic_signing_time: header.scheme == SigningScheme::SigningAuthority,
        expiry: header.expiry.as_ref().map(|e| e.text.clone()),
        verification_plugin: header.verification_plugin.clone(),
        verification_plugin_min_version: header.plugin_min_version.clone(),
        extended_attributes: header
            .extended
            .iter()
            .map(|(k, v, _)| (k.clone(), v.clone()))
            .collect(),
        critical: header
            .extended
            .iter()
            .filter(|(_, _, c)| *c)
            .map(|(k, _, _)| k.clone())
            .collect(),
        signing_agent: envelope.signing_agent.clone(),
        has_timestamp: envelope.timestamp.is_some(),
        certificates: CertificateList::of_chain(Arc::clone(chain)),
        signed_artifact: target,
        aws: None,
        timestamp: token
            .and_then(|t| t.as_ref().ok())
            .and_then(|t| timestamp::facts(t).ok()),
    }
}

/// Reads a signature without verifying it: the structural checks `notation
/// inspect` runs (envelope, header rules, chain shape and certificate profile,
/// algorithm/key match) but not the signature value, trust or time.
pub fn inspect(envelope_bytes: &[u8]) -> Result<SignatureFacts, Error> {
    let limits = Limits::default();
    let (envelope, raw, chain, _) = parse_structure(envelope_bytes, &limits, None, None)?;
    check_key(&chain.certs[0], raw.alg)?;
    let header = header::validate(&raw)?;
    chain::validate_code_signing(&chain.certs, &Known::nothing())?;
    let target = payload::parse(&envelope.payload, &limits)?;
    let token = envelope.timestamp.as_deref().map(timestamp::parse);
    let mut facts = facts(&envelope, &header, &chain, token.as_ref(), Some(target));
    if header.verification_plugin.as_deref() == Some(aws::PLUGIN_NAME) {
        facts.aws = Some(aws::signature_facts(&header, &chain.certs));
    }
    Ok(facts)
}

/// Accumulates check results.
struct Run {
    time: Time,
    level: Option<VerificationLevel>,
    policy: Option<String>,
    checks: Vec<CheckResult>,
    error: Option<Failure>,
    facts: Option<SignatureFacts>,
}

impl Run {
    fn new(time: Time) -> Self {
        Self {
            time,
            level: None,
            policy: None,
            checks: Vec::new(),
            error: None,
            facts: None,
        }
    }

    fn action(&self, check: Check) -> Action {
        match &self.level {
            None => Action::Enforce,
            Some(level) => match check {
                Check::Integrity => level.integrity,
                Check::Authenticity => level.authenticity,
                Check::AuthenticTimestamp => level.authentic_timestamp,
                Check::Expiry => level.expiry,
                Check::Revocation => level.revocation,
            },
        }
    }

    fn should_run(&mut self, check: Check) -> bool {
        if self.action(check) == Action::Skip {
            self.push(check, Status::Skipped, None);
            return false;
        }
        true
    }

    fn push(&mut self, check: Check, status: Status, error: Option<Failure>) {
        let action = self.action(check);
        self.checks.push(CheckResult {
            check,
            action,
            status,
            error,
        });
    }

    /// Records a result; returns whether verification must stop.
    fn apply(&mut self, check: Check, result: Result<(), Error>) -> bool {
        match result {
            Ok(()) => {
                self.push(check, Status::Passed, None);
                false
            }
            Err(e) => self.failed(check, Status::Failed, e),
        }
    }

    fn unavailable(&mut self, check: Check, e: Error) -> bool {
        self.failed(check, Status::Unavailable, e)
    }

    fn failed(&mut self, check: Check, status: Status, e: Error) -> bool {
        let failure = Failure::from(e);
        self.push(check, status, Some(failure.clone()));
        if self.action(check) == Action::Enforce {
            self.error = Some(failure);
            return true;
        }
        false
    }

    /// A failure that is fatal at every level: reported under integrity.
    fn hard(mut self, e: Error) -> Outcome {
        let failure = Failure::from(e);
        self.checks.retain(|c| c.check != Check::Integrity);
        self.checks.insert(
            0,
            CheckResult {
                check: Check::Integrity,
                action: Action::Enforce,
                status: Status::Failed,
                error: Some(failure.clone()),
            },
        );
        self.error = Some(failure);
        self.finish()
    }

    fn skipped(mut self) -> Outcome {
        for check in Check::ALL {
            self.push(check, Status::Skipped, None);
        }
        self.outcome(Verdict::Skipped)
    }

    fn finish(mut self) -> Outcome {
        if !self.checks.iter().any(|c| c.check == Check::Integrity) {
            self.checks.insert(
                0,
                CheckResult {
                    check: Check::Integrity,
                    action: Action::Enforce,
                    status: Status::Passed,
                    error: None,
                },
            );
        }
        for check in Check::ALL {
            if !self.checks.iter().any(|c| c.check == check) {
                self.push(check, Status::NotRun, None);
            }
        }
        self.checks
            .sort_by_key(|c| Check::ALL.iter().position(|k| *k == c.check));
        let verdict = if self.error.is_some() {
            Verdict::Rejected
        } else {
            Verdict::Verified
        };
        self.outcome(verdict)
    }

    fn outcome(self, verdict: Verdict) -> Outcome {
        Outcome {
            schema_version: SCHEMA_VERSION,
            verdict,
            level: self.level.map(|l| l.name),
            policy: self.policy,
            verification_time: self.time.to_rfc3339(),
            checks: self.checks,
            error: self.error,
            signature: self.facts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Vec<u8> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        std::fs::read(root.join(path)).unwrap()
    }

    /// A verifier parses its statements' trusted identities once and finds them
    /// again for its own statements (also in a clone); a statement of another
    /// policy object is parsed when checked.
    #[test]
    fn trusted_identities_are_parsed_once_per_statement() {
        let policy = OciTrustPolicy::from_json(&fixture("config/trustpolicy.json")).unwrap();
        let verifier = Verifier::new(TrustStore::new()).with_oci_policy(policy.clone());
        let clone = verifier.clone();
        for v in [&verifier, &clone] {
            let statements = v.oci.as_ref().unwrap().statements();
            assert!(statements.len() > 1);
            for (i, statement) in statements.iter().enumerate() {
                let subjects = v.subjects(statement).unwrap();
                assert!(std::ptr::eq(subjects, &v.oci_subjects[i]));
            }
        }
        assert!(verifier.subjects(&policy.statements()[0]).is_none());
    }

    /// Cold: one envelope signature plus one per chain link — the trusted root's
    /// self-signature was verified when the store was built. Warm (cached chain): one.
    #[test]
    fn crypto_work_is_the_floor_and_the_cache_removes_the_links() {
        let mut store = TrustStore::new();
        store
            .add(
                "signingAuthority:test-signer",
                &fixture(
                    "config/truststore/x509/signingAuthority/test-signer/test-signer-root.pem",
                ),
            )
            .unwrap();
        let policy = OciTrustPolicy::from_json(&fixture("config/trustpolicy.json")).unwrap();
        let verifier = Verifier::new(store)
            .with_oci_policy(policy)
            .with_chain_cache(4);
        let envelope = fixture("envelopes/valid/sa-aws-es384.jws");
        let descriptor = Descriptor::of_content(
            "application/vnd.oci.image.manifest.v1+json",
            &fixture("artifact/manifest.json"),
        );
        let reference = format!("registry.example/aws-app@{}", descriptor.digest);
        let request = Request::oci(
            &envelope,
            &reference,
            descriptor,
            Time::from_unix(1_795_478_400),
        );

        let before = crate::crypto::verifications();
        assert!(verifier.verify(&request).is_verified());
        assert_eq!(
            crate::crypto::verifications() - before,
            4,
            "envelope + 3 links, root not re-verified"
        );

        let before = crate::crypto::verifications();
        assert!(verifier.verify(&request).is_verified());
        assert_eq!(
            crate::crypto::verifications() - before,
            1,
            "warm: the envelope signature only"
        );
    }

    /// The timestamped fixture: a verifier with a chain cache of 4 that trusts
    /// it, the envelope, its reference and descriptor, and a good CRL for the TSA.
    fn timestamped() -> (Verifier, Vec<u8>, String, Descriptor, Vec<u8>) {
        let mut store = TrustStore::new();
        store
            .add("ca:signer", &fixture("timestamp/certs/signer-root.pem"))
            .unwrap();
        store
            .add("tsa:ts", &fixture("timestamp/certs/tsa-root.pem"))
            .unwrap();
        let policy = OciTrustPolicy::from_json(
            br#"{"version": "1.0", "trustPolicies": [{"name": "ts", "registryScopes": ["*"],
                "signatureVerification": {"level": "strict", "verifyTimestamp": "always"},
                "trustStores": ["ca:signer", "tsa:ts"], "trustedIdentities": ["*"]}]}"#,
        )
        .unwrap();
        let envelope = fixture("timestamp/envelopes/valid.jws");
        let descriptor = inspect(&envelope).unwrap().signed_artifact.unwrap();
        let reference = format!("registry.example/ts@{}", descriptor.digest);
        let verifier = Verifier::new(store)
            .with_oci_policy(policy)
            .with_chain_cache(4);
        let crl = fixture("timestamp/crl/tsa-good.crl");
        (verifier, envelope, reference, descriptor, crl)
    }

    fn timestamped_request<'a>(
        envelope: &'a [u8],
        reference: &'a str,
        descriptor: &Descriptor,
        crl: Vec<u8>,
    ) -> Request<'a> {
        Request::oci(
            envelope,
            reference,
            descriptor.clone(),
            Time::parse_rfc3339("2026-11-24T00:00:00Z").unwrap(),
        )
        .revocation(RevocationEvidence::none().with_crl(crl))
    }

    /// A timestamped signature: the envelope and its one link, the token's
    /// signature, the TSA link and the CRL's signature — the TSA link once, and
    /// neither root's self-signature (both verified when the store was built).
    #[test]
    fn timestamped_crypto_work_is_the_floor() {
        let (verifier, envelope, reference, descriptor, good) = timestamped();
        let with_crl = |crl| timestamped_request(&envelope, &reference, &descriptor, crl);
        let request = with_crl(good.clone());

        let before = crate::crypto::verifications();
        let outcome = verifier.verify(&request);
        assert!(outcome.is_verified(), "{}", outcome.to_json());
        assert_eq!(crate::crypto::verifications() - before, 5);

        let before = crate::crypto::verifications();
        assert!(verifier.verify(&request).is_verified());
        assert_eq!(
            crate::crypto::verifications() - before,
            2,
            "warm: both chains' links and the CRL's signature are cached; the envelope and the token are new"
        );

        // Other CRL bytes are other evidence: their signature is verified (this
        // CRL lists the TSA certificate as revoked).
        let work = |request: &Request<'_>| {
            let before = crate::crypto::verifications();
            let outcome = verifier.verify(request);
            (
                outcome.is_verified(),
                crate::crypto::verifications() - before,
            )
        };
        assert_eq!(
            work(&with_crl(fixture("timestamp/crl/tsa-revoked.crl"))),
            (false, 3)
        );
        // A signature that fails is never remembered: verified again on every call.
        let mut forged = good.clone();
        *forged.last_mut().unwrap() ^= 1;
        assert_eq!(work(&with_crl(forged.clone())), (false, 3));
        assert_eq!(work(&with_crl(forged)), (false, 3));
        assert_eq!(work(&with_crl(good)), (true, 2));
    }

    /// An outcome's certificate facts are rendered when first read, as an eager
    /// rendering would have them; the outcomes of a cached chain share them.
    #[test]
    fn outcome_facts_are_rendered_when_read_and_shared_by_a_cached_chain() {
        let (verifier, envelope, reference, descriptor, crl) = timestamped();
        let request = timestamped_request(&envelope, &reference, &descriptor, crl);
        let eager = |der: &[u8]| -> Vec<crate::outcome::CertificateFacts> {
            let certs = crate::envelope::parse(der, &Limits::default(), None)
                .unwrap()
                .1;
            let crate::envelope::X5c::Der { certificates, .. } = certs else {
                unreachable!("parsed without a cache")
            };
            let certs: Vec<Cert> = certificates
                .iter()
                .map(|d| Cert::parse(d, "x5c").unwrap())
                .collect();
            crate::outcome::CertificateFacts::of_chain(&certs, None)
        };

        let first = verifier.verify(&request);
        let second = verifier.verify(&request);
        assert!(first.is_verified() && second.is_verified());
        let facts = |o: &Outcome| o.signature.clone().unwrap();
        let (a, b) = (facts(&first), facts(&second));
        let (a_ts, b_ts) = (a.timestamp.clone().unwrap(), b.timestamp.clone().unwrap());
        for list in [
            &a.certificates,
            &b.certificates,
            &a_ts.certificates,
            &b_ts.certificates,
        ] {
            assert!(!list.is_rendered());
        }
        assert_eq!(*a.certificates, eager(&envelope)[..]);
        assert!(a.certificates.is_rendered() && b.certificates.is_rendered());
        assert!(std::ptr::eq(
            a.certificates.as_ptr(),
            b.certificates.as_ptr()
        ));
        // The token carries the TSA's own certificate only.
        assert_eq!(a_ts.certificates.len(), 1);
        assert!(a_ts.certificates[0].issued_to.contains("TSA"));
        assert_ne!(
            a_ts.certificates[0].issued_to,
            a_ts.certificates[0].issued_by
        );
        assert_eq!(a_ts.certificates, b_ts.certificates);
        // The JSON is the same as before the list was read.
        assert_eq!(first.to_json(), verifier.verify(&request).to_json());
    }
}
