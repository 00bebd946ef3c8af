//! RFC 3161 timestamp countersignatures (spec §9): the `TimeStampToken` in
//! `io.cncf.notary.timestampSignature`, a CMS SignedData over a TSTInfo, verified
//! the way tspclient-go verifies it.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use cms::content_info::{CmsVersion, ContentInfo};
use cms::revocation::RevocationInfoChoices;
use cms::signed_data::{
    DigestAlgorithmIdentifiers, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{Any, AnyRef, Int, IntRef, OctetString, OctetStringRef};
use der::{
    Decode, DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Sequence,
    SliceReader, Tag, TagNumber, Tagged, Writer,
};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime};
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::Extensions;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, AlgorithmIdentifierRef};

use crate::cert::{hash_from_oid, oid_name, range_in, Cert};
use crate::chain_cache::{ChainCache, Known};
use crate::crypto::{self, Hash};
use crate::error::{err, Error, ErrorCode};
use crate::outcome::{CertificateFacts, CertificateList, TimestampFacts};
use crate::signed_data;
use crate::store::TrustStore;
use crate::time::Time;
use crate::tsa_chain;
use crate::x509;

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// The RFC 3628 baseline time-stamp policy: accuracy of 1 s when none is given.
const BASELINE_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.2023.1.1");
/// Most certificates a token may carry.
const MAX_TOKEN_CERTIFICATES: usize = 32;

/// `cms::content_info::ContentInfo` with its content borrowed. The token is read
/// by [`read_content_info`], [`read_signed_data`] and [`read_signer_info`]; these
/// three derives are the decoding they are held to ([`compare_structure_readers`]).
#[derive(Sequence, Debug, PartialEq)]
struct ContentInfoRef<'a> {
    content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    content: AnyRef<'a>,
}

/// `cms::signed_data::SignedData`, field for field, with the encapsulated
/// content and the certificates borrowed (the certificates undecoded).
#[derive(Sequence, Debug, PartialEq)]
struct SignedDataRef<'a> {
    version: CmsVersion,
    /// Decoded by [`check_sorted_sets`].
    digest_algorithms: SetContent<'a>,
    encap_content_info: EncapsulatedContentInfoRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    certificates: Option<SetContent<'a>>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    crls: Option<SetContent<'a>>,
    /// Read by [`Signers::read`].
    signer_infos: SetContent<'a>,
}

/// `cms::signed_data::SignerInfo`, field for field, borrowed: the signer
/// identifier and the attribute sets are left encoded for [`borrowed_signer`].
#[derive(Sequence, Debug, PartialEq)]
struct SignerInfoRef<'a> {
    version: CmsVersion,
    sid: AnyRef<'a>,
    digest_alg: AlgorithmIdentifierRef<'a>,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    signed_attrs: Option<SetContent<'a>>,
    signature_algorithm: AlgorithmIdentifierRef<'a>,
    signature: OctetStringRef<'a>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    unsigned_attrs: Option<SetContent<'a>>,
}

/// [`ContentInfoRef::from_der`], read with the x509 TLV reader by the rules its
/// derive follows (`der`'s); [`compare_structure_readers`] holds them to it.
fn read_content_info(der: &[u8]) -> der::Result<ContentInfoRef<'_>> {
    let read = || -> x509::Res<ContentInfoRef<'_>> {
        let mut outer = x509::Elements::new(der);
        let info = outer.expect(x509::SEQUENCE)?;
        outer.finish()?;
        let mut fields = x509::Elements::new(info.content);
        let content_type = x509::oid(fields.expect(0x06)?)?;
        // Not OPTIONAL: `ContextSpecific::decode`, then its number checked.
        let content = explicit_any(fields.next()?)?;
        if content.1 != 0 {
            return Err(Tag::ContextSpecific {
                number: TagNumber::N0,
                constructed: false,
            }
            .value_error()
            .into());
        }
        fields.finish()?;
        Ok(ContentInfoRef {
            content_type,
            content: content.0,
        })
    };
    read().map_err(der::Error::from)
}

/// `content.decode_as::<SignedDataRef>()`, read as [`read_content_info`] reads.
fn read_signed_data(content: AnyRef<'_>) -> der::Result<SignedDataRef<'_>> {
    if content.tag() != Tag::Sequence {
        return Err(content.tag().unexpected_error(None));
    }
    let read = || -> x509::Res<SignedDataRef<'_>> {
        let mut fields = x509::Elements::new(content.value());
        let version = CmsVersion::from_der(fields.next()?.whole)?;
        let digest_algorithms = SetContent(fields.expect(x509::SET)?.content);
        let encap = fields.expect(x509::SEQUENCE)?;
        let mut encap_fields = x509::Elements::new(encap.content);
        let econtent_type = x509::oid(encap_fields.expect(0x06)?)?;
        let econtent = match encap_fields.context(0, &mut 0)? {
            Some(field) => Some(explicit_any(field)?.0),
            None => None,
        };
        encap_fields.finish()?;
        // OPTIONAL context-specific fields skip lower-numbered ones in front of
        // them, as `ContextSpecific::decode_implicit` does.
        let certificates = fields.context(0, &mut 0)?.map(implicit_set).transpose()?;
        let crls = fields.context(1, &mut 0)?.map(implicit_set).transpose()?;
        let signer_infos = SetContent(fields.expect(x509::SET)?.content);
        fields.finish()?;
        Ok(SignedDataRef {
            version,
            digest_algorithms,
            encap_content_info: EncapsulatedContentInfoRef {
                econtent_type,
                econtent,
            },
            certificates,
            crls,
            signer_infos,
        })
    };
    read().map_err(der::Error::from)
}

/// The next element of `infos` as `SignerInfoRef::decode` reads it.
fn read_signer_info<'a>(infos: &mut x509::Elements<'a>) -> der::Result<SignerInfoRef<'a>> {
    let mut read = || -> x509::Res<SignerInfoRef<'a>> {
        let info = infos.expect(x509::SEQUENCE)?;
        let mut fields = x509::Elements::new(info.content);
        let version = CmsVersion::from_der(fields.next()?.whole)?;
        let sid = fields.next()?;
        let sid = AnyRef::new(Tag::try_from(sid.tag)?, sid.content)?;
        let digest_alg = x509::algorithm(fields.expect(x509::SEQUENCE)?)?;
        let signed_attrs = fields.context(0, &mut 0)?.map(implicit_set).transpose()?;
        let signature_algorithm = x509::algorithm(fields.expect(x509::SEQUENCE)?)?;
        let signature = OctetStringRef::new(fields.expect(0x04)?.content)?;
        let unsigned_attrs = fields.context(1, &mut 0)?.map(implicit_set).transpose()?;
        fields.finish()?;
        Ok(SignerInfoRef {
            version,
            sid,
            digest_alg,
            signed_attrs,
            signature_algorithm,
            signature,
            unsigned_attrs,
        })
    };
    read().map_err(der::Error::from)
}

/// A context-specific `[n] EXPLICIT ANY` as `ContextSpecific::decode` reads it:
/// constructed, holding exactly one element; that element and `n`.
fn explicit_any(field: x509::Tlv<'_>) -> x509::Res<(AnyRef<'_>, u8)> {
    if field.tag & 0xE0 != 0xA0 {
        return Err(Tag::try_from(field.tag)?.unexpected_error(None).into());
    }
    let inner = x509::explicit(field)?;
    Ok((
        AnyRef::new(Tag::try_from(inner.tag)?, inner.content)?,
        field.tag & 0x1F,
    ))
}

/// A context-specific `[n] IMPLICIT SET OF` as `ContextSpecific::decode_implicit`
/// reads it: its content, the tag constructed as a SET's is.
fn implicit_set(field: x509::Tlv<'_>) -> x509::Res<SetContent<'_>> {
    if field.tag & 0x20 == 0 {
        return Err(Tag::try_from(field.tag)?.non_canonical_error().into());
    }
    Ok(SetContent(field.content))
}

/// `cms::cert::IssuerAndSerialNumber` borrowed.
#[derive(Sequence)]
struct IssuerAndSerialNumberRef<'a> {
    issuer: AnyRef<'a>,
    serial_number: IntRef<'a>,
}

/// The signerInfos of a token.
#[derive(Debug)]
enum Signers {
    /// One signerInfo (or none) whose every SET OF is in DER order, so that
    /// `cms` would hold and re-encode exactly its octets: read borrowed once
    /// ([`borrowed_signer`]) and kept as places in the SignerInfos content.
    Der {
        set: Vec<u8>,
        signer: Option<Box<SignerParts>>,
    },
    /// Decoded by `cms`, whatever the token (the reference reading, and the
    /// reading of every token the borrowed one does not take).
    Cms(SignerInfos),
}

/// Where the fields of a signerInfo read borrowed are, in `Signers::Der::set`.
#[derive(Debug)]
struct SignerParts {
    version: CmsVersion,
    /// The issuer Name's TLV and the serial number's octets.
    issuer_serial: Option<(Range<usize>, Range<usize>)>,
    digest_alg: ObjectIdentifier,
    /// The signed attributes as the DER SET the signature covers, and where
    /// their content is.
    signed_attrs: Option<(Vec<u8>, Range<usize>)>,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: Range<usize>,
}

/// One signerInfo, as the checks read it; the same whether it was read
/// borrowed or decoded by `cms` (the unit tests compare both).
#[derive(Debug, PartialEq, Eq)]
struct Signer<'a> {
    version: CmsVersion,
    /// For an issuerAndSerialNumber: the issuer Name as `cms` re-encodes it
    /// (its RDNs' attributes in DER order) and the serial number's octets.
    issuer_serial: Option<(Cow<'a, [u8]>, &'a [u8])>,
    digest_alg: ObjectIdentifier,
    signed_attrs: Option<SignedAttrs<'a>>,
    signature_algorithm: &'a AlgorithmIdentifierOwned,
    signature: &'a [u8],
}

/// The signed attributes of a signerInfo.
#[derive(Debug)]
struct SignedAttrs<'a> {
    /// The DER SET OF Attribute the signature covers.
    der: Cow<'a, [u8]>,
    attrs: Attrs<'a>,
}

#[derive(Debug)]
enum Attrs<'a> {
    /// The content of the SET, checked by [`borrowed_attributes`].
    Der(&'a [u8]),
    Cms(&'a [Attribute]),
}

impl SignedAttrs<'_> {
    /// Each attribute's type and values, in order.
    fn list(&self) -> Vec<(ObjectIdentifier, Vec<AnyRef<'_>>)> {
        match self.attrs {
            // Checked when the token was parsed.
            Attrs::Der(content) => borrowed_attributes(content).unwrap_or_default(),
            Attrs::Cms(attrs) => attrs
                .iter()
                .map(|a| (a.oid, a.values.iter().map(AnyRef::from).collect()))
                .collect(),
        }
    }

    /// The first value of the first attribute `oid` and whether that attribute
    /// has more; `None` when no attribute is `oid`.
    fn first_value(&self, oid: ObjectIdentifier) -> Option<(Option<AnyRef<'_>>, bool)> {
        match self.attrs {
            Attrs::Der(content) => {
                // Every attribute was decoded, its values in DER order, when the
                // token was parsed ([`attributes_read`]): here they are only
                // found again. DER encodes an OID one way, so comparing the
                // type's encoding is comparing the type.
                let mut rest = content;
                while !rest.is_empty() {
                    let mut fields = x509::split_tlv(&mut rest)?.content;
                    if x509::split_tlv(&mut fields)?.content != oid.as_bytes() {
                        continue;
                    }
                    let mut values = x509::split_tlv(&mut fields)?.content;
                    if values.is_empty() {
                        return Some((None, false));
                    }
                    let first = x509::split_tlv(&mut values)?;
                    let first = AnyRef::new(Tag::try_from(first.tag).ok()?, first.content).ok()?;
                    return Some((Some(first), !values.is_empty()));
                }
                None
            }
            Attrs::Cms(attrs) => attrs
                .iter()
                .find(|a| a.oid == oid)
                .map(|a| (a.values.get(0).map(AnyRef::from), a.values.len() > 1)),
        }
    }

    /// The value of the one attribute `oid`, when it has exactly one value.
    fn single_value(&self, oid: ObjectIdentifier) -> Option<AnyRef<'_>> {
        match self.first_value(oid)? {
            (Some(value), false) => Some(value),
            _ => None,
        }
    }

    fn has(&self, oid: ObjectIdentifier) -> bool {
        self.first_value(oid).is_some()
    }

    fn is_empty(&self) -> bool {
        match self.attrs {
            Attrs::Der(content) => content.is_empty(),
            Attrs::Cms(attrs) => attrs.is_empty(),
        }
    }
}

