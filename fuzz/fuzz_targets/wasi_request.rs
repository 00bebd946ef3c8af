//! The WASI module's request JSON (`nv_verify`, `nv_inspect`): the input is the
//! request, answered by `wasm/src/request.rs` itself (included by path with the
//! `options.rs` it builds on, rather than through the wasm crate, which forces the
//! ring backend), on the native aws-lc backend. The response must be what the host
//! receives: a JSON object that is an outcome (`verdict`), signature facts, or
//! `{"error": {...}}` with a code other than `internal`. A panic anywhere aborts.
#![no_main]

#[path = "../../wasm/src/options.rs"]
mod options;
#[path = "../../wasm/src/request.rs"]
mod request;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use verify::Error;

/// Answers `data` as the WASI module does and checks the response's shape.
fn answer(handle: fn(&[u8]) -> Result<String, Error>, data: &[u8], outcome: bool) {
    let result = handle(data);
    let failed = result.is_err();
    let response = result.unwrap_or_else(request::error_json);
    let value: Value = serde_json::from_str(&response).expect("the response is JSON");
    let object = value.as_object().expect("the response is a JSON object");
    if failed {
        assert_eq!(
            object.len(),
            1,
            "an error response has one member: {response}"
        );
        let code = object["error"]["code"]
            .as_str()
            .expect("the error has a code");
        assert_ne!(code, "internal", "{response}");
        assert!(
            object["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "the error has a message: {response}"
        );
    } else if outcome {
        assert!(
            object.contains_key("verdict"),
            "an outcome has a verdict: {response}"
        );
    } else {
        assert!(!object.contains_key("error"), "signature facts: {response}");
    }
}

fuzz_target!(|data: &[u8]| {
    answer(request::verify, data, true);
    answer(request::inspect, data, false);
});
