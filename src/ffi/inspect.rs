//! `nv_inspect`: what an envelope says, without verifying it (the core's
//! `SignatureFacts` as JSON), and `nv_string_free` for the string it returns.

use std::ffi::{c_char, CString};

use super::error::{nv_error, nv_status, FfiError};
use super::panic::{guard, guard_value};
use super::slice::{bytes, c_string};
use super::{clear_out, set_out};
use crate::verifier::inspect;

/// Reads the signature envelope `envelope` (JWS, `application/jose+json`) without
/// verifying it and stores its facts as JSON in `*json_out`: algorithm, signing
/// scheme, signing time, expiry, extended attributes, certificate chain, signed
/// artifact, AWS Signer details (the `signature` member of the outcome JSON).
///
/// Returns `NV_STATUS_MALFORMED_INPUT` if the envelope cannot be read (the
/// error's code and rule say why) and `NV_STATUS_LIMIT_EXCEEDED` if it is too
/// large.
///
/// Ownership: `envelope` is borrowed for the call only. On success the caller
/// owns `*json_out` (NUL-terminated UTF-8) and releases it with `nv_string_free`;
/// on failure `*json_out` is NULL.
///
/// # Safety
/// `envelope` is NULL (with length 0) or points to `envelope_len` readable bytes;
/// `json_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nv_inspect(
    envelope: *const u8,
    envelope_len: usize,
    json_out: *mut *mut c_char,
    error_out: *mut *mut nv_error,
) -> nv_status {
    // SAFETY: the caller's contract covers every pointer.
    unsafe {
        clear_out(json_out);
        guard(error_out, || {
            if json_out.is_null() {
                return Err(FfiError::invalid("json_out is NULL; it is required"));
            }
            let envelope = bytes(envelope, envelope_len, "envelope")?;
            let facts =
                inspect(envelope).map_err(|e| FfiError::from_core(nv_status::MalformedInput, e))?;
            let json = serde_json::to_string(&facts).map_err(|e| {
                FfiError::internal(format!(
                    "signature facts could not be written as JSON ({e}); please report this"
                ))
            })?;
            set_out(json_out, c_string(&json).into_raw(), "json_out")
        })
    }
}

/// Releases a string the library handed over (`nv_inspect`'s JSON). NULL is
/// ignored. Strings borrowed from handles must not be passed here.
///
/// # Safety
/// `string` is NULL or a string from `nv_inspect` not yet freed; it must not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nv_string_free(string: *mut c_char) {
    guard_value((), || {
        if !string.is_null() {
            // SAFETY: the string came from `CString::into_raw` and ownership returns here.
            drop(unsafe { CString::from_raw(string) });
        }
    });
}
