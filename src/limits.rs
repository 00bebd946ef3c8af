//! Bounds on hostile input. Every limit has a clear error (`limit_exceeded`).

/// Size, depth and count limits applied before and while parsing.
///
/// Not adjustable: every JSON document (envelope, protected header, payload, trust
/// policy) holds at most 100,000 values, which bounds the heap a document takes once
/// parsed (about 11 MiB) whatever its size; every DER SET OF a sorting decoder reads
/// (in timestamp tokens, CRLs, OCSP responses, certificate name extensions) holds
/// at most 64 elements, which bounds the decoders' insertion sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest signature envelope accepted, in bytes (default 4 MiB, the size of
    /// the largest signature manifest notation fetches).
    pub max_envelope_bytes: usize,
    /// Most certificates in `x5c` (default 16).
    pub max_certificates: usize,
    /// Largest single certificate, in bytes (default 64 KiB).
    pub max_certificate_bytes: usize,
    /// Deepest JSON nesting in any JSON document read (default 32; values above 126,
    /// the JSON parser's own limit, act as 126).
    pub max_json_depth: usize,
    /// Largest trust policy document, in bytes (default 1 MiB).
    pub max_policy_bytes: usize,
    /// Most certificates in one named trust store (`type:name`), over every file
    /// added to it (default 1000; real stores hold a handful). Applied by
    /// [`TrustStore::add`](crate::TrustStore::add).
    pub max_store_certificates: usize,
    /// Most certificate bytes (DER) in one named trust store, over every file added
    /// to it (default 16 MiB). Applied by [`TrustStore::add`](crate::TrustStore::add).
    pub max_store_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_envelope_bytes: 4 * 1024 * 1024,
            max_certificates: 16,
            max_certificate_bytes: 64 * 1024,
            max_json_depth: 32,
            max_policy_bytes: 1024 * 1024,
            max_store_certificates: 1000,
            max_store_bytes: 16 * 1024 * 1024,
        }
    }
}
