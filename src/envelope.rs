//! JWS envelope syntax: the flattened JSON serialization with exactly the four
//! Notary parts (spec §1).

use std::sync::Arc;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::b64;
use crate::chain_cache::{ChainCache, ChainKey, ParsedChain};
use crate::error::{err, Error, ErrorCode};
use crate::json::{self, Borrowed};
use crate::limits::Limits;

/// The media type of JWS signature envelopes.
pub const JWS_MEDIA_TYPE: &str = "application/jose+json";

/// Unprotected header key of the RFC 3161 countersignature.
pub(crate) const TIMESTAMP_SIGNATURE: &str = "io.cncf.notary.timestampSignature";
/// Unprotected header key of the signing agent.
pub(crate) const SIGNING_AGENT: &str = "io.cncf.notary.signingAgent";

/// A syntactically valid envelope; nothing in it is trusted yet.
#[derive(Debug, Clone)]
pub(crate) struct Envelope<'a> {
    /// `protected` exactly as it appears (the signing input uses it verbatim),
    /// borrowed from the envelope unless written with JSON escapes.
    pub protected_b64: Cow<'a, str>,
    /// `payload` exactly as it appears, borrowed likewise.
    pub payload_b64: Cow<'a, str>,
    pub protected: Vec<u8>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
    pub timestamp: Option<Vec<u8>>,
    pub signing_agent: Option<String>,
}

/// The `x5c` certificate chain of an envelope.
#[derive(Debug, Clone)]
pub(crate) enum X5c {
    /// Decoded DER certificates, leaf first, and the chain cache key of their text
    /// (when parsed with a cache).
    Der {
        certificates: Vec<Vec<u8>>,
        key: Option<ChainKey>,
    },
    /// The same text as a chain the cache holds: already parsed and validated.
    Cached(Arc<ParsedChain>),
}

impl Envelope<'_> {
    /// The JWS signing input `protected.payload`.
    pub fn signing_input(&self) -> Vec<u8> {
        let mut input = Vec::with_capacity(self.protected_b64.len() + 1 + self.payload_b64.len());
        input.extend_from_slice(self.protected_b64.as_bytes());
        input.push(b'.');
        input.extend_from_slice(self.payload_b64.as_bytes());
        input
    }
}

/// Parses an envelope (JWS-01 … JWS-13) and its certificate chain. With a chain
/// cache, an `x5c` whose text the cache holds is not decoded again (a cached chain
/// decoded without error).
pub(crate) fn parse<'a>(
    bytes: &'a [u8],
    limits: &Limits,
    cache: Option<&ChainCache>,
) -> Result<(Envelope<'a>, X5c), Error> {
    if bytes.len() > limits.max_envelope_bytes {
        return Err(err(
            ErrorCode::LimitExceeded,
            format!(
                "the signature envelope is {} bytes; the limit is {} bytes",
                bytes.len(),
                limits.max_envelope_bytes
            ),
        ));
    }
    let trimmed = trim_ascii(bytes);
    if looks_compact(trimmed) {
        return Err(err(
            ErrorCode::EnvelopeNotFlattened,
            "the envelope uses the JWS compact serialization; Notary signatures use the flattened JSON serialization",
        ));
    }
    // Borrowed: the base64 strings are decoded without a copy; protected and
    // payload stay borrowed for the signing input.
    let value = json::parse_borrowed(
        bytes,
        limits.max_json_depth,
        "the signature envelope",
        ErrorCode::EnvelopeNotJson,
    )?;
    let Borrowed::Object(mut top) = value else {
        return Err(err(
            ErrorCode::EnvelopeNotJson,
            "the signature envelope is not a JSON object",
        ));
    };
    if top.contains_key("signatures") {
        return Err(err(
            ErrorCode::EnvelopeNotFlattened,
            "the envelope uses the JWS general serialization (\"signatures\" array); Notary signatures use the flattened serialization with one signature",
        ));
    }
    json::reject_case_duplicates(top.keys().map(|k| &**k), "the signature envelope")?;
    if let Some(extra) = top
        .keys()
        .find(|k| !matches!(&***k, "payload" | "protected" | "header" | "signature"))
    {
        return Err(err(
            ErrorCode::EnvelopeUnknownMember,
            format!("the envelope has an unknown top-level member \"{extra}\"; only payload, protected, header and signature are allowed"),
        ));
    }

    let protected_b64 = b64url_member(&mut top, "protected")?;
    let payload_b64 = b64url_member(&mut top, "payload")?;
    let signature_b64 = b64url_member(&mut top, "signature")?;
    let protected = decode_url(&protected_b64, "protected")?;
    let payload = decode_url(&payload_b64, "payload")?;
    let signature = decode_url(&signature_b64, "signature")?;
    if signature.is_empty() {
        return Err(err(
            ErrorCode::SignatureEmpty,
            "the envelope's signature is empty",
        ));
    }

    let Some(Borrowed::Object(header)) = top.get("header") else {
        return Err(err(
            ErrorCode::CertificateChainMissing,
            "the envelope has no unprotected \"header\" object; it must carry the certificate chain in header.x5c",
        ));
    };
    let Some(Borrowed::Array(entries)) = header.get("x5c") else {
        return Err(err(
            ErrorCode::CertificateChainMissing,
            "the envelope's header has no \"x5c\" array of certificates",
        ));
    };
    if entries.is_empty() {
        return Err(err(
            ErrorCode::CertificateChainMissing,
            "the envelope's x5c certificate chain is empty",
        ));
    }
    if entries.len() > limits.max_certificates {
        return Err(err(
            ErrorCode::LimitExceeded,
            format!(
                "the x5c chain has {} certificates; the limit is {}",
                entries.len(),
                limits.max_certificates
            ),
        ));
    }
    let texts: Option<Vec<&str>> =
        cache.and_then(|_| entries.iter().map(Borrowed::as_str).collect());
    let cached = cache.zip(texts.as_deref()).and_then(|(c, t)| c.get(t));
    let x5c = match cached {
        Some(chain) => X5c::Cached(chain),
        None => X5c::Der {
            certificates: decode_x5c(entries, limits)?,
            key: texts.as_deref().map(ChainCache::key),
        },
    };

    let timestamp = match header.get(TIMESTAMP_SIGNATURE) {
        None => None,
        Some(Borrowed::String(text)) => Some(b64::standard(text).ok_or_else(|| {
            err(
                ErrorCode::TimestampSignatureInvalid,
                "the timestamp countersignature is not standard base64 with padding",
            )
        })?),
        Some(_) => {
            return Err(err(
                ErrorCode::TimestampSignatureInvalid,
                "the timestamp countersignature is not a string",
            ));
        }
    };
    let signing_agent = header
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(SIGNING_AGENT))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned);

    let envelope = Envelope {
        protected_b64,
        payload_b64,
        protected,
        payload,
        signature,
        timestamp,
        signing_agent,
    };
    Ok((envelope, x5c))
}

