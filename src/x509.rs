//! Borrowed (zero-copy) decoding of X.509 certificates and CRLs.
//!
//! The same ASN.1 as x509-cert's `Certificate`, decoded by the same rules, so a
//! certificate is accepted exactly when x509-cert accepts it, without copying every
//! name attribute, extension and key into an allocation of its own and without the
//! cost of `der`'s generic nested readers. The TLV structure (tags, DER lengths,
//! SEQUENCE nesting, optional and context-specific fields, names and extensions)
//! is walked here by the rules of `der` 0.7 and its derive macros, which x509-cert
//! uses; every leaf value (INTEGER, BIT STRING, OBJECT IDENTIFIER, BOOLEAN, times,
//! the version) is decoded by `der` itself from its exact TLV. Two rules x509-cert
//! adds are repeated: a serial number of at most 21 octets, and no two equal
//! attributes in one relative distinguished name (x509-cert sorts a SET OF and
//! refuses duplicates; [`Name::attributes`] yields them in that sorted order).
//!
//! The rules of `der` worth knowing, each reproduced: a tag is one octet whose low
//! five bits are not 11111 and, in the universal class, one of the types `der`
//! knows; a length is definite, minimal and at most 4 octets long (256 MiB); an
//! optional context-specific field skips any context-specific element with a lower
//! tag number in front of it (`ContextSpecific::decode_with`); a SEQUENCE is read
//! to its end exactly. The skipped elements are counted
//! ([`TbsCertificate::skipped`]) so that `Cert::parse` can refuse them, which is
//! the one place where the verifier is stricter than x509-cert. Unit tests compare both decoders on thousands of mutated
//! certificates, and the `x5c` and `certificate` fuzz targets compare them on
//! every input. [`CertificateList`] reads CRLs the same way (compared with
//! x509-cert's by unit tests and the `crl` fuzz target).

use core::cmp::Ordering;

use crate::time::Time;
use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitStringRef, IntRef};
use der::{
    Decode, DerOrd, EncodeValue, ErrorKind, FixedTag, Length, Sequence, Tag, Tagged, ValueOrd,
    Writer,
};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::certificate::Version;

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }`.
#[derive(Clone, Debug)]
pub(crate) struct Certificate<'a> {
    /// The tbsCertificate's exact TLV (what the issuer signed).
    pub tbs: &'a [u8],
    pub tbs_certificate: TbsCertificate<'a>,
    pub signature_algorithm: AlgorithmIdentifierRef<'a>,
    pub signature: BitStringRef<'a>,
}

/// RFC 5280 §4.1 `TBSCertificate`, field for field as x509-cert declares it (the
/// verifier reads some fields from the DER directly; the tests read them all).
#[derive(Clone, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct TbsCertificate<'a> {
    pub version: Version,
    pub serial_number: SerialNumber<'a>,
    pub signature: AlgorithmIdentifierRef<'a>,
    pub issuer: Name<'a>,
    /// The validity, as x509-cert's `Validity` decodes it ([`validity`]).
    pub not_before: Time,
    pub not_after: Time,
    pub subject: Name<'a>,
    pub subject_public_key_info: SubjectPublicKeyInfoRef<'a>,
    pub issuer_unique_id: Option<BitStringRef<'a>>,
    pub subject_unique_id: Option<BitStringRef<'a>>,
    pub extensions: Option<Vec<Extension<'a>>>,
    /// Context-specific elements x509-cert skips without a word: a repeated or
    /// out-of-order `[0]`, `[1]` or `[2]` in front of a later optional field.
    /// RFC 5280 has no room for them; [`crate::cert::Cert::parse`] refuses them.
    pub skipped: usize,
}

/// `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }`
/// (the derive gives the encoding tests compare).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Extension<'a> {
    pub extn_id: ObjectIdentifier,
    #[asn1(default = "Default::default")]
    pub critical: bool,
    pub extn_value: der::asn1::OctetStringRef<'a>,
}

/// A serial number: a canonical INTEGER of at most 21 octets (x509-cert's limit:
/// 20 octets plus a sign octet).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SerialNumber<'a>(pub IntRef<'a>);

/// `AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }`;
/// its DER order is x509-cert's.
#[derive(Clone, Copy, Debug, Sequence, ValueOrd)]
pub(crate) struct Attribute<'a> {
    pub oid: ObjectIdentifier,
    pub value: AnyRef<'a>,
}

/// A `Name` (RDNSequence), checked when decoded and kept as its encoded content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Name<'a> {
    /// The Name's exact TLV.
    pub tlv: &'a [u8],
    /// The content octets of the SEQUENCE OF RelativeDistinguishedName.
    rdns: &'a [u8],
}

impl EncodeValue for Name<'_> {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.rdns.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(self.rdns)
    }
}

impl FixedTag for Name<'_> {
    const TAG: Tag = Tag::Sequence;
}

// ---------------------------------------------------------------------------
// TLV reading by der 0.7's rules
// ---------------------------------------------------------------------------

/// A decoding failure: the `der` error (kept for its message) behind one pointer,
/// so that results pass through the reader's many small functions in registers
/// (a `der::Error` is about 50 bytes, and copying it through every call cost a
/// third of the reader's time). Only failures allocate.
#[derive(Debug)]
pub(crate) struct Fail(Box<der::Error>);

pub(crate) type Res<T> = Result<T, Fail>;

impl From<der::Error> for Fail {
    fn from(e: der::Error) -> Self {
        Fail(Box::new(e))
    }
}

impl From<ErrorKind> for Fail {
    fn from(kind: ErrorKind) -> Self {
        der::Error::from(kind).into()
    }
}

impl From<const_oid::Error> for Fail {
    fn from(e: const_oid::Error) -> Self {
        der::Error::from(e).into()
    }
}

impl From<Fail> for der::Error {
    fn from(fail: Fail) -> Self {
        *fail.0
    }
}

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;

/// Splits the first element off `rest`, read by the rules of [`Elements::next`],
/// which are `der`'s (`Reader::tlv_bytes`); `None` when it does not read.
pub(crate) fn split_tlv<'a>(rest: &mut &'a [u8]) -> Option<Tlv<'a>> {
    let mut elements = Elements::new(rest);
    let tlv = elements.next().ok()?;
    *rest = elements.rest;
    Some(tlv)
}

/// The type and the content octets of the values of a CMS `Attribute ::=
/// SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF ANY }` whose DER is
/// exactly `der`, as a `der` derive with those two fields decodes it; `None`
/// where that refuses it.
pub(crate) fn cms_attribute(der: &[u8]) -> Option<(ObjectIdentifier, &[u8])> {
    let mut outer = Elements::new(der);
    let attribute = outer.expect(SEQUENCE).ok()?;
    outer.finish().ok()?;
    let mut fields = Elements::new(attribute.content);
    let attr_type = oid(fields.expect(0x06).ok()?).ok()?;
    let values = fields.expect(SET).ok()?;
    fields.finish().ok()?;
    Some((attr_type, values.content))
}

/// One element: its tag octet, its content and the whole TLV.
#[derive(Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub whole: &'a [u8],
}

