//! The verifier's borrowing certificate reader (`src/x509.rs`) against x509-cert,
//! the decoder it must agree with: the input is one DER certificate, decoded by
//! both; a difference in acceptance, in any field or in a rendered name is a crash.
//! Much faster than `x5c` (no envelope, no verification), so it reaches far more
//! inputs; seeded with every fixture certificate.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|der: &[u8]| {
    if let Err(difference) = verify::fuzzing::compare_certificate_decoders(der) {
        panic!("{difference}");
    }
});
