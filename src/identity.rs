//! Trusted identities: `x509.subject` distinguished names parsed and matched the way
//! notation-go does it (spec 6.5), including Go's rendering of certificate subjects.
//!
//! notation-go never compares certificate subjects structurally. It renders the
//! signing certificate's subject with Go's `pkix.Name.String()`, parses that text
//! with go-ldap's RFC 4514 parser plus the Notary rules, and checks that some trusted
//! identity is a subset of the result. Both halves are reproduced here so that the
//! same leaves match (and fail) as with notation.

use std::borrow::Cow;
use std::collections::BTreeMap;

use der::asn1::AnyRef;
use der::{Encode, Tag};
#[cfg(test)]
use x509_cert::name::Name;

use crate::error::{err, Error, ErrorCode};

/// A parsed distinguished name: attribute type (case-sensitive, `S` renamed `ST`) to
/// value.
pub(crate) type Dn = BTreeMap<String, String>;

/// The trusted identity that accepts every signer whose chain reaches a trust store.
pub(crate) const WILDCARD: &str = "*";

/// The only identity prefix notation verifies itself; any other prefix (AWS Signer
/// ARNs, …) is left to the plugin that understands it.
const X509_SUBJECT: &str = "x509.subject";

/// The DN text of an `x509.subject:` trusted identity, trimmed of surrounding white
/// space; `None` when the identity has no `:` or another prefix.
///
/// The prefix must be exactly `x509.subject` (case-sensitive, no spaces), as in
/// notation-go.
pub(crate) fn x509_subject_value(identity: &str) -> Option<&str> {
    let (prefix, value) = identity.split_once(':')?;
    (prefix == X509_SUBJECT).then(|| value.trim())
}

/// Parses a distinguished name under the Notary rules of spec 6.5.
///
/// The error is a sentence naming the DN and what is wrong with it.
pub(crate) fn parse_dn(s: &str) -> Result<Dn, String> {
    if s.contains("=#") {
        return Err(format!(
            "distinguished name {s:?} contains \"=#\"; hex-encoded attribute values are not supported"
        ));
    }
    let rdns = parse_rdns(s)
        .map_err(|why| format!("distinguished name {s:?} is not valid RFC 4514 syntax: {why}"))?;
    let mut dn = Dn::new();
    for rdn in rdns {
        let mut attributes = rdn.into_iter();
        let (Some((attr_type, value)), None) = (attributes.next(), attributes.next()) else {
            return Err(format!(
                "distinguished name {s:?} has a multi-valued RDN ('+'); use one attribute per RDN"
            ));
        };
        let attr_type = if attr_type == "S" {
            "ST".to_owned()
        } else {
            attr_type
        };
        // notation-go only treats a repeated type as a duplicate when the earlier value
        // was non-empty; an empty earlier value is silently replaced.
        if dn
            .get(&attr_type)
            .is_some_and(|earlier| !earlier.is_empty())
        {
            return Err(format!(
                "distinguished name {s:?} has attribute {attr_type:?} more than once; each attribute type may appear only once"
            ));
        }
        dn.insert(attr_type, value);
    }
    for mandatory in ["C", "ST", "O"] {
        if dn.get(mandatory).is_none_or(String::is_empty) {
            return Err(format!(
                "distinguished name {s:?} has no {mandatory:?} attribute; 'C', 'ST' and 'O' are required (types are case-sensitive)"
            ));
        }
    }
    Ok(dn)
}

/// Whether every attribute of `identity` appears with the identical value in `leaf`.
///
/// As in notation-go, an attribute the leaf lacks counts as the empty value, so an
/// identity attribute with an empty value also matches a leaf without it.
pub(crate) fn is_subset(identity: &Dn, leaf: &Dn) -> bool {
    identity
        .iter()
        .all(|(attr_type, value)| leaf.get(attr_type).map_or("", String::as_str) == value)
}

/// Checks the signing certificate's subject against a statement's trusted identities
/// (verification step 6; spec 6.5).
///
/// `"*"` accepts any subject. Otherwise at least one `x509.subject` identity must be
/// a subset of the subject as rendered by Go ([`render_go`] of the leaf's subject)
/// and parsed under spec 6.5 ([`parse_dn`] of the rendering): `leaf` gives both,
/// and is only called when an identity is not `"*"`.
pub(crate) fn check_trusted_identity<'l>(
    identities: &[String],
    leaf: impl FnOnce() -> (&'l str, &'l Result<Dn, String>),
) -> Result<(), Error> {
    TrustedSubjects::parse(identities).check(leaf)
}

/// A statement's trusted identities read for [`check_trusted_identity`]: the
/// wildcard, or the `x509.subject` identities parsed, or why they cannot be used.
/// A verifier parses its statements' identities once, when it gets the policy.
#[derive(Debug, Clone)]
pub(crate) struct TrustedSubjects {
    wildcard: bool,
    /// Each `x509.subject` identity, verbatim, with its parsed DN.
    subjects: Result<Vec<(String, Dn)>, Error>,
}

impl TrustedSubjects {
    pub(crate) fn parse(identities: &[String]) -> Self {
        Self {
            wildcard: identities.iter().any(|identity| identity == WILDCARD),
            subjects: parse_subjects(identities),
        }
    }

    /// The check of [`check_trusted_identity`].
    pub(crate) fn check<'l>(
        &self,
        leaf: impl FnOnce() -> (&'l str, &'l Result<Dn, String>),
    ) -> Result<(), Error> {
        if self.wildcard {
            return Ok(());
        }
        let trusted = self.subjects.as_ref().map_err(Clone::clone)?;
        let (rendered, leaf) = leaf();
        let leaf = leaf.as_ref().map_err(|why| {
            err(
                ErrorCode::IdentityLeafSubjectUnparsable,
                format!(
                    "the signing certificate's subject {rendered:?} cannot be matched against x509.subject identities: {why}; only \"*\" can trust this certificate"
                ),
            )
        })?;
        if trusted.iter().any(|(_, dn)| is_subset(dn, leaf)) {
            return Ok(());
        }
        let names: Vec<&str> = trusted
            .iter()
            .map(|(identity, _)| identity.as_str())
            .collect();
        Err(err(
            ErrorCode::IdentityNotTrusted,
            format!(
                "the signing certificate's subject {rendered:?} matches none of the trusted identities {names:?}; an identity matches when each of its attributes appears in the subject with exactly the same value (case-sensitive)"
            ),
        ))
    }
}

