//! Trust policy documents — OCI (`trustpolicy.oci.json`) and blob
//! (`trustpolicy.blob.json`): parsing, validation (spec 6.3), verification levels
//! (spec 7) and statement selection (spec 6.4).
//!
//! Validation follows notation-go and is stricter in three ways, all failing closed:
//! unknown members are rejected instead of ignored (a misspelt `verifyTimeStamp`
//! must not silently weaken a policy) and member names are case-sensitive; level
//! `skip` on the global statement is rejected (POLICY-15, POLICY-17, spec MUSTs that
//! notation-go does not enforce); store names `.` and `..` are rejected.

use core::fmt;
use core::str::FromStr;
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{err, Error, ErrorCode};
use crate::identity;

/// Largest policy document accepted, in bytes.
const MAX_DOCUMENT_BYTES: usize = 1 << 20;
/// Most statements a document may hold.
const MAX_STATEMENTS: usize = 1000;
/// Most entries one `registryScopes`, `trustStores` or `trustedIdentities` may hold.
const MAX_ENTRIES: usize = 1000;
/// JSON nesting limit handed to the strict parser.
const MAX_DEPTH: usize = 32;

const GLOBAL_SCOPE: &str = "*";

// ---------------------------------------------------------------------------
// Trust store references
// ---------------------------------------------------------------------------

/// The type of a named trust store (spec 5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoreType {
    /// `ca`: roots for `notary.x509` signing chains.
    Ca,
    /// `signingAuthority`: roots for `notary.x509.signingAuthority` chains (AWS Signer).
    SigningAuthority,
    /// `tsa`: roots for RFC 3161 timestamp chains.
    Tsa,
}

impl StoreType {
    /// Every store type.
    pub const ALL: [StoreType; 3] = [StoreType::Ca, StoreType::SigningAuthority, StoreType::Tsa];

    /// The name used in policies and in the trust store directory layout.
    pub const fn as_str(self) -> &'static str {
        match self {
            StoreType::Ca => "ca",
            StoreType::SigningAuthority => "signingAuthority",
            StoreType::Tsa => "tsa",
        }
    }
}

impl fmt::Display for StoreType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `type:name` reference to a named trust store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreRef {
    /// The store type.
    pub store_type: StoreType,
    /// The store name, matching `^[a-zA-Z0-9_.-]+$` and neither `.` nor `..`.
    pub name: String,
}

impl StoreRef {
    /// Parses `type:name`, split at the first `:`; the type is case-sensitive.
    ///
    /// Fails with [`ErrorCode::StoreReferenceInvalid`] (STORE-01).
    pub fn parse(s: &str) -> Result<StoreRef, Error> {
        let invalid = |why: String| {
            err(
                ErrorCode::StoreReferenceInvalid,
                format!("trust store reference {s:?} {why}"),
            )
        };
        let Some((store_type, name)) = s.split_once(':') else {
            return Err(invalid(
                "has no ':'; write it as <type>:<name>, for example \"ca:acme\"".into(),
            ));
        };
        let Some(store_type) = StoreType::ALL
            .into_iter()
            .find(|t| t.as_str() == store_type)
        else {
            return Err(invalid(format!(
                "has unknown store type {store_type:?}; use ca, signingAuthority or tsa (case-sensitive)"
            )));
        };
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        {
            return Err(invalid(format!(
                "has invalid store name {name:?}; use one or more letters, digits, '_', '.' or '-'"
            )));
        }
        if name == "." || name == ".." {
            return Err(invalid(format!(
                "has store name {name:?}, which would leave the trust store directory; choose another name"
            )));
        }
        Ok(StoreRef {
            store_type,
            name: name.to_owned(),
        })
    }
}

impl FromStr for StoreRef {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        StoreRef::parse(s)
    }
}

impl fmt::Display for StoreRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.store_type, self.name)
    }
}

// ---------------------------------------------------------------------------
// Verification levels
// ---------------------------------------------------------------------------

