//! The signed payload `{"targetArtifact": descriptor}` and target matching
//! (spec §1.5, §8 steps 11–12).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::alg::Algorithm;
use crate::crypto;
use crate::error::{err, Error, ErrorCode};
use crate::json;
use crate::limits::Limits;

/// An OCI content descriptor: what a signature signs, or what is being verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// The media type of the referenced content.
    pub media_type: String,
    /// The digest, `algorithm:hex`.
    pub digest: String,
    /// The size in bytes.
    pub size: u64,
    /// User-defined metadata signed with the artifact.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// The OCI artifact type, if the signer recorded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
}

impl Descriptor {
    /// A descriptor without annotations.
    pub fn new(media_type: impl Into<String>, digest: impl Into<String>, size: u64) -> Self {
        Self {
            media_type: media_type.into(),
            digest: digest.into(),
            size,
            annotations: BTreeMap::new(),
            artifact_type: None,
        }
    }

    /// The descriptor of `content` (for example a manifest's bytes): its SHA-256
    /// digest and size.
    pub fn of_content(media_type: impl Into<String>, content: &[u8]) -> Self {
        let digest = format!(
            "sha256:{}",
            crypto::hex(&crypto::digest(crypto::Hash::Sha256, content))
        );
        Self::new(media_type, digest, content.len() as u64)
    }
}

/// Parses the payload into its target descriptor.
pub(crate) fn parse(payload: &[u8], limits: &Limits) -> Result<Descriptor, Error> {
    if payload.is_empty() {
        return Err(err(ErrorCode::PayloadEmpty, "the signed payload is empty"));
    }
    let value = json::parse(
        payload,
        limits.max_json_depth,
        "the signed payload",
        ErrorCode::PayloadNotObject,
    )?;
    let Value::Object(mut top) = value else {
        return Err(err(
            ErrorCode::PayloadNotObject,
            "the signed payload is not a JSON object",
        ));
    };
    json::reject_case_duplicates(top.keys().map(String::as_str), "the signed payload")?;
    let Some(target) = top.remove("targetArtifact") else {
        return Err(err(
            ErrorCode::PayloadInvalid,
            "the signed payload has no \"targetArtifact\" descriptor",
        ));
    };
    if let Value::Object(fields) = &target {
        json::reject_case_duplicates(
            fields.keys().map(String::as_str),
            "the signed targetArtifact",
        )?;
    }
    serde_json::from_value(target).map_err(|e| {
        err(
            ErrorCode::PayloadInvalid,
            format!("the signed targetArtifact is not a valid descriptor (mediaType, digest, size): {e}"),
        )
    })
}

/// OCI: the signed descriptor must equal the artifact's (PAY-03).
pub(crate) fn match_descriptor(signed: &Descriptor, artifact: &Descriptor) -> Result<(), Error> {
    let mismatch = |field: &str, signed: &str, actual: &str| {
        err(
            ErrorCode::TargetMismatch,
            format!("the signature is for a different artifact: signed {field} {signed}, artifact {field} {actual}"),
        )
    };
    if signed.digest != artifact.digest {
        return Err(mismatch("digest", &signed.digest, &artifact.digest));
    }
    if signed.media_type != artifact.media_type {
        return Err(mismatch(
            "media type",
            &signed.media_type,
            &artifact.media_type,
        ));
    }
    if signed.size != artifact.size {
        return Err(mismatch(
            "size",
            &signed.size.to_string(),
            &artifact.size.to_string(),
        ));
    }
    Ok(())
}

/// Blob: digest (with the hash `alg` implies), size and optional media type
/// (PAY-04, PAY-05).
pub(crate) fn match_blob(
    signed: &Descriptor,
    alg: Algorithm,
    blob: &[u8],
    media_type: Option<&str>,
) -> Result<(), Error> {
    let hash = alg.hash();
    let digest = format!(
        "{}:{}",
        hash.oci_name(),
        crypto::hex(&crypto::digest(hash, blob))
    );
    if signed.digest != digest {
        return Err(err(
            ErrorCode::BlobMismatch,
            format!(
                "the blob's {} digest is {digest} but the signature is for {}",
                hash.oci_name(),
                signed.digest
            ),
        ));
    }
    if signed.size != blob.len() as u64 {
        return Err(err(
            ErrorCode::BlobMismatch,
            format!(
                "the blob is {} bytes but the signature is for {} bytes",
                blob.len(),
                signed.size
            ),
        ));
    }
    if let Some(expected) = media_type {
        if expected != signed.media_type {
            return Err(err(
                ErrorCode::BlobMediaTypeMismatch,
                format!(
                    "the signature is for media type {}, not {expected}",
                    signed.media_type
                ),
            ));
        }
    }
    Ok(())
}

/// Every required `key=value` must be among the signed annotations (PAY-06).
pub(crate) fn match_user_metadata(
    signed: &Descriptor,
    required: &BTreeMap<String, String>,
) -> Result<(), Error> {
    for (key, value) in required {
        match signed.annotations.get(key) {
            Some(actual) if actual == value => {}
            Some(actual) => {
                return Err(err(
                    ErrorCode::UserMetadataMismatch,
                    format!("signed metadata {key} is \"{actual}\", not the required \"{value}\""),
                ))
            }
            None => {
                return Err(err(
                    ErrorCode::UserMetadataMismatch,
                    format!("the signature carries no metadata {key}; \"{value}\" is required"),
                ))
            }
        }
    }
    Ok(())
}
