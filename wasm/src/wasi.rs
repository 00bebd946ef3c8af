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
//! behaviour, and this module has no `unsafe` block. The requests themselves are
//! read and answered by `request.rs`.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use verify::Error;

use crate::options::invalid;
use crate::request::{self, error_json};

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
    respond(ptr, len, request::verify)
}

/// Reads the envelope of the request JSON at `ptr` (`len` bytes) without verifying
/// it. Returns `address << 32 | length` of the response: the signature facts JSON,
/// or `{"error": {...}}`. Returns 0 if memory is exhausted.
#[allow(unsafe_code)] // `no_mangle` only names the export (unique nv_ prefix).
#[no_mangle]
pub extern "C" fn nv_inspect(ptr: u32, len: u32) -> u64 {
    respond(ptr, len, request::inspect)
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
