//! What every binding receives — verifier settings, verification options — and its
//! translation into the core's types. The JS and WASI layers only read their inputs
//! into these structs and validate argument shapes; verification is the core's.

use std::collections::BTreeMap;

use verify::{
    BlobTrustPolicy, Descriptor, Error, ErrorCode, OciTrustPolicy, Outcome, Request,
    RevocationEvidence, Time, TrustStore, Verifier,
};

/// An `invalid_argument` error: the caller passed something of the wrong shape.
pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}

/// What `createVerifier` (JS) or the settings part of a WASI request configure.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    /// notation's OCI trust policy document (`trustpolicy.oci.json`), JSON bytes.
    pub(crate) oci_policy: Option<Vec<u8>>,
    /// notation's blob trust policy document (`trustpolicy.blob.json`), JSON bytes.
    pub(crate) blob_policy: Option<Vec<u8>>,
    /// `("type:name", certificate files)`; a store with no file exists but is empty.
    pub(crate) trust_stores: Vec<(String, Vec<Vec<u8>>)>,
    /// Most verified signing chains the verifier caches (0: no cache). Worth it for
    /// a verifier that is kept and sees the same signers again (the JS API).
    pub(crate) chain_cache: usize,
}

impl Settings {
    /// Loads the policies and stores into a verifier, with its chain cache. The AWS
    /// Signer roots are always present.
    ///
    /// Fails on an invalid policy or a malformed store name. A store without files
    /// is empty, which fails verifications that consult it. A certificate file
    /// that does not load leaves its store broken instead, as notation does: a
    /// verification that consults that store fails authenticity with the file's
    /// error, and one that does not is unaffected.
    pub(crate) fn build(&self) -> Result<Verifier, Error> {
        if self.oci_policy.is_none() && self.blob_policy.is_none() {
            return Err(invalid(
                "no trust policy given: pass trustPolicy (OCI artifacts) or blobTrustPolicy (blobs), or both",
            ));
        }
        let mut store = TrustStore::new();
        for (name, files) in &self.trust_stores {
            if files.is_empty() {
                // notation's empty store directory.
                let empty = Error::new(
                    ErrorCode::StoreEmpty,
                    format!("trust store {name} holds no certificate"),
                );
                store.mark_broken(name, empty)?;
            }
            for file in files {
                if let Err(e) = store.add(name, file) {
                    if e.code() == ErrorCode::StoreReferenceInvalid {
                        return Err(e);
                    }
                }
            }
        }
        let mut verifier = Verifier::new(store).with_chain_cache(self.chain_cache);
        if let Some(policy) = &self.oci_policy {
            verifier = verifier.with_oci_policy(OciTrustPolicy::from_json(policy)?);
        }
        if let Some(policy) = &self.blob_policy {
            verifier = verifier.with_blob_policy(BlobTrustPolicy::from_json(policy)?);
        }
        Ok(verifier)
    }
}

/// What the signature must be for.
#[derive(Debug)]
pub(crate) enum Subject {
    /// An OCI artifact.
    Oci {
        /// `registry/repository@sha256:…`.
        reference: String,
        /// The artifact's descriptor.
        descriptor: Descriptor,
    },
    /// A blob with a detached signature.
    Blob {
        /// The blob's bytes.
        blob: Vec<u8>,
        /// The blob policy statement; `None` selects the global one.
        policy_name: Option<String>,
        /// The media type the signature must name, if any.
        media_type: Option<String>,
    },
}

impl Subject {
    /// An OCI artifact (`reference` and `descriptor`) or a blob (`blob`, optionally
    /// `policyName` and `blobMediaType`), never a mix.
    pub(crate) fn new(
        reference: Option<String>,
        descriptor: Option<Descriptor>,
        blob: Option<Vec<u8>>,
        policy_name: Option<String>,
        media_type: Option<String>,
    ) -> Result<Self, Error> {
        match (reference, descriptor, blob) {
            (Some(reference), Some(descriptor), None) => {
                if policy_name.is_some() || media_type.is_some() {
                    return Err(invalid(
                        "policyName and blobMediaType apply to blobs only; drop them when verifying an OCI artifact",
                    ));
                }
                Ok(Subject::Oci {
                    reference,
                    descriptor,
                })
            }
            (None, None, Some(blob)) => Ok(Subject::Blob {
                blob,
                policy_name,
                media_type,
            }),
            (None, None, None) => Err(invalid(
                "nothing to verify against: pass reference and descriptor (OCI artifact) or blob",
            )),
            (Some(_), Some(_), Some(_)) | (Some(_), None, Some(_)) | (None, Some(_), Some(_)) => {
                Err(invalid(
                    "pass either reference and descriptor (OCI artifact) or blob, not both",
                ))
            }
            (Some(_), None, None) => Err(invalid(
                "descriptor is missing: an OCI artifact needs reference and descriptor",
            )),
            (None, Some(_), None) => Err(invalid(
                "reference is missing: an OCI artifact needs reference and descriptor",
            )),
        }
    }
}

/// One verification's options (everything but the envelope).
#[derive(Debug)]
pub(crate) struct Options {
    /// What the signature must be for.
    pub(crate) subject: Subject,
    /// The envelope media type; `application/jose+json` if absent.
    pub(crate) signature_media_type: Option<String>,
    /// The verification time.
    pub(crate) time: Time,
    /// Signed user metadata that must be present with these values.
    pub(crate) user_metadata: BTreeMap<String, String>,
    /// Revocation evidence the host fetched (CRLs, OCSP responses, AWS's answer).
    pub(crate) revocation: RevocationEvidence,
}

impl Options {
    /// Verifies `envelope` with these options.
    pub(crate) fn verify(self, verifier: &Verifier, envelope: &[u8]) -> Outcome {
        let Options {
            subject,
            signature_media_type,
            time,
            user_metadata,
            revocation,
        } = self;
        let mut request = match &subject {
            Subject::Oci {
                reference,
                descriptor,
            } => Request::oci(envelope, reference, descriptor.clone(), time),
            Subject::Blob {
                blob,
                policy_name,
                media_type,
            } => Request::blob_with(
                envelope,
                blob,
                policy_name.as_deref(),
                media_type.as_deref(),
                time,
            ),
        };
        if let Some(media_type) = &signature_media_type {
            request = request.envelope_media_type(media_type);
        }
        request.user_metadata = user_metadata;
        verifier.verify(&request.revocation(revocation))
    }
}

/// Parses an RFC 3339 verification time.
pub(crate) fn parse_time(text: &str) -> Result<Time, Error> {
    Time::parse_rfc3339(text).ok_or_else(|| {
        invalid(format!(
            "time {text:?} is not an RFC 3339 date-time; write it like 2026-11-24T00:00:00Z"
        ))
    })
}

/// The signature facts of `envelope` as JSON (the `signature` member of an outcome).
pub(crate) fn inspect_json(envelope: &[u8]) -> Result<String, Error> {
    let facts = verify::inspect(envelope)?;
    serde_json::to_string(&facts).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("signature facts did not serialize: {e}"),
        )
    })
}
