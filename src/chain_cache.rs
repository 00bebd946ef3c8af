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
//! every token), by the SHA-256 of the certificate and of its issuer; and the
//! parsed certificates of timestamp tokens, by the exact bytes of the token's
//! certificate set, which a timestamp authority repeats in every token (parsing
//! depends on those bytes alone; nothing about trust is decided there).
//!
//! What is never cached: validity periods, expiry, trust-store membership, trusted
//! identities, revocation and the envelope signature — every call evaluates them.
//! Only chains that passed validation are inserted, so a hit can never turn a
//! rejection into an acceptance; the cache belongs to one verifier (one trust store,
//! one set of limits), and changing the limits starts a new cache.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::sync::{Arc, Mutex, OnceLock};

use crate::cert::Cert;
use crate::crl::{Crl, MAX_CRL_BYTES};
use crate::crypto::{self, PreparedKey, Scheme};
use crate::identity::{parse_dn, Dn};
use crate::outcome::CertificateFacts;
use crate::store::TrustStore;
use crate::timestamp::TokenCertificates;

/// The cache key of a chain, built when a chain is inserted: the exact text of its
/// entries, each prefixed with its length so entry boundaries are part of the key,
/// and a hash of the entry count, the entry lengths and the end of the leaf's entry
/// (its signature: distinct for distinct leaves). Lookups hash the entries where
/// they are ([`ChainCache::get`]) and compare the whole text, so equal hashes never
/// confuse two chains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainKey {
    hash: u64,
    text: Box<[u8]>,
}

/// How many bytes at the end of the leaf entry the hash covers.
const PROBE: usize = 48;

fn entries_hash(entries: &[&str]) -> u64 {
    let mut state = std::collections::hash_map::DefaultHasher::new();
    state.write_usize(entries.len());
    for entry in entries {
        state.write_usize(entry.len());
    }
    if let Some(leaf) = entries.first().map(|e| e.as_bytes()) {
        state.write(&leaf[leaf.len().saturating_sub(PROBE)..]);
    }
    state.finish()
}

/// The hash of a byte string key: its length and its last [`PROBE`] bytes (for a
/// set of certificates, the end of the last one's signature). Lookups compare
/// the whole key.
fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut state = std::collections::hash_map::DefaultHasher::new();
    state.write_usize(bytes.len());
    state.write(&bytes[bytes.len().saturating_sub(PROBE)..]);
    state.finish()
}

/// The hash of a key that is (or starts with) a SHA-256: its first eight bytes,
/// already a uniform hash.
fn sha256_hash(sha256: &[u8; 32]) -> u64 {
    let mut prefix = [0; 8];
    prefix.copy_from_slice(&sha256[..8]);
    u64::from_le_bytes(prefix)
}

