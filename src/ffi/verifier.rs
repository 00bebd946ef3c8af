//! `nv_verifier_builder` (trust policies and trust stores), `nv_verifier` (the
//! immutable, shareable result) and the verification calls `nv_verify` (OCI
//! artifacts) and `nv_verify_blob` (blobs).

use std::ffi::c_char;
use std::time::{SystemTime, UNIX_EPOCH};

use super::error::{nv_error, nv_status, FfiError};
use super::options::nv_verify_options;
use super::panic::{guard, guard_value};
use super::result::nv_result;
use super::slice::{bytes, optional_text, text};
use super::{clear_out, free_box, set_boxed, set_out, try_mut, try_ref, NV_TIME_NOW};
use crate::outcome::Verdict;
use crate::payload::Descriptor;
use crate::policy::{BlobTrustPolicy, OciTrustPolicy};
use crate::store::TrustStore;
use crate::time::Time;
use crate::verifier::{Request, Verifier};

/// Collects trust policies, trust-store certificates and settings for a verifier.
///
/// Created by `nv_verifier_builder_new`, owned by the caller, released with
/// `nv_verifier_builder_free` (also after `nv_verifier_builder_build`, which does
/// not consume it). Not thread-safe: use it from one thread at a time.
pub struct nv_verifier_builder {
    store: TrustStore,
    oci: Option<OciTrustPolicy>,
    blob: Option<BlobTrustPolicy>,
    /// Most verified signing chains each built verifier caches; 0: no cache.
    chain_cache: usize,
}

/// An immutable verifier: trust policies plus trust stores (and, if enabled, its
/// own verified-chain cache).
///
/// Created by `nv_verifier_builder_build`, owned by the caller, released with
/// `nv_verifier_free` once no call is using it. Thread-safe: any number of
/// threads may call `nv_verify` / `nv_verify_blob` on one verifier at once.
pub struct nv_verifier {
    inner: Verifier,
}

// The thread-safety the header promises for verifiers and results.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<nv_verifier>();
    shareable::<nv_result>();
};

/// Creates a builder from trust policy JSON: `oci_policy` is a
/// `trustpolicy.oci.json` document, `blob_policy` a `trustpolicy.blob.json`
/// document. Either may be absent (NULL with length 0), not both. The trust store
/// starts with the built-in AWS Signer roots (`signingAuthority:aws-signer-ts`,
/// `signingAuthority:aws-us-gov-signer-ts`).
///
/// Returns `NV_STATUS_POLICY_ERROR` for an invalid policy (the error's code and
/// rule name the problem) and `NV_STATUS_LIMIT_EXCEEDED` for one over 1 MiB or
/// nested too deeply.
///
/// Ownership: the policies are borrowed for the call only (they are parsed and
/// copied). On success the caller owns `*builder_out` and releases it with
/// `nv_verifier_builder_free`; on failure `*builder_out` is NULL.
///
/// # Safety
/// Each policy pointer is NULL (with length 0) or points to its length in readable
/// bytes; `builder_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verifier_builder_new(
    oci_policy: *const u8,
    oci_policy_len: usize,
    blob_policy: *const u8,
    blob_policy_len: usize,
    builder_out: *mut *mut nv_verifier_builder,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        clear_out(builder_out);
        guard(error_out, || {
            let oci = bytes(oci_policy, oci_policy_len, "oci_policy")?;
            let blob = bytes(blob_policy, blob_policy_len, "blob_policy")?;
            if oci_policy.is_null() && blob_policy.is_null() {
                return Err(FfiError::invalid(
                    "both oci_policy and blob_policy are NULL; pass at least one trust policy",
                ));
            }
            let policy_error = |e| FfiError::from_core(nv_status::PolicyError, e);
            let builder = nv_verifier_builder {
                store: TrustStore::new(),
                oci: (!oci_policy.is_null())
                    .then(|| OciTrustPolicy::from_json(oci))
                    .transpose()
                    .map_err(policy_error)?,
                blob: (!blob_policy.is_null())
                    .then(|| BlobTrustPolicy::from_json(blob))
                    .transpose()
                    .map_err(policy_error)?,
                chain_cache: 0,
            };
            set_boxed(builder_out, builder, "builder_out")
        })
    }
}

