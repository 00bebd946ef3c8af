//! Errors: one stable machine code per failure, the rejection-catalogue rule it
//! implements, and one sentence for people.

use core::fmt;

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, $rule:expr; )*) => {
        /// Stable machine-readable error code.
        ///
        /// The JSON form is the `snake_case` string returned by [`ErrorCode::as_str`];
        /// the C ABI exposes the same codes by name. Codes are never renumbered or
        /// reused; new ones are appended.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The stable `snake_case` name of this code.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )* }
            }

            /// The rejection-catalogue ID (`HDR-07`, `CERT-03`, …) this code reports,
            /// if the failure is one the catalogue names.
            pub const fn rule(self) -> Option<&'static str> {
                match self { $( ErrorCode::$variant => $rule, )* }
            }

            /// Looks a code up by its `snake_case` name.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $( $name => Some(ErrorCode::$variant), )* _ => None }
            }
        }
    };
}

error_codes! {
    // --- JWS envelope syntax ---
    /// The envelope is not a JSON object.
    EnvelopeNotJson => "envelope_not_json", Some("JWS-01");
    /// Compact or general JWS serialization instead of flattened JSON.
    EnvelopeNotFlattened => "envelope_not_flattened", Some("JWS-02");
    /// `payload`, `protected` or `signature` missing, not a string, or not unpadded base64url.
    EnvelopeMemberInvalid => "envelope_member_invalid", Some("JWS-03");
    /// The decoded signature is empty.
    SignatureEmpty => "signature_empty", Some("JWS-04");
    /// `header` or `header.x5c` missing, empty or of the wrong type.
    CertificateChainMissing => "certificate_chain_missing", Some("JWS-05");
    /// An `x5c` entry is not padded standard base64 of exactly one DER certificate.
    CertificateInvalid => "certificate_invalid", Some("JWS-06");
    /// The unprotected timestamp signature is not a base64 string.
    TimestampSignatureInvalid => "timestamp_signature_invalid", Some("JWS-07");
    /// The envelope has a top-level member other than the four JWS parts.
    EnvelopeUnknownMember => "envelope_unknown_member", Some("JWS-08");
    /// `protected`, `payload` or `signature` contains a `.`.
    EnvelopeMemberHasDot => "envelope_member_has_dot", Some("JWS-10");
    /// The decoded payload is not a JSON object.
    PayloadNotObject => "payload_not_object", Some("JWS-11");
    /// The signature envelope media type is not `application/jose+json`.
    EnvelopeMediaTypeUnsupported => "envelope_media_type_unsupported", Some("JWS-12");
    /// A JSON object repeats a member name (or repeats it with different case).
    JsonDuplicateMember => "json_duplicate_member", Some("JWS-13");

    // --- protected header ---
    /// The protected header is not a JSON object, or a known key has the wrong type.
    HeaderInvalid => "header_invalid", Some("HDR-01");
    /// `alg` missing or not a string.
    AlgMissing => "alg_missing", Some("HDR-02");
    /// `cty` missing or not the Notary payload media type.
    ContentTypeInvalid => "content_type_invalid", Some("HDR-03");
    /// Signing scheme missing or unknown.
    SigningSchemeInvalid => "signing_scheme_invalid", Some("HDR-04");
    /// `crit` missing or empty.
    CritMissing => "crit_missing", Some("HDR-05");
    /// `crit` does not list the signing scheme.
    CritLacksSigningScheme => "crit_lacks_signing_scheme", Some("HDR-06");
    /// `crit` does not list `io.cncf.notary.expiry` although it is present.
    CritLacksExpiry => "crit_lacks_expiry", Some("HDR-07");
    /// `crit` does not list `io.cncf.notary.authenticSigningTime`.
    CritLacksAuthenticSigningTime => "crit_lacks_authentic_signing_time", Some("HDR-08");
    /// `crit` lists a header that is not present.
    CritNamesAbsentHeader => "crit_names_absent_header", Some("HDR-09");
    /// `crit` lists `alg`, `cty`, `crit` or `io.cncf.notary.signingTime`.
    CritNamesForbiddenHeader => "crit_names_forbidden_header", Some("HDR-10");
    /// `crit` lists a standard Notary header twice.
    CritDuplicate => "crit_duplicate", Some("HDR-11");
    /// `notary.x509` signature without `io.cncf.notary.signingTime`.
    SigningTimeMissing => "signing_time_missing", Some("HDR-12");
    /// `notary.x509` signature with `io.cncf.notary.authenticSigningTime`.
    AuthenticSigningTimeUnexpected => "authentic_signing_time_unexpected", Some("HDR-13");
    /// Signing Authority signature without `io.cncf.notary.authenticSigningTime`.
    AuthenticSigningTimeMissing => "authentic_signing_time_missing", Some("HDR-14");
    /// Signing Authority signature with `io.cncf.notary.signingTime`.
    SigningTimeUnexpected => "signing_time_unexpected", Some("HDR-15");
    /// A time header is not an RFC 3339 date-time string.
    TimeInvalid => "time_invalid", Some("HDR-16");
    /// A critical header is not understood by this verifier.
    CriticalHeaderUnknown => "critical_header_unknown", Some("HDR-17");
    /// A verification-plugin header is not listed in `crit`.
    PluginHeaderNotCritical => "plugin_header_not_critical", Some("HDR-18");

    // --- algorithms and signature math ---
    /// `alg` is not one of PS256/384/512, ES256/384/512.
    AlgUnsupported => "alg_unsupported", Some("ALG-01");
    /// The signing key is not RSA-2048/3072/4096 or EC P-256/P-384/P-521.
    KeyUnsupported => "key_unsupported", Some("ALG-02");
    /// `alg` does not match the signing certificate's key.
    AlgKeyMismatch => "alg_key_mismatch", Some("ALG-03");
    /// The signature does not verify with the signing certificate's key.
    SignatureInvalid => "signature_invalid", Some("ALG-04");
    /// An ECDSA signature does not have the fixed JWS length.
    SignatureLengthInvalid => "signature_length_invalid", Some("ALG-05");

    // --- payload and target ---
    /// The decoded payload is empty.
    PayloadEmpty => "payload_empty", Some("PAY-01");
    /// The payload is not `{"targetArtifact": descriptor}`.
    PayloadInvalid => "payload_invalid", Some("PAY-02");
    /// The signed descriptor differs from the artifact being verified.
    TargetMismatch => "target_mismatch", Some("PAY-03");
    /// The signed digest or size differs from the blob being verified.
    BlobMismatch => "blob_mismatch", Some("PAY-04");
    /// The signed media type differs from the blob media type the caller expects.
    BlobMediaTypeMismatch => "blob_media_type_mismatch", Some("PAY-05");
    /// Required user metadata is missing from the signed annotations or differs.
    UserMetadataMismatch => "user_metadata_mismatch", Some("PAY-06");

    // --- certificate chain shape ---
    /// A single-certificate chain whose signature does not verify with its own key.
    ChainSingleNotSelfSigned => "chain_single_not_self_signed", Some("CHAIN-01");
    /// A single-certificate chain whose subject differs from its issuer.
    ChainSingleNotSelfIssued => "chain_single_not_self_issued", Some("CHAIN-02");
    /// The last certificate of the chain is not a self-signed root.
    ChainRootNotSelfSigned => "chain_root_not_self_signed", Some("CHAIN-03");
    /// The leaf of a multi-certificate chain is self-signed.
    ChainLeafSelfSigned => "chain_leaf_self_signed", Some("CHAIN-04");
    /// An intermediate certificate is self-signed.
    ChainIntermediateSelfSigned => "chain_intermediate_self_signed", Some("CHAIN-05");
    /// A certificate is not issued and signed by the next one.
    ChainLinkBroken => "chain_link_broken", Some("CHAIN-06");
    /// A certificate signature uses SHA-1, MD5 or an unsupported algorithm.
    ChainSignatureAlgorithmUnsupported => "chain_signature_algorithm_unsupported", Some("CHAIN-07");
    /// A CA's pathLenConstraint is exceeded.
    ChainPathLengthExceeded => "chain_path_length_exceeded", Some("CHAIN-08");
    /// The chain does not end in a self-issued root.
    ChainIncomplete => "chain_incomplete", Some("CHAIN-09");

    // --- certificate requirements ---
    /// The signing certificate is a CA.
    LeafIsCa => "leaf_is_ca", Some("CERT-01");
    /// The signing certificate has no Key Usage extension.
    LeafKeyUsageMissing => "leaf_key_usage_missing", Some("CERT-02");
    /// The signing certificate's Key Usage extension is not critical.
    LeafKeyUsageNotCritical => "leaf_key_usage_not_critical", Some("CERT-03");
    /// The signing certificate's Key Usage lacks digitalSignature.
    LeafKeyUsageLacksDigitalSignature => "leaf_key_usage_lacks_digital_signature", Some("CERT-04");
    /// The signing certificate's Key Usage has a forbidden bit.
    LeafKeyUsageForbidden => "leaf_key_usage_forbidden", Some("CERT-05");
    /// The signing certificate's EKU has serverAuth, clientAuth, emailProtection or timeStamping.
    LeafExtendedKeyUsageForbidden => "leaf_extended_key_usage_forbidden", Some("CERT-06");
    /// The signing certificate's EKU has anyExtendedKeyUsage.
    LeafExtendedKeyUsageAny => "leaf_extended_key_usage_any", Some("CERT-07");
    /// The signing certificate's EKU has OCSPSigning.
    LeafExtendedKeyUsageOcspSigning => "leaf_extended_key_usage_ocsp_signing", Some("CERT-08");
    /// The signing certificate's key is too small.
    LeafKeyTooSmall => "leaf_key_too_small", Some("CERT-09");
    /// A CA certificate lacks Basic Constraints cA=true.
    CaNotCa => "ca_not_ca", Some("CERT-10");
    /// A CA certificate's Basic Constraints extension is not critical.
    CaBasicConstraintsNotCritical => "ca_basic_constraints_not_critical", Some("CERT-11");
    /// A CA certificate has no Key Usage extension.
    CaKeyUsageMissing => "ca_key_usage_missing", Some("CERT-12");
    /// A CA certificate's Key Usage extension is not critical.
    CaKeyUsageNotCritical => "ca_key_usage_not_critical", Some("CERT-13");
    /// A CA certificate's Key Usage lacks keyCertSign.
    CaKeyUsageLacksKeyCertSign => "ca_key_usage_lacks_key_cert_sign", Some("CERT-14");
    /// A single self-signed signing certificate fails a leaf rule.
    SelfSignedLeafInvalid => "self_signed_leaf_invalid", Some("CERT-15");

    // --- trust store ---
    /// A `type:name` trust store reference is malformed.
    StoreReferenceInvalid => "store_reference_invalid", Some("STORE-01");
    /// A named trust store does not exist or cannot be read.
    StoreUnavailable => "store_unavailable", Some("STORE-02");
    /// A named trust store contains a sub-directory or symlink.
    StoreHasDirectory => "store_has_directory", Some("STORE-03");
    /// A trust store file is not PEM or DER certificates.
    StoreFileInvalid => "store_file_invalid", Some("STORE-04");
    /// A named trust store holds no certificate.
    StoreEmpty => "store_empty", Some("STORE-05");
    /// A `ca`/`signingAuthority` store certificate is neither a CA nor self-signed.
    StoreCertificateNotCa => "store_certificate_not_ca", Some("STORE-06");
    /// A `tsa` store certificate is not a self-signed root.
    StoreCertificateNotRoot => "store_certificate_not_root", Some("STORE-07");
    /// The policy names no trust store of the type the signing scheme needs.
    StoreTypeMissing => "store_type_missing", Some("STORE-08");
    /// No certificate of the chain is in the trust stores.
    ChainNotTrusted => "chain_not_trusted", Some("STORE-09");

    // --- trusted identities ---
    /// The trusted identities name no `x509.subject` identity.
    IdentityNoSubject => "identity_no_subject", Some("IDENT-01");
    /// The signing certificate's subject cannot be matched against identities.
    IdentityLeafSubjectUnparsable => "identity_leaf_subject_unparsable", Some("IDENT-02");
    /// No trusted identity matches the signing certificate.
    IdentityNotTrusted => "identity_not_trusted", Some("IDENT-03");

    // --- time ---
    /// A chain certificate is not yet valid at the verification time.
    CertificateNotYetValid => "certificate_not_yet_valid", Some("TIME-01");
    /// A chain certificate has expired at the verification time.
    CertificateExpired => "certificate_expired", Some("TIME-02");
    /// A chain certificate is not valid at the authentic signing time.
    CertificateInvalidAtSigningTime => "certificate_invalid_at_signing_time", Some("TIME-03");
    /// The timestamp is earlier than a chain certificate's notBefore.
    TimestampBeforeCertificate => "timestamp_before_certificate", Some("TIME-04");
    /// The timestamp is later than a chain certificate's notAfter.
    TimestampAfterCertificate => "timestamp_after_certificate", Some("TIME-05");
    /// The signature's expiry has passed.
    SignatureExpired => "signature_expired", Some("TIME-06");
    /// The expiry is not later than the signing time.
    ExpiryBeforeSigningTime => "expiry_before_signing_time", Some("TIME-07");

    // --- RFC 3161 timestamp ---
    /// Timestamp verification is required but the signature carries no timestamp.
    TimestampMissing => "timestamp_missing", Some("TSA-01");
    /// The timestamp token is malformed or of the wrong kind.
    TimestampMalformed => "timestamp_malformed", Some("TSA-02");
    /// The timestamp token does not carry an RFC 3161 TSTInfo.
    TimestampTstInfoInvalid => "timestamp_tst_info_invalid", Some("TSA-03");
    /// The timestamp message imprint uses an unsupported hash.
    TimestampImprintAlgorithmUnsupported => "timestamp_imprint_algorithm_unsupported", Some("TSA-04");
    /// The timestamp was not made over this signature.
    TimestampImprintMismatch => "timestamp_imprint_mismatch", Some("TSA-05");
    /// The policy's `tsa` stores yield no certificate.
    TimestampNoTrustedRoots => "timestamp_no_trusted_roots", Some("TSA-06");
    /// The timestamp token has no signer.
    TimestampNoSigner => "timestamp_no_signer", Some("TSA-07");
    /// The timestamp's signing-certificate attribute is missing or does not match.
    TimestampSigningCertificateInvalid => "timestamp_signing_certificate_invalid", Some("TSA-08");
    /// The timestamp signerInfo version is not 1.
    TimestampSignerVersionInvalid => "timestamp_signer_version_invalid", Some("TSA-09");
    /// The timestamp authority's chain does not reach a trusted `tsa` root.
    TimestampChainNotTrusted => "timestamp_chain_not_trusted", Some("TSA-10");
    /// The timestamp token's signature is invalid or uses an unsupported algorithm.
    TimestampTokenSignatureInvalid => "timestamp_token_signature_invalid", Some("TSA-11");
    /// The timestamp token's signed attributes are missing or wrong.
    TimestampSignedAttributesInvalid => "timestamp_signed_attributes_invalid", Some("TSA-12");
    /// The timestamp token's signing-time attribute is outside its chain's validity.
    TimestampSigningTimeInvalid => "timestamp_signing_time_invalid", Some("TSA-13");
    /// The timestamping certificate's EKU is not exactly timeStamping, critical.
    TimestampCertificateEkuInvalid => "timestamp_certificate_eku_invalid", Some("TSA-14");
    /// The timestamp authority's chain violates the timestamping certificate profile.
    TimestampChainProfileInvalid => "timestamp_chain_profile_invalid", Some("TSA-15");
    /// A timestamp authority certificate is revoked or its status is unknown.
    TimestampRevocation => "timestamp_revocation", Some("TSA-16");

    // --- revocation ---
    /// A signing-chain certificate is revoked.
    CertificateRevoked => "certificate_revoked", Some("REV-01");
    /// The revocation status of a signing-chain certificate cannot be determined.
    RevocationUnknown => "revocation_unknown", Some("REV-02");
    /// The revocation evidence was unusable or the checker rejected the chain.
    RevocationCheckFailed => "revocation_check_failed", Some("REV-03");

    // --- verification plugin ---
    /// `io.cncf.notary.verificationPlugin` is not a non-blank string.
    PluginNameInvalid => "plugin_name_invalid", Some("PLUG-01");
    /// The named verification plugin has no implementation in this verifier.
    PluginUnavailable => "plugin_unavailable", Some("PLUG-02");
    /// `io.cncf.notary.verificationPluginMinVersion` is not a SemVer string.
    PluginMinVersionInvalid => "plugin_min_version_invalid", Some("PLUG-03");

    // --- trust policy ---
    /// Policy `version` missing or not "1.0".
    PolicyVersionInvalid => "policy_version_invalid", Some("POLICY-01");
    /// Policy has no statements.
    PolicyEmpty => "policy_empty", Some("POLICY-02");
    /// A statement name is empty or duplicated.
    PolicyNameInvalid => "policy_name_invalid", Some("POLICY-03");
    /// A verification level is missing or unknown.
    PolicyLevelInvalid => "policy_level_invalid", Some("POLICY-04");
    /// `override` is used with level `skip`.
    PolicyOverrideWithSkip => "policy_override_with_skip", Some("POLICY-05");
    /// An `override` key is unknown or `integrity`.
    PolicyOverrideKeyInvalid => "policy_override_key_invalid", Some("POLICY-06");
    /// An `override` value is not allowed for its key.
    PolicyOverrideValueInvalid => "policy_override_value_invalid", Some("POLICY-07");
    /// `verifyTimestamp` is not `always` or `afterCertExpiry`.
    PolicyVerifyTimestampInvalid => "policy_verify_timestamp_invalid", Some("POLICY-08");
    /// Level `skip` with trust stores or trusted identities.
    PolicySkipWithTrust => "policy_skip_with_trust", Some("POLICY-09");
    /// A non-skip statement without trust stores or trusted identities.
    PolicyTrustMissing => "policy_trust_missing", Some("POLICY-10");
    /// A `trustStores` entry is malformed.
    PolicyTrustStoreInvalid => "policy_trust_store_invalid", Some("POLICY-11");
    /// A trusted identity is malformed.
    PolicyIdentityInvalid => "policy_identity_invalid", Some("POLICY-12");
    /// Two `x509.subject` identities of one statement overlap.
    PolicyIdentityOverlap => "policy_identity_overlap", Some("POLICY-13");
    /// A registry scope is invalid or used twice.
    PolicyScopeInvalid => "policy_scope_invalid", Some("POLICY-14");
    /// The global (`*`) statement uses level `skip`.
    PolicyGlobalSkip => "policy_global_skip", Some("POLICY-15");
    /// More than one blob statement is global.
    PolicyBlobGlobalDuplicate => "policy_blob_global_duplicate", Some("POLICY-16");
    /// The global blob statement uses level `skip`.
    PolicyBlobGlobalSkip => "policy_blob_global_skip", Some("POLICY-17");
    /// No statement of the policy applies to the artifact.
    PolicyNotApplicable => "policy_not_applicable", Some("POLICY-18");
    /// The policy file is a symlink or a directory.
    PolicyFileInvalid => "policy_file_invalid", Some("POLICY-19");
    /// The policy document is not valid JSON of the expected shape.
    PolicyMalformed => "policy_malformed", None;

    // --- AWS Signer ---
    /// An AWS Signer signature does not use the Signing Authority scheme.
    AwsSchemeInvalid => "aws_scheme_invalid", Some("AWS-01");
    /// The trusted identities contain `*`, which AWS Signer verification refuses.
    AwsWildcardIdentity => "aws_wildcard_identity", Some("AWS-03");
    /// `com.amazonaws.signer.signingProfileVersion` missing or not a string.
    AwsProfileVersionInvalid => "aws_profile_version_invalid", Some("AWS-04");
    /// `com.amazonaws.signer.signingJob` missing or not a string.
    AwsSigningJobInvalid => "aws_signing_job_invalid", Some("AWS-05");
    /// No trusted identity is a matching AWS Signer ARN.
    AwsIdentityNotTrusted => "aws_identity_not_trusted", Some("AWS-06");
    /// An AWS Signer signature carries an extended attribute AWS Signer does not define.
    AwsUnexpectedAttribute => "aws_unexpected_attribute", Some("AWS-07");
    /// The signature needs a newer AWS Signer plugin than this verifier implements.
    AwsPluginVersionTooLow => "aws_plugin_version_too_low", Some("AWS-08");
    /// No AWS Signer revocation answer is available offline.
    AwsRevocationUnavailable => "aws_revocation_unavailable", Some("AWS-09");
    /// AWS Signer reports a revoked job, profile or certificate.
    AwsRevoked => "aws_revoked", Some("AWS-10");
    /// `com.amazonaws.signer.signingProfileAlias` is not a string.
    AwsProfileAliasInvalid => "aws_profile_alias_invalid", Some("AWS-14");

    // --- API and limits ---
    /// An argument given to the API is invalid.
    InvalidArgument => "invalid_argument", None;
    /// An input exceeds a size, depth or count limit.
    LimitExceeded => "limit_exceeded", None;
    /// An internal error (a bug); please report it.
    Internal => "internal", None;
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An error: a stable [`ErrorCode`] plus one actionable sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// Creates an error with `code` and a human message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The rejection-catalogue ID, if any.
    pub fn rule(&self) -> Option<&'static str> {
        self.code.rule()
    }

    /// The human message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code.rule() {
            Some(rule) => write!(f, "{} [{}]: {}", self.code, rule, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand used across the crate.
pub(crate) fn err(code: ErrorCode, message: impl Into<String>) -> Error {
    Error::new(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_rules_are_unique() {
        let mut names = std::collections::BTreeSet::new();
        let mut rules = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert!(names.insert(code.as_str()), "duplicate name {code}");
            if let Some(rule) = code.rule() {
                assert!(rules.insert(rule), "duplicate rule {rule}");
            }
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(*code));
        }
    }
}