/// Decodes every `x5c` entry: a string of padded standard base64 within the
/// certificate size limit.
fn decode_x5c(entries: &[Borrowed<'_>], limits: &Limits) -> Result<Vec<Vec<u8>>, Error> {
    let mut x5c = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let Borrowed::String(text) = entry else {
            return Err(err(
                ErrorCode::CertificateChainMissing,
                format!("x5c entry {} is not a string", i + 1),
            ));
        };
        if text.len() > limits.max_certificate_bytes.saturating_mul(4) / 3 + 4 {
            return Err(err(
                ErrorCode::LimitExceeded,
                format!(
                    "x5c entry {} is larger than the {}-byte certificate limit",
                    i + 1,
                    limits.max_certificate_bytes
                ),
            ));
        }
        let der = b64::standard(text).ok_or_else(|| {
            err(
                ErrorCode::CertificateInvalid,
                format!("x5c entry {} is not standard base64 with padding (no whitespace, no URL alphabet)", i + 1),
            )
        })?;
        x5c.push(der);
    }
    Ok(x5c)
}

/// The text of the string member `name`, taken out of `top`.
fn b64url_member<'a>(
    top: &mut BTreeMap<Cow<'a, str>, Borrowed<'a>>,
    name: &str,
) -> Result<Cow<'a, str>, Error> {
    match top.get_mut(name) {
        Some(Borrowed::String(s)) if s.contains('.') => Err(err(
            ErrorCode::EnvelopeMemberHasDot,
            format!("the envelope's \"{name}\" contains a '.', which base64url never does"),
        )),
        Some(Borrowed::String(s)) => Ok(std::mem::take(s)),
        Some(_) => Err(err(
            ErrorCode::EnvelopeMemberInvalid,
            format!("the envelope's \"{name}\" is not a string"),
        )),
        None => Err(err(
            ErrorCode::EnvelopeMemberInvalid,
            format!("the envelope has no \"{name}\" member"),
        )),
    }
}

fn decode_url(text: &str, name: &str) -> Result<Vec<u8>, Error> {
    b64::url(text).ok_or_else(|| {
        err(
            ErrorCode::EnvelopeMemberInvalid,
            format!("the envelope's \"{name}\" is not base64url without padding"),
        )
    })
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

fn looks_compact(bytes: &[u8]) -> bool {
    // The character test first: it stops at the `{` of every JSON envelope.
    bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && bytes.iter().filter(|b| **b == b'.').count() == 2
}
