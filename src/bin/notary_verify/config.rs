//! A notation configuration directory: trust policies and trust stores, read the
//! way notation reads them (spec §5.1, §6).
//!
//! ```text
//! DIR/trustpolicy.oci.json        OCI policy (else the legacy DIR/trustpolicy.json)
//! DIR/trustpolicy.blob.json       blob policy
//! DIR/truststore/x509/{ca,signingAuthority,tsa}/NAME/*   certificates, PEM or DER
//! ```
//!
//! Only the stores the policy names are read. A store that cannot be used (missing,
//! a symlink, holding a sub-directory or symlink, empty, or with a file that is not
//! certificates) is handed to the core as broken, so verification that consults it
//! fails with the store's error, as in notation.

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use verify::policy::{Statement, StoreRef};
use verify::store::{AWS_SIGNER_STORE, AWS_US_GOV_SIGNER_STORE};
use verify::{BlobTrustPolicy, Error, ErrorCode, Limits, OciTrustPolicy, TrustStore};

use super::files::{read_capped, read_limited, Fatal};

/// The OCI policy file names, in order of precedence.
const OCI_POLICY_FILES: [&str; 2] = ["trustpolicy.oci.json", "trustpolicy.json"];
/// The blob policy file name.
const BLOB_POLICY_FILE: &str = "trustpolicy.blob.json";
/// Most files one named store may hold.
const MAX_STORE_FILES: usize = 1000;
/// Largest trust store file read.
const MAX_STORE_FILE_BYTES: usize = 16 * 1024 * 1024;

/// A notation configuration directory.
#[derive(Debug, Clone)]
pub struct ConfigDir {
    root: PathBuf,
}

impl ConfigDir {
    /// `explicit`, else `$NOTATION_CONFIG`, else notation's default location for
    /// the platform. The directory must exist.
    pub fn locate(explicit: Option<&Path>) -> Result<Self, Fatal> {
        let (root, how) = match explicit {
            Some(dir) => (dir.to_path_buf(), "--config"),
            None => match env::var_os("NOTATION_CONFIG").filter(|v| !v.is_empty()) {
                Some(dir) => (PathBuf::from(dir), "$NOTATION_CONFIG"),
                None => (default_dir().ok_or_else(|| {
                    Fatal::new("cannot find the notation configuration directory: no home directory is known; pass --config DIR or set NOTATION_CONFIG")
                })?, "the default location"),
            },
        };
        match fs::metadata(&root) {
            Ok(m) if m.is_dir() => Ok(Self { root }),
            Ok(_) => Err(Fatal::new(format!(
                "the notation configuration directory {} ({how}) is not a directory",
                root.display()
            ))),
            Err(e) => Err(Fatal::new(format!(
                "cannot use the notation configuration directory {} ({how}): {e}; pass --config DIR or set NOTATION_CONFIG",
                root.display()
            ))),
        }
    }

    /// The OCI trust policy: `trustpolicy.oci.json`, or `trustpolicy.json` when the
    /// former does not exist.
    pub fn oci_policy(&self) -> Result<OciTrustPolicy, Fatal> {
        for name in OCI_POLICY_FILES {
            if let Some((path, bytes)) = self.policy_file(name)? {
                return OciTrustPolicy::from_json(&bytes).map_err(|e| {
                    Fatal::from_error(format!("trust policy {}", path.display()), &e)
                });
            }
        }
        Err(Fatal::new(format!(
            "no OCI trust policy: neither {} nor {} exists; write one (see `notation policy import`) or pass --config DIR",
            self.root.join(OCI_POLICY_FILES[0]).display(),
            self.root.join(OCI_POLICY_FILES[1]).display()
        )))
    }

    /// The blob trust policy `trustpolicy.blob.json`.
    pub fn blob_policy(&self) -> Result<BlobTrustPolicy, Fatal> {
        match self.policy_file(BLOB_POLICY_FILE)? {
            Some((path, bytes)) => {
                BlobTrustPolicy::from_json(&bytes).map_err(|e| Fatal::from_error(format!("trust policy {}", path.display()), &e))
            }
            None => Err(Fatal::new(format!(
                "no blob trust policy: {} does not exist; write one (see `notation blob policy import`) or pass --config DIR",
                self.root.join(BLOB_POLICY_FILE).display()
            ))),
        }
    }

