//! containerd 2.x image-verifier plugin mode (the `bindir` contract): called as
//! `BIN -name REF -digest DIGEST -stdin-media-type application/vnd.oci.descriptor.v1+json`
//! with the image's descriptor on stdin; prints one line (at most 32 KiB) and
//! exits 0 to allow the image, 1 to reject it.
//!
//! Signatures come from a local signature store: the directory named by
//! `$NOTARY_VERIFY_SIGNATURES`, else `/var/lib/notary-verify/signatures`. It is
//! either an OCI image layout (the image's referrers are its signatures) or holds
//! one directory per image digest with envelopes: `sha256:HEX/*.jws`.

use std::io::Read;
use std::path::{Path, PathBuf};

use verify::{Descriptor, Limits, Request, Time, Verifier, JWS_MEDIA_TYPE};

use super::config::ConfigDir;
use super::files::{is_digest, read_capped};
use super::layout::Layout;
use super::render::failure_tag;
use super::signatures::{skipping_statement, try_in_order, Attempt, Candidate};

/// The environment variable naming the signature store.
pub const SIGNATURES_ENV: &str = "NOTARY_VERIFY_SIGNATURES";
/// The signature store used when [`SIGNATURES_ENV`] is unset.
pub const DEFAULT_SIGNATURES_DIR: &str = "/var/lib/notary-verify/signatures";
/// The only stdin media type understood.
pub const DESCRIPTOR_MEDIA_TYPE: &str = "application/vnd.oci.descriptor.v1+json";
/// containerd reads at most this much of a verifier's stdout.
const MAX_LINE_BYTES: usize = 32 * 1024;
/// Largest descriptor read from stdin.
const MAX_DESCRIPTOR_BYTES: usize = 1024 * 1024;
/// Most envelope files read from one digest directory.
const MAX_ENVELOPE_FILES: usize = 1000;

/// What containerd passes.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// `-name`: the image name, e.g. `docker.io/library/alpine:3.20`.
    pub name: String,
    /// `-digest`: the image manifest digest.
    pub digest: String,
    /// `-stdin-media-type`: the media type of stdin.
    pub stdin_media_type: String,
}

/// Decides whether to allow the image; returns `(allow, line)`.
pub fn run(invocation: &Invocation, stdin: impl Read, now: Time) -> (bool, String) {
    let (allow, message) = decide(invocation, stdin, now);
    let verb = if allow { "allowed" } else { "rejected" };
    (
        allow,
        one_line(&format!(
            "notary-verify: {verb} {}: {message}",
            invocation.name
        )),
    )
}

fn decide(invocation: &Invocation, stdin: impl Read, now: Time) -> (bool, String) {
    let reject = |message: String| (false, message);
    if invocation.stdin_media_type != DESCRIPTOR_MEDIA_TYPE {
        return reject(format!(
            "stdin media type {:?} is not supported; only {DESCRIPTOR_MEDIA_TYPE} is",
            invocation.stdin_media_type
        ));
    }
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_DESCRIPTOR_BYTES).unwrap_or(u64::MAX);
    if let Err(e) = stdin.take(limit + 1).read_to_end(&mut bytes) {
        return reject(format!("cannot read the descriptor from stdin: {e}"));
    }
    if bytes.len() > MAX_DESCRIPTOR_BYTES {
        return reject(format!(
            "the descriptor on stdin is larger than {MAX_DESCRIPTOR_BYTES} bytes"
        ));
    }
    let descriptor: Descriptor = match serde_json::from_slice(&bytes) {
        Ok(d) => d,
        Err(e) => return reject(format!("stdin is not an OCI descriptor: {e}")),
    };
    if descriptor.digest != invocation.digest {
        return reject(format!(
            "the descriptor on stdin is for {}, not for -digest {}",
            descriptor.digest, invocation.digest
        ));
    }
    if !is_digest(&invocation.digest) {
        return reject(format!(
            "-digest {:?} is not a sha256 or sha512 digest",
            invocation.digest
        ));
    }
    let reference = format!("{}@{}", repository(&invocation.name), invocation.digest);

    let (policy, verifier) = match ConfigDir::locate(None).and_then(|c| {
        let policy = c.oci_policy()?;
        let store = c.trust_store(policy.statements());
        Ok((policy.clone(), Verifier::new(store).with_oci_policy(policy)))
    }) {
        Ok(v) => v,
        Err(fatal) => return reject(format!("configuration error: {fatal}")),
    };

    let store = signature_store();
    let candidates = match candidates(&store, &invocation.digest) {
        Ok(c) => c,
        Err(why) => return reject(why),
    };
    if candidates.is_empty() {
        if let Some(statement) = skipping_statement(&policy, &reference) {
            return (
                true,
                format!("trust policy statement \"{statement}\" skips signature verification"),
            );
        }
        return reject(format!(
            "no signature for {} in the signature store {} (an OCI image layout, or {}/{}/*.jws); put the image's notation signature there",
            invocation.digest,
            store.display(),
            store.display(),
            invocation.digest
        ));
    }
    let request = Request::oci(b"", &reference, descriptor, now);
    let attempts = try_in_order(&verifier, &request, candidates);
    summarize(&attempts)
}

