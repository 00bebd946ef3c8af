//! Borrowed inputs from C (byte buffers, NUL-terminated UTF-8 strings) and text
//! handed back to C.

use std::ffi::{c_char, CStr, CString};

use super::error::FfiError;

/// Borrows `len` bytes at `ptr`. NULL is accepted only with `len == 0` (an empty
/// input, which the core then judges).
///
/// # Safety
/// Unless NULL, `ptr` points to `len` readable bytes that stay valid and unchanged
/// for `'a`.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], FfiError> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(FfiError::invalid(format!(
                "{what} is NULL but its length is {len}; pass a buffer or a length of 0"
            )))
        };
    }
    if isize::try_from(len).is_err() {
        return Err(FfiError::invalid(format!(
            "{what} length {len} is larger than any buffer can be"
        )));
    }
    // SAFETY: non-NULL, length fits in isize, and the caller guarantees `len`
    // readable bytes for `'a`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows a required NUL-terminated UTF-8 string.
///
/// # Safety
/// Unless NULL, `ptr` points to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, FfiError> {
    // SAFETY: forwarded from the caller.
    unsafe { optional_text(ptr, what) }?
        .ok_or_else(|| FfiError::invalid(format!("{what} is NULL; it is required")))
}

/// Borrows an optional NUL-terminated UTF-8 string (NULL means absent).
///
/// # Safety
/// Unless NULL, `ptr` points to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const c_char,
    what: &str,
) -> Result<Option<&'a str>, FfiError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str().map(Some).map_err(|e| {
        FfiError::invalid(format!(
            "{what} is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// `text` as a C string. Text never holds NUL in practice (it comes from JSON
/// and C strings); a NUL that slips in is shown as U+FFFD rather than cutting
/// the string short.
pub(crate) fn c_string(text: &str) -> CString {
    CString::new(text)
        .unwrap_or_else(|_| CString::new(text.replace('\0', "\u{FFFD}")).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::nv_status;

    #[test]
    fn null_bytes_are_empty_only_with_zero_length() {
        // SAFETY: NULL pointers are never dereferenced.
        unsafe {
            assert_eq!(bytes(std::ptr::null(), 0, "x").unwrap(), b"");
            assert_eq!(
                bytes(std::ptr::null(), 3, "x").unwrap_err().status,
                nv_status::InvalidArgument
            );
        }
    }

    #[test]
    fn lengths_beyond_isize_are_refused() {
        let one = [0u8];
        // SAFETY: the length is refused before any read.
        let e = unsafe { bytes(one.as_ptr(), usize::MAX, "x") }.unwrap_err();
        assert_eq!(e.status, nv_status::InvalidArgument);
    }

    #[test]
    fn strings_must_be_utf8() {
        let bad = [b'a', 0xff, 0];
        // SAFETY: NUL-terminated buffers.
        unsafe {
            assert!(text(bad.as_ptr().cast(), "x").is_err());
            assert!(text(std::ptr::null(), "x").is_err());
            assert_eq!(optional_text(std::ptr::null(), "x").unwrap(), None);
            assert_eq!(text(c"ok".as_ptr(), "x").unwrap(), "ok");
        }
    }

    #[test]
    fn interior_nul_is_replaced() {
        assert_eq!(c_string("a\0b").to_str().unwrap(), "a\u{FFFD}b");
    }
}
