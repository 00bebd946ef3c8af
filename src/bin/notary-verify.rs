//! `notary-verify`: inspect and verify Notary Project (notation) signatures offline,
//! with notation's own configuration directory, OCI image layouts and blobs; and a
//! containerd image-verifier mode. See `docs/cli.md`.
//!
//! Exit status: 0 verified (or skipped by policy), 1 verification failed, 2 usage
//! error or unreadable configuration.

mod notary_verify;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Parser, Subcommand, ValueEnum};
use verify::aws::RevocationAnswer;
use verify::{Descriptor, Limits, Request, RevocationEvidence, Time, Verifier, JWS_MEDIA_TYPE};

use notary_verify::config::ConfigDir;
use notary_verify::containerd::{self, Invocation};
use notary_verify::files::{read_capped, read_limited, Fatal};
use notary_verify::layout::{Layout, LayoutRef, Selector};
use notary_verify::render;
use notary_verify::signatures::{skipping_statement, try_in_order, Attempt};

// Output never panics: a reader that went away (a closed pipe) is not worth a crash.
macro_rules! out {
    ($($arg:tt)*) => {{ let _ = write!(std::io::stdout().lock(), $($arg)*); }};
}
macro_rules! outln {
    ($($arg:tt)*) => {{ let _ = writeln!(std::io::stdout().lock(), $($arg)*); }};
}
macro_rules! errln {
    ($($arg:tt)*) => {{ let _ = writeln!(std::io::stderr().lock(), $($arg)*); }};
}

/// Largest revocation evidence file read (CRL, OCSP response, AWS answer).
const MAX_EVIDENCE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Parser)]
#[command(
    name = "notary-verify",
    version,
    about = "Offline verification of Notary Project (notation) signatures, AWS Signer included",
    after_help = "Exit status: 0 verified, 1 verification failed, 2 usage error or unreadable configuration."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what a signature envelope says, as `notation inspect` does (no trust needed).
    Inspect(InspectArgs),
    /// Verify the signature of an OCI artifact with a notation configuration directory.
    Verify(VerifyArgs),
    /// Detached signatures of blobs (files).
    #[command(subcommand)]
    Blob(BlobCommand),
    /// containerd 2.x image-verifier mode: -name REF -digest DIGEST -stdin-media-type TYPE.
    ContainerdVerifier(ContainerdArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Text,
    Json,
}

#[derive(Debug, Args)]
struct InspectArgs {
    /// The signature envelope (JWS JSON serialization).
    envelope: PathBuf,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = Output::Text)]
    output: Output,
}

/// Options shared by `verify` and `blob verify`.
#[derive(Debug, Args)]
struct Common {
    /// notation configuration directory [default: $NOTATION_CONFIG, else
    /// $XDG_CONFIG_HOME/notation or ~/.config/notation].
    #[arg(long, value_name = "DIR")]
    config: Option<PathBuf>,
    /// Verification time, RFC 3339 [default: now].
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    at: Option<Time>,
    /// Signed user metadata the signature must carry (repeatable).
    #[arg(long = "user-metadata", short = 'm', value_name = "K=V", value_parser = parse_pair)]
    user_metadata: Vec<(String, String)>,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = Output::Text)]
    output: Output,
    /// A DER CRL fetched for the signing chain (repeatable).
    #[arg(long, value_name = "FILE")]
    crl: Vec<PathBuf>,
    /// A DER OCSP response fetched for the signing chain (repeatable).
    #[arg(long, value_name = "FILE")]
    ocsp: Vec<PathBuf>,
    /// AWS Signer GetRevocationStatus answer, JSON {"revokedEntities": [...]}.
    #[arg(long, value_name = "FILE")]
    aws_revocation: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["envelope", "oci_layout"])))]