/// Adds the certificates in `certs` (one or more PEM `CERTIFICATE` blocks, or DER
/// certificates back to back: the contents of one trust-store file) to the trust
/// store `store`, named `"type:name"` with type `ca`, `signingAuthority` or `tsa`.
/// Call it once per file. Stores `*added_out` (if not NULL): the number of
/// certificates in `certs`.
///
/// `certs` NULL (with length 0) declares the store without adding a file, as a
/// notation store directory that exists but is empty: if no certificate is added
/// to it by build time, verification that consults it fails with
/// `store_empty` (STORE-05). An empty file (non-NULL, length 0) is a bad file.
///
/// Returns `NV_STATUS_INVALID_ARGUMENT` for a malformed store name and
/// `NV_STATUS_TRUST_STORE_ERROR` for certificates that cannot be used. After such
/// a failure the store is marked broken, as notation treats a store directory with
/// a bad file: verification that consults it fails authenticity with this error;
/// other stores are unaffected and the builder stays usable.
///
/// Ownership: `store` and `certs` are borrowed for the call only (copied).
///
/// # Safety
/// `builder` is a live handle not used concurrently; `store` is NULL or
/// NUL-terminated; `certs` is NULL (with length 0) or points to `certs_len`
/// readable bytes; `added_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verifier_builder_add_trust_store(
    builder: *mut nv_verifier_builder,
    store: *const c_char,
    certs: *const u8,
    certs_len: usize,
    added_out: *mut usize,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        guard(error_out, || {
            let builder = try_mut(builder, "builder")?;
            let store = text(store, "store")?;
            let added = if certs.is_null() && certs_len == 0 {
                builder
                    .store
                    .declare(store)
                    .map_err(|e| FfiError::from_core(nv_status::InvalidArgument, e))?;
                0
            } else {
                let certs = bytes(certs, certs_len, "certs")?;
                builder
                    .store
                    .add(store, certs)
                    .map_err(|e| FfiError::from_core(nv_status::TrustStoreError, e))?
            };
            if !added_out.is_null() {
                set_out(added_out, added, "added_out")?;
            }
            Ok(())
        })
    }
}

/// Sets the capacity of the verified-chain cache of the verifiers built from now
/// on: each verifier that `nv_verifier_builder_build` makes keeps its own cache of
/// at most `capacity` signing chains, evicting the least recently used. 0, the
/// default, builds verifiers without a cache; the last value set wins.
///
/// A cached chain is one that passed the time-independent chain checks (parsing,
/// linkage, link signatures, certificate profile) against that verifier's trust
/// store; a signature with the same `x5c` then costs one signature verification.
/// Validity periods, expiry, trusted identities, revocation and the envelope
/// signature are evaluated on every call, so a cache never changes an outcome:
/// results are identical with and without it. Timestamp authority links that
/// verified are remembered alongside. Each cached chain holds its parsed
/// certificates (a few KB): memory grows with the distinct chains seen, up to
/// `capacity` of them.
///
/// Thread-safety: the cache is internally synchronized; a verifier with a cache
/// stays immutable from the caller's view and may be shared by any number of
/// threads, as any `nv_verifier`.
///
/// Ownership: `builder` stays the caller's and is only borrowed for the call.
///
/// # Safety
/// `builder` is NULL or a live handle not used concurrently; `error_out` is NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verifier_builder_set_chain_cache(
    builder: *mut nv_verifier_builder,
    capacity: usize,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        guard(error_out, || {
            try_mut(builder, "builder")?.chain_cache = capacity;
            Ok(())
        })
    }
}

