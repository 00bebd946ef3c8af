//! AWS Signer, natively: what the AWS Signer notation plugin does, in-process
//! (spec `aws-signer.md`): header rules, ARN identities (alias-signed signatures
//! included), and the inputs and answer of AWS's revocation API.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cert::Cert;
use crate::crypto::{self, Hash};
use crate::error::{err, Error, ErrorCode};
use crate::header::{
    ProtectedHeader, SigningScheme, VERIFICATION_PLUGIN, VERIFICATION_PLUGIN_MIN_VERSION,
};

/// The verification plugin name AWS Signer signatures carry.
pub const PLUGIN_NAME: &str = "com.amazonaws.signer.notation.plugin";
/// The AWS Signer plugin version this verifier is equivalent to (for
/// `io.cncf.notary.verificationPluginMinVersion`).
pub const PLUGIN_EQUIVALENT_VERSION: &str = "1.0.0";
/// Signed attribute: the signing-profile version ARN.
pub const SIGNING_PROFILE_VERSION: &str = "com.amazonaws.signer.signingProfileVersion";
/// Signed attribute: the signing-job ARN.
pub const SIGNING_JOB: &str = "com.amazonaws.signer.signingJob";
/// Signed attribute: the signing-profile alias of alias-signed signatures.
pub const SIGNING_PROFILE_ALIAS: &str = "com.amazonaws.signer.signingProfileAlias";
/// The platform id AWS's revocation API expects for notation signatures.
pub const PLATFORM_ID: &str = "Notation-OCI-SHA384-ECDSA";

const KNOWN_ATTRIBUTES: [&str; 5] = [
    VERIFICATION_PLUGIN,
    VERIFICATION_PLUGIN_MIN_VERSION,
    SIGNING_PROFILE_VERSION,
    SIGNING_JOB,
    SIGNING_PROFILE_ALIAS,
];

/// Header rules for signatures naming the AWS Signer plugin (AWS-01, AWS-04,
/// AWS-07, AWS-08, AWS-14).
pub(crate) fn check_header(
    scheme: SigningScheme,
    min_version: Option<&str>,
    extended: &[(String, Value, bool)],
) -> Result<(), Error> {
    if scheme != SigningScheme::SigningAuthority {
        return Err(err(
            ErrorCode::AwsSchemeInvalid,
            "an AWS Signer signature must use the notary.x509.signingAuthority signing scheme",
        ));
    }
    if let Some(min) = min_version {
        let ours = semver::Version::parse(PLUGIN_EQUIVALENT_VERSION).ok();
        let theirs = semver::Version::parse(min).ok();
        if theirs > ours {
            return Err(err(
                ErrorCode::AwsPluginVersionTooLow,
                format!("the signature requires AWS Signer plugin version {min} or later; this verifier implements {PLUGIN_EQUIVALENT_VERSION}"),
            ));
        }
    }
    if let Some((key, _, _)) = extended
        .iter()
        .find(|(k, _, _)| !KNOWN_ATTRIBUTES.contains(&k.as_str()))
    {
        return Err(err(
            ErrorCode::AwsUnexpectedAttribute,
            format!("AWS Signer signatures do not define the signed attribute \"{key}\", so it cannot be processed"),
        ));
    }
    let get = |name: &str| {
        extended
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, v, _)| v)
    };
    match get(SIGNING_PROFILE_VERSION) {
        Some(Value::String(_)) => {}
        Some(_) => {
            return Err(err(
                ErrorCode::AwsProfileVersionInvalid,
                format!("{SIGNING_PROFILE_VERSION} is not a string"),
            ))
        }
        None => {
            return Err(err(
                ErrorCode::AwsProfileVersionInvalid,
                format!("the AWS Signer signature has no {SIGNING_PROFILE_VERSION} attribute"),
            ))
        }
    }
    if let Some(alias) = get(SIGNING_PROFILE_ALIAS) {
        if !alias.is_string() {
            return Err(err(
                ErrorCode::AwsProfileAliasInvalid,
                format!("{SIGNING_PROFILE_ALIAS} is not a string"),
            ));
        }
    }
    if let Some(job) = get(SIGNING_JOB) {
        if !job.is_string() {
            return Err(err(
                ErrorCode::AwsSigningJobInvalid,
                format!("{SIGNING_JOB} is not a string"),
            ));
        }
    }
    Ok(())
}

/// The AWS Signer facts of a signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsSignature {
    /// `com.amazonaws.signer.signingProfileVersion`.
    pub signing_profile_version: String,
    /// `com.amazonaws.signer.signingJob`, if present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_job: Option<String>,
    /// `com.amazonaws.signer.signingProfileAlias`, if present (alias-signed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_profile_alias: Option<String>,
    /// The exact inputs of AWS's `signer:GetRevocationStatus` request.
    pub revocation_request: RevocationRequest,
}