/// The `x509.subject` identities of `identities`, parsed; the first unusable
/// identity, or the lack of any, is the error.
fn parse_subjects(identities: &[String]) -> Result<Vec<(String, Dn)>, Error> {
    let mut trusted = Vec::new();
    for identity in identities {
        if !identity.contains(':') {
            return Err(err(
                ErrorCode::PolicyIdentityInvalid,
                format!("trusted identity {identity:?} has no ':'; write it as x509.subject:<DN> or use \"*\""),
            ));
        }
        let Some(value) = x509_subject_value(identity) else {
            continue;
        };
        if value.is_empty() {
            return Err(err(
                ErrorCode::PolicyIdentityInvalid,
                format!("trusted identity {identity:?} has no distinguished name after \"x509.subject:\""),
            ));
        }
        let dn = parse_dn(value).map_err(|why| {
            err(
                ErrorCode::PolicyIdentityInvalid,
                format!("trusted identity {identity:?} is not usable: {why}"),
            )
        })?;
        trusted.push((identity.clone(), dn));
    }
    if trusted.is_empty() {
        return Err(err(
            ErrorCode::IdentityNoSubject,
            format!(
                "the trusted identities {identities:?} contain no \"x509.subject:\" identity, so the signing certificate's subject cannot be checked; add an x509.subject identity (or \"*\" to trust any signer of the trust stores)"
            ),
        ));
    }
    Ok(trusted)
}

// ---------------------------------------------------------------------------
// RFC 4514 parsing (go-ldap v3 `ParseDN`)
// ---------------------------------------------------------------------------

/// Splits `s` into RDNs of (type, value) pairs the way go-ldap's `ParseDN` does:
/// `,` and `;` end an RDN, `+` adds an attribute to it, `\` escapes the next byte.
fn parse_rdns(s: &str) -> Result<Vec<Vec<(String, String)>>, String> {
    let mut rdns = Vec::new();
    if s.trim().is_empty() {
        return Ok(rdns);
    }
    let mut rdn = Vec::new();
    let mut attr_type = String::new();
    let mut escaping = false;
    let mut start = 0;
    for (i, c) in s.bytes().enumerate() {
        if escaping {
            escaping = false;
            continue;
        }
        match c {
            b'\\' => escaping = true,
            // Only an '=' seen while the type is still empty starts the value; later
            // ones belong to the value. An empty decoded type keeps waiting (go-ldap).
            b'=' if attr_type.is_empty() => {
                attr_type = decode_string(&s[start..i])?;
                start = i + 1;
            }
            b',' | b'+' | b';' => {
                if attr_type.is_empty() {
                    return Err("an RDN has no attribute type (incomplete type=value pair)".into());
                }
                let value = decode_value(&s[start..i])?;
                rdn.push((std::mem::take(&mut attr_type), value));
                start = i + 1;
                if c != b'+' {
                    rdns.push(std::mem::take(&mut rdn));
                }
            }
            _ => {}
        }
    }
    if attr_type.is_empty() {
        return Err("the DN ends with an incomplete type=value pair".into());
    }
    let value = decode_value(&s[start..])?;
    rdn.push((attr_type, value));
    rdns.push(rdn);
    Ok(rdns)
}

fn decode_value(raw: &str) -> Result<String, String> {
    // go-ldap would read a '#'-prefixed value as hex BER; parse_dn already refuses
    // every string containing "=#", which is the only way to get here with one.
    if raw.starts_with('#') {
        return Err("hex-encoded attribute values are not supported".into());
    }
    decode_string(raw)
}

/// Trims unescaped leading/trailing spaces and decodes `\<special>` and `\XX` escapes.
fn decode_string(raw: &str) -> Result<String, String> {
    let stripped = strip_spaces(raw);
    if !stripped.contains('\\') {
        // Nothing escaped: the text as it is.
        return Ok(stripped.to_owned());
    }
    let bytes = stripped.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            None => return Err(format!("{raw:?} ends with an unfinished '\\' escape")),
            Some(
                &next @ (b' ' | b'"' | b'#' | b'+' | b',' | b';' | b'<' | b'=' | b'>' | b'\\'),
            ) => {
                out.push(next);
                i += 2;
            }
            Some(_) => {
                let byte = bytes
                    .get(i + 1..i + 3)
                    .and_then(|pair| Some(hex_digit(pair[0])? << 4 | hex_digit(pair[1])?))
                    .ok_or_else(|| {
                        format!("{raw:?} has an invalid escape; use \\ before one of ,+\"\\<>;=# or a space, or \\XX with two hex digits")
                    })?;
                out.push(byte);
                i += 3;
            }
        }
    }
    String::from_utf8(out)
        .map_err(|_| format!("the \\XX escapes of {raw:?} do not form valid UTF-8"))
}

/// Removes unescaped leading and trailing spaces (only U+0020, as go-ldap does). A
/// trailing space stays when an odd number of backslashes precedes it (it is escaped).
fn strip_spaces(raw: &str) -> &str {
    let start = raw.len() - raw.trim_start_matches(' ').len();
    let trimmed = raw.trim_matches(' ');
    let end = start + trimmed.len();
    if !trimmed.is_empty() && end < raw.len() {
        let backslashes = trimmed.bytes().rev().take_while(|&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            return &raw[start..=end];
        }
    }
    trimmed
}