/// What a failed check of one verification type leads to (spec 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Action {
    /// The failure ends verification.
    #[serde(rename = "enforced")]
    Enforce,
    /// The failure is recorded; verification continues.
    #[serde(rename = "logged")]
    Log,
    /// The check is not run.
    #[serde(rename = "skipped")]
    Skip,
}

impl Action {
    fn from_policy(s: &str) -> Option<Action> {
        match s {
            "enforce" => Some(Action::Enforce),
            "log" => Some(Action::Log),
            "skip" => Some(Action::Skip),
            _ => None,
        }
    }
}

/// The name of a verification level: a preset, or `custom` once overridden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LevelName {
    /// Every check enforced.
    Strict,
    /// Authenticity enforced; timestamp, expiry and revocation logged.
    Permissive,
    /// Only integrity enforced; everything else logged.
    Audit,
    /// Nothing verified.
    Skip,
    /// A preset changed by `override`.
    Custom,
}

impl LevelName {
    /// The policy spelling: `strict`, `permissive`, `audit`, `skip` or `custom`.
    pub const fn as_str(self) -> &'static str {
        match self {
            LevelName::Strict => "strict",
            LevelName::Permissive => "permissive",
            LevelName::Audit => "audit",
            LevelName::Skip => "skip",
            LevelName::Custom => "custom",
        }
    }
}

impl fmt::Display for LevelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The action of each verification type for one statement (spec 7.1, 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationLevel {
    /// The preset, or `custom` when `override` changed it.
    pub name: LevelName,
    /// Envelope, signature and certificate-requirement checks.
    pub integrity: Action,
    /// Trust store and trusted identity checks.
    pub authenticity: Action,
    /// Certificate validity in time, including the RFC 3161 timestamp.
    pub authentic_timestamp: Action,
    /// The signature's expiry.
    pub expiry: Action,
    /// Revocation of the signing chain.
    pub revocation: Action,
}

impl VerificationLevel {
    /// `strict`: everything enforced.
    pub const STRICT: VerificationLevel = VerificationLevel {
        name: LevelName::Strict,
        integrity: Action::Enforce,
        authenticity: Action::Enforce,
        authentic_timestamp: Action::Enforce,
        expiry: Action::Enforce,
        revocation: Action::Enforce,
    };
    /// `permissive`: authentic timestamp, expiry and revocation logged.
    pub const PERMISSIVE: VerificationLevel = VerificationLevel {
        name: LevelName::Permissive,
        integrity: Action::Enforce,
        authenticity: Action::Enforce,
        authentic_timestamp: Action::Log,
        expiry: Action::Log,
        revocation: Action::Log,
    };
    /// `audit`: only integrity enforced.
    pub const AUDIT: VerificationLevel = VerificationLevel {
        name: LevelName::Audit,
        integrity: Action::Enforce,
        authenticity: Action::Log,
        authentic_timestamp: Action::Log,
        expiry: Action::Log,
        revocation: Action::Log,
    };
    /// `skip`: nothing verified.
    pub const SKIP: VerificationLevel = VerificationLevel {
        name: LevelName::Skip,
        integrity: Action::Skip,
        authenticity: Action::Skip,
        authentic_timestamp: Action::Skip,
        expiry: Action::Skip,
        revocation: Action::Skip,
    };
}

/// When an RFC 3161 timestamp is verified (`signatureVerification.verifyTimestamp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum VerifyTimestamp {
    /// `always` (the default).
    #[default]
    Always,
    /// `afterCertExpiry`: only once a signing-chain certificate has expired.
    AfterCertExpiry,
}

// ---------------------------------------------------------------------------
// Statements and documents
// ---------------------------------------------------------------------------