/// Builds an immutable, thread-safe verifier from the builder's current policies,
/// trust stores and chain cache capacity (`nv_verifier_builder_set_chain_cache`:
/// every verifier gets its own, empty cache). The builder is not consumed: it may
/// be changed and built again, and must still be released with
/// `nv_verifier_builder_free`.
///
/// Ownership: on success the caller owns `*verifier_out` and releases it with
/// `nv_verifier_free`; on failure `*verifier_out` is NULL.
///
/// # Safety
/// `builder` is NULL or a live handle not used concurrently; `verifier_out` is
/// writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verifier_builder_build(
    builder: *const nv_verifier_builder,
    verifier_out: *mut *mut nv_verifier,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        clear_out(verifier_out);
        guard(error_out, || {
            let builder = try_ref(builder, "builder")?;
            let mut inner = Verifier::new(builder.store.clone());
            if let Some(p) = &builder.oci {
                inner = inner.with_oci_policy(p.clone());
            }
            if let Some(p) = &builder.blob {
                inner = inner.with_blob_policy(p.clone());
            }
            let inner = inner.with_chain_cache(builder.chain_cache);
            set_boxed(verifier_out, nv_verifier { inner }, "verifier_out")
        })
    }
}

/// Releases a builder. NULL is ignored. Verifiers built from it are unaffected.
///
/// # Safety
/// `builder` is NULL or a handle from `nv_verifier_builder_new` not yet freed; it
/// must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nv_verifier_builder_free(builder: *mut nv_verifier_builder) {
    // SAFETY: the caller passes NULL or an owning handle.
    guard_value((), || unsafe { free_box(builder) });
}

/// Releases a verifier. NULL is ignored. Result handles it produced stay valid.
///
/// # Safety
/// `verifier` is NULL or a handle from `nv_verifier_builder_build` not yet freed
/// and not in use by any thread; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nv_verifier_free(verifier: *mut nv_verifier) {
    // SAFETY: the caller passes NULL or an owning handle.
    guard_value((), || unsafe { free_box(verifier) });
}

/// Verifies the signature `envelope` of the OCI artifact `reference`
/// (`registry/repository@sha256:...`, which selects the trust policy statement)
/// whose descriptor is (`artifact_media_type`, `artifact_digest`,
/// `artifact_size`).
///
/// `envelope_media_type` is the signature's media type (the signature manifest's
/// `artifactType`; `"application/jose+json"` is the one supported). `time` is the verification
/// time in seconds since the Unix epoch, or `NV_TIME_NOW` for the system clock.
/// `options` is NULL or extra inputs (user metadata, revocation evidence).
///
/// Returns `NV_STATUS_OK` when the verdict is verified or skipped (the policy
/// says not to verify; check `nv_result_verdict`), and
/// `NV_STATUS_VERIFICATION_FAILED` when it is rejected; in both cases
/// `*result_out` holds the result. Problems with the envelope are verdicts, not
/// call failures. Other statuses mean no verification ran and `*result_out` is
/// NULL.
///
/// Ownership: every input is borrowed for the call only. The caller owns
/// `*result_out` and releases it with `nv_result_free`; on
/// `NV_STATUS_VERIFICATION_FAILED` the caller also owns `*error_out` (the
/// decisive failure) if `error_out` is not NULL.
///
/// # Safety
/// `verifier` is NULL or a live handle; `envelope` is NULL (with length 0) or
/// points to `envelope_len` readable bytes; the strings are NULL or
/// NUL-terminated; `options` is NULL or a live handle not being changed;
/// `result_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verify(
    verifier: *const nv_verifier,
    envelope: *const u8,
    envelope_len: usize,
    envelope_media_type: *const c_char,
    reference: *const c_char,
    artifact_media_type: *const c_char,
    artifact_digest: *const c_char,
    artifact_size: u64,
    time: i64,
    options: *const nv_verify_options,
    result_out: *mut *mut nv_result,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        clear_out(result_out);
        guard(error_out, || {
            let verifier = try_ref(verifier, "verifier")?;
            let envelope = bytes(envelope, envelope_len, "envelope")?;
            let envelope_media_type = text(envelope_media_type, "envelope_media_type")?;
            let reference = text(reference, "reference")?;
            let descriptor = Descriptor::new(
                text(artifact_media_type, "artifact_media_type")?,
                text(artifact_digest, "artifact_digest")?,
                artifact_size,
            );
            let request = Request::oci(envelope, reference, descriptor, to_time(time)?)
                .envelope_media_type(envelope_media_type);
            run(verifier, request, options.as_ref(), result_out)
        })
    }
}

