//! The WASI module's requests: JSON in, the core's outcome (or signature facts) JSON
//! out. Target-independent and free of exports and `unsafe`, so that it builds
//! natively too: the `wasi_request` fuzz target (`fuzz/`) includes this file with
//! `options.rs`. `wasi.rs` carries the ABI around it; `docs/wasm.md` documents the
//! request format.

use std::collections::BTreeMap;

use base64ct::{Base64, Encoding};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use verify::aws::RevocationAnswer;
use verify::{Descriptor, Error, Failure, RevocationEvidence};

use crate::options::{self, invalid, Options, Settings, Subject};

/// The response to a request that could not be processed: `{"error": {...}}`.
pub(crate) fn error_json(e: Error) -> String {
    serde_json::to_string(&serde_json::json!({ "error": Failure::from(e) })).unwrap_or_else(|_| {
        r#"{"error":{"code":"internal","message":"the error did not serialize"}}"#.to_owned()
    })
}

/// The `nv_verify` request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VerifyRequest {
    trust_policy: Option<Box<RawValue>>,
    blob_trust_policy: Option<Box<RawValue>>,
    #[serde(default, deserialize_with = "unique_map")]
    trust_stores: BTreeMap<String, Value>,
    envelope: String,
    reference: Option<String>,
    descriptor: Option<Descriptor>,
    blob: Option<String>,
    policy_name: Option<String>,
    blob_media_type: Option<String>,
    signature_media_type: Option<String>,
    time: String,
    #[serde(default, deserialize_with = "unique_map")]
    user_metadata: BTreeMap<String, String>,
    revocation: Option<Revocation>,
}

/// A JSON object as a map, refusing a member name that appears twice (serde's maps
/// would silently keep the last value).
fn unique_map<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);

    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut members = BTreeMap::new();
            while let Some((name, value)) = map.next_entry::<String, V>()? {
                if members.contains_key(&name) {
                    return Err(serde::de::Error::custom(format!(
                        "member {name:?} appears more than once"
                    )));
                }
                members.insert(name, value);
            }
            Ok(members)
        }
    }

    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}

/// Revocation evidence: AWS's answer, base64 DER CRLs and OCSP responses.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Revocation {
    aws: Option<RevocationAnswer>,
    #[serde(default)]
    crls: Vec<String>,
    #[serde(default)]
    ocsp: Vec<String>,
}

impl Revocation {
    fn evidence(self) -> Result<RevocationEvidence, Error> {
        let mut evidence = RevocationEvidence::none();
        if let Some(answer) = self.aws {
            evidence = evidence.with_aws_answer(answer);
        }
        for (i, crl) in self.crls.iter().enumerate() {
            evidence = evidence.with_crl(base64(crl, &format!("revocation.crls[{i}]"))?);
        }
        for (i, response) in self.ocsp.iter().enumerate() {
            evidence = evidence.with_ocsp(base64(response, &format!("revocation.ocsp[{i}]"))?);
        }
        Ok(evidence)
    }
}

/// The `nv_inspect` request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InspectRequest {
    envelope: String,
}

fn parse<'a, T: Deserialize<'a>>(request: &'a [u8]) -> Result<T, Error> {
    serde_json::from_slice(request)
        .map_err(|e| invalid(format!("the request JSON is invalid: {e}")))
}

/// Answers an `nv_verify` request: the outcome JSON, or an error for a request that
/// cannot be processed.
pub(crate) fn verify(request: &[u8]) -> Result<String, Error> {
    let r: VerifyRequest = parse(request)?;
    let mut trust_stores = Vec::new();
    for (name, files) in r.trust_stores {
        let files = match &files {
            Value::Array(files) => files
                .iter()
                .enumerate()
                .map(|(i, file)| store_file(file, &format!("trustStores[{name:?}][{i}]")))
                .collect::<Result<_, _>>()?,
            file => vec![store_file(file, &format!("trustStores[{name:?}]"))?],
        };
        trust_stores.push((name, files));
    }
    let settings = Settings {
        oci_policy: r.trust_policy.as_deref().map(policy).transpose()?,
        blob_policy: r.blob_trust_policy.as_deref().map(policy).transpose()?,
        trust_stores,
        // One verifier per request: a cache would never be consulted twice.
        chain_cache: 0,
    };
    let verifier = settings.build()?;
    let options = Options {
        subject: Subject::new(
            r.reference,
            r.descriptor,
            r.blob.as_deref().map(|b| base64(b, "blob")).transpose()?,
            r.policy_name,
            r.blob_media_type,
        )?,
        signature_media_type: r.signature_media_type,
        time: options::parse_time(&r.time)?,
        user_metadata: r.user_metadata,
        revocation: r
            .revocation
            .map_or_else(|| Ok(RevocationEvidence::none()), Revocation::evidence)?,
    };
    let envelope = base64(&r.envelope, "envelope")?;
    Ok(options.verify(&verifier, &envelope).to_json())
}

/// Answers an `nv_inspect` request: the signature facts JSON, or an error.
pub(crate) fn inspect(request: &[u8]) -> Result<String, Error> {
    let r: InspectRequest = parse(request)?;
    options::inspect_json(&base64(&r.envelope, "envelope")?)
}

/// A policy document: the JSON object itself (its text is passed on as written, so
/// the core still sees duplicate members) or a string holding it.
fn policy(raw: &RawValue) -> Result<Vec<u8>, Error> {
    if raw.get().starts_with('"') {
        let text: String = serde_json::from_str(raw.get())
            .map_err(|e| invalid(format!("a trust policy string is invalid: {e}")))?;
        return Ok(text.into_bytes());
    }
    Ok(raw.get().as_bytes().to_vec())
}

/// A certificate file: PEM text, or `{"base64": "..."}` holding the file's bytes
/// (PEM or DER).
fn store_file(file: &Value, what: &str) -> Result<Vec<u8>, Error> {
    match file {
        Value::String(pem) => Ok(pem.as_bytes().to_vec()),
        Value::Object(o) if o.len() == 1 => match o.get("base64") {
            Some(Value::String(b)) => base64(b, what),
            _ => Err(store_file_shape(what)),
        },
        _ => Err(store_file_shape(what)),
    }
}

fn store_file_shape(what: &str) -> Error {
    invalid(format!(
        "{what} must be PEM text or {{\"base64\": \"<the file's bytes>\"}}, or an array of these"
    ))
}

fn base64(text: &str, what: &str) -> Result<Vec<u8>, Error> {
    Base64::decode_vec(text).map_err(|_| invalid(format!("{what} is not standard (padded) base64")))
}
