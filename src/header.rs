//! The protected header: typed fields, the signing-scheme rules and the `crit`
//! rules (spec §1.4).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::alg::Algorithm;
use crate::aws;
use crate::error::{err, Error, ErrorCode};
use crate::json;
use crate::limits::Limits;
use crate::time::HeaderTime;

/// The payload content type of Notary signatures.
pub const PAYLOAD_CONTENT_TYPE: &str = "application/vnd.cncf.notary.payload.v1+json";

pub(crate) const ALG: &str = "alg";
pub(crate) const CTY: &str = "cty";
pub(crate) const CRIT: &str = "crit";
pub(crate) const SIGNING_SCHEME: &str = "io.cncf.notary.signingScheme";
pub(crate) const SIGNING_TIME: &str = "io.cncf.notary.signingTime";
pub(crate) const AUTHENTIC_SIGNING_TIME: &str = "io.cncf.notary.authenticSigningTime";
pub(crate) const EXPIRY: &str = "io.cncf.notary.expiry";
pub(crate) const VERIFICATION_PLUGIN: &str = "io.cncf.notary.verificationPlugin";
pub(crate) const VERIFICATION_PLUGIN_MIN_VERSION: &str =
    "io.cncf.notary.verificationPluginMinVersion";

const STANDARD: [&str; 7] = [
    ALG,
    CTY,
    CRIT,
    SIGNING_SCHEME,
    SIGNING_TIME,
    AUTHENTIC_SIGNING_TIME,
    EXPIRY,
];

/// A signing scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SigningScheme {
    /// `notary.x509`: certificates judged at the verification time (or timestamp).
    #[serde(rename = "notary.x509")]
    X509,
    /// `notary.x509.signingAuthority`: certificates judged at the authentic signing
    /// time asserted by the Signing Authority (e.g. AWS Signer).
    #[serde(rename = "notary.x509.signingAuthority")]
    SigningAuthority,
}

impl SigningScheme {
    /// The header value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::X509 => "notary.x509",
            Self::SigningAuthority => "notary.x509.signingAuthority",
        }
    }
}

/// The protected header after the first parsing stage: a JSON object with a
/// supported `alg`.
#[derive(Debug, Clone)]
pub(crate) struct RawHeader {
    pub map: Map<String, Value>,
    pub alg: Algorithm,
}

/// A validated protected header.
#[derive(Debug, Clone)]
pub(crate) struct ProtectedHeader {
    pub alg: Algorithm,
    pub cty: String,
    pub scheme: SigningScheme,
    pub signing_time: HeaderTime,
    pub expiry: Option<HeaderTime>,
    pub verification_plugin: Option<String>,
    pub plugin_min_version: Option<String>,
    /// Extended attributes: every key that is not one of the seven standard keys
    /// (the plugin headers included), with whether `crit` lists it.
    pub extended: Vec<(String, Value, bool)>,
}

impl ProtectedHeader {
    /// An extended attribute's value.
    pub(crate) fn extended(&self, key: &str) -> Option<&Value> {
        self.extended
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v)
    }
}

/// Stage 1: JSON object with no duplicate members and a supported `alg`.
pub(crate) fn parse_raw(protected: &[u8], limits: &Limits) -> Result<RawHeader, Error> {
    let value = json::parse(
        protected,
        limits.max_json_depth,
        "the protected header",
        ErrorCode::HeaderInvalid,
    )?;
    let Value::Object(map) = value else {
        return Err(err(
            ErrorCode::HeaderInvalid,
            "the protected header is not a JSON object",
        ));
    };
    json::reject_case_duplicates(map.keys().map(String::as_str), "the protected header")?;
    let alg = match map.get(ALG) {
        Some(Value::String(name)) => Algorithm::from_jws(name).ok_or_else(|| {
            err(
                ErrorCode::AlgUnsupported,
                format!("signature algorithm \"{name}\" is not allowed; use PS256, PS384, PS512, ES256, ES384 or ES512"),
            )
        })?,
        _ => return Err(err(ErrorCode::AlgMissing, "the protected header has no \"alg\" string")),
    };
    Ok(RawHeader { map, alg })
}

fn string_field<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Error> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(err(
            ErrorCode::HeaderInvalid,
            format!("protected header \"{key}\" is not a string"),
        )),
    }
}

