//! The timestamp authority's chain (spec §4.4, §9 steps 7.4 and 8): built from the
//! token's certificates to a `tsa` trust-store root the way Go's `x509.Verify`
//! builds it, then held to the timestamping certificate profile.

use std::sync::Arc;

use const_oid::db::rfc5280;
use const_oid::ObjectIdentifier;
use x509_cert::ext::pkix::KeyUsages;

use crate::cert::{eku, oid_name, Cert, KeyKind};
use crate::chain_cache::Known;
use crate::error::{err, Error, ErrorCode};
use crate::time::Time;

/// Longest chain built (leaf and root included).
const MAX_DEPTH: usize = 8;
/// Most signature checks one path search may spend, as in Go.
const MAX_SIGNATURE_CHECKS: usize = 100;

/// Extensions Go's certificate parser understands; any other critical extension
/// makes `x509.Verify` fail.
const HANDLED: [ObjectIdentifier; 13] = [
    rfc5280::ID_CE_KEY_USAGE,
    rfc5280::ID_CE_BASIC_CONSTRAINTS,
    rfc5280::ID_CE_EXT_KEY_USAGE,
    rfc5280::ID_CE_SUBJECT_ALT_NAME,
    rfc5280::ID_CE_NAME_CONSTRAINTS,
    rfc5280::ID_CE_CERTIFICATE_POLICIES,
    rfc5280::ID_CE_POLICY_CONSTRAINTS,
    rfc5280::ID_CE_POLICY_MAPPINGS,
    rfc5280::ID_CE_INHIBIT_ANY_POLICY,
    rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
    rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS,
    rfc5280::ID_PE_AUTHORITY_INFO_ACCESS,
];

fn name(cert: &Cert) -> String {
    cert.subject_text()
}

/// `{0} "{subject of 1}"`, rendered only when an error message is written.
struct Named<'a>(&'static str, &'a Cert);

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} \"{}\"", self.0, name(self.1))
    }
}

/// Builds the chain from `signer` through `intermediates` (the token's
/// certificates) to one of `roots`, every certificate valid at `at` (genTime),
/// usable for timestamping along the whole chain. Failures are TSA-10.
pub(crate) fn build<'a>(
    signer: &'a Cert,
    intermediates: &'a [Cert],
    roots: &'a [Arc<Cert>],
    at: Time,
    known: &Known<'_>,
) -> Result<Vec<&'a Cert>, Error> {
    let fail = |reason: String| {
        err(
            ErrorCode::TimestampChainNotTrusted,
            format!("the timestamp authority's certificate chain does not reach a trusted tsa root: {reason}; add the TSA's root certificate to a tsa trust store of the policy"),
        )
    };
    check_valid(signer, at).map_err(fail)?;
    if roots.iter().any(|r| r.der == signer.der) {
        return Ok(vec![signer]);
    }
    let mut search = Search {
        intermediates,
        roots,
        at,
        known,
        checks: 0,
        last_error: None,
    };
    let mut path = vec![signer];
    match search.extend(&mut path) {
        Some(chain) => Ok(chain),
        None => Err(fail(search.last_error.unwrap_or_else(|| {
            format!(
                "no certificate in the token or the tsa trust stores issued \"{}\"",
                signer.issuer_text()
            )
        }))),
    }
}

struct Search<'a, 'k> {
    intermediates: &'a [Cert],
    roots: &'a [Arc<Cert>],
    at: Time,
    known: &'k Known<'k>,
    checks: usize,
    last_error: Option<String>,
}

