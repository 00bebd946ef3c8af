// Typed usage of the package, checked by `npm run typecheck` (tsc --noEmit): every
// declaration is exercised, and the @ts-expect-error lines must stay errors.
import { createVerifier, inspect } from "notary-verify";
import type { NotaryVerifyError, Outcome, SignatureFacts, VerifyOptions } from "notary-verify";

const verifier = createVerifier({
  trustPolicy: { version: "1.0", trustPolicies: [] },
  blobTrustPolicy: '{"version":"1.0","trustPolicies":[]}',
  trustStores: {
    "ca:acme": "-----BEGIN CERTIFICATE-----\n…",
    "tsa:acme": [new Uint8Array([0x30]), "-----BEGIN CERTIFICATE-----\n…"],
  },
  chainCache: 64,
});

const envelope = new Uint8Array();
const oci: VerifyOptions = {
  reference: "registry.example/app@sha256:00",
  descriptor: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: "sha256:00", size: 1, annotations: {} },
  time: new Date(),
  userMetadata: { env: "prod" },
  revocation: { aws: { revokedEntities: [] }, crls: [new Uint8Array(0)], ocsp: [] },
  signatureMediaType: "application/jose+json",
};
const outcome: Outcome = verifier.verify(envelope, oci);
verifier.verify("{}", { blob: "hello", policyName: "docs", blobMediaType: "text/plain", time: 0 });
verifier.verify(envelope, { blob: envelope, time: "2026-11-24T00:00:00Z" });

if (outcome.verdict === "verified" && outcome.level !== "skip") {
  for (const check of outcome.checks) {
    const name: "integrity" | "authenticity" | "authenticTimestamp" | "expiry" | "revocation" = check.check;
    const failed: boolean = check.status === "failed" && check.action === "enforced";
    console.log(name, failed, check.error?.code, check.error?.rule);
  }
}
const facts: SignatureFacts | undefined = outcome.signature;
const hashes: string[] | undefined = facts?.aws?.revocationRequest.certificateHashes;
const leaf: string | undefined = facts?.certificates[0]?.sha256Fingerprint;
console.log(outcome.schemaVersion, outcome.verificationTime, outcome.policy, outcome.error?.message, hashes, leaf);
console.log(inspect(envelope).signingScheme, inspect("{}").extendedAttributes);
verifier.free();

try {
  createVerifier({});
} catch (e) {
  const error = e as NotaryVerifyError;
  console.log(error.code, error.rule, error.message);
}

// @ts-expect-error: an OCI artifact needs a descriptor
verifier.verify(envelope, { reference: "registry.example/app@sha256:00" });
// @ts-expect-error: an OCI artifact or a blob, not both
verifier.verify(envelope, { ...oci, blob: envelope });
// @ts-expect-error: the envelope is bytes or text
verifier.verify(42, oci);
// @ts-expect-error: time is a Date, milliseconds or RFC 3339
verifier.verify(envelope, { ...oci, time: true });
// @ts-expect-error: required metadata values are strings
verifier.verify(envelope, { ...oci, userMetadata: { build: 42 } });
// @ts-expect-error: the chain cache capacity is a number
createVerifier({ trustPolicy: {}, chainCache: "64" });
// @ts-expect-error: verifiers come from createVerifier
new (verifier.constructor as typeof import("notary-verify").Verifier)();
