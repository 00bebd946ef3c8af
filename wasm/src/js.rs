//! The npm package's API, through wasm-bindgen: `createVerifier(settings)`,
//! `verifier.verify(envelope, options)` and `inspect(envelope)`. Everything is
//! synchronous once the module is initialised.
//!
//! Inputs are read into [`crate::options`]; the outcome and signature facts are the
//! core's JSON, parsed into plain objects. A malformed argument throws an `Error`
//! carrying the stable `code` (and `rule`, when the catalogue names one); a
//! signature that fails verification does not throw: its outcome says why.

use std::collections::BTreeMap;

use js_sys::{Array, Date, Object, Reflect, Uint8Array, JSON};
use verify::aws::RevocationAnswer;
use verify::{Descriptor, Error, RevocationEvidence, Time};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::options::{self, invalid, Options, Settings, Subject};

/// `Number.MAX_SAFE_INTEGER`: the largest size a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
/// What `time` may be.
const TIME_SHAPE: &str = "time must be a Date, milliseconds since the epoch, or an RFC 3339 string";
/// The largest magnitude a JS `Date` can hold, in milliseconds.
const MAX_DATE_MS: f64 = 8.64e15;

/// Builds a verifier from notation's trust policy documents and trust stores.
/// Throws on an invalid policy or store name.
#[wasm_bindgen(js_name = createVerifier)]
pub fn create_verifier(settings: JsValue) -> Result<Verifier, JsValue> {
    read_settings(&settings)
        .and_then(|s| s.build())
        .map(|inner| Verifier { inner })
        .map_err(js_error)
}

/// A verifier: trust policies plus trust stores, reusable for any number of
/// verifications.
#[wasm_bindgen]
pub struct Verifier {
    inner: verify::Verifier,
}

#[wasm_bindgen]
impl Verifier {
    /// Verifies one signature envelope and returns the outcome object. Throws only
    /// on malformed options.
    pub fn verify(&self, envelope: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let envelope = bytes(&envelope, "envelope").map_err(js_error)?;
        let options = read_options(&options).map_err(js_error)?;
        JSON::parse(&options.verify(&self.inner, &envelope).to_json())
    }
}

/// Reads a signature without verifying it; returns its signature facts. Throws if
/// the envelope is unreadable or breaks a structural rule.
#[wasm_bindgen]
pub fn inspect(envelope: JsValue) -> Result<JsValue, JsValue> {
    let envelope = bytes(&envelope, "envelope").map_err(js_error)?;
    let json = options::inspect_json(&envelope).map_err(js_error)?;
    JSON::parse(&json)
}

/// A JS `Error` with `code` (and `rule`) properties.
fn js_error(e: Error) -> JsValue {
    let error = js_sys::Error::new(e.message());
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&error, &"code".into(), &e.code().as_str().into());
    if let Some(rule) = e.rule() {
        let _ = Reflect::set(&error, &"rule".into(), &rule.into());
    }
    error.into()
}

fn read_settings(value: &JsValue) -> Result<Settings, Error> {
    let settings = Fields::new(
        value,
        "the createVerifier argument",
        &[
            "trustPolicy",
            "blobTrustPolicy",
            "trustStores",
            "chainCache",
        ],
    )?;
    let mut trust_stores = Vec::new();
    if let Some(stores) = settings.get("trustStores") {
        let stores = Fields::new(&stores, "trustStores", &[])?;
        for name in stores.keys() {
            let files = stores.get(&name).unwrap_or(JsValue::UNDEFINED);
            let what = format!("trustStores[{name:?}]");
            let files = match files.dyn_ref::<Array>() {
                Some(files) => files
                    .iter()
                    .enumerate()
                    .map(|(i, file)| bytes(&file, &format!("{what}[{i}]")))
                    .collect::<Result<_, _>>()?,
                None => vec![bytes(&files, &what)?],
            };
            trust_stores.push((name, files));
        }
    }
    Ok(Settings {
        oci_policy: settings
            .get("trustPolicy")
            .map(|p| policy(&p, "trustPolicy"))
            .transpose()?,
        blob_policy: settings
            .get("blobTrustPolicy")
            .map(|p| policy(&p, "blobTrustPolicy"))
            .transpose()?,
        trust_stores,
        chain_cache: settings
            .get("chainCache")
            .map(|n| chain_cache(&n))
            .transpose()?
            .unwrap_or(0),
    })
}