impl PartialEq for SignedAttrs<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der && self.list() == other.list()
    }
}

impl Eq for SignedAttrs<'_> {}

impl Signers {
    /// Reads the content of a SignerInfos SET: borrowed when
    /// [`borrowed_signer`] takes it, by `cms` otherwise (refusing what `cms`
    /// refuses, as TSA malformed).
    fn read(set: &[u8]) -> Result<Self, Error> {
        check_set_sizes(set)?;
        if let Some(signer) = borrowed_signer(set) {
            return Ok(Signers::Der {
                set: set.to_vec(),
                signer,
            });
        }
        decode_set::<SignerInfos>(set)
            .map(Signers::Cms)
            .map_err(|e| malformed(format!("SignedData: {e}")))
    }

    /// Every signerInfo, in the order `cms` holds them.
    fn list(&self) -> Vec<Signer<'_>> {
        match self {
            Signers::Der { set, signer } => signer
                .iter()
                .map(|parts| Signer {
                    version: parts.version,
                    issuer_serial: parts.issuer_serial.as_ref().map(|(issuer, serial)| {
                        (Cow::Borrowed(&set[issuer.clone()]), &set[serial.clone()])
                    }),
                    digest_alg: parts.digest_alg,
                    signed_attrs: parts
                        .signed_attrs
                        .as_ref()
                        .map(|(der, content)| SignedAttrs {
                            der: Cow::Borrowed(der),
                            attrs: Attrs::Der(&set[content.clone()]),
                        }),
                    signature_algorithm: &parts.signature_algorithm,
                    signature: &set[parts.signature.clone()],
                })
                .collect(),
            Signers::Cms(infos) => infos.0.iter().map(cms_signer).collect(),
        }
    }
}

/// The signerInfo of a SignerInfos SET's content (`Some(None)` for an empty
/// SET), read borrowed, when it holds at most one signerInfo and `cms` would
/// decode it to exactly these octets: every field decoded by the rules `cms`
/// decodes it with (the issuer Name by [`crate::x509::Name`]'s, which are
/// x509-cert's), every SET OF (the issuer's RDNs, the signed and unsigned
/// attributes, each attribute's values) in DER order, so that nothing `cms`
/// sorts moves. `None` otherwise, and then `cms` reads the token.
fn borrowed_signer(set: &[u8]) -> Option<Option<Box<SignerParts>>> {
    let mut infos = x509::Elements::new(set);
    if infos.is_empty() {
        return Some(None);
    }
    let info = read_signer_info(&mut infos).ok()?;
    if !infos.is_empty() {
        // Several signerInfos: `cms` sorts them, by its own comparison.
        return None;
    }
    let place = |part: &[u8]| range_in(set, part);
    let issuer_serial = match info.sid.tag() {
        Tag::Sequence => {
            let id: IssuerAndSerialNumberRef<'_> = info.sid.decode_as().ok()?;
            let issuer = tlv_in(set, id.issuer)?;
            let name = crate::x509::Name::from_tlv(issuer).ok()?;
            // x509-cert's serial numbers have at most 21 octets.
            if !name.in_der_order() || id.serial_number.len() > Length::new(21) {
                return None;
            }
            Some((place(issuer)?, place(id.serial_number.as_bytes())?))
        }
        // [0] IMPLICIT SubjectKeyIdentifier (an OCTET STRING, any content).
        Tag::ContextSpecific {
            constructed: false,
            number: TagNumber::N0,
        } => None,
        _ => return None,
    };
    let signed_attrs = match info.signed_attrs {
        Some(attrs) => {
            if !attributes_read(attrs.0) {
                return None;
            }
            let mut der = Vec::with_capacity(attrs.0.len() + 6);
            Header::new(Tag::Set, Length::try_from(attrs.0.len()).ok()?)
                .ok()?
                .encode_to_vec(&mut der)
                .ok()?;
            der.extend_from_slice(attrs.0);
            Some((der, place(attrs.0)?))
        }
        None => None,
    };
    if info
        .unsigned_attrs
        .is_some_and(|attrs| !attributes_read(attrs.0))
    {
        return None;
    }
    Some(Some(Box::new(SignerParts {
        version: info.version,
        issuer_serial,
        digest_alg: info.digest_alg.oid,
        signed_attrs,
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: info.signature_algorithm.oid,
            parameters: info.signature_algorithm.parameters.map(Any::from),
        },
        signature: place(info.signature.as_bytes())?,
    })))
}

/// The attributes of a SET OF Attribute's content, each `SEQUENCE { OBJECT
/// IDENTIFIER, SET OF ANY }` as x509-cert decodes it, when the attributes and
/// each attribute's values are in DER order with no two equal (what `cms`
/// sorts, and refuses when equal); `None` otherwise.
fn borrowed_attributes(content: &[u8]) -> Option<Vec<(ObjectIdentifier, Vec<AnyRef<'_>>)>> {
    let mut attrs = Vec::new();
    each_attribute(content, |oid, values| {
        let mut list = Vec::new();
        each_in_der_order(values, |value| {
            list.push(AnyRef::new(Tag::try_from(value.tag).ok()?, value.content).ok()?);
            Some(())
        })?;
        attrs.push((oid, list));
        Some(())
    })?;
    Some(attrs)
}

/// Whether [`borrowed_attributes`] reads `content`, without collecting what it
/// reads: the attributes, and each one's values, in DER order with no two equal
/// (every value's tag one `der` knows).
fn attributes_read(content: &[u8]) -> bool {
    each_attribute(content, |_, values| each_in_der_order(values, |_| Some(()))).is_some()
}

/// Calls `each` with the type and the values' content of every attribute of a
/// SET OF Attribute's content, the attributes in DER order with no two equal;
/// `each` reads the values.
fn each_attribute<'a>(
    content: &'a [u8],
    mut each: impl FnMut(ObjectIdentifier, &'a [u8]) -> Option<()>,
) -> Option<()> {
    each_in_der_order(content, |tlv| {
        let (oid, values) = x509::cms_attribute(tlv.whole)?;
        each(oid, values)
    })
}

/// Calls `each` with every element of a SET OF's content, when they are in DER
/// order with no two equal (strictly increasing encodings); `None` when they are
/// not, or when `each` returns `None`.
fn each_in_der_order<'a>(
    content: &'a [u8],
    mut each: impl FnMut(x509::Tlv<'a>) -> Option<()>,
) -> Option<()> {
    let mut rest = content;
    let mut previous: Option<&[u8]> = None;
    while !rest.is_empty() {
        let tlv = x509::split_tlv(&mut rest)?;
        if previous.is_some_and(|p| p >= tlv.whole) {
            return None;
        }
        previous = Some(tlv.whole);
        each(tlv)?;
    }
    Some(())
}

/// The whole TLV of `value`, which was decoded from `outer` (so its content is
/// a part of it, preceded by its DER header).
fn tlv_in<'a>(outer: &'a [u8], value: AnyRef<'a>) -> Option<&'a [u8]> {
    let content = range_in(outer, value.value())?;
    let header = Header::new(value.tag(), value.value().len())
        .and_then(|h| h.encoded_len())
        .ok()?;
    let header = usize::try_from(header).ok()?;
    outer.get(content.start.checked_sub(header)?..content.end)
}

/// A signerInfo as `cms` decoded it.
fn cms_signer(info: &SignerInfo) -> Signer<'_> {
    Signer {
        version: info.version,
        issuer_serial: match &info.sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => id
                .issuer
                .to_der()
                .ok()
                .map(|issuer| (Cow::Owned(issuer), id.serial_number.as_bytes())),
            SignerIdentifier::SubjectKeyIdentifier(_) => None,
        },
        digest_alg: info.digest_alg.oid,
        signed_attrs: info.signed_attrs.as_ref().map(|attrs| SignedAttrs {
            // Re-encoding a decoded SET OF cannot fail; were it to, the
            // signature check fails on the empty message.
            der: Cow::Owned(attrs.to_der().unwrap_or_default()),
            attrs: Attrs::Cms(attrs.as_slice()),
        }),
        signature_algorithm: &info.signature_algorithm,
        signature: info.signature.as_bytes(),
    }
}

/// `cms::signed_data::EncapsulatedContentInfo` with the content borrowed.
#[derive(Sequence, Debug, PartialEq)]
struct EncapsulatedContentInfoRef<'a> {
    econtent_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    econtent: Option<AnyRef<'a>>,
}

/// Declares a type holding the content octets of one universal constructed
/// type, not decoded (decodes and encodes as that type, content as is).
macro_rules! undecoded_content {
    ($(#[$doc:meta])* $name:ident, $tag:expr) => {
        $(#[$doc])*
        #[derive(Debug, PartialEq)]
        struct $name<'a>(&'a [u8]);

        impl FixedTag for $name<'_> {
            const TAG: Tag = $tag;
        }

        impl<'a> DecodeValue<'a> for $name<'a> {
            fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
                reader.read_slice(header.length).map($name)
            }
        }

        impl EncodeValue for $name<'_> {
            fn value_len(&self) -> der::Result<Length> {
                Length::try_from(self.0.len())
            }

            fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
                writer.write(self.0)
            }
        }
    };
}

undecoded_content!(
    /// The content octets of a `SET OF`, not decoded.
    SetContent,
    Tag::Set
);
undecoded_content!(
    /// The content octets of a `SEQUENCE OF`, not decoded.
    SequenceContent,
    Tag::Sequence
);

/// ```text
/// TSTInfo ::= SEQUENCE {
///   version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
///   serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
///   ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL,
///   tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT Extensions OPTIONAL }
/// ```
#[derive(Sequence)]
struct TstInfo {
    version: u8,
    policy: ObjectIdentifier,
    message_imprint: MessageImprint,
    serial_number: Int,
    /// Read as raw bytes: DER GeneralizedTime with optional fractional seconds.
    gen_time: Any,
    #[asn1(optional = "true")]
    accuracy: Option<Accuracy>,
    #[asn1(optional = "true")]
    ordering: Option<bool>,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<Any>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

#[derive(Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

/// [`TstInfo`] with its fields borrowed from the DER: what [`finish`] decodes
/// (no allocation but the extensions'); `TstInfo`, which decodes alike, is
/// what [`compare_tst_info`] holds it to.
#[derive(Sequence)]
struct TstInfoRef<'a> {
    version: u8,
    policy: ObjectIdentifier,
    message_imprint: MessageImprintRef<'a>,
    serial_number: IntRef<'a>,
    gen_time: AnyRef<'a>,
    #[asn1(optional = "true")]
    accuracy: Option<Accuracy>,
    #[asn1(optional = "true")]
    ordering: Option<bool>,
    #[asn1(optional = "true")]
    nonce: Option<IntRef<'a>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<AnyRef<'a>>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

#[derive(Sequence)]
struct MessageImprintRef<'a> {
    hash_algorithm: AlgorithmIdentifierRef<'a>,
    hashed_message: OctetStringRef<'a>,
}

/// `Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER OPTIONAL, micros [1] INTEGER OPTIONAL }`
#[derive(Sequence, Debug, PartialEq)]
struct Accuracy {
    #[asn1(optional = "true")]
    seconds: Option<u32>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    micros: Option<u16>,
}

/// RFC 5035 `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF PolicyInformation OPTIONAL }`
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT id-sha256, certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }`
#[derive(Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`
#[derive(Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// A verified timestamp.
#[derive(Debug, Clone)]
pub(crate) struct Timestamp<'a> {
    /// genTime.
    pub gen_time: Time,
    /// genTime − accuracy.
    pub lower: Time,
    /// genTime + accuracy.
    pub upper: Time,
    /// The timestamp authority's chain, signing certificate first.
    pub certificates: Vec<&'a Cert>,
}

/// The certificates a token carries, parsed, in the order `cms` sorts a
/// `CertificateSet`; shared through the chain cache by the tokens of one
/// timestamp authority.
#[derive(Debug, Default)]
pub(crate) struct TokenCertificates {
    pub certs: Vec<Cert>,
    /// Each certificate's facts, in `certs` order, rendered once.
    facts: OnceLock<Vec<CertificateFacts>>,
}

