//! `nv_status` (the result of every fallible call) and `nv_error` (the error
//! handle a failed call hands back, with the core's code, rule and message).

use std::ffi::{c_char, CStr, CString};

use super::panic::guard_value;
use super::slice::c_string;
use crate::error::{Error, ErrorCode};
use crate::outcome::Failure;

/// The result of a fallible call. Values are stable: they are never renumbered
/// or reused, and new ones are appended.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nv_status {
    /// The call succeeded (for `nv_verify`: the verdict is verified or skipped).
    Ok = 0,
    /// A required pointer is NULL, a length does not fit, a string is not
    /// UTF-8, or an index is out of range.
    InvalidArgument = 1,
    /// An envelope or a JSON document is not well formed.
    MalformedInput = 2,
    /// A trust policy document is invalid.
    PolicyError = 3,
    /// Trust store certificates were rejected.
    TrustStoreError = 4,
    /// Verification ran and the verdict is rejected; the result handle says why.
    VerificationFailed = 5,
    /// An input exceeds a size, depth or count limit.
    LimitExceeded = 6,
    /// A bug in the library (a caught panic); please report it.
    InternalError = 7,
}

impl nv_status {
    /// Every status, in declaration order.
    const ALL: [nv_status; 8] = [
        nv_status::Ok,
        nv_status::InvalidArgument,
        nv_status::MalformedInput,
        nv_status::PolicyError,
        nv_status::TrustStoreError,
        nv_status::VerificationFailed,
        nv_status::LimitExceeded,
        nv_status::InternalError,
    ];

    fn description(self) -> &'static CStr {
        match self {
            nv_status::Ok => c"success",
            nv_status::InvalidArgument => c"invalid argument",
            nv_status::MalformedInput => c"malformed input",
            nv_status::PolicyError => c"invalid trust policy",
            nv_status::TrustStoreError => c"trust store certificates rejected",
            nv_status::VerificationFailed => c"signature verification failed",
            nv_status::LimitExceeded => c"input limit exceeded",
            nv_status::InternalError => c"internal error",
        }
    }
}

/// A failure on its way to C: the status to return and the core error behind it.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) status: nv_status,
    pub(crate) error: Error,
}

impl FfiError {
    /// A caller mistake (NULL pointer, bad length, non-UTF-8 text, bad index).
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: nv_status::InvalidArgument,
            error: Error::new(ErrorCode::InvalidArgument, message),
        }
    }

    /// A bug: a panic caught at the boundary.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self {
            status: nv_status::InternalError,
            error: Error::new(ErrorCode::Internal, message),
        }
    }

    /// A core error reported as `status`, unless its code has a status of its own
    /// (limits, invalid arguments, internal errors).
    pub(crate) fn from_core(status: nv_status, error: Error) -> Self {
        let status = match error.code() {
            ErrorCode::LimitExceeded => nv_status::LimitExceeded,
            ErrorCode::InvalidArgument | ErrorCode::StoreReferenceInvalid => {
                nv_status::InvalidArgument
            }
            ErrorCode::Internal => nv_status::InternalError,
            _ => status,
        };
        Self { status, error }
    }

    /// The decisive failure of a rejected verification.
    pub(crate) fn rejected(failure: Option<&Failure>) -> Self {
        let error = match failure {
            Some(f) => Error::new(f.code, f.message.clone()),
            None => Error::new(
                ErrorCode::Internal,
                "verification was rejected without a reason; please report this",
            ),
        };
        Self {
            status: nv_status::VerificationFailed,
            error,
        }
    }
}

/// The details of a failed call: status, stable code, catalogue rule and message.
///
/// Created by the library when a call fails and its `error_out` argument is not
/// NULL; owned by the caller, who releases it with `nv_error_free`. Immutable, so
/// it may be read from any thread.
pub struct nv_error {
    status: nv_status,
    code: CString,
    rule: Option<CString>,
    message: CString,
}