/// `chainCache`: how many verified signing chains to keep, an integer ≥ 0. A
/// capacity beyond the address space is the same as the largest one.
fn chain_cache(value: &JsValue) -> Result<usize, Error> {
    match value.as_f64() {
        Some(n) if (0.0..=MAX_SAFE_INTEGER).contains(&n) && n.fract() == 0.0 => {
            Ok(usize::try_from(n as u64).unwrap_or(usize::MAX))
        }
        _ => Err(invalid(
            "chainCache must be a non-negative integer: the most signing chains to cache (0: no cache)",
        )),
    }
}

fn read_options(value: &JsValue) -> Result<Options, Error> {
    let options = Fields::new(
        value,
        "the verify options",
        &[
            "reference",
            "descriptor",
            "blob",
            "policyName",
            "blobMediaType",
            "signatureMediaType",
            "time",
            "userMetadata",
            "revocation",
        ],
    )?;
    let subject = Subject::new(
        options.string("reference")?,
        options
            .get("descriptor")
            .map(|d| descriptor(&d))
            .transpose()?,
        options.get("blob").map(|b| bytes(&b, "blob")).transpose()?,
        options.string("policyName")?,
        options.string("blobMediaType")?,
    )?;
    let mut user_metadata = BTreeMap::new();
    if let Some(metadata) = options.get("userMetadata") {
        let metadata = Fields::new(&metadata, "userMetadata", &[])?;
        for key in metadata.keys() {
            let value = metadata
                .string(&key)?
                .ok_or_else(|| invalid(format!("userMetadata.{key} must be a string")))?;
            user_metadata.insert(key, value);
        }
    }
    let revocation = match options.get("revocation") {
        None => RevocationEvidence::none(),
        Some(value) => revocation(&value)?,
    };
    Ok(Options {
        subject,
        signature_media_type: options.string("signatureMediaType")?,
        time: time(options.get("time"))?,
        user_metadata,
        revocation,
    })
}

fn descriptor(value: &JsValue) -> Result<Descriptor, Error> {
    // Other descriptor members (annotations, artifactType, …) may be present: a
    // descriptor straight from a registry is accepted; only these three are compared.
    let d = Fields::new(value, "descriptor", &[])?;
    let media_type = d.string("mediaType")?;
    let digest = d.string("digest")?;
    let size = d.get("size").and_then(|s| s.as_f64());
    match (media_type, digest, size) {
        (Some(media_type), Some(digest), Some(size))
            if (0.0..=MAX_SAFE_INTEGER).contains(&size) && size.fract() == 0.0 =>
        {
            Ok(Descriptor::new(media_type, digest, size as u64))
        }
        _ => Err(invalid(
            "descriptor must be { mediaType: string, digest: string, size: non-negative integer }",
        )),
    }
}

/// `{ aws?: { revokedEntities }, crls?: Uint8Array[], ocsp?: Uint8Array[] }`.
fn revocation(value: &JsValue) -> Result<RevocationEvidence, Error> {
    let fields = Fields::new(value, "revocation", &["aws", "crls", "ocsp"])?;
    let mut evidence = RevocationEvidence::none();
    if let Some(aws) = fields.get("aws") {
        let entities = Fields::new(&aws, "revocation.aws", &["revokedEntities"])?
            .array("revokedEntities")?
            .ok_or_else(|| invalid("revocation.aws.revokedEntities is missing: pass AWS's answer ([] when nothing is revoked)"))?;
        let revoked_entities = entities
            .iter()
            .map(|e| {
                e.as_string()
                    .ok_or_else(|| invalid("revocation.aws.revokedEntities must hold strings"))
            })
            .collect::<Result<_, _>>()?;
        evidence = evidence.with_aws_answer(RevocationAnswer { revoked_entities });
    }
    for crl in der_list(&fields, "crls")? {
        evidence = evidence.with_crl(crl);
    }
    for response in der_list(&fields, "ocsp")? {
        evidence = evidence.with_ocsp(response);
    }
    Ok(evidence)
}