/// Whether `der` (`Tag::try_from`) accepts `byte` as a tag.
fn tag_ok(byte: u8) -> bool {
    match byte {
        0x01..=0x06 | 0x09 | 0x0A | 0x0C | 0x12..=0x18 | 0x1A | 0x1E | 0x30 | 0x31 => true,
        0x40..=0x7E | 0x80..=0xBE | 0xC0..=0xFE => byte & 0x1F != 0x1F,
        _ => false,
    }
}

/// A length that is not minimal or longer than four octets, after `tag`.
#[cold]
fn length_error(tag: u8) -> Fail {
    Tag::try_from(tag)
        .map_or_else(|e| e, |tag| ErrorKind::Length { tag }.into())
        .into()
}

fn tag_error(byte: u8) -> der::Error {
    ErrorKind::TagUnknown { byte }.into()
}

/// Reads TLVs one after another from a slice.
pub(crate) struct Elements<'a> {
    rest: &'a [u8],
}

impl<'a> Elements<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next tag octet, checked as `der` checks a peeked tag.
    pub(crate) fn peek_tag(&self) -> Res<Option<u8>> {
        match self.rest.first() {
            Some(&byte) if tag_ok(byte) => Ok(Some(byte)),
            Some(&byte) => Err(tag_error(byte).into()),
            None => Ok(None),
        }
    }

    /// The next TLV: a known tag, a definite minimal length of at most four
    /// octets, content inside the input.
    #[inline(always)]
    pub(crate) fn next(&mut self) -> Res<Tlv<'a>> {
        let bytes = self.rest;
        let (&tag, rest) = bytes.split_first().ok_or(ErrorKind::Incomplete {
            expected_len: Length::ONE,
            actual_len: Length::ZERO,
        })?;
        if !tag_ok(tag) {
            return Err(tag_error(tag).into());
        }
        let (&first, mut rest) = rest.split_first().ok_or(ErrorKind::Incomplete {
            expected_len: Length::new(2),
            actual_len: Length::ONE,
        })?;
        let length = match first {
            0..=0x7F => usize::from(first),
            0x80 => return Err(ErrorKind::IndefiniteLength.into()),
            0x81..=0x84 => {
                let n = usize::from(first - 0x80);
                let Some(octets) = rest.get(..n) else {
                    return Err(ErrorKind::Incomplete {
                        expected_len: Length::try_from(2 + n)?,
                        actual_len: Length::try_from(bytes.len())?,
                    }
                    .into());
                };
                rest = &rest[n..];
                let value = octets.iter().fold(0u32, |v, &b| (v << 8) | u32::from(b));
                // Minimal: the long form only from 0x80 on, without a leading
                // zero octet; and at most Length::MAX (256 MiB - 1).
                let minimal = match n {
                    1 => value >= 0x80,
                    _ => octets[0] != 0,
                };
                if !minimal {
                    return Err(length_error(tag));
                }
                Length::try_from(value)?;
                value as usize
            }
            _ => return Err(length_error(tag)),
        };
        let header_len = bytes.len() - rest.len();
        let Some(content) = rest.get(..length) else {
            return Err(ErrorKind::Incomplete {
                expected_len: Length::try_from(header_len + length)?,
                actual_len: Length::try_from(bytes.len())?,
            }
            .into());
        };
        let whole = &bytes[..header_len + length];
        self.rest = &rest[length..];
        Ok(Tlv {
            tag,
            content,
            whole,
        })
    }

    /// The next TLV, which must have tag `tag`.
    #[inline(always)]
    pub(crate) fn expect(&mut self, tag: u8) -> Res<Tlv<'a>> {
        let tlv = self.next()?;
        if tlv.tag != tag {
            return Err(unexpected(tag, tlv.tag).into());
        }
        Ok(tlv)
    }

    /// The end of a SEQUENCE: nothing may follow its last field.
    pub(crate) fn finish(&self) -> Res<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(ErrorKind::TrailingData {
                decoded: Length::ZERO,
                remaining: Length::try_from(self.rest.len())?,
            }
            .into())
        }
    }

    /// An OPTIONAL (or DEFAULT) context-specific field `[number]`, as
    /// `ContextSpecific::decode_with` finds it: context-specific elements with a
    /// lower number in front of it are skipped (counted in `skipped`); any other
    /// element ends the search.
    pub(crate) fn context(&mut self, number: u8, skipped: &mut usize) -> Res<Option<Tlv<'a>>> {
        while let Some(tag) = self.peek_tag()? {
            if !(0x80..=0xBF).contains(&tag) || tag & 0x1F > number {
                break;
            }
            let tlv = self.next()?;
            if tag & 0x1F == number {
                return Ok(Some(tlv));
            }
            *skipped += 1;
        }
        Ok(None)
    }
}

impl<'a> Elements<'a> {
    /// An OPTIONAL `[number] EXPLICIT Extensions` field ([`Elements::context`]).
    fn explicit_extensions(
        &mut self,
        number: u8,
        skipped: &mut usize,
    ) -> Res<Option<Vec<Extension<'a>>>> {
        match self.context(number, skipped)? {
            Some(field) => Ok(Some(extensions(explicit(field)?)?)),
            None => Ok(None),
        }
    }
}

fn unexpected(expected: u8, actual: u8) -> der::Error {
    match (Tag::try_from(expected), Tag::try_from(actual)) {
        (Ok(expected), Ok(actual)) => ErrorKind::TagUnexpected {
            expected: Some(expected),
            actual,
        }
        .into(),
        _ => tag_error(actual),
    }
}

/// An OBJECT IDENTIFIER's value, as der decodes it: at most
/// `ObjectIdentifier::MAX_SIZE` octets, then `ObjectIdentifier::from_bytes`.
///
/// The identifiers certificates repeat (name attributes, algorithms, extensions)
/// are taken from [`COMMON_OIDS`] when their octets match one: each is a valid
/// identifier that `from_bytes` returns for those octets (a unit test checks), so
/// only its validation, the walk over every arc, is saved.
pub(crate) fn oid(tlv: Tlv<'_>) -> Res<ObjectIdentifier> {
    // Many share a length (19 are three octets) and few a last octet too: that
    // is compared first, without a call to compare the octets.
    let last = tlv.content.last();
    if let Some(known) = COMMON_OIDS.iter().find(|k| {
        let known = k.as_bytes();
        known.last() == last && known == tlv.content
    }) {
        return Ok(*known);
    }
    if tlv.content.len() > ObjectIdentifier::MAX_SIZE {
        return Err(Tag::ObjectIdentifier.length_error().into());
    }
    Ok(ObjectIdentifier::from_bytes(tlv.content)?)
}

