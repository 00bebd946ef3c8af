#!/usr/bin/env python3
"""Generate the bundled example of notary-verify (the README's first command).

    python3 examples/gen.py

Writes, next to this script:

  layout/   an OCI image layout: an image (manifest, config, one layer) tagged v1, and a
            notation signature of it (a signature manifest whose subject is the image,
            artifactType application/vnd.cncf.notary.signature, one application/jose+json
            layer holding the JWS envelope)
  config/   a notation configuration directory for it: trustpolicy.json (OCI, legacy file
            name), trustpolicy.blob.json, and truststore/x509/ca/example/example-root.pem
  blob/     hello.txt and its detached signature hello.txt.jws.sig

The keys are derived from fixed labels and every signature is deterministic (RFC 6979
ECDSA), so re-running reproduces the committed files byte for byte. These are example
keys: anyone can derive them, so never trust the example root outside this example.

Then:

    cargo run --release --features cli -- verify --config examples/config \\
        --oci-layout examples/layout --reference registry.example/net-monitor:v1
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent

REPOSITORY = "registry.example/net-monitor"
TAG = "v1"
SIGNING_TIME = "2025-06-01T00:00:00Z"
EXPIRY = "2044-06-01T00:00:00Z"
ROOT_VALIDITY = ("2025-01-01T00:00:00Z", "2045-01-01T00:00:00Z")
LEAF_VALIDITY = ("2025-01-01T00:00:00Z", "2044-12-31T00:00:00Z")
SIGNING_AGENT = "notary-verify examples/gen.py"

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_EMPTY = "application/vnd.oci.empty.v1+json"
SIGNATURE_TYPE = "application/vnd.cncf.notary.signature"
JWS_TYPE = "application/jose+json"
PAYLOAD_TYPE = "application/vnd.cncf.notary.payload.v1+json"
THUMBPRINT = "io.cncf.notary.x509chain.thumbprint#S256"

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

ORG = [
    x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
    x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "WA"),
    x509.NameAttribute(NameOID.LOCALITY_NAME, "Seattle"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Notary Verify Example"),
]
ROOT_NAME = x509.Name(ORG + [x509.NameAttribute(NameOID.COMMON_NAME, "Example Root CA")])
LEAF_NAME = x509.Name(ORG + [x509.NameAttribute(NameOID.COMMON_NAME, "net-monitor signer")])
IDENTITY = (
    "x509.subject: C=US, ST=WA, L=Seattle, O=Notary Verify Example, CN=net-monitor signer"
)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type: str, data: bytes) -> dict:
    return {"mediaType": media_type, "digest": digest(data), "size": len(data)}


def write(relpath: str, data: bytes | str) -> None:
    path = HERE / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def write_json(relpath: str, value: Any) -> None:
    write(relpath, json.dumps(value, indent=2) + "\n")


def derived_key(label: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 key derived from a public label: reproducible, and not a secret."""
    seed = int.from_bytes(hashlib.sha256(f"notary-verify example {label}".encode()).digest())
    return ec.derive_private_key(seed % (P256_ORDER - 1) + 1, ec.SECP256R1())


def serial_number(subject: x509.Name) -> int:
    """A positive 127-bit serial number derived from the subject."""
    digest_bytes = hashlib.sha256(subject.rfc4514_string().encode()).digest()
    return int.from_bytes(digest_bytes[:16]) >> 1 | 1


def certificate(subject: x509.Name, key, issuer: x509.Name, issuer_key, validity, ca: bool):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial_number(subject))
        .not_valid_before(utc(validity[0]))
        .not_valid_after(utc(validity[1]))
        .add_extension(x509.BasicConstraints(ca, None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )  # fmt: skip
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False
        ).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    cert = builder.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)
    return cert.public_bytes(serialization.Encoding.DER)