impl TokenCertificates {
    pub(crate) fn facts(&self) -> &[CertificateFacts] {
        self.facts.get_or_init(|| {
            self.certs
                .iter()
                .flat_map(|c| CertificateFacts::of_chain([c], None))
                .collect()
        })
    }
}

/// A parsed (not yet verified) token.
pub(crate) struct Token {
    signer_infos: Signers,
    /// The encapsulated content type (id-ct-TSTInfo).
    econtent_type: ObjectIdentifier,
    certificates: Arc<TokenCertificates>,
    /// The message imprint's hash algorithm.
    imprint_algorithm: ObjectIdentifier,
    /// Where the message imprint's hashedMessage is in `content`.
    imprint: Range<usize>,
    /// The DER TSTInfo, as signed.
    content: Vec<u8>,
    gen_time: OffsetDateTime,
    lower: OffsetDateTime,
    upper: OffsetDateTime,
}

fn malformed(detail: impl std::fmt::Display) -> Error {
    err(
        ErrorCode::TimestampMalformed,
        format!("the timestamp countersignature is not an RFC 3161 TimeStampToken (CMS SignedData): {detail}; re-timestamp the signature"),
    )
}

fn bad_tst_info(detail: impl std::fmt::Display) -> Error {
    err(
        ErrorCode::TimestampTstInfoInvalid,
        format!("the timestamp token does not carry a valid RFC 3161 TSTInfo: {detail}"),
    )
}

/// Parses the token and its TSTInfo (spec §9 steps 2, 3 and 5).
pub(crate) fn parse(token: &[u8]) -> Result<Token, Error> {
    parse_with(token, None, None)
}

/// [`parse`], taking the token's certificates from `cache` when it holds the
/// same certificate set (the exact bytes), and leaving them there when not.
///
/// The CMS structure is decoded with the types of the `cms` crate and by the
/// same rules (its derive macros), but the certificates are not: they stay
/// borrowed DER until [`Cert::parse`] reads each once, and are then put in the
/// order `cms` gives a `CertificateSet` (see [`cms_certificate_order`]).
/// [`parse_with_cms`] is the decoding it must agree with.
pub(crate) fn parse_with(
    token: &[u8],
    cache: Option<&ChainCache>,
    store: Option<&TrustStore>,
) -> Result<Token, Error> {
    let info = read_content_info(token).map_err(|e| malformed(format!("ContentInfo: {e}")))?;
    check_content_type(&info.content_type)?;
    let signed =
        read_signed_data(info.content).map_err(|e| malformed(format!("SignedData: {e}")))?;
    check_sorted_sets(&signed)?;
    let signers = Signers::read(signed.signer_infos.0)?;
    check_version(signed.version)?;
    let certificates = match (signed.certificates, cache) {
        (Some(set), Some(cache)) => match cache.token_certificates(set.0) {
            Some(hit) => hit,
            None => {
                let parsed = Arc::new(token_certificates(set.0, store)?);
                cache.insert_token_certificates(set.0, Arc::clone(&parsed));
                parsed
            }
        },
        (Some(set), None) => Arc::new(token_certificates(set.0, store)?),
        (None, _) => Arc::default(),
    };
    let encap = &signed.encap_content_info;
    let content = tst_info_content(&encap.econtent_type, encap.econtent.as_ref())?;
    finish(signers, encap.econtent_type, certificates, content)
}

/// Refuses a SET OF `cms` would sort (by insertion: quadratic) holding more than
/// [`x509::MAX_SET_ELEMENTS`] elements: the SET whose content is `content`, or
/// any at any depth inside it.
fn check_set_sizes(content: &[u8]) -> Result<(), Error> {
    x509::check_set_content(content).map_err(|too_many| {
        err(
            ErrorCode::LimitExceeded,
            format!("the timestamp token {too_many}"),
        )
    })
}

/// Decodes the content octets of a SET as `T`, exactly as `T::from_der` decodes
/// the whole SET.
fn decode_set<'a, T: DecodeValue<'a>>(content: &'a [u8]) -> der::Result<T> {
    let header = Header::new(Tag::Set, content.len())?;
    let mut reader = SliceReader::new(content)?;
    let value = T::decode_value(&mut reader, header)?;
    reader.finish(value)
}

/// The SignedData's digestAlgorithms and crls, which the verifier does not use,
/// checked as `cms` decodes them (it refuses what `cms` refuses), each SET OF in
/// them bounded first.
fn check_sorted_sets(signed: &SignedDataRef<'_>) -> Result<(), Error> {
    check_set_sizes(signed.digest_algorithms.0)?;
    if one_algorithm_read(signed.digest_algorithms.0) != Some(true) {
        decode_set::<DigestAlgorithmIdentifiers>(signed.digest_algorithms.0)
            .map_err(|e| malformed(format!("SignedData: {e}")))?;
    }
    if let Some(crls) = &signed.crls {
        check_set_sizes(crls.0)?;
        decode_set::<RevocationInfoChoices>(crls.0)
            .map_err(|e| malformed(format!("SignedData: {e}")))?;
    }
    Ok(())
}

/// Whether `der`'s `SetOfVec<AlgorithmIdentifierOwned>` decodes the content of
/// a SET holding at most one element (nothing to sort or compare): `None` when
/// it holds more. Read with [`x509::algorithm`] (AlgorithmIdentifier by the
/// derive's rules), without the allocations of the owned decoding.
fn one_algorithm_read(content: &[u8]) -> Option<bool> {
    let mut elements = x509::Elements::new(content);
    if elements.is_empty() {
        return Some(true);
    }
    let Ok(first) = elements.next() else {
        return Some(false);
    };
    if !elements.is_empty() {
        return None;
    }
    Some(first.tag == x509::SEQUENCE && x509::algorithm(first).is_ok())
}

/// A timestamp token is a ContentInfo of type signedData (spec §9 step 2).
fn check_content_type(content_type: &ObjectIdentifier) -> Result<(), Error> {
    if *content_type != ID_SIGNED_DATA {
        return Err(malformed(format!(
            "content type {} is not signedData",
            oid_name(content_type)
        )));
    }
    Ok(())
}

/// RFC 3161 tokens are SignedData version 3.
fn check_version(version: CmsVersion) -> Result<(), Error> {
    if version != CmsVersion::V3 {
        return Err(malformed(format!(
            "SignedData version is {}, not 3",
            version as u8
        )));
    }
    Ok(())
}

/// The certificates of a `CertificateSet`, given its content octets: at most
/// [`MAX_TOKEN_CERTIFICATES`], all X.509 certificates, no two the same, in the
/// order `cms` sorts them.
fn token_certificates(set: &[u8], store: Option<&TrustStore>) -> Result<TokenCertificates, Error> {
    let mut reader = SliceReader::new(set).map_err(|e| malformed(format!("SignedData: {e}")))?;
    let mut elements = Vec::with_capacity(MAX_TOKEN_CERTIFICATES);
    while !reader.is_finished() {
        // Counted before any is decoded, and no further than the limit, so a
        // hostile token costs no more than this.
        if elements.len() == MAX_TOKEN_CERTIFICATES {
            return Err(too_many_certificates());
        }
        let tlv = reader
            .tlv_bytes()
            .map_err(|e| malformed(format!("SignedData: certificates: {e}")))?;
        elements.push(tlv);
    }
    let mut certificates = Vec::with_capacity(elements.len());
    for (i, tlv) in elements.iter().enumerate() {
        if tlv.first() != Some(&0x30) {
            return Err(not_a_certificate(i));
        }
        certificates.push(token_certificate(tlv, i, store)?);
    }
    certificates.sort_by(|a, b| cms_certificate_order(&a.der, &b.der));
    if certificates.windows(2).any(|w| w[0].der == w[1].der) {
        return Err(malformed(
            "SignedData: the token carries a certificate twice",
        ));
    }
    Ok(TokenCertificates {
        certs: certificates,
        facts: OnceLock::new(),
    })
}

fn too_many_certificates() -> Error {
    err(
        ErrorCode::LimitExceeded,
        format!("the timestamp token carries more than {MAX_TOKEN_CERTIFICATES} certificates"),
    )
}

/// Element `i` (from 0) of the certificate set is another choice than an X.509
/// certificate.
fn not_a_certificate(i: usize) -> Error {
    malformed(format!(
        "certificate {} of the token is not an X.509 certificate",
        i + 1
    ))
}

/// Certificate `i` (from 0) of the token, parsed.
fn token_certificate(der: &[u8], i: usize, store: Option<&TrustStore>) -> Result<Cert, Error> {
    Cert::parse_or_known(
        der,
        format_args!("certificate {} of the timestamp token", i + 1),
        store,
    )
    .map_err(|e| malformed(e.message()))
}

/// The order of two DER certificates in a `CertificateSet` decoded by `cms`: the
/// `SET OF` is sorted with der's `DerOrd`, and `CertificateChoices` compares as
/// its header (tag, then length) and then its encoding as a `Vec<u8>`, which der
/// orders as a `SEQUENCE OF INTEGER`: by the length of that encoding (3 octets
/// for a byte below 0x80, 4 above), then byte by byte. For two certificates of
/// the same length that is: fewer octets of 0x80 or more first, then the bytes.
fn cms_certificate_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let high = |der: &[u8]| der.iter().filter(|&&b| b >= 0x80).count();
    a.len()
        .cmp(&b.len())
        .then_with(|| high(a).cmp(&high(b)))
        .then_with(|| a.cmp(b))
}

/// The DER TSTInfo the encapsulated content carries (spec §9 step 3).
fn tst_info_content(
    econtent_type: &ObjectIdentifier,
    econtent: Option<&AnyRef<'_>>,
) -> Result<Vec<u8>, Error> {
    if *econtent_type != ID_CT_TST_INFO {
        return Err(bad_tst_info(format!(
            "its content type is {}, not id-ct-TSTInfo",
            oid_name(econtent_type)
        )));
    }
    Ok(econtent
        .ok_or_else(|| bad_tst_info("the token has no content"))?
        .decode_as::<OctetStringRef<'_>>()
        .map_err(|e| bad_tst_info(format!("the content is not an OCTET STRING: {e}")))?
        .as_bytes()
        .to_vec())
}

/// Decodes the TSTInfo and completes the token.
fn finish(
    signer_infos: Signers,
    econtent_type: ObjectIdentifier,
    certificates: Arc<TokenCertificates>,
    content: Vec<u8>,
) -> Result<Token, Error> {
    let tst_info = TstInfoRef::from_der(&content).map_err(|e| bad_tst_info(e.to_string()))?;
    if tst_info.version != 1 {
        return Err(bad_tst_info(format!(
            "its version is {}, not 1",
            tst_info.version
        )));
    }
    if tst_info.gen_time.tag() != Tag::GeneralizedTime {
        return Err(bad_tst_info("genTime is not a GeneralizedTime"));
    }
    let gen_time = parse_generalized_time(tst_info.gen_time.value())
        .ok_or_else(|| bad_tst_info("genTime is not a valid GeneralizedTime"))?;
    let accuracy = accuracy(tst_info.accuracy.as_ref(), &tst_info.policy);
    let imprint_algorithm = tst_info.message_imprint.hash_algorithm.oid;
    let imprint = range_in(&content, tst_info.message_imprint.hashed_message.as_bytes())
        .ok_or_else(|| bad_tst_info("its message imprint cannot be located"))?;
    let (Some(lower), Some(upper)) = (
        gen_time.checked_sub(accuracy),
        gen_time.checked_add(accuracy),
    ) else {
        return Err(bad_tst_info("genTime ± accuracy is out of range"));
    };
    Ok(Token {
        signer_infos,
        econtent_type,
        certificates,
        imprint_algorithm,
        imprint,
        content,
        gen_time,
        lower,
        upper,
    })
}

