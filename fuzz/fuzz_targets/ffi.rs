//! The C ABI entry points (`src/ffi`), called as C would: `nv_verify`,
//! `nv_verify_blob` and `nv_inspect` on arbitrary envelope bytes with a verifier
//! built once through `nv_verifier_builder_*` from the committed configuration, then
//! every accessor of the result, and every handle freed (the fuzzer's leak checker
//! sees a missed free). A panic anywhere aborts (libFuzzer's panic hook), and an
//! `NV_STATUS_INTERNAL_ERROR` is a finding too.
//!
//! Input: byte 0 picks the call (0 `nv_verify`, 1 `nv_verify_blob`, 2 `nv_inspect`,
//! 3 `nv_verify` whose reference is the bytes up to the first NUL, the envelope
//! after it); the rest is the envelope.
#![no_main]

use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use notary_verify_fuzz::{
    descriptor, reference, BLOB, BLOB_POLICY, OCI_POLICY, REPOSITORIES, STORES,
};
use verify::ffi::error::{nv_error, nv_error_free, nv_status};
use verify::ffi::inspect::{nv_inspect, nv_string_free};
use verify::ffi::result::*;
use verify::ffi::verifier::*;

/// A built verifier; `nv_verifier` is documented thread-safe and is never freed.
struct Shared(*mut nv_verifier);
// SAFETY: nv_verifier is immutable after build and documented as shareable across threads.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

/// 2026-11-24T00:00:00Z, the fixtures' verification time.
const AT: i64 = 1_795_478_400;

fn verifier() -> *const nv_verifier {
    static VERIFIER: OnceLock<Shared> = OnceLock::new();
    VERIFIER
        .get_or_init(|| {
            let mut builder = ptr::null_mut();
            let mut verifier = ptr::null_mut();
            // SAFETY: every pointer is valid for the call; the builder is freed once.
            unsafe {
                let status = nv_verifier_builder_new(
                    OCI_POLICY.as_ptr(),
                    OCI_POLICY.len(),
                    BLOB_POLICY.as_ptr(),
                    BLOB_POLICY.len(),
                    &mut builder,
                    ptr::null_mut(),
                );
                assert_eq!(status, nv_status::Ok, "builder");
                for (name, pem) in STORES {
                    let name = CString::new(*name).unwrap();
                    let status = nv_verifier_builder_add_trust_store(
                        builder,
                        name.as_ptr(),
                        pem.as_ptr(),
                        pem.len(),
                        ptr::null_mut(),
                        ptr::null_mut(),
                    );
                    assert_eq!(status, nv_status::Ok, "trust store");
                }
                assert_eq!(
                    nv_verifier_builder_build(builder, &mut verifier, ptr::null_mut()),
                    nv_status::Ok
                );
                nv_verifier_builder_free(builder);
            }
            Shared(verifier)
        })
        .0
}

/// Reads a borrowed C string completely (so a dangling one would be caught).
fn touch(s: *const c_char) {
    if !s.is_null() {
        // SAFETY: accessors return NULL or a NUL-terminated string owned by a live handle.
        let _ = unsafe { CStr::from_ptr(s) }.to_bytes().len();
    }
}

/// Reads every accessor of `result`, then frees it and `error`.
///
/// # Safety
/// `result` is a live result handle and `error` NULL or a live error handle.
unsafe fn consume(result: *mut nv_result, error: *mut nv_error) {
    // SAFETY: forwarded from the caller.
    unsafe {
        let _ = nv_result_verdict(result);
        for index in 0..=nv_result_check_count(result) {
            let mut check = nv_check::Integrity;
            let mut action = nv_action::Enforce;
            let mut status = nv_check_status::Passed;
            let _ = nv_result_check_kind(result, index, &mut check);
            let _ = nv_result_check_action(result, index, &mut action);
            let _ = nv_result_check_status(result, index, &mut status);
            touch(nv_result_check_code(result, index));
            touch(nv_result_check_rule(result, index));
            touch(nv_result_check_message(result, index));
        }
        touch(nv_result_error_code(result));
        touch(nv_result_error_rule(result));
        touch(nv_result_error_message(result));
        let mut len = 0;
        let json = nv_result_json(result, &mut len);
        assert!(!json.is_null(), "every result has JSON");
        let text = std::slice::from_raw_parts(json.cast::<u8>(), len);
        assert!(
            serde_json::from_slice::<serde_json::Value>(text).is_ok(),
            "result JSON parses"
        );
        nv_result_free(result);
        nv_error_free(error);
    }
}

fn check(status: nv_status) {
    assert_ne!(
        status,
        nv_status::InternalError,
        "internal error (a caught panic)"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let media_type = c"application/jose+json";
    let manifest = CString::new(descriptor().media_type).unwrap();
    let digest = CString::new(descriptor().digest).unwrap();
    let mut result = ptr::null_mut();
    let mut error = ptr::null_mut();
    // SAFETY: every pointer is valid for the call; outputs are consumed and freed once.
    unsafe {
        match selector % 4 {
            0 | 3 => {
                let (reference, envelope) = if selector % 4 == 0 {
                    (CString::new(reference(REPOSITORIES[0])).unwrap(), rest)
                } else {
                    let end = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
                    (
                        CString::new(&rest[..end]).unwrap(),
                        rest.get(end + 1..).unwrap_or_default(),
                    )
                };
                let status = nv_verify(
                    verifier(),
                    envelope.as_ptr(),
                    envelope.len(),
                    media_type.as_ptr(),
                    reference.as_ptr(),
                    manifest.as_ptr(),
                    digest.as_ptr(),
                    descriptor().size,
                    AT,
                    ptr::null(),
                    &mut result,
                    &mut error,
                );
                check(status);
            }
            1 => {
                let status = nv_verify_blob(
                    verifier(),
                    rest.as_ptr(),
                    rest.len(),
                    media_type.as_ptr(),
                    BLOB.as_ptr(),
                    BLOB.len(),
                    ptr::null(),
                    ptr::null(),
                    AT,
                    ptr::null(),
                    &mut result,
                    &mut error,
                );
                check(status);
            }
            _ => {
                let mut json = ptr::null_mut();
                let status = nv_inspect(rest.as_ptr(), rest.len(), &mut json, &mut error);
                check(status);
                touch(json);
                nv_string_free(json);
                nv_error_free(error);
                return;
            }
        }
        if result.is_null() {
            nv_error_free(error);
        } else {
            consume(result, error);
        }
    }
});