/// Verifies the detached signature `envelope` of the blob `blob`.
///
/// `blob_policy_name` selects the blob trust policy statement by name (NULL: the
/// global statement). `blob_media_type` is the media type the signature must name
/// (NULL: any). The other arguments, the statuses and ownership are as for
/// `nv_verify`.
///
/// # Safety
/// As for `nv_verify`; `blob` is NULL (with length 0) or points to `blob_len`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn nv_verify_blob(
    verifier: *const nv_verifier,
    envelope: *const u8,
    envelope_len: usize,
    envelope_media_type: *const c_char,
    blob: *const u8,
    blob_len: usize,
    blob_policy_name: *const c_char,
    blob_media_type: *const c_char,
    time: i64,
    options: *const nv_verify_options,
    result_out: *mut *mut nv_result,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        clear_out(result_out);
        guard(error_out, || {
            let verifier = try_ref(verifier, "verifier")?;
            let envelope = bytes(envelope, envelope_len, "envelope")?;
            let envelope_media_type = text(envelope_media_type, "envelope_media_type")?;
            let request = Request::blob_with(
                envelope,
                bytes(blob, blob_len, "blob")?,
                optional_text(blob_policy_name, "blob_policy_name")?,
                optional_text(blob_media_type, "blob_media_type")?,
                to_time(time)?,
            )
            .envelope_media_type(envelope_media_type);
            run(verifier, request, options.as_ref(), result_out)
        })
    }
}

/// Applies the options, verifies, and hands the result to C.
///
/// # Safety
/// `result_out` is NULL or writable.
unsafe fn run(
    verifier: &nv_verifier,
    mut request: Request<'_>,
    options: Option<&nv_verify_options>,
    result_out: *mut *mut nv_result,
) -> Result<(), FfiError> {
    if result_out.is_null() {
        return Err(FfiError::invalid("result_out is NULL; it is required"));
    }
    if let Some(options) = options {
        request.user_metadata.clone_from(&options.user_metadata);
        request.revocation = options.revocation.clone();
    }
    let outcome = verifier.inner.verify(&request);
    let rejected =
        (outcome.verdict == Verdict::Rejected).then(|| FfiError::rejected(outcome.error.as_ref()));
    // SAFETY: forwarded from the caller.
    unsafe { set_boxed(result_out, nv_result::new(outcome), "result_out") }?;
    rejected.map_or(Ok(()), Err)
}