fn time_field(map: &Map<String, Value>, key: &str) -> Result<Option<HeaderTime>, Error> {
    string_field(map, key)?
        .map(|text| {
            HeaderTime::parse(text).ok_or_else(|| {
                err(
                    ErrorCode::TimeInvalid,
                    format!("protected header \"{key}\" is \"{text}\", not an RFC 3339 date-time such as 2026-01-02T15:04:05Z"),
                )
            })
        })
        .transpose()
}

/// Stage 2: scheme, times, plugin headers and `crit` (spec §1.4, §8 step 3–4).
pub(crate) fn validate(raw: &RawHeader) -> Result<ProtectedHeader, Error> {
    let map = &raw.map;
    let cty = match map.get(CTY) {
        Some(Value::String(cty)) if cty == PAYLOAD_CONTENT_TYPE => cty.clone(),
        Some(Value::String(cty)) => {
            return Err(err(
                ErrorCode::ContentTypeInvalid,
                format!(
                    "content type \"{cty}\" is not the Notary payload type {PAYLOAD_CONTENT_TYPE}"
                ),
            ))
        }
        _ => {
            return Err(err(
                ErrorCode::ContentTypeInvalid,
                format!("the protected header has no \"cty\"; it must be {PAYLOAD_CONTENT_TYPE}"),
            ))
        }
    };
    let scheme = match string_field(map, SIGNING_SCHEME) {
        Ok(Some("notary.x509")) => SigningScheme::X509,
        Ok(Some("notary.x509.signingAuthority")) => SigningScheme::SigningAuthority,
        Ok(Some(other)) => {
            return Err(err(
                ErrorCode::SigningSchemeInvalid,
                format!("signing scheme \"{other}\" is unknown; it must be notary.x509 or notary.x509.signingAuthority"),
            ))
        }
        _ => return Err(err(ErrorCode::SigningSchemeInvalid, "the protected header has no io.cncf.notary.signingScheme string")),
    };
    let signing_time = time_field(map, SIGNING_TIME)?;
    let authentic_time = time_field(map, AUTHENTIC_SIGNING_TIME)?;
    let expiry = time_field(map, EXPIRY)?;
    let signing_time = match scheme {
        SigningScheme::X509 => {
            if authentic_time.is_some() {
                return Err(err(
                    ErrorCode::AuthenticSigningTimeUnexpected,
                    "a notary.x509 signature must not carry io.cncf.notary.authenticSigningTime",
                ));
            }
            signing_time.ok_or_else(|| {
                err(
                    ErrorCode::SigningTimeMissing,
                    "a notary.x509 signature must carry io.cncf.notary.signingTime",
                )
            })?
        }
        SigningScheme::SigningAuthority => {
            if signing_time.is_some() {
                return Err(err(ErrorCode::SigningTimeUnexpected, "a notary.x509.signingAuthority signature must not carry io.cncf.notary.signingTime"));
            }
            authentic_time.ok_or_else(|| {
                err(ErrorCode::AuthenticSigningTimeMissing, "a notary.x509.signingAuthority signature must carry io.cncf.notary.authenticSigningTime")
            })?
        }
    };

    let crit = match map.get(CRIT) {
        None => {
            return Err(err(
                ErrorCode::CritMissing,
                "the protected header has no \"crit\" list",
            ))
        }
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().ok_or_else(|| {
                    err(
                        ErrorCode::HeaderInvalid,
                        "protected header \"crit\" has a non-string entry",
                    )
                })
            })
            .collect::<Result<Vec<&str>, Error>>()?,
        Some(_) => {
            return Err(err(
                ErrorCode::HeaderInvalid,
                "protected header \"crit\" is not an array of strings",
            ))
        }
    };
    if crit.is_empty() {
        return Err(err(
            ErrorCode::CritMissing,
            "the protected header's \"crit\" list is empty",
        ));
    }
    check_crit(map, &crit, scheme, expiry.is_some())?;

    let critical: std::collections::HashSet<&str> = crit.iter().copied().collect();
    let extended: Vec<(String, Value, bool)> = map
        .iter()
        .filter(|(k, _)| !STANDARD.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone(), critical.contains(k.as_str())))
        .collect();

    let verification_plugin = plugin_header(
        map,
        &crit,
        VERIFICATION_PLUGIN,
        ErrorCode::PluginNameInvalid,
    )?;
    let plugin_min_version = plugin_header(
        map,
        &crit,
        VERIFICATION_PLUGIN_MIN_VERSION,
        ErrorCode::PluginMinVersionInvalid,
    )?;
    if let Some(min) = &plugin_min_version {
        if semver::Version::parse(min).is_err() {
            return Err(err(
                ErrorCode::PluginMinVersionInvalid,
                format!("verification plugin minimum version \"{min}\" is not a SemVer 2.0 version such as 1.0.0"),
            ));
        }
    }
    match verification_plugin.as_deref() {
        None => {
            if plugin_min_version.is_some() {
                return Err(err(ErrorCode::PluginNameInvalid, "the signature names a minimum plugin version but no verification plugin"));
            }
            if let Some((key, _, _)) = extended.iter().find(|(_, _, critical)| *critical) {
                return Err(err(
                    ErrorCode::CriticalHeaderUnknown,
                    format!("critical header \"{key}\" is not understood by this verifier, so the signature cannot be accepted"),
                ));
            }
        }
        Some(aws::PLUGIN_NAME) => aws::check_header(scheme, plugin_min_version.as_deref(), &extended)?,
        Some(other) => {
            return Err(err(
                ErrorCode::PluginUnavailable,
                format!("the signature requires verification plugin \"{other}\", which this offline verifier does not implement (only {} is built in)", aws::PLUGIN_NAME),
            ))
        }
    }

    if let Some(expiry) = &expiry {
        if expiry.instant <= signing_time.instant {
            return Err(err(
                ErrorCode::ExpiryBeforeSigningTime,
                format!(
                    "the signature's expiry {} is not later than its signing time {}",
                    expiry.text, signing_time.text
                ),
            ));
        }
    }

    Ok(ProtectedHeader {
        alg: raw.alg,
        cty,
        scheme,
        signing_time,
        expiry,
        verification_plugin,
        plugin_min_version,
        extended,
    })
}

