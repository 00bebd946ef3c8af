//! `nv_verify_options`: the optional inputs of one verification (required user
//! metadata, revocation evidence: AWS Signer answers, CRLs, OCSP responses).

use std::collections::BTreeMap;
use std::ffi::c_char;

use super::error::{nv_error, nv_status, FfiError};
use super::panic::{guard, guard_value};
use super::slice::{bytes, text};
use super::NV_MAX_EVIDENCE_ITEMS;
use super::{free_box, set_boxed, try_mut};
use crate::aws::RevocationAnswer;
use crate::error::{Error, ErrorCode};
use crate::revocation::RevocationEvidence;

/// Optional inputs of `nv_verify` / `nv_verify_blob`.
///
/// Created by `nv_verify_options_new`, owned by the caller, released with
/// `nv_verify_options_free`. The library copies everything added to it, so the
/// caller's buffers may be freed right after each call. Not thread-safe while
/// being changed; once filled it may be passed to concurrent `nv_verify` calls.
pub struct nv_verify_options {
    pub(crate) user_metadata: BTreeMap<String, String>,
    pub(crate) revocation: RevocationEvidence,
}

/// Creates an empty options handle and stores it in `*options_out`.
///
/// Ownership: the caller owns `*options_out` and releases it with
/// `nv_verify_options_free`.
///
/// # Safety
/// `options_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verify_options_new(
    options_out: *mut *mut nv_verify_options,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers both out-pointers.
    unsafe {
        guard(error_out, || {
            let options = nv_verify_options {
                user_metadata: BTreeMap::new(),
                revocation: RevocationEvidence::none(),
            };
            set_boxed(options_out, options, "options_out")
        })
    }
}

/// Requires the signed user metadata (the signature's annotations) to contain
/// `key` with exactly `value`; adding a key again replaces its value.
///
/// Ownership: `key` and `value` are NUL-terminated UTF-8 strings borrowed for the
/// call only.
///
/// # Safety
/// `options` is a live handle not used concurrently; `key`, `value` are NULL or
/// NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verify_options_add_user_metadata(
    options: *mut nv_verify_options,
    key: *const c_char,
    value: *const c_char,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        guard(error_out, || {
            let options = try_mut(options, "options")?;
            let key = text(key, "key")?;
            let value = text(value, "value")?;
            options
                .user_metadata
                .insert(key.to_owned(), value.to_owned());
            Ok(())
        })
    }
}

/// Supplies AWS Signer revocation evidence: the JSON answer of AWS's
/// `signer:GetRevocationStatus` (`{"revokedEntities": [...]}`; the request inputs
/// are in the outcome JSON at `signature.aws.revocationRequest`). Replaces any
/// earlier answer. Returns `NV_STATUS_MALFORMED_INPUT` if it is not such JSON.
///
/// Ownership: `answer_json` is borrowed for the call only.
///
/// # Safety
/// `options` is a live handle not used concurrently; `answer_json` is NULL (with
/// length 0) or points to `answer_len` readable bytes; `error_out` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verify_options_set_aws_revocation(
    options: *mut nv_verify_options,
    answer_json: *const u8,
    answer_len: usize,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        guard(error_out, || {
            let options = try_mut(options, "options")?;
            let json = bytes(answer_json, answer_len, "answer_json")?;
            let answer: RevocationAnswer = serde_json::from_slice(json).map_err(|e| {
                FfiError::from_core(
                    nv_status::MalformedInput,
                    Error::new(
                        ErrorCode::RevocationCheckFailed,
                        format!("the AWS revocation answer is not GetRevocationStatus JSON ({e}); pass the response body as returned"),
                    ),
                )
            })?;
            options.revocation = std::mem::take(&mut options.revocation).with_aws_answer(answer);
            Ok(())
        })
    }
}

/// Adds a DER CRL (base or delta), as served by a CRL distribution point named
/// in the signature's certificates (`crlUrls` in the outcome or inspect JSON).
/// At most `NV_MAX_EVIDENCE_ITEMS` CRLs: one more is `NV_STATUS_LIMIT_EXCEEDED`.
/// The CRL is judged by `nv_verify` (an unusable one fails the revocation check).
///
/// Ownership: `crl_der` is borrowed for the call only (copied).
///
/// # Safety
/// `options` is a live handle not used concurrently; `crl_der` is NULL (with
/// length 0) or points to `crl_len` readable bytes; `error_out` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verify_options_add_crl(
    options: *mut nv_verify_options,
    crl_der: *const u8,
    crl_len: usize,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        guard(error_out, || {
            let options = try_mut(options, "options")?;
            let der = bytes(crl_der, crl_len, "crl_der")?;
            check_room(options.revocation.crls.len(), "CRLs")?;
            options.revocation = std::mem::take(&mut options.revocation).with_crl(der);
            Ok(())
        })
    }
}

/// Adds a DER OCSP response (`OCSPResponse`, as the responder named in `ocspUrls`
/// returned it). At most `NV_MAX_EVIDENCE_ITEMS` responses: one more is
/// `NV_STATUS_LIMIT_EXCEEDED`. The response is judged by `nv_verify`.
///
/// Ownership: `response_der` is borrowed for the call only (copied).
///
/// # Safety
/// `options` is a live handle not used concurrently; `response_der` is NULL (with
/// length 0) or points to `response_len` readable bytes; `error_out` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn nv_verify_options_add_ocsp(
    options: *mut nv_verify_options,
    response_der: *const u8,
    response_len: usize,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        guard(error_out, || {
            let options = try_mut(options, "options")?;
            let der = bytes(response_der, response_len, "response_der")?;
            check_room(options.revocation.ocsp.len(), "OCSP responses")?;
            options.revocation = std::mem::take(&mut options.revocation).with_ocsp(der);
            Ok(())
        })
    }
}

/// Refuses evidence beyond what the core accepts, before copying it.
fn check_room(held: usize, what: &str) -> Result<(), FfiError> {
    if held < NV_MAX_EVIDENCE_ITEMS {
        return Ok(());
    }
    Err(FfiError::from_core(
        nv_status::LimitExceeded,
        Error::new(
            ErrorCode::LimitExceeded,
            format!("at most {NV_MAX_EVIDENCE_ITEMS} {what} may be passed as revocation evidence"),
        ),
    ))
}

/// Releases an options handle. NULL is ignored.
///
/// # Safety
/// `options` is NULL or a handle from `nv_verify_options_new` not yet freed and
/// not in use by a concurrent call; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nv_verify_options_free(options: *mut nv_verify_options) {
    // SAFETY: the caller passes NULL or an owning handle.
    guard_value((), || unsafe { free_box(options) });
}
