//! Integration tests of the `notary-verify` binary: exit codes, text and JSON
//! output, notation configuration directories, OCI layouts, blobs and the
//! containerd verifier mode.
//!
//! Golden files live in `tests/golden/`; `UPDATE_GOLDEN=1 cargo test --features cli
//! --test cli` rewrites them.
#![cfg(feature = "cli")]

mod support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const EXAMPLE_REPO: &str = "registry.example/net-monitor";
const DESCRIPTOR_TYPE: &str = "application/vnd.oci.descriptor.v1+json";
const AWS_PROFILE: &str = "arn:aws:signer:us-west-2:111122223333:/signing-profiles/NotationTest";

// ------------------------------------------------------------------ harness

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// The binary, run in the package root with no notation environment.
fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_notary-verify"));
    c.current_dir(ROOT)
        .env_remove("NOTATION_CONFIG")
        .env_remove("NOTARY_VERIFY_SIGNATURES")
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", tmp("empty-home"));
    c
}

fn run_cmd(mut c: Command, stdin: &[u8]) -> Run {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("the binary runs");
    child.stdin.take().expect("stdin").write_all(stdin).ok();
    let out = child.wait_with_output().expect("the binary finishes");
    Run {
        code: out.status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let mut c = cmd();
    c.args(args);
    run_cmd(c, b"")
}

/// A fresh, empty directory under the target's temporary directory.
fn tmp(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{}-{n}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            // Read and write rather than copy: the copy must be writable.
            fs::write(&target, fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

fn root(rel: &str) -> PathBuf {
    Path::new(ROOT).join(rel)
}

fn sha256(data: &[u8]) -> String {
    let sum = verify::crypto::digest(verify::crypto::Hash::Sha256, data);
    format!(
        "sha256:{}",
        sum.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Reads the committed file, or — with `UPDATE_GOLDEN` set — rewrites it.
fn golden(name: &str, actual: &str) {
    let path = root("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} ({e}); run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

// ------------------------------------------------------------------ the bundled example

/// `examples/layout`: the image manifest digest (from index.json's tag `v1`).
fn example_image() -> (String, u64) {
    let index: Value =
        serde_json::from_slice(&fs::read(root("examples/layout/index.json")).unwrap()).unwrap();
    let image = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == "v1")
        .expect("examples/layout tags v1");
    (
        image["digest"].as_str().unwrap().to_owned(),
        image["size"].as_u64().unwrap(),
    )
}

/// The example's signature manifest and envelope.
fn example_signature() -> (Value, Vec<u8>) {
    let index: Value =
        serde_json::from_slice(&fs::read(root("examples/layout/index.json")).unwrap()).unwrap();
    let sig = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["artifactType"] == "application/vnd.cncf.notary.signature")
        .expect("examples/layout has a signature");
    let manifest: Value = serde_json::from_slice(&blob(
        &root("examples/layout"),
        sig["digest"].as_str().unwrap(),
    ))
    .unwrap();
    let envelope = blob(
        &root("examples/layout"),
        manifest["layers"][0]["digest"].as_str().unwrap(),
    );
    (manifest, envelope)
}

fn blob(layout: &Path, digest: &str) -> Vec<u8> {
    fs::read(
        layout
            .join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:")),
    )
    .unwrap()
}

fn put_blob(layout: &Path, data: &[u8]) -> String {
    let digest = sha256(data);
    fs::write(
        layout
            .join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:")),
        data,
    )
    .unwrap();
    digest
}

/// Adds a signature manifest (envelope `envelope`, subject `subject`) to a layout;
/// `first` puts it before the existing manifests in index.json.
fn add_signature(layout: &Path, envelope: &[u8], subject: &Value, first: bool) -> String {
    let (template, _) = example_signature();
    let layer = put_blob(layout, envelope);
    let mut manifest = template.clone();
    manifest["layers"][0]["digest"] = json!(layer);
    manifest["layers"][0]["size"] = json!(envelope.len());
    manifest["subject"] = subject.clone();
    let bytes = serde_json::to_vec(&manifest).unwrap();
    let digest = put_blob(layout, &bytes);
    let index_path = layout.join("index.json");
    let mut index: Value = serde_json::from_slice(&fs::read(&index_path).unwrap()).unwrap();
    let entry = json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": digest,
        "size": bytes.len(),
        "artifactType": "application/vnd.cncf.notary.signature",
    });
    let manifests = index["manifests"].as_array_mut().unwrap();
    if first {
        manifests.insert(0, entry);
    } else {
        manifests.push(entry);
    }
    fs::write(&index_path, serde_json::to_vec_pretty(&index).unwrap()).unwrap();
    digest
}

fn remove_signatures(layout: &Path) {
    let index_path = layout.join("index.json");
    let mut index: Value = serde_json::from_slice(&fs::read(&index_path).unwrap()).unwrap();
    index["manifests"]
        .as_array_mut()
        .unwrap()
        .retain(|m| m["artifactType"] != "application/vnd.cncf.notary.signature");
    fs::write(&index_path, serde_json::to_vec_pretty(&index).unwrap()).unwrap();
}

fn example_subject() -> Value {
    let (digest, size) = example_image();
    json!({ "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": size })
}

/// The example envelope with one signature byte changed.
fn tampered_envelope() -> Vec<u8> {
    let (_, envelope) = example_signature();
    let mut value: Value = serde_json::from_slice(&envelope).unwrap();
    let sig = value["signature"].as_str().unwrap().to_owned();
    let mut chars: Vec<char> = sig.chars().collect();
    chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
    value["signature"] = json!(chars.into_iter().collect::<String>());
    serde_json::to_vec(&value).unwrap()
}

fn verify_layout(config: &Path, layout: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<String> = vec![
        "verify".into(),
        "--config".into(),
        config.display().to_string(),
        "--oci-layout".into(),
        layout.display().to_string(),
        "--reference".into(),
        format!("{EXAMPLE_REPO}:v1"),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

#[test]
fn main_job_example_verifies() {
    let (digest, _) = example_image();
    let r = run(&[
        "verify",
        "--config",
        "examples/config",
        "--oci-layout",
        "examples/layout",
        "--reference",
        "registry.example/net-monitor:v1",
    ])
    .expect(0);
    let first = r.stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!("✓ Successfully verified signature for {EXAMPLE_REPO}@{digest}")
    );
    assert!(
        r.stdout
            .contains("(1 of 1): verified (policy \"net-monitor\", level strict)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("authenticity       passed (enforced)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("rather than a tag(:v1)"),
        "tag warning: {}",
        r.stderr
    );
}

#[test]
fn example_reference_forms() {
    let (digest, _) = example_image();
    let by_digest = format!("{EXAMPLE_REPO}@{digest}");
    let base = [
        "verify",
        "--config",
        "examples/config",
        "--oci-layout",
        "examples/layout",
        "--reference",
    ];
    let r = run(&[&base[..], &[by_digest.as_str()]].concat()).expect(0);
    assert!(
        r.stderr.is_empty(),
        "no tag warning for a digest: {}",
        r.stderr
    );
    // DIR:TAG, DIR@DIGEST and a bare digest name no repository: --scope gives it.
    for reference in [
        "examples/layout:v1".to_owned(),
        format!("examples/layout@{digest}"),
        digest.clone(),
        "v1".to_owned(),
    ] {
        run(&[&base[..], &[reference.as_str(), "--scope", EXAMPLE_REPO]].concat()).expect(0);
        let r = run(&[&base[..], &[reference.as_str()]].concat()).expect(2);
        assert!(r.stderr.contains("--scope"), "{}", r.stderr);
    }
    // Another repository selects no statement of the example policy.
    let r = run(&[&base[..], &["registry.example/other:v1"]].concat()).expect(1);
    assert!(r.stdout.contains("POLICY-18"), "{}", r.stdout);
    // Unknown tag or digest: usage error.
    run(&[&base[..], &[format!("{EXAMPLE_REPO}:v2").as_str()]].concat()).expect(2);
    let unknown = format!("{EXAMPLE_REPO}@sha256:{}", "0".repeat(64));
    run(&[&base[..], &[unknown.as_str()]].concat()).expect(2);
    run(&[
        &base[..],
        &[format!("{EXAMPLE_REPO}@sha256:../../etc").as_str()],
    ]
    .concat())
    .expect(2);
}

#[test]
fn example_json_output() {
    let r = verify_layout(
        &root("examples/config"),
        &root("examples/layout"),
        &["--output", "json"],
    )
    .expect(0);
    let v = r.json();
    assert_eq!(v["verdict"], "verified");
    assert_eq!(v["signatures"].as_array().unwrap().len(), 1);
    let outcome = &v["signatures"][0]["outcome"];
    assert_eq!(outcome["verdict"], "verified");
    assert_eq!(outcome["policy"], "net-monitor");
    assert_eq!(
        outcome["signature"]["signedArtifact"]["annotations"]["io.example.build"],
        "42"
    );
}

#[test]
fn example_envelope_and_user_metadata() {
    let (digest, size) = example_image();
    let envelope = tmp("envelope").join("sig.jws");
    fs::write(&envelope, example_signature().1).unwrap();
    let reference = format!("{EXAMPLE_REPO}@{digest}");
    let env = envelope.display().to_string();
    let base = [
        "verify",
        "--config",
        "examples/config",
        "--envelope",
        env.as_str(),
        "--reference",
        reference.as_str(),
    ];
    let r = run(&base).expect(0);
    assert_eq!(
        r.stdout.lines().next().unwrap(),
        format!("✓ Successfully verified signature for {reference}")
    );
    assert_eq!(
        r.stdout.lines().count(),
        6,
        "verdict plus five checks:\n{}",
        r.stdout
    );
    let size = size.to_string();
    run(&[
        &base[..],
        &[
            "--media-type",
            "application/vnd.oci.image.manifest.v1+json",
            "--size",
            size.as_str(),
        ],
    ]
    .concat())
    .expect(0);
    let r = run(&[
        &base[..],
        &[
            "--media-type",
            "application/vnd.oci.image.manifest.v1+json",
            "--size",
            "1",
        ],
    ]
    .concat())
    .expect(1);
    assert!(r.stdout.contains("PAY-03"), "{}", r.stdout);
    run(&[&base[..], &["--user-metadata", "io.example.build=42"]].concat()).expect(0);
    let r = run(&[&base[..], &["-m", "io.example.build=43", "-o", "json"]].concat()).expect(1);
    assert_eq!(r.json()["error"]["code"], "user_metadata_mismatch");
    // The signature is bound to the digest in REF.
    let other = format!("{EXAMPLE_REPO}@sha256:{}", "1".repeat(64));
    let r = run(&[
        "verify",
        "--config",
        "examples/config",
        "--envelope",
        env.as_str(),
        "--reference",
        other.as_str(),
        "-o",
        "json",
    ])
    .expect(1);
    assert_eq!(r.json()["error"]["code"], "target_mismatch");
    // Verification time: after the signature's expiry.
    let r = run(&[&base[..], &["--at", "2044-07-01T00:00:00Z"]].concat()).expect(1);
    assert!(
        r.stdout.contains("expiry") && r.stdout.contains("TIME-06"),
        "{}",
        r.stdout
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = root("examples/blob/hello.txt.jws.sig")
        .display()
        .to_string();
    for args in [
        vec![
            "verify",
            "--config",
            "examples/config",
            "--envelope",
            env.as_str(),
        ],
        vec![
            "verify",
            "--config",
            "examples/config",
            "--reference",
            "r@sha256:00",
        ],
        vec![
            "verify",
            "--config",
            "examples/config",
            "--envelope",
            env.as_str(),
            "--reference",
            "registry.example/net-monitor:v1",
        ],
        vec![
            "verify",
            "--config",
            "examples/config",
            "--envelope",
            env.as_str(),
            "--reference",
            "a/b@sha256:00",
            "--at",
            "yesterday",
        ],
        vec![
            "verify",
            "--config",
            "examples/config",
            "--envelope",
            env.as_str(),
            "--reference",
            "a/b@sha256:00",
            "-m",
            "novalue",
        ],
        vec![
            "verify",
            "--config",
            "examples/config",
            "--envelope",
            "/nonexistent.jws",
            "--reference",
            "a/b@sha256:00",
        ],
        vec![
            "verify",
            "--config",
            "/nonexistent",
            "--envelope",
            env.as_str(),
            "--reference",
            "a/b@sha256:00",
        ],
        vec![
            "verify",
            "--config",
            "examples/config",
            "--oci-layout",
            "examples/config",
            "--reference",
            "a/b:v1",
        ],
        vec![
            "verify",
            "--config",
            "examples/config",
            "--envelope",
            env.as_str(),
            "--reference",
            "a/b@sha256:00",
            "--crl",
            "/nonexistent.crl",
        ],
        vec!["frobnicate"],
        vec!["inspect"],
    ] {
        let r = run(&args);
        assert_eq!(
            r.code, 2,
            "{args:?}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
    }
}

// ------------------------------------------------------------------ inspect

#[test]
fn inspect_aws_signature_golden() {
    let rel = "tests/fixtures/envelopes/valid/sa-aws-es384.jws";
    let r = run(&["inspect", rel]).expect(0);
    golden("inspect-sa-aws-es384.txt", &r.stdout);
    // The AWS shape: four certificates, authentic signing time, both AWS attributes, the plugin.
    assert_eq!(r.stdout.matches("SHA256 fingerprint: ").count(), 4);
    for needle in [
        "signingScheme: notary.x509.signingAuthority",
        "com.amazonaws.signer.signingProfileVersion: arn:aws:signer:",
        "com.amazonaws.signer.signingJob: arn:aws:signer:",
        "io.cncf.notary.verificationPlugin: com.amazonaws.signer.notation.plugin",
    ] {
        assert!(r.stdout.contains(needle), "{needle}:\n{}", r.stdout);
    }
    let v = run(&["inspect", rel, "--output", "json"]).expect(0).json();
    assert_eq!(v["signingScheme"], "notary.x509.signingAuthority");
    assert_eq!(v["authenticSigningTime"], true);
    assert_eq!(v["certificates"].as_array().unwrap().len(), 4);
    assert_eq!(
        v["aws"]["signingProfileVersion"],
        format!("{AWS_PROFILE}/AbCdEf1234")
    );
    assert_eq!(
        v["verificationPlugin"],
        "com.amazonaws.signer.notation.plugin"
    );
}

#[test]
fn inspect_x509_signature_golden() {
    let r = run(&[
        "inspect",
        "tests/fixtures/envelopes/valid/x509-annotations.jws",
    ])
    .expect(0);
    golden("inspect-x509-annotations.txt", &r.stdout);
    assert!(
        r.stdout.contains("│   ├── io.example.buildId: 123"),
        "{}",
        r.stdout
    );
}

#[test]
fn inspect_example_golden() {
    let dir = tmp("inspect");
    fs::write(dir.join("example.jws"), example_signature().1).unwrap();
    let mut c = cmd();
    c.current_dir(&dir).args(["inspect", "example.jws"]);
    let r = run_cmd(c, b"").expect(0);
    golden("inspect-example.txt", &r.stdout);
}

#[test]
fn inspect_failures() {
    let r = run(&[
        "inspect",
        "tests/fixtures/envelopes/invalid/jws-02-compact.jws",
    ])
    .expect(1);
    assert!(r.stderr.contains("JWS-02"), "{}", r.stderr);
    let r = run(&[
        "inspect",
        "tests/fixtures/envelopes/invalid/jws-01-not-json.jws",
        "-o",
        "json",
    ])
    .expect(1);
    assert_eq!(r.json()["error"]["rule"], "JWS-01");
    run(&["inspect", "/nonexistent.jws"]).expect(2);
}

// ------------------------------------------------------------------ every manifest case

/// Builds a notation configuration directory for a manifest case.
fn case_config(dir: &Path, case: &Value) -> PathBuf {
    let config = tmp(&format!("case-{}", case["id"].as_str().unwrap()));
    let policy_file = if case["blob"].is_string() {
        "trustpolicy.blob.json"
    } else {
        "trustpolicy.json"
    };
    fs::write(
        config.join(policy_file),
        serde_json::to_vec_pretty(&case["trust_policy"]).unwrap(),
    )
    .unwrap();
    for (name, files) in case["trust_stores"].as_object().into_iter().flatten() {
        let (store_type, store_name) = name.split_once(':').unwrap();
        let store = config
            .join("truststore/x509")
            .join(store_type)
            .join(store_name);
        fs::create_dir_all(&store).unwrap();
        for (i, file) in files.as_array().unwrap().iter().enumerate() {
            let src = dir.join(file.as_str().unwrap());
            fs::copy(
                &src,
                store.join(format!(
                    "{i}-{}",
                    src.file_name().unwrap().to_string_lossy()
                )),
            )
            .unwrap();
        }
    }
    config
}

/// Runs one case through the CLI; returns a problem description, if any.
fn run_case(dir: &Path, case: &Value) -> Option<String> {
    let config = case_config(dir, case);
    let envelope = dir
        .join(case["envelope"].as_str().unwrap())
        .display()
        .to_string();
    let mut args: Vec<String> = if let Some(blob) = case["blob"].as_str() {
        let mut a = vec![
            "blob".into(),
            "verify".into(),
            "--signature".into(),
            envelope,
        ];
        if let Some(name) = case["policy_name"].as_str() {
            a.extend(["--policy-name".into(), name.into()]);
        }
        if let Some(mt) = case["blob_media_type"].as_str() {
            a.extend(["--media-type".into(), mt.into()]);
        }
        a.push(dir.join(blob).display().to_string());
        a
    } else {
        let artifact = &case["artifact"];
        vec![
            "verify".into(),
            "--envelope".into(),
            envelope,
            "--reference".into(),
            case["reference"].as_str().unwrap().into(),
            "--media-type".into(),
            artifact["mediaType"].as_str().unwrap().into(),
            "--size".into(),
            artifact["size"].to_string(),
        ]
    };
    args.extend([
        "--config".into(),
        config.display().to_string(),
        "--at".into(),
        case["at"].as_str().unwrap().into(),
        "-o".into(),
        "json".into(),
    ]);
    for (k, v) in case["user_metadata"].as_object().into_iter().flatten() {
        args.extend([
            "--user-metadata".into(),
            format!("{k}={}", v.as_str().unwrap()),
        ]);
    }
    let r = run(&args);
    let expected = case["expected"].as_str().unwrap();
    let want_code = if expected == "verified" { 0 } else { 1 };
    let _ = fs::remove_dir_all(&config);
    if r.code != want_code {
        return Some(format!(
            "exit {} (expected {want_code}, {expected}); stdout {}; stderr {}",
            r.code, r.stdout, r.stderr
        ));
    }
    // The CLI feeds the core what the library harness does: same verdict and, unless
    // the failure is about how a store directory was read, the same error code.
    let cli: Value = serde_json::from_str(&r.stdout).ok()?;
    let lib: Value = serde_json::from_str(&support::run_case(dir, case).to_json()).unwrap();
    let code = |v: &Value| v["error"]["code"].as_str().map(str::to_owned);
    if cli["verdict"] != lib["verdict"] {
        return Some(format!(
            "verdict {} but the library says {}",
            cli["verdict"], lib["verdict"]
        ));
    }
    let store_error = code(&cli).is_some_and(|c| c.starts_with("store_"));
    if !store_error && code(&cli) != code(&lib) {
        return Some(format!(
            "error {:?} but the library says {:?}",
            code(&cli),
            code(&lib)
        ));
    }
    None
}

fn run_manifest(dir: &Path) -> usize {
    let manifest = support::manifest(dir);
    let mut ran = 0;
    let mut failures = Vec::new();
    let cases = manifest["cases"].as_array().unwrap().iter().chain(
        manifest["cases_needing_user_metadata"]
            .as_array()
            .into_iter()
            .flatten(),
    );
    for case in cases {
        if case["signature_media_type"].is_string() {
            // The CLI takes the envelope type from the file (JWS); nothing to pass.
            continue;
        }
        ran += 1;
        if let Some(problem) = run_case(dir, case) {
            failures.push(format!("{}: {problem}", case["id"].as_str().unwrap()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    ran
}

#[test]
fn every_fixture_case() {
    let dir = support::fixtures();
    if !dir.join("manifest.json").exists() {
        println!("skipped: tests/fixtures/manifest.json is not there yet");
        return;
    }
    let ran = run_manifest(&dir);
    println!("{ran} fixture cases through the CLI");
    assert!(ran > 0);
}

#[test]
fn every_shared_vector_case() {
    let Some(dir) = support::shared_vectors() else {
        println!("skipped: ../shared/vectors is absent");
        return;
    };
    let ran = run_manifest(&dir);
    println!("{ran} shared vector cases through the CLI");
}

// ------------------------------------------------------------------ configuration directories

/// A copy of `examples/config`.
fn example_config(name: &str) -> PathBuf {
    let dir = tmp(name);
    copy_dir(&root("examples/config"), &dir);
    dir
}

fn example_store(config: &Path) -> PathBuf {
    config.join("truststore/x509/ca/example")
}

fn error_code(config: &Path) -> (i32, Value) {
    let r = verify_layout(config, &root("examples/layout"), &["-o", "json"]);
    let v = if r.stdout.is_empty() {
        Value::Null
    } else {
        r.json()
    };
    (r.code, v["signatures"][0]["outcome"]["error"].clone())
}

#[test]
fn config_missing_policy() {
    let config = example_config("no-policy");
    fs::remove_file(config.join("trustpolicy.json")).unwrap();
    let r = verify_layout(&config, &root("examples/layout"), &[]).expect(2);
    assert!(
        r.stderr.contains("no OCI trust policy") && r.stderr.contains("trustpolicy.oci.json"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_malformed_policy() {
    let config = example_config("bad-policy");
    fs::write(
        config.join("trustpolicy.json"),
        br#"{"version": "2.0", "trustPolicies": []}"#,
    )
    .unwrap();
    let r = verify_layout(&config, &root("examples/layout"), &[]).expect(2);
    assert!(r.stderr.contains("POLICY-01"), "{}", r.stderr);
}

#[test]
fn config_both_policy_files_oci_wins() {
    // trustpolicy.oci.json takes precedence: a policy naming a missing store fails.
    let config = example_config("both-policies");
    let legacy = fs::read_to_string(config.join("trustpolicy.json")).unwrap();
    fs::write(
        config.join("trustpolicy.oci.json"),
        legacy.replace("ca:example", "ca:elsewhere"),
    )
    .unwrap();
    let (code, error) = error_code(&config);
    assert_eq!(code, 1);
    assert_eq!(error["code"], "store_unavailable");
    assert!(
        error["message"].as_str().unwrap().contains("elsewhere"),
        "{error}"
    );
    // And the other way round: a broken legacy file is not even read.
    fs::write(config.join("trustpolicy.oci.json"), &legacy).unwrap();
    fs::write(config.join("trustpolicy.json"), b"not json").unwrap();
    verify_layout(&config, &root("examples/layout"), &[]).expect(0);
}

#[cfg(unix)]
#[test]
fn config_policy_symlink_or_directory_is_policy_19() {
    let config = example_config("policy-symlink");
    fs::rename(config.join("trustpolicy.json"), config.join("real.json")).unwrap();
    std::os::unix::fs::symlink(config.join("real.json"), config.join("trustpolicy.json")).unwrap();
    let r = verify_layout(&config, &root("examples/layout"), &[]).expect(2);
    assert!(
        r.stderr.contains("[POLICY-19 policy_file_invalid]"),
        "{}",
        r.stderr
    );
    fs::remove_file(config.join("trustpolicy.json")).unwrap();
    fs::create_dir(config.join("trustpolicy.json")).unwrap();
    let r = verify_layout(&config, &root("examples/layout"), &[]).expect(2);
    assert!(
        r.stderr.contains("[POLICY-19 policy_file_invalid]"),
        "{}",
        r.stderr
    );
    // A symlinked trustpolicy.oci.json is refused even though trustpolicy.json is fine.
    let config = example_config("oci-policy-symlink");
    std::os::unix::fs::symlink(
        config.join("trustpolicy.json"),
        config.join("trustpolicy.oci.json"),
    )
    .unwrap();
    let r = verify_layout(&config, &root("examples/layout"), &[]).expect(2);
    assert!(r.stderr.contains("POLICY-19"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn config_symlinked_store_is_store_03() {
    let config = example_config("store-symlink");
    let store = example_store(&config);
    let moved = config.join("elsewhere");
    fs::rename(&store, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &store).unwrap();
    let (code, error) = error_code(&config);
    assert_eq!(
        (code, error["code"].as_str()),
        (1, Some("store_has_directory")),
        "{error}"
    );
    assert_eq!(error["rule"], "STORE-03");
    // A symlinked certificate file inside a real store directory, too.
    let config = example_config("file-symlink");
    let store = example_store(&config);
    fs::rename(store.join("example-root.pem"), config.join("root.pem")).unwrap();
    std::os::unix::fs::symlink(config.join("root.pem"), store.join("example-root.pem")).unwrap();
    let (code, error) = error_code(&config);
    assert_eq!(
        (code, error["code"].as_str()),
        (1, Some("store_has_directory")),
        "{error}"
    );
}

#[test]
fn config_store_with_sub_directory_is_store_03() {
    let config = example_config("store-subdir");
    fs::create_dir(example_store(&config).join("nested")).unwrap();
    let (code, error) = error_code(&config);
    assert_eq!(
        (code, error["code"].as_str()),
        (1, Some("store_has_directory")),
        "{error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("nested"),
        "{error}"
    );
}

#[test]
fn config_empty_store_is_store_05() {
    let config = example_config("store-empty");
    fs::remove_file(example_store(&config).join("example-root.pem")).unwrap();
    let (code, error) = error_code(&config);
    assert_eq!(
        (code, error["code"].as_str()),
        (1, Some("store_empty")),
        "{error}"
    );
    assert_eq!(error["rule"], "STORE-05");
}

#[test]
fn config_bad_pem_is_store_04() {
    let config = example_config("store-bad-pem");
    fs::write(
        example_store(&config).join("zz-broken.pem"),
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let (code, error) = error_code(&config);
    assert_eq!(
        (code, error["code"].as_str()),
        (1, Some("store_file_invalid")),
        "{error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("zz-broken.pem"),
        "names the file: {error}"
    );
}

#[test]
fn config_missing_store_is_store_02() {
    let config = example_config("store-missing");
    fs::remove_dir_all(example_store(&config)).unwrap();
    let (code, error) = error_code(&config);
    assert_eq!(
        (code, error["code"].as_str()),
        (1, Some("store_unavailable")),
        "{error}"
    );
}

#[test]
fn config_der_store_and_any_file_name() {
    let config = example_config("store-der");
    let store = example_store(&config);
    let pem = fs::read_to_string(store.join("example-root.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der =
        <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body).expect("PEM body is base64");
    fs::remove_file(store.join("example-root.pem")).unwrap();
    fs::write(store.join("root-certificate"), der).unwrap();
    verify_layout(&config, &root("examples/layout"), &[]).expect(0);
}

#[test]
fn config_default_locations() {
    // $NOTATION_CONFIG.
    let mut c = cmd();
    c.env("NOTATION_CONFIG", root("examples/config")).args([
        "verify",
        "--oci-layout",
        "examples/layout",
        "--reference",
        "registry.example/net-monitor:v1",
    ]);
    run_cmd(c, b"").expect(0);
    // $XDG_CONFIG_HOME/notation.
    let xdg = tmp("xdg");
    copy_dir(&root("examples/config"), &xdg.join("notation"));
    let mut c = cmd();
    c.env("XDG_CONFIG_HOME", &xdg).args([
        "verify",
        "--oci-layout",
        "examples/layout",
        "--reference",
        "registry.example/net-monitor:v1",
    ]);
    run_cmd(c, b"").expect(0);
    // ~/.config/notation.
    let home = tmp("home");
    copy_dir(&root("examples/config"), &home.join(".config/notation"));
    let mut c = cmd();
    c.env("HOME", &home).args([
        "verify",
        "--oci-layout",
        "examples/layout",
        "--reference",
        "registry.example/net-monitor:v1",
    ]);
    run_cmd(c, b"").expect(0);
    // None of them: a configuration error.
    let r = run(&[
        "verify",
        "--oci-layout",
        "examples/layout",
        "--reference",
        "registry.example/net-monitor:v1",
    ])
    .expect(2);
    assert!(r.stderr.contains("NOTATION_CONFIG"), "{}", r.stderr);
}

// ------------------------------------------------------------------ OCI layouts

fn example_layout(name: &str) -> PathBuf {
    let dir = tmp(name);
    copy_dir(&root("examples/layout"), &dir);
    dir
}

#[test]
fn layout_without_signatures() {
    let layout = example_layout("zero-signatures");
    remove_signatures(&layout);
    let r = verify_layout(&root("examples/config"), &layout, &[]).expect(1);
    assert!(
        r.stdout
            .starts_with("✗ No signature is associated with registry.example/net-monitor@sha256:"),
        "{}",
        r.stdout
    );
    let r = verify_layout(&root("examples/config"), &layout, &["-o", "json"]).expect(1);
    assert_eq!(r.json()["signatures"], json!([]));
    // A policy that skips the repository needs no signature.
    let config = example_config("skip-policy");
    fs::write(
        config.join("trustpolicy.json"),
        serde_json::to_vec(&json!({"version": "1.0", "trustPolicies": [
            {"name": "skip-it", "registryScopes": [EXAMPLE_REPO], "signatureVerification": {"level": "skip"}, "trustStores": [], "trustedIdentities": []}
        ]}))
        .unwrap(),
    )
    .unwrap();
    let r = verify_layout(&config, &layout, &[]).expect(0);
    assert!(
        r.stdout.contains("skipped") && r.stdout.contains("skip-it"),
        "{}",
        r.stdout
    );
}

#[test]
fn layout_several_signatures_first_good_wins() {
    let layout = example_layout("several");
    let bad = add_signature(&layout, &tampered_envelope(), &example_subject(), true);
    // A signature of another artifact is not a referrer of this one.
    let mut other = example_subject();
    other["digest"] = json!(format!("sha256:{}", "2".repeat(64)));
    add_signature(&layout, &example_signature().1, &other, true);
    let r = verify_layout(&root("examples/config"), &layout, &[]).expect(0);
    assert!(
        r.stdout
            .starts_with("✓ Successfully verified signature for"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("signature {bad} (1 of 2): rejected: ")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("[ALG-04 signature_invalid]"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("(2 of 2): verified"), "{}", r.stdout);
    let v = verify_layout(&root("examples/config"), &layout, &["-o", "json"])
        .expect(0)
        .json();
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[0]["digest"], bad);
    assert_eq!(sigs[0]["outcome"]["verdict"], "rejected");
    assert_eq!(sigs[1]["outcome"]["verdict"], "verified");
}

#[test]
fn layout_good_signature_first_stops() {
    let layout = example_layout("good-first");
    add_signature(&layout, &tampered_envelope(), &example_subject(), false);
    let r = verify_layout(&root("examples/config"), &layout, &["-o", "json"]).expect(0);
    assert_eq!(
        r.json()["signatures"].as_array().unwrap().len(),
        1,
        "stops at the first verified signature"
    );
}

#[test]
fn layout_only_bad_signatures() {
    let layout = example_layout("all-bad");
    remove_signatures(&layout);
    add_signature(&layout, &tampered_envelope(), &example_subject(), false);
    add_signature(&layout, b"not an envelope", &example_subject(), false);
    let r = verify_layout(&root("examples/config"), &layout, &[]).expect(1);
    assert!(
        r.stdout.starts_with(
            "✗ Signature verification failed for registry.example/net-monitor@sha256:"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("none of its 2 signature(s) verified"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("JWS-01"), "{}", r.stdout);
}

#[test]
fn layout_corrupt_blob_is_reported() {
    let layout = example_layout("corrupt");
    let (manifest, _) = example_signature();
    let layer = manifest["layers"][0]["digest"].as_str().unwrap();
    fs::write(
        layout
            .join("blobs/sha256")
            .join(layer.trim_start_matches("sha256:")),
        b"{}",
    )
    .unwrap();
    let r = verify_layout(&root("examples/config"), &layout, &[]).expect(1);
    assert!(
        r.stdout.contains("does not match its digest"),
        "{}",
        r.stdout
    );
}

#[test]
fn layout_from_notation_go_with_signature() {
    let Some(vectors) = support::shared_vectors() else {
        println!("skipped: ../shared/vectors is absent");
        return;
    };
    // notation-go's test layout (containerd export, tag v2) plus its JWS signature.
    let layout = tmp("notation-go-layout");
    copy_dir(
        &vectors.join("notation-go/internal/testdata/oci-layout"),
        &layout,
    );
    let subject = json!({"mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0", "size": 481});
    add_signature(
        &layout,
        &fs::read(vectors.join("notation-go/internal/testdata/jws_signature.sig")).unwrap(),
        &subject,
        false,
    );
    let config = tmp("notation-go-config");
    let store = config.join("truststore/x509/ca/alpine");
    fs::create_dir_all(&store).unwrap();
    fs::copy(
        vectors.join("derived/alpine-self-signed.pem"),
        store.join("alpine.pem"),
    )
    .unwrap();
    fs::write(
        config.join("trustpolicy.oci.json"),
        serde_json::to_vec(
            &json!({"version": "1.0", "trustPolicies": [{"name": "alpine", "registryScopes": ["*"],
            "signatureVerification": {"level": "strict", "override": {"revocation": "skip"}},
            "trustStores": ["ca:alpine"], "trustedIdentities": ["*"]}]}),
        )
        .unwrap(),
    )
    .unwrap();
    let layout_arg = layout.display().to_string();
    let reference = format!("{layout_arg}:v2");
    let r = run(&[
        "verify",
        "--config",
        config.to_str().unwrap(),
        "--oci-layout",
        layout_arg.as_str(),
        "--reference",
        reference.as_str(),
        "--scope",
        "docker.io/library/alpine",
        "--at",
        "2026-11-24T00:00:00Z",
    ])
    .expect(0);
    assert!(
        r.stdout.starts_with(
            "✓ Successfully verified signature for docker.io/library/alpine@sha256:19dbd2e4"
        ),
        "{}",
        r.stdout
    );
}

// ------------------------------------------------------------------ blob verify

#[test]
fn blob_verify_example() {
    let base = [
        "blob",
        "verify",
        "--config",
        "examples/config",
        "--signature",
        "examples/blob/hello.txt.jws.sig",
    ];
    let r = run(&[&base[..], &["examples/blob/hello.txt"]].concat()).expect(0);
    assert_eq!(
        r.stdout.lines().next().unwrap(),
        "✓ Successfully verified signature for examples/blob/hello.txt"
    );
    run(&[
        &base[..],
        &[
            "--policy-name",
            "example-blobs",
            "--media-type",
            "application/octet-stream",
            "examples/blob/hello.txt",
        ],
    ]
    .concat())
    .expect(0);
    let r = run(&[
        &base[..],
        &[
            "--media-type",
            "text/plain",
            "-o",
            "json",
            "examples/blob/hello.txt",
        ],
    ]
    .concat())
    .expect(1);
    assert_eq!(r.json()["error"]["rule"], "PAY-05");
    let r = run(&[
        &base[..],
        &[
            "--policy-name",
            "nope",
            "-o",
            "json",
            "examples/blob/hello.txt",
        ],
    ]
    .concat())
    .expect(1);
    assert_eq!(r.json()["error"]["rule"], "POLICY-18");
    let modified = tmp("blob").join("hello.txt");
    fs::write(&modified, b"Hello from somebody else.\n").unwrap();
    let r = run(&[&base[..], &["-o", "json", modified.to_str().unwrap()]].concat()).expect(1);
    assert_eq!(r.json()["error"]["code"], "blob_mismatch");
    // No blob policy: a configuration error.
    let config = example_config("no-blob-policy");
    fs::remove_file(config.join("trustpolicy.blob.json")).unwrap();
    let r = run(&[
        "blob",
        "verify",
        "--config",
        config.to_str().unwrap(),
        "--signature",
        "examples/blob/hello.txt.jws.sig",
        "examples/blob/hello.txt",
    ])
    .expect(2);
    assert!(r.stderr.contains("trustpolicy.blob.json"), "{}", r.stderr);
    run(&[
        "blob",
        "verify",
        "--config",
        "examples/config",
        "--signature",
        "examples/blob/hello.txt.jws.sig",
        "/nonexistent",
    ])
    .expect(2);
}

// ------------------------------------------------------------------ AWS revocation answers

#[test]
fn aws_revocation_answer_file() {
    let signer_root = root("tests/fixtures/pki/certs/signer-root.pem");
    let envelope = root("tests/fixtures/envelopes/valid/sa-aws-es384.jws");
    if !signer_root.exists() || !envelope.exists() {
        println!("skipped: the AWS-shaped fixtures are not there");
        return;
    }
    let config = tmp("aws-config");
    let store = config.join("truststore/x509/signingAuthority/test-signer");
    fs::create_dir_all(&store).unwrap();
    fs::copy(&signer_root, store.join("root.pem")).unwrap();
    fs::write(
        config.join("trustpolicy.oci.json"),
        serde_json::to_vec(&json!({"version": "1.0", "trustPolicies": [{"name": "aws", "registryScopes": ["*"],
            "signatureVerification": {"level": "strict"}, "trustStores": ["signingAuthority:test-signer"],
            "trustedIdentities": [AWS_PROFILE]}]}))
        .unwrap(),
    )
    .unwrap();
    let facts = run(&["inspect", envelope.to_str().unwrap(), "-o", "json"])
        .expect(0)
        .json();
    let reference = format!(
        "registry.example/aws-app@{}",
        facts["signedArtifact"]["digest"].as_str().unwrap()
    );
    let base = vec![
        "verify".to_owned(),
        "--config".into(),
        config.display().to_string(),
        "--envelope".into(),
        envelope.display().to_string(),
        "--reference".into(),
        reference,
        "--at".into(),
        "2026-06-02T00:00:00Z".into(),
        "-o".into(),
        "json".into(),
    ];
    let r = run(&base).expect(1);
    assert_eq!(r.json()["error"]["rule"], "AWS-09");
    let answers = tmp("aws-answers");
    fs::write(answers.join("clean.json"), br#"{"revokedEntities": []}"#).unwrap();
    fs::write(
        answers.join("revoked.json"),
        format!(r#"{{"revokedEntities": ["{AWS_PROFILE}"]}}"#),
    )
    .unwrap();
    fs::write(answers.join("wrong.json"), br#"{"revoked": []}"#).unwrap();
    let with = |file: &str| {
        [
            base.clone(),
            vec![
                "--aws-revocation".into(),
                answers.join(file).display().to_string(),
            ],
        ]
        .concat()
    };
    let r = run(&with("clean.json")).expect(0);
    assert_eq!(r.json()["verdict"], "verified");
    let r = run(&with("revoked.json")).expect(1);
    assert_eq!(r.json()["error"]["rule"], "AWS-10");
    run(&with("wrong.json")).expect(2);
}

#[test]
fn crl_and_ocsp_files_are_revocation_evidence() {
    let dir = root("tests/fixtures/revocation");
    if !dir.join("ocsp/leaf-good.der").exists() {
        println!("skipped: tests/fixtures/revocation is not there");
        return;
    }
    let config = tmp("revocation-config");
    let store = config.join("truststore/x509/ca/rev");
    fs::create_dir_all(&store).unwrap();
    fs::copy(dir.join("certs/root.pem"), store.join("root.pem")).unwrap();
    fs::write(
        config.join("trustpolicy.oci.json"),
        serde_json::to_vec(&json!({"version": "1.0", "trustPolicies": [{"name": "rev", "registryScopes": ["*"],
            "signatureVerification": {"level": "strict"}, "trustStores": ["ca:rev"], "trustedIdentities": ["*"]}]}))
        .unwrap(),
    )
    .unwrap();
    let reference = format!(
        "registry.example/fixtures@{}",
        support::FIXTURE_ARTIFACT_DIGEST
    );
    let file = |rel: &str| dir.join(rel).display().to_string();
    let verify = |envelope: &str, evidence: &[(&str, &str)]| {
        let mut args = vec![
            "verify".to_owned(),
            "--config".into(),
            config.display().to_string(),
            "--envelope".into(),
            file(envelope),
            "--reference".into(),
            reference.clone(),
            "--at".into(),
            "2026-11-24T00:00:00Z".into(),
            "-o".into(),
            "json".into(),
        ];
        for (flag, rel) in evidence {
            args.extend([flag.to_string(), file(rel)]);
        }
        run(&args)
    };
    let r = verify("envelopes/leaf.jws", &[]).expect(1);
    assert_eq!(r.json()["error"]["code"], "revocation_unknown");
    let r = verify(
        "envelopes/leaf.jws",
        &[("--crl", "crl/root.crl"), ("--ocsp", "ocsp/leaf-good.der")],
    )
    .expect(0);
    assert_eq!(r.json()["verdict"], "verified");
    let r = verify(
        "envelopes/revoked-leaf.jws",
        &[
            ("--crl", "crl/root.crl"),
            ("--ocsp", "ocsp/revoked-leaf-revoked.der"),
        ],
    )
    .expect(1);
    assert_eq!(r.json()["error"]["code"], "certificate_revoked");
}

// ------------------------------------------------------------------ containerd verifier

struct Containerd {
    config: PathBuf,
    store: PathBuf,
}

impl Containerd {
    fn run(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut c = cmd();
        c.env("NOTATION_CONFIG", &self.config)
            .env("NOTARY_VERIFY_SIGNATURES", &self.store)
            .args(args);
        let r = run_cmd(c, stdin);
        assert_eq!(
            r.stdout.matches('\n').count(),
            1,
            "exactly one line: {:?}",
            r.stdout
        );
        assert!(r.stdout.len() <= 32 * 1024);
        assert!(r.code == 0 || r.code == 1, "exit {}", r.code);
        r
    }
}

fn containerd_args(name: &str, digest: &str) -> Vec<String> {
    [
        "-name",
        name,
        "-digest",
        digest,
        "-stdin-media-type",
        DESCRIPTOR_TYPE,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn descriptor_json(digest: &str, size: u64) -> Vec<u8> {
    serde_json::to_vec(&json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": size,
        "annotations": {"io.containerd.image.name": "registry.example/net-monitor:v1"}}))
    .unwrap()
}

#[test]
fn containerd_allows_signed_image_from_layout_store() {
    let (digest, size) = example_image();
    let env = Containerd {
        config: root("examples/config"),
        store: root("examples/layout"),
    };
    let name = format!("{EXAMPLE_REPO}:v1");
    let args = containerd_args(&name, &digest);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // As containerd calls a symlinked or wrapped binary: flags only.
    let r = env.run(&args, &descriptor_json(&digest, size)).expect(0);
    assert!(
        r.stdout
            .starts_with(&format!("notary-verify: allowed {name}: signature sha256:")),
        "{}",
        r.stdout
    );
    // Through the subcommand, with GNU-style flags.
    let long: Vec<String> = args
        .iter()
        .map(|a| {
            if a.starts_with('-') {
                format!("-{a}")
            } else {
                a.to_string()
            }
        })
        .collect();
    let long: Vec<&str> = std::iter::once("containerd-verifier")
        .chain(long.iter().map(String::as_str))
        .collect();
    env.run(&long, &descriptor_json(&digest, size)).expect(0);
}

#[test]
fn containerd_allows_from_digest_directory_store() {
    let (digest, size) = example_image();
    let store = tmp("digest-store");
    fs::create_dir(store.join(&digest)).unwrap();
    fs::write(store.join(&digest).join("a-bad.jws"), tampered_envelope()).unwrap();
    fs::write(
        store.join(&digest).join("b-good.jws"),
        example_signature().1,
    )
    .unwrap();
    let env = Containerd {
        config: root("examples/config"),
        store,
    };
    let args = containerd_args(&format!("{EXAMPLE_REPO}@{digest}"), &digest);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = env.run(&args, &descriptor_json(&digest, size)).expect(0);
    assert!(r.stdout.contains("b-good.jws verified"), "{}", r.stdout);
}

#[test]
fn containerd_rejects() {
    let (digest, size) = example_image();
    let name = format!("{EXAMPLE_REPO}:v1");
    let layout_store = Containerd {
        config: root("examples/config"),
        store: root("examples/layout"),
    };
    let args = containerd_args(&name, &digest);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    // Untrusted: the trust store holds another root.
    let config = example_config("containerd-untrusted");
    let other_root = root("tests/fixtures/pki/certs/ec256-root.pem");
    let store = example_store(&config);
    fs::remove_file(store.join("example-root.pem")).unwrap();
    fs::copy(&other_root, store.join("other.pem")).unwrap();
    let untrusted = Containerd {
        config,
        store: root("examples/layout"),
    };
    let r = untrusted
        .run(&args, &descriptor_json(&digest, size))
        .expect(1);
    assert!(
        r.stdout.starts_with(&format!(
            "notary-verify: rejected {name}: signature sha256:"
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("STORE-09"), "{}", r.stdout);

    // Digest mismatch between -digest and stdin.
    let other = format!("sha256:{}", "3".repeat(64));
    let r = layout_store
        .run(&args, &descriptor_json(&other, size))
        .expect(1);
    assert!(r.stdout.contains("not for -digest"), "{}", r.stdout);

    // Unknown stdin media type.
    let odd = [
        "-name",
        name.as_str(),
        "-digest",
        digest.as_str(),
        "-stdin-media-type",
        "application/json",
    ];
    let r = layout_store
        .run(&odd, &descriptor_json(&digest, size))
        .expect(1);
    assert!(r.stdout.contains("stdin media type"), "{}", r.stdout);

    // No signature for the image.
    let unsigned = tmp("unsigned-store");
    let empty = Containerd {
        config: root("examples/config"),
        store: unsigned,
    };
    let r = empty.run(&args, &descriptor_json(&digest, size)).expect(1);
    assert!(r.stdout.contains("no signature for"), "{}", r.stdout);
    let layout = example_layout("containerd-zero");
    remove_signatures(&layout);
    let empty_layout = Containerd {
        config: root("examples/config"),
        store: layout,
    };
    empty_layout
        .run(&args, &descriptor_json(&digest, size))
        .expect(1);

    // Size differs from the signed descriptor.
    let r = layout_store
        .run(&args, &descriptor_json(&digest, size + 1))
        .expect(1);
    assert!(r.stdout.contains("PAY-03"), "{}", r.stdout);

    // Garbage on stdin, missing flags, broken configuration.
    layout_store.run(&args, b"not json").expect(1);
    layout_store.run(&["-name", name.as_str()], b"").expect(1);
    let broken = Containerd {
        config: tmp("no-config"),
        store: root("examples/layout"),
    };
    let r = broken.run(&args, &descriptor_json(&digest, size)).expect(1);
    assert!(r.stdout.contains("configuration error"), "{}", r.stdout);
}

#[test]
fn containerd_output_is_bounded() {
    let (digest, size) = example_image();
    let store = tmp("many-store");
    fs::create_dir(store.join(&digest)).unwrap();
    let bad = tampered_envelope();
    for i in 0..150 {
        fs::write(store.join(&digest).join(format!("{i:03}.jws")), &bad).unwrap();
    }
    let env = Containerd {
        config: root("examples/config"),
        store,
    };
    let args = containerd_args(&format!("{EXAMPLE_REPO}:v1"), &digest);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = std::time::Instant::now();
    let r = env.run(&args, &descriptor_json(&digest, size)).expect(1);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "well inside containerd's 10 s"
    );
    assert!(
        r.stdout.len() > 1000 && r.stdout.len() <= 32 * 1024,
        "{}",
        r.stdout.len()
    );
}