impl From<FfiError> for nv_error {
    fn from(e: FfiError) -> Self {
        nv_error {
            status: e.status,
            code: c_string(e.error.code().as_str()),
            rule: e.error.rule().map(c_string),
            message: c_string(e.error.message()),
        }
    }
}

/// A static, NUL-terminated English description of `status` (for example
/// `"invalid trust policy"`), or `"unknown status"` for a value that is not an
/// `nv_status`. The string is owned by the library and never freed.
#[no_mangle]
pub extern "C" fn nv_status_description(status: u32) -> *const c_char {
    guard_value(c"internal error".as_ptr(), || {
        nv_status::ALL
            .iter()
            .find(|s| **s as u32 == status)
            .map_or(c"unknown status", |s| s.description())
            .as_ptr()
    })
}

/// The status of the failed call that created `error`; `NV_STATUS_INVALID_ARGUMENT`
/// if `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live handle from this library.
#[no_mangle]
pub unsafe extern "C" fn nv_error_status(error: *const nv_error) -> nv_status {
    guard_value(nv_status::InternalError, || {
        // SAFETY: the caller passes NULL or a live handle.
        unsafe { error.as_ref() }.map_or(nv_status::InvalidArgument, |e| e.status)
    })
}

/// The stable `snake_case` error code (for example `"chain_not_trusted"`), the
/// same string as in the outcome JSON. Borrowed from `error`: valid until
/// `nv_error_free(error)`; never freed by the caller. NULL if `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live handle from this library.
#[no_mangle]
pub unsafe extern "C" fn nv_error_code(error: *const nv_error) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live handle.
        unsafe { error.as_ref() }.map_or(std::ptr::null(), |e| e.code.as_ptr())
    })
}

/// The rejection-catalogue ID of the error (for example `"STORE-09"`), or NULL
/// if it has none or `error` is NULL. Borrowed from `error`: valid until
/// `nv_error_free(error)`; never freed by the caller.
///
/// # Safety
/// `error` is NULL or a live handle from this library.
#[no_mangle]
pub unsafe extern "C" fn nv_error_rule(error: *const nv_error) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live handle.
        unsafe { error.as_ref() }
            .and_then(|e| e.rule.as_ref())
            .map_or(std::ptr::null(), |r| r.as_ptr())
    })
}

/// One English sentence saying what is wrong and what to do (UTF-8,
/// NUL-terminated). Borrowed from `error`: valid until `nv_error_free(error)`;
/// never freed by the caller. NULL if `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live handle from this library.
#[no_mangle]
pub unsafe extern "C" fn nv_error_message(error: *const nv_error) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live handle.
        unsafe { error.as_ref() }.map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// Releases an error handle and the strings borrowed from it. NULL is ignored.
///
/// # Safety
/// `error` is NULL or a handle from this library not yet freed; it must not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nv_error_free(error: *mut nv_error) {
    // SAFETY: the caller passes NULL or an owning handle from `Box::into_raw`.
    guard_value((), || unsafe { super::free_box(error) });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_distinct_description() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, s) in nv_status::ALL.iter().enumerate() {
            assert_eq!(*s as u32, i as u32, "statuses are numbered in order");
            // SAFETY: the description is a static C string.
            let text = unsafe { CStr::from_ptr(nv_status_description(*s as u32)) };
            assert!(seen.insert(text.to_owned()));
        }
        // SAFETY: as above.
        let unknown = unsafe { CStr::from_ptr(nv_status_description(99)) };
        assert_eq!(unknown, c"unknown status");
    }

    #[test]
    fn core_codes_with_a_status_of_their_own_keep_it() {
        let limit = FfiError::from_core(
            nv_status::PolicyError,
            Error::new(ErrorCode::LimitExceeded, "big"),
        );
        assert_eq!(limit.status, nv_status::LimitExceeded);
        let policy = FfiError::from_core(
            nv_status::PolicyError,
            Error::new(ErrorCode::PolicyEmpty, "empty"),
        );
        assert_eq!(policy.status, nv_status::PolicyError);
    }
}
