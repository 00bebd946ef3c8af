//! Trust stores: certificates grouped by `type:name` (spec §5), with the AWS
//! Signer roots built in.
//!
//! The store never touches the filesystem: callers hand it bytes. A store that
//! failed to load is remembered as broken, and fails verification only when a
//! policy statement actually consults it — as notation does.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::cert::{split_pem_or_der, Cert};
use crate::chain_cache::Known;
use crate::crypto::{KeySlots, Scheme};
use crate::error::{err, Error, ErrorCode};
use crate::limits::Limits;
use crate::policy::{StoreRef, StoreType};

/// The built-in AWS Signer commercial-partition root (PEM).
pub const AWS_SIGNER_ROOT_PEM: &[u8] = include_bytes!("../certs/aws-signer-notation-root.crt");
/// The built-in AWS Signer GovCloud root (PEM).
pub const AWS_US_GOV_SIGNER_ROOT_PEM: &[u8] =
    include_bytes!("../certs/aws-us-gov-signer-notation-root.crt");
/// Store name of the built-in commercial root: `signingAuthority:aws-signer-ts`.
pub const AWS_SIGNER_STORE: &str = "signingAuthority:aws-signer-ts";
/// Store name of the built-in GovCloud root: `signingAuthority:aws-us-gov-signer-ts`.
pub const AWS_US_GOV_SIGNER_STORE: &str = "signingAuthority:aws-us-gov-signer-ts";

#[derive(Debug, Clone)]
enum Entry {
    Loaded(Vec<Arc<Cert>>),
    Broken(Error),
}

/// A set of named trust stores.
#[derive(Debug, Clone)]
pub struct TrustStore {
    stores: BTreeMap<StoreRef, Entry>,
    /// Every certificate added to any store, found by its bytes.
    index: Index,
    limits: Limits,
}

/// What the store knows of one of its certificates.
#[derive(Debug, Clone)]
struct Indexed {
    cert: Arc<Cert>,
    /// Its self-signature was verified when it was added.
    verified_root: bool,
    /// Its key, prepared once per signature scheme on first use: certificates
    /// signed by a store certificate are checked without parsing its key again.
    key: Arc<KeySlots>,
}

/// The store's certificates by [`tag`], each confirmed by comparing its DER: a
/// lookup costs no hashing of the certificate (a verification without cache asks
/// for the root of every chain it reads).
#[derive(Debug, Clone, Default)]
struct Index(HashMap<u64, Vec<Indexed>>);

/// Which bucket of the [`Index`] a certificate goes in: its length and its last
/// eight bytes, the end of its signature value, which differs from certificate to
/// certificate. Not a digest: certificates made to share a tag share a bucket and
/// are told apart by their DER.
fn tag(der: &[u8]) -> u64 {
    let mut last = [0; 8];
    let n = der.len().min(8);
    last[..n].copy_from_slice(&der[der.len() - n..]);
    u64::from_le_bytes(last) ^ der.len() as u64
}

impl Index {
    fn get(&self, cert: &Cert) -> Option<&Indexed> {
        self.get_der(&cert.der)
    }

    fn get_der(&self, der: &[u8]) -> Option<&Indexed> {
        self.0
            .get(&tag(der))?
            .iter()
            .find(|known| known.cert.der == der)
    }

    /// The entry of `cert`, added if it has none.
    fn entry(&mut self, cert: &Arc<Cert>) -> &mut Indexed {
        let bucket = self.0.entry(tag(&cert.der)).or_default();
        let at = match bucket.iter().position(|known| known.cert.der == cert.der) {
            Some(at) => at,
            None => {
                bucket.push(Indexed {
                    cert: Arc::clone(cert),
                    verified_root: false,
                    key: Arc::default(),
                });
                bucket.len() - 1
            }
        };
        &mut bucket[at]
    }
}

impl Default for TrustStore {
    fn default() -> Self {
        Self::new()
    }
}

