//! The crypto seam: signature verification and digests. Nothing else in the crate
//! names a crypto library.
//!
//! Two backends, chosen by Cargo feature, exactly one active:
//! `aws-lc` (aws-lc-rs; the native default, fast P-384) and `ring` (ring plus
//! RustCrypto `p521` for P-521; the WASM backend). Both accept exactly the same
//! algorithm set, so verdicts never depend on the backend.

#[cfg(all(feature = "aws-lc", feature = "ring"))]
compile_error!("enable exactly one crypto backend: feature `aws-lc` or feature `ring`, not both");
#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
compile_error!("enable a crypto backend: feature `aws-lc` (native default) or `ring` (WASM)");

#[cfg(feature = "aws-lc")]
#[path = "aws_lc.rs"]
mod backend;
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
#[path = "ring.rs"]
mod backend;

/// A hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// Output length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The OCI digest algorithm name (`sha256`, …).
    pub const fn oci_name(self) -> &'static str {
        match self {
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        }
    }
}

/// An elliptic curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
}

impl Curve {
    /// Field size in bytes (the width of `r` and `s` in a fixed signature).
    pub const fn scalar_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
}

/// A signature scheme, complete with what the key must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// ECDSA with the JWS fixed-width `r‖s` encoding.
    EcdsaFixed(Curve, Hash),
    /// ECDSA with the X.509/CMS ASN.1 DER encoding.
    EcdsaAsn1(Curve, Hash),
    /// RSASSA-PSS, MGF1 with the same hash, salt length = hash length.
    RsaPss(Hash),
    /// RSASSA-PKCS1-v1_5.
    RsaPkcs1(Hash),
}

impl Scheme {
    /// How many schemes [`Scheme::index`] numbers.
    pub(crate) const COUNT: usize = 24;

    /// A distinct number below [`Scheme::COUNT`] for every scheme.
    pub(crate) const fn index(self) -> usize {
        const fn h(hash: Hash) -> usize {
            match hash {
                Hash::Sha256 => 0,
                Hash::Sha384 => 1,
                Hash::Sha512 => 2,
            }
        }
        const fn c(curve: Curve) -> usize {
            match curve {
                Curve::P256 => 0,
                Curve::P384 => 1,
                Curve::P521 => 2,
            }
        }
        match self {
            Scheme::RsaPkcs1(hash) => h(hash),
            Scheme::RsaPss(hash) => 3 + h(hash),
            Scheme::EcdsaAsn1(curve, hash) => 6 + 3 * c(curve) + h(hash),
            Scheme::EcdsaFixed(curve, hash) => 15 + 3 * c(curve) + h(hash),
        }
    }

    /// Whether the backends support this combination. ECDSA is supported for
    /// P-256 and P-384 with SHA-256/384 and for P-521 with SHA-512 only; RSA keys
    /// must be 2048..=8192 bits.
    pub const fn is_supported(self) -> bool {
        match self {
            Scheme::EcdsaFixed(c, h) | Scheme::EcdsaAsn1(c, h) => matches!(
                (c, h),
                (Curve::P256 | Curve::P384, Hash::Sha256 | Hash::Sha384)
                    | (Curve::P521, Hash::Sha512)
            ),
            Scheme::RsaPss(_) | Scheme::RsaPkcs1(_) => true,
        }
    }
}

/// Verifies `signature` over `message` with `public_key`, the contents of the
/// SubjectPublicKeyInfo BIT STRING (an uncompressed EC point, or a PKCS#1
/// RSAPublicKey). Returns `false` for unsupported combinations.
pub fn verify(scheme: Scheme, public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    #[cfg(test)]
    VERIFICATIONS.with(|n| n.set(n.get() + 1));
    scheme.is_supported() && backend::verify(scheme, public_key, message, signature)
}

/// A public key parsed once for one scheme, for repeated verifications (the
/// signing key of a cached chain). Verifies exactly what [`verify`] verifies with
/// the same scheme and key bytes.
pub struct PreparedKey {
    scheme: Scheme,
    inner: backend::Prepared,
}

impl PreparedKey {
    /// Parses `public_key` (as for [`verify`]) for `scheme`; `None` when the scheme
    /// is unsupported or the key is malformed, for which [`verify`] returns `false`.
    pub fn new(scheme: Scheme, public_key: &[u8]) -> Option<Self> {
        if !scheme.is_supported() {
            return None;
        }
        Some(Self {
            scheme,
            inner: backend::Prepared::new(scheme, public_key)?,
        })
    }

    /// The scheme the key was prepared for.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Verifies `signature` over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        #[cfg(test)]
        VERIFICATIONS.with(|n| n.set(n.get() + 1));
        self.inner.verify(self.scheme, message, signature)
    }
}

/// One public key, prepared on first use for each scheme it verifies with and
/// kept: for keys that verify again and again, such as a trust store's roots.
/// Shared between threads; nothing is allocated until the first verification.
#[derive(Default)]
pub(crate) struct KeySlots(
    std::sync::OnceLock<Box<[std::sync::OnceLock<Option<PreparedKey>>; Scheme::COUNT]>>,
);

impl KeySlots {
    /// [`verify`] with `public_key`, which must be the same key on every call.
    pub(crate) fn verify(
        &self,
        scheme: Scheme,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        let slots = self
            .0
            .get_or_init(|| Box::new(std::array::from_fn(|_| std::sync::OnceLock::new())));
        slots[scheme.index()]
            .get_or_init(|| PreparedKey::new(scheme, public_key))
            .as_ref()
            .is_some_and(|key| key.verify(message, signature))
    }
}

