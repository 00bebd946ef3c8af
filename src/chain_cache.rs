//! The verified-chain cache (opt-in, [`crate::Verifier::with_chain_cache`]).
//!
//! A signer seen before should cost one signature verification. The cache maps the
//! exact text of an envelope's `x5c` entries to the chain they decode to, parsed
//! (certificates and their facts) and validated against the verifier's trust store
//! (linkage, link signatures, certificate profile: the time-independent checks).
//! Keying by the base64 text, not the decoded bytes, lets a hit skip base64
//! decoding and certificate parsing as well as the link signatures.
//!
//! With the chains it keeps the certificate signatures that verified in chains the
//! verifier builds itself (a timestamp authority's chain, which is built anew for
//! every token), by the SHA-256 of the certificate and of its issuer.
//!
//! What is never cached: validity periods, expiry, trust-store membership, trusted
//! identities, revocation and the envelope signature — every call evaluates them.
//! Only chains that passed validation are inserted, so a hit can never turn a
//! rejection into an acceptance; the cache belongs to one verifier (one trust store,
//! one set of limits), and changing the limits starts a new cache.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use crate::cert::Cert;
use crate::crypto::{self, PreparedKey, Scheme};
use crate::outcome::CertificateFacts;
use crate::store::TrustStore;

/// The cache key of a chain: the exact text of its entries, each prefixed with its
/// length so entry boundaries are part of the key. Equality compares the whole
/// text; the hash covers only the total length and the end of the leaf's entry (its
/// signature: distinct for distinct leaves), so a lookup does not hash kilobytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainKey {
    text: Box<[u8]>,
    probe: [u8; PROBE],
}

/// How many bytes at the end of the leaf entry the hash covers.
const PROBE: usize = 48;

impl Hash for ChainKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.text.len());
        state.write(&self.probe);
    }
}

/// A parsed `x5c` chain: the certificates, leaf first, their facts for the
/// outcome (computed once, since rendering names is a visible part of a verify)
/// and the signing key, parsed for its scheme at the first signature check.
#[derive(Debug)]
pub(crate) struct ParsedChain {
    pub certs: Vec<Cert>,
    pub facts: Vec<CertificateFacts>,
    leaf_key: OnceLock<Option<PreparedKey>>,
}

impl ParsedChain {
    pub fn new(certs: Vec<Cert>) -> Self {
        let facts = CertificateFacts::of_chain(&certs);
        Self {
            certs,
            facts,
            leaf_key: OnceLock::new(),
        }
    }

    /// Whether `signature` over `message` verifies with the leaf's key under
    /// `scheme` (exactly [`crypto::verify`]; a cached chain keeps the parsed key).
    pub fn leaf_verifies(&self, scheme: Scheme, message: &[u8], signature: &[u8]) -> bool {
        let Some(leaf) = self.certs.first() else {
            return false;
        };
        match self
            .leaf_key
            .get_or_init(|| PreparedKey::new(scheme, &leaf.key_bits))
        {
            Some(key) if key.scheme() == scheme => key.verify(message, signature),
            _ => crypto::verify(scheme, &leaf.key_bits, message, signature),
        }
    }
}

/// Bounded, least-recently-used, shared by the clones of one verifier (`Sync`).
#[derive(Debug)]
pub(crate) struct ChainCache {
    capacity: usize,
    chains: Lru<ChainKey, Arc<ParsedChain>>,
    /// Certificate signatures that verified, by (certificate, issuer) SHA-256: the
    /// links of chains the verifier builds itself (timestamp authorities).
    links: Lru<[u8; 64], ()>,
}

/// How many verified links are remembered per cached chain.
const LINKS_PER_CHAIN: usize = 4;

impl ChainCache {
    /// A cache of at most `capacity` chains (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            chains: Lru::new(capacity),
            links: Lru::new(capacity.saturating_mul(LINKS_PER_CHAIN)),
        }
    }

    /// The same cache, emptied (same capacity).
    pub fn fresh(&self) -> Self {
        Self::new(self.capacity)
    }

    /// The key of the `x5c` entries' text.
    pub fn key(entries: &[&str]) -> ChainKey {
        let total: usize = entries.iter().map(|e| e.len() + 8).sum();
        let mut text = Vec::with_capacity(total);
        for entry in entries {
            text.extend_from_slice(&(entry.len() as u64).to_be_bytes());
            text.extend_from_slice(entry.as_bytes());
        }
        let mut probe = [0; PROBE];
        if let Some(leaf) = entries.first().map(|e| e.as_bytes()) {
            let tail = &leaf[leaf.len().saturating_sub(PROBE)..];
            probe[..tail.len()].copy_from_slice(tail);
        }
        ChainKey {
            text: text.into_boxed_slice(),
            probe,
        }
    }

    /// The validated chain with this key, if cached (marks it used).
    pub fn get(&self, key: &ChainKey) -> Option<Arc<ParsedChain>> {
        self.chains.get(key)
    }

    /// Remembers a chain that passed validation.
    pub fn insert(&self, key: ChainKey, chain: Arc<ParsedChain>) {
        self.chains.insert(key, chain);
    }

    /// How many chains are cached.
    pub fn len(&self) -> usize {
        self.chains.len()
    }
}