fn hex_digit(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

// ---------------------------------------------------------------------------
// Go `pkix.Name.String()`
// ---------------------------------------------------------------------------

/// The nine attribute types Go parses into named `pkix.Name` fields, by the last arc
/// of `2.5.4.x`, in the order `Name.ToRDNSequence` emits them, with the short name
/// `RDNSequence.String` prints.
const GO_NAMED_TYPES: [(u8, &str); 9] = [
    (6, "C"),
    (8, "ST"),
    (7, "L"),
    (9, "STREET"),
    (17, "POSTALCODE"),
    (10, "O"),
    (11, "OU"),
    (3, "CN"),
    (5, "SERIALNUMBER"),
];

/// Last arc of an OID of the form `2.5.4.x` that Go names, as an index into
/// [`GO_NAMED_TYPES`].
fn go_named_type(oid: &[u8]) -> Option<usize> {
    match oid {
        [0x55, 0x04, arc] => GO_NAMED_TYPES.iter().position(|(a, _)| a == arc),
        _ => None,
    }
}

/// One attribute as Go sees it after parsing: a string (as Go's raw string bytes,
/// which can be invalid UTF-8 for T61String) or, where Go's parser would have
/// refused the certificate, the attribute's DER.
enum GoValue {
    Str(Vec<u8>),
    Der(Vec<u8>),
}

struct GoAttribute {
    oid: der::asn1::ObjectIdentifier,
    value: GoValue,
}

/// Renders a certificate name (its DER, as the certificate encodes it) exactly as
/// Go's `pkix.Name.String()` does for a certificate parsed by `crypto/x509`:
/// attributes of unnamed types first (each its own RDN, certificate order), then C,
/// ST, L, STREET, POSTALCODE, O, OU (all values of one type form one multi-valued
/// RDN), CN and SERIALNUMBER (last value only), the whole list printed in reverse
/// and joined by `,`.
///
/// Go refuses certificates whose name values are not strings; such values (which
/// x509-cert accepts) are printed as `OID=#hex` of their DER so that identity
/// matching fails closed on them. Attributes of a multi-valued RDN are visited in
/// DER SET order (the order x509-cert sorts them into), which is the certificate's
/// order whenever the certificate is DER-encoded.
pub(crate) fn render_go_der(name: &[u8]) -> String {
    // The names of a parsed certificate were checked when it was parsed.
    crate::x509::Name::checked_before(name)
        .map_or_else(|_| String::new(), |name| render_go_name(&name))
}

/// [`render_go_der`] for an x509-cert name.
#[cfg(test)]
pub(crate) fn render_go(name: &Name) -> String {
    render_go_der(&name.to_der().expect("a decoded name encodes"))
}

fn render_go_name(name: &crate::x509::Name<'_>) -> String {
    let mut extra: Vec<GoAttribute> = Vec::new();
    let mut fields: [Vec<Cow<'_, [u8]>>; 9] = Default::default();
    name.attributes(|oid, tag, bytes| {
        let value = go_string(tag, bytes);
        match (go_named_type(oid), value) {
            (Some(index), Some(text)) => {
                let (_, short) = GO_NAMED_TYPES[index];
                if short == "CN" || short == "SERIALNUMBER" {
                    fields[index].clear();
                }
                fields[index].push(text);
            }
            (_, value) => {
                // The OIDs of a parsed certificate's names were checked.
                if let Ok(oid) = der::asn1::ObjectIdentifier::from_bytes(oid) {
                    extra.push(GoAttribute {
                        oid,
                        value: value.map_or_else(
                            || GoValue::Der(any_der(tag, bytes)),
                            |text| GoValue::Str(text.into_owned()),
                        ),
                    });
                }
            }
        }
    });

    // The RDNs are the extra attributes, then the named fields in order; Go prints
    // them in reverse, joined by ",", the values of one RDN joined by "+".
    let mut out = String::new();
    let next_rdn = |out: &mut String| {
        if !out.is_empty() {
            out.push(',');
        }
    };
    for (index, values) in fields.iter().enumerate().rev() {
        let (_, short) = GO_NAMED_TYPES[index];
        let single = short == "CN" || short == "SERIALNUMBER";
        // Go drops an empty CN or SERIALNUMBER but keeps empty values of list fields.
        if values.is_empty() || (single && values[0].is_empty()) {
            continue;
        }
        next_rdn(&mut out);
        for (k, value) in values.iter().enumerate() {
            if k > 0 {
                out.push('+');
            }
            out.push_str(short);
            out.push('=');
            go_escape_into(&mut out, value);
        }
    }
    for attribute in extra.iter().rev() {
        next_rdn(&mut out);
        out.push_str(&render_extra(attribute));
    }
    out
}

/// `OID=#hex` with the DER Go's `asn1.Marshal` produces for the value, or
/// `OID=escaped` when Go cannot marshal it (a string that is not valid UTF-8).
fn render_extra(attribute: &GoAttribute) -> String {
    let oid = attribute.oid.to_string();
    match &attribute.value {
        GoValue::Der(der) => format!("{oid}=#{}", hex(der)),
        GoValue::Str(text) => match std::str::from_utf8(text) {
            Ok(s) => {
                // Go marshals a plain string as PrintableString when it can, else UTF8String.
                let tag = if s.bytes().all(is_printable) {
                    0x13
                } else {
                    0x0c
                };
                format!("{oid}=#{}", hex(&der_tlv(tag, text)))
            }
            Err(_) => format!("{oid}={}", go_escape(text)),
        },
    }
}

/// The value as Go's x509 parser returns it (`parseASN1String`), or `None` when Go
/// would refuse the certificate.
fn go_string(tag: Tag, bytes: &[u8]) -> Option<Cow<'_, [u8]>> {
    match tag {
        Tag::PrintableString
            if bytes
                .iter()
                .all(|&b| is_printable(b) || b == b'*' || b == b'&') =>
        {
            Some(Cow::Borrowed(bytes))
        }
        Tag::Utf8String if std::str::from_utf8(bytes).is_ok() => Some(Cow::Borrowed(bytes)),
        Tag::Ia5String if bytes.is_ascii() => Some(Cow::Borrowed(bytes)),
        Tag::NumericString if bytes.iter().all(|&b| b.is_ascii_digit() || b == b' ') => {
            Some(Cow::Borrowed(bytes))
        }
        Tag::TeletexString => Some(Cow::Borrowed(bytes)),
        Tag::BmpString if bytes.len() % 2 == 0 => {
            let bytes = bytes.strip_suffix(&[0, 0]).unwrap_or(bytes);
            let units = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
            let text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            Some(Cow::Owned(text.into_bytes()))
        }
        _ => None,
    }
}

/// Go's `asn1` PrintableString alphabet (without the `*`/`&` leniency).
fn is_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b' ' | b'\'' | b'(' | b')' | b'+' | b',' | b'-' | b'.' | b'/' | b':' | b'=' | b'?'
        )
}

/// Escapes a value like Go's `RDNSequence.String`: `,+"\<>;` always, a space at the
/// first or last byte, `#` at the first byte. Invalid UTF-8 becomes U+FFFD per byte,
/// as Go's `range` over a string does.
fn go_escape(value: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    go_escape_into(&mut out, value);
    out
}