/// The token decoded with the owned types of the `cms` crate and certificates
/// decoded by x509-cert and re-encoded: the reference [`parse`] is compared
/// with (tests, the `timestamp_token` fuzz target).
fn parse_with_cms(token: &[u8]) -> Result<Token, Error> {
    let info = ContentInfo::from_der(token).map_err(|e| malformed(format!("ContentInfo: {e}")))?;
    check_content_type(&info.content_type)?;
    let mut signed: SignedData = info
        .content
        .decode_as()
        .map_err(|e| malformed(format!("SignedData: {e}")))?;
    check_version(signed.version)?;
    let mut certificates = Vec::new();
    for (i, choice) in signed
        .certificates
        .take()
        .map(|set| set.0.into_vec())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        if i == MAX_TOKEN_CERTIFICATES {
            return Err(too_many_certificates());
        }
        let cms::cert::CertificateChoices::Certificate(cert) = choice else {
            return Err(not_a_certificate(i));
        };
        let der = cert
            .to_der()
            .map_err(|e| malformed(format!("certificate {}: {e}", i + 1)))?;
        certificates.push(token_certificate(&der, i, None)?);
    }
    let encap = &signed.encap_content_info;
    let econtent = encap.econtent.as_ref().map(AnyRef::from);
    let content = tst_info_content(&encap.econtent_type, econtent.as_ref())?;
    let certificates = Arc::new(TokenCertificates {
        certs: certificates,
        facts: OnceLock::new(),
    });
    finish(
        Signers::Cms(signed.signer_infos),
        encap.econtent_type,
        certificates,
        content,
    )
}

/// Decodes a DER TSTInfo with [`TstInfoRef`] (what [`finish`] reads) and with
/// the owned [`TstInfo`]: `Err` where they differ in acceptance or in any field.
fn compare_tst_info(content: &[u8]) -> Result<(), String> {
    let differ = |what: &str| {
        Err(format!(
            "the TSTInfo {content:02x?} decodes differently: {what}"
        ))
    };
    let (ours, theirs) = match (TstInfoRef::from_der(content), TstInfo::from_der(content)) {
        (Ok(ours), Ok(theirs)) => (ours, theirs),
        (Err(_), Err(_)) => return Ok(()),
        (ours, theirs) => {
            return differ(&format!("ours {:?}, owned {:?}", ours.err(), theirs.err()))
        }
    };
    let theirs_imprint = &theirs.message_imprint;
    let same = [
        ("version", ours.version == theirs.version),
        ("policy", ours.policy == theirs.policy),
        (
            "imprint algorithm",
            ours.message_imprint.hash_algorithm.oid == theirs_imprint.hash_algorithm.oid
                && ours
                    .message_imprint
                    .hash_algorithm
                    .parameters
                    .map(Any::from)
                    == theirs_imprint.hash_algorithm.parameters,
        ),
        (
            "hashed message",
            ours.message_imprint.hashed_message.as_bytes()
                == theirs_imprint.hashed_message.as_bytes(),
        ),
        (
            "serial number",
            ours.serial_number.as_bytes() == theirs.serial_number.as_bytes(),
        ),
        ("genTime", Any::from(ours.gen_time) == theirs.gen_time),
        ("accuracy", ours.accuracy == theirs.accuracy),
        ("ordering", ours.ordering == theirs.ordering),
        (
            "nonce",
            ours.nonce.map(|n| n.as_bytes().to_vec())
                == theirs.nonce.as_ref().map(|n| n.as_bytes().to_vec()),
        ),
        ("tsa", ours.tsa.map(Any::from) == theirs.tsa),
        ("extensions", ours.extensions == theirs.extensions),
    ];
    match same.iter().find(|(_, same)| !same) {
        Some((what, _)) => differ(what),
        None => Ok(()),
    }
}

/// Reads `token`'s ContentInfo, SignedData and signerInfos with the x509 TLV
/// reader ([`read_content_info`], [`read_signed_data`], [`read_signer_info`])
/// and with the derives they stand for: `Err` where they differ (one accepts
/// what the other refuses, or they read different values). `Ok` with how far
/// both read: 0 (the ContentInfo refused) to 3 (every signerInfo read).
fn compare_structure_readers(token: &[u8]) -> Result<u8, String> {
    fn same<T: PartialEq + std::fmt::Debug>(
        what: &str,
        ours: der::Result<T>,
        theirs: der::Result<T>,
    ) -> Result<Option<T>, String> {
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) if ours == theirs => Ok(Some(ours)),
            (Err(_), Err(_)) => Ok(None),
            (ours, theirs) => Err(format!(
                "{what} read differently: ours {ours:?}, the derive {theirs:?}"
            )),
        }
    }
    let Some(info) = same(
        "ContentInfo",
        read_content_info(token),
        ContentInfoRef::from_der(token),
    )?
    else {
        return Ok(0);
    };
    let Some(signed) = same(
        "SignedData",
        read_signed_data(info.content),
        info.content.decode_as::<SignedDataRef<'_>>(),
    )?
    else {
        return Ok(1);
    };
    let encap = &signed.encap_content_info;
    if let Ok(content) = tst_info_content(&encap.econtent_type, encap.econtent.as_ref()) {
        compare_tst_info(&content)?;
    }
    let digests = signed.digest_algorithms.0;
    if let Some(read) = one_algorithm_read(digests) {
        if read != decode_set::<DigestAlgorithmIdentifiers>(digests).is_ok() {
            return Err(format!(
                "the digest algorithms {digests:02x?} read differently: ours {read}"
            ));
        }
    }
    let set = signed.signer_infos.0;
    let mut ours = x509::Elements::new(set);
    let mut theirs = SliceReader::new(set).map_err(|e| e.to_string())?;
    while !theirs.is_finished() {
        let read = same(
            "signerInfo",
            read_signer_info(&mut ours),
            SignerInfoRef::decode(&mut theirs),
        )?;
        if read.is_none() {
            return Ok(2);
        }
        if ours.is_empty() != theirs.is_finished() {
            return Err("the signerInfo readers stopped at different places".into());
        }
    }
    Ok(3)
}

/// Parses `token` with [`parse`] and with [`parse_with_cms`], reads its
/// structure with both readers ([`compare_structure_readers`]), and reads each
/// signer's signingCertificateV2 with [`first_ess_cert_id`] and by x509-cert;
/// `Err` names where they differ, `Ok(accepted)` otherwise. Two differences are
/// by design:
/// [`parse`] applies limits `cms` does not have (it counts the certificates
/// before it decodes any, at most [`MAX_TOKEN_CERTIFICATES`], and refuses a SET
/// of more than [`x509::MAX_SET_ELEMENTS`] elements, which `cms` sorts in
/// quadratic time), refusing such a token whatever `cms` makes of it; and
/// [`Cert::parse`] refuses a repeated or misplaced
/// field in a tbsCertificate that x509-cert passes over (and re-encoding drops),
/// whatever `cms` makes of the rest of the token.
pub(crate) fn compare_with_cms(token: &[u8]) -> Result<bool, String> {
    compare_structure_readers(token)?;
    let ours = parse(token);
    let theirs = parse_with_cms(token);
    let (ours, theirs) = match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => (ours, theirs),
        (Err(ours), Err(theirs)) if ours.code() == theirs.code() => return Ok(false),
        // A limit (certificates counted first; a SET of more than
        // x509::MAX_SET_ELEMENTS, which `cms` would sort however long) refuses
        // whatever `cms` makes of the token.
        (Err(ours), _) if ours.code() == ErrorCode::LimitExceeded => return Ok(false),
        // Refused at the certificates, before any later step could refuse it.
        (Err(ours), _)
            if ours.code() == ErrorCode::TimestampMalformed
                && ours.message().contains("misplaced") =>
        {
            return Ok(false)
        }
        (ours, theirs) => {
            return Err(format!(
                "parsers disagree on {token:02x?}: ours {:?}, cms {:?}",
                ours.err().map(|e| (e.code(), e.message().to_owned())),
                theirs.err().map(|e| (e.code(), e.message().to_owned())),
            ))
        }
    };
    // `cms` hands over certificates as x509-cert re-encodes them (an explicit
    // default version dropped, for one), sorted by that encoding; the parser keeps
    // them as sent, sorted by what was sent. Where re-encoding changes one, the
    // certificates are compared by their re-encodings, as a set.
    let ders = |t: &Token| {
        t.certificates
            .certs
            .iter()
            .map(|c| c.der.clone())
            .collect::<Vec<_>>()
    };
    let reencoded = |der: &Vec<u8>| {
        x509_cert::Certificate::from_der(der)
            .and_then(|c| c.to_der())
            .unwrap_or_else(|_| der.clone())
    };
    let (mut ours_ders, mut theirs_ders) = (ders(&ours), ders(&theirs));
    if ours_ders.iter().any(|d| reencoded(d) != *d) {
        ours_ders = ours_ders.iter().map(reencoded).collect();
        ours_ders.sort();
        theirs_ders.sort();
    }
    // Each signer's signingCertificateV2, read borrowed where it can be, as
    // x509-cert reads it.
    let signing_certificates_same = ours.signer_infos.list().iter().all(|signer| {
        match signer
            .signed_attrs
            .as_ref()
            .and_then(|attrs| attrs.single_value(ID_SIGNING_CERTIFICATE_V2))
        {
            Some(value) => first_ess_cert_id(value) == owned_ess_cert_id(value),
            None => true,
        }
    });
    // The attributes the verifier looks up, looked up in both.
    let (ours_signers, theirs_signers) = (ours.signer_infos.list(), theirs.signer_infos.list());
    let lookups_same = ours_signers.iter().zip(&theirs_signers).all(|(o, t)| {
        match (&o.signed_attrs, &t.signed_attrs) {
            (Some(o), Some(t)) => [
                ID_CONTENT_TYPE,
                ID_MESSAGE_DIGEST,
                ID_SIGNING_TIME,
                ID_SIGNING_CERTIFICATE_V2,
            ]
            .into_iter()
            .all(|oid| o.first_value(oid) == t.first_value(oid)),
            (o, t) => o.is_none() == t.is_none(),
        }
    });
    let mut differences = Vec::new();
    for (what, same) in [
        ("certificates", ours_ders == theirs_ders),
        ("attribute lookups", lookups_same),
        ("signer infos", ours_signers == theirs_signers),
        ("signing certificate attribute", signing_certificates_same),
        ("content type", ours.econtent_type == theirs.econtent_type),
        ("content", ours.content == theirs.content),
        (
            "times",
            (ours.gen_time, ours.lower, ours.upper)
                == (theirs.gen_time, theirs.lower, theirs.upper),
        ),
    ] {
        if !same {
            differences.push(what);
        }
    }
    if differences.is_empty() {
        Ok(true)
    } else {
        Err(format!("parsers differ in {differences:?} on {token:02x?}"))
    }
}

/// seconds + millis + micros; 1 s under the baseline policy when all are absent
/// or zero (tspclient-go).
fn accuracy(accuracy: Option<&Accuracy>, policy: &ObjectIdentifier) -> Duration {
    let (s, ms, us) = accuracy.map_or((0, 0, 0), |a| {
        (
            a.seconds.unwrap_or(0),
            a.millis.unwrap_or(0),
            a.micros.unwrap_or(0),
        )
    });
    if s == 0 && ms == 0 && us == 0 && *policy == BASELINE_POLICY {
        return Duration::seconds(1);
    }
    Duration::seconds(i64::from(s))
        + Duration::milliseconds(i64::from(ms))
        + Duration::microseconds(i64::from(us))
}

/// `YYYYMMDDhhmmss[.f…]Z` (DER GeneralizedTime, fractional seconds allowed
/// without trailing zeros).
fn parse_generalized_time(text: &[u8]) -> Option<OffsetDateTime> {
    let text = core::str::from_utf8(text).ok()?;
    let body = text.strip_suffix('Z')?;
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: core::ops::Range<usize>| whole[r].parse::<u32>().ok();
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(num(4..6)?).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(num(6..8)?).ok()?).ok()?;
    let hour = u8::try_from(num(8..10)?).ok()?;
    let minute = u8::try_from(num(10..12)?).ok()?;
    let second = u8::try_from(num(12..14)?).ok()?;
    let nanos = match fraction {
        None => 0,
        Some(f)
            if (1..=9).contains(&f.len())
                && f.bytes().all(|b| b.is_ascii_digit())
                && !f.ends_with('0') =>
        {
            f.parse::<u32>().ok()? * 10u32.pow(9 - u32::try_from(f.len()).ok()?)
        }
        Some(_) => return None,
    };
    let time = time::Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

fn out_of_range() -> Error {
    bad_tst_info("genTime is out of the supported range")
}