/// One validated trust policy statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement name, unique within its document and never blank.
    pub name: String,
    /// OCI registry scopes (`domain/repository`, or the sole `*`); empty for blob
    /// statements.
    pub registry_scopes: Vec<String>,
    /// Blob: `globalPolicy: true`. OCI: the scopes are exactly `["*"]`.
    pub global: bool,
    /// What each verification type's failure leads to.
    pub level: VerificationLevel,
    /// When the RFC 3161 timestamp is verified.
    pub verify_timestamp: VerifyTimestamp,
    /// The trust stores, de-duplicated, in document order.
    pub trust_stores: Vec<StoreRef>,
    /// The trusted identities, verbatim (`*`, `x509.subject:…`, or plugin identities
    /// such as AWS Signer ARNs).
    pub trusted_identities: Vec<String>,
}

impl Statement {
    /// Whether the trusted identities are the wildcard `*`.
    pub fn has_wildcard_identity(&self) -> bool {
        self.trusted_identities
            .iter()
            .any(|identity| identity == identity::WILDCARD)
    }

    /// The trust stores of type `t`, in document order.
    pub fn stores_of(&self, t: StoreType) -> impl Iterator<Item = &StoreRef> {
        self.trust_stores
            .iter()
            .filter(move |store| store.store_type == t)
    }
}

/// A validated OCI trust policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciTrustPolicy {
    statements: Vec<Statement>,
}

impl OciTrustPolicy {
    /// Parses and validates an OCI trust policy document (spec 6.1, 6.3).
    ///
    /// Fails with the POLICY-01…15 code of the first rule violated,
    /// [`ErrorCode::PolicyMalformed`] for JSON of the wrong shape or unknown members,
    /// [`ErrorCode::JsonDuplicateMember`], or [`ErrorCode::LimitExceeded`] beyond
    /// 1 MiB, 1000 statements or 1000 entries in one list.
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        let statements = parse_document(bytes, Kind::Oci)?;
        validate_registry_scopes(&statements)?;
        let mut statements = statements;
        for statement in &mut statements {
            statement.global = statement.registry_scopes == [GLOBAL_SCOPE];
            if statement.global && statement.level.name == LevelName::Skip {
                return Err(err(
                    ErrorCode::PolicyGlobalSkip,
                    format!(
                        "trust policy statement {:?}: the global statement (registry scope \"*\") cannot use level \"skip\"; list the repositories to skip in a statement of their own",
                        statement.name
                    ),
                ));
            }
        }
        Ok(OciTrustPolicy { statements })
    }

    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Selects the statement for an artifact reference `domain/repository@digest`
    /// (spec 6.4): the statement listing `domain/repository` in its scopes, else the
    /// `*` statement.
    ///
    /// Fails with [`ErrorCode::PolicyNotApplicable`] (POLICY-18).
    pub fn select(&self, reference: &str) -> Result<&Statement, Error> {
        let not_applicable = |why: String| {
            err(
                ErrorCode::PolicyNotApplicable,
                format!("artifact reference {reference:?} {why}"),
            )
        };
        let Some(at) = reference.rfind('@') else {
            return Err(not_applicable(
                "has no digest; resolve tags to a digest first and pass domain/repository@<digest>".into(),
            ));
        };
        let path = &reference[..at];
        check_scope_format(path).map_err(|why| {
            not_applicable(format!(
                "does not name a valid domain/repository ({path:?}: {why})"
            ))
        })?;
        self.statements
            .iter()
            .find(|s| s.registry_scopes.iter().any(|scope| scope == path))
            .or_else(|| self.statements.iter().find(|s| s.global))
            .ok_or_else(|| {
                not_applicable(format!(
                    "has no applicable trust policy statement: no statement lists {path:?} in registryScopes and there is no \"*\" statement"
                ))
            })
    }
}

/// A validated blob trust policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobTrustPolicy {
    statements: Vec<Statement>,
}