def pem(der: bytes) -> str:
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def jws(target: dict, leaf_key, chain: list[bytes]) -> bytes:
    """A notation JWS envelope (notary.x509 scheme, ES256) signing `target`."""
    protected = {
        "alg": "ES256",
        "cty": PAYLOAD_TYPE,
        "crit": ["io.cncf.notary.signingScheme", "io.cncf.notary.expiry"],
        "io.cncf.notary.signingScheme": "notary.x509",
        "io.cncf.notary.signingTime": SIGNING_TIME,
        "io.cncf.notary.expiry": EXPIRY,
    }
    protected_b64 = b64url(compact(protected))
    payload_b64 = b64url(compact({"targetArtifact": target}))
    signing_input = f"{protected_b64}.{payload_b64}".encode()
    der = leaf_key.sign(signing_input, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return compact({
        "payload": payload_b64,
        "protected": protected_b64,
        "header": {
            "x5c": [base64.b64encode(c).decode() for c in chain],
            "io.cncf.notary.signingAgent": SIGNING_AGENT,
        },
        "signature": b64url(signature),
    })  # fmt: skip


def layer() -> tuple[bytes, bytes]:
    """A gzipped tar holding one file, with fixed metadata."""
    content = b"hello from the notary-verify example image\n"
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size, info.mtime, info.mode = len(content), 0, 0o644
        tar.addfile(info, io.BytesIO(content))
    raw = tar_bytes.getvalue()
    return raw, gzip.compress(raw, mtime=0)


def main() -> None:
    root_key, leaf_key = derived_key("root"), derived_key("leaf")
    root = certificate(ROOT_NAME, root_key, ROOT_NAME, root_key, ROOT_VALIDITY, ca=True)
    leaf = certificate(LEAF_NAME, leaf_key, ROOT_NAME, root_key, LEAF_VALIDITY, ca=False)
    chain = [leaf, root]

    # The image.
    raw_layer, gz_layer = layer()
    config = compact({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/bin/cat", "/hello.txt"]},
        "rootfs": {"type": "layers", "diff_ids": [digest(raw_layer)]},
    })  # fmt: skip
    image = compact({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, config),
        "layers": [descriptor(OCI_LAYER, gz_layer)],
        "annotations": {"org.opencontainers.image.title": "net-monitor"},
    })  # fmt: skip
    image_desc = descriptor(OCI_MANIFEST, image)

    # Its signature.
    envelope = jws(image_desc | {"annotations": {"io.example.build": "42"}}, leaf_key, chain)
    empty = b"{}"
    thumbprints = [hashlib.sha256(c).hexdigest() for c in chain]
    signature = compact({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "artifactType": SIGNATURE_TYPE,
        "config": descriptor(OCI_EMPTY, empty),
        "layers": [descriptor(JWS_TYPE, envelope)],
        "subject": image_desc,
        "annotations": {
            THUMBPRINT: json.dumps(thumbprints, separators=(",", ":")),
            "org.opencontainers.image.created": SIGNING_TIME,
        },
    })  # fmt: skip

    for blob in (config, gz_layer, image, envelope, empty, signature):
        write(f"layout/blobs/sha256/{hashlib.sha256(blob).hexdigest()}", blob)
    write_json("layout/oci-layout", {"imageLayoutVersion": "1.0.0"})
    write_json("layout/index.json", {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            image_desc | {"annotations": {"org.opencontainers.image.ref.name": TAG}},
            descriptor(OCI_MANIFEST, signature) | {"artifactType": SIGNATURE_TYPE},
        ],
    })  # fmt: skip

    # A blob and its detached signature.
    hello = b"Hello from the notary-verify example.\n"
    write("blob/hello.txt", hello)
    blob_signature = jws(descriptor("application/octet-stream", hello), leaf_key, chain)
    write("blob/hello.txt.jws.sig", blob_signature)

    # The notation configuration directory.
    write("config/truststore/x509/ca/example/example-root.pem", pem(root))
    trust = {"trustStores": ["ca:example"], "trustedIdentities": [IDENTITY]}
    write_json("config/trustpolicy.json", {
        "version": "1.0",
        "trustPolicies": [
            {"name": "net-monitor", "registryScopes": [REPOSITORY],
             "signatureVerification": {"level": "strict"}} | trust,
        ],
    })  # fmt: skip
    write_json("config/trustpolicy.blob.json", {
        "version": "1.0",
        "trustPolicies": [
            {"name": "example-blobs", "globalPolicy": True,
             "signatureVerification": {"level": "strict"}} | trust,
        ],
    })  # fmt: skip
    print(f"{REPOSITORY}@{image_desc['digest']}")


if __name__ == "__main__":
    main()