    /// Reads a policy file; `None` if it does not exist. Symlinks and directories
    /// are refused (POLICY-19).
    fn policy_file(&self, name: &str) -> Result<Option<(PathBuf, Vec<u8>)>, Fatal> {
        let path = self.root.join(name);
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Fatal::new(format!(
                    "cannot read trust policy {}: {e}",
                    path.display()
                )))
            }
        };
        if meta.file_type().is_symlink() {
            return Err(Fatal::with_code(
                ErrorCode::PolicyFileInvalid,
                format!(
                    "trust policy {} is a symbolic link, which notation refuses; replace it with the policy file itself",
                    path.display()
                ),
            ));
        }
        if meta.is_dir() {
            return Err(Fatal::with_code(
                ErrorCode::PolicyFileInvalid,
                format!(
                    "trust policy {} is a directory; it must be a JSON file",
                    path.display()
                ),
            ));
        }
        let bytes = read_capped(&path, Limits::default().max_policy_bytes).map_err(Fatal::new)?;
        Ok(Some((path, bytes)))
    }

    /// A trust store holding the built-in AWS Signer roots plus every store the
    /// statements name, read from `truststore/x509/`.
    pub fn trust_store(&self, statements: &[Statement]) -> TrustStore {
        let mut store = TrustStore::new();
        let named: BTreeSet<&StoreRef> = statements
            .iter()
            .flat_map(|s| s.trust_stores.iter())
            .collect();
        for store_ref in named {
            self.load_store(&mut store, store_ref);
        }
        store
    }

    fn load_store(&self, store: &mut TrustStore, store_ref: &StoreRef) {
        let name = store_ref.to_string();
        let built_in = name == AWS_SIGNER_STORE || name == AWS_US_GOV_SIGNER_STORE;
        let dir = self
            .root
            .join("truststore")
            .join("x509")
            .join(store_ref.store_type.as_str())
            .join(&store_ref.name);
        let broken = |store: &mut TrustStore, code: ErrorCode, message: String| {
            // `name` came from a validated policy, so it always parses.
            let _ = store.mark_broken(
                &name,
                Error::new(code, format!("trust store {name}: {message}")),
            );
        };
        let files = match store_files(&dir) {
            Ok(files) => files,
            Err(StoreProblem::Missing) if built_in => return,
            Err(StoreProblem::Missing) => {
                return broken(
                    store,
                    ErrorCode::StoreUnavailable,
                    format!("the directory {} does not exist; create it and put the trusted root certificate(s) in it", dir.display()),
                )
            }
            Err(StoreProblem::Other(code, message)) => return broken(store, code, message),
        };
        if files.is_empty() {
            if !built_in {
                broken(
                    store,
                    ErrorCode::StoreEmpty,
                    format!("{} holds no certificate file; add the trusted root certificate(s), PEM or DER", dir.display()),
                );
            }
            return;
        }
        for path in files {
            let bytes = match read_limited(&path, MAX_STORE_FILE_BYTES) {
                Ok(bytes) => bytes,
                Err(message) => return broken(store, ErrorCode::StoreUnavailable, message),
            };
            if let Err(e) = store.add(&name, &bytes) {
                return broken(
                    store,
                    e.code(),
                    format!("{}: {}", path.display(), e.message()),
                );
            }
        }
    }
}

enum StoreProblem {
    Missing,
    Other(ErrorCode, String),
}

/// The files of a named store directory, sorted by name.
fn store_files(dir: &Path) -> Result<Vec<PathBuf>, StoreProblem> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Err(StoreProblem::Missing),
        Err(e) => {
            return Err(StoreProblem::Other(
                ErrorCode::StoreUnavailable,
                format!("cannot read {}: {e}", dir.display()),
            ))
        }
    };
    if meta.file_type().is_symlink() {
        return Err(StoreProblem::Other(
            ErrorCode::StoreHasDirectory,
            format!(
                "{} is a symbolic link, which notation refuses; make it a directory holding the certificate files",
                dir.display()
            ),
        ));
    }
    if !meta.is_dir() {
        return Err(StoreProblem::Other(
            ErrorCode::StoreUnavailable,
            format!(
                "{} is not a directory; a trust store is a directory of certificate files",
                dir.display()
            ),
        ));
    }
    let entries = fs::read_dir(dir).map_err(|e| {
        StoreProblem::Other(
            ErrorCode::StoreUnavailable,
            format!("cannot list {}: {e}", dir.display()),
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            StoreProblem::Other(
                ErrorCode::StoreUnavailable,
                format!("cannot list {}: {e}", dir.display()),
            )
        })?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|e| {
            StoreProblem::Other(
                ErrorCode::StoreUnavailable,
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        if file_type.is_symlink() || file_type.is_dir() {
            let what = if file_type.is_dir() {
                "a sub-directory"
            } else {
                "a symbolic link"
            };
            return Err(StoreProblem::Other(
                ErrorCode::StoreHasDirectory,
                format!(
                    "{} is {what}; notation accepts only certificate files in a trust store, so move it out",
                    path.display()
                ),
            ));
        }
        if !file_type.is_file() {
            return Err(StoreProblem::Other(
                ErrorCode::StoreFileInvalid,
                format!(
                    "{} is not a regular file; remove it from the trust store",
                    path.display()
                ),
            ));
        }
        files.push(path);
        if files.len() > MAX_STORE_FILES {
            return Err(StoreProblem::Other(
                ErrorCode::LimitExceeded,
                format!("{} holds more than {MAX_STORE_FILES} files", dir.display()),
            ));
        }
    }
    files.sort();
    Ok(files)
}

/// notation's default configuration directory for this platform.
fn default_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        return env::var_os("APPDATA").map(|d| PathBuf::from(d).join("notation"));
    }
    let home = env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library/Application Support/notation"));
    }
    match env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(xdg) => Some(PathBuf::from(xdg).join("notation")),
        None => home.map(|h| h.join(".config/notation")),
    }
}
