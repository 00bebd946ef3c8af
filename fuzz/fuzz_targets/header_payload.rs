//! Protected header and payload rules, reached directly: the input is the raw
//! protected-header JSON, a NUL byte, then the raw payload JSON (no NUL: the payload
//! of a committed envelope). They are base64url-encoded into an envelope with the
//! committed certificate chain whose key matches the header's `alg` (the AWS-like
//! chain when the header names an AWS Signer attribute) and inspected; the
//! signature is not checked by inspection.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use notary_verify_fuzz::{assemble, chain_of, ENVELOPES};

/// A committed envelope's name and certificate chain (DER, leaf first).
type NamedChain = (&'static str, Vec<Vec<u8>>);

fn chain(name: &str) -> &'static [Vec<u8>] {
    static CHAINS: OnceLock<Vec<NamedChain>> = OnceLock::new();
    let chains = CHAINS.get_or_init(|| {
        ENVELOPES
            .iter()
            .map(|(n, bytes)| (*n, chain_of(bytes)))
            .collect()
    });
    chains
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&chains[0].1, |(_, c)| c)
}

fn chain_for(protected: &[u8]) -> &'static [Vec<u8>] {
    let contains = |needle: &[u8]| protected.windows(needle.len()).any(|w| w == needle);
    if contains(b"com.amazonaws") {
        return chain("sa-aws-es384");
    }
    for alg in ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512"] {
        if contains(alg.as_bytes()) {
            return chain(&format!("x509-{}", alg.to_ascii_lowercase()));
        }
    }
    chain("x509-es256")
}

const PAYLOAD: &[u8] = br#"{"targetArtifact":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b","size":1234}}"#;

fuzz_target!(|data: &[u8]| {
    let (protected, payload) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, PAYLOAD),
    };
    let envelope = assemble(protected, payload, chain_for(protected), "c2lnbmF0dXJl");
    let _ = verify::inspect(&envelope);
});
