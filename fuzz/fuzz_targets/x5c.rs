//! Certificate and chain parsing inside an envelope: one certificate of a committed
//! valid envelope's x5c chain is replaced by arbitrary bytes (or appended), then the
//! envelope is inspected and fully verified. The leaf signature still verifies when
//! a CA certificate is replaced, so chain validation sees the fuzzed certificate.
//!
//! The fuzzed certificate is also decoded by the verifier's own borrowed decoder
//! and by x509-cert, and any difference between them is a crash.
//!
//! Input: byte 0 picks the envelope, byte 1 the position (past the end appends),
//! the rest is the DER certificate.
#![no_main]

use std::sync::OnceLock;

use base64ct::{Base64, Encoding};
use libfuzzer_sys::fuzz_target;
use notary_verify_fuzz::{chain_of, verify_all, ENVELOPES};
use serde_json::Value;

fn bases() -> &'static Vec<(Value, usize)> {
    static BASES: OnceLock<Vec<(Value, usize)>> = OnceLock::new();
    BASES.get_or_init(|| {
        ENVELOPES
            .iter()
            .map(|(_, bytes)| {
                (
                    serde_json::from_slice(bytes).expect("committed envelope is JSON"),
                    chain_of(bytes).len(),
                )
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let [which, position, der @ ..] = data else {
        return;
    };
    if let Err(difference) = verify::fuzzing::compare_certificate_decoders(der) {
        panic!("{difference}");
    }
    let (base, len) = &bases()[usize::from(*which) % bases().len()];
    let mut envelope = base.clone();
    let Some(Value::Array(x5c)) = envelope.pointer_mut("/header/x5c") else {
        return;
    };
    let entry = Value::String(Base64::encode_string(der));
    let position = usize::from(*position) % (len + 1);
    if position == *len {
        x5c.push(entry);
    } else {
        x5c[position] = entry;
    }
    let bytes = serde_json::to_vec(&envelope).expect("JSON serializes");
    let _ = verify::inspect(&bytes);
    verify_all(&bytes);
});
