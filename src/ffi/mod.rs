//! The C ABI (`libverify`, header `include/verify.h`). This layer only translates:
//! every rule of the specification lives in the core.
//!
//! Conventions, for every exported `nv_` function:
//! - Objects are opaque handles made by one `_new` and released by exactly one
//!   `_free`; `_free(NULL)` does nothing.
//! - Fallible functions return an [`nv_status`](error::nv_status) and take a last
//!   `error_out` argument: NULL, or where a failed call stores a new
//!   [`nv_error`](error::nv_error) (the caller frees it with `nv_error_free`). On
//!   success `*error_out` is set to NULL.
//! - Byte inputs are a pointer and a length (NULL only with length 0); text
//!   inputs are NUL-terminated UTF-8. Inputs are borrowed for the call only.
//! - Strings returned by accessors are borrowed from their handle and live as
//!   long as it does; the only string the caller frees is `nv_inspect`'s.
//! - Panics never cross the boundary: they become `NV_STATUS_INTERNAL_ERROR`.
#![deny(unsafe_op_in_unsafe_fn)]
// Type names are the C names (`nv_verifier`, `nv_status`, ...).
#![allow(non_camel_case_types)]

pub mod error;
pub mod inspect;
pub mod options;
mod panic;
pub mod result;
mod slice;
pub mod verifier;

use std::ffi::c_char;

use error::FfiError;

/// `nv_verify`'s `time` value meaning "now" (the system clock, read once per
/// call). Any other value is seconds since 1970-01-01T00:00:00Z.
pub const NV_TIME_NOW: i64 = i64::MIN;

/// Most CRLs, and most OCSP responses, one `nv_verify_options` may hold.
pub const NV_MAX_EVIDENCE_ITEMS: usize = 64;
const _: () = assert!(NV_MAX_EVIDENCE_ITEMS == crate::revocation::MAX_EVIDENCE_ITEMS);

/// The library version (for example `"0.1.0"`), a static string never freed.
#[no_mangle]
pub extern "C" fn nv_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Moves `value` to the heap and gives up ownership to C.
fn to_boxed_mut_ptr<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Drops a handle made by [`to_boxed_mut_ptr`]; NULL is ignored.
///
/// # Safety
/// `ptr` is NULL or came from [`to_boxed_mut_ptr`] and is not used afterwards.
unsafe fn free_box<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: the pointer came from `Box::into_raw` and ownership returns here.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Borrows a required handle.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` not mutated for `'a`.
unsafe fn try_ref<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, FfiError> {
    // SAFETY: forwarded from the caller.
    unsafe { ptr.as_ref() }
        .ok_or_else(|| FfiError::invalid(format!("{what} is NULL; it is required")))
}

/// Borrows a required handle mutably.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` not otherwise accessed for `'a`.
unsafe fn try_mut<'a, T>(ptr: *mut T, what: &str) -> Result<&'a mut T, FfiError> {
    // SAFETY: forwarded from the caller.
    unsafe { ptr.as_mut() }
        .ok_or_else(|| FfiError::invalid(format!("{what} is NULL; it is required")))
}

/// Moves `value` to the heap and stores the owning pointer in a required
/// out-pointer (nothing is allocated if `out` is NULL).
///
/// # Safety
/// `out` is NULL or valid for writing a pointer.
unsafe fn set_boxed<T>(out: *mut *mut T, value: T, what: &str) -> Result<(), FfiError> {
    // SAFETY: forwarded from the caller.
    unsafe { set_out(out, std::ptr::null_mut(), what) }?;
    // SAFETY: `out` was just written, so it is non-NULL and writable.
    unsafe { out.write(to_boxed_mut_ptr(value)) };
    Ok(())
}

/// Writes `value` to a required out-pointer.
///
/// # Safety
/// `out` is NULL or valid for writing a `T`.
unsafe fn set_out<T>(out: *mut T, value: T, what: &str) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::invalid(format!("{what} is NULL; it is required")));
    }
    // SAFETY: non-NULL and writable per the caller's contract.
    unsafe { out.write(value) };
    Ok(())
}

/// Clears an optional out-pointer so a failed call never leaves garbage in it.
///
/// # Safety
/// `out` is NULL or valid for writing a pointer.
unsafe fn clear_out<T>(out: *mut *mut T) {
    if !out.is_null() {
        // SAFETY: non-NULL and writable per the caller's contract.
        unsafe { out.write(std::ptr::null_mut()) };
    }
}