fn plugin_header(
    map: &Map<String, Value>,
    crit: &[&str],
    key: &str,
    code: ErrorCode,
) -> Result<Option<String>, Error> {
    let Some(value) = map.get(key) else {
        return Ok(None);
    };
    let text = value
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            err(
                code,
                format!("protected header \"{key}\" must be a non-blank string"),
            )
        })?;
    if !crit.contains(&key) {
        return Err(err(
            ErrorCode::PluginHeaderNotCritical,
            format!("protected header \"{key}\" must be listed in \"crit\""),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// The `crit` walk of notation-core-go (spec §1.4.1, HDR-05…HDR-11).
fn check_crit(
    map: &Map<String, Value>,
    crit: &[&str],
    scheme: SigningScheme,
    has_expiry: bool,
) -> Result<(), Error> {
    let mut must: Vec<&str> = vec![SIGNING_SCHEME];
    if has_expiry {
        must.push(EXPIRY);
    }
    if scheme == SigningScheme::SigningAuthority {
        must.push(AUTHENTIC_SIGNING_TIME);
    }
    let mut consumed: Vec<&str> = Vec::new();
    for entry in crit {
        if let Some(pos) = must.iter().position(|m| m == entry) {
            consumed.push(must.remove(pos));
            continue;
        }
        if matches!(*entry, ALG | CTY | CRIT | SIGNING_TIME) {
            return Err(err(
                ErrorCode::CritNamesForbiddenHeader,
                format!("\"crit\" lists \"{entry}\", which must not be marked critical"),
            ));
        }
        if consumed.contains(entry) {
            return Err(err(
                ErrorCode::CritDuplicate,
                format!("\"crit\" lists \"{entry}\" more than once"),
            ));
        }
        if STANDARD.contains(entry) || !map.contains_key(*entry) {
            return Err(err(
                ErrorCode::CritNamesAbsentHeader,
                format!("\"crit\" lists \"{entry}\", which is not present in the protected header"),
            ));
        }
    }
    match must.first() {
        None => Ok(()),
        Some(&SIGNING_SCHEME) => Err(err(ErrorCode::CritLacksSigningScheme, "\"crit\" must list io.cncf.notary.signingScheme")),
        Some(&EXPIRY) => Err(err(ErrorCode::CritLacksExpiry, "\"crit\" must list io.cncf.notary.expiry because the expiry is present")),
        Some(_) => Err(err(
            ErrorCode::CritLacksAuthenticSigningTime,
            "\"crit\" must list io.cncf.notary.authenticSigningTime for a Signing Authority signature",
        )),
    }
}
