//! Full verification of arbitrary envelope bytes with the committed trust store and
//! trust policies (built once), against both OCI policy statements and the blob
//! policy; a verifier with a chain cache must agree with one without.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    notary_verify_fuzz::verify_all(data);
});