impl BlobTrustPolicy {
    /// Parses and validates a blob trust policy document (spec 6.2, 6.3).
    ///
    /// Fails like [`OciTrustPolicy::from_json`], with POLICY-16/17 for global
    /// statements instead of the registry-scope rules.
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        let statements = parse_document(bytes, Kind::Blob)?;
        let mut global: Option<&Statement> = None;
        for statement in statements.iter().filter(|s| s.global) {
            if let Some(first) = global {
                return Err(err(
                    ErrorCode::PolicyBlobGlobalDuplicate,
                    format!(
                        "trust policy statements {:?} and {:?} both set \"globalPolicy\": true; at most one statement may be global",
                        first.name, statement.name
                    ),
                ));
            }
            if statement.level.name == LevelName::Skip {
                return Err(err(
                    ErrorCode::PolicyBlobGlobalSkip,
                    format!(
                        "trust policy statement {:?}: the global statement (\"globalPolicy\": true) cannot use level \"skip\"; skip blobs through a named statement instead",
                        statement.name
                    ),
                ));
            }
            global = Some(statement);
        }
        Ok(BlobTrustPolicy { statements })
    }

    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Selects the statement named `name`, or the global statement when `name` is
    /// `None` (spec 6.4).
    ///
    /// Fails with [`ErrorCode::PolicyNotApplicable`] (POLICY-18) for a blank name, an
    /// unknown name, or no name and no global statement.
    pub fn select(&self, name: Option<&str>) -> Result<&Statement, Error> {
        let not_applicable = |message: String| err(ErrorCode::PolicyNotApplicable, message);
        match name {
            Some(name) if name.trim().is_empty() => Err(not_applicable(
                "the blob trust policy name is blank; give a statement name, or none to use the global statement".into(),
            )),
            Some(name) => self
                .statements
                .iter()
                .find(|s| s.name == name)
                .ok_or_else(|| {
                    not_applicable(format!(
                        "the blob trust policy has no statement named {name:?}"
                    ))
                }),
            None => self.statements.iter().find(|s| s.global).ok_or_else(|| {
                not_applicable(
                    "no blob trust policy statement was named and none has \"globalPolicy\": true; name a statement or mark one as global".into(),
                )
            }),
        }
    }
}

// ---------------------------------------------------------------------------
// Parsing and validation
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Oci,
    Blob,
}

const DOCUMENT_MEMBERS: &[&str] = &["version", "trustPolicies"];
const OCI_STATEMENT_MEMBERS: &[&str] = &[
    "name",
    "registryScopes",
    "signatureVerification",
    "trustStores",
    "trustedIdentities",
];
const BLOB_STATEMENT_MEMBERS: &[&str] = &[
    "name",
    "signatureVerification",
    "trustStores",
    "trustedIdentities",
    "globalPolicy",
];
const SIGNATURE_VERIFICATION_MEMBERS: &[&str] = &["level", "override", "verifyTimestamp"];

fn malformed(message: String) -> Error {
    err(ErrorCode::PolicyMalformed, message)
}

/// Parses the document and validates everything but the cross-statement OCI scope
/// and blob global rules.
fn parse_document(bytes: &[u8], kind: Kind) -> Result<Vec<Statement>, Error> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(err(
            ErrorCode::LimitExceeded,
            format!(
                "trust policy is {} bytes; at most {MAX_DOCUMENT_BYTES} are accepted",
                bytes.len()
            ),
        ));
    }
    let value = crate::json::parse(bytes, MAX_DEPTH, "trust policy", ErrorCode::PolicyMalformed)?;
    let Value::Object(document) = value else {
        return Err(malformed("trust policy must be a JSON object".into()));
    };
    check_members(&document, DOCUMENT_MEMBERS, "trust policy", None)?;

    match document.get("version") {
        None | Some(Value::Null) => {
            return Err(err(
                ErrorCode::PolicyVersionInvalid,
                "trust policy has no \"version\"; set \"version\": \"1.0\"",
            ))
        }
        Some(Value::String(version)) if version == "1.0" => {}
        Some(Value::String(version)) => {
            return Err(err(
                ErrorCode::PolicyVersionInvalid,
                format!("trust policy version {version:?} is not supported; set \"version\": \"1.0\""),
            ))
        }
        Some(other) => {
            return Err(malformed(format!(
                "trust policy \"version\" must be the string \"1.0\", not {}",
                json_type(other)
            )))
        }
    }

    let items = match document.get("trustPolicies") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        Some(other) => {
            return Err(malformed(format!(
                "trust policy \"trustPolicies\" must be an array of statements, not {}",
                json_type(other)
            )))
        }
    };
    if items.is_empty() {
        return Err(err(
            ErrorCode::PolicyEmpty,
            "trust policy has no statements; add at least one to \"trustPolicies\"",
        ));
    }
    if items.len() > MAX_STATEMENTS {
        return Err(err(
            ErrorCode::LimitExceeded,
            format!(
                "trust policy has {} statements; at most {MAX_STATEMENTS} are accepted",
                items.len()
            ),
        ));
    }

    let mut names = HashSet::new();
    let mut statements = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let statement = parse_statement(item, index, kind)?;
        if !names.insert(statement.name.clone()) {
            return Err(err(
                ErrorCode::PolicyNameInvalid,
                format!(
                    "more than one trust policy statement is named {:?}; statement names must be unique",
                    statement.name
                ),
            ));
        }
        statements.push(statement);
    }
    Ok(statements)
}