impl TrustStore {
    /// A trust store holding the two built-in AWS Signer roots
    /// (`signingAuthority:aws-signer-ts`, `signingAuthority:aws-us-gov-signer-ts`).
    ///
    /// Building it costs no signature verification: the bundled roots are compiled
    /// in, and a test pins their fingerprints and verifies their self-signatures.
    pub fn new() -> Self {
        let mut store = Self::empty();
        for (name, pem) in [
            (AWS_SIGNER_STORE, AWS_SIGNER_ROOT_PEM),
            (AWS_US_GOV_SIGNER_STORE, AWS_US_GOV_SIGNER_ROOT_PEM),
        ] {
            let entry = builtin_root(name, pem);
            if let Entry::Loaded(certs) = &entry {
                for cert in certs {
                    store.index.entry(cert).verified_root = true;
                }
            }
            if let Ok(store_ref) = StoreRef::parse(name) {
                store.stores.insert(store_ref, entry);
            }
        }
        store
    }

    /// A trust store with no certificates at all (not even the AWS roots).
    pub fn empty() -> Self {
        Self {
            stores: BTreeMap::new(),
            index: Index::default(),
            limits: Limits::default(),
        }
    }

    /// Sets the limits certificates are held to: [`Limits::max_certificate_bytes`]
    /// for each, [`Limits::max_store_certificates`] and [`Limits::max_store_bytes`]
    /// for each named store. Applies to certificates added afterwards.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Adds the certificates in `bytes` (one or more PEM `CERTIFICATE` blocks, or
    /// DER certificates back to back) to the store `store` (`"ca:name"`,
    /// `"signingAuthority:name"` or `"tsa:name"`). Returns how many were added.
    ///
    /// Each certificate must be a CA or self-signed (`ca`, `signingAuthority`), or a
    /// self-signed root (`tsa`). By default a named store holds at most 1000 distinct
    /// certificates and 16 MiB of them over all the files added to it
    /// ([`Limits::max_store_certificates`], [`Limits::max_store_bytes`]); going over
    /// fails with `limit_exceeded`. On failure the named store is marked broken:
    /// verification that consults it fails authenticity with this error, as
    /// notation does for a store directory with a bad file.
    pub fn add(&mut self, store: &str, bytes: &[u8]) -> Result<usize, Error> {
        let store_ref = StoreRef::parse(store)?;
        let result = self.load(&store_ref, bytes).and_then(|loaded| {
            let count = loaded.len();
            let certs = loaded
                .into_iter()
                .map(|(cert, self_signed)| {
                    self.index.entry(&cert).verified_root |= self_signed;
                    cert
                })
                .collect();
            match self.stores.get_mut(&store_ref) {
                Some(Entry::Broken(_)) => {}
                Some(Entry::Loaded(existing)) => merge(existing, certs, &store_ref, &self.limits)?,
                None => {
                    let mut loaded = Vec::new();
                    merge(&mut loaded, certs, &store_ref, &self.limits)?;
                    self.stores.insert(store_ref.clone(), Entry::Loaded(loaded));
                }
            }
            Ok(count)
        });
        if let Err(e) = &result {
            self.stores.insert(store_ref, Entry::Broken(e.clone()));
        }
        result
    }

    /// Declares the named store `store` (`"type:name"`) without adding certificates,
    /// as for a store directory with no files: until certificates are added,
    /// verification that consults it reports an empty store (STORE-05) rather than
    /// a missing one (STORE-02).
    pub fn declare(&mut self, store: &str) -> Result<(), Error> {
        let store_ref = StoreRef::parse(store)?;
        self.stores
            .entry(store_ref)
            .or_insert_with(|| Entry::Loaded(Vec::new()));
        Ok(())
    }

    /// Marks a named store as unusable (for example a store directory that is a
    /// symlink or holds a sub-directory), with the error verification should report.
    pub fn mark_broken(&mut self, store: &str, error: Error) -> Result<(), Error> {
        let store_ref = StoreRef::parse(store)?;
        self.stores.insert(store_ref, Entry::Broken(error));
        Ok(())
    }

    /// The names of the stores present (`type:name`).
    pub fn names(&self) -> Vec<String> {
        self.stores.keys().map(ToString::to_string).collect()
    }