/// The object identifiers nearly every certificate carries, most frequent first.
const COMMON_OIDS: [ObjectIdentifier; 30] = {
    use const_oid::db::{rfc3280, rfc4519, rfc5280, rfc5912};
    [
        rfc4519::CN,
        rfc4519::O,
        rfc4519::C,
        rfc4519::OU,
        rfc4519::ST,
        rfc4519::L,
        rfc4519::SERIAL_NUMBER,
        rfc4519::STREET,
        rfc4519::POSTAL_CODE,
        rfc3280::EMAIL_ADDRESS,
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
        rfc5912::ID_RSASSA_PSS,
        rfc5912::RSA_ENCRYPTION,
        rfc5912::ECDSA_WITH_SHA_256,
        rfc5912::ECDSA_WITH_SHA_384,
        rfc5912::ECDSA_WITH_SHA_512,
        rfc5912::ID_EC_PUBLIC_KEY,
        rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
        rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
        rfc5280::ID_CE_KEY_USAGE,
        rfc5280::ID_CE_BASIC_CONSTRAINTS,
        rfc5280::ID_CE_EXT_KEY_USAGE,
        rfc5280::ID_CE_SUBJECT_ALT_NAME,
        rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS,
        rfc5280::ID_CE_CERTIFICATE_POLICIES,
        rfc5280::ID_PE_AUTHORITY_INFO_ACCESS,
        rfc5912::SECP_256_R_1,
        rfc5912::SECP_384_R_1,
    ]
};

