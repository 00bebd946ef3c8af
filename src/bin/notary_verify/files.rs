//! Bounded file reading and the CLI's own error type.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use verify::{Error, ErrorCode};

/// A problem that stops the command before anything is verified: a usage error or
/// an unreadable configuration (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fatal {
    message: String,
    code: Option<ErrorCode>,
}

impl Fatal {
    /// A usage or configuration problem without a catalogue code.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: None,
        }
    }

    /// A problem the core reported with a stable code (`context: message`).
    pub fn from_error(context: impl fmt::Display, error: &Error) -> Self {
        Self {
            message: format!("{context}: {}", error.message()),
            code: Some(error.code()),
        }
    }

    /// A problem with a stable code and a message of our own.
    pub fn with_code(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: Some(code),
        }
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match self.code {
            Some(code) => match code.rule() {
                Some(rule) => write!(f, " [{rule} {code}]"),
                None => write!(f, " [{code}]"),
            },
            None => Ok(()),
        }
    }
}

/// Reads at most `cap` bytes of `path`. A longer file yields its first `cap`
/// bytes plus one, so that the core's own size limit reports it.
pub fn read_capped(path: &Path, cap: usize) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(bytes)
}

/// Reads at most `cap` bytes of `path`, failing if the file is longer.
pub fn read_limited(path: &Path, cap: usize) -> Result<Vec<u8>, String> {
    let bytes = read_capped(path, cap)?;
    if bytes.len() > cap {
        return Err(format!("{} is larger than {cap} bytes", path.display()));
    }
    Ok(bytes)
}

/// `algorithm:hex` of `data` for the OCI digest algorithms `sha256` and `sha512`.
pub fn oci_digest(algorithm: &str, data: &[u8]) -> Option<String> {
    let hash = match algorithm {
        "sha256" => verify::crypto::Hash::Sha256,
        "sha512" => verify::crypto::Hash::Sha512,
        _ => return None,
    };
    let sum = verify::crypto::digest(hash, data);
    let mut out = String::with_capacity(algorithm.len() + 1 + 2 * sum.len());
    out.push_str(algorithm);
    out.push(':');
    for byte in sum {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    Some(out)
}

/// Whether `digest` is a well-formed `sha256:<64 hex>` or `sha512:<128 hex>` digest
/// (lower-case hex only, so it is safe as a file name).
pub fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