/// What a parsed token says, unverified: genTime, its accuracy window and the
/// certificates the token carries (signing certificate first when it can be
/// identified), for `notation inspect`-style reporting.
pub(crate) fn facts(parsed: &Token) -> Result<TimestampFacts, Error> {
    let certs = &parsed.certificates.certs;
    // Indexes into `certs` (no two the same: a token's certificates differ).
    let mut ordered: Vec<usize> = Vec::new();
    let signer = parsed
        .signer_infos
        .list()
        .iter()
        .find_map(|si| signer_by_sid(certs, si));
    if let Some(signer) = signer {
        let mut current = signer;
        ordered.push(current);
        while let Some(issuer) = (0..certs.len()).find(|&i| {
            certs[i].subject_raw() == certs[current].issuer_raw() && !ordered.contains(&i)
        }) {
            ordered.push(issuer);
            current = issuer;
        }
    }
    for i in 0..certs.len() {
        if !ordered.contains(&i) {
            ordered.push(i);
        }
    }
    let time = |t| {
        Time::from_datetime(t)
            .map(Time::to_rfc3339)
            .ok_or_else(out_of_range)
    };
    Ok(TimestampFacts {
        gen_time: time(parsed.gen_time)?,
        lower: time(parsed.lower)?,
        upper: time(parsed.upper)?,
        certificates: CertificateList::of_token(Arc::clone(&parsed.certificates), ordered),
    })
}

/// Verifies a parsed token as a timestamp of `signature` (the decoded JWS
/// signature bytes) against the `tsa` trust-store `roots` (spec §9 steps 4–8).
/// Signatures `known` to the verifier (roots verified at load, links verified
/// before) are not verified again.
pub(crate) fn verify<'a>(
    parsed: &'a Token,
    signature: &[u8],
    roots: &'a [Arc<Cert>],
    known: &Known<'_>,
) -> Result<Timestamp<'a>, Error> {
    check_imprint(parsed, signature)?;
    verify_parsed(parsed, roots, known)
}

/// The message imprint must be a SHA-2 hash of `signature` (spec §9 step 4).
fn check_imprint(parsed: &Token, signature: &[u8]) -> Result<(), Error> {
    let hash = hash_from_oid(&parsed.imprint_algorithm).ok_or_else(|| {
        err(
            ErrorCode::TimestampImprintAlgorithmUnsupported,
            format!(
                "the timestamp's message imprint uses {}; only SHA-256, SHA-384 and SHA-512 are accepted",
                oid_name(&parsed.imprint_algorithm)
            ),
        )
    })?;
    if crypto::digest(hash, signature)[..] != parsed.content[parsed.imprint.clone()] {
        return Err(err(
            ErrorCode::TimestampImprintMismatch,
            "the timestamp was not made over this signature (its message imprint differs from the hash of the signature bytes)",
        ));
    }
    Ok(())
}

/// Trust roots, signer, chain and profile (spec §9 steps 6–8).
fn verify_parsed<'a>(
    parsed: &'a Token,
    roots: &'a [Arc<Cert>],
    known: &Known<'_>,
) -> Result<Timestamp<'a>, Error> {
    if roots.is_empty() {
        return Err(err(
            ErrorCode::TimestampNoTrustedRoots,
            "the trust policy's tsa trust stores hold no certificate; add the timestamp authority's root certificate",
        ));
    }
    let gen_time = Time::from_datetime(parsed.gen_time).ok_or_else(out_of_range)?;
    let signer_infos = parsed.signer_infos.list();
    let mut last_error = err(
        ErrorCode::TimestampNoSigner,
        "the timestamp token has no signerInfo",
    );
    for signer_info in signer_infos.iter() {
        match verify_signer(parsed, signer_info, roots, gen_time, known) {
            Ok(certificates) => {
                tsa_chain::validate_profile(&certificates, known)?;
                return Ok(Timestamp {
                    gen_time,
                    lower: Time::from_datetime(parsed.lower).ok_or_else(out_of_range)?,
                    upper: Time::from_datetime(parsed.upper).ok_or_else(out_of_range)?,
                    certificates,
                });
            }
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

/// One signerInfo (spec §9 step 7): signing certificate, version, chain,
/// signature, signed attributes, EKU. Returns the TSA chain.
fn verify_signer<'a>(
    token: &'a Token,
    signer_info: &Signer<'_>,
    roots: &'a [Arc<Cert>],
    gen_time: Time,
    known: &Known<'_>,
) -> Result<Vec<&'a Cert>, Error> {
    let signing_cert = signing_certificate(token, signer_info)?;
    if signer_info.version != CmsVersion::V1 {
        return Err(err(
            ErrorCode::TimestampSignerVersionInvalid,
            format!("the timestamp signerInfo version is {}; only version 1 (issuer and serial number) is supported", signer_info.version as u8),
        ));
    }
    let chain = tsa_chain::build(
        signing_cert,
        &token.certificates.certs,
        roots,
        gen_time,
        known,
    )?;

    let bad_signature = |detail: String| {
        err(
            ErrorCode::TimestampTokenSignatureInvalid,
            format!("the timestamp token's signature {detail}"),
        )
    };
    let attrs = signer_info.signed_attrs.as_ref();
    let message = match attrs {
        Some(attrs) => &attrs.der[..],
        None => &token.content[..],
    };
    match signed_data::verify(
        signer_info.signature_algorithm,
        Some(&signer_info.digest_alg),
        signing_cert,
        message,
        signer_info.signature,
        known,
    ) {
        Ok(true) => {}
        Ok(false) => {
            return Err(bad_signature(
                "does not verify with the timestamping certificate's key".into(),
            ))
        }
        Err(reason) => return Err(bad_signature(format!("cannot be checked: {reason}"))),
    }

    let bad_attrs = |detail: &str| {
        err(
            ErrorCode::TimestampSignedAttributesInvalid,
            format!("the timestamp token's signed attributes are invalid: {detail}"),
        )
    };
    let Some(attrs) = attrs.filter(|a| !a.is_empty()) else {
        return Err(bad_attrs("they are missing"));
    };
    let content_type: ObjectIdentifier = attrs
        .single_value(ID_CONTENT_TYPE)
        .and_then(|v| v.decode_as().ok())
        .ok_or_else(|| bad_attrs("the content-type attribute is missing or malformed"))?;
    if content_type != token.econtent_type {
        return Err(bad_attrs(
            "the content-type attribute differs from the token's content type",
        ));
    }
    let digest: OctetStringRef<'_> = attrs
        .single_value(ID_MESSAGE_DIGEST)
        .and_then(|v| v.decode_as().ok())
        .ok_or_else(|| bad_attrs("the message-digest attribute is missing or malformed"))?;
    let digest_hash = hash_from_oid(&signer_info.digest_alg)
        .ok_or_else(|| bad_attrs("the digest algorithm is not SHA-256, SHA-384 or SHA-512"))?;
    if crypto::digest(digest_hash, &token.content) != digest.as_bytes() {
        return Err(bad_attrs(
            "the message-digest attribute does not match the TSTInfo",
        ));
    }
    if attrs.has(ID_SIGNING_TIME) {
        let signing_time = attrs
            .single_value(ID_SIGNING_TIME)
            .and_then(|v| x509_cert::time::Time::from_der(&v.to_der().ok()?).ok())
            .ok_or_else(|| bad_attrs("the signing-time attribute is malformed"))?;
        let at = Time::from_der(&signing_time);
        if chain.iter().any(|c| at < c.not_before || at > c.not_after) {
            return Err(err(
                ErrorCode::TimestampSigningTimeInvalid,
                format!("the timestamp token's signing time {at} is outside the validity of its certificate chain"),
            ));
        }
    }
    tsa_chain::check_timestamping_eku(signing_cert)?;
    Ok(chain)
}

/// The index of the certificate a signer info's `sid` names.
fn signer_by_sid(certificates: &[Cert], signer_info: &Signer<'_>) -> Option<usize> {
    let (issuer, serial) = signer_info.issuer_serial.as_ref()?;
    certificates
        .iter()
        .position(|c| c.issuer_raw() == &issuer[..] && c.serial() == *serial)
}

/// The first ESSCertIDv2 of a signingCertificateV2 attribute.
#[derive(Debug, PartialEq, Eq)]
struct EssCertId<'a> {
    hash_algorithm: Option<ObjectIdentifier>,
    cert_hash: Cow<'a, [u8]>,
    issuer_serial: Option<EssIssuerSerial<'a>>,
}

/// An ESSCertIDv2's issuerSerial: its first directory name as x509-cert
/// re-encodes it (`None` when it has none) and the serial number's octets.
type EssIssuerSerial<'a> = (Option<Cow<'a, [u8]>>, Cow<'a, [u8]>);

/// `SigningCertificateV2` borrowed, its certificate list undecoded.
#[derive(Sequence)]
struct SigningCertificateV2Ref<'a> {
    certs: SequenceContent<'a>,
    #[asn1(optional = "true")]
    policies: Option<AnyRef<'a>>,
}

/// `EssCertIdV2` borrowed, its issuer's GeneralNames undecoded.
#[derive(Sequence)]
struct EssCertIdV2Ref<'a> {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierRef<'a>>,
    cert_hash: OctetStringRef<'a>,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerialRef<'a>>,
}

/// `IssuerSerial` borrowed.
#[derive(Sequence)]
struct IssuerSerialRef<'a> {
    issuer: SequenceContent<'a>,
    serial_number: IntRef<'a>,
}