/// [`go_escape`] appending to `out`.
fn go_escape_into(out: &mut String, value: &[u8]) {
    let last = value.len().saturating_sub(1);
    // Whether the character at byte offset `k` is escaped.
    let needs_escape = |k: usize, c: char| match c {
        ',' | '+' | '"' | '\\' | '<' | '>' | ';' => true,
        ' ' => k == 0 || k == last,
        '#' => k == 0,
        _ => false,
    };
    match std::str::from_utf8(value) {
        // Every character escaped is ASCII, so the text between two of them is
        // copied whole.
        Ok(text) => {
            let mut copied = 0;
            for (k, &b) in text.as_bytes().iter().enumerate() {
                if needs_escape(k, b as char) {
                    out.push_str(&text[copied..k]);
                    out.push('\\');
                    copied = k;
                }
            }
            out.push_str(&text[copied..]);
        }
        Err(_) => go_chars(value).into_iter().for_each(|(k, c)| {
            if needs_escape(k, c) {
                out.push('\\');
            }
            out.push(c);
        }),
    }
}

/// Decodes bytes the way Go's `for k, c := range s` does: byte offset and char, one
/// U+FFFD per invalid byte.
fn go_chars(bytes: &[u8]) -> Vec<(usize, char)> {
    let mut chars = Vec::with_capacity(bytes.len());
    let mut offset = 0;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        let valid = match std::str::from_utf8(rest) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
        };
        chars.extend(valid.char_indices().map(|(k, c)| (offset + k, c)));
        offset += valid.len();
        if offset < bytes.len() {
            chars.push((offset, char::REPLACEMENT_CHARACTER));
            offset += 1;
        }
    }
    chars
}

fn any_der(tag: Tag, bytes: &[u8]) -> Vec<u8> {
    // Re-encoding a value decoded from a certificate cannot fail; were it to, the
    // attribute still renders as `OID=#`, which identity matching refuses.
    AnyRef::new(tag, bytes)
        .and_then(|value| value.to_der())
        .unwrap_or_default()
}

/// A DER TLV with a single-byte tag and a minimal definite length.
fn der_tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 6);
    out.push(tag);
    match u8::try_from(body.len()) {
        Ok(len) if len < 0x80 => out.push(len),
        _ => {
            let len = body.len().to_be_bytes();
            let skip = len.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | u8::try_from(len.len() - skip).unwrap_or(0));
            out.extend_from_slice(&len[skip..]);
        }
    }
    out.extend_from_slice(body);
    out
}

fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {

    /// The character-by-character escaping [`go_escape_into`] replaced.
    fn go_escape_by_char(value: &[u8]) -> String {
        let last = value.len().saturating_sub(1);
        let mut out = String::new();
        for (k, c) in go_chars(value) {
            let escape = match c {
                ',' | '+' | '"' | '\\' | '<' | '>' | ';' => true,
                ' ' => k == 0 || k == last,
                '#' => k == 0,
                _ => false,
            };
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn go_escape_copies_runs_as_it_escaped_characters() {
        const PIECES: [&str; 14] = [
            ",",
            "+",
            "\"",
            "\\",
            "<",
            ">",
            ";",
            " ",
            "#",
            "a",
            "Zz",
            "é",
            "\u{a0}",
            "\u{1F600}",
        ];
        let mut next = crate::test_rng::xorshift(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let len = (next() % 8) as usize;
            let mut value: Vec<u8> = (0..len)
                .flat_map(|_| PIECES[(next() % 14) as usize].bytes())
                .collect();
            if next() % 4 == 0 && !value.is_empty() {
                let at = (next() as usize) % value.len();
                value[at] = 0x80 | next() as u8;
            }
            assert_eq!(go_escape(&value), go_escape_by_char(&value), "{value:02x?}");
        }
    }
    use super::*;
    use der::asn1::{Any, ObjectIdentifier, SetOfVec};
    use der::Decode;
    use x509_cert::attr::AttributeTypeAndValue;
    use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
    use x509_cert::Certificate;

    const VECTORS: &str = "/work/shared/vectors";

    /// notation-go verifier/testdata/verifier/signing-cert.pem (Apache-2.0).
    const SIGNING_CERT_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIDozCCAougAwIBAgIUA5HjR8ZgidbFgL8NLsFXPd6iDBEwDQYJKoZIhvcNAQEL
BQAwYDELMAkGA1UEBhMCVVMxCzAJBgNVBAgMAldBMRAwDgYDVQQHDAdTZWF0dGxl
MRAwDgYDVQQKDAdTb21lT3JnMQ8wDQYDVQQLDAZTb21lT1UxDzANBgNVBAMMBlNv
bWVDTjAgFw0yMjA2MTMwNDQ2MjNaGA8yMTIyMDUyMDA0NDYyM1owYDELMAkGA1UE
BhMCVVMxCzAJBgNVBAgMAldBMRAwDgYDVQQHDAdTZWF0dGxlMRAwDgYDVQQKDAdT
b21lT3JnMQ8wDQYDVQQLDAZTb21lT1UxDzANBgNVBAMMBlNvbWVDTjCCASIwDQYJ
KoZIhvcNAQEBBQADggEPADCCAQoCggEBALyAm8sfyY6zhixbAJu8/nNJzMnxO4zA
XDeE8V1bCB6N1WR/V4vbZY3wCDdG+M/gsexNgaqrNUaEp4OjmwWp7h4d86ReoVRf
uvfiDXfWAq/y4KtjdlAzkd/q4JhgUc7oI9YnDTVFXvi9yxBRDIXF/nNW6yS4iul7
fpj0iDBWR5tlOI3bvJLM4mX6MxIzGUNjLB4PN3kO3vH3wfhLI1XFO+6y5Rr+QzcY
B2R8tPfQG2y2mMx06Ee7Jov/li4FtMJMe9ziSeSE3JGJ/gXQvSi4PTfYA/FNW2Sz
2eb9TMjGoskfPd47wSvBZrKoV6/pm9vGsu5Givr8mPQHN8QDvURUTpcCAwEAAaNT
MFEwHQYDVR0OBBYEFEDMH1VsIikMGD104MmzA8G8YLopMB8GA1UdIwQYMBaAFEDM
H1VsIikMGD104MmzA8G8YLopMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQEL
BQADggEBAKiVQWOxF8rNr/Jj2iCYofUJ4g7o4Mq00bx4Ei4nZc+PqgXvDatE07+N
V7GgO9chgvEbSwOVfX1tALjwvcHdDeYdcnxskTpMdMUOvPaFN6vZ5tiJPiZvcupv
kkINd9L7w7cS8NaG+MTbjkC890ZuAPG+id5G+u9MQYPdOWJlOqNVWgoDAK/L4949
5HHZWfAFv0ieig4S568ZvInDE0X+A96KC0FRubtc/uckQYCzALggM4NO6I4TMtkJ
ZRcPkV0A7g/tr8nBQvjQK81S/d9z1ivjvSinAm2zJY1naQWjLfQU74pjbGLwxA9a
qCPKeDbrkBdwkxcGEBr1OocdN0gdUZQ=
-----END CERTIFICATE-----
";

    /// The first certificate of a PEM or DER file.
    fn certificate(bytes: &[u8]) -> Certificate {
        let der = match std::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN CERTIFICATE-----") => {
                let body: String = text
                    .split("-----BEGIN CERTIFICATE-----")
                    .nth(1)
                    .and_then(|rest| rest.split("-----END CERTIFICATE-----").next())
                    .unwrap()
                    .split_whitespace()
                    .collect();
                <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body).unwrap()
            }
            _ => bytes.to_vec(),
        };
        Certificate::from_der(&der).unwrap()
    }

    fn vectors_present() -> bool {
        let present = std::path::Path::new(VECTORS).is_dir();
        if !present {
            println!("skipped: {VECTORS} is not present");
        }
        present
    }

    const C: &str = "2.5.4.6";
    const ST: &str = "2.5.4.8";
    const L: &str = "2.5.4.7";
    const O: &str = "2.5.4.10";
    const OU: &str = "2.5.4.11";
    const CN: &str = "2.5.4.3";
    const SERIAL: &str = "2.5.4.5";
    const STREET: &str = "2.5.4.9";
    const POSTAL: &str = "2.5.4.17";
    const EMAIL: &str = "1.2.840.113549.1.9.1";
    const DC: &str = "0.9.2342.19200300.100.1.25";

    fn atv(oid: &str, tag: Tag, value: &[u8]) -> AttributeTypeAndValue {
        AttributeTypeAndValue {
            oid: ObjectIdentifier::new_unwrap(oid),
            value: Any::new(tag, value).unwrap(),
        }
    }

    fn utf8(oid: &str, value: &str) -> AttributeTypeAndValue {
        atv(oid, Tag::Utf8String, value.as_bytes())
    }

    /// A name of single-attribute RDNs, in certificate (DER) order.
    fn name(attributes: Vec<AttributeTypeAndValue>) -> Name {
        multi(attributes.into_iter().map(|a| vec![a]).collect())
    }

    fn multi(rdns: Vec<Vec<AttributeTypeAndValue>>) -> Name {
        RdnSequence(
            rdns.into_iter()
                .map(|rdn| RelativeDistinguishedName(SetOfVec::try_from(rdn).unwrap()))
                .collect(),
        )
    }

    fn base(extra: Vec<AttributeTypeAndValue>) -> Name {
        let mut attributes = vec![utf8(C, "US"), utf8(ST, "WA"), utf8(O, "acme")];
        attributes.extend(extra);
        name(attributes)
    }

    fn dn(pairs: &[(&str, &str)]) -> Dn {
        pairs
            .iter()
            .map(|(t, v)| ((*t).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn x509_subject_prefix() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "x509.subject: C=US, ST=WA, O=acme ",
                Some("C=US, ST=WA, O=acme"),
            ),
            ("x509.subject:C=US", Some("C=US")),
            ("x509.subject:", Some("")),
            ("x509.subject:\t ", Some("")),
            ("x509.subject C=US", None),
            ("X509.subject:C=US", None),
            ("x509.subject :C=US", None),
            (
                "arn:aws:signer:us-east-2:111122223333:/signing-profiles/p",
                None,
            ),
            ("*", None),
        ];
        for (identity, expected) in cases {
            assert_eq!(x509_subject_value(identity), *expected, "{identity}");
        }
    }

    #[test]
    fn parse_dn_accepts() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "C=US,ST=WA,O=acme",
                &[("C", "US"), ("ST", "WA"), ("O", "acme")],
            ),
            (
                " C = US ; ST=WA,  O=acme Inc. ",
                &[("C", "US"), ("ST", "WA"), ("O", "acme Inc.")],
            ),
            (
                "C=US,S=WA,O=acme",
                &[("C", "US"), ("ST", "WA"), ("O", "acme")],
            ),
            (
                r"C=US,ST=WA,O=\ a\ ",
                &[("C", "US"), ("ST", "WA"), ("O", " a ")],
            ),
            (
                r"C=US,ST=WA,O=a\\ ",
                &[("C", "US"), ("ST", "WA"), ("O", r"a\")],
            ),
            (
                r"C=US,ST=WA,O=\41cme,L=\c3\a9",
                &[("C", "US"), ("ST", "WA"), ("O", "Acme"), ("L", "é")],
            ),
            (
                "C=US,ST=WA,O=a=b",
                &[("C", "US"), ("ST", "WA"), ("O", "a=b")],
            ),
            (
                "C=US,ST=WA,O=,O=acme",
                &[("C", "US"), ("ST", "WA"), ("O", "acme")],
            ),
            (
                "C=US,ST=WA,O=acme,OU=",
                &[("C", "US"), ("ST", "WA"), ("O", "acme"), ("OU", "")],
            ),
            (
                "CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US",
                &[
                    ("CN", "Notation Test Root"),
                    ("O", "Notary"),
                    ("L", "Seattle"),
                    ("ST", "WA"),
                    ("C", "US"),
                ],
            ),
            (
                "C=US,ST=WA,O=acme,emailAddress=a@b.c",
                &[
                    ("C", "US"),
                    ("ST", "WA"),
                    ("O", "acme"),
                    ("emailAddress", "a@b.c"),
                ],
            ),
        ];
        for (text, expected) in cases {
            let parsed = parse_dn(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed, dn(expected), "{text}");
        }
    }

    #[test]
    fn parse_dn_decodes_specials() {
        let parsed = parse_dn(r#"C=US,ST=WA,O=a\,b\+c\;d\<e\>f\=g\#h\\i\"j"#).unwrap();
        assert_eq!(parsed["O"], r#"a,b+c;d<e>f=g#h\i"j"#);
    }

    #[test]
    fn parse_dn_rejects() {
        let cases: &[(&str, &str)] = &[
            ("C=US,ST=WA,O=acme,CN=a=#41", "=#"),
            ("C=US,ST=WA,O=#0403616263", "=#"),
            ("c=US,ST=WA,O=acme", "\"C\""),
            ("C=US,O=acme", "\"ST\""),
            ("C=US,ST=WA", "\"O\""),
            ("C=US,ST=WA,O=", "\"O\""),
            ("", "\"C\""),
            ("   ", "\"C\""),
            ("C=US,ST=WA,O=acme+OU=x", "multi-valued"),
            ("C=US,ST=WA,O=a,O=b", "more than once"),
            ("C=US,ST=WA,ST=OR,O=a", "more than once"),
            ("C=US,ST=WA,S=OR,O=a", "more than once"),
            ("C=US,ST=WA,O=acme\\", "unfinished"),
            ("C=US,ST=WA,O=ac\\zz", "invalid escape"),
            ("C=US,ST=WA,O=ac\\4", "invalid escape"),
            ("C=US,ST=WA,O=\\ff", "UTF-8"),
            ("C=US,ST=WA,O", "incomplete"),
            ("C=US,,ST=WA,O=x", "incomplete"),
            ("C=US,ST=WA,O=x,", "incomplete"),
            (r"C=US,ST=WA,O=a\u0022", "invalid escape"),
        ];
        for (text, needle) in cases {
            let why = parse_dn(text).expect_err(text);
            assert!(why.contains(needle), "{text}: {why}");
        }
    }

    #[test]
    fn subset_matching() {
        let leaf = dn(&[("C", "US"), ("ST", "WA"), ("O", "acme"), ("CN", "signer")]);
        assert!(is_subset(
            &dn(&[("C", "US"), ("ST", "WA"), ("O", "acme")]),
            &leaf
        ));
        assert!(is_subset(&leaf, &leaf));
        assert!(!is_subset(
            &dn(&[("C", "us"), ("ST", "WA"), ("O", "acme")]),
            &leaf
        ));
        assert!(!is_subset(
            &dn(&[("C", "US"), ("ST", "WA"), ("O", "acme"), ("OU", "x")]),
            &leaf
        ));
        // notation-go quirk: an empty identity value matches an absent leaf attribute.
        assert!(is_subset(&dn(&[("C", "US"), ("OU", "")]), &leaf));
        assert!(!is_subset(&dn(&[("CN", "")]), &leaf));
    }

    #[test]
    fn render_go_synthetic() {
        let long = "a".repeat(200);
        let long_der = format!("{DC}=#1381c8{}", "61".repeat(200));
        let cases: Vec<(Name, String)> = vec![
            (
                name(vec![
                    utf8(C, "US"),
                    utf8(ST, "WA"),
                    utf8(L, "Seattle"),
                    utf8(O, "Notary"),
                    utf8(CN, "Notation Test Root"),
                ]),
                "CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US".into(),
            ),
            (
                name(vec![
                    utf8(CN, "AWS Signer"),
                    utf8(C, "US"),
                    utf8(OU, "AWS Cryptography"),
                    utf8(L, "Seattle"),
                    utf8(O, "AWS"),
                    utf8(ST, "WA"),
                ]),
                "CN=AWS Signer,OU=AWS Cryptography,O=AWS,L=Seattle,ST=WA,C=US".into(),
            ),
            (
                name(vec![
                    utf8(SERIAL, "42"),
                    utf8(POSTAL, "98101"),
                    utf8(STREET, "1 Main St"),
                    utf8(CN, "x"),
                    utf8(OU, "u"),
                    utf8(O, "o"),
                    utf8(L, "l"),
                    utf8(ST, "s"),
                    utf8(C, "c"),
                ]),
                "SERIALNUMBER=42,CN=x,OU=u,O=o,POSTALCODE=98101,STREET=1 Main St,L=l,ST=s,C=c"
                    .into(),
            ),
            (
                base(vec![
                    utf8(CN, " lead"),
                    utf8(OU, "trail "),
                    utf8(L, "#hash# x"),
                ]),
                r"CN=\ lead,OU=trail\ ,O=acme,L=\#hash# x,ST=WA,C=US".into(),
            ),
            (
                base(vec![utf8(CN, r#"a,b+c"d\e<f>g;h=i"#)]),
                r#"CN=a\,b\+c\"d\\e\<f\>g\;h=i,O=acme,ST=WA,C=US"#.into(),
            ),
            (base(vec![utf8(CN, " ")]), r"CN=\ ,O=acme,ST=WA,C=US".into()),
            // Values of one list type form one multi-valued RDN; CN keeps the last value.
            (
                base(vec![
                    utf8(OU, "a"),
                    utf8(CN, "first"),
                    utf8(OU, "b"),
                    utf8(CN, "last"),
                ]),
                "CN=last,OU=a+OU=b,O=acme,ST=WA,C=US".into(),
            ),
            (
                multi(vec![
                    vec![utf8(C, "US")],
                    vec![utf8(O, "x"), utf8(OU, "y")],
                    vec![utf8(O, "z"), utf8(ST, "WA")],
                ]),
                "OU=y,O=x+O=z,ST=WA,C=US".into(),
            ),
            // Empty CN is dropped, empty list values are kept.
            (
                name(vec![
                    utf8(C, ""),
                    utf8(ST, "WA"),
                    utf8(O, "acme"),
                    utf8(CN, ""),
                ]),
                "O=acme,ST=WA,C=".into(),
            ),
            (name(vec![utf8(CN, "x"), utf8(CN, "")]), String::new()),
            // Unnamed types come first in Go's list, so they print last, as OID=#DER.
            (
                base(vec![
                    atv(EMAIL, Tag::Ia5String, b"a@b.c"),
                    atv(DC, Tag::Ia5String, b"example"),
                ]),
                format!("O=acme,ST=WA,C=US,{DC}=#13076578616d706c65,{EMAIL}=#0c056140622e63"),
            ),
            (
                name(vec![atv(DC, Tag::Ia5String, b"a*b&c")]),
                format!("{DC}=#0c05612a622663"),
            ),
            (
                name(vec![atv(DC, Tag::Utf8String, "é".as_bytes())]),
                format!("{DC}=#0c02c3a9"),
            ),
            (
                name(vec![atv(DC, Tag::PrintableString, long.as_bytes())]),
                long_der,
            ),
            // String types Go decodes.
            (
                name(vec![
                    atv(C, Tag::PrintableString, b"US"),
                    atv(ST, Tag::TeletexString, b"WA"),
                    atv(O, Tag::BmpString, &[0, b'a', 0, 0xe9, 0, 0]),
                    atv(OU, Tag::Ia5String, b"x@y"),
                    atv(SERIAL, Tag::NumericString, b"12 3"),
                    atv(CN, Tag::PrintableString, b"*.example & co"),
                ]),
                "SERIALNUMBER=12 3,CN=*.example & co,OU=x@y,O=aé,ST=WA,C=US".into(),
            ),
            // A T61String that is not UTF-8: U+FFFD per invalid byte; unmarshalable as an
            // unnamed type, so printed escaped instead of as hex.
            (
                name(vec![
                    atv(CN, Tag::TeletexString, b"a\xe9\xe9 "),
                    atv(EMAIL, Tag::TeletexString, b"\xff,"),
                ]),
                format!("CN=a\u{fffd}\u{fffd}\\ ,{EMAIL}=\u{fffd}\\,"),
            ),
            // Values Go's parser refuses render as OID=#DER, even for named types.
            (
                base(vec![
                    atv(CN, Tag::Integer, &[5]),
                    atv(OU, Tag::PrintableString, b"a@b"),
                    atv(L, Tag::Utf8String, b"\xff"),
                ]),
                "O=acme,ST=WA,C=US,2.5.4.7=#0c01ff,2.5.4.11=#1303614062,2.5.4.3=#020105".into(),
            ),
            (
                name(vec![atv(O, Tag::BmpString, &[0, b'a', 0])]),
                "2.5.4.10=#1e03006100".into(),
            ),
            (
                name(vec![atv(O, Tag::NumericString, b"12a")]),
                "2.5.4.10=#1203313261".into(),
            ),
            (
                name(vec![atv(O, Tag::Ia5String, "é".as_bytes())]),
                "2.5.4.10=#1602c3a9".into(),
            ),
            (RdnSequence(Vec::new()), String::new()),
        ];
        for (subject, expected) in cases {
            assert_eq!(render_go(&subject), expected);
        }
    }

    #[test]
    fn render_go_embedded_certificate() {
        let cert = certificate(SIGNING_CERT_PEM.as_bytes());
        assert_eq!(
            render_go(&cert.tbs_certificate.subject),
            "CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US"
        );
    }

    #[test]
    fn render_go_vector_certificates() {
        if !vectors_present() {
            return;
        }
        let cases = [
            ("notation-go/verifier/testdata/truststore/x509/ca/valid-trust-store/NotationTestRoot.pem", "CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US"),
            ("notation-go/verifier/testdata/truststore/x509/ca/valid-trust-store/GlobalSign.der", "CN=GlobalSign,OU=GlobalSign Root CA - R3,O=GlobalSign"),
            ("notation-go/verifier/testdata/truststore/x509/ca/valid-trust-store/wabbit-networks.io.crt", "CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US"),
            ("notation-go/verifier/testdata/verifier/bad-cert.pem", "CN=Bad=#CN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US"),
            ("derived/alpine-self-signed.pem", "CN=alpine,O=Notary,L=Seattle,ST=WA,C=US"),
            ("derived/wabbit-networks-2023.pem", "CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US"),
            ("notation-core-go/x509/testdata/timestamp_leaf.crt", r"CN=DigiCert Timestamp 2023,O=DigiCert\, Inc.,C=US"),
            ("notation-core-go/x509/testdata/timestamp_root.crt", "CN=DigiCert Trusted Root G4,OU=www.digicert.com,O=DigiCert Inc,C=US"),
            ("extra/notation-cli/config/localkeys/new_e2e.crt", "O=Internet Widgits Pty Ltd,ST=Some-State,C=AU"),
            ("extra/aws-signer/roots/bottlerocket-core-kit_aws-signer-notation-root.crt", "CN=AWS Signer Code Signing Root CA G1,OU=Cryptography,O=AWS,ST=WA,C=US"),
            ("extra/aws-signer/roots/bottlerocket-core-kit_aws-us-gov-signer-notation-root.crt", "CN=AWS Signer Code Signing GovCloud (US) Root CA G1,OU=Cryptography,O=AWS,ST=WA,C=US"),
        ];
        for (path, expected) in cases {
            let bytes = std::fs::read(format!("{VECTORS}/{path}")).unwrap();
            let cert = certificate(&bytes);
            assert_eq!(render_go(&cert.tbs_certificate.subject), expected, "{path}");
        }
        for path in ["/work/shared/certs/aws-signer-notation-root.crt"] {
            if let Ok(bytes) = std::fs::read(path) {
                assert_eq!(
                    render_go(&certificate(&bytes).tbs_certificate.subject),
                    "CN=AWS Signer Code Signing Root CA G1,OU=Cryptography,O=AWS,ST=WA,C=US"
                );
            }
        }
    }

    fn check_name(identities: &[String], subject: &Name) -> Result<(), Error> {
        let rendered = render_go(subject);
        let parsed = parse_dn(&rendered);
        check_trusted_identity(identities, || (&rendered, &parsed))
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn check(identities: &[&str], subject: &Name) -> Result<(), ErrorCode> {
        check_name(&ids(identities), subject).map_err(|e| e.code())
    }

    #[test]
    fn trusted_identity_matches() {
        let leaf = base(vec![utf8(L, "Seattle"), utf8(CN, "signer")]);
        assert_eq!(check(&["*"], &leaf), Ok(()));
        assert_eq!(check(&["*"], &RdnSequence(Vec::new())), Ok(()));
        assert_eq!(check(&["x509.subject: C=US, ST=WA, O=acme"], &leaf), Ok(()));
        assert_eq!(
            check(
                &["x509.subject:O=acme,ST=WA,C=US,CN=signer,L=Seattle"],
                &leaf
            ),
            Ok(())
        );
        assert_eq!(
            check(
                &[
                    "x509.subject:C=US,ST=WA,O=other",
                    "arn:aws:signer:::/x",
                    "x509.subject:C=US,S=WA,O=acme"
                ],
                &leaf
            ),
            Ok(())
        );
    }

    #[test]
    fn ident_01_no_subject() {
        let leaf = base(vec![]);
        for identities in [
            &["arn:aws:signer:us-east-2:111122223333:/signing-profiles/p"][..],
            &[
                "nonX509Prefix:my-custom-identity",
                "X509.subject:C=US,ST=WA,O=acme",
            ][..],
            &[][..],
        ] {
            assert_eq!(
                check(identities, &leaf),
                Err(ErrorCode::IdentityNoSubject),
                "{identities:?}"
            );
        }
    }

    #[test]
    fn ident_02_leaf_subject_unparsable() {
        let identity = ["x509.subject:C=US,ST=WA,O=acme"];
        let leaves = [
            base(vec![atv(EMAIL, Tag::Ia5String, b"a@b.c")]),
            base(vec![utf8(O, "second")]),
            base(vec![utf8(CN, "Bad=#CN")]),
            name(vec![utf8(C, "US"), utf8(O, "acme")]),
            name(vec![utf8(C, "US"), utf8(ST, "WA"), utf8(CN, "x")]),
            base(vec![atv(CN, Tag::Integer, &[1])]),
            RdnSequence(Vec::new()),
        ];
        for leaf in &leaves {
            let e = check_name(&ids(&identity), leaf).unwrap_err();
            assert_eq!(
                e.code(),
                ErrorCode::IdentityLeafSubjectUnparsable,
                "{}",
                e.message()
            );
            assert!(e.message().contains(&render_go(leaf)), "{}", e.message());
        }
    }

    #[test]
    fn ident_03_not_trusted() {
        let leaf = base(vec![utf8(CN, "signer")]);
        let cases: &[&[&str]] = &[
            &["x509.subject:C=US,ST=WA,O=other"],
            &["x509.subject:C=US,ST=WA,O=ACME"],
            &["x509.subject:C=US,ST=WA,O=acme,CN=other"],
            &["x509.subject:C=US,ST=WA,O=acme,L=Seattle"],
            &["x509.subject:C=US,ST=WA,CN=signer\\ ,O=acme"],
            &[
                "x509.subject:C=IND,O=SomeOrg,ST=TS",
                "nonX509Prefix:my-custom-identity",
            ],
        ];
        for identities in cases {
            let e = check_name(&ids(identities), &leaf).unwrap_err();
            assert_eq!(e.code(), ErrorCode::IdentityNotTrusted, "{identities:?}");
            assert!(
                e.message().contains("CN=signer,O=acme,ST=WA,C=US"),
                "{}",
                e.message()
            );
        }
    }

    #[test]
    fn malformed_identity_at_check_time() {
        let leaf = base(vec![]);
        for identity in [
            "x509.subject:",
            "x509.subject:C=bad=#identity,O=LOL,ST=LOL",
            "no-separator",
        ] {
            assert_eq!(
                check(&[identity], &leaf),
                Err(ErrorCode::PolicyIdentityInvalid),
                "{identity}"
            );
        }
    }

    /// The notation-go cases of `TestVerifyX509TrustedIdentities`, with the embedded
    /// signing certificate.
    #[test]
    fn notation_go_cases_embedded() {
        let leaf = certificate(SIGNING_CERT_PEM.as_bytes())
            .tbs_certificate
            .subject;
        let bad_leaf = name(vec![
            utf8(C, "US"),
            utf8(ST, "WA"),
            utf8(L, "Seattle"),
            utf8(CN, "Bad=#CN"),
            utf8(OU, "SomeOU"),
            utf8(O, "SomeOrg"),
        ]);
        assert_eq!(
            render_go(&bad_leaf),
            "CN=Bad=#CN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US"
        );
        let cases: &[(&[&str], &Name, Result<(), ErrorCode>)] = &[
            (&["x509.subject:C=US,O=SomeOrg,ST=WA"], &leaf, Ok(())),
            (
                &[
                    "x509.subject:C=US,O=SomeOrg,ST=WA",
                    "nonX509Prefix:my-custom-identity",
                ],
                &leaf,
                Ok(()),
            ),
            (
                &[
                    "x509.subject:C=US,O=SomeOrg,ST=WA",
                    "x509.subject:C=IND,O=SomeOrg,ST=TS",
                ],
                &leaf,
                Ok(()),
            ),
            (
                &["nonX509Prefix:my-custom-identity"],
                &leaf,
                Err(ErrorCode::IdentityNoSubject),
            ),
            (&["*"], &leaf, Ok(())),
            (
                &["x509.subject:C=IND,O=SomeOrg,ST=TS"],
                &leaf,
                Err(ErrorCode::IdentityNotTrusted),
            ),
            (
                &[
                    "x509.subject:C=IND,O=SomeOrg,ST=TS",
                    "nonX509Prefix:my-custom-identity",
                ],
                &leaf,
                Err(ErrorCode::IdentityNotTrusted),
            ),
            (
                &[
                    "x509.subject:C=IND,O=SomeOrg,ST=TS",
                    "x509.subject:C=LOL,O=LOL,ST=LOL",
                ],
                &leaf,
                Err(ErrorCode::IdentityNotTrusted),
            ),
            (
                &["x509.subject:C=bad=#identity,O=LOL,ST=LOL"],
                &leaf,
                Err(ErrorCode::PolicyIdentityInvalid),
            ),
            (
                &[
                    "x509.subject:C=US,O=SomeOrg,ST=WA",
                    "nonX509Prefix:my-custom-identity",
                ],
                &bad_leaf,
                Err(ErrorCode::IdentityLeafSubjectUnparsable),
            ),
        ];
        for (i, (identities, subject, expected)) in cases.iter().enumerate() {
            assert_eq!(check(identities, subject), *expected, "case {i}");
        }
    }

    /// `trusted_identity_vectors` of the shared vector manifest.
    #[test]
    fn trusted_identity_vectors() {
        if !vectors_present() {
            return;
        }
        let manifest = std::fs::read(format!("{VECTORS}/extra/manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
        let vectors = manifest["trusted_identity_vectors"].as_array().unwrap();
        assert_eq!(vectors.len(), 10);
        for vector in vectors {
            let basis = vector["basis"].as_str().unwrap();
            let cert = std::fs::read(format!(
                "{VECTORS}/extra/{}",
                vector["signing_cert_file"].as_str().unwrap()
            ))
            .unwrap();
            let subject = certificate(&cert).tbs_certificate.subject;
            let identities: Vec<String> = vector["trusted_identities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect();
            let result = check_name(&identities, &subject).map_err(|e| e.code());
            let expected = match basis.rsplit(' ').next().unwrap() {
                "3" => Err(ErrorCode::IdentityNoSubject),
                "5" | "6" | "7" => Err(ErrorCode::IdentityNotTrusted),
                "8" => Err(ErrorCode::PolicyIdentityInvalid),
                "9" => Err(ErrorCode::IdentityLeafSubjectUnparsable),
                _ => Ok(()),
            };
            assert_eq!(
                vector["expected"].as_str().unwrap() == "match",
                expected.is_ok(),
                "{basis}"
            );
            assert_eq!(result, expected, "{basis}");
        }
    }
}
