//! The panic boundary: every exported function runs its body through [`guard`] or
//! [`guard_value`], so a panic (a bug) never unwinds into C. It becomes
//! `NV_STATUS_INTERNAL_ERROR`, or a documented fallback value for accessors.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::error::{nv_error, nv_status, FfiError};

/// Runs a fallible body. Clears `*error_out` first; on failure stores a new
/// `nv_error` there (when `error_out` is not NULL) and returns its status.
///
/// # Safety
/// `error_out` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard(
    error_out: *mut *mut nv_error,
    body: impl FnOnce() -> Result<(), FfiError>,
) -> nv_status {
    // SAFETY: the caller guarantees `error_out` is NULL or writable.
    if let Some(slot) = unsafe { error_out.as_mut() } {
        *slot = std::ptr::null_mut();
    }
    let result = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(FfiError::internal(format!(
            "the library panicked ({what}); this is a bug, please report it with the input that caused it"
        )))
    });
    match result {
        Ok(()) => nv_status::Ok,
        Err(e) => {
            let status = e.status;
            // SAFETY: as above.
            if let Some(slot) = unsafe { error_out.as_mut() } {
                *slot = super::to_boxed_mut_ptr(nv_error::from(e));
            }
            status
        }
    }
}

/// Runs an infallible body (an accessor or a `_free`), returning `fallback` if it
/// panics.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{nv_error_code, nv_error_free, nv_error_message, nv_error_status};
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let mut error: *mut nv_error = std::ptr::null_mut();
        // SAFETY: `error` is a valid out-pointer.
        let status = unsafe { guard(&mut error, || panic!("boom")) };
        assert_eq!(status, nv_status::InternalError);
        assert!(!error.is_null());
        // SAFETY: `error` is a live handle; the strings are read before it is freed.
        unsafe {
            assert_eq!(nv_error_status(error), nv_status::InternalError);
            assert_eq!(CStr::from_ptr(nv_error_code(error)), c"internal");
            let message = CStr::from_ptr(nv_error_message(error)).to_str().unwrap();
            assert!(message.contains("boom"), "{message}");
            nv_error_free(error);
        }
    }

    #[test]
    fn a_panicking_accessor_returns_its_fallback() {
        assert_eq!(guard_value(7, || panic!("boom")), 7);
    }

    #[test]
    fn success_clears_the_error_slot() {
        let mut error: *mut nv_error = std::ptr::NonNull::dangling().as_ptr();
        // SAFETY: `error` is a valid out-pointer (its old value is never read).
        let status = unsafe { guard(&mut error, || Ok(())) };
        assert_eq!(status, nv_status::Ok);
        assert!(error.is_null());
    }
}
