//! Envelope parsing: `verify::inspect` on arbitrary bytes (envelope syntax, protected
//! header rules, certificate parsing, chain shape and profile, payload), and the
//! two JSON trees (the envelope is read borrowed, everything else owned) compared.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(difference) = verify::fuzzing::compare_json_trees(data) {
        panic!("{difference}");
    }
    if let Ok(facts) = verify::inspect(data) {
        assert!(
            !facts.certificates.is_empty(),
            "inspected signature has no certificate"
        );
    }
});