/// The first certificate a signingCertificateV2 attribute value names
/// (`Some(None)`: none), `None` when it is malformed. Read borrowed when every
/// issuer in it is only directory names ([4] Name) whose RDNs are in DER order,
/// so that x509-cert would decode it alike and re-encode each Name to its TLV;
/// decoded by x509-cert ([`SigningCertificateV2`]) otherwise.
fn first_ess_cert_id(value: AnyRef<'_>) -> Option<Option<EssCertId<'_>>> {
    borrowed_ess_cert_id(value).or_else(|| owned_ess_cert_id(value))
}

/// [`first_ess_cert_id`] by x509-cert.
fn owned_ess_cert_id(value: AnyRef<'_>) -> Option<Option<EssCertId<'static>>> {
    let attr: SigningCertificateV2 = value.decode_as().ok()?;
    Some(attr.certs.into_iter().next().map(|first| EssCertId {
        hash_algorithm: first.hash_algorithm.map(|alg| alg.oid),
        cert_hash: Cow::Owned(first.cert_hash.into_bytes()),
        issuer_serial: first.issuer_serial.map(|is| {
            let issuer = is.issuer.iter().find_map(|n| match n {
                GeneralName::DirectoryName(name) => name.to_der().ok().map(Cow::Owned),
                _ => None,
            });
            (issuer, Cow::Owned(is.serial_number.as_bytes().to_vec()))
        }),
    }))
}

/// [`first_ess_cert_id`]'s borrowed reading; `None` where it defers to x509-cert.
fn borrowed_ess_cert_id(value: AnyRef<'_>) -> Option<Option<EssCertId<'_>>> {
    let attr: SigningCertificateV2Ref<'_> = value.decode_as().ok()?;
    let mut ids = SliceReader::new(attr.certs.0).ok()?;
    let mut first = None;
    while !ids.is_finished() {
        let id = EssCertIdV2Ref::decode(&mut ids).ok()?;
        let issuer_serial = match id.issuer_serial {
            Some(is) => {
                // x509-cert's serial numbers have at most 21 octets.
                if is.serial_number.len() > Length::new(21) {
                    return None;
                }
                let mut names = SliceReader::new(is.issuer.0).ok()?;
                let mut directory_name = None;
                while !names.is_finished() {
                    // [4] EXPLICIT Name, exactly one Name inside.
                    let header = Header::decode(&mut names).ok()?;
                    if header.tag
                        != (Tag::ContextSpecific {
                            constructed: true,
                            number: TagNumber::N4,
                        })
                    {
                        return None;
                    }
                    let mut inner = SliceReader::new(names.read_slice(header.length).ok()?).ok()?;
                    let tlv = inner.tlv_bytes().ok()?;
                    if !inner.is_finished()
                        || !crate::x509::Name::from_tlv(tlv).ok()?.in_der_order()
                    {
                        return None;
                    }
                    directory_name.get_or_insert(tlv);
                }
                Some((
                    directory_name.map(Cow::Borrowed),
                    Cow::Borrowed(is.serial_number.as_bytes()),
                ))
            }
            None => None,
        };
        if first.is_none() {
            first = Some(EssCertId {
                hash_algorithm: id.hash_algorithm.map(|alg| alg.oid),
                cert_hash: Cow::Borrowed(id.cert_hash.as_bytes()),
                issuer_serial,
            });
        }
    }
    Some(first)
}

/// The certificate the signingCertificateV2 attribute names, checked against its
/// hash (spec §9 step 7.1–7.2). Failures are TSA-08.
fn signing_certificate<'a>(token: &'a Token, signer_info: &Signer<'_>) -> Result<&'a Cert, Error> {
    let bad = |detail: &str| {
        err(
            ErrorCode::TimestampSigningCertificateInvalid,
            format!("the timestamp token's signing-certificate attribute is invalid: {detail}"),
        )
    };
    let attrs = signer_info
        .signed_attrs
        .as_ref()
        .ok_or_else(|| bad("the token has no signed attributes"))?;
    let value = attrs
        .single_value(ID_SIGNING_CERTIFICATE_V2)
        .ok_or_else(|| bad("the signingCertificateV2 attribute is missing"))?;
    let first = first_ess_cert_id(value)
        .ok_or_else(|| bad("the signingCertificateV2 attribute is malformed"))?
        .ok_or_else(|| bad("the signingCertificateV2 attribute names no certificate"))?;
    let candidate = match &first.issuer_serial {
        Some((issuer, serial)) => {
            let issuer = issuer
                .as_ref()
                .ok_or_else(|| bad("its issuerSerial has no issuer name"))?;
            token
                .certificates
                .certs
                .iter()
                .find(|c| c.issuer_raw() == &issuer[..] && c.serial() == &serial[..])
        }
        None => signer_by_sid(&token.certificates.certs, signer_info)
            .map(|i| &token.certificates.certs[i]),
    }
    .ok_or_else(|| bad("the signing certificate is not in the timestamp token"))?;
    let hash = match &first.hash_algorithm {
        None => Hash::Sha256,
        Some(oid) => hash_from_oid(oid).ok_or_else(|| {
            bad("its certificate hash algorithm is not SHA-256, SHA-384 or SHA-512")
        })?,
    };
    // SHA-256: computed once per certificate and kept with it (a token's
    // certificates the chain cache holds are hashed once for all the tokens
    // that carry them).
    let matches = match hash {
        Hash::Sha256 => candidate.sha256()[..] == *first.cert_hash,
        _ => crypto::digest(hash, &candidate.der) == *first.cert_hash,
    };
    if !matches {
        return Err(bad("the signing certificate's hash does not match"));
    }
    Ok(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_der::{self, Node};

    #[test]
    fn generalized_time_forms() {
        let t = parse_generalized_time(b"20240618062937Z").unwrap();
        assert_eq!(t.unix_timestamp(), 1_718_692_177);
        let f = parse_generalized_time(b"20241231080530.009Z").unwrap();
        assert_eq!(f.nanosecond(), 9_000_000);
        for bad in [
            &b"20240618062937"[..],
            b"20240618062937.Z",
            b"20240618062937.50Z",
            b"2024061806293Z",
            b"20241331000000Z",
            b"20240618062937+0100",
        ] {
            assert!(
                parse_generalized_time(bad).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    /// `../shared/vectors`, or `None` (with a note) when it is not checked out.
    fn vectors() -> Option<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors");
        if dir.join("manifest.json").exists() {
            Some(dir)
        } else {
            eprintln!("skipped: ../shared/vectors is not present");
            None
        }
    }

    fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
        std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// A verified [`Timestamp`] with its chain copied out of the token and roots.
    #[derive(Debug)]
    struct Stamp {
        gen_time: Time,
        lower: Time,
        upper: Time,
        certificates: Vec<Cert>,
    }

    impl From<Timestamp<'_>> for Stamp {
        fn from(t: Timestamp<'_>) -> Self {
            Self {
                gen_time: t.gen_time,
                lower: t.lower,
                upper: t.upper,
                certificates: t.certificates.into_iter().cloned().collect(),
            }
        }
    }

    /// Parses and verifies a token; no root counts as verified at load.
    fn verify(token: &[u8], signature: &[u8], roots: &[Arc<Cert>]) -> Result<Stamp, Error> {
        super::verify(&parse(token)?, signature, roots, &Known::nothing()).map(Stamp::from)
    }

    fn inspect(token: &[u8]) -> Result<TimestampFacts, Error> {
        facts(&parse(token)?)
    }

    fn root(dir: &std::path::Path, rel: &str) -> Vec<Arc<Cert>> {
        vec![Arc::new(Cert::parse(&read(dir, rel), rel).unwrap())]
    }

    const GLOBALSIGN_R6: &str =
        "notation-go/verifier/testdata/truststore/x509/tsa/test-timestamp/globalsignRoot.cer";
    const DIGICERT_G4: &str =
        "notation-go/verifier/testdata/truststore/x509/tsa/test-mismatch/DigiCertTSARootSHA384.cer";
    const COUNTERSIGNATURE: &str = "notation-go/verifier/testdata/timestamp/countersignature";

    /// The decoded signature and timestamp token of a JWS envelope file.
    fn jws_parts(dir: &std::path::Path, rel: &str) -> (Vec<u8>, Vec<u8>) {
        use base64ct::Encoding as _;
        let v: serde_json::Value = serde_json::from_slice(&read(dir, rel)).unwrap();
        let sig =
            base64ct::Base64UrlUnpadded::decode_vec(v["signature"].as_str().unwrap()).unwrap();
        let token = base64ct::Base64::decode_vec(
            v["header"]["io.cncf.notary.timestampSignature"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        (sig, token)
    }

    fn parsed_then_verified(
        dir: &std::path::Path,
        rel: &str,
        roots: &[Arc<Cert>],
    ) -> Result<Stamp, Error> {
        verify_parsed(&parse(&read(dir, rel))?, roots, &Known::nothing()).map(Stamp::from)
    }

    #[test]
    fn ngo_countersignature_token_verifies_to_globalsign_r6() {
        let Some(dir) = vectors() else { return };
        let stamp = parsed_then_verified(
            &dir,
            &format!("{COUNTERSIGNATURE}/TimeStampToken.p7s"),
            &root(&dir, GLOBALSIGN_R6),
        )
        .unwrap();
        assert_eq!(stamp.gen_time.to_rfc3339(), "2021-09-17T14:09:10Z");
        assert_eq!(stamp.lower.to_rfc3339(), "2021-09-17T14:09:09Z");
        assert_eq!(stamp.upper.to_rfc3339(), "2021-09-17T14:09:11Z");
        let subjects: Vec<String> = stamp
            .certificates
            .iter()
            .map(|c| c.subject_text())
            .collect();
        assert_eq!(
            subjects,
            [
                "CN=Globalsign TSA for Advanced - G4,O=GlobalSign nv-sa,C=BE",
                "CN=GlobalSign Timestamping CA - SHA384 - G4,O=GlobalSign nv-sa,C=BE",
                "CN=GlobalSign,OU=GlobalSign Root CA - R6,O=GlobalSign",
            ]
        );
    }

    #[test]
    fn tsa_05_imprint_mismatch_on_ngo_token() {
        let Some(dir) = vectors() else { return };
        let token = read(&dir, &format!("{COUNTERSIGNATURE}/TimeStampToken.p7s"));
        let e = verify(&token, b"some other signature", &root(&dir, GLOBALSIGN_R6)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::TimestampImprintMismatch);
    }

    #[test]
    fn tsa_10_ngo_token_with_untrusted_root() {
        let Some(dir) = vectors() else { return };
        let e = parsed_then_verified(
            &dir,
            &format!("{COUNTERSIGNATURE}/TimeStampToken.p7s"),
            &root(&dir, DIGICERT_G4),
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::TimestampChainNotTrusted, "{e}");
    }

    #[test]
    fn tsa_06_no_tsa_roots() {
        let Some(dir) = vectors() else { return };
        let e = parsed_then_verified(&dir, &format!("{COUNTERSIGNATURE}/TimeStampToken.p7s"), &[])
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::TimestampNoTrustedRoots);
    }

    #[test]
    fn tsa_03_ngo_token_with_invalid_tst_info() {
        let Some(dir) = vectors() else { return };
        let e = parsed_then_verified(
            &dir,
            &format!("{COUNTERSIGNATURE}/TimeStampTokenWithInvalidTSTInfo.p7s"),
            &root(&dir, GLOBALSIGN_R6),
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::TimestampTstInfoInvalid, "{e}");
    }

    #[test]
    fn tsa_03_ngo_token_with_wrong_content_type() {
        let Some(dir) = vectors() else { return };
        let e = parsed_then_verified(
            &dir,
            &format!("{COUNTERSIGNATURE}/TimeStampTokenWithInvalideContentType.p7s"),
            &root(&dir, GLOBALSIGN_R6),
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::TimestampTstInfoInvalid, "{e}");
    }

    #[test]
    fn tsa_08_ngo_token_without_certificate() {
        let Some(dir) = vectors() else { return };
        let e = parsed_then_verified(
            &dir,
            &format!("{COUNTERSIGNATURE}/TimeStampTokenWithoutCertificate.p7s"),
            &root(&dir, GLOBALSIGN_R6),
        )
        .unwrap_err();
        assert_eq!(
            e.code(),
            ErrorCode::TimestampSigningCertificateInvalid,
            "{e}"
        );
    }

    #[test]
    fn tsa_11_core_token_with_invalid_signature() {
        let Some(dir) = vectors() else { return };
        let rel =
            "notation-core-go/internal/timestamp/testdata/TimeStampTokenWithInvalidSignature.p7s";
        let e = parsed_then_verified(&dir, rel, &root(&dir, GLOBALSIGN_R6)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::TimestampTokenSignatureInvalid, "{e}");
    }

    #[test]
    fn ngo_envelope_tokens_verify_over_their_signatures() {
        let Some(dir) = vectors() else { return };
        let roots = root(&dir, GLOBALSIGN_R6);
        for (envelope, extracted, gen_time) in [
            (
                "jwsWithTimestamp.sig",
                "ng_jwsWithTimestamp.tst.der",
                "2024-06-18T06:29:37Z",
            ),
            (
                "jwsExpiredWithTimestamp.sig",
                "ng_jwsExpiredWithTimestamp.tst.der",
                "2024-06-18T07:21:42Z",
            ),
            (
                "timestampBeforeNotBefore.sig",
                "ng_timestampBeforeNotBefore.tst.der",
                "2024-06-19T09:30:14Z",
            ),
        ] {
            let (signature, token) = jws_parts(
                &dir,
                &format!("notation-go/verifier/testdata/timestamp/sigEnv/{envelope}"),
            );
            assert_eq!(
                token,
                read(&dir, &format!("extra/_derived/tst/{extracted}")),
                "{envelope}"
            );
            let stamp =
                verify(&token, &signature, &roots).unwrap_or_else(|e| panic!("{envelope}: {e}"));
            assert_eq!(stamp.gen_time.to_rfc3339(), gen_time, "{envelope}");
            assert_eq!(stamp.certificates.len(), 3, "{envelope}");
            assert_eq!(
                verify(&token, &signature[1..], &roots).unwrap_err().code(),
                ErrorCode::TimestampImprintMismatch,
                "{envelope}"
            );
        }
    }

    #[test]
    fn ngo_cose_tokens_verify_apart_from_the_imprint() {
        let Some(dir) = vectors() else { return };
        let roots = root(&dir, GLOBALSIGN_R6);
        for file in [
            "ng_coseWithTimestamp.tst.der",
            "ng_coseExpiredWithTimestamp.tst.der",
            "ng_timestampAfterNotAfter.tst.der",
        ] {
            let rel = format!("extra/_derived/tst/{file}");
            parsed_then_verified(&dir, &rel, &roots).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    }

    #[test]
    fn cli_microsoft_tokens_have_fractional_times_and_untrusted_roots() {
        let Some(dir) = vectors() else { return };
        let (signature, token) = jws_parts(&dir, "extra/notation-cli/signatures/blob.jws.sig");
        assert_eq!(token, read(&dir, "extra/_derived/tst/cli_blob_jws.tst.der"));
        let facts = inspect(&token).unwrap();
        assert_eq!(facts.gen_time, "2024-12-31T08:05:30.009Z");
        assert_eq!(facts.lower, "2024-12-31T08:05:29.509Z");
        assert_eq!(facts.upper, "2024-12-31T08:05:30.509Z");
        assert_eq!(
            facts.certificates[0].issued_to.split(',').next(),
            Some("CN=Microsoft Public RSA Time Stamping Authority")
        );
        for roots in [root(&dir, GLOBALSIGN_R6), root(&dir, DIGICERT_G4)] {
            assert_eq!(
                verify(&token, &signature, &roots).unwrap_err().code(),
                ErrorCode::TimestampChainNotTrusted
            );
        }
        let (signature, token) = jws_parts(
            &dir,
            "extra/notation-cli/registry/oci_layout/e2e-with-timestamped-signature/blobs/sha256/603ff134e97a79cd7a15560b76137c2c4a10451daab11327a7c6f86dac250fee",
        );
        assert_eq!(
            verify(&token, &signature, &root(&dir, DIGICERT_G4))
                .unwrap_err()
                .code(),
            ErrorCode::TimestampChainNotTrusted
        );
    }

    #[test]
    fn tsa_02_cli_invalid_token() {
        let Some(dir) = vectors() else { return };
        let (signature, token) = jws_parts(
            &dir,
            "extra/notation-cli/registry/oci_layout/e2e-with-invalid-timestamped-signature/blobs/sha256/8d2e70ffc2af68b7f2df6f30dfefcb7bcda1db5f9ac2566fc8c6c2248c8d4c5f",
        );
        assert_eq!(
            token,
            read(
                &dir,
                "extra/_derived/tst/cli_e2e_with_invalid_timestamped.tst.der"
            )
        );
        assert_eq!(
            verify(&token, &signature, &root(&dir, GLOBALSIGN_R6))
                .unwrap_err()
                .code(),
            ErrorCode::TimestampMalformed
        );
    }

    /// `x509_cert::attr::Attribute` with its values undecoded: the `der`
    /// decoding [`x509::cms_attribute`] must agree with.
    #[derive(der::Sequence)]
    struct AttributeRef<'a> {
        oid: ObjectIdentifier,
        values: SetContent<'a>,
    }

    /// [`borrowed_attributes`] with `der`'s readers and decoders, as it was
    /// written before it read with [`x509::split_tlv`] and [`x509::cms_attribute`].
    fn attributes_by_der(content: &[u8]) -> Option<Vec<(ObjectIdentifier, Vec<AnyRef<'_>>)>> {
        fn in_der_order<'a>(
            content: &'a [u8],
            mut each: impl FnMut(&'a [u8]) -> Option<()>,
        ) -> Option<()> {
            let mut reader = SliceReader::new(content).ok()?;
            let mut previous: Option<&[u8]> = None;
            while !reader.is_finished() {
                let tlv = reader.tlv_bytes().ok()?;
                if previous.is_some_and(|p| p >= tlv) {
                    return None;
                }
                previous = Some(tlv);
                each(tlv)?;
            }
            Some(())
        }
        let mut attrs = Vec::new();
        in_der_order(content, |tlv| {
            let attr = AttributeRef::from_der(tlv).ok()?;
            let mut values = Vec::new();
            in_der_order(attr.values.0, |value| {
                values.push(AnyRef::from_der(value).ok()?);
                Some(())
            })?;
            attrs.push((attr.oid, values));
            Some(())
        })?;
        Some(attrs)
    }

    /// The ContentInfo, SignedData and signerInfo readers read what their
    /// derives read, on the fixture tokens altered octet by octet (every octet of
    /// the structure around the certificates, some inside them; each set to
    /// values that change a tag's class, form or number, or a length's form)
    /// and cut short. Four faults injected into the readers each fail it.
    #[test]
    fn structure_reads_as_its_derives_read_it() {
        let mut next = crate::test_rng::xorshift(0xC2B2_AE3D_27D4_EB4F);
        let mut reached = [0usize; 4];
        let mut check = |token: &[u8]| {
            let depth = compare_structure_readers(token).unwrap_or_else(|e| panic!("{e}"));
            reached[usize::from(depth)] += 1;
        };
        for token in fixture_tokens().iter().take(8) {
            let len = token.len();
            let positions: Vec<usize> = (0..len)
                .filter(|&at| at < 400 || at + 700 >= len || next() % 8 == 0)
                .collect();
            let values = [
                0x00, 0x01, 0x02, 0x04, 0x06, 0x1F, 0x30, 0x31, 0x80, 0x81, 0x82, 0xA0, 0xA1, 0xA2,
                0x60, 0xE0, 0xFF,
            ];
            altered_octet_by_octet(token, positions, &values, &mut next, &mut check);
        }
        assert!(reached.iter().all(|&n| n > 300), "{reached:?}");
    }

    /// The TSTInfo of every fixture token, altered octet by octet (each octet set
    /// to values that change a tag, a length form or a field) and cut short:
    /// [`TstInfoRef`] decodes what [`TstInfo`] decodes, field for field.
    #[test]
    fn tst_info_decodes_as_the_owned_tst_info() {
        let mut next = crate::test_rng::xorshift(0x1656_67B1_9E37_79F9);
        let (mut read, mut refused) = (0, 0);
        let mut check = |content: &[u8]| {
            compare_tst_info(content).unwrap_or_else(|e| panic!("{e}"));
            if TstInfo::from_der(content).is_ok() {
                read += 1;
            } else {
                refused += 1;
            }
        };
        for token in fixture_tokens().iter().take(12) {
            let Ok(parsed) = parse(token) else { continue };
            let values = [
                0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x18, 0x30, 0x7F, 0x80, 0x81, 0xA0, 0xA1, 0xFF,
            ];
            let content = &parsed.content;
            altered_octet_by_octet(content, 0..content.len(), &values, &mut next, &mut check);
        }
        assert!(
            read > 300 && refused > 300,
            "{read} read, {refused} refused"
        );
    }

    /// The signed attributes of every fixture token, altered octet by octet
    /// (each octet set to values that change a tag, a length form or an OID, and
    /// random ones) and cut short: read by [`borrowed_attributes`] exactly as
    /// `der`'s readers and decoders read them, and [`attributes_read`] and
    /// [`SignedAttrs::first_value`] agree.
    #[test]
    fn attributes_read_as_der_reads_them() {
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15);
        let (mut read, mut refused) = (0, 0);
        let mut check = |content: &[u8]| {
            let ours = borrowed_attributes(content);
            assert_eq!(ours, attributes_by_der(content), "{content:02x?}");
            assert_eq!(attributes_read(content), ours.is_some());
            if let Some(list) = &ours {
                let attrs = SignedAttrs {
                    der: Cow::Borrowed(&[]),
                    attrs: Attrs::Der(content),
                };
                for (oid, _) in list {
                    assert_eq!(attrs.first_value(*oid), first_listed(list, oid));
                }
                read += 1;
            } else {
                refused += 1;
            }
        };
        for token in fixture_tokens().iter().take(12) {
            let Ok(parsed) = parse(token) else { continue };
            for signer in parsed.signer_infos.list() {
                let Some(SignedAttrs {
                    attrs: Attrs::Der(content),
                    ..
                }) = signer.signed_attrs
                else {
                    continue;
                };
                let values = [
                    0x00, 0x01, 0x05, 0x06, 0x0C, 0x1F, 0x30, 0x31, 0x7F, 0x80, 0x81, 0x82, 0x84,
                    0x85, 0xA0, 0xFF,
                ];
                altered_octet_by_octet(content, 0..content.len(), &values, &mut next, &mut check);
            }
        }
        assert!(
            read > 500 && refused > 500,
            "{read} read, {refused} refused"
        );
    }

    /// What [`SignedAttrs::first_value`] must find for `oid` in `list` (an
    /// attribute list as [`SignedAttrs::list`] gives it): the first value of the
    /// first attribute `oid`, and whether it has more.
    fn first_listed<'a>(
        list: &[(ObjectIdentifier, Vec<AnyRef<'a>>)],
        oid: &ObjectIdentifier,
    ) -> Option<(Option<AnyRef<'a>>, bool)> {
        list.iter()
            .find(|(o, _)| o == oid)
            .map(|(_, v)| (v.first().copied(), v.len() > 1))
    }

    /// Calls `check` with `bytes`; then, for each octet at `positions`, with that
    /// octet set to each of `values`, to a random value and to itself with its low
    /// bit flipped, and with `bytes` cut short before it.
    fn altered_octet_by_octet(
        bytes: &[u8],
        positions: impl IntoIterator<Item = usize>,
        values: &[u8],
        next: &mut impl FnMut() -> u64,
        check: &mut impl FnMut(&[u8]),
    ) {
        check(bytes);
        for at in positions {
            let mut altered = bytes.to_vec();
            for value in values.iter().copied().chain([next() as u8, bytes[at] ^ 1]) {
                altered[at] = value;
                check(&altered);
            }
            check(&bytes[..at]);
        }
    }

    /// Every token under tests/fixtures/timestamp/tokens, and notation's when
    /// ../shared/vectors is present.
    fn fixture_tokens() -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/timestamp/tokens");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        let mut out: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
        if let Some(dir) = vectors() {
            for sub in [
                "extra/_derived/tst",
                "notation-go/verifier/testdata/timestamp/countersignature",
                "notation-core-go/internal/timestamp/testdata",
            ] {
                let mut paths: Vec<_> = std::fs::read_dir(dir.join(sub))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                paths.sort();
                out.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
            }
        }
        out
    }

    fn assert_same_parse(token: &[u8]) -> bool {
        compare_with_cms(token).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The children of the token's SignedData (tree of the whole token).
    fn signed_data_fields(tree: &mut [Node]) -> &mut Vec<Node> {
        let Node::Tree(_, content_info) = &mut tree[0] else {
            panic!("a ContentInfo is a SEQUENCE")
        };
        let Node::Tree(_, explicit) = &mut content_info[1] else {
            panic!("[0] EXPLICIT content")
        };
        let Node::Tree(_, fields) = &mut explicit[0] else {
            panic!("a SignedData is a SEQUENCE")
        };
        fields
    }

    /// The first signerInfo of a token's tree.
    fn signer_info_fields(tree: &mut [Node]) -> &mut Vec<Node> {
        let Some(Node::Tree(0x31, infos)) = signed_data_fields(tree).last_mut() else {
            panic!("signerInfos is a SET")
        };
        let Node::Tree(0x30, fields) = &mut infos[0] else {
            panic!("a SignerInfo is a SEQUENCE")
        };
        fields
    }

    fn encode(tree: &[Node]) -> Vec<u8> {
        let mut der = Vec::new();
        for node in tree {
            node.encode(&mut der);
        }
        der
    }

    /// Whether `token` parses with its signerInfos read borrowed.
    fn read_borrowed(token: &[u8]) -> bool {
        matches!(
            parse(token).map(|t| t.signer_infos),
            Ok(Signers::Der { .. })
        )
    }

    /// Every fixture token's signerInfos are read borrowed; a token whose
    /// attributes, attribute values or issuer RDN attributes are out of DER order,
    /// or which has two signerInfos, is read by `cms` (which sorts them), and
    /// either way the parser reads what `cms` reads, the signed attributes'
    /// encoding (what the signature covers) included.
    #[test]
    fn signer_infos_read_borrowed_only_when_cms_would_not_reorder() {
        let path = |name: &str| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/timestamp/tokens")
                .join(name)
        };
        for entry in std::fs::read_dir(path("")).unwrap() {
            let token = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(read_borrowed(&token));
        }
        let token = std::fs::read(path("signing-time-outside.tst")).unwrap();
        let tree = Node::parse(&token);
        let check = |tree: &[Node], borrowed: bool| {
            let der = encode(tree);
            assert!(assert_same_parse(&der), "cms accepts it");
            assert_eq!(read_borrowed(&der), borrowed);
        };
        check(&tree, true);

        // Signed attributes out of order.
        let mut swapped = tree.clone();
        let Node::Tree(0xA0, attrs) = &mut signer_info_fields(&mut swapped)[3] else {
            panic!("signed attributes")
        };
        attrs.reverse();
        check(&swapped, false);

        // An attribute with two values, out of order and in order.
        for (order, borrowed) in [(true, false), (false, true)] {
            let mut two = tree.clone();
            let Node::Tree(0xA0, attrs) = &mut signer_info_fields(&mut two)[3] else {
                panic!("signed attributes")
            };
            let signing_time = ID_SIGNING_TIME.as_bytes();
            let Some(Node::Tree(0x30, attr)) = attrs.iter_mut().find(
                |a| matches!(a, Node::Tree(_, f) if f[0] == Node::Leaf(0x06, signing_time.to_vec())),
            ) else {
                panic!("the signing-time attribute")
            };
            let Node::Tree(0x31, values) = &mut attr[1] else {
                panic!("attribute values")
            };
            let mut other = values[0].clone();
            if let Node::Leaf(_, time) = &mut other {
                time[0] -= 1; // an earlier year: sorts first
            }
            if order {
                values.push(other);
            } else {
                values.insert(0, other);
            }
            check(&two, borrowed);
        }

        // The issuer's first two RDNs made one, out of order and in order.
        for (reverse, borrowed) in [(true, false), (false, true)] {
            let mut merged = tree.clone();
            let Node::Tree(0x30, sid) = &mut signer_info_fields(&mut merged)[1] else {
                panic!("issuerAndSerialNumber")
            };
            let Node::Tree(0x30, rdns) = &mut sid[0] else {
                panic!("a Name")
            };
            let Node::Tree(0x31, second) = rdns.remove(1) else {
                panic!("an RDN")
            };
            let Node::Tree(0x31, first) = &mut rdns[0] else {
                panic!("an RDN")
            };
            first.extend(second);
            let mut encodings: Vec<Vec<u8>> = first
                .iter()
                .map(|n| encode(std::slice::from_ref(n)))
                .collect();
            encodings.sort();
            let sorted = encodings
                == first
                    .iter()
                    .map(|n| encode(std::slice::from_ref(n)))
                    .collect::<Vec<_>>();
            if sorted == reverse {
                first.reverse();
            }
            check(&merged, borrowed);
        }

        // Two signerInfos.
        let mut two = tree.clone();
        let Some(Node::Tree(0x31, infos)) = signed_data_fields(&mut two).last_mut() else {
            panic!("signerInfos")
        };
        let mut copy = infos[0].clone();
        if let Node::Tree(_, fields) = &mut copy {
            if let Some(Node::Leaf(0x04, signature)) = fields.last_mut() {
                signature[0] ^= 1;
            }
        }
        infos.push(copy);
        check(&two, false);
    }

    /// Looking an attribute up by its type's encoding finds what decoding each
    /// attribute finds: the first attribute of that type, for every type present,
    /// and none for types absent (one differing from a present type only in its
    /// last arc, one a prefix of a present type's encoding).
    #[test]
    fn attribute_lookup_by_type_encoding_is_lookup_by_decoded_type() {
        let mut looked_up = 0;
        for token in fixture_tokens() {
            let Ok(parsed) = parse(&token) else { continue };
            for signer in parsed.signer_infos.list() {
                let Some(attrs) = signer.signed_attrs.as_ref() else {
                    continue;
                };
                let list = attrs.list();
                for (oid, _) in &list {
                    assert_eq!(attrs.first_value(*oid), first_listed(&list, oid));
                    looked_up += 1;
                    let arcs: Vec<u32> = oid.arcs().collect();
                    let mut other = arcs.clone();
                    *other.last_mut().unwrap() += 1;
                    let absent = [
                        ObjectIdentifier::from_arcs(other).unwrap(),
                        ObjectIdentifier::from_arcs(arcs[..arcs.len() - 1].to_vec()).unwrap(),
                    ];
                    for absent in absent.iter().filter(|a| list.iter().all(|(o, _)| o != *a)) {
                        assert_eq!(attrs.first_value(*absent), None, "{absent}");
                    }
                }
            }
        }
        assert!(looked_up >= 12, "{looked_up} attributes");
    }

    /// The signingCertificateV2 value of a fixture token.
    fn signing_certificate_value(name: &str) -> Vec<u8> {
        let token = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/timestamp/tokens")
                .join(name),
        )
        .unwrap();
        let parsed = parse(&token).unwrap();
        let signers = parsed.signer_infos.list();
        let attrs = signers[0].signed_attrs.as_ref().unwrap();
        attrs
            .single_value(ID_SIGNING_CERTIFICATE_V2)
            .unwrap()
            .to_der()
            .unwrap()
    }

    /// The fields of the first ESSCertIDv2's issuerSerial (GeneralNames, serial
    /// number), in the tree of a signingCertificateV2 value.
    fn issuer_serial(tree: &mut [Node]) -> &mut Vec<Node> {
        let Node::Tree(_, fields) = &mut tree[0] else {
            panic!("SigningCertificateV2")
        };
        let Node::Tree(_, certs) = &mut fields[0] else {
            panic!("certs")
        };
        let Node::Tree(_, id) = &mut certs[0] else {
            panic!("ESSCertIDv2")
        };
        let Some(Node::Tree(_, issuer_serial)) = id.last_mut() else {
            panic!("issuerSerial")
        };
        issuer_serial
    }

    /// The first ESSCertIDv2 reads the same borrowed as by x509-cert: on the
    /// fixtures' attribute (borrowed), on issuers with another kind of name or
    /// with RDN attributes out of order (x509-cert), and on 6,000 byte and
    /// structural mutants of it.
    #[test]
    fn ess_cert_id_read_borrowed_as_x509_cert_reads_it() {
        let same = |der: &[u8]| -> bool {
            let Ok(value) = AnyRef::from_der(der) else {
                return false;
            };
            let borrowed = borrowed_ess_cert_id(value);
            let owned = owned_ess_cert_id(value);
            if let Some(borrowed) = &borrowed {
                assert_eq!(Some(borrowed), owned.as_ref(), "{der:02x?}");
            }
            assert_eq!(first_ess_cert_id(value), owned, "{der:02x?}");
            borrowed.is_some()
        };
        let value = signing_certificate_value("valid.tst");
        assert!(same(&value), "the fixture's attribute is read borrowed");
        let tree = Node::parse(&value);
        // Another kind of name before the directory name: x509-cert decides.
        let mut uri = tree.clone();
        let Node::Tree(_, names) = &mut issuer_serial(&mut uri)[0] else {
            panic!("GeneralNames")
        };
        names.insert(0, Node::Leaf(0x86, b"http://tsa.example".to_vec()));
        assert!(!same(&encode(&uri)));
        // Serial numbers of 21 octets are read, of 22 refused, as x509-cert does.
        for (octets, read) in [(21, true), (22, false)] {
            let mut long = tree.clone();
            issuer_serial(&mut long)[1] = Node::Leaf(0x02, vec![0x11; octets]);
            let der = encode(&long);
            assert_eq!(same(&der), read, "{octets} octets");
            let value = AnyRef::from_der(&der).unwrap();
            assert_eq!(first_ess_cert_id(value).is_some(), read, "{octets} octets");
        }
        let mut next = crate::test_rng::xorshift(0x5851_F42D_4C95_7F2D);
        let mut borrowed = 0;
        for _ in 0..3_000 {
            for mutant in [
                test_der::mutate_bytes(&value, &mut next),
                test_der::mutate_tree(&tree, &mut next),
            ] {
                if same(&mutant) {
                    borrowed += 1;
                }
            }
        }
        assert!(borrowed > 500, "{borrowed} mutants read borrowed");
    }

    /// The parser reads every fixture token as `cms` does, and fixture tokens
    /// with random byte changes and structural changes (elements duplicated,
    /// removed, swapped, retagged or inserted anywhere, certificates included).
    #[test]
    fn token_parser_agrees_with_cms() {
        let tokens = fixture_tokens();
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15_u64);
        let (mut accepted, mut mutated, mut parsed) = (0, 0, 0);
        for token in &tokens {
            if assert_same_parse(token) {
                accepted += 1;
            }
            let tree = Node::try_parse(token);
            for _ in 0..120 {
                let mut mutants = vec![test_der::mutate_bytes(token, &mut next)];
                if let Some(tree) = &tree {
                    mutants.push(test_der::mutate_tree(tree, &mut next));
                }
                for m in mutants {
                    mutated += 1;
                    if assert_same_parse(&m) {
                        parsed += 1;
                    }
                }
            }
        }
        assert!(
            accepted >= 14,
            "{accepted} of {} fixture tokens",
            tokens.len()
        );
        assert!(mutated >= 3_800 && parsed > 800, "{parsed} of {mutated}");
    }

    /// Certificates come out in the order `cms` sorts them, which is not the
    /// order of the token: tokens whose certificates are shuffled copies of fixture
    /// certificates, many of one length (their signatures changed) so that the
    /// count of octets ≥ 0x80 and then the bytes decide.
    #[test]
    fn token_certificates_in_cms_order() {
        let token = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/timestamp/tokens/other-tsa.tst"),
        )
        .unwrap();
        let tree = Node::parse(&token);
        let mut base = tree.clone();
        let certificates = signed_data_fields(&mut base)
            .iter()
            .find_map(|n| match n {
                Node::Tree(0xA0, certs) => Some(certs.clone()),
                _ => None,
            })
            .unwrap();
        let mut next = crate::test_rng::xorshift(0xD1B5_4A32_D192_ED03_u64);
        let mut reordered = 0;
        for round in 0..200 {
            let mut set = Vec::new();
            for _ in 0..(2 + next() % 6) {
                let mut der = Vec::new();
                certificates[(next() % certificates.len() as u64) as usize].encode(&mut der);
                // The last octets are the signature's: any value decodes.
                for _ in 0..(next() % 4) {
                    let at = der.len() - 1 - (next() % 16) as usize;
                    der[at] = if round % 2 == 0 {
                        next() as u8
                    } else {
                        [0x00, 0x7F, 0x80, 0xFF][(next() % 4) as usize]
                    };
                }
                set.extend(Node::parse(&der));
            }
            let mut m = tree.clone();
            for field in signed_data_fields(&mut m).iter_mut() {
                if let Node::Tree(0xA0, certs) = field {
                    *certs = set.clone();
                }
            }
            let mut bytes = Vec::new();
            m.iter().for_each(|n| n.encode(&mut bytes));
            if !assert_same_parse(&bytes) {
                continue; // a duplicate: both refuse it
            }
            let raw: Vec<Vec<u8>> = set
                .iter()
                .map(|n| {
                    let mut der = Vec::new();
                    n.encode(&mut der);
                    der
                })
                .collect();
            let ours: Vec<Vec<u8>> = parse(&bytes)
                .unwrap()
                .certificates
                .certs
                .iter()
                .map(|c| c.der.clone())
                .collect();
            if ours != raw {
                reordered += 1;
            }
        }
        assert!(reordered > 100, "only {reordered} tokens reordered");
    }

    /// A token may carry at most 32 certificates; more are refused before any is
    /// decoded.
    #[test]
    fn token_with_too_many_certificates_is_refused() {
        let token = fixture_tokens().remove(0);
        let tree = Node::parse(&token);
        for (count, refused) in [(32, false), (33, true), (10_000, true)] {
            let mut m = tree.clone();
            for field in signed_data_fields(&mut m).iter_mut() {
                if let Node::Tree(0xA0, certs) = field {
                    let one = certs[0].clone();
                    // Distinct SEQUENCEs: the limit is checked before decoding.
                    *certs = (0..count)
                        .map(|i: u32| {
                            Node::Tree(0x30, vec![Node::Leaf(0x02, i.to_be_bytes().to_vec())])
                        })
                        .collect();
                    if !refused {
                        certs[0] = one;
                    }
                }
            }
            let mut bytes = Vec::new();
            m.iter().for_each(|n| n.encode(&mut bytes));
            let e = parse(&bytes).err().unwrap();
            if refused {
                assert_eq!(e.code(), ErrorCode::LimitExceeded, "{count}");
                assert!(
                    e.message().contains("more than 32 certificates"),
                    "{}",
                    e.message()
                );
            } else {
                // Within the limit, the bogus certificates are decoded and refused.
                assert_eq!(e.code(), ErrorCode::TimestampMalformed, "{count}");
                assert!(
                    e.message().contains("certificate 2 of the timestamp token"),
                    "{}",
                    e.message()
                );
            }
        }
    }

    #[test]
    fn rejects_garbage_as_malformed() {
        for bad in [&b""[..], b"\x30\x03\x02\x01\x01", b"not a token"] {
            assert_eq!(
                verify(bad, b"sig", &[]).unwrap_err().code(),
                ErrorCode::TimestampMalformed
            );
            assert!(inspect(bad).is_err());
        }
    }
}