impl<'a> Search<'a, '_> {
    /// Depth-first search for an issuer of the last certificate of `path`.
    fn extend(&mut self, path: &mut Vec<&'a Cert>) -> Option<Vec<&'a Cert>> {
        let current = *path.last()?;
        let roots = self.roots;
        for root in roots
            .iter()
            .filter(|r| r.subject_raw() == current.issuer_raw())
        {
            if self.issues(root, current) && self.usable_ca(root, path.len() - 1) {
                let mut chain = path.clone();
                chain.push(root);
                match timestamping_usage(&chain) {
                    Ok(()) => return Some(chain),
                    Err(reason) => self.last_error = Some(reason),
                }
            }
        }
        if path.len() + 1 >= MAX_DEPTH {
            self.last_error.get_or_insert_with(|| {
                format!("the chain is longer than {MAX_DEPTH} certificates")
            });
            return None;
        }
        let intermediates = self.intermediates;
        for candidate in intermediates
            .iter()
            .filter(|c| c.subject_raw() == current.issuer_raw())
        {
            if path.iter().any(|p| p.der == candidate.der) {
                continue;
            }
            if self.issues(candidate, current) && self.usable_ca(candidate, path.len() - 1) {
                path.push(candidate);
                if let Some(chain) = self.extend(path) {
                    return Some(chain);
                }
                path.pop();
            }
        }
        None
    }

    /// Whether `issuer` signed `cert` and may sign certificates.
    fn issues(&mut self, issuer: &Cert, cert: &Cert) -> bool {
        if self.checks >= MAX_SIGNATURE_CHECKS {
            self.last_error = Some(format!(
                "more than {MAX_SIGNATURE_CHECKS} signature checks were needed"
            ));
            return false;
        }
        self.checks += 1;
        if !issuer.is_ca() && (issuer.basic_constraints.is_some() || !issuer.extensions.is_empty())
        {
            self.last_error = Some(format!("\"{}\" is not a CA", name(issuer)));
            return false;
        }
        if issuer
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.value.0.contains(KeyUsages::KeyCertSign))
        {
            self.last_error = Some(format!(
                "\"{}\" may not sign certificates (Key Usage lacks keyCertSign)",
                name(issuer)
            ));
            return false;
        }
        match self.known.link(cert, issuer) {
            Ok(true) => true,
            Ok(false) => {
                self.last_error = Some(format!(
                    "the signature on \"{}\" does not verify with the key of \"{}\"",
                    name(cert),
                    name(issuer)
                ));
                false
            }
            Err(reason) => {
                self.last_error = Some(format!("\"{}\": {reason}", name(cert)));
                false
            }
        }
    }

    /// Go's checks of a CA placed above `below` intermediates.
    fn usable_ca(&mut self, ca: &Cert, below: usize) -> bool {
        if let Err(reason) = check_valid(ca, self.at) {
            self.last_error = Some(reason);
            return false;
        }
        if let Some(path_len) = ca
            .basic_constraints
            .as_ref()
            .and_then(|bc| bc.value.path_len_constraint)
        {
            if usize::from(path_len) < below {
                self.last_error = Some(format!("\"{}\" allows {path_len} intermediate CA(s) below it but the chain has {below}", name(ca)));
                return false;
            }
        }
        true
    }
}

/// Validity at `at` and no critical extension Go does not understand.
fn check_valid(cert: &Cert, at: Time) -> Result<(), String> {
    if at < cert.not_before || at > cert.not_after {
        return Err(format!(
            "\"{}\" is not valid at the timestamp's time {at}: it is valid from {} to {}",
            name(cert),
            cert.not_before,
            cert.not_after
        ));
    }
    if let Some(ext) = cert
        .extensions
        .iter()
        .find(|e| e.critical && !HANDLED.contains(&e.extn_id))
    {
        return Err(format!(
            "\"{}\" has an unsupported critical extension {}",
            name(cert),
            oid_name(&ext.extn_id)
        ));
    }
    Ok(())
}

/// Go's extended-key-usage rule along a chain: every certificate that restricts
/// its usage must allow timestamping. Name constraints are not evaluated, so a
/// chain whose CAs constrain names and whose leaf names subjects is refused.
fn timestamping_usage(chain: &[&Cert]) -> Result<(), String> {
    for cert in chain {
        if let Some(ekus) = &cert.ext_key_usage {
            if !ekus.value.is_empty()
                && !ekus
                    .value
                    .iter()
                    .any(|e| *e == eku::TIME_STAMPING || *e == eku::ANY)
            {
                return Err(format!(
                    "\"{}\" does not allow timestamping (Extended Key Usage)",
                    name(cert)
                ));
            }
        }
    }
    let leaf_has_names = chain[0]
        .extensions
        .iter()
        .any(|e| e.extn_id == rfc5280::ID_CE_SUBJECT_ALT_NAME);
    let constrained = chain[1..].iter().any(|c| {
        c.extensions
            .iter()
            .any(|e| e.extn_id == rfc5280::ID_CE_NAME_CONSTRAINTS)
    });
    if leaf_has_names && constrained {
        return Err(
            "a CA of the chain has name constraints, which this verifier does not evaluate".into(),
        );
    }
    Ok(())
}

/// The timestamping signing certificate's Extended Key Usage (RFC 3161 §2.3): exactly
/// one purpose, id-kp-timeStamping, in a critical extension. Failures are TSA-14.
pub(crate) fn check_timestamping_eku(cert: &Cert) -> Result<(), Error> {
    let bad = |detail: &str| {
        err(
            ErrorCode::TimestampCertificateEkuInvalid,
            format!("the timestamping certificate \"{}\" {detail}; RFC 3161 requires a critical Extended Key Usage with only timeStamping", name(cert)),
        )
    };
    match &cert.ext_key_usage {
        None => Err(bad("has no Extended Key Usage")),
        Some(ekus) if ekus.value.as_slice() != [eku::TIME_STAMPING] => Err(bad(
            "has an Extended Key Usage other than exactly timeStamping",
        )),
        Some(ekus) if !ekus.critical => Err(bad(
            "has an Extended Key Usage extension that is not critical",
        )),
        Some(_) => Ok(()),
    }
}

