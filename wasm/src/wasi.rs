//! The WASI module's ABI: JSON in, JSON out, over linear memory. No wasm-bindgen
//! and no JS: any WASI host (wazero, wasmtime, Kubewarden, Node's `node:wasi`) can
//! call it. `docs/wasm.md` is the reference; in short:
//!
//! * `nv_alloc(len: i32) -> i32` reserves `len` bytes and returns their address (0
//!   if memory is exhausted); the host writes the request JSON there.
//! * `nv_verify(ptr: i32, len: i32) -> i64` and `nv_inspect(ptr: i32, len: i32) ->
//!   i64` read the request at `ptr`, which must come from `nv_alloc` with at least
//!   `len` bytes, and return the response as `address << 32 | length`.
//! * `nv_free(ptr: i32)` releases a request or response buffer; unknown addresses
//!   are ignored.
//!
//! Buffers are owned by a table keyed by address, so a wrong address or length
//! from the host is answered with an error response instead of undefined
//! behaviour, and this module has no `unsafe` block.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use base64ct::{Base64, Encoding};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use verify::aws::RevocationAnswer;
use verify::{Descriptor, Error, Failure, RevocationEvidence};

use crate::options::{self, invalid, Options, Settings, Subject};

/// Live buffers handed to the host, by address.
static BUFFERS: Mutex<BTreeMap<u32, Box<[u8]>>> = Mutex::new(BTreeMap::new());

/// Reserves `len` zeroed bytes for the host to write into and returns their address,
/// or 0 if memory is exhausted. Release with [`nv_free`].
#[allow(unsafe_code)] // `no_mangle` only names the export (unique nv_ prefix).
#[no_mangle]
pub extern "C" fn nv_alloc(len: u32) -> u32 {
    allocate(len as usize, |_| {}).map_or(0, |(ptr, _)| ptr)
}

/// Releases a buffer returned by [`nv_alloc`], [`nv_verify`] or [`nv_inspect`].
/// Addresses that are not live buffers are ignored.
#[allow(unsafe_code)] // `no_mangle` only names the export (unique nv_ prefix).
#[no_mangle]
pub extern "C" fn nv_free(ptr: u32) {
    buffers().remove(&ptr);
}

/// Verifies the signature described by the request JSON at `ptr` (`len` bytes).
/// Returns `address << 32 | length` of the response: the outcome JSON, or
/// `{"error": {...}}` for a malformed request. Returns 0 if memory is exhausted.
#[allow(unsafe_code)] // `no_mangle` only names the export (unique nv_ prefix).
#[no_mangle]
pub extern "C" fn nv_verify(ptr: u32, len: u32) -> u64 {
    respond(ptr, len, verify)
}

/// Reads the envelope of the request JSON at `ptr` (`len` bytes) without verifying
/// it. Returns `address << 32 | length` of the response: the signature facts JSON,
/// or `{"error": {...}}`. Returns 0 if memory is exhausted.
#[allow(unsafe_code)] // `no_mangle` only names the export (unique nv_ prefix).
#[no_mangle]
pub extern "C" fn nv_inspect(ptr: u32, len: u32) -> u64 {
    respond(ptr, len, inspect)
}

fn buffers() -> std::sync::MutexGuard<'static, BTreeMap<u32, Box<[u8]>>> {
    BUFFERS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Allocates a registered buffer of `len` bytes filled by `fill`; returns its
/// address and length.
fn allocate(len: usize, fill: impl FnOnce(&mut [u8])) -> Option<(u32, u32)> {
    let mut bytes = Vec::new();
    // At least one byte, so that every live buffer has its own address.
    bytes.try_reserve_exact(len.max(1)).ok()?;
    bytes.resize(len.max(1), 0);
    fill(&mut bytes[..len]);
    let bytes = bytes.into_boxed_slice();
    let ptr = u32::try_from(bytes.as_ptr() as usize).ok()?;
    buffers().insert(ptr, bytes);
    Some((ptr, u32::try_from(len).ok()?))
}

fn respond(ptr: u32, len: u32, handle: fn(&[u8]) -> Result<String, Error>) -> u64 {
    let request = {
        let buffers = buffers();
        match buffers.get(&ptr).and_then(|b| b.get(..len as usize)) {
            Some(bytes) => Ok(bytes.to_vec()),
            None => Err(invalid(
                "the request address and length do not denote a buffer from nv_alloc; write the request into memory from nv_alloc(len)",
            )),
        }
    };
    let response = request.and_then(|r| handle(&r)).unwrap_or_else(error_json);
    allocate(response.len(), |b| b.copy_from_slice(response.as_bytes()))
        .map_or(0, |(ptr, len)| u64::from(ptr) << 32 | u64::from(len))
}

fn error_json(e: Error) -> String {
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
    #[serde(default)]
    trust_stores: BTreeMap<String, Value>,
    envelope: String,
    reference: Option<String>,
    descriptor: Option<Descriptor>,
    blob: Option<String>,
    policy_name: Option<String>,
    blob_media_type: Option<String>,
    signature_media_type: Option<String>,
    time: String,
    #[serde(default)]
    user_metadata: BTreeMap<String, String>,
    revocation: Option<Revocation>,
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

fn verify(request: &[u8]) -> Result<String, Error> {
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

fn inspect(request: &[u8]) -> Result<String, Error> {
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
