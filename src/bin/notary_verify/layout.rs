//! OCI image layouts (`oci-layout`, `index.json`, `blobs/ALG/HEX`): resolving a
//! reference to a manifest descriptor and finding its notation signatures, the
//! layout's referrers with artifact type `application/vnd.cncf.notary.signature`.

use std::collections::BTreeMap;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use verify::{Descriptor, Limits};

use super::files::{is_digest, oci_digest, read_limited, Fatal};
use super::signatures::Candidate;

/// The artifact type of notation signatures.
pub const SIGNATURE_ARTIFACT_TYPE: &str = "application/vnd.cncf.notary.signature";
/// Largest manifest read (notation's limit for manifests it fetches).
const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;
/// Largest `index.json` read.
const MAX_INDEX_BYTES: usize = 16 * 1024 * 1024;
/// Most manifests visited while looking for referrers.
const MAX_MANIFESTS: usize = 10_000;
/// Nested image indexes followed while looking for referrers.
const MAX_INDEX_DEPTH: usize = 4;

const IMAGE_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME: &str = "io.containerd.image.name";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Desc {
    #[serde(default)]
    media_type: String,
    digest: String,
    size: u64,
    #[serde(default)]
    artifact_type: Option<String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Index {
    #[serde(default)]
    manifests: Vec<Desc>,
}

/// The members of a manifest that matter here.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    artifact_type: Option<String>,
    #[serde(default)]
    config: Option<Desc>,
    #[serde(default)]
    layers: Vec<Desc>,
    #[serde(default)]
    manifests: Vec<Desc>,
    #[serde(default)]
    subject: Option<Desc>,
}

/// What a reference selects in a layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// A manifest digest.
    Digest(String),
    /// A tag (`org.opencontainers.image.ref.name`).
    Tag(String),
}

/// A reference given with `--oci-layout`: an optional `registry/repository` (the
/// trust policy scope) and what it selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutRef {
    /// `registry/repository`, unless the reference named the layout directory or
    /// only a tag or digest.
    pub repository: Option<String>,
    /// The tag or digest.
    pub selector: Selector,
}

