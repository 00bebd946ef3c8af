//! The verifier's RFC 3161 token parser (`src/timestamp.rs`: CMS decoded with
//! borrowed certificates, each read once by the certificate reader) against the
//! same token decoded with the owned types of the `cms` crate, the decoding it
//! must agree with: acceptance, error code, the certificates and their order,
//! the signer infos, the TSTInfo and its times. A difference is a crash. Seeded
//! with every committed token.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|token: &[u8]| {
    if let Err(difference) = verify::fuzzing::compare_timestamp_token_parsers(token) {
        panic!("{difference}");
    }
});