/// The content of an EXPLICIT context-specific field: a constructed tag around
/// exactly one element.
pub(crate) fn explicit(tlv: Tlv<'_>) -> Res<Tlv<'_>> {
    if tlv.tag & 0x20 == 0 {
        return Err(Tag::try_from(tlv.tag)?.unexpected_error(None).into());
    }
    let mut inner = Elements::new(tlv.content);
    let element = inner.next()?;
    inner.finish()?;
    Ok(element)
}

/// An IMPLICIT `[n] BIT STRING`: primitive, read as a BIT STRING.
fn implicit_bit_string(tlv: Tlv<'_>) -> Res<BitStringRef<'_>> {
    if tlv.tag & 0x20 != 0 {
        return Err(Tag::BitString.non_canonical_error().into());
    }
    let (&unused, bits) = tlv.content.split_first().ok_or(ErrorKind::Length {
        tag: Tag::BitString,
    })?;
    Ok(BitStringRef::new(unused, bits)?)
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
pub(crate) fn algorithm(tlv: Tlv<'_>) -> Res<AlgorithmIdentifierRef<'_>> {
    let mut fields = Elements::new(tlv.content);
    let oid = oid(fields.expect(0x06)?)?;
    let parameters = if fields.is_empty() {
        None
    } else {
        let any = fields.next()?;
        Some(AnyRef::new(Tag::try_from(any.tag)?, any.content)?)
    };
    fields.finish()?;
    Ok(AlgorithmIdentifierRef { oid, parameters })
}

impl<'a> Certificate<'a> {
    /// Decodes one DER certificate, with nothing after it.
    pub(crate) fn from_der(der: &'a [u8]) -> der::Result<Self> {
        Ok(Self::decode(der)?)
    }

    fn decode(der: &'a [u8]) -> Res<Self> {
        let (tbs, tbs_certificate, signature_algorithm, signature) =
            signed(der, TbsCertificate::decode)?;
        Ok(Self {
            tbs,
            tbs_certificate,
            signature_algorithm,
            signature,
        })
    }
}

/// The shape certificates and CRLs share, `SEQUENCE { to-be-signed SEQUENCE,
/// signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }` with nothing
/// after it, read in that order (`decode_tbs` reads the first field): the
/// to-be-signed part's exact TLV, its reading, the algorithm and the signature.
#[allow(clippy::type_complexity)]
fn signed<'a, T>(
    der: &'a [u8],
    decode_tbs: impl FnOnce(Tlv<'a>) -> Res<T>,
) -> Res<(&'a [u8], T, AlgorithmIdentifierRef<'a>, BitStringRef<'a>)> {
    let mut outer = Elements::new(der);
    let whole = outer.expect(SEQUENCE)?;
    outer.finish()?;
    let mut fields = Elements::new(whole.content);
    let tbs = fields.expect(SEQUENCE)?;
    let decoded = decode_tbs(tbs)?;
    let signature_algorithm = algorithm(fields.expect(SEQUENCE)?)?;
    let signature = BitStringRef::from_der(fields.expect(0x03)?.whole)?;
    fields.finish()?;
    Ok((tbs.whole, decoded, signature_algorithm, signature))
}

impl<'a> TbsCertificate<'a> {
    fn decode(tlv: Tlv<'a>) -> Res<Self> {
        let mut fields = Elements::new(tlv.content);
        let mut skipped = 0;
        let version = match fields.context(0, &mut skipped)? {
            Some(field) => Version::from_der(explicit(field)?.whole)?,
            None => Version::default(),
        };
        let serial_number = serial_number(fields.expect(0x02)?)?;
        let signature = algorithm(fields.expect(SEQUENCE)?)?;
        let issuer = Name::decode(fields.expect(SEQUENCE)?)?;
        let (not_before, not_after) = validity(fields.expect(SEQUENCE)?)?;
        let subject = Name::decode(fields.expect(SEQUENCE)?)?;
        let spki = fields.expect(SEQUENCE)?;
        let mut spki_fields = Elements::new(spki.content);
        let subject_public_key_info = SubjectPublicKeyInfoRef {
            algorithm: algorithm(spki_fields.expect(SEQUENCE)?)?,
            subject_public_key: BitStringRef::from_der(spki_fields.expect(0x03)?.whole)?,
        };
        spki_fields.finish()?;
        let issuer_unique_id = fields
            .context(1, &mut skipped)?
            .map(implicit_bit_string)
            .transpose()?;
        let subject_unique_id = fields
            .context(2, &mut skipped)?
            .map(implicit_bit_string)
            .transpose()?;
        let extensions = fields.explicit_extensions(3, &mut skipped)?;
        fields.finish()?;
        Ok(Self {
            version,
            serial_number,
            signature,
            issuer,
            not_before,
            not_after,
            subject,
            subject_public_key_info,
            issuer_unique_id,
            subject_unique_id,
            extensions,
            skipped,
        })
    }
}

/// `Extensions ::= SEQUENCE OF Extension`.
fn extensions(tlv: Tlv<'_>) -> Res<Vec<Extension<'_>>> {
    if tlv.tag != SEQUENCE {
        return Err(unexpected(SEQUENCE, tlv.tag).into());
    }
    let mut list = Elements::new(tlv.content);
    let mut out = Vec::new();
    while !list.is_empty() {
        let mut fields = Elements::new(list.expect(SEQUENCE)?.content);
        let extn_id = oid(fields.expect(0x06)?)?;
        let critical = match fields.peek_tag()? {
            Some(0x01) => bool::from_der(fields.next()?.whole)?,
            _ => false,
        };
        let extn_value = der::asn1::OctetStringRef::new(fields.expect(0x04)?.content)?;
        fields.finish()?;
        out.push(Extension {
            extn_id,
            critical,
            extn_value,
        });
    }
    Ok(out)
}

/// The index of the first of `items` whose `key` equals an earlier one's: a
/// pairwise scan for a few, a hash set for many, so that thousands of items (the
/// attributes of one RDN, the extensions of a certificate, in a hostile 64 KiB
/// input) cost thousands of steps rather than millions (x509-cert's SET OF
/// insertion sort is quadratic).
pub(crate) fn first_repeat<T, K: Eq + std::hash::Hash>(
    items: &[T],
    key: impl Fn(&T) -> K,
) -> Option<usize> {
    if items.len() <= 16 {
        return (0..items.len()).find(|&i| items[..i].iter().any(|e| key(e) == key(&items[i])));
    }
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.iter().position(|item| !seen.insert(key(item)))
}

impl<'a> Name<'a> {
    /// Checks a Name TLV's content: SEQUENCE OF SET OF AttributeTypeAndValue,
    /// no two equal attributes in one SET (equal encodings are what DER's SET OF
    /// order calls equal).
    fn decode(tlv: Tlv<'a>) -> Res<Self> {
        let mut rdns = Elements::new(tlv.content);
        while !rdns.is_empty() {
            let set = rdns.expect(SET)?;
            let mut elements = Elements::new(set.content);
            // The attributes of this RDN, kept only when there are several.
            let mut first: Option<&[u8]> = None;
            let mut all: Vec<&[u8]> = Vec::new();
            while !elements.is_empty() {
                let attribute = elements.expect(SEQUENCE)?;
                let mut fields = Elements::new(attribute.content);
                oid(fields.expect(0x06)?)?;
                fields.next()?;
                fields.finish()?;
                match first {
                    None => first = Some(attribute.whole),
                    Some(one) => {
                        if all.is_empty() {
                            all.push(one);
                        }
                        all.push(attribute.whole);
                    }
                }
            }
            if first_repeat(&all, |encoding| *encoding).is_some() {
                return Err(der::Error::from(ErrorKind::SetDuplicate).into());
            }
        }
        Ok(Self::unchecked(tlv))
    }

    fn unchecked(tlv: Tlv<'a>) -> Self {
        Self {
            tlv: tlv.whole,
            rdns: tlv.content,
        }
    }

    /// Decodes and checks a Name TLV.
    pub(crate) fn from_tlv(tlv: &'a [u8]) -> der::Result<Self> {
        let mut outer = Elements::new(tlv);
        let name = outer.expect(SEQUENCE)?;
        outer.finish()?;
        Ok(Self::decode(name)?)
    }

    /// Whether the attributes of every RDN are in DER SET OF order (strictly
    /// increasing encodings), so that x509-cert, which sorts them, re-encodes
    /// the Name to exactly its TLV.
    pub(crate) fn in_der_order(&self) -> bool {
        let mut rdns = Elements::new(self.rdns);
        while !rdns.is_empty() {
            let Ok(set) = rdns.next() else {
                return false;
            };
            let mut elements = Elements::new(set.content);
            let mut previous: Option<&[u8]> = None;
            while !elements.is_empty() {
                let Ok(attribute) = elements.next() else {
                    return false;
                };
                if previous.is_some_and(|p| p >= attribute.whole) {
                    return false;
                }
                previous = Some(attribute.whole);
            }
        }
        true
    }

    /// A Name TLV already checked (one of a parsed certificate's names), without
    /// checking it again; [`Name::attributes`] skips what it cannot read.
    pub(crate) fn checked_before(tlv: &'a [u8]) -> der::Result<Self> {
        Ok(Elements::new(tlv).expect(SEQUENCE).map(Self::unchecked)?)
    }

    /// Calls `each` with every attribute (its OID's content octets, its value's
    /// tag and content), RDN by RDN in encoded order, the attributes of one RDN
    /// in DER SET OF order (as x509-cert holds them).
    pub(crate) fn attributes(&self, mut each: impl FnMut(&[u8], Tag, &'a [u8])) {
        let mut rdns = Elements::new(self.rdns);
        let mut many: Vec<Attribute<'a>> = Vec::new();
        while let Ok(set) = rdns.next() {
            let mut elements = Elements::new(set.content);
            let read = |element: Tlv<'a>| {
                let mut fields = Elements::new(element.content);
                let (oid, value) = (fields.next().ok()?, fields.next().ok()?);
                Some((oid.content, Tag::try_from(value.tag).ok()?, value.content))
            };
            let Ok(first) = elements.next() else {
                continue;
            };
            if elements.is_empty() {
                // One attribute (the usual RDN): nothing to sort.
                if let Some((oid, tag, value)) = read(first) {
                    each(oid, tag, value);
                }
                continue;
            }
            many.clear();
            let mut element = Ok(first);
            while let Ok(tlv) = element {
                if let Some((oid, tag, value)) = read(tlv) {
                    if let (Ok(oid), Ok(value)) =
                        (ObjectIdentifier::from_bytes(oid), AnyRef::new(tag, value))
                    {
                        many.push(Attribute { oid, value });
                    }
                }
                element = elements.next();
            }
            many.sort_by(|a, b| a.der_cmp(b).unwrap_or(Ordering::Equal));
            for attribute in &many {
                each(
                    attribute.oid.as_bytes(),
                    attribute.value.tag(),
                    attribute.value.value(),
                );
            }
        }
    }
}

/// RFC 5280 §5.1 `CertificateList`, field for field as x509-cert declares it
/// (`x509_cert::crl::CertificateList`), decoded by the same rules as
/// [`Certificate`]: accepted exactly when x509-cert accepts it
/// ([`compare_crl_with_x509_cert`]), without an allocation per name attribute,
/// extension and revoked entry.
#[derive(Clone, Debug)]
pub(crate) struct CertificateList<'a> {
    /// The tbsCertList's exact TLV (what the issuer signed).
    pub tbs: &'a [u8],
    pub version: Version,
    /// The tbsCertList's signature algorithm field.
    pub signature: AlgorithmIdentifierRef<'a>,
    pub issuer: Name<'a>,
    pub this_update: Time,
    pub next_update: Option<Time>,
    pub revoked_certificates: Option<Vec<RevokedCert<'a>>>,
    pub crl_extensions: Option<Vec<Extension<'a>>>,
    pub signature_algorithm: AlgorithmIdentifierRef<'a>,
    pub signature_value: BitStringRef<'a>,
}

/// `SEQUENCE { userCertificate CertificateSerialNumber, revocationDate Time,
/// crlEntryExtensions Extensions OPTIONAL }`.
#[derive(Clone, Debug)]
pub(crate) struct RevokedCert<'a> {
    pub serial_number: SerialNumber<'a>,
    pub revocation_date: Time,
    pub crl_entry_extensions: Option<Vec<Extension<'a>>>,
}

/// `Validity ::= SEQUENCE { notBefore Time, notAfter Time }` as x509-cert
/// decodes it.
fn validity(tlv: Tlv<'_>) -> Res<(Time, Time)> {
    let mut fields = Elements::new(tlv.content);
    let not_before = time(fields.next()?)?;
    let not_after = time(fields.next()?)?;
    fields.finish()?;
    Ok((not_before, not_after))
}

/// A `Time` CHOICE as x509-cert decodes it (`der`'s `UtcTime` and
/// `GeneralizedTime`), as the instant it names: `YYMMDDHHMMSSZ` (years 50 to 99
/// are 19xx) or `YYYYMMDDHHMMSSZ`, a valid date and time from 1970 to 9999
/// (`der::DateTime::new`), the errors `der` gives.
fn time(tlv: Tlv<'_>) -> Res<Time> {
    let tag = match tlv.tag {
        UTC_TIME => Tag::UtcTime,
        GENERALIZED_TIME => Tag::GeneralizedTime,
        other => {
            return Err(ErrorKind::TagUnexpected {
                expected: None,
                actual: Tag::try_from(other)?,
            }
            .into())
        }
    };
    let digits = match tlv.content.split_last() {
        Some((b'Z', digits)) if digits.len() == if tag == Tag::UtcTime { 12 } else { 14 } => digits,
        _ => return Err(tag.value_error().into()),
    };
    // Two decimal digits from `at`, as `der` reads each field.
    let pair = |at: usize| match (digits[at], digits[at + 1]) {
        (hi @ b'0'..=b'9', lo @ b'0'..=b'9') => Ok((hi - b'0') * 10 + (lo - b'0')),
        _ => Err(Fail::from(tag.value_error())),
    };
    let (year, rest) = if tag == Tag::UtcTime {
        let year = u16::from(pair(0)?);
        (
            if year >= 50 { year + 1900 } else { year + 2000 },
            &[2, 4, 6, 8, 10],
        )
    } else {
        let century = u16::from(pair(0)?);
        // `der` reports a bad second pair of year digits as a date error.
        let year = pair(2).map_err(|_| Fail::from(der::Error::from(ErrorKind::DateTime)))?;
        (century * 100 + u16::from(year), &[4, 6, 8, 10, 12])
    };
    let [month, day, hour, minute, second] = [
        pair(rest[0])?,
        pair(rest[1])?,
        pair(rest[2])?,
        pair(rest[3])?,
        pair(rest[4])?,
    ];
    let date = der::DateTime::new(year, month, day, hour, minute, second)
        .map_err(|_| Fail::from(tag.value_error()))?;
    // At most 9999-12-31T23:59:59Z.
    Ok(Time::from_unix(date.unix_duration().as_secs() as i64))
}

const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;

/// A serial number as x509-cert's `SerialNumber` decodes it: an INTEGER of at
/// most 21 octets.
fn serial_number(tlv: Tlv<'_>) -> Res<SerialNumber<'_>> {
    let serial = IntRef::from_der(tlv.whole)?;
    if serial.len() > Length::new(21) {
        return Err(Tag::Integer.value_error().into());
    }
    Ok(SerialNumber(serial))
}

impl<'a> CertificateList<'a> {
    /// Decodes one DER CRL, with nothing after it.
    pub(crate) fn from_der(der: &'a [u8]) -> der::Result<Self> {
        Ok(Self::decode(der)?)
    }

    fn decode(der: &'a [u8]) -> Res<Self> {
        let (tbs, list, signature_algorithm, signature_value) = signed(der, Ok)?;
        let mut fields = Elements::new(list.content);
        // Not OPTIONAL in x509-cert: a v1 CRL, without it, is refused.
        let version = Version::from_der(fields.expect(0x02)?.whole)?;
        let signature = algorithm(fields.expect(SEQUENCE)?)?;
        let issuer = Name::decode(fields.expect(SEQUENCE)?)?;
        let this_update = time(fields.next()?)?;
        // `Option<T>` takes the next element when its (valid) tag is T's.
        let next_update = match fields.peek_tag()? {
            Some(UTC_TIME | GENERALIZED_TIME) => Some(time(fields.next()?)?),
            _ => None,
        };
        let revoked_certificates = match fields.peek_tag()? {
            Some(SEQUENCE) => Some(revoked_certificates(fields.next()?)?),
            _ => None,
        };
        let crl_extensions = fields.explicit_extensions(0, &mut 0)?;
        fields.finish()?;
        Ok(Self {
            tbs,
            version,
            signature,
            issuer,
            this_update,
            next_update,
            revoked_certificates,
            crl_extensions,
            signature_algorithm,
            signature_value,
        })
    }
}

/// `SEQUENCE OF RevokedCert`.
fn revoked_certificates(tlv: Tlv<'_>) -> Res<Vec<RevokedCert<'_>>> {
    let mut list = Elements::new(tlv.content);
    let mut out = Vec::new();
    while !list.is_empty() {
        let mut fields = Elements::new(list.expect(SEQUENCE)?.content);
        let serial_number = serial_number(fields.expect(0x02)?)?;
        let revocation_date = time(fields.next()?)?;
        let crl_entry_extensions = match fields.peek_tag()? {
            Some(SEQUENCE) => Some(extensions(fields.next()?)?),
            _ => None,
        };
        fields.finish()?;
        out.push(RevokedCert {
            serial_number,
            revocation_date,
            crl_entry_extensions,
        });
    }
    Ok(out)
}

/// Most elements one SET OF (or IMPLICIT-tagged SET OF) may hold where `der`'s
/// `SetOfVec` decodes it (x509-cert names, `cms` attributes and algorithm sets,
/// x509-ocsp): it sorts them by insertion, so n elements cost up to n²/2
/// comparisons (20,000 took 15 s). Real sets hold a handful: the attributes of an
/// RDN, the signed attributes of a timestamp, a token's digest algorithms.
pub(crate) const MAX_SET_ELEMENTS: usize = 64;

/// Checks that every universal SET and every context-specific constructed element in
/// the DER `der`, at any depth (not inside primitive elements), holds at most
/// [`MAX_SET_ELEMENTS`] elements. Checked before `der` is handed to a decoder that
/// sorts SET OFs. Linear in `der`'s length; where `der` is not well-formed DER the
/// walk stops, leaving the decoder to refuse it.
///
/// `Err` says why, in words to follow a subject ("it holds a SET of more than 64
/// elements").
pub(crate) fn check_sets(der: &[u8]) -> Result<(), String> {
    walk_sets(der, false)
        .then_some(())
        .ok_or_else(too_many_in_a_set)
}

/// [`check_sets`] for the content octets of a SET OF, its own elements counted
/// too.
pub(crate) fn check_set_content(content: &[u8]) -> Result<(), String> {
    walk_sets(content, true)
        .then_some(())
        .ok_or_else(too_many_in_a_set)
}

fn too_many_in_a_set() -> String {
    format!("holds a SET of more than {MAX_SET_ELEMENTS} elements")
}

fn walk_sets(der: &[u8], counted: bool) -> bool {
    /// Deeper than any structure these decoders read; what lies deeper they can
    /// only hold as an undecoded ANY.
    const MAX_DEPTH: usize = 64;
    // One frame per open constructed element (on the stack, no allocation): its
    // remaining content, whether its elements are counted, how many were seen.
    let mut stack: [(&[u8], bool, usize); MAX_DEPTH] = [(&[], false, 0); MAX_DEPTH];
    stack[0] = (der, counted, 0);
    let mut depth = 1;
    while depth > 0 {
        let (rest, counted, count) = &mut stack[depth - 1];
        let mut elements = Elements::new(rest);
        if elements.is_empty() {
            depth -= 1;
            continue;
        }
        let Ok(element) = elements.next() else {
            // Not DER: the decoder refuses it.
            depth -= 1;
            continue;
        };
        *rest = elements.rest;
        *count += 1;
        if *counted && *count > MAX_SET_ELEMENTS {
            return false;
        }
        if element.tag & 0x20 != 0 && depth < MAX_DEPTH {
            let set = element.tag == SET || element.tag & 0xC0 == 0x80;
            stack[depth] = (element.content, set, 0);
            depth += 1;
        }
    }
    true
}

/// Both decodings of `der` when both accept it, `None` when both refuse it, `Err`
/// (naming `who`) when only one does.
fn both_accept<A, B>(
    who: &str,
    der: &[u8],
    ours: der::Result<A>,
    theirs: der::Result<B>,
) -> Result<Option<(A, B)>, String> {
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => Ok(Some((ours, theirs))),
        (Err(_), Err(_)) => Ok(None),
        (ours, theirs) => Err(format!(
            "{who} disagree on {der:02x?}: ours {:?}, x509-cert {:?}",
            ours.err(),
            theirs.err()
        )),
    }
}

/// The fields two decodings disagree on.
#[derive(Default)]
struct Differences(Vec<String>);

impl Differences {
    /// Notes `what` when not `equal`.
    fn same(&mut self, what: &str, equal: bool) {
        if !equal {
            self.0.push(what.to_owned());
        }
    }

    /// `Ok(true)` (both accepted it alike), or `Err` naming what `who` differ in.
    fn result(self, who: &str, der: &[u8]) -> Result<bool, String> {
        if self.0.is_empty() {
            Ok(true)
        } else {
            Err(format!("{who} differ in {:?} on {der:02x?}", self.0))
        }
    }
}

/// The DER of `e`, empty when it cannot be encoded (for comparisons).
fn enc(e: &impl der::Encode) -> Vec<u8> {
    e.to_der().unwrap_or_default()
}

/// The DER of each element of an optional list (extensions, for comparisons).
fn enc_list<T: der::Encode>(list: &Option<Vec<T>>) -> Option<Vec<Vec<u8>>> {
    list.as_ref().map(|l| l.iter().map(enc).collect())
}

/// Decodes `der` with this module and with x509-cert and compares the results:
/// whether each accepts it, every field, and the names as the verifier renders
/// them. `Ok(true)` when both accept it alike, `Ok(false)` when both refuse it,
/// `Err` names the first difference. For the unit tests and the fuzz targets.
pub(crate) fn compare_with_x509_cert(der: &[u8]) -> Result<bool, String> {
    let Some((ours, theirs)) = both_accept(
        "decoders",
        der,
        Certificate::from_der(der),
        x509_cert::Certificate::from_der(der),
    )?
    else {
        return Ok(false);
    };
    let mut differences = Differences::default();
    let (t, o) = (&theirs.tbs_certificate, &ours.tbs_certificate);
    differences.same("version", t.version == o.version);
    differences.same(
        "serial",
        t.serial_number.as_bytes() == o.serial_number.0.as_bytes(),
    );
    differences.same("signature", enc(&t.signature) == enc(&o.signature));
    // Names: the same attributes in the same (x509-cert's sorted) order.
    let listed = |name: &Name<'_>| {
        let mut all = Vec::new();
        name.attributes(|oid, tag, value| all.push((oid.to_vec(), tag, value.to_vec())));
        all
    };
    let theirs_listed = |name: &x509_cert::name::Name| {
        let atvs = name.0.iter().flat_map(|rdn| rdn.0.iter());
        atvs.map(|a| {
            (
                a.oid.as_bytes().to_vec(),
                a.value.tag(),
                a.value.value().to_vec(),
            )
        })
        .collect::<Vec<_>>()
    };
    differences.same("issuer", theirs_listed(&t.issuer) == listed(&o.issuer));
    differences.same("subject", theirs_listed(&t.subject) == listed(&o.subject));
    differences.same(
        "validity",
        (
            Time::from_der(&t.validity.not_before),
            Time::from_der(&t.validity.not_after),
        ) == (o.not_before, o.not_after),
    );
    differences.same(
        "spki",
        enc(&t.subject_public_key_info) == enc(&o.subject_public_key_info),
    );
    differences.same(
        "issuerUniqueID",
        t.issuer_unique_id.as_ref().map(enc) == o.issuer_unique_id.as_ref().map(enc),
    );
    differences.same(
        "subjectUniqueID",
        t.subject_unique_id.as_ref().map(enc) == o.subject_unique_id.as_ref().map(enc),
    );
    differences.same(
        "extensions",
        enc_list(&t.extensions) == enc_list(&o.extensions),
    );
    differences.same(
        "signatureAlgorithm",
        enc(&theirs.signature_algorithm) == enc(&ours.signature_algorithm),
    );
    differences.same(
        "signatureValue",
        enc(&theirs.signature) == enc(&ours.signature),
    );
    // x509-cert re-encodes a name with its SETs sorted; rendered from the
    // certificate's own bytes, the attributes must come in that order. (The
    // tbsCertificate is not compared: x509-cert re-encodes it without the
    // context-specific elements it skipped, while the signature covers the
    // bytes as they are.)
    let render = |tlv: &[u8]| crate::identity::render_go_der(tlv);
    differences.same(
        "issuer text",
        render(&enc(&t.issuer)) == render(o.issuer.tlv),
    );
    differences.same(
        "subject text",
        render(&enc(&t.subject)) == render(o.subject.tlv),
    );
    if let Err(e) = crate::cert::Cert::parse(der, "certificate") {
        differences.same("parts", !e.message().contains("locate"));
    }
    differences.result("decoders", der)
}

/// Decodes the CRL `der` with this module and with x509-cert and compares the
/// results: whether each accepts it, and every field (names as x509-cert
/// re-encodes them, sorted). `Ok(true)` when both accept it alike, `Ok(false)`
/// when both refuse it, `Err` names the first difference. For the unit tests
/// and the fuzz targets.
pub(crate) fn compare_crl_with_x509_cert(der: &[u8]) -> Result<bool, String> {
    let Some((ours, theirs)) = both_accept(
        "CRL decoders",
        der,
        CertificateList::from_der(der),
        x509_cert::crl::CertificateList::from_der(der),
    )?
    else {
        return Ok(false);
    };
    let mut differences = Differences::default();
    let t = &theirs.tbs_cert_list;
    // The signed bytes as they are (x509-cert re-encodes; the signature covers
    // the original encoding).
    differences.same("tbs", crate::cert::original_tbs(der) == Some(ours.tbs));
    differences.same("version", t.version == ours.version);
    differences.same("signature", enc(&t.signature) == enc(&ours.signature));
    differences.same(
        "issuer",
        enc(&t.issuer) == crl_issuer(&ours.issuer).unwrap_or_default(),
    );
    differences.same(
        "thisUpdate",
        Time::from_der(&t.this_update) == ours.this_update,
    );
    differences.same(
        "nextUpdate",
        t.next_update.as_ref().map(Time::from_der) == ours.next_update,
    );
    differences.same(
        "crlExtensions",
        enc_list(&t.crl_extensions) == enc_list(&ours.crl_extensions),
    );
    let theirs_revoked = t.revoked_certificates.as_ref().map(|list| {
        list.iter()
            .map(|r| {
                (
                    r.serial_number.as_bytes().to_vec(),
                    Time::from_der(&r.revocation_date),
                    enc_list(&r.crl_entry_extensions),
                )
            })
            .collect::<Vec<_>>()
    });
    let ours_revoked = ours.revoked_certificates.as_ref().map(|list| {
        list.iter()
            .map(|r| {
                (
                    r.serial_number.0.as_bytes().to_vec(),
                    r.revocation_date,
                    enc_list(&r.crl_entry_extensions),
                )
            })
            .collect::<Vec<_>>()
    });
    differences.same("revokedCertificates", theirs_revoked == ours_revoked);
    differences.same(
        "signatureAlgorithm",
        enc(&theirs.signature_algorithm) == enc(&ours.signature_algorithm),
    );
    differences.same(
        "signatureValue",
        enc(&theirs.signature) == enc(&ours.signature_value),
    );
    differences.result("CRL decoders", der)
}

/// A CRL issuer's Name as x509-cert re-encodes it (its RDNs' attributes
/// sorted): the TLV itself when already in that order.
pub(crate) fn crl_issuer(name: &Name<'_>) -> der::Result<Vec<u8>> {
    if name.in_der_order() {
        return Ok(name.tlv.to_vec());
    }
    use der::Encode;
    x509_cert::name::Name::from_der(name.tlv)?.to_der()
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode;

    /// `first_repeat` finds the first repetition a pairwise scan finds, for few
    /// and many.
    #[test]
    fn duplicates_are_found_in_few_and_many() {
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15_u64);
        for len in [0usize, 1, 2, 16, 17, 40, 3_000] {
            for _ in 0..20 {
                let owned: Vec<Vec<u8>> = (0..len)
                    .map(|_| {
                        let n = (next() % 4) as usize;
                        (0..n).map(|_| (next() % 3) as u8).collect()
                    })
                    .collect();
                let pairwise = (0..len).find(|&i| owned[..i].contains(&owned[i]));
                let refs: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
                let found = first_repeat(&refs, |encoding| *encoding);
                assert_eq!(found.is_some(), pairwise.is_some(), "{len}");
                assert_eq!(found, pairwise, "{len}");
            }
        }
    }

    /// One RDN with many attributes: checked as x509-cert checks it (a duplicate
    /// anywhere refuses the name), in linear-logarithmic time.
    #[test]
    fn many_attributes_in_one_rdn() {
        let atv = |i: usize| {
            let value = format!("{i}");
            let mut out = vec![
                0x30,
                (5 + 2 + value.len()) as u8,
                0x06,
                0x03,
                0x55,
                0x04,
                0x03,
            ];
            out.push(0x0c);
            out.push(value.len() as u8);
            out.extend(value.bytes());
            out
        };
        let name = |atvs: &[Vec<u8>]| {
            let body: Vec<u8> = atvs.concat();
            let mut set = vec![0x31];
            set.extend(Length::try_from(body.len()).unwrap().to_der().unwrap());
            set.extend(body);
            let mut out = vec![0x30];
            out.extend(Length::try_from(set.len()).unwrap().to_der().unwrap());
            out.extend(set);
            out
        };
        for count in [300, 6_000] {
            let mut atvs: Vec<Vec<u8>> = (0..count).map(atv).collect();
            let unique = name(&atvs);
            assert!(Name::from_tlv(&unique).is_ok(), "{count}");
            atvs.push(atv(count / 2));
            let twice = name(&atvs);
            assert!(Name::from_tlv(&twice).is_err(), "{count}");
            if count <= 300 {
                // x509-cert agrees (its check is quadratic, so only the small one).
                assert!(x509_cert::name::Name::from_der(&unique).is_ok());
                assert!(x509_cert::name::Name::from_der(&twice).is_err());
            }
        }
    }

    /// Some DER SET OF orders and duplicates, against x509-cert's Name.
    #[test]
    fn names_decode_as_x509_cert_decodes_them() {
        let atv = |oid: &str, tag: u8, value: &[u8]| {
            let mut v = vec![tag, value.len() as u8];
            v.extend_from_slice(value);
            let oid: ObjectIdentifier = oid.parse().unwrap();
            let oid = oid.to_der().unwrap();
            let mut out = vec![0x30, (oid.len() + v.len()) as u8];
            out.extend(oid);
            out.extend(v);
            out
        };
        let wrap = |tag: u8, parts: Vec<Vec<u8>>| {
            let body: Vec<u8> = parts.concat();
            let mut out = vec![tag];
            out.extend(Length::try_from(body.len()).unwrap().to_der().unwrap());
            out.extend(body);
            out
        };
        let cn_a = atv("2.5.4.3", 0x0c, b"a");
        let cn_b = atv("2.5.4.3", 0x0c, b"b");
        let cn_a_printable = atv("2.5.4.3", 0x13, b"a");
        let o = atv("2.5.4.10", 0x0c, b"org");
        let cases: Vec<Vec<u8>> = vec![
            wrap(0x30, vec![]),
            wrap(0x30, vec![wrap(0x31, vec![])]),
            wrap(0x30, vec![wrap(0x31, vec![cn_a.clone()])]),
            wrap(0x30, vec![wrap(0x31, vec![cn_b.clone(), cn_a.clone()])]),
            wrap(0x30, vec![wrap(0x31, vec![cn_a.clone(), cn_a.clone()])]),
            wrap(
                0x30,
                vec![wrap(0x31, vec![cn_a.clone(), cn_b.clone(), cn_a.clone()])],
            ),
            wrap(
                0x30,
                vec![wrap(0x31, vec![cn_a_printable.clone(), cn_a.clone()])],
            ),
            wrap(
                0x30,
                vec![wrap(0x31, vec![o.clone(), cn_b.clone(), cn_a.clone()])],
            ),
            wrap(
                0x30,
                vec![wrap(0x31, vec![o.clone()]), wrap(0x31, vec![o.clone()])],
            ),
            wrap(0x30, vec![wrap(0x30, vec![o.clone()])]),
            wrap(0x30, vec![o.clone()]),
        ];
        for case in cases {
            let ours = Name::from_tlv(&case);
            let theirs = x509_cert::name::Name::from_der(&case);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{case:02x?}");
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                let mut seen = Vec::new();
                ours.attributes(|oid, tag, value| {
                    let oid = ObjectIdentifier::from_bytes(oid).unwrap();
                    seen.push((oid, AnyRef::new(tag, value).unwrap().to_der().unwrap()))
                });
                let expected: Vec<_> = theirs
                    .0
                    .iter()
                    .flat_map(|rdn| rdn.0.iter())
                    .map(|a| (a.oid, a.value.to_der().unwrap()))
                    .collect();
                assert_eq!(seen, expected, "{case:02x?}");
            }
        }
    }

    /// `time` reads a Time exactly as x509-cert does (same instant, same error
    /// kind): every tag, every length near the two forms, every field at and
    /// around its bounds (leap days, the 1970 floor, the UTCTime century switch,
    /// 9999), non-digits in each position, and random digit strings.
    #[test]
    fn times_decode_as_x509_cert_decodes_them() {
        let mut next = crate::test_rng::xorshift(0x2545_F491_4F6C_DD1D);
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for (year, form) in [
            ("49", 0x17),
            ("50", 0x17),
            ("69", 0x17),
            ("70", 0x17),
            ("99", 0x17),
            ("00", 0x17),
            ("24", 0x17),
            ("1969", 0x18),
            ("1970", 0x18),
            ("2000", 0x18),
            ("2024", 0x18),
            ("2100", 0x18),
            ("2049", 0x18),
            ("2050", 0x18),
            ("9999", 0x18),
            ("0000", 0x18),
        ] {
            for month in ["00", "01", "02", "04", "12", "13", "99"] {
                for day in ["00", "01", "28", "29", "30", "31", "32"] {
                    for (hour, minute, second) in [
                        ("00", "00", "00"),
                        ("23", "59", "59"),
                        ("24", "00", "00"),
                        ("12", "60", "00"),
                        ("12", "00", "60"),
                        ("12", "34", "56"),
                    ] {
                        let text = format!("{year}{month}{day}{hour}{minute}{second}Z");
                        cases.push(der(form, text.as_bytes()));
                        cases.push(der(form ^ 0x0F, text.as_bytes()));
                    }
                }
            }
        }
        for form in [0x17u8, 0x18] {
            let base: &[u8] = if form == 0x17 {
                b"240229123456Z"
            } else {
                b"20240229123456Z"
            };
            for at in 0..base.len() {
                for byte in [
                    b'/', b':', b'0', b'9', b'Z', b' ', b'+', b'-', b'.', b'a', 0, 0xFF,
                ] {
                    let mut text = base.to_vec();
                    text[at] = byte;
                    cases.push(der(form, &text));
                }
            }
            for len in 0..=17 {
                let text: Vec<u8> = (0..len)
                    .map(|i| if i + 1 == len { b'Z' } else { b'1' })
                    .collect();
                cases.push(der(form, &text));
            }
            cases.push(der(form, &[base, b"0"].concat()));
            cases.push(der(form, &base[..base.len() - 1]));
            for _ in 0..5000 {
                // Each field anywhere from just below to just above its range.
                let century = 19 + next() % 3;
                let mut field = |bound: u64| format!("{:02}", next() % (bound + 2));
                let year = if form == 0x17 {
                    field(98)
                } else {
                    format!("{century}{}", field(98))
                };
                let text = format!(
                    "{year}{}{}{}{}{}Z",
                    field(12),
                    field(31),
                    field(23),
                    field(59),
                    field(59)
                );
                cases.push(der(form, text.as_bytes()));
            }
        }
        for tag in [0x02u8, 0x04, 0x0C, 0x13, 0x16, 0x30, 0x80] {
            cases.push(der(tag, b"240229123456Z"));
        }
        let (mut same_ok, mut same_err) = (0, 0);
        for case in &cases {
            let ours = Elements::new(case)
                .next()
                .map_err(der::Error::from)
                .and_then(|tlv| time(tlv).map_err(der::Error::from));
            let theirs = x509_cert::time::Time::from_der(case);
            match (&ours, &theirs) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(*ours, Time::from_der(theirs), "{case:02x?}");
                    same_ok += 1;
                }
                (Err(ours), Err(theirs)) => {
                    assert_eq!(ours.kind(), theirs.kind(), "{case:02x?}");
                    same_err += 1;
                }
                _ => panic!("{case:02x?}: ours {ours:?}, x509-cert {theirs:?}"),
            }
        }
        assert!(
            same_ok > 3000 && same_err > 3000,
            "{same_ok} read, {same_err} refused"
        );
    }

    /// A Validity is two Times and nothing more.
    #[test]
    fn validity_decodes_as_x509_cert_decodes_it() {
        let utc = der(0x17, b"240229123456Z");
        let general = der(0x18, b"20500101000000Z");
        for fields in [
            vec![],
            vec![utc.clone()],
            vec![utc.clone(), general.clone()],
            vec![general.clone(), utc.clone()],
            vec![utc.clone(), utc.clone(), utc.clone()],
            vec![utc.clone(), der(0x05, &[])],
        ] {
            let case = der(0x30, &fields.concat());
            let ours = Elements::new(&case).next().and_then(validity).is_ok();
            let theirs = x509_cert::time::Validity::from_der(&case);
            assert_eq!(ours, theirs.is_ok(), "{case:02x?}");
            if let (Ok((before, after)), Ok(theirs)) =
                (Elements::new(&case).next().and_then(validity), theirs)
            {
                assert_eq!(before, Time::from_der(&theirs.not_before));
                assert_eq!(after, Time::from_der(&theirs.not_after));
            }
        }
    }

    #[test]
    fn common_oids_are_what_from_bytes_returns() {
        for (i, known) in COMMON_OIDS.iter().enumerate() {
            assert_eq!(
                ObjectIdentifier::from_bytes(known.as_bytes()).as_ref(),
                Ok(known),
                "{known}"
            );
            assert!(!COMMON_OIDS[..i].contains(known), "{known} twice");
            let tlv = Tlv {
                tag: 0x06,
                content: known.as_bytes(),
                whole: &[],
            };
            assert_eq!(oid(tlv).ok(), Some(*known));
        }
    }

    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        crate::test_der::Node::Leaf(tag, content.to_vec()).encode(&mut out);
        out
    }

    fn within(der: &[u8]) -> bool {
        check_sets(der).is_ok()
    }

    /// `n` NULLs in a SET, the SET in a SEQUENCE.
    fn set_of_nulls(n: usize) -> Vec<u8> {
        der(0x30, &der(0x31, &[0x05, 0x00].repeat(n)))
    }

    #[test]
    fn sets_are_bounded_at_any_depth_but_not_inside_primitives() {
        assert!(within(&set_of_nulls(MAX_SET_ELEMENTS)));
        assert!(!within(&set_of_nulls(MAX_SET_ELEMENTS + 1)));
        // Context-specific constructed elements count (IMPLICIT SET OF).
        let implicit = der(0xA1, &[0x05, 0x00].repeat(MAX_SET_ELEMENTS + 1));
        assert!(!within(&der(0x30, &implicit)));
        // A SEQUENCE OF is not sorted: not counted.
        assert!(within(&der(0x30, &[0x05, 0x00].repeat(10_000))));
        // Deep inside: a SET in an OCTET STRING is not walked (decoders read an
        // OCTET STRING's content only when they decode it, and check it then).
        let deep = (0..40).fold(set_of_nulls(MAX_SET_ELEMENTS + 1), |inner, _| {
            der(0x30, &inner)
        });
        assert!(!within(&deep));
        assert!(within(&der(0x04, &set_of_nulls(MAX_SET_ELEMENTS + 1))));
        // Not DER: left to the decoder.
        assert!(within(&[0x31, 0x85, 0, 0, 0, 0, 1]));
    }

    /// The CRL and OCSP readers, which hand their input to x509-cert and
    /// x509-ocsp (sorting SET OFs by insertion), refuse a SET of more than 64
    /// elements first, whatever else is wrong with it.
    #[test]
    fn crl_and_ocsp_readers_bound_sets_before_decoding() {
        let limit = |e: String| e.contains("SET of more than 64 elements");
        let over = set_of_nulls(MAX_SET_ELEMENTS + 1);
        let within = set_of_nulls(MAX_SET_ELEMENTS);
        assert!(crate::crl::Crl::parse(&over, None).err().is_some_and(limit));
        assert!(crate::crl::Crl::parse(&within, None)
            .err()
            .is_some_and(|e| !limit(e)));
        assert!(crate::ocsp::Response::parse(&over, false)
            .err()
            .is_some_and(limit));
        assert!(crate::ocsp::Response::parse(&within, false)
            .err()
            .is_some_and(|e| !limit(e)));
    }
}