/// Whether `text` (a key's length-prefixed text) holds exactly `entries`.
fn text_holds(text: &[u8], entries: &[&str]) -> bool {
    let mut rest = text;
    for entry in entries {
        let Some((len, tail)) = rest.split_first_chunk::<8>() else {
            return false;
        };
        if u64::from_be_bytes(*len) != entry.len() as u64 {
            return false;
        }
        let Some((body, tail)) = tail.split_at_checked(entry.len()) else {
            return false;
        };
        if body != entry.as_bytes() {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

/// A parsed `x5c` chain: the certificates, leaf first, their facts for the
/// outcome (rendered when first read, once, since rendering names is a visible
/// part of a verify), the leaf's subject for identity checks, and the signing
/// key, parsed for its scheme at the first signature check.
#[derive(Debug)]
pub(crate) struct ParsedChain {
    pub certs: Vec<Cert>,
    facts: OnceLock<Vec<CertificateFacts>>,
    leaf_subject: OnceLock<String>,
    leaf_key: OnceLock<Option<PreparedKey>>,
    leaf_dn: OnceLock<Result<Dn, String>>,
}

impl ParsedChain {
    pub fn new(certs: Vec<Cert>) -> Self {
        Self {
            certs,
            facts: OnceLock::new(),
            leaf_subject: OnceLock::new(),
            leaf_key: OnceLock::new(),
            leaf_dn: OnceLock::new(),
        }
    }

    /// Each certificate's facts, leaf first.
    pub fn facts(&self) -> &[CertificateFacts] {
        self.facts.get_or_init(|| {
            CertificateFacts::of_chain(&self.certs, self.leaf_subject.get().cloned())
        })
    }

    /// Whether [`ParsedChain::facts`] were rendered.
    #[cfg(test)]
    pub fn facts_rendered(&self) -> bool {
        self.facts.get().is_some()
    }

    /// The leaf's subject as rendered by Go.
    pub fn leaf_subject(&self) -> &str {
        self.leaf_subject.get_or_init(|| match self.facts.get() {
            Some(facts) => facts
                .first()
                .map(|f| f.issued_to.clone())
                .unwrap_or_default(),
            None => self
                .certs
                .first()
                .map(Cert::subject_text)
                .unwrap_or_default(),
        })
    }

    /// The leaf's subject parsed for matching against `x509.subject` identities
    /// (once per chain).
    pub fn leaf_dn(&self) -> &Result<Dn, String> {
        self.leaf_dn.get_or_init(|| parse_dn(self.leaf_subject()))
    }

    /// Whether `signature` over `message` verifies with the leaf's key under
    /// `scheme` (exactly [`crypto::verify`]; a cached chain keeps the parsed key).
    pub fn leaf_verifies(&self, scheme: Scheme, message: &[u8], signature: &[u8]) -> bool {
        let Some(leaf) = self.certs.first() else {
            return false;
        };
        match self
            .leaf_key
            .get_or_init(|| PreparedKey::new(scheme, leaf.key_bits()))
        {
            Some(key) if key.scheme() == scheme => key.verify(message, signature),
            _ => crypto::verify(scheme, leaf.key_bits(), message, signature),
        }
    }
}

/// Bounded, least-recently-used, shared by the clones of one verifier (`Sync`).
#[derive(Debug)]
pub(crate) struct ChainCache {
    capacity: usize,
    /// Validated chains by their key's text.
    chains: Lru<Arc<ParsedChain>>,
    /// The parsed certificates of timestamp tokens, by the exact content of the
    /// token's `CertificateSet` (a timestamp authority sends the same one with
    /// every token). Parsing is a function of those bytes alone.
    token_certificates: Lru<Arc<TokenCertificates>>,
    /// Parsed CRLs, by their SHA-256, at most [`CRL_BYTES`] of DER in all.
    crls: Lru<Arc<Crl>>,
    /// Signatures that verified, by (signed object, signer certificate) SHA-256:
    /// the links of chains the verifier builds itself (timestamp authorities), and
    /// CRLs and OCSP responses signed by a certificate's issuer or responder.
    links: Lru<()>,
}

/// How many bytes of CRLs (DER) the cache keeps parsed: a parsed CRL takes about
/// three times its DER on the heap.
const CRL_BYTES: usize = 4 << 20;

/// How many verified links are remembered per cached chain.
const LINKS_PER_CHAIN: usize = 4;

impl ChainCache {
    /// A cache of at most `capacity` chains (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            chains: Lru::new(capacity),
            token_certificates: Lru::new(capacity),
            crls: Lru::with_budget(capacity.saturating_mul(LINKS_PER_CHAIN), CRL_BYTES),
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
        ChainKey {
            hash: entries_hash(entries),
            text: text.into_boxed_slice(),
        }
    }

    /// The validated chain whose `x5c` text is exactly `entries`, if cached (marks
    /// it used). Copies nothing: the entries are hashed and compared where they are.
    pub fn get(&self, entries: &[&str]) -> Option<Arc<ParsedChain>> {
        self.chains
            .get(entries_hash(entries), |text| text_holds(text, entries))
    }

    /// Remembers a chain that passed validation.
    pub fn insert(&self, key: ChainKey, chain: Arc<ParsedChain>) {
        self.chains.insert(key.hash, key.text, chain);
    }

    /// The parsed certificates of a token whose `CertificateSet` content is
    /// exactly `set`, if cached (marks them used).
    pub fn token_certificates(&self, set: &[u8]) -> Option<Arc<TokenCertificates>> {
        self.token_certificates
            .get(bytes_hash(set), |key| key == set)
    }

    /// Remembers the parsed certificates of a token's `CertificateSet` content.
    pub fn insert_token_certificates(&self, set: &[u8], parsed: Arc<TokenCertificates>) {
        self.token_certificates
            .insert(bytes_hash(set), set.into(), parsed);
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

    /// The CRL `der`, parsed; with a cache, taken from it when these exact bytes
    /// were parsed before (a CRL is the same evidence until its issuer publishes
    /// the next one), and left there when not. Only parsing is saved: the CRL's
    /// signature, its validity at each call's time and its entries are checked
    /// on every call.
    pub fn crl(&self, der: &[u8]) -> Result<Arc<Crl>, String> {
        let Some(cache) = self.cache.filter(|_| der.len() <= MAX_CRL_BYTES) else {
            return Crl::parse(der, None).map(Arc::new);
        };
        let sha256 = crypto::sha256(der);
        let hash = sha256_hash(&sha256);
        if let Some(hit) = cache.crls.get(hash, |k| k == sha256) {
            return Ok(hit);
        }
        let parsed = Arc::new(Crl::parse(der, Some(sha256))?);
        cache
            .crls
            .insert_weighing(hash, Box::new(sha256), Arc::clone(&parsed), der.len());
        Ok(parsed)
    }

    /// Whether verified signatures are remembered (a chain cache is present), so
    /// that hashing a CRL or OCSP response to name its signature is worth it.
    pub fn remembers(&self) -> bool {
        self.cache.is_some()
    }

    /// [`Known::verify_signed_by`], answered from the cache when this exact link
    /// verified before; only links that verify are remembered.
    pub fn link(&self, cert: &Cert, issuer: &Cert) -> Result<bool, String> {
        self.signed(Some(cert.sha256()), issuer, || {
            self.verify_signed_by(cert, issuer)
        })
    }

    /// Checks `cert`'s signature with `issuer`'s key, through [`Known::verify_by`];
    /// not remembered. `Err` carries the reason an algorithm is unsupported;
    /// `Ok(false)` is a signature that does not verify.
    pub fn verify_signed_by(&self, cert: &Cert, issuer: &Cert) -> Result<bool, String> {
        let scheme = cert.signature_scheme(&issuer.key)?;
        Ok(self.verify_by(issuer, scheme, cert.tbs(), cert.signature()))
    }

    /// [`crypto::verify`] with `signer`'s key; a trust-store certificate's key is
    /// parsed once per scheme and kept by the store ([`TrustStore::verify_by`]).
    pub fn verify_by(
        &self,
        signer: &Cert,
        scheme: Scheme,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        self.store
            .and_then(|s| s.verify_by(signer, scheme, message, signature))
            .unwrap_or_else(|| crypto::verify(scheme, signer.key_bits(), message, signature))
    }

    /// `verify`'s answer to whether the signed object (a certificate, CRL or OCSP
    /// response) whose DER has the SHA-256 `object` (`None`: not hashed, because
    /// nothing is remembered; see [`Known::remembers`]) carries a valid signature by
    /// `signer`'s key, answered from the cache when that exact pair verified
    /// before. The object's bytes fix its signed part, signature and algorithm, so
    /// the answer cannot change; only signatures that verify are remembered, and
    /// nothing time-dependent is.
    pub fn signed(
        &self,
        object: Option<&[u8; 32]>,
        signer: &Cert,
        verify: impl FnOnce() -> Result<bool, String>,
    ) -> Result<bool, String> {
        let Some(object) = object.filter(|_| self.cache.is_some()) else {
            return verify();
        };
        let mut key = [0; 64];
        key[..32].copy_from_slice(object);
        key[32..].copy_from_slice(signer.sha256());
        let hash = sha256_hash(object);
        if self
            .cache
            .is_some_and(|c| c.links.get(hash, |k| k == key).is_some())
        {
            return Ok(true);
        }
        let verified = verify();
        if let (Some(cache), Ok(true)) = (self.cache, &verified) {
            cache.links.insert(hash, Box::new(key), ());
        }
        verified
    }
}

/// A bounded map from byte strings to values that evicts its least recently used
/// entry. The caller supplies each key's hash, and a lookup confirms an entry by
/// comparing its stored key, so a lookup need not build an owned key and equal
/// hashes never confuse two keys (they share a bucket). Bounded in entries and,
/// optionally, in the total weight the caller gives them (bytes).
#[derive(Debug)]
struct Lru<V> {
    capacity: usize,
    max_weight: usize,
    inner: Mutex<LruInner<V>>,
}

#[derive(Debug)]
struct LruInner<V> {
    buckets: HashMap<u64, Vec<Slot<V>>>,
    /// Every entry's last use (ticks are unique) and hash, oldest first: eviction
    /// takes the first in O(log n) instead of scanning every entry.
    order: BTreeMap<u64, u64>,
    len: usize,
    weight: usize,
    tick: u64,
}

#[derive(Debug)]
struct Slot<V> {
    key: Box<[u8]>,
    value: V,
    last_use: u64,
    weight: usize,
}

impl<V: Clone> Lru<V> {
    fn new(capacity: usize) -> Self {
        Self::with_budget(capacity, usize::MAX)
    }

    /// At most `capacity` entries weighing `max_weight` in total.
    fn with_budget(capacity: usize, max_weight: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            max_weight,
            inner: Mutex::new(LruInner {
                buckets: HashMap::new(),
                order: BTreeMap::new(),
                len: 0,
                weight: 0,
                tick: 0,
            }),
        }
    }

    /// The value of the entry with this hash whose key `matches`, marked used.
    fn get(&self, hash: u64, matches: impl Fn(&[u8]) -> bool) -> Option<V> {
        let mut guard = self.inner.lock().ok()?;
        let inner = &mut *guard;
        inner.tick += 1;
        let tick = inner.tick;
        let slot = inner
            .buckets
            .get_mut(&hash)?
            .iter_mut()
            .find(|slot| matches(&slot.key))?;
        inner.order.remove(&slot.last_use);
        inner.order.insert(tick, hash);
        slot.last_use = tick;
        Some(slot.value.clone())
    }

    /// Sets the value of `key`, evicting the least recently used entry when full.
    fn insert(&self, hash: u64, key: Box<[u8]>, value: V) {
        self.insert_weighing(hash, key, value, 0);
    }

    /// Sets the value of `key`, which weighs `weight`, as the most recently used;
    /// evicts the least recently used entries until both bounds hold. An entry
    /// heavier than the whole budget is not kept.
    fn insert_weighing(&self, hash: u64, key: Box<[u8]>, value: V, weight: usize) {
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let inner = &mut *guard;
        inner.tick += 1;
        let tick = inner.tick;
        if let Some(bucket) = inner.buckets.get_mut(&hash) {
            if let Some(i) = bucket.iter().position(|slot| slot.key == key) {
                let old = bucket.swap_remove(i);
                if bucket.is_empty() {
                    inner.buckets.remove(&hash);
                }
                inner.order.remove(&old.last_use);
                inner.len -= 1;
                inner.weight -= old.weight;
            }
        }
        if weight > self.max_weight {
            return;
        }
        while inner.len > 0
            && (inner.len >= self.capacity || inner.weight + weight > self.max_weight)
        {
            inner.evict_oldest();
        }
        inner.buckets.entry(hash).or_default().push(Slot {
            key,
            value,
            last_use: tick,
            weight,
        });
        inner.order.insert(tick, hash);
        inner.len += 1;
        inner.weight += weight;
    }

    fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.len)
    }
}