/// Validates a chain from [`build`] (signing certificate first, root last) against
/// the timestamping certificate profile (spec §4.4). Failures are TSA-15, or TSA-14
/// for the signing certificate's Extended Key Usage. `build` verified every link's
/// signature, so only self-signedness is checked here; the root's self-signature is
/// not verified again when the trust store verified it at load.
pub(crate) fn validate_profile(chain: &[&Cert], known: &Known<'_>) -> Result<(), Error> {
    let fail = |detail: String| {
        err(
            ErrorCode::TimestampChainProfileInvalid,
            format!("the timestamp authority's certificate chain violates the timestamping certificate profile: {detail}"),
        )
    };
    let Some(last) = chain.last() else {
        return Err(fail("the chain is empty".into()));
    };
    let self_signed = |cert: &Cert| {
        cert.is_self_issued()
            && (known.verified_root(cert) || known.verify_signed_by(cert, cert) == Ok(true))
    };
    let n = chain.len();
    for (i, cert) in chain[..n - 1].iter().enumerate() {
        if self_signed(cert) {
            return Err(fail(format!(
                "certificate {} (\"{}\") is self-signed but is not the root",
                i + 1,
                name(cert)
            )));
        }
    }
    if !self_signed(last) {
        return Err(fail(if n == 1 {
            format!(
                "the single certificate \"{}\" is not self-signed",
                name(last)
            )
        } else {
            format!("the root \"{}\" is not self-signed", name(last))
        }));
    }
    leaf_profile(chain[0]).map_err(fail)?;
    check_timestamping_eku(chain[0])?;
    for (i, cert) in chain.iter().enumerate().skip(1) {
        ca_profile(cert, i).map_err(fail)?;
    }
    Ok(())
}

fn leaf_profile(cert: &Cert) -> Result<(), String> {
    let what = Named("the timestamping certificate", cert);
    if cert.is_ca() {
        return Err(format!("{what} is a CA (Basic Constraints cA=true)"));
    }
    let Some(ku) = &cert.key_usage else {
        return Err(format!("{what} has no Key Usage extension"));
    };
    if !ku.value.0.contains(KeyUsages::DigitalSignature) {
        return Err(format!("{what} has a Key Usage without digitalSignature"));
    }
    const FORBIDDEN: [(KeyUsages, &str); 7] = [
        (KeyUsages::KeyEncipherment, "keyEncipherment"),
        (KeyUsages::DataEncipherment, "dataEncipherment"),
        (KeyUsages::KeyAgreement, "keyAgreement"),
        (KeyUsages::KeyCertSign, "keyCertSign"),
        (KeyUsages::CRLSign, "cRLSign"),
        (KeyUsages::EncipherOnly, "encipherOnly"),
        (KeyUsages::DecipherOnly, "decipherOnly"),
    ];
    if let Some((_, bit)) = FORBIDDEN.iter().find(|(bit, _)| ku.value.0.contains(*bit)) {
        return Err(format!("{what} has {bit} in its Key Usage"));
    }
    match cert.key {
        KeyKind::Rsa {
            bits: 2048 | 3072 | 4096,
        }
        | KeyKind::Ec(_) => Ok(()),
        ref other => Err(format!(
            "{what} has a {} key; RSA-2048/3072/4096 or EC P-256/P-384/P-521 is required",
            other.spec_name()
        )),
    }
}

fn ca_profile(cert: &Cert, index: usize) -> Result<(), String> {
    let what = Named("CA certificate", cert);
    let Some(bc) = cert.basic_constraints.as_ref().filter(|bc| bc.value.ca) else {
        return Err(format!(
            "{what} is not a CA (Basic Constraints cA=true is missing)"
        ));
    };
    if !bc.critical {
        return Err(format!(
            "{what} has a Basic Constraints extension that is not critical"
        ));
    }
    let Some(ku) = &cert.key_usage else {
        return Err(format!("{what} has no Key Usage extension"));
    };
    if !ku.value.0.contains(KeyUsages::KeyCertSign) {
        return Err(format!("{what} has a Key Usage without keyCertSign"));
    }
    if let Some(path_len) = bc.value.path_len_constraint {
        let below = index - 1;
        if usize::from(path_len) < below {
            return Err(format!(
                "{what} allows {path_len} CA certificate(s) below it but the chain has {below}"
            ));
        }
    }
    Ok(())
}