struct VerifyArgs {
    /// The artifact: registry/repository@sha256:… (with --oci-layout also
    /// registry/repository:TAG, DIR:TAG, DIR@DIGEST, a tag or a digest).
    #[arg(long, value_name = "REF")]
    reference: String,
    /// The signature envelope file.
    #[arg(long, value_name = "FILE")]
    envelope: Option<PathBuf>,
    /// An OCI image layout holding the artifact and its signatures.
    #[arg(long, value_name = "DIR")]
    oci_layout: Option<PathBuf>,
    /// Trust policy scope (registry/repository) for an artifact in an OCI layout
    /// when REF names none.
    #[arg(long, value_name = "REPOSITORY", requires = "oci_layout")]
    scope: Option<String>,
    /// The artifact's media type [default: as signed; the digest in REF binds].
    #[arg(
        long,
        value_name = "M",
        requires = "size",
        conflicts_with = "oci_layout"
    )]
    media_type: Option<String>,
    /// The artifact's size in bytes [default: as signed].
    #[arg(
        long,
        value_name = "N",
        requires = "media_type",
        conflicts_with = "oci_layout"
    )]
    size: Option<u64>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Subcommand)]
enum BlobCommand {
    /// Verify a detached blob signature with trustpolicy.blob.json.
    Verify(BlobVerifyArgs),
}

#[derive(Debug, Args)]
struct BlobVerifyArgs {
    /// The signature file (BLOB.jws.sig).
    #[arg(long, value_name = "FILE")]
    signature: PathBuf,
    /// The blob trust policy statement [default: the global statement].
    #[arg(long, value_name = "NAME")]
    policy_name: Option<String>,
    /// The media type the signature must name for the blob.
    #[arg(long, value_name = "M")]
    media_type: Option<String>,
    #[command(flatten)]
    common: Common,
    /// The blob.
    blob: PathBuf,
}

#[derive(Debug, Args)]
struct ContainerdArgs {
    /// The image name.
    #[arg(long)]
    name: String,
    /// The image manifest digest.
    #[arg(long)]
    digest: String,
    /// The media type of stdin.
    #[arg(long)]
    stdin_media_type: String,
}

/// containerd passes Go-style single-dash flags.
const CONTAINERD_FLAGS: [&str; 3] = ["name", "digest", "stdin-media-type"];
const CONTAINERD_COMMAND: &str = "containerd-verifier";

fn main() -> ExitCode {
    let args = containerd_args(std::env::args_os().collect());
    let containerd_mode = args.get(1).is_some_and(|a| a == CONTAINERD_COMMAND);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if containerd_mode => {
            let message = e.kind().to_string();
            outln!("notary-verify: rejected: invalid invocation ({message}); expected -name REF -digest DIGEST -stdin-media-type TYPE");
            return ExitCode::from(1);
        }
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Inspect(args) => inspect(&args),
        Command::Verify(args) => verify(&args),
        Command::Blob(BlobCommand::Verify(args)) => blob_verify(&args),
        Command::ContainerdVerifier(args) => {
            let invocation = Invocation {
                name: args.name,
                digest: args.digest,
                stdin_media_type: args.stdin_media_type,
            };
            let (allow, line) = containerd::run(&invocation, std::io::stdin().lock(), now());
            outln!("{line}");
            Ok(!allow)
        }
    };
    let _ = std::io::stdout().flush();
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(fatal) => {
            errln!("notary-verify: error: {fatal}");
            ExitCode::from(2)
        }
    }
}

/// Rewrites a containerd invocation (`BIN -name …`, or `BIN containerd-verifier
/// -name …`) into `BIN containerd-verifier --name …`; other invocations are
/// returned unchanged.
fn containerd_args(mut args: Vec<OsString>) -> Vec<OsString> {
    let is_flag = |a: &OsString| {
        let a = a.to_string_lossy();
        let bare = a.trim_start_matches('-');
        let name = bare.split_once('=').map_or(bare, |(n, _)| n);
        a.starts_with('-') && CONTAINERD_FLAGS.contains(&name)
    };
    match args.get(1) {
        Some(first) if first == CONTAINERD_COMMAND => {}
        Some(first) if is_flag(first) => args.insert(1, CONTAINERD_COMMAND.into()),
        _ => return args,
    }
    args.into_iter()
        .enumerate()
        .map(|(i, a)| {
            if i > 1 && is_flag(&a) {
                let text = a.to_string_lossy();
                OsString::from(format!("--{}", text.trim_start_matches('-')))
            } else {
                a
            }
        })
        .collect()
}

/// Whether verification failed (`Ok(true)`), or a fatal problem.
type Status = Result<bool, Fatal>;