    /// The certificates of `bytes`, each with whether it is self-signed.
    fn load(&self, store: &StoreRef, bytes: &[u8]) -> Result<Vec<(Arc<Cert>, bool)>, Error> {
        let ders = split_pem_or_der(bytes, 1000).map_err(|reason| {
            err(
                ErrorCode::StoreFileInvalid,
                format!("trust store {store}: a file is not PEM or DER certificates ({reason})"),
            )
        })?;
        let mut out = Vec::with_capacity(ders.len());
        for (i, der) in ders.iter().enumerate() {
            if der.len() > self.limits.max_certificate_bytes {
                return Err(err(
                    ErrorCode::LimitExceeded,
                    format!("trust store {store}: certificate {} is too large", i + 1),
                ));
            }
            let cert = Cert::parse(
                der,
                format_args!("trust store {store} certificate {}", i + 1),
            )
            .map_err(|e| err(ErrorCode::StoreFileInvalid, e.message().to_owned()))?;
            let self_signed = Known::nothing().verify_signed_by(&cert, &cert) == Ok(true);
            match store.store_type {
                StoreType::Ca | StoreType::SigningAuthority => {
                    if !cert.is_ca() && !self_signed {
                        return Err(err(
                            ErrorCode::StoreCertificateNotCa,
                            format!("trust store {store}: certificate {} is neither a CA nor self-signed; trust stores hold roots", i + 1),
                        ));
                    }
                }
                StoreType::Tsa => {
                    if !(self_signed && cert.is_self_issued() && cert.is_ca()) {
                        return Err(err(
                            ErrorCode::StoreCertificateNotRoot,
                            format!(
                                "trust store {store}: certificate {} is not a self-signed root CA",
                                i + 1
                            ),
                        ));
                    }
                }
            }
            out.push((Arc::new(cert), self_signed));
        }
        Ok(out)
    }

    /// The certificates of a store, or why it cannot be used.
    pub(crate) fn lookup(&self, store: &StoreRef) -> Result<&[Arc<Cert>], Error> {
        match self.stores.get(store) {
            Some(Entry::Loaded(certs)) if certs.is_empty() => {
                Err(err(ErrorCode::StoreEmpty, format!("trust store {store} holds no certificate")))
            }
            Some(Entry::Loaded(certs)) => Ok(certs),
            Some(Entry::Broken(e)) => Err(e.clone()),
            None => Err(err(
                ErrorCode::StoreUnavailable,
                format!("trust store {store} named by the trust policy does not exist; add its certificates (truststore/x509/{}/{}/)", store.store_type, store.name),
            )),
        }
    }

    /// The parse of the store certificate whose DER is exactly `der`, if any store
    /// holds one: the same bytes parse to the same certificate, so a chain that
    /// carries a store certificate (most end in their root) takes this one rather
    /// than reading it again. Which store holds it does not matter here; the trust
    /// policy's stores are consulted when the chain is validated.
    pub(crate) fn parsed(&self, der: &[u8]) -> Option<&Cert> {
        self.index.get_der(der).map(|known| &*known.cert)
    }

    /// Whether `cert` is a store certificate whose self-signature was verified at load.
    pub(crate) fn is_verified_root(&self, cert: &Cert) -> bool {
        self.index
            .get(cert)
            .is_some_and(|known| known.verified_root)
    }

    /// [`crate::crypto::verify`] with `signer`'s key, prepared once, when `signer` is a
    /// store certificate (the same bytes, so the same key); `None` otherwise.
    pub(crate) fn verify_by(
        &self,
        signer: &Cert,
        scheme: Scheme,
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        let known = self.index.get(signer)?;
        Some(
            known
                .key
                .verify(scheme, signer.key_bits(), message, signature),
        )
    }
}

/// Adds the certificates of `certs` that `existing` lacks, unless the store would then
/// exceed its limits.
fn merge(
    existing: &mut Vec<Arc<Cert>>,
    certs: Vec<Arc<Cert>>,
    store: &StoreRef,
    limits: &Limits,
) -> Result<(), Error> {
    let mut merged = existing.clone();
    for cert in certs {
        if !merged.iter().any(|c| c.der == cert.der) {
            merged.push(cert);
        }
    }
    if merged.len() > limits.max_store_certificates {
        return Err(err(
            ErrorCode::LimitExceeded,
            format!(
                "trust store {store} would hold {} certificates; a store holds at most {}",
                merged.len(),
                limits.max_store_certificates
            ),
        ));
    }
    let bytes: usize = merged.iter().map(|c| c.der.len()).sum();
    if bytes > limits.max_store_bytes {
        return Err(err(
            ErrorCode::LimitExceeded,
            format!(
                "trust store {store} would hold {bytes} bytes of certificates; a store holds at most {}",
                limits.max_store_bytes
            ),
        ));
    }
    *existing = merged;
    Ok(())
}