impl core::fmt::Debug for KeySlots {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let prepared = self.0.get().map_or(0, |slots| {
            slots.iter().filter(|s| s.get().is_some()).count()
        });
        f.debug_struct("KeySlots")
            .field("prepared", &prepared)
            .finish()
    }
}

impl core::fmt::Debug for PreparedKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PreparedKey")
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
thread_local! {
    static VERIFICATIONS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

/// Signature verifications this thread has run (unit tests only).
#[cfg(test)]
pub(crate) fn verifications() -> usize {
    VERIFICATIONS.with(core::cell::Cell::get)
}

/// Computes a digest.
pub fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    backend::digest(hash, data)
}

/// SHA-256 of `data` as an array (certificate fingerprints, cache keys).
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(&digest(Hash::Sha256, data));
    out
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// The name of the active backend (`"aws-lc"` or `"ring"`).
pub const BACKEND: &str = backend::NAME;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_known_answers() {
        assert_eq!(
            hex(&digest(Hash::Sha256, b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest(Hash::Sha384, b"").len(), 48);
        assert_eq!(digest(Hash::Sha512, b"").len(), 64);
    }

    /// A prepared key verifies exactly what `verify` verifies, for the six JWS
    /// algorithms (committed fixtures), a tampered message and a wrong scheme.
    #[test]
    fn prepared_keys_agree_with_verify() {
        use base64ct::{Base64, Base64UrlUnpadded, Encoding};
        use der::Decode;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (name, scheme) in [
            ("x509-es256", Scheme::EcdsaFixed(Curve::P256, Hash::Sha256)),
            ("x509-es384", Scheme::EcdsaFixed(Curve::P384, Hash::Sha384)),
            ("x509-es512", Scheme::EcdsaFixed(Curve::P521, Hash::Sha512)),
            ("x509-ps256", Scheme::RsaPss(Hash::Sha256)),
            ("x509-ps384", Scheme::RsaPss(Hash::Sha384)),
            ("x509-ps512", Scheme::RsaPss(Hash::Sha512)),
        ] {
            let text = std::fs::read(dir.join(format!("envelopes/valid/{name}.jws"))).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&text).unwrap();
            let leaf = Base64::decode_vec(v["header"]["x5c"][0].as_str().unwrap()).unwrap();
            let cert = x509_cert::Certificate::from_der(&leaf).unwrap();
            let key = cert
                .tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .raw_bytes()
                .to_vec();
            let message = format!(
                "{}.{}",
                v["protected"].as_str().unwrap(),
                v["payload"].as_str().unwrap()
            );
            let signature =
                Base64UrlUnpadded::decode_vec(v["signature"].as_str().unwrap()).unwrap();
            let prepared = PreparedKey::new(scheme, &key).unwrap();
            assert_eq!(prepared.scheme(), scheme);
            // Slots keep one prepared key per scheme: a wrong scheme tried first
            // must not stand in for the right one.
            let slots = KeySlots::default();
            let wrong = match scheme {
                Scheme::RsaPss(h) => Scheme::RsaPkcs1(h),
                Scheme::EcdsaFixed(c, h) => Scheme::EcdsaAsn1(c, h),
                other => other,
            };
            assert!(
                !slots.verify(wrong, &key, message.as_bytes(), &signature),
                "{name}"
            );
            for (message, expected) in [(message.as_bytes(), true), (b"tampered".as_slice(), false)]
            {
                assert_eq!(
                    slots.verify(scheme, &key, message, &signature),
                    expected,
                    "{name}"
                );
                assert_eq!(
                    verify(scheme, &key, message, &signature),
                    expected,
                    "{name}"
                );
                assert_eq!(prepared.verify(message, &signature), expected, "{name}");
            }
        }
        assert!(PreparedKey::new(Scheme::EcdsaAsn1(Curve::P256, Hash::Sha512), &[4; 65]).is_none());
    }

    /// Every scheme has its own slot.
    #[test]
    fn scheme_indexes_are_distinct() {
        let hashes = [Hash::Sha256, Hash::Sha384, Hash::Sha512];
        let curves = [Curve::P256, Curve::P384, Curve::P521];
        let mut schemes = Vec::new();
        for h in hashes {
            schemes.extend([Scheme::RsaPkcs1(h), Scheme::RsaPss(h)]);
            for c in curves {
                schemes.extend([Scheme::EcdsaAsn1(c, h), Scheme::EcdsaFixed(c, h)]);
            }
        }
        let mut indexes: Vec<usize> = schemes.iter().map(|s| s.index()).collect();
        indexes.sort_unstable();
        assert_eq!(indexes, (0..Scheme::COUNT).collect::<Vec<_>>());
    }

    #[test]
    fn unsupported_combinations_fail_closed() {
        assert!(!Scheme::EcdsaAsn1(Curve::P256, Hash::Sha512).is_supported());
        assert!(!Scheme::EcdsaFixed(Curve::P521, Hash::Sha256).is_supported());
        assert!(!verify(
            Scheme::EcdsaAsn1(Curve::P256, Hash::Sha512),
            &[4; 65],
            b"m",
            &[0; 8]
        ));
        assert!(!verify(
            Scheme::RsaPss(Hash::Sha256),
            b"garbage",
            b"m",
            b"sig"
        ));
    }
}