fn inspect(args: &InspectArgs) -> Status {
    let bytes =
        read_capped(&args.envelope, Limits::default().max_envelope_bytes).map_err(Fatal::new)?;
    match verify::inspect(&bytes) {
        Ok(facts) => {
            match args.output {
                Output::Text => out!(
                    "{}",
                    render::inspect_tree(&args.envelope.display().to_string(), &facts)
                ),
                Output::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&facts).unwrap_or_default()
                ),
            }
            Ok(false)
        }
        Err(e) => {
            let failure = verify::Failure::from(e);
            match args.output {
                Output::Text => errln!(
                    "✗ {} is not a readable notation signature: {}{}",
                    args.envelope.display(),
                    failure.message,
                    render::failure_tag(&failure)
                ),
                Output::Json => outln!("{}", serde_json::json!({ "error": failure })),
            }
            Ok(true)
        }
    }
}

fn verify(args: &VerifyArgs) -> Status {
    let config = ConfigDir::locate(args.common.config.as_deref())?;
    let policy = config.oci_policy()?;
    let store = config.trust_store(policy.statements());
    let verifier = Verifier::new(store).with_oci_policy(policy.clone());
    let evidence = revocation_evidence(&args.common)?;
    let at = args.common.at.unwrap_or_else(now);

    if let Some(path) = &args.envelope {
        let Some((_, digest)) = args
            .reference
            .rsplit_once('@')
            .filter(|(name, d)| !name.is_empty() && !d.is_empty())
        else {
            return Err(Fatal::new(format!(
                "--reference {:?} must be registry/repository@sha256:…; with --envelope a tag cannot be resolved offline",
                args.reference
            )));
        };
        let envelope =
            read_capped(path, Limits::default().max_envelope_bytes).map_err(Fatal::new)?;
        let descriptor = artifact_descriptor(args, digest, &envelope);
        let request = with_common(
            Request::oci(&envelope, &args.reference, descriptor, at),
            &args.common,
            evidence,
        );
        let outcome = verifier.verify(&request);
        match args.common.output {
            Output::Text => out!("{}", render::single(&args.reference, &outcome)),
            Output::Json => outln!("{}", outcome.to_json()),
        }
        return Ok(outcome.verdict == verify::Verdict::Rejected);
    }

    let dir = args.oci_layout.as_deref().unwrap_or(Path::new("."));
    let layout = Layout::open(dir)?;
    let parsed = LayoutRef::parse(&args.reference, dir)?;
    let Some(repository) = args.scope.clone().or_else(|| parsed.repository.clone()) else {
        return Err(Fatal::new(format!(
            "--reference {:?} names no registry/repository to select a trust policy statement; pass --scope registry/repository",
            args.reference
        )));
    };
    let descriptor = layout.resolve(parsed.repository.as_deref(), &parsed.selector)?;
    if let Selector::Tag(tag) = &parsed.selector {
        errln!(
            "Warning: Always verify the artifact using digest(@sha256:...) rather than a tag(:{tag}) because resolved digest may not point to the same signed artifact, as tags are mutable."
        );
    }
    let reference = format!("{repository}@{}", descriptor.digest);
    let candidates = layout.signatures(&descriptor.digest);
    let found = candidates.len();
    if found == 0 {
        if let Some(statement) = skipping_statement(&policy, &reference) {
            match args.common.output {
                Output::Text => outln!("✓ Signature verification skipped for {reference}: trust policy statement \"{statement}\" has level skip"),
                Output::Json => outln!("{}", serde_json::json!({ "reference": reference, "verdict": "skipped", "policy": statement, "signatures": [] })),
            }
            return Ok(false);
        }
        match args.common.output {
            Output::Text => outln!(
                "✗ No signature is associated with {reference} in the OCI layout {}; sign it (notation sign --oci-layout) or check the reference",
                dir.display()
            ),
            Output::Json => outln!("{}", render::attempts_json(&reference, &[])),
        }
        return Ok(true);
    }
    let request = with_common(
        Request::oci(b"", &reference, descriptor, at),
        &args.common,
        evidence,
    );
    let attempts = try_in_order(&verifier, &request, candidates);
    match args.common.output {
        Output::Text => out!("{}", render::attempts(&reference, &attempts, found)),
        Output::Json => outln!("{}", render::attempts_json(&reference, &attempts)),
    }
    Ok(!attempts.iter().any(Attempt::accepted))
}

