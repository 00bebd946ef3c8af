//! The verifier's borrowing CRL reader (`src/x509.rs`) against x509-cert, the
//! decoder it must agree with: the input is one DER CRL, decoded by both; a
//! difference in acceptance or in any field is a crash. Seeded with every
//! fixture CRL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|der: &[u8]| {
    if let Err(difference) = verify::fuzzing::compare_crl_decoders(der) {
        panic!("{difference}");
    }
});