fn parse_statement(item: &Value, index: usize, kind: Kind) -> Result<Statement, Error> {
    let position = index + 1;
    let Value::Object(object) = item else {
        return Err(malformed(format!(
            "trust policy statement #{position} must be a JSON object, not {}",
            json_type(item)
        )));
    };
    let name = match object.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            return Err(err(
                ErrorCode::PolicyNameInvalid,
                format!("trust policy statement #{position} has no name; give every statement a unique, non-blank \"name\""),
            ))
        }
        Some(other) => {
            return Err(malformed(format!(
                "trust policy statement #{position}: \"name\" must be a string, not {}",
                json_type(other)
            )))
        }
    };
    let what = format!("trust policy statement {name:?}");
    let allowed = match kind {
        Kind::Oci => OCI_STATEMENT_MEMBERS,
        Kind::Blob => BLOB_STATEMENT_MEMBERS,
    };
    check_members(object, allowed, &what, Some(kind))?;

    let (level, verify_timestamp) = parse_signature_verification(object, &what)?;
    let stores = string_list(object, "trustStores", &what)?;
    let identities = string_list(object, "trustedIdentities", &what)?;

    if level.name == LevelName::Skip {
        if !stores.is_empty() || !identities.is_empty() {
            return Err(err(
                ErrorCode::PolicySkipWithTrust,
                format!("{what}: level \"skip\" verifies nothing, so it cannot have trust stores or trusted identities; remove \"trustStores\" and \"trustedIdentities\""),
            ));
        }
    } else if stores.is_empty() || identities.is_empty() {
        let missing = if stores.is_empty() {
            "\"trustStores\""
        } else {
            "\"trustedIdentities\""
        };
        return Err(err(
            ErrorCode::PolicyTrustMissing,
            format!("{what}: level {:?} needs both trust stores and trusted identities, but {missing} is missing or empty", level.name.as_str()),
        ));
    }

    let mut trust_stores: Vec<StoreRef> = Vec::with_capacity(stores.len());
    for store in &stores {
        let store = StoreRef::parse(store).map_err(|e| {
            err(
                ErrorCode::PolicyTrustStoreInvalid,
                format!("{what}: {}", e.message()),
            )
        })?;
        if !trust_stores.contains(&store) {
            trust_stores.push(store);
        }
    }
    validate_identities(&identities, &what)?;

    let (registry_scopes, global) = match kind {
        Kind::Oci => (string_list(object, "registryScopes", &what)?, false),
        Kind::Blob => match object.get("globalPolicy") {
            None | Some(Value::Null) => (Vec::new(), false),
            Some(Value::Bool(global)) => (Vec::new(), *global),
            Some(other) => {
                return Err(malformed(format!(
                    "{what}: \"globalPolicy\" must be true or false, not {}",
                    json_type(other)
                )))
            }
        },
    };

    Ok(Statement {
        name,
        registry_scopes,
        global,
        level,
        verify_timestamp,
        trust_stores,
        trusted_identities: identities,
    })
}

