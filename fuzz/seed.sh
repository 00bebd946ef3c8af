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
EOF

for target in corpus/*; do
    echo "$(basename "$target"): $(find "$target" -type f | wc -l) seeds"
done