/// The artifact's descriptor for `--envelope`: the digest from REF, the media type
/// and size from the flags or, without them, as signed.
fn artifact_descriptor(args: &VerifyArgs, digest: &str, envelope: &[u8]) -> Descriptor {
    if let (Some(media_type), Some(size)) = (&args.media_type, args.size) {
        return Descriptor::new(media_type.clone(), digest, size);
    }
    match verify::inspect(envelope)
        .ok()
        .and_then(|f| f.signed_artifact)
    {
        Some(signed) => Descriptor::new(signed.media_type, digest, signed.size),
        // Unreadable envelopes are rejected by the core before the target is compared.
        None => Descriptor::new(String::new(), digest, 0),
    }
}

fn blob_verify(args: &BlobVerifyArgs) -> Status {
    let config = ConfigDir::locate(args.common.config.as_deref())?;
    let policy = config.blob_policy()?;
    let store = config.trust_store(policy.statements());
    let verifier = Verifier::new(store).with_blob_policy(policy);
    let evidence = revocation_evidence(&args.common)?;
    let at = args.common.at.unwrap_or_else(now);
    let envelope =
        read_capped(&args.signature, Limits::default().max_envelope_bytes).map_err(Fatal::new)?;
    let blob = std::fs::read(&args.blob)
        .map_err(|e| Fatal::new(format!("cannot read blob {}: {e}", args.blob.display())))?;
    let blob_request = Request::blob_with(
        &envelope,
        &blob,
        args.policy_name.as_deref(),
        args.media_type.as_deref(),
        at,
    );
    let request = with_common(blob_request, &args.common, evidence)
        .envelope_media_type(envelope_media_type(&args.signature));
    let outcome = verifier.verify(&request);
    match args.common.output {
        Output::Text => out!(
            "{}",
            render::single(&args.blob.display().to_string(), &outcome)
        ),
        Output::Json => outln!("{}", outcome.to_json()),
    }
    Ok(outcome.verdict == verify::Verdict::Rejected)
}

/// The envelope media type notation infers from a signature file name
/// (`*.cose.sig` is COSE; everything else is taken as JWS).
fn envelope_media_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".cose.sig") {
        "application/cose"
    } else {
        JWS_MEDIA_TYPE
    }
}

fn with_common<'a>(
    request: Request<'a>,
    common: &Common,
    evidence: RevocationEvidence,
) -> Request<'a> {
    let metadata: BTreeMap<String, String> = common.user_metadata.iter().cloned().collect();
    metadata
        .into_iter()
        .fold(request.revocation(evidence), |r, (k, v)| {
            r.require_metadata(k, v)
        })
}

/// The revocation evidence given with `--aws-revocation`, `--crl` and `--ocsp`.
fn revocation_evidence(common: &Common) -> Result<RevocationEvidence, Fatal> {
    let mut evidence = RevocationEvidence::none();
    if let Some(path) = &common.aws_revocation {
        let bytes = read_limited(path, MAX_EVIDENCE_BYTES).map_err(Fatal::new)?;
        let answer: RevocationAnswer = serde_json::from_slice(&bytes).map_err(|e| {
            Fatal::new(format!(
                "{} is not an AWS Signer revocation answer {{\"revokedEntities\": [...]}}: {e}",
                path.display()
            ))
        })?;
        evidence = evidence.with_aws_answer(answer);
    }
    for path in &common.crl {
        evidence = evidence.with_crl(read_limited(path, MAX_EVIDENCE_BYTES).map_err(Fatal::new)?);
    }
    for path in &common.ocsp {
        evidence = evidence.with_ocsp(read_limited(path, MAX_EVIDENCE_BYTES).map_err(Fatal::new)?);
    }
    Ok(evidence)
}

fn now() -> Time {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Time::from_unix(i64::try_from(secs).unwrap_or(i64::MAX))
}

fn parse_time(text: &str) -> Result<Time, String> {
    Time::parse_rfc3339(text).ok_or_else(|| {
        format!("{text:?} is not an RFC 3339 date-time such as 2026-11-24T00:00:00Z")
    })
}

fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("{text:?} is not KEY=VALUE")),
    }
}