/// Parses a bundled root. It cannot fail (a test pins both roots); if it did, the
/// store would be broken and verification against it would say why.
fn builtin_root(name: &str, pem: &[u8]) -> Entry {
    let parsed = split_pem_or_der(pem, 1)
        .map_err(|reason| {
            err(
                ErrorCode::Internal,
                format!("built-in {name} root: {reason}"),
            )
        })
        .and_then(|ders| {
            ders.iter()
                .map(|der| Cert::parse(der, format_args!("built-in {name} root")).map(Arc::new))
                .collect::<Result<Vec<_>, _>>()
        });
    match parsed {
        Ok(certs) => Entry::Loaded(certs),
        Err(e) => Entry::Broken(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store certificate's key verifies through the store, prepared once per
    /// scheme, exactly as a raw verification does; other certificates are not the
    /// store's to answer for.
    #[test]
    fn store_keys_verify_as_raw_verification_does() {
        let store = TrustStore::new();
        let store_ref = StoreRef::parse(AWS_SIGNER_STORE).unwrap();
        let root = store.lookup(&store_ref).unwrap()[0].clone();
        let scheme = root.signature_scheme(&root.key).unwrap();
        let raw = |message: &[u8]| {
            crate::crypto::verify(scheme, root.key_bits(), message, root.signature())
        };
        for _ in 0..2 {
            assert_eq!(
                store.verify_by(&root, scheme, root.tbs(), root.signature()),
                Some(true)
            );
            assert!(raw(root.tbs()));
            assert_eq!(
                store.verify_by(&root, scheme, b"other", root.signature()),
                Some(false)
            );
            assert!(!raw(b"other"));
        }
        let slots = format!("{:?}", store.index.get(&root).unwrap().key);
        assert!(slots.contains("prepared: 1"), "{slots}");
        let empty = TrustStore::empty();
        assert_eq!(
            empty.verify_by(&root, scheme, root.tbs(), root.signature()),
            None
        );
    }

    /// The index finds a store certificate by a tag of its bytes and confirms it
    /// by its DER: a certificate made to share the tag (same length, same
    /// signature) is not the store's, and a store certificate added to a second
    /// store keeps its one entry.
    #[test]
    fn the_index_confirms_certificates_by_their_der() {
        let mut store = TrustStore::new();
        let store_ref = StoreRef::parse(AWS_SIGNER_STORE).unwrap();
        let root = store.lookup(&store_ref).unwrap()[0].clone();
        assert!(store.is_verified_root(&root));
        let mut der = root.der.clone();
        let at = root.serial().as_ptr() as usize - root.der.as_ptr() as usize;
        der[at + 1] ^= 1;
        let twin = Cert::parse(&der, "twin").unwrap();
        assert_eq!(tag(&twin.der), tag(&root.der));
        assert_ne!(twin.der, root.der);
        assert!(!store.is_verified_root(&twin));
        assert!(std::ptr::eq(store.parsed(&root.der).unwrap(), &*root));
        assert!(store.parsed(&twin.der).is_none());
        let scheme = root.signature_scheme(&root.key).unwrap();
        assert_eq!(
            store.verify_by(&twin, scheme, root.tbs(), root.signature()),
            None
        );
        // The twin (a CA) added to a store gets its own entry beside the root's;
        // its serial changed, so it is not self-signed, not a verified root.
        assert_eq!(store.add("ca:twin", &twin.der).unwrap(), 1);
        assert_eq!(store.index.0[&tag(&root.der)].len(), 2);
        assert!(!store.is_verified_root(&twin));
        assert!(store.is_verified_root(&root));
        assert_eq!(store.add("ca:again", &root.der).unwrap(), 1);
        assert_eq!(store.index.0[&tag(&root.der)].len(), 2);
        assert!(store.is_verified_root(&root));
    }

    fn fingerprints(store: &TrustStore, name: &str) -> Vec<String> {
        let store_ref = StoreRef::parse(name).unwrap();
        store
            .lookup(&store_ref)
            .unwrap()
            .iter()
            .map(|c| c.fingerprint())
            .collect()
    }

    #[test]
    fn bundled_aws_roots_are_pinned() {
        let store = TrustStore::new();
        assert_eq!(
            fingerprints(&store, AWS_SIGNER_STORE),
            ["90a87d0543c3f094dbff9589b6649affe2f3d6e0f308799be2258461c686473f"]
        );
        assert_eq!(
            fingerprints(&store, AWS_US_GOV_SIGNER_STORE),
            ["673653ab76f41a10546cdeb4107ecd6df2c15c2c9a0d32ed97d271b4436fc3e8"]
        );
        for name in [AWS_SIGNER_STORE, AWS_US_GOV_SIGNER_STORE] {
            let certs = store.lookup(&StoreRef::parse(name).unwrap()).unwrap();
            assert!(
                store.is_verified_root(&certs[0]),
                "{name} self-signature verified at load"
            );
        }
    }

    #[test]
    fn empty_store_has_no_aws_roots() {
        let store = TrustStore::empty();
        let e = store
            .lookup(&StoreRef::parse(AWS_SIGNER_STORE).unwrap())
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::StoreUnavailable);
    }

    #[test]
    fn store_04_unparsable_file_marks_store_broken() {
        let mut store = TrustStore::empty();
        assert_eq!(
            store.add("ca:x", b"not a certificate").unwrap_err().code(),
            ErrorCode::StoreFileInvalid
        );
        let e = store.lookup(&StoreRef::parse("ca:x").unwrap()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::StoreFileInvalid);
        assert_eq!(store.add("ca:x", AWS_SIGNER_ROOT_PEM).unwrap(), 1);
        assert!(
            store.lookup(&StoreRef::parse("ca:x").unwrap()).is_err(),
            "a broken store stays broken"
        );
    }

    fn pki(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pki/certs")
            .join(name);
        std::fs::read(path).unwrap()
    }

    #[test]
    fn store_05_declared_store_without_certificates() {
        let mut store = TrustStore::empty();
        store.declare("ca:empty").unwrap();
        let e = store
            .lookup(&StoreRef::parse("ca:empty").unwrap())
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::StoreEmpty);
        store.add("ca:empty", AWS_SIGNER_ROOT_PEM).unwrap();
        assert_eq!(fingerprints(&store, "ca:empty").len(), 1);
        store.declare("ca:empty").unwrap();
        assert_eq!(
            fingerprints(&store, "ca:empty").len(),
            1,
            "declaring again keeps the certificates"
        );
    }

    #[test]
    fn store_06_ca_store_certificate_neither_ca_nor_self_signed() {
        let mut store = TrustStore::empty();
        let e = store.add("ca:leafy", &pki("leaf-es256.pem")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::StoreCertificateNotCa);
        assert_eq!(
            store.add("ca:intermediate", &pki("rsa-int.pem")).unwrap(),
            1,
            "CAs may be pinned"
        );
        assert_eq!(
            store
                .add("ca:self-signed-leaf", &pki("selfsigned-es256.pem"))
                .unwrap(),
            1
        );
    }

    #[test]
    fn store_07_tsa_store_certificate_not_a_root() {
        let mut store = TrustStore::empty();
        for not_root in ["rsa-int.pem", "selfsigned-es256.pem", "leaf-es256.pem"] {
            let e = store.add("tsa:t", &pki(not_root)).unwrap_err();
            assert_eq!(e.code(), ErrorCode::StoreCertificateNotRoot, "{not_root}");
        }
        assert_eq!(store.add("tsa:root", &pki("rsa-root.pem")).unwrap(), 1);
    }

    #[test]
    fn store_01_malformed_reference() {
        let mut store = TrustStore::empty();
        for bad in ["ca", "x509:name", "ca:", "ca:bad/name", "CA:name"] {
            assert_eq!(
                store.add(bad, AWS_SIGNER_ROOT_PEM).unwrap_err().code(),
                ErrorCode::StoreReferenceInvalid,
                "{bad}"
            );
        }
    }

    #[test]
    fn aws_store_names_add_to_the_bundled_root() {
        let mut store = TrustStore::new();
        assert_eq!(
            store
                .add(AWS_SIGNER_STORE, AWS_US_GOV_SIGNER_ROOT_PEM)
                .unwrap(),
            1
        );
        assert_eq!(fingerprints(&store, AWS_SIGNER_STORE).len(), 2);
        store.add(AWS_SIGNER_STORE, AWS_SIGNER_ROOT_PEM).unwrap();
        assert_eq!(
            fingerprints(&store, AWS_SIGNER_STORE).len(),
            2,
            "duplicates are not added twice"
        );
    }
}
