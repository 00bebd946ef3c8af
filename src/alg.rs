//! The six JWS algorithms Notary signatures may use, and the key each one requires.

use serde::Serialize;

use crate::cert::KeyKind;
use crate::crypto::{Curve, Hash, Scheme};

/// A JWS `alg` value accepted by the Notary Project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Algorithm {
    /// RSASSA-PSS with SHA-256, RSA-2048 key.
    PS256,
    /// RSASSA-PSS with SHA-384, RSA-3072 key.
    PS384,
    /// RSASSA-PSS with SHA-512, RSA-4096 key.
    PS512,
    /// ECDSA P-256 with SHA-256.
    ES256,
    /// ECDSA P-384 with SHA-384.
    ES384,
    /// ECDSA P-521 with SHA-512.
    ES512,
}

impl Algorithm {
    /// Parses a JWS `alg` value; anything outside the six is `None`.
    pub fn from_jws(name: &str) -> Option<Self> {
        Some(match name {
            "PS256" => Self::PS256,
            "PS384" => Self::PS384,
            "PS512" => Self::PS512,
            "ES256" => Self::ES256,
            "ES384" => Self::ES384,
            "ES512" => Self::ES512,
            _ => return None,
        })
    }

    /// The JWS name.
    pub const fn jws_name(self) -> &'static str {
        match self {
            Self::PS256 => "PS256",
            Self::PS384 => "PS384",
            Self::PS512 => "PS512",
            Self::ES256 => "ES256",
            Self::ES384 => "ES384",
            Self::ES512 => "ES512",
        }
    }

    /// The name notation prints (`RSASSA-PSS-SHA-256`, `ECDSA-SHA-384`, …).
    pub const fn notation_name(self) -> &'static str {
        match self {
            Self::PS256 => "RSASSA-PSS-SHA-256",
            Self::PS384 => "RSASSA-PSS-SHA-384",
            Self::PS512 => "RSASSA-PSS-SHA-512",
            Self::ES256 => "ECDSA-SHA-256",
            Self::ES384 => "ECDSA-SHA-384",
            Self::ES512 => "ECDSA-SHA-512",
        }
    }

    /// The hash, which is also the digest algorithm of blob payloads.
    pub const fn hash(self) -> Hash {
        match self {
            Self::PS256 | Self::ES256 => Hash::Sha256,
            Self::PS384 | Self::ES384 => Hash::Sha384,
            Self::PS512 | Self::ES512 => Hash::Sha512,
        }
    }

    pub(crate) const fn scheme(self) -> Scheme {
        match self {
            Self::PS256 | Self::PS384 | Self::PS512 => Scheme::RsaPss(self.hash()),
            Self::ES256 => Scheme::EcdsaFixed(Curve::P256, Hash::Sha256),
            Self::ES384 => Scheme::EcdsaFixed(Curve::P384, Hash::Sha384),
            Self::ES512 => Scheme::EcdsaFixed(Curve::P521, Hash::Sha512),
        }
    }

    /// The algorithm a signing key implies, if the key is one of the six key specs
    /// (RSA-2048/3072/4096, EC P-256/P-384/P-521).
    pub(crate) fn for_key(key: &KeyKind) -> Option<Self> {
        Some(match key {
            KeyKind::Rsa { bits: 2048 } => Self::PS256,
            KeyKind::Rsa { bits: 3072 } => Self::PS384,
            KeyKind::Rsa { bits: 4096 } => Self::PS512,
            KeyKind::Ec(Curve::P256) => Self::ES256,
            KeyKind::Ec(Curve::P384) => Self::ES384,
            KeyKind::Ec(Curve::P521) => Self::ES512,
            _ => return None,
        })
    }
}