/// `signatureVerification`: the level with its overrides (spec 7) and
/// `verifyTimestamp`.
fn parse_signature_verification(
    statement: &Map<String, Value>,
    what: &str,
) -> Result<(VerificationLevel, VerifyTimestamp), Error> {
    let empty = Map::new();
    let object = match statement.get("signatureVerification") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(object)) => object,
        Some(other) => {
            return Err(malformed(format!(
                "{what}: \"signatureVerification\" must be an object, not {}",
                json_type(other)
            )))
        }
    };
    let context = format!("{what}: \"signatureVerification\"");
    check_members(object, SIGNATURE_VERIFICATION_MEMBERS, &context, None)?;

    let level_invalid = |why: String| err(ErrorCode::PolicyLevelInvalid, format!("{what}: {why}"));
    let mut level = match object.get("level") {
        None | Some(Value::Null) => {
            return Err(level_invalid(
                "\"signatureVerification\" has no \"level\"; use strict, permissive, audit or skip".into(),
            ))
        }
        Some(Value::String(name)) => match name.as_str() {
            "strict" => VerificationLevel::STRICT,
            "permissive" => VerificationLevel::PERMISSIVE,
            "audit" => VerificationLevel::AUDIT,
            "skip" => VerificationLevel::SKIP,
            "" => {
                return Err(level_invalid(
                    "the verification level is empty; use strict, permissive, audit or skip".into(),
                ))
            }
            other => {
                return Err(level_invalid(format!(
                    "verification level {other:?} is unknown; use strict, permissive, audit or skip (lower case)"
                )))
            }
        },
        Some(other) => {
            return Err(malformed(format!(
                "{context}: \"level\" must be a string, not {}",
                json_type(other)
            )))
        }
    };

    let overrides = match object.get("override") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(overrides)) => overrides,
        Some(other) => {
            return Err(malformed(format!(
                "{context}: \"override\" must be an object, not {}",
                json_type(other)
            )))
        }
    };
    if !overrides.is_empty() {
        if level.name == LevelName::Skip {
            return Err(err(
                ErrorCode::PolicyOverrideWithSkip,
                format!("{what}: level \"skip\" cannot be customised; remove \"override\" or choose strict, permissive or audit"),
            ));
        }
        for (key, value) in overrides {
            apply_override(&mut level, key, value, what)?;
        }
        level.name = LevelName::Custom;
    }

    let verify_timestamp = match object.get("verifyTimestamp") {
        None | Some(Value::Null) => VerifyTimestamp::Always,
        Some(Value::String(option)) => match option.as_str() {
            "" | "always" => VerifyTimestamp::Always,
            "afterCertExpiry" => VerifyTimestamp::AfterCertExpiry,
            other => {
                return Err(err(
                    ErrorCode::PolicyVerifyTimestampInvalid,
                    format!("{what}: \"verifyTimestamp\" {other:?} is unknown; use \"always\" or \"afterCertExpiry\""),
                ))
            }
        },
        Some(other) => {
            return Err(malformed(format!(
                "{context}: \"verifyTimestamp\" must be a string, not {}",
                json_type(other)
            )))
        }
    };
    Ok((level, verify_timestamp))
}