/// `revocation[key]`: an array of `Uint8Array`s holding DER.
fn der_list(fields: &Fields, key: &str) -> Result<Vec<Vec<u8>>, Error> {
    let items = fields.array(key)?.map(|a| a.to_vec()).unwrap_or_default();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.dyn_ref::<Uint8Array>()
                .map(Uint8Array::to_vec)
                .ok_or_else(|| {
                    invalid(format!("revocation.{key}[{i}] must be a Uint8Array of DER"))
                })
        })
        .collect()
}

/// `time`: a `Date`, milliseconds since the epoch, or an RFC 3339 string;
/// `Date.now()` if absent.
fn time(value: Option<JsValue>) -> Result<Time, Error> {
    let ms = match value {
        None => Date::now(),
        Some(v) => match (v.as_string(), v.dyn_ref::<Date>(), v.as_f64()) {
            (Some(text), _, _) => return options::parse_time(&text),
            (None, Some(date), _) => date.get_time(),
            (None, None, Some(ms)) => ms,
            (None, None, None) => return Err(invalid(TIME_SHAPE)),
        },
    };
    if !ms.is_finite() || ms.abs() > MAX_DATE_MS {
        return Err(invalid("time is not a valid date"));
    }
    Ok(Time::from_unix((ms / 1000.0).floor() as i64))
}

/// A policy document: a JSON string, the file's bytes, or the parsed object.
fn policy(value: &JsValue, what: &str) -> Result<Vec<u8>, Error> {
    if value.as_string().is_some() || value.is_instance_of::<Uint8Array>() {
        return bytes(value, what);
    }
    if !value.is_object() || Array::is_array(value) {
        return Err(invalid(format!(
            "{what} must be a trust policy document: an object, a JSON string or bytes"
        )));
    }
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .map(String::into_bytes)
        .ok_or_else(|| invalid(format!("{what} cannot be converted to JSON")))
}

/// A string (UTF-8 encoded) or a `Uint8Array` (Node `Buffer` included).
fn bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, Error> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    value
        .dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| invalid(format!("{what} must be a Uint8Array or a string")))
}

/// A plain object's own properties; `undefined` and `null` members count as absent.
struct Fields {
    object: Object,
    what: String,
}

impl Fields {
    /// Reads `value` as an object; with a non-empty `allowed`, any other key is an
    /// error (a misspelt option must not silently weaken verification).
    fn new(value: &JsValue, what: &str, allowed: &[&str]) -> Result<Self, Error> {
        if !value.is_object() || Array::is_array(value) || value.is_instance_of::<Uint8Array>() {
            return Err(invalid(format!("{what} must be an object")));
        }
        let fields = Fields {
            object: value.clone().unchecked_into(),
            what: what.to_owned(),
        };
        if !allowed.is_empty() {
            if let Some(unknown) = fields
                .keys()
                .into_iter()
                .find(|k| !allowed.contains(&k.as_str()))
            {
                return Err(invalid(format!(
                    "{what} has an unknown member {unknown:?}; the members are {}",
                    allowed.join(", ")
                )));
            }
        }
        Ok(fields)
    }

    fn keys(&self) -> Vec<String> {
        Object::keys(&self.object)
            .iter()
            .filter_map(|k| k.as_string())
            .collect()
    }

    fn get(&self, key: &str) -> Option<JsValue> {
        Reflect::get(&self.object, &key.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn array(&self, key: &str) -> Result<Option<Array>, Error> {
        self.get(key)
            .map(|v| {
                v.dyn_into::<Array>()
                    .map_err(|_| invalid(format!("{}.{key} must be an array", self.what)))
            })
            .transpose()
    }

    fn string(&self, key: &str) -> Result<Option<String>, Error> {
        self.get(key)
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| invalid(format!("{}.{key} must be a string", self.what)))
            })
            .transpose()
    }
}
