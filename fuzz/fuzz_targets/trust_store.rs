//! Certificate parsing through the trust store: `TrustStore::add` of arbitrary bytes
//! (PEM or DER) under each store type; the first byte picks the type.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verify::TrustStore;

const STORES: [&str; 3] = ["ca:fuzz", "signingAuthority:fuzz", "tsa:fuzz"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let store = STORES[usize::from(selector) % STORES.len()];
    let mut trust = TrustStore::empty();
    match trust.add(store, bytes) {
        Ok(added) => assert!(added > 0, "a successful add adds certificates"),
        Err(e) => assert!(!e.message().is_empty(), "errors carry a message"),
    }
    assert_eq!(trust.names(), vec![store.to_owned()]);
});