/// Applies one `override` entry, checked in notation-go's order: key known, value
/// known, key not `integrity`, `skip` only for `revocation`.
fn apply_override(
    level: &mut VerificationLevel,
    key: &str,
    value: &Value,
    what: &str,
) -> Result<(), Error> {
    let Value::String(value) = value else {
        return Err(malformed(format!(
            "{what}: override {key:?} must be a string (enforce, log or skip), not {}",
            json_type(value)
        )));
    };
    let key_invalid = |why: &str| {
        err(
            ErrorCode::PolicyOverrideKeyInvalid,
            format!("{what}: override key {key:?} {why}"),
        )
    };
    let value_invalid = |why: &str| {
        err(
            ErrorCode::PolicyOverrideValueInvalid,
            format!("{what}: override {key:?} has value {value:?}, {why}"),
        )
    };
    let slot = match key {
        "integrity" => None,
        "authenticity" => Some(&mut level.authenticity),
        "authenticTimestamp" => Some(&mut level.authentic_timestamp),
        "expiry" => Some(&mut level.expiry),
        "revocation" => Some(&mut level.revocation),
        _ => return Err(key_invalid(
            "is unknown; the keys are authenticity, authenticTimestamp, expiry and revocation",
        )),
    };
    let Some(action) = Action::from_policy(value) else {
        return Err(value_invalid("which is unknown; use enforce, log or skip"));
    };
    let Some(slot) = slot else {
        return Err(key_invalid(
            "cannot be overridden; integrity is always enforced, remove it from \"override\"",
        ));
    };
    if action == Action::Skip && key != "revocation" {
        return Err(value_invalid(
            "but only revocation can be skipped; use enforce or log",
        ));
    }
    *slot = action;
    Ok(())
}