/// The verification time: `NV_TIME_NOW` reads the system clock.
fn to_time(time: i64) -> Result<Time, FfiError> {
    if time != NV_TIME_NOW {
        return Ok(Time::from_unix(time));
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|_| {
        FfiError::invalid("the system clock is before 1970; pass the verification time explicitly")
    })?;
    i64::try_from(now.as_secs())
        .map(Time::from_unix)
        .map_err(|_| {
            FfiError::invalid(
                "the system clock is out of range; pass the verification time explicitly",
            )
        })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::ffi::result::{nv_result_free, nv_result_json};

    fn fixture(path: &str) -> Vec<u8> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        std::fs::read(root.join(path)).unwrap()
    }

    /// A builder of the committed net-monitor configuration.
    fn builder() -> *mut nv_verifier_builder {
        let policy = fixture("config/trustpolicy.json");
        let mut builder = ptr::null_mut();
        // SAFETY: live buffers and out-pointers.
        unsafe {
            let status = nv_verifier_builder_new(
                policy.as_ptr(),
                policy.len(),
                ptr::null(),
                0,
                &mut builder,
                ptr::null_mut(),
            );
            assert_eq!(status, nv_status::Ok);
            for (store, file) in [
                (c"ca:test-rsa", "test-rsa/test-rsa-root.pem"),
                (c"ca:test-ec", "test-ec/test-ec-roots.pem"),
            ] {
                let certs = fixture(&format!("config/truststore/x509/ca/{file}"));
                let status = nv_verifier_builder_add_trust_store(
                    builder,
                    store.as_ptr(),
                    certs.as_ptr(),
                    certs.len(),
                    ptr::null_mut(),
                    ptr::null_mut(),
                );
                assert_eq!(status, nv_status::Ok);
            }
        }
        builder
    }

    fn build(builder: *const nv_verifier_builder) -> *mut nv_verifier {
        let mut verifier = ptr::null_mut();
        // SAFETY: a live builder and a writable out-pointer.
        let status = unsafe { nv_verifier_builder_build(builder, &mut verifier, ptr::null_mut()) };
        assert_eq!(status, nv_status::Ok);
        verifier
    }

    /// Verifies the ES256 fixture; returns the status and the outcome JSON.
    fn verify(verifier: *const nv_verifier) -> (nv_status, String) {
        let envelope = fixture("envelopes/valid/x509-es256.jws");
        let digest = c"sha256:f217ca031bf4404ff02307c375f45a007d5ed21b739905776eeb56843fd903fb";
        let mut result = ptr::null_mut();
        // SAFETY: live handle, buffers and NUL-terminated strings.
        unsafe {
            let status = nv_verify(
                verifier,
                envelope.as_ptr(),
                envelope.len(),
                c"application/jose+json".as_ptr(),
                c"registry.example/net-monitor@sha256:f217ca031bf4404ff02307c375f45a007d5ed21b739905776eeb56843fd903fb".as_ptr(),
                c"application/vnd.oci.image.manifest.v1+json".as_ptr(),
                digest.as_ptr(),
                551,
                1_795_478_400,
                ptr::null(),
                &mut result,
                ptr::null_mut(),
            );
            let json = CStr::from_ptr(nv_result_json(result, ptr::null_mut()))
                .to_str()
                .unwrap()
                .to_owned();
            nv_result_free(result);
            (status, json)
        }
    }

    #[test]
    fn each_built_verifier_gets_its_own_chain_cache_of_the_set_capacity() {
        let builder = builder();
        let plain = build(builder);
        // SAFETY: a live builder.
        let status = unsafe { nv_verifier_builder_set_chain_cache(builder, 8, ptr::null_mut()) };
        assert_eq!(status, nv_status::Ok);
        let (cached, other) = (build(builder), build(builder));
        // SAFETY: live handles, freed once below.
        unsafe {
            let cold = verify(plain);
            assert_eq!(cold.0, nv_status::Ok, "{}", cold.1);
            assert_eq!(verify(cached), cold);
            assert_eq!((*cached).inner.cached_chains(), 1);
            assert_eq!(verify(cached), cold, "warm");
            assert_eq!((*plain).inner.cached_chains(), 0);
            assert_eq!((*other).inner.cached_chains(), 0, "not shared");
            nv_verifier_free(plain);
            nv_verifier_free(cached);
            nv_verifier_free(other);
            nv_verifier_builder_free(builder);
        }
    }

    #[test]
    fn capacity_zero_builds_without_a_cache_and_a_null_builder_is_refused() {
        let builder = builder();
        // SAFETY: a live builder; NULL is the case under test.
        unsafe {
            assert_eq!(
                nv_verifier_builder_set_chain_cache(builder, 4, ptr::null_mut()),
                nv_status::Ok
            );
            assert_eq!(
                nv_verifier_builder_set_chain_cache(builder, 0, ptr::null_mut()),
                nv_status::Ok
            );
            let verifier = build(builder);
            verify(verifier);
            assert_eq!((*verifier).inner.cached_chains(), 0);
            nv_verifier_free(verifier);
            nv_verifier_builder_free(builder);
            assert_eq!(
                nv_verifier_builder_set_chain_cache(ptr::null_mut(), 4, ptr::null_mut()),
                nv_status::InvalidArgument
            );
        }
    }
}