impl LayoutRef {
    /// Parses `registry/repository@DIGEST`, `registry/repository:TAG`,
    /// `DIR@DIGEST`, `DIR:TAG`, a bare digest or a bare tag.
    pub fn parse(reference: &str, layout_dir: &Path) -> Result<Self, Fatal> {
        let (name, selector) = if let Some((name, digest)) = reference.rsplit_once('@') {
            (name, Selector::Digest(digest.to_owned()))
        } else if is_digest(reference) {
            ("", Selector::Digest(reference.to_owned()))
        } else {
            match reference
                .rsplit_once(':')
                .filter(|(_, tag)| !tag.contains('/'))
            {
                Some((name, tag)) => (name, Selector::Tag(tag.to_owned())),
                None => ("", Selector::Tag(reference.to_owned())),
            }
        };
        match &selector {
            Selector::Digest(d) if !is_digest(d) => {
                return Err(Fatal::new(format!(
                    "{reference}: {d:?} is not a sha256:<64 hex> or sha512:<128 hex> digest"
                )))
            }
            Selector::Tag(t) if t.is_empty() => {
                return Err(Fatal::new(format!("{reference}: the tag is empty")))
            }
            _ => {}
        }
        let repository =
            (!name.is_empty() && !same_dir(Path::new(name), layout_dir)).then(|| name.to_owned());
        Ok(Self {
            repository,
            selector,
        })
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// An OCI image layout on disk.
#[derive(Debug)]
pub struct Layout {
    root: PathBuf,
    index: Index,
}

impl Layout {
    /// Opens the layout at `root` (its `oci-layout` and `index.json`).
    pub fn open(root: &Path) -> Result<Self, Fatal> {
        if !root.join("oci-layout").is_file() {
            return Err(Fatal::new(format!(
                "{} is not an OCI image layout: it has no oci-layout file",
                root.display()
            )));
        }
        let path = root.join("index.json");
        let bytes = read_limited(&path, MAX_INDEX_BYTES).map_err(Fatal::new)?;
        let index: Index = serde_json::from_slice(&bytes).map_err(|e| {
            Fatal::new(format!("{} is not an OCI image index: {e}", path.display()))
        })?;
        Ok(Self {
            root: root.to_path_buf(),
            index,
        })
    }

    /// The descriptor of the manifest `selector` names.
    pub fn resolve(
        &self,
        repository: Option<&str>,
        selector: &Selector,
    ) -> Result<Descriptor, Fatal> {
        let (digest, listed) = match selector {
            Selector::Tag(tag) => {
                let full = repository.map(|r| format!("{r}:{tag}"));
                let found: Vec<&Desc> = self
                    .index
                    .manifests
                    .iter()
                    .filter(|d| {
                        let ref_name = d.annotations.get(REF_NAME);
                        ref_name == Some(tag)
                            || (full.is_some()
                                && (ref_name == full.as_ref()
                                    || d.annotations.get(CONTAINERD_NAME) == full.as_ref()))
                    })
                    .collect();
                match found.as_slice() {
                    [] => {
                        return Err(Fatal::new(format!(
                            "tag {tag:?} is not in {} (annotation {REF_NAME}); check the reference or use a digest",
                            self.root.join("index.json").display()
                        )))
                    }
                    [first, rest @ ..] if rest.iter().any(|d| d.digest != first.digest) => {
                        return Err(Fatal::new(format!(
                            "tag {tag:?} names several manifests in {}; use a digest",
                            self.root.join("index.json").display()
                        )))
                    }
                    [first, ..] => (first.digest.clone(), Some(*first)),
                }
            }
            Selector::Digest(digest) => (
                digest.clone(),
                self.index.manifests.iter().find(|d| &d.digest == digest),
            ),
        };
        let bytes = self.blob(&digest, MAX_MANIFEST_BYTES).map_err(Fatal::new)?;
        let media_type = listed
            .map(|d| d.media_type.clone())
            .filter(|m| !m.is_empty())
            .or_else(|| serde_json::from_slice::<Manifest>(&bytes).ok().and_then(|m| m.media_type))
            .ok_or_else(|| {
                Fatal::new(format!(
                    "manifest {digest} in {} has no media type (neither in index.json nor in the manifest)",
                    self.root.display()
                ))
            })?;
        Ok(Descriptor::new(media_type, digest, bytes.len() as u64))
    }

    /// The notation signatures of the manifest `target`: manifests reachable from
    /// `index.json` whose `subject` is `target` and whose artifact type is
    /// [`SIGNATURE_ARTIFACT_TYPE`], in index order. Each candidate carries its
    /// envelope, or why it could not be read.
    pub fn signatures(&self, target: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut queue: Vec<(usize, Desc)> = self
            .index
            .manifests
            .iter()
            .rev()
            .map(|d| (0, d.clone()))
            .collect();
        while let Some((depth, desc)) = queue.pop() {
            if seen.len() >= MAX_MANIFESTS || !seen.insert(desc.digest.clone()) {
                continue;
            }
            let nested = desc.media_type == IMAGE_INDEX || desc.media_type == DOCKER_MANIFEST_LIST;
            if desc
                .artifact_type
                .as_deref()
                .is_some_and(|t| t != SIGNATURE_ARTIFACT_TYPE)
                && !nested
            {
                continue;
            }
            let Ok(bytes) = self.blob(&desc.digest, MAX_MANIFEST_BYTES) else {
                continue;
            };
            let Ok(manifest) = serde_json::from_slice::<Manifest>(&bytes) else {
                continue;
            };
            if nested || !manifest.manifests.is_empty() {
                if depth < MAX_INDEX_DEPTH {
                    queue.extend(manifest.manifests.into_iter().rev().map(|d| (depth + 1, d)));
                }
                continue;
            }
            let artifact_type = manifest
                .artifact_type
                .clone()
                .or_else(|| manifest.config.as_ref().map(|c| c.media_type.clone()));
            if manifest.subject.as_ref().map(|s| s.digest.as_str()) != Some(target)
                || artifact_type.as_deref() != Some(SIGNATURE_ARTIFACT_TYPE)
            {
                continue;
            }
            out.push(Candidate {
                label: desc.digest.clone(),
                envelope: self.envelope(&manifest),
            });
        }
        out
    }

    /// The envelope of a signature manifest and its media type.
    fn envelope(&self, manifest: &Manifest) -> Result<(String, Vec<u8>), String> {
        let [layer] = manifest.layers.as_slice() else {
            return Err(format!(
                "the signature manifest has {} layers; a notation signature manifest has exactly one, the envelope",
                manifest.layers.len()
            ));
        };
        let bytes = self.blob(&layer.digest, Limits::default().max_envelope_bytes)?;
        if bytes.len() as u64 != layer.size {
            return Err(format!(
                "envelope blob {} is {} bytes but the signature manifest says {}",
                layer.digest,
                bytes.len(),
                layer.size
            ));
        }
        Ok((layer.media_type.clone(), bytes))
    }

    /// Reads blob `digest`, at most `cap` bytes, and checks its digest.
    fn blob(&self, digest: &str, cap: usize) -> Result<Vec<u8>, String> {
        if !is_digest(digest) {
            return Err(format!("{digest:?} is not a sha256 or sha512 digest"));
        }
        let (algorithm, hex) = digest.split_once(':').unwrap_or_default();
        let path = self.root.join("blobs").join(algorithm).join(hex);
        let bytes = read_limited(&path, cap)
            .map_err(|e| format!("blob {digest} cannot be read from the layout: {e}"))?;
        if oci_digest(algorithm, &bytes).as_deref() != Some(digest) {
            return Err(format!(
                "blob {} does not match its digest {digest}; the layout is corrupt",
                path.display()
            ));
        }
        Ok(bytes)
    }
}