fn summarize(attempts: &[Attempt]) -> (bool, String) {
    if let Some(Attempt {
        label,
        result: Ok(outcome),
    }) = attempts.iter().find(|a| a.accepted())
    {
        let policy = outcome.policy.as_deref().unwrap_or("?");
        return match outcome.verdict {
            verify::Verdict::Skipped => (
                true,
                format!("trust policy statement \"{policy}\" skips signature verification"),
            ),
            _ => (
                true,
                format!(
                    "signature {label} verified (policy \"{policy}\", level {})",
                    outcome.level.map_or("?", |l| l.as_str())
                ),
            ),
        };
    }
    let reasons: Vec<String> = attempts
        .iter()
        .map(|a| match &a.result {
            Ok(outcome) => match &outcome.error {
                Some(f) => format!("signature {}: {}{}", a.label, f.message, failure_tag(f)),
                None => format!("signature {}: rejected", a.label),
            },
            Err(why) => format!("signature {}: {why}", a.label),
        })
        .collect();
    (false, reasons.join("; "))
}

fn signature_store() -> PathBuf {
    std::env::var_os(SIGNATURES_ENV)
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_SIGNATURES_DIR), PathBuf::from)
}

/// The signatures of `digest` in the store.
fn candidates(store: &Path, digest: &str) -> Result<Vec<Candidate>, String> {
    if store.join("oci-layout").is_file() {
        return Ok(Layout::open(store)
            .map_err(|e| e.to_string())?
            .signatures(digest));
    }
    let dir = store.join(digest);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jws") && p.is_file())
        .collect();
    files.sort();
    files.truncate(MAX_ENVELOPE_FILES);
    let limit = Limits::default().max_envelope_bytes;
    Ok(files
        .into_iter()
        .map(|path| Candidate {
            label: path.display().to_string(),
            envelope: read_capped(&path, limit).map(|bytes| (JWS_MEDIA_TYPE.to_owned(), bytes)),
        })
        .collect())
}

/// `registry/repository` of an image name (tag and digest removed).
fn repository(name: &str) -> &str {
    let name = name.split_once('@').map_or(name, |(n, _)| n);
    match name.rfind(':') {
        Some(i) if !name[i..].contains('/') => &name[..i],
        _ => name,
    }
}

/// `text` on one line of at most 32 KiB (newline included).
fn one_line(text: &str) -> String {
    let mut line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if line.len() >= MAX_LINE_BYTES {
        let mut end = MAX_LINE_BYTES - 4;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        line.truncate(end);
        line.push('…');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_strips_tag_and_digest() {
        assert_eq!(
            repository("docker.io/library/alpine:3.20"),
            "docker.io/library/alpine"
        );
        assert_eq!(repository("localhost:5000/app"), "localhost:5000/app");
        assert_eq!(
            repository("localhost:5000/app:v1@sha256:ab"),
            "localhost:5000/app"
        );
    }

    #[test]
    fn one_line_is_bounded() {
        let long = "é\n".repeat(40_000);
        let line = one_line(&long);
        assert!(line.len() < MAX_LINE_BYTES);
        assert!(!line.contains('\n'));
    }
}
