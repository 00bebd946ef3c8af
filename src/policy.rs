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
        let mut statements = parse_document(bytes, Kind::Oci)?;
        validate_registry_scopes(&statements)?;
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
                "has no digest; resolve tags to a digest first and pass domain/repository@<digest>"
                    .into(),
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
                format!(
                    "trust policy version {version:?} is not supported; set \"version\": \"1.0\""
                ),
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
    let slot =
        match key {
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
    let invalid = |why: String| err(ErrorCode::PolicyIdentityInvalid, format!("{what}: {why}"));
    if identities.len() > 1 && identities.iter().any(|i| i == identity::WILDCARD) {
        return Err(invalid(
            "the wildcard trusted identity \"*\" must be the only entry; remove either \"*\" or the other identities".into(),
        ));
    }
    let mut subjects: Vec<(&str, identity::Dn)> = Vec::new();
    for entry in identities {
        if entry.is_empty() {
            return Err(invalid(
                "a trusted identity is an empty string; remove it".into(),
            ));
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
            if identity::is_subset(first_dn, second_dn) || identity::is_subset(second_dn, first_dn)
            {
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
                check_scope_format(scope).map_err(|why| {
                    invalid(format!("registry scope {scope:?} is invalid: {why}"))
                })?;
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
        return Err(
            "wildcards are not allowed inside a scope; use \"*\" alone for the global statement"
                .into(),
        );
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
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
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
    Err(malformed(format!(
        "{what} has unknown member {unknown:?}; {hint}"
    )))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VECTORS: &str = "/work/shared/vectors/extra";

    /// aws-signer.md section 3 (also `_derived/policies/aws_signer_example…`).
    const AWS_EXAMPLE: &str = r#"{
      "version": "1.0",
      "trustPolicies": [{
        "name": "aws-signer-tp",
        "registryScopes": ["*"],
        "signatureVerification": { "level": "strict" },
        "trustStores": ["signingAuthority:aws-signer-ts"],
        "trustedIdentities": ["arn:aws:signer:us-east-2:111122223333:/signing-profiles/MyProfile"]
      }]
    }"#;

    /// `_derived/policies/ng_dummyOCIPolicyDocument.trustpolicy.oci.json`, verbatim.
    const NG_DUMMY_OCI: &str = r#"{
  "version": "1.0",
  "trustPolicies": [
    {
      "name": "test-statement-name",
      "registryScopes": [
        "registry.acme-rockets.io/software/net-monitor"
      ],
      "signatureVerification": {
        "level": "strict"
      },
      "trustStores": [
        "ca:valid-trust-store",
        "signingAuthority:valid-trust-store"
      ],
      "trustedIdentities": [
        "x509.subject:CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US"
      ]
    }
  ]
}
"#;

    /// `_derived/policies/ng_example_verifyBlob.trustpolicy.blob.json`, verbatim.
    const NG_VERIFY_BLOB: &str = r#"{
  "version": "1.0",
  "trustPolicies": [
    {
      "name": "test-statement-name",
      "signatureVerification": {
        "level": "strict",
        "override": {
          "revocation": "skip"
        }
      },
      "trustStores": [
        "ca:valid-trust-store"
      ],
      "trustedIdentities": [
        "*"
      ]
    }
  ]
}
"#;

    fn statement() -> Value {
        json!({
            "name": "wabbit",
            "registryScopes": ["registry.example/ns/app"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:acme"],
            "trustedIdentities": ["x509.subject: C=US, ST=WA, O=acme"]
        })
    }

    fn blob_statement() -> Value {
        edit(statement(), "/registryScopes", None)
    }

    /// Sets (`Some`) or removes (`None`) the member at a JSON pointer.
    fn edit(mut value: Value, pointer: &str, new: Option<Value>) -> Value {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let parent = if parent.is_empty() {
            &mut value
        } else {
            value.pointer_mut(parent).unwrap()
        };
        let object = parent.as_object_mut().unwrap();
        match new {
            Some(new) => {
                object.insert(key.to_owned(), new);
            }
            None => {
                object.remove(key);
            }
        }
        value
    }

    fn document(statements: Vec<Value>) -> Vec<u8> {
        json!({ "version": "1.0", "trustPolicies": statements })
            .to_string()
            .into_bytes()
    }

    fn oci(statements: Vec<Value>) -> Result<OciTrustPolicy, Error> {
        OciTrustPolicy::from_json(&document(statements))
    }

    fn blob(statements: Vec<Value>) -> Result<BlobTrustPolicy, Error> {
        BlobTrustPolicy::from_json(&document(statements))
    }

    fn oci_code(statements: Vec<Value>) -> ErrorCode {
        match oci(statements) {
            Ok(_) => panic!("policy was accepted"),
            Err(e) => {
                assert!(e.message().len() > 20, "{e}");
                e.code()
            }
        }
    }

    fn blob_code(statements: Vec<Value>) -> ErrorCode {
        blob(statements).expect_err("policy was accepted").code()
    }

    /// Runs one statement edit through both document kinds and expects `code`.
    fn both(pointer: &str, new: Option<Value>, code: ErrorCode) {
        let what = format!("{pointer} = {new:?}");
        assert_eq!(
            oci_code(vec![edit(statement(), pointer, new.clone())]),
            code,
            "OCI {what}"
        );
        assert_eq!(
            blob_code(vec![edit(blob_statement(), pointer, new)]),
            code,
            "blob {what}"
        );
    }

    fn raw_oci(text: &str) -> ErrorCode {
        OciTrustPolicy::from_json(text.as_bytes())
            .expect_err("policy was accepted")
            .code()
    }

    #[test]
    fn store_01_malformed_reference() {
        let bad = [
            "ca",
            "",
            ":",
            "ca:",
            "CA:acme",
            "Ca:acme",
            "x509:acme",
            "signingauthority:aws",
            " ca:acme",
            "ca:ac me",
            "ca:a/b",
            "ca:a\\b",
            "ca:..",
            "ca:.",
            "tsa:é",
            "ca:acme:1",
            "*",
        ];
        for s in bad {
            let e = StoreRef::parse(s).expect_err(s);
            assert_eq!(e.code(), ErrorCode::StoreReferenceInvalid, "{s}");
            assert!(e.message().contains(&format!("{s:?}")), "{}", e.message());
        }
        let good = [
            ("ca:acme", StoreType::Ca, "acme"),
            (
                "signingAuthority:aws-signer-ts",
                StoreType::SigningAuthority,
                "aws-signer-ts",
            ),
            ("tsa:public_tsa.v2", StoreType::Tsa, "public_tsa.v2"),
            ("ca:...", StoreType::Ca, "..."),
        ];
        for (s, store_type, name) in good {
            let store: StoreRef = s.parse().unwrap();
            assert_eq!(
                store,
                StoreRef {
                    store_type,
                    name: name.into()
                }
            );
            assert_eq!(store.to_string(), s);
        }
    }

    #[test]
    fn policy_01_version_invalid() {
        for version in [
            None,
            Some(json!(null)),
            Some(json!("")),
            Some(json!("1.1")),
            Some(json!("1")),
            Some(json!(" 1.0")),
        ] {
            let doc = edit(
                json!({ "version": "1.0", "trustPolicies": [statement()] }),
                "/version",
                version.clone(),
            );
            let e = OciTrustPolicy::from_json(doc.to_string().as_bytes()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::PolicyVersionInvalid, "{version:?}");
            let e = BlobTrustPolicy::from_json(doc.to_string().as_bytes()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::PolicyVersionInvalid, "{version:?}");
        }
    }

    #[test]
    fn policy_02_no_statements() {
        assert_eq!(
            raw_oci(r#"{"version":"1.0","trustPolicies":[]}"#),
            ErrorCode::PolicyEmpty
        );
        assert_eq!(raw_oci(r#"{"version":"1.0"}"#), ErrorCode::PolicyEmpty);
        assert_eq!(
            raw_oci(r#"{"version":"1.0","trustPolicies":null}"#),
            ErrorCode::PolicyEmpty
        );
        assert_eq!(
            BlobTrustPolicy::from_json(br#"{"version":"1.0","trustPolicies":[]}"#)
                .unwrap_err()
                .code(),
            ErrorCode::PolicyEmpty
        );
    }

    #[test]
    fn policy_03_name_invalid() {
        for name in [None, Some(json!(null)), Some(json!("")), Some(json!("  "))] {
            both("/name", name, ErrorCode::PolicyNameInvalid);
        }
        let second = edit(
            statement(),
            "/registryScopes",
            Some(json!(["registry.example/other"])),
        );
        assert_eq!(
            oci_code(vec![statement(), second]),
            ErrorCode::PolicyNameInvalid
        );
        assert_eq!(
            blob_code(vec![blob_statement(), blob_statement()]),
            ErrorCode::PolicyNameInvalid
        );
    }

    #[test]
    fn policy_04_level_invalid() {
        for level in [
            None,
            Some(json!(null)),
            Some(json!("")),
            Some(json!("Strict")),
            Some(json!("custom")),
            Some(json!("none")),
        ] {
            both(
                "/signatureVerification/level",
                level,
                ErrorCode::PolicyLevelInvalid,
            );
        }
        both(
            "/signatureVerification",
            None,
            ErrorCode::PolicyLevelInvalid,
        );
        both(
            "/signatureVerification",
            Some(json!({})),
            ErrorCode::PolicyLevelInvalid,
        );
    }

    fn skip_statement() -> Value {
        json!({ "name": "skipper", "registryScopes": ["registry.example/skip"], "signatureVerification": { "level": "skip" } })
    }

    #[test]
    fn policy_05_override_with_skip() {
        let s = edit(
            skip_statement(),
            "/signatureVerification/override",
            Some(json!({ "revocation": "skip" })),
        );
        assert_eq!(oci_code(vec![s.clone()]), ErrorCode::PolicyOverrideWithSkip);
        assert_eq!(
            blob_code(vec![edit(s, "/registryScopes", None)]),
            ErrorCode::PolicyOverrideWithSkip
        );
        // An empty override is no override (notation-go).
        let s = edit(
            skip_statement(),
            "/signatureVerification/override",
            Some(json!({})),
        );
        assert_eq!(
            oci(vec![s]).unwrap().statements()[0].level,
            VerificationLevel::SKIP
        );
    }

    #[test]
    fn policy_06_override_key_invalid() {
        for key in [
            "integrity",
            "Revocation",
            "timestamp",
            "authentictimestamp",
            "",
        ] {
            both(
                "/signatureVerification/override",
                Some(json!({ key: "log" })),
                ErrorCode::PolicyOverrideKeyInvalid,
            );
        }
        let e = oci(vec![edit(
            statement(),
            "/signatureVerification/override",
            Some(json!({ "integrity": "enforce" })),
        )])
        .unwrap_err();
        assert!(
            e.message().starts_with("trust policy statement \"wabbit\": override key \"integrity\" cannot be overridden"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn policy_07_override_value_invalid() {
        let cases = [
            json!({ "revocation": "enforced" }),
            json!({ "expiry": "Log" }),
            json!({ "authenticity": "" }),
            json!({ "authenticity": "skip" }),
            json!({ "authenticTimestamp": "skip" }),
            json!({ "expiry": "skip" }),
            json!({ "integrity": "never" }),
        ];
        for overrides in cases {
            both(
                "/signatureVerification/override",
                Some(overrides),
                ErrorCode::PolicyOverrideValueInvalid,
            );
        }
    }

    #[test]
    fn policy_08_verify_timestamp_invalid() {
        for value in ["never", "Always", "aftercertexpiry", " always"] {
            both(
                "/signatureVerification/verifyTimestamp",
                Some(json!(value)),
                ErrorCode::PolicyVerifyTimestampInvalid,
            );
        }
    }

    #[test]
    fn policy_09_skip_with_trust() {
        for (key, value) in [
            ("trustStores", json!(["ca:acme"])),
            ("trustedIdentities", json!(["*"])),
        ] {
            let s = edit(skip_statement(), &format!("/{key}"), Some(value));
            assert_eq!(
                oci_code(vec![s.clone()]),
                ErrorCode::PolicySkipWithTrust,
                "{key}"
            );
            assert_eq!(
                blob_code(vec![edit(s, "/registryScopes", None)]),
                ErrorCode::PolicySkipWithTrust,
                "{key}"
            );
        }
    }

    #[test]
    fn policy_10_trust_missing() {
        for key in ["/trustStores", "/trustedIdentities"] {
            for value in [None, Some(json!([])), Some(json!(null))] {
                both(key, value, ErrorCode::PolicyTrustMissing);
            }
        }
        for level in ["permissive", "audit"] {
            let s = edit(
                statement(),
                "/signatureVerification/level",
                Some(json!(level)),
            );
            assert_eq!(
                oci_code(vec![edit(s, "/trustStores", None)]),
                ErrorCode::PolicyTrustMissing
            );
        }
    }

    #[test]
    fn policy_11_trust_store_invalid() {
        for store in [
            "ca",
            "ca:",
            "CA:acme",
            "ca:a b",
            "ca:..",
            "*",
            "x509/ca:acme",
        ] {
            both(
                "/trustStores",
                Some(json!(["ca:ok", store])),
                ErrorCode::PolicyTrustStoreInvalid,
            );
        }
        let e = oci(vec![edit(
            statement(),
            "/trustStores",
            Some(json!(["ca:"])),
        )])
        .unwrap_err();
        assert!(
            e.message()
                .starts_with("trust policy statement \"wabbit\": trust store reference \"ca:\""),
            "{}",
            e.message()
        );
    }

    #[test]
    fn policy_12_identity_invalid() {
        let cases = [
            json!([""]),
            json!(["*", "x509.subject:C=US,ST=WA,O=acme"]),
            json!(["x509.subject:C=US,ST=WA,O=acme", "*"]),
            json!(["*", "*"]),
            json!(["x509.subject C=US,ST=WA,O=acme"]),
            json!(["no separator"]),
            json!(["x509.subject:"]),
            json!(["x509.subject:   "]),
            json!(["x509.subject:C=US,ST=WA"]),
            json!(["x509.subject:C=US,O=acme"]),
            json!(["x509.subject:ST=WA,O=acme"]),
            json!(["x509.subject:c=US,st=WA,o=acme"]),
            json!(["x509.subject:C=US,ST=WA,O=acme+OU=x"]),
            json!(["x509.subject:C=US,ST=WA,O=acme,O=other"]),
            json!(["x509.subject:C=bad=#identity,O=LOL,ST=LOL"]),
            json!(["x509.subject:C=US,ST=WA,O=ac\\me"]),
            json!(["x509.subject:C=US,ST=WA,O"]),
        ];
        for identities in cases {
            both(
                "/trustedIdentities",
                Some(identities),
                ErrorCode::PolicyIdentityInvalid,
            );
        }
    }

    #[test]
    fn policy_13_overlapping_identities() {
        let cases = [
            json!([
                "x509.subject:C=US,ST=WA,O=acme",
                "x509.subject:C=US,ST=WA,O=acme,CN=signer"
            ]),
            json!([
                "x509.subject:C=US,ST=WA,O=acme,CN=signer",
                "x509.subject: O=acme, ST=WA, C=US"
            ]),
            json!([
                "x509.subject:C=US,ST=WA,O=acme",
                "x509.subject:C=US,S=WA,O=acme"
            ]),
            json!([
                "x509.subject:C=US,ST=WA,O=a",
                "arn:aws:x",
                "x509.subject:C=US,ST=WA,O=b",
                "x509.subject:C=US,ST=WA,O=a,L=x"
            ]),
        ];
        for identities in cases {
            both(
                "/trustedIdentities",
                Some(identities),
                ErrorCode::PolicyIdentityOverlap,
            );
        }
        // Disjoint identities and repeated non-x509 identities are fine.
        let ok = json!([
            "x509.subject:C=US,ST=WA,O=acme,CN=a",
            "x509.subject:C=US,ST=WA,O=acme,CN=b",
            "arn:aws:signer:us-east-2:111122223333:/signing-profiles/p",
            "arn:aws:signer:us-east-2:111122223333:/signing-profiles/p"
        ]);
        assert!(oci(vec![edit(statement(), "/trustedIdentities", Some(ok))]).is_ok());
    }

    #[test]
    fn policy_14_scope_invalid() {
        let bad = [
            json!([]),
            json!(null),
            json!(["*", "registry.example/ns/app"]),
            json!(["registry.example/ns/*"]),
            json!(["**"]),
            json!(["registry.example"]),
            json!(["registry.example/"]),
            json!(["/ns/app"]),
            json!(["registry.example/NS/app"]),
            json!(["registry.example/ns//app"]),
            json!(["registry.example/ns/app/"]),
            json!(["registry.example/ns/app:tag"]),
            json!(["registry.example/ns/app@sha256:abc"]),
            json!(["https://registry.example/ns/app"]),
            json!(["registry.example:/ns"]),
            json!(["registry.example:50a/ns"]),
            json!(["-registry.example/ns"]),
            json!(["registry-.example/ns"]),
            json!(["registry..example/ns"]),
            json!(["registry_x.example/ns"]),
            json!(["registry.example/a..b"]),
            json!(["registry.example/a___b"]),
            json!(["registry.example/a._b"]),
            json!(["registry.example/-ab"]),
            json!(["registry.example/ab-"]),
            json!(["localhost:5000\\test-repo"]),
            json!(["registry.example/ns/app", "registry.example/ns/app"]),
        ];
        for scopes in bad {
            let s = edit(statement(), "/registryScopes", Some(scopes.clone()));
            assert_eq!(oci_code(vec![s]), ErrorCode::PolicyScopeInvalid, "{scopes}");
        }
        assert_eq!(
            oci_code(vec![edit(statement(), "/registryScopes", None)]),
            ErrorCode::PolicyScopeInvalid
        );
        let other = |name: &str, scopes: Value| {
            edit(
                edit(statement(), "/name", Some(json!(name))),
                "/registryScopes",
                Some(scopes),
            )
        };
        assert_eq!(
            oci_code(vec![
                statement(),
                other("b", json!(["registry.example/ns/app"]))
            ]),
            ErrorCode::PolicyScopeInvalid
        );
        assert_eq!(
            oci_code(vec![other("a", json!(["*"])), other("b", json!(["*"]))]),
            ErrorCode::PolicyScopeInvalid
        );

        let good = [
            "localhost/app",
            "localhost:5000/net-monitor",
            "LOCALHOST:5000/a",
            "a/b",
            "1.2.3.4:443/x/y/z",
            "registry.example/a.b/c_d/e__f/g-h/i---j/0",
            "example/software",
            "local/myoci",
            "x-y.z/app",
        ];
        for scope in good {
            let s = edit(statement(), "/registryScopes", Some(json!([scope])));
            assert!(oci(vec![s]).is_ok(), "{scope}");
        }
    }

    #[test]
    fn policy_15_global_skip() {
        let s = edit(skip_statement(), "/registryScopes", Some(json!(["*"])));
        assert_eq!(oci_code(vec![statement(), s]), ErrorCode::PolicyGlobalSkip);
        // A scoped skip statement is fine.
        assert!(oci(vec![statement(), skip_statement()]).is_ok());
    }

    #[test]
    fn policy_16_blob_global_duplicate() {
        let a = edit(blob_statement(), "/globalPolicy", Some(json!(true)));
        let b = edit(
            edit(a.clone(), "/name", Some(json!("other"))),
            "/globalPolicy",
            Some(json!(true)),
        );
        assert_eq!(
            blob_code(vec![a.clone(), b]),
            ErrorCode::PolicyBlobGlobalDuplicate
        );
        let c = edit(
            edit(a.clone(), "/name", Some(json!("c"))),
            "/globalPolicy",
            Some(json!(false)),
        );
        assert!(blob(vec![a, c]).is_ok());
    }

    #[test]
    fn policy_17_blob_global_skip() {
        let s = edit(
            edit(skip_statement(), "/registryScopes", None),
            "/globalPolicy",
            Some(json!(true)),
        );
        assert_eq!(
            blob_code(vec![blob_statement(), s]),
            ErrorCode::PolicyBlobGlobalSkip
        );
        let s = edit(
            edit(skip_statement(), "/registryScopes", None),
            "/globalPolicy",
            Some(json!(false)),
        );
        assert!(blob(vec![blob_statement(), s]).is_ok());
    }

    #[test]
    fn policy_18_not_applicable_oci() {
        let scoped = oci(vec![statement()]).unwrap();
        let bad = [
            "registry.example/ns/app",
            "registry.example/ns/app:v1",
            "registry.example/ns/other@sha256:abc",
            "registry.example/NS/app@sha256:abc",
            "registry.example/ns/*@sha256:abc",
            "app@sha256:abc",
            "@sha256:abc",
            "",
            "https://registry.example/ns/app@sha256:abc",
        ];
        for reference in bad {
            let e = scoped.select(reference).unwrap_err();
            assert_eq!(e.code(), ErrorCode::PolicyNotApplicable, "{reference}");
        }
        let e = scoped.select("registry.example/ns/app").unwrap_err();
        assert!(e.message().contains("digest"), "{}", e.message());
    }

    #[test]
    fn policy_18_not_applicable_blob() {
        let policy = blob(vec![blob_statement()]).unwrap();
        for name in [Some(""), Some("  "), Some("missing"), Some("Wabbit"), None] {
            assert_eq!(
                policy.select(name).unwrap_err().code(),
                ErrorCode::PolicyNotApplicable,
                "{name:?}"
            );
        }
    }

    #[test]
    fn oci_selection() {
        let global = edit(
            edit(statement(), "/name", Some(json!("global"))),
            "/registryScopes",
            Some(json!(["*"])),
        );
        let policy = oci(vec![global, statement(), skip_statement()]).unwrap();
        let pick = |reference: &str| policy.select(reference).unwrap().name.clone();
        assert_eq!(pick("registry.example/ns/app@sha256:abc"), "wabbit");
        assert_eq!(pick("registry.example/skip@sha256:abc"), "skipper");
        assert_eq!(pick("registry.example/ns/app2@sha256:abc"), "global");
        assert_eq!(pick("localhost:5000/x@sha256:abc"), "global");
        assert!(policy.statements()[0].global);
        assert!(!policy.statements()[1].global);
        // The reference is cut at the last '@', so an '@' in the path is refused.
        for reference in [
            "not a ref@sha256:abc",
            "registry.example/ns/app@x@sha256:abc",
        ] {
            assert_eq!(
                policy.select(reference).unwrap_err().code(),
                ErrorCode::PolicyNotApplicable
            );
        }
    }

    #[test]
    fn blob_selection() {
        let global = edit(
            edit(blob_statement(), "/name", Some(json!("global"))),
            "/globalPolicy",
            Some(json!(true)),
        );
        let skip = edit(skip_statement(), "/registryScopes", None);
        let policy = blob(vec![blob_statement(), global, skip]).unwrap();
        assert_eq!(policy.select(Some("wabbit")).unwrap().name, "wabbit");
        assert_eq!(
            policy.select(Some("skipper")).unwrap().level,
            VerificationLevel::SKIP
        );
        assert_eq!(policy.select(None).unwrap().name, "global");
        assert!(policy.select(None).unwrap().global);
        assert!(policy.statements()[0].registry_scopes.is_empty());
    }

    #[test]
    fn levels_and_overrides() {
        let presets = [
            ("strict", VerificationLevel::STRICT),
            ("permissive", VerificationLevel::PERMISSIVE),
            ("audit", VerificationLevel::AUDIT),
        ];
        for (name, expected) in presets {
            let s = edit(
                statement(),
                "/signatureVerification/level",
                Some(json!(name)),
            );
            let policy = oci(vec![s]).unwrap();
            assert_eq!(policy.statements()[0].level, expected);
            assert_eq!(policy.statements()[0].level.name.to_string(), name);
        }
        let s = edit(
            edit(
                statement(),
                "/signatureVerification/level",
                Some(json!("audit")),
            ),
            "/signatureVerification/override",
            Some(json!({ "authenticity": "enforce", "revocation": "skip", "expiry": "log" })),
        );
        let level = oci(vec![s]).unwrap().statements()[0].level;
        assert_eq!(
            level,
            VerificationLevel {
                name: LevelName::Custom,
                integrity: Action::Enforce,
                authenticity: Action::Enforce,
                authentic_timestamp: Action::Log,
                expiry: Action::Log,
                revocation: Action::Skip,
            }
        );
        assert_eq!(
            serde_json::to_value(level).unwrap(),
            json!({ "name": "custom", "integrity": "enforced", "authenticity": "enforced",
                    "authenticTimestamp": "logged", "expiry": "logged", "revocation": "skipped" })
        );
        // Overriding with the preset's own value still makes the level custom.
        let s = edit(
            statement(),
            "/signatureVerification/override",
            Some(json!({ "revocation": "enforce" })),
        );
        assert_eq!(
            oci(vec![s]).unwrap().statements()[0].level.name,
            LevelName::Custom
        );
    }

    #[test]
    fn verify_timestamp_option() {
        for (value, expected) in [
            (None, VerifyTimestamp::Always),
            (Some(json!(null)), VerifyTimestamp::Always),
            (Some(json!("")), VerifyTimestamp::Always),
            (Some(json!("always")), VerifyTimestamp::Always),
            (
                Some(json!("afterCertExpiry")),
                VerifyTimestamp::AfterCertExpiry,
            ),
        ] {
            let s = edit(statement(), "/signatureVerification/verifyTimestamp", value);
            assert_eq!(
                oci(vec![s]).unwrap().statements()[0].verify_timestamp,
                expected
            );
        }
    }

    #[test]
    fn malformed_documents() {
        let cases = [
            "",
            "[]",
            "\"1.0\"",
            "{",
            r#"{"version":"1.0","trustPolicies":[]} x"#,
            r#"{"version":1.0,"trustPolicies":[]}"#,
            r#"{"version":"1.0","trustPolicies":{}}"#,
            r#"{"version":"1.0","trustPolicies":["x"]}"#,
            r#"{"version":"1.0","trustPolicies":[null]}"#,
            r#"{"version":"1.0","trustPolicies":[],"extra":1}"#,
            r#"{"Version":"1.0","trustPolicies":[]}"#,
            r#"{"version":"1.0","TrustPolicies":[]}"#,
        ];
        for text in cases {
            assert_eq!(raw_oci(text), ErrorCode::PolicyMalformed, "{text}");
        }
        let wrong_types = [
            ("/name", json!(7)),
            ("/registryScopes", json!("registry.example/ns/app")),
            ("/registryScopes", json!([1])),
            ("/signatureVerification", json!("strict")),
            ("/signatureVerification/level", json!(["strict"])),
            ("/signatureVerification/override", json!(["revocation"])),
            (
                "/signatureVerification/override",
                json!({ "revocation": false }),
            ),
            ("/signatureVerification/verifyTimestamp", json!(true)),
            ("/trustStores", json!("ca:acme")),
            ("/trustedIdentities", json!([null])),
            ("/trustedIdentities", json!({ "x509.subject": "C=US" })),
        ];
        for (pointer, value) in wrong_types {
            assert_eq!(
                oci_code(vec![edit(statement(), pointer, Some(value.clone()))]),
                ErrorCode::PolicyMalformed,
                "{pointer} {value}"
            );
        }
        assert_eq!(oci_code(vec![json!("wabbit")]), ErrorCode::PolicyMalformed);
        assert_eq!(
            blob_code(vec![edit(
                blob_statement(),
                "/globalPolicy",
                Some(json!("true"))
            )]),
            ErrorCode::PolicyMalformed
        );
        assert_eq!(
            raw_oci(r#"{"version":"1.0","version":"1.0","trustPolicies":[]}"#),
            ErrorCode::JsonDuplicateMember
        );
    }

    #[test]
    fn unknown_members_rejected() {
        let cases = [
            (
                "/verifyTimestamp",
                json!("always"),
                "unknown member \"verifyTimestamp\"",
            ),
            (
                "/signatureVerification/verifyTimeStamp",
                json!("always"),
                "case-sensitive, write \"verifyTimestamp\"",
            ),
            (
                "/signatureVerification/Level",
                json!("strict"),
                "case-sensitive, write \"level\"",
            ),
            ("/trustStore", json!(["ca:x"]), "allowed members are"),
            (
                "/TrustedIdentities",
                json!(["*"]),
                "case-sensitive, write \"trustedIdentities\"",
            ),
            ("/globalPolicy", json!(true), "blob trust policies"),
            ("/comment", json!("hi"), "unknown member \"comment\""),
        ];
        for (pointer, value, needle) in cases {
            let e = oci(vec![edit(statement(), pointer, Some(value))]).unwrap_err();
            assert_eq!(e.code(), ErrorCode::PolicyMalformed, "{pointer}");
            assert!(e.message().contains(needle), "{pointer}: {}", e.message());
            assert!(e.message().contains("\"wabbit\""), "{}", e.message());
        }
        let e = blob(vec![statement()]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::PolicyMalformed);
        assert!(e.message().contains("registryScopes"), "{}", e.message());
    }

    #[test]
    fn limits() {
        let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        assert_eq!(
            OciTrustPolicy::from_json(&big).unwrap_err().code(),
            ErrorCode::LimitExceeded
        );
        let many: Vec<Value> = (0..=MAX_STATEMENTS)
            .map(|i| edit(skip_statement(), "/name", Some(json!(format!("s{i}")))))
            .collect();
        assert_eq!(oci_code(many), ErrorCode::LimitExceeded);
        let stores: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("ca:s{i}")).collect();
        both(
            "/trustStores",
            Some(json!(stores)),
            ErrorCode::LimitExceeded,
        );
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(raw_oci(&deep), ErrorCode::LimitExceeded);
    }

    #[test]
    fn statement_contents() {
        let s = json!({
            "name": "mixed",
            "registryScopes": ["registry.example/ns/app", "localhost:5000/x"],
            "signatureVerification": { "level": "strict", "verifyTimestamp": "afterCertExpiry" },
            "trustStores": ["tsa:ts", "ca:acme", "ca:acme", "signingAuthority:aws", "ca:other", "tsa:ts"],
            "trustedIdentities": [" x509.subject: C=US, ST=WA, O=acme ", "arn:aws:signer:us-east-2:1:/signing-profiles/p"]
        });
        let policy = oci(vec![s]).unwrap();
        let st = &policy.statements()[0];
        let stores: Vec<String> = st.trust_stores.iter().map(ToString::to_string).collect();
        assert_eq!(
            stores,
            ["tsa:ts", "ca:acme", "signingAuthority:aws", "ca:other"]
        );
        let ca: Vec<&str> = st
            .stores_of(StoreType::Ca)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(ca, ["acme", "other"]);
        assert_eq!(st.stores_of(StoreType::SigningAuthority).count(), 1);
        assert_eq!(
            st.trusted_identities[0],
            " x509.subject: C=US, ST=WA, O=acme "
        );
        assert!(!st.has_wildcard_identity());
        assert!(!st.global);
        assert_eq!(
            st.registry_scopes,
            ["registry.example/ns/app", "localhost:5000/x"]
        );
        assert_eq!(st.verify_timestamp, VerifyTimestamp::AfterCertExpiry);
        assert_eq!(StoreType::SigningAuthority.to_string(), "signingAuthority");
    }

    #[test]
    fn accepts_reference_policies() {
        let aws = OciTrustPolicy::from_json(AWS_EXAMPLE.as_bytes()).unwrap();
        let st = aws
            .select("111122223333.dkr.ecr.us-east-2.amazonaws.com/app@sha256:abc")
            .unwrap();
        assert_eq!(st.name, "aws-signer-tp");
        assert!(st.global);
        assert_eq!(st.level, VerificationLevel::STRICT);
        assert_eq!(
            st.stores_of(StoreType::SigningAuthority)
                .next()
                .unwrap()
                .name,
            "aws-signer-ts"
        );
        assert_eq!(st.stores_of(StoreType::Ca).count(), 0);

        let dummy = OciTrustPolicy::from_json(NG_DUMMY_OCI.as_bytes()).unwrap();
        assert_eq!(
            dummy
                .select("registry.acme-rockets.io/software/net-monitor@sha256:x")
                .unwrap()
                .name,
            "test-statement-name"
        );
        assert!(dummy
            .select("registry.acme-rockets.io/software/other@sha256:x")
            .is_err());

        let blob = BlobTrustPolicy::from_json(NG_VERIFY_BLOB.as_bytes()).unwrap();
        let st = blob.select(Some("test-statement-name")).unwrap();
        assert!(st.has_wildcard_identity());
        assert_eq!(st.level.revocation, Action::Skip);
        assert_eq!(st.level.name, LevelName::Custom);
        assert!(blob.select(None).is_err());
    }

    fn vectors_present() -> bool {
        let present = std::path::Path::new(VECTORS).is_dir();
        if !present {
            println!("skipped: {VECTORS} is not present");
        }
        present
    }

    #[test]
    fn derived_policies_load() {
        if !vectors_present() {
            return;
        }
        let dir = format!("{VECTORS}/_derived/policies");
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".blob.json") {
                BlobTrustPolicy::from_json(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            } else {
                OciTrustPolicy::from_json(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            count += 1;
        }
        assert!(count >= 9, "only {count} policies in {dir}");
    }

    /// The notation CLI e2e trust policies, with the verdict this crate gives them.
    #[test]
    fn notation_cli_policies() {
        if !vectors_present() {
            return;
        }
        use ErrorCode::*;
        let cases: &[(&str, Option<ErrorCode>)] = &[
            ("any_registry_scope_trust_policy.json", None),
            ("audit_trustpolicy.json", None),
            (
                "empty_registry_scope_trustpolicy.json",
                Some(PolicyScopeInvalid),
            ),
            (
                "empty_trusted_identity_trustpolicy.json",
                Some(PolicyIdentityInvalid),
            ),
            ("generate_test_trustpolicy.json", None),
            ("invalid_format_trustpolicy.json", Some(PolicyMalformed)),
            ("invalid_registry_scope_trustpolicy.json", None),
            ("invalid_trust_store_trustpolicy.json", None),
            ("invalid_trusted_identity_trustpolicy.json", None),
            (
                "malformed_registry_scope_trustpolicy.json",
                Some(PolicyScopeInvalid),
            ),
            (
                "malformed_trust_store_trustpolicy.json",
                Some(PolicyTrustStoreInvalid),
            ),
            (
                "malformed_trusted_identity_trustpolicy.json",
                Some(PolicyIdentityInvalid),
            ),
            (
                "missing_country_trusted_identity_trustpolicy.json",
                Some(PolicyIdentityInvalid),
            ),
            (
                "missing_organization_trusted_identity_trustpolicy.json",
                Some(PolicyIdentityInvalid),
            ),
            (
                "missing_state_trusted_identity_trustpolicy.json",
                Some(PolicyIdentityInvalid),
            ),
            (
                "multi_statements_with_multi_wildcard_registry_scope_trustpolicy.json",
                Some(PolicyScopeInvalid),
            ),
            (
                "multi_statements_with_the_same_name_trustpolicy.json",
                Some(PolicyNameInvalid),
            ),
            (
                "multi_statements_with_the_same_registry_scope_trustpolicy.json",
                Some(PolicyScopeInvalid),
            ),
            (
                "multi_statements_with_wildcard_registry_scope_trustpolicy.json",
                None,
            ),
            ("multiple_registry_scope_trustpolicy.json", None),
            ("multiple_trust_store_trustpolicy.json", None),
            ("multiple_trusted_identity_trustpolicy.json", None),
            (
                "overlapped_registry_scope_trustpolicy.json",
                Some(PolicyScopeInvalid),
            ),
            ("overlapped_trust_store_trustpolicy.json", None),
            (
                "overlapped_trusted_identity_trustpolicy.json",
                Some(PolicyIdentityOverlap),
            ),
            ("override_audit_trustpolicy.json", None),
            (
                "override_integrity_for_permissive_trustpolicy.json",
                Some(PolicyOverrideKeyInvalid),
            ),
            ("override_permissive_trustpolicy.json", None),
            ("override_strict_trustpolicy.json", None),
            ("permissive_trustpolicy.json", None),
            ("quickstart_trustpolicy.json", None),
            ("registry_scope_trustpolicy.json", None),
            // notation accepts it; `skip` on the global statement is a spec MUST NOT.
            ("skip_trustpolicy.json", Some(PolicyGlobalSkip)),
            ("timestamp_after_cert_expiry_trustpolicy.json", None),
            ("timestamp_trustpolicy.json", None),
            ("trustpolicy.json", None),
            (
                "unset_trust_store_trustpolicy.json",
                Some(PolicyTrustMissing),
            ),
            (
                "unset_trusted_identity_trustpolicy.json",
                Some(PolicyTrustMissing),
            ),
            ("valid_trusted_identity_trustpolicy.json", None),
            (
                "wildcard_plus_other_registry_scope_trustpolicy.json",
                Some(PolicyScopeInvalid),
            ),
            (
                "wildcard_plus_other_trusted_identity_trustpolicy.json",
                Some(PolicyIdentityInvalid),
            ),
            (
                "wildcard_trust_store_trustpolicy.json",
                Some(PolicyTrustStoreInvalid),
            ),
        ];
        let dir = format!("{VECTORS}/notation-cli/config/trustpolicies");
        for (file, expected) in cases {
            let bytes = std::fs::read(format!("{dir}/{file}")).unwrap();
            let result = OciTrustPolicy::from_json(&bytes)
                .map(|_| ())
                .map_err(|e| e.code());
            assert_eq!(result.err(), *expected, "{file}");
        }
        for file in [
            "config/trustpolicies/blob_trust_policy.json",
            "blob/trustpolicies/trustpolicy.blob.json",
        ] {
            let bytes = std::fs::read(format!("{VECTORS}/notation-cli/{file}")).unwrap();
            let policy =
                BlobTrustPolicy::from_json(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(policy.select(None).unwrap().global, "{file}");
        }
    }
}