/// Trusted identity rules 8 and 9 of spec 6.3 (POLICY-12, POLICY-13).
fn validate_identities(identities: &[String], what: &str) -> Result<(), Error> {
    let invalid =
        |why: String| err(ErrorCode::PolicyIdentityInvalid, format!("{what}: {why}"));
    if identities.len() > 1 && identities.iter().any(|i| i == identity::WILDCARD) {
        return Err(invalid(
            "the wildcard trusted identity \"*\" must be the only entry; remove either \"*\" or the other identities".into(),
        ));
    }
    let mut subjects: Vec<(&str, identity::Dn)> = Vec::new();
    for entry in identities {
        if entry.is_empty() {
            return Err(invalid("a trusted identity is an empty string; remove it".into()));
        }
        if entry == identity::WILDCARD {
            continue;
        }
        if !entry.contains(':') {
            return Err(invalid(format!(
                "trusted identity {entry:?} has no ':'; write it as x509.subject:<DN>, for example \"x509.subject: C=US, ST=WA, O=acme\""
            )));
        }
        let Some(value) = identity::x509_subject_value(entry) else {
            continue;
        };
        if value.is_empty() {
            return Err(invalid(format!(
                "trusted identity {entry:?} has no distinguished name after \"x509.subject:\""
            )));
        }
        let dn = identity::parse_dn(value)
            .map_err(|why| invalid(format!("trusted identity {entry:?} is invalid: {why}")))?;
        subjects.push((entry, dn));
    }
    for (i, (first, first_dn)) in subjects.iter().enumerate() {
        for (second, second_dn) in &subjects[i + 1..] {
            if identity::is_subset(first_dn, second_dn) || identity::is_subset(second_dn, first_dn) {
                return Err(err(
                    ErrorCode::PolicyIdentityOverlap,
                    format!(
                        "{what}: trusted identities {first:?} and {second:?} overlap (one's attributes are all in the other, so the narrower one has no effect); keep only one"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Registry scope rules of spec 6.3 item 10 across the document (POLICY-14).
fn validate_registry_scopes(statements: &[Statement]) -> Result<(), Error> {
    let mut owners: HashMap<&str, &str> = HashMap::new();
    for statement in statements {
        let what = format!("trust policy statement {:?}", statement.name);
        let invalid = |why: String| err(ErrorCode::PolicyScopeInvalid, format!("{what}: {why}"));
        let scopes = &statement.registry_scopes;
        if scopes.is_empty() {
            return Err(invalid(
                "\"registryScopes\" is missing or empty; list domain/repository values or use [\"*\"]".into(),
            ));
        }
        if scopes.len() > 1 && scopes.iter().any(|s| s == GLOBAL_SCOPE) {
            return Err(invalid(
                "the wildcard registry scope \"*\" must be the only scope of its statement; move the other scopes to another statement".into(),
            ));
        }
        for scope in scopes {
            if scope != GLOBAL_SCOPE {
                check_scope_format(scope)
                    .map_err(|why| invalid(format!("registry scope {scope:?} is invalid: {why}")))?;
            }
            if let Some(owner) = owners.insert(scope, &statement.name) {
                let why = if owner == statement.name {
                    format!("registry scope {scope:?} is listed twice; remove the duplicate")
                } else {
                    format!("registry scope {scope:?} is also used by statement {owner:?}; a scope may belong to only one statement")
                };
                return Err(invalid(why));
            }
        }
    }
    Ok(())
}

/// Checks `domain/repository` against notation-go's scope regular expressions
/// (distribution reference grammar without tags or digests).
fn check_scope_format(scope: &str) -> Result<(), String> {
    if scope.contains('*') {
        return Err("wildcards are not allowed inside a scope; use \"*\" alone for the global statement".into());
    }
    let Some((domain, repository)) = scope.split_once('/') else {
        return Err("a scope is domain/repository without scheme, tag or digest, for example \"registry.example/ns/app\" or \"local/myOCILayout\"".into());
    };
    if !is_domain(domain) {
        return Err(format!(
            "{domain:?} is not a registry domain (DNS labels separated by '.', optionally followed by ':port')"
        ));
    }
    if !is_repository(repository) {
        return Err(format!(
            "{repository:?} is not a repository path (lower-case letters and digits, separated by '.', '_', '__', '-' or '/')"
        ));
    }
    Ok(())
}

/// `^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:…same…))*(?::[0-9]+)?$`
fn is_domain(domain: &str) -> bool {
    let (host, port) = match domain.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok && host.split('.').all(is_domain_label)
}

fn is_domain_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

/// `^C(?:/C)*$` with `C = [a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`.
fn is_repository(repository: &str) -> bool {
    repository.split('/').all(is_path_component)
}

fn is_path_component(component: &str) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return false;
    }
    // Between runs of [a-z0-9], each separator must be ".", "_", "__" or only dashes.
    bytes
        .split(alnum)
        .filter(|separator| !separator.is_empty())
        .all(|separator| {
            matches!(separator, b"." | b"_" | b"__") || separator.iter().all(|&b| b == b'-')
        })
}

/// Rejects members not in `allowed`, with a hint for case slips and, for statements
/// of `kind`, for members that belong to the other policy kind.
fn check_members(
    object: &Map<String, Value>,
    allowed: &[&str],
    what: &str,
    kind: Option<Kind>,
) -> Result<(), Error> {
    let Some(unknown) = object.keys().find(|key| !allowed.contains(&key.as_str())) else {
        return Ok(());
    };
    let hint = if let Some(known) = allowed.iter().find(|a| a.eq_ignore_ascii_case(unknown)) {
        format!("member names are case-sensitive, write {known:?}")
    } else if kind == Some(Kind::Blob) && unknown == "registryScopes" {
        "blob trust policies select statements by name, not registry scope; remove it".into()
    } else if kind == Some(Kind::Oci) && unknown == "globalPolicy" {
        "\"globalPolicy\" belongs to blob trust policies; use registryScopes [\"*\"] for a global OCI statement".into()
    } else {
        format!("the allowed members are {}", allowed.join(", "))
    };
    Err(malformed(format!("{what} has unknown member {unknown:?}; {hint}")))
}

/// An optional array of strings; absent or `null` is empty.
fn string_list(object: &Map<String, Value>, key: &str, what: &str) -> Result<Vec<String>, Error> {
    let items = match object.get(key) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(malformed(format!(
                "{what}: {key:?} must be an array of strings, not {}",
                json_type(other)
            )))
        }
    };
    if items.len() > MAX_ENTRIES {
        return Err(err(
            ErrorCode::LimitExceeded,
            format!(
                "{what}: {key:?} has {} entries; at most {MAX_ENTRIES} are accepted",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(malformed(format!(
                "{what}: every entry of {key:?} must be a string, found {}",
                json_type(other)
            ))),
        })
        .collect()
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
