//! WebAssembly bindings of `notary-verify`: they read inputs into the core's types
//! and hand back the core's outcome JSON unchanged. No rule of the specification
//! lives here.
//!
//! | module | target | what |
//! |---|---|---|
//! | `options` | both | verifier settings and verification options, binding-neutral |
//! | `js` | `wasm32-unknown-unknown` | the npm package's API (`createVerifier`, `Verifier.verify`, `inspect`) |
//! | `wasi` | `wasm32-wasip1` | `nv_alloc`, `nv_free`, `nv_verify`, `nv_inspect`: JSON over linear memory |
//! | `request` | `wasm32-wasip1` (and natively in the `wasi_request` fuzz target) | the WASI requests: JSON in, outcome JSON or `{"error": …}` out; no exports, no `unsafe` |
//!
//! `docs/wasm.md` documents both APIs.
#![deny(unsafe_code)]
#![deny(missing_docs)]

#[cfg(not(any(all(target_arch = "wasm32", target_os = "unknown"), target_os = "wasi")))]
compile_error!("notary-verify-wasm builds for wasm32-unknown-unknown and wasm32-wasip1 only (see scripts/test-wasm.sh)");

mod options;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod js;

#[cfg(target_os = "wasi")]
mod request;
#[cfg(target_os = "wasi")]
mod wasi;
