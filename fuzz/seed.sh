#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the committed fixtures (tests/fixtures), in the
# input format each target expects. Idempotent: files are named by content hash, so
# re-running adds nothing new and keeps what the fuzzer found. Needs python3 (stdlib).
set -euo pipefail
cd "$(dirname "$0")"

python3 - <<'EOF'
import base64
import hashlib
import json
from pathlib import Path

FIXTURES = Path("../tests/fixtures")
CORPUS = Path("corpus")


def put(target: str, data: bytes) -> None:
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def der_certificates(path: Path) -> list[bytes]:
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" not in data:
        return [data]
    out = []
    for block in data.decode().split("-----BEGIN CERTIFICATE-----")[1:]:
        body = block.split("-----END CERTIFICATE-----")[0]
        out.append(base64.b64decode("".join(body.split())))
    return out


# Envelopes, valid and invalid (the hostile ones bigger than 64 KiB stay out: they
# would raise libFuzzer's input length for every run).
envelopes = sorted(FIXTURES.glob("envelopes/*/*.jws")) + sorted(FIXTURES.glob("blob/*.jws.sig"))
envelopes += sorted(FIXTURES.glob("timestamp/envelopes/*.jws")) + sorted(FIXTURES.glob("hostile/*.jws"))
envelopes = [p for p in envelopes if p.stat().st_size <= 64 * 1024]
for path in envelopes:
    data = path.read_bytes()
    put("envelope", data)
    put("verify", data)
    for selector in (0, 1, 2):
        put("ffi", bytes([selector]) + data)
    put("ffi", b"\x03registry.example/net-monitor@sha256:0\0" + data)
    try:
        envelope = json.loads(data)
        protected = b64url_decode(envelope["protected"])
        payload = b64url_decode(envelope["payload"])
    except (ValueError, KeyError, TypeError):
        continue
    put("header_payload", protected + b"\0" + payload)

# Trust policies: the committed ones and every manifest case's.
policies = [p.read_bytes() for p in sorted(FIXTURES.glob("config/trustpolicy*.json"))]
manifest = json.loads((FIXTURES / "manifest.json").read_text())
for case in manifest["cases"] + manifest.get("cases_needing_user_metadata", []):
    policies.append(json.dumps(case["trust_policy"], indent=1).encode())
for policy in policies:
    put("policy", policy)

# Certificates: trust store files under each store type (first byte), and DER
# certificates spliced into the x5c of the fuzz crate's base envelopes (byte 0: which
# of the 7 envelopes, byte 1: position; 1 is the first CA certificate).
cert_files = sorted(FIXTURES.glob("pki/certs/*.pem")) + sorted(FIXTURES.glob("stores/*/*"))
cert_files += sorted(FIXTURES.glob("config/truststore/x509/*/*/*")) + sorted(FIXTURES.glob("timestamp/certs/*.pem"))
for i, path in enumerate(cert_files):
    data = path.read_bytes()
    put("trust_store", bytes([i % 3]) + data)
    for der in der_certificates(path):
        put("trust_store", bytes([i % 3]) + der)
        put("x5c", bytes([i % 7, 1]) + der)
        put("x5c", bytes([i % 7, 0]) + der)
        put("certificate", der)

# RFC 3161 timestamp tokens (DER), for the token parser's comparison with cms.
for path in sorted(FIXTURES.glob("timestamp/tokens/*.tst")):
    put("timestamp_token", path.read_bytes())

# CRLs (DER), for the CRL reader's comparison with x509-cert.
for path in sorted(FIXTURES.glob("revocation/crl/*.crl")) + sorted(FIXTURES.glob("timestamp/crl/*.crl")):
    put("crl", path.read_bytes())

# WASI requests (wasm/src/request.rs), built as wasm/test/harness.mjs builds them: every
# manifest case (OCI and blob, user metadata, stores as PEM text and as base64 DER),
# the policy as JSON text, revocation evidence, and inspect requests.
def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def store_file(path: Path, index: int):
    data = path.read_bytes()
    if b"-----BEGIN" in data and index % 2 == 0:
        return data.decode()
    return {"base64": b64(data)}


for index, case in enumerate(manifest["cases"] + manifest.get("cases_needing_user_metadata", [])):
    envelope = FIXTURES / case["envelope"]
    if envelope.stat().st_size > 16 * 1024:
        continue
    request = {
        "blobTrustPolicy" if case.get("blob") else "trustPolicy": case["trust_policy"],
        "trustStores": {
            name: [store_file(FIXTURES / f, index) for f in files]
            for name, files in (case.get("trust_stores") or {}).items()
        },
        "envelope": b64(envelope.read_bytes()),
        "time": case["at"],
    }
    if case.get("blob"):
        request["blob"] = b64((FIXTURES / case["blob"]).read_bytes())
        for key, member in (("policy_name", "policyName"), ("blob_media_type", "blobMediaType")):
            if case.get(key):
                request[member] = case[key]
    else:
        request["reference"] = case["reference"]
        request["descriptor"] = case["artifact"]
    if case.get("signature_media_type"):
        request["signatureMediaType"] = case["signature_media_type"]
    if case.get("user_metadata") is not None:
        request["userMetadata"] = case["user_metadata"]
    put("wasi_request", json.dumps(request).encode())
    put("wasi_request", json.dumps({"envelope": request["envelope"]}).encode())
    if index % 8 == 0:
        key = "blobTrustPolicy" if case.get("blob") else "trustPolicy"
        put("wasi_request", json.dumps({**request, key: json.dumps(request[key])}).encode())

REV = FIXTURES / "revocation"
leaf = (REV / "envelopes/leaf.jws").read_bytes()
target = json.loads(b64url_decode(json.loads(leaf)["payload"]))["targetArtifact"]
descriptor = {k: target[k] for k in ("mediaType", "digest", "size")}
revocation_request = {
    "trustPolicy": {
        "version": "1.0",
        "trustPolicies": [{
            "name": "rev",
            "registryScopes": ["*"],
            "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:rev"],
            "trustedIdentities": ["*"],
        }],
    },
    "trustStores": {"ca:rev": {"base64": b64((REV / "certs/root.pem").read_bytes())}},
    "envelope": b64(leaf),
    "reference": f"registry.example/fixtures@{descriptor['digest']}",
    "descriptor": descriptor,
    "time": "2026-11-24T00:00:00Z",
}
put("wasi_request", json.dumps(revocation_request).encode())
for revocation in (
    {"crls": [b64((REV / "crl/root.crl").read_bytes())], "ocsp": [b64((REV / "ocsp/leaf-good.der").read_bytes())]},
    {"crls": [b64((REV / "crl/int.crl").read_bytes()), b64((REV / "crl/root.crl").read_bytes())]},
    {"aws": {"revokedEntities": []}, "ocsp": [b64((REV / "ocsp/leaf-unknown.der").read_bytes())]},
):
    put("wasi_request", json.dumps({**revocation_request, "revocation": revocation}).encode())
EOF

for target in corpus/*; do
    echo "$(basename "$target"): $(find "$target" -type f | wc -l) seeds"
done