impl<V> LruInner<V> {
    fn evict_oldest(&mut self) {
        let Some((tick, hash)) = self.order.pop_first() else {
            return;
        };
        if let Some(bucket) = self.buckets.get_mut(&hash) {
            if let Some(i) = bucket.iter().position(|s| s.last_use == tick) {
                let slot = bucket.swap_remove(i);
                self.len -= 1;
                self.weight -= slot.weight;
            }
            if bucket.is_empty() {
                self.buckets.remove(&hash);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> Arc<ParsedChain> {
        Arc::new(ParsedChain::new(Vec::new()))
    }

    #[test]
    fn keys_with_the_same_hash_are_still_told_apart() {
        let cache = ChainCache::new(4);
        let (a, b) = (["MIIleafAAAA", "root1"], ["MIIleafAAAA", "root2"]);
        assert_eq!(ChainCache::key(&a).hash, ChainCache::key(&b).hash);
        cache.insert(ChainCache::key(&a), chain());
        assert!(cache.get(&a).is_some());
        assert!(cache.get(&b).is_none());
        cache.insert(ChainCache::key(&b), chain());
        assert!(cache.get(&a).is_some() && cache.get(&b).is_some());
        assert_eq!(cache.len(), 2);
    }

    /// Chain facts render each name once but read as if each were rendered,
    /// whether the leaf's subject was asked for before them, after them or not
    /// at all; nothing is rendered or hashed before it is asked for.
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
            let eager = CertificateFacts::of_chain(&certs.clone(), None);
            let leaf = certs[0].subject_text();
            for subject_first in [false, true] {
                let chain = ParsedChain::new(certs.clone());
                assert!(chain.facts.get().is_none() && chain.leaf_subject.get().is_none());
                assert!(!chain.certs.iter().any(Cert::hashed));
                if subject_first {
                    assert_eq!(chain.leaf_subject(), leaf);
                    assert!(chain.facts.get().is_none());
                }
                assert_eq!(chain.facts(), eager, "{name}");
                assert_eq!(chain.leaf_subject(), leaf);
                assert_eq!(chain.leaf_dn(), &crate::identity::parse_dn(&leaf));
                for (cert, facts) in chain.certs.iter().zip(chain.facts()) {
                    assert_eq!(facts.issued_to, cert.subject_text());
                    assert_eq!(facts.issued_by, cert.issuer_text());
                    assert_eq!(
                        facts.sha256_fingerprint,
                        crypto::hex(&crypto::sha256(&cert.der))
                    );
                }
            }
        }
    }

    #[test]
    fn entry_boundaries_are_part_of_the_key() {
        assert_ne!(ChainCache::key(&["ab", "c"]), ChainCache::key(&["a", "bc"]));
        assert_ne!(ChainCache::key(&["abc"]), ChainCache::key(&["abc", ""]));
        assert_eq!(ChainCache::key(&["ab", "c"]), ChainCache::key(&["ab", "c"]));
        let key = ChainCache::key(&["ab", "c"]);
        assert!(text_holds(&key.text, &["ab", "c"]));
        for other in [
            &["a", "bc"][..],
            &["ab"],
            &["ab", "c", ""],
            &["ab", "d"],
            &[],
        ] {
            assert!(!text_holds(&key.text, other), "{other:?}");
        }
    }

    #[test]
    fn least_recently_used_is_evicted() {
        let cache = ChainCache::new(2);
        let (a, b, c) = (["a"], ["b"], ["c"]);
        cache.insert(ChainCache::key(&a), chain());
        cache.insert(ChainCache::key(&b), chain());
        assert!(cache.get(&a).is_some());
        cache.insert(ChainCache::key(&c), chain());
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&a).is_some());
        assert!(cache.get(&b).is_none(), "b was the least recently used");
        assert!(cache.get(&c).is_some());
        assert_eq!(cache.fresh().len(), 0);
    }

    /// The indexed LRU against a plain list kept in use order, on 20,000 random
    /// gets and inserts of 40 keys in 8 hash buckets (so buckets hold several
    /// keys), at capacities 1, 3 and 16, without and with a weight budget.
    #[test]
    fn lru_matches_a_reference_model() {
        let mut next = crate::test_rng::xorshift(0x2545_F491_4F6C_DD1D_u64);
        for (capacity, budget) in [
            (1, usize::MAX),
            (3, usize::MAX),
            (16, usize::MAX),
            (1, 50),
            (3, 50),
            (16, 100),
        ] {
            let lru: Lru<u32> = Lru::with_budget(capacity, budget);
            // (key, value, weight), most recently used last.
            let mut model: Vec<(u8, u32, usize)> = Vec::new();
            for step in 0..20_000u32 {
                let key = (next() % 40) as u8;
                let hash = u64::from(key % 8);
                let matches = |k: &[u8]| k == [key];
                if next() % 2 == 0 {
                    let got = lru.get(hash, matches);
                    let expected = model.iter().position(|e| e.0 == key).map(|i| {
                        let entry = model.remove(i);
                        model.push(entry);
                        entry.1
                    });
                    assert_eq!(got, expected, "step {step}");
                } else {
                    // Weights up to 60: some exceed the smallest budget.
                    let weight = if budget == usize::MAX {
                        0
                    } else {
                        (next() % 61) as usize
                    };
                    lru.insert_weighing(hash, Box::new([key]), step, weight);
                    if let Some(i) = model.iter().position(|e| e.0 == key) {
                        model.remove(i);
                    }
                    if weight <= budget {
                        while !model.is_empty()
                            && (model.len() == capacity
                                || model.iter().map(|e| e.2).sum::<usize>() + weight > budget)
                        {
                            model.remove(0);
                        }
                        model.push((key, step, weight));
                    }
                }
                let inner = lru.inner.lock().unwrap();
                assert_eq!(inner.len, model.len());
                assert_eq!(inner.order.len(), model.len());
                assert_eq!(inner.weight, model.iter().map(|e| e.2).sum::<usize>());
            }
        }
    }
}