/// The inputs of AWS's `signer:GetRevocationStatus` call, for a host that asks AWS
/// itself and feeds the answer back as [`RevocationAnswer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationRequest {
    /// `SignatureTimestamp`: the authentic signing time (RFC 3339).
    pub signature_timestamp: String,
    /// `PlatformId`: always `Notation-OCI-SHA384-ECDSA`.
    pub platform_id: String,
    /// `ProfileVersionArn`.
    pub profile_version_arn: String,
    /// `JobArn` (absent if the signature has no signing job attribute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_arn: Option<String>,
    /// `CertificateHashes`: per certificate, hex SHA-384 of its tbsCertificate
    /// followed by its issuer's (the root pairs with itself).
    pub certificate_hashes: Vec<String>,
}

/// A host's answer from AWS's revocation API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationAnswer {
    /// `RevokedEntities`: revoked job/profile ARNs and certificate hashes; empty
    /// means not revoked.
    pub revoked_entities: Vec<String>,
}

pub(crate) fn signature_facts(header: &ProtectedHeader, chain: &[Cert]) -> AwsSignature {
    let text = |k: &str| {
        header
            .extended(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let profile = text(SIGNING_PROFILE_VERSION).unwrap_or_default();
    let job = text(SIGNING_JOB);
    AwsSignature {
        revocation_request: RevocationRequest {
            signature_timestamp: header.signing_time.instant.to_rfc3339(),
            platform_id: PLATFORM_ID.to_owned(),
            profile_version_arn: profile.clone(),
            job_arn: job.clone(),
            certificate_hashes: certificate_hashes(chain),
        },
        signing_profile_version: profile,
        signing_job: job,
        signing_profile_alias: text(SIGNING_PROFILE_ALIAS),
    }
}

/// `CertificateHashes` of the revocation request (aws-signer.md §7).
pub(crate) fn certificate_hashes(chain: &[Cert]) -> Vec<String> {
    let hashes: Vec<String> = chain
        .iter()
        .map(|c| crypto::hex(&crypto::digest(Hash::Sha384, c.tbs())))
        .collect();
    (0..hashes.len())
        .map(|i| format!("{}{}", hashes[i], hashes.get(i + 1).unwrap_or(&hashes[i])))
        .collect()
}

/// The six fields of an ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

fn parse_arn(text: &str) -> Option<Arn<'_>> {
    let rest = text.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

fn fold_eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Refuses `*` among the trusted identities (AWS-03).
pub(crate) fn check_no_wildcard(identities: &[String]) -> Result<(), Error> {
    if identities.iter().any(|i| i == "*") {
        return Err(err(
            ErrorCode::AwsWildcardIdentity,
            "AWS Signer signatures cannot be trusted with the wildcard identity \"*\"; list signing-profile ARNs in trustedIdentities",
        ));
    }
    Ok(())
}

/// Decides the trusted identity of an AWS Signer signature by ARN only (AWS-06).
///
/// Accepted identities: signing-profile ARNs (`…:/signing-profiles/NAME`, trusting
/// every version), profile-version ARNs (`…/NAME/VERSION`) and aliased-profile ARNs
/// (`…:/aliased-signing-profiles/UUID`), compared with `signingProfileVersion`
/// case-insensitively; and alias ARNs (`…:/aliases/ALIAS`), which match the
/// `signingProfileAlias` attribute when it equals the ARN, or when it is a bare
/// name equal to ALIAS and the ARN's partition, region and account equal those of
/// `signingProfileVersion`. Other identities (x509.subject, other services) are
/// ignored, as the AWS plugin ignores them.
pub(crate) fn check_identity(identities: &[String], facts: &AwsSignature) -> Result<(), Error> {
    let version = facts.signing_profile_version.as_str();
    let version_arn = parse_arn(version);
    for identity in identities {
        let Some(arn) = parse_arn(identity).filter(|a| a.service == "signer") else {
            continue;
        };
        let segments: Vec<&str> = arn.resource.split('/').collect();
        let matched = match segments.as_slice() {
            ["", "signing-profiles", _] => version
                .rfind('/')
                .is_some_and(|i| fold_eq(&version[..i], identity)),
            ["", "signing-profiles", _, _] | ["", "aliased-signing-profiles", _] => {
                fold_eq(version, identity)
            }
            ["", "aliases", alias] => {
                facts
                    .signing_profile_alias
                    .as_deref()
                    .is_some_and(|sig_alias| {
                        if sig_alias.starts_with("arn:") {
                            fold_eq(sig_alias, identity)
                        } else {
                            sig_alias == *alias
                                && version_arn.as_ref().is_some_and(|v| {
                                    v.partition == arn.partition
                                        && v.region == arn.region
                                        && v.account == arn.account
                                })
                        }
                    })
            }
            _ => false,
        };
        if matched {
            return Ok(());
        }
    }
    let alias = facts
        .signing_profile_alias
        .as_deref()
        .map(|a| format!(" (alias {a})"))
        .unwrap_or_default();
    Err(err(
        ErrorCode::AwsIdentityNotTrusted,
        format!("signing profile {version}{alias} is not among the trusted identities; add its signing-profile ARN (or alias ARN) to trustedIdentities"),
    ))
}

/// Decides revocation from a host-supplied AWS answer (AWS-10).
pub(crate) fn check_revocation_answer(answer: &RevocationAnswer) -> Result<(), Error> {
    if answer.revoked_entities.is_empty() {
        return Ok(());
    }
    let (arns, hashes): (Vec<&String>, Vec<&String>) = answer
        .revoked_entities
        .iter()
        .partition(|e| e.starts_with("arn"));
    let mut parts = Vec::new();
    if !arns.is_empty() {
        parts.push(format!(
            "revoked resources: {}",
            arns.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !hashes.is_empty() {
        parts.push(format!("{} revoked certificate(s)", hashes.len()));
    }
    Err(err(
        ErrorCode::AwsRevoked,
        format!(
            "AWS Signer reports the signature revoked ({})",
            parts.join("; ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(version: &str, alias: Option<&str>) -> AwsSignature {
        AwsSignature {
            signing_profile_version: version.into(),
            signing_job: None,
            signing_profile_alias: alias.map(Into::into),
            revocation_request: RevocationRequest {
                signature_timestamp: String::new(),
                platform_id: PLATFORM_ID.into(),
                profile_version_arn: version.into(),
                job_arn: None,
                certificate_hashes: vec![],
            },
        }
    }

    const VERSION: &str =
        "arn:aws:signer:us-west-2:111122223333:/signing-profiles/NotationTest/AbCdEf1234";

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn profile_and_version_arns_match_case_insensitively() {
        let f = facts(VERSION, None);
        assert!(check_identity(
            &ids(&["arn:aws:signer:us-west-2:111122223333:/signing-profiles/notationtest"]),
            &f
        )
        .is_ok());
        assert!(check_identity(
            &ids(&["ARN:aws:signer:us-west-2:111122223333:/signing-profiles/NotationTest"]),
            &f
        )
        .is_err());
        assert!(check_identity(
            &ids(&[
                "arn:AWS:signer:US-WEST-2:111122223333:/signing-profiles/NOTATIONTEST/abcdef1234"
            ]),
            &f
        )
        .is_ok());
        assert!(check_identity(&ids(&[VERSION]), &f).is_ok());
    }

    #[test]
    fn aws_06_other_account_or_region_does_not_match() {
        let f = facts(VERSION, None);
        for other in [
            "arn:aws:signer:us-west-2:999999999999:/signing-profiles/NotationTest",
            "arn:aws:signer:us-east-1:111122223333:/signing-profiles/NotationTest",
            "arn:aws:signer:us-west-2:111122223333:/signing-profiles/NotationTest/Other12345",
            "x509.subject: C=US, ST=WA, O=AWS",
            "arn:aws:s3:us-west-2:111122223333:/signing-profiles/NotationTest",
        ] {
            let e = check_identity(&ids(&[other]), &f).unwrap_err();
            assert_eq!(e.code(), ErrorCode::AwsIdentityNotTrusted, "{other}");
        }
    }

    #[test]
    fn alias_identities() {
        let aliased = "arn:aws:signer:us-west-2:111122223333:/aliased-signing-profiles/0f7c1e2a-5b7d-4c1e-9a3b-2d4e6f8a9b0c";
        let f = facts(aliased, Some("release"));
        assert!(check_identity(&ids(&[aliased]), &f).is_ok());
        assert!(check_identity(
            &ids(&["arn:aws:signer:us-west-2:111122223333:/aliases/release"]),
            &f
        )
        .is_ok());
        assert!(check_identity(
            &ids(&["arn:aws:signer:us-west-2:999999999999:/aliases/release"]),
            &f
        )
        .is_err());
        assert!(check_identity(
            &ids(&["arn:aws:signer:us-west-2:111122223333:/aliases/Release"]),
            &f
        )
        .is_err());
        let g = facts(
            VERSION,
            Some("arn:aws:signer:us-west-2:111122223333:/aliases/release"),
        );
        assert!(check_identity(
            &ids(&["arn:aws:signer:us-west-2:111122223333:/aliases/release"]),
            &g
        )
        .is_ok());
        assert!(check_identity(
            &ids(&["arn:aws:signer:us-west-2:999999999999:/aliases/release"]),
            &g
        )
        .is_err());
        let none = facts(VERSION, None);
        assert!(check_identity(
            &ids(&["arn:aws:signer:us-west-2:111122223333:/aliases/release"]),
            &none
        )
        .is_err());
    }

    #[test]
    fn aws_03_wildcard_refused() {
        assert_eq!(
            check_no_wildcard(&ids(&["*"])).unwrap_err().code(),
            ErrorCode::AwsWildcardIdentity
        );
        assert!(check_no_wildcard(&ids(&[VERSION])).is_ok());
    }

    #[test]
    fn aws_10_revoked_answer() {
        assert!(check_revocation_answer(&RevocationAnswer::default()).is_ok());
        let answer = RevocationAnswer {
            revoked_entities: vec![
                "arn:aws:signer:us-west-2:1:/signing-jobs/x".into(),
                "ab".into(),
            ],
        };
        assert_eq!(
            check_revocation_answer(&answer).unwrap_err().code(),
            ErrorCode::AwsRevoked
        );
    }
}