/// What a verifier already knows about certificates: which trust-store roots had
/// their self-signature verified when the store was built, and (with a cache)
/// which certificate signatures verified before.
pub(crate) struct Known<'a> {
    store: Option<&'a TrustStore>,
    cache: Option<&'a ChainCache>,
}

impl<'a> Known<'a> {
    /// Knowledge of `store` and `cache`.
    pub fn new(store: &'a TrustStore, cache: Option<&'a ChainCache>) -> Self {
        Self {
            store: Some(store),
            cache,
        }
    }

    /// Nothing known: every signature is verified.
    #[cfg(test)]
    pub fn nothing() -> Self {
        Self {
            store: None,
            cache: None,
        }
    }

    /// Whether `cert` is a trust-store certificate whose self-signature was
    /// verified at load.
    pub fn verified_root(&self, cert: &Cert) -> bool {
        self.store.is_some_and(|s| s.is_verified_root(cert))
    }

    /// [`Cert::verify_signed_by`], answered from the cache when this exact link
    /// verified before; only links that verify are remembered.
    pub fn link(&self, cert: &Cert, issuer: &Cert) -> Result<bool, String> {
        let mut key = [0; 64];
        key[..32].copy_from_slice(&cert.sha256);
        key[32..].copy_from_slice(&issuer.sha256);
        if self.cache.is_some_and(|c| c.links.get(&key).is_some()) {
            return Ok(true);
        }
        let verified = cert.verify_signed_by(issuer);
        if let (Some(cache), Ok(true)) = (self.cache, &verified) {
            cache.links.insert(key, ());
        }
        verified
    }
}

/// A bounded map that evicts its least recently used entry.
#[derive(Debug)]
struct Lru<K, V> {
    capacity: usize,
    inner: Mutex<LruInner<K, V>>,
}

#[derive(Debug)]
struct LruInner<K, V> {
    /// Key → value and its last use.
    entries: HashMap<K, (V, u64)>,
    tick: u64,
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::new(LruInner {
                entries: HashMap::new(),
                tick: 0,
            }),
        }
    }

    fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.inner.lock().ok()?;
        inner.tick += 1;
        let tick = inner.tick;
        let (value, last_use) = inner.entries.get_mut(key)?;
        *last_use = tick;
        Some(value.clone())
    }

    fn insert(&self, key: K, value: V) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&key) {
            if let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(k, _)| k.clone())
            {
                inner.entries.remove(&oldest);
            }
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.entries.insert(key, (value, tick));
    }

    fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl ChainKey {
        fn key_for_test(text: &str) -> Self {
            ChainCache::key(&[text])
        }
    }

    #[test]
    fn keys_with_the_same_hash_are_still_told_apart() {
        let cache = ChainCache::new(4);
        let a = ChainCache::key(&["MIIleafAAAA", "root1"]);
        let b = ChainCache::key(&["MIIleafAAAA", "root2"]);
        assert_eq!(a.probe, b.probe);
        cache.insert(a.clone(), Arc::new(ParsedChain::new(Vec::new())));
        assert!(cache.get(&a).is_some());
        assert!(cache.get(&b).is_none());
    }

    /// Chain facts render each name once but read as if each were rendered.
    #[test]
    fn chain_facts_render_every_name() {
        use base64ct::Encoding as _;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for name in ["sa-aws-es384", "x509-ps384", "x509-es256"] {
            let text = std::fs::read(root.join(format!("envelopes/valid/{name}.jws"))).unwrap();
            let json: serde_json::Value = serde_json::from_slice(&text).unwrap();
            let certs: Vec<Cert> = json["header"]["x5c"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let der = base64ct::Base64::decode_vec(e.as_str().unwrap()).unwrap();
                    Cert::parse(&der, "x5c").unwrap()
                })
                .collect();
            let chain = ParsedChain::new(certs);
            for (cert, facts) in chain.certs.iter().zip(&chain.facts) {
                assert_eq!(facts.issued_to, crate::identity::render_go(&cert.subject));
                assert_eq!(facts.issued_by, crate::identity::render_go(&cert.issuer));
            }
        }
    }

    #[test]
    fn entry_boundaries_are_part_of_the_key() {
        assert_ne!(ChainCache::key(&["ab", "c"]), ChainCache::key(&["a", "bc"]));
        assert_ne!(ChainCache::key(&["abc"]), ChainCache::key(&["abc", ""]));
        assert_eq!(ChainCache::key(&["ab", "c"]), ChainCache::key(&["ab", "c"]));
    }

    #[test]
    fn least_recently_used_is_evicted() {
        let cache = ChainCache::new(2);
        let chain = || Arc::new(ParsedChain::new(Vec::new()));
        let (a, b, c) = (
            ChainKey::key_for_test("a"),
            ChainKey::key_for_test("b"),
            ChainKey::key_for_test("c"),
        );
        cache.insert(a.clone(), chain());
        cache.insert(b.clone(), chain());
        assert!(cache.get(&a).is_some());
        cache.insert(c.clone(), chain());
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&a).is_some());
        assert!(cache.get(&b).is_none(), "b was the least recently used");
        assert!(cache.get(&c).is_some());
        assert_eq!(cache.fresh().len(), 0);
    }
}
