// Hand-written types of the notary-verify npm package (the API of wasm/src/js.rs).
// The outcome and signature facts follow docs/outcome.md (schema version 1);
// types/usage.ts exercises every declaration and `npm run typecheck` checks it.

/** A certificate file: PEM text, or the file's bytes (PEM or DER). */
export type CertificateFile = string | Uint8Array;

/** notation's trust policy document: the parsed object, its JSON text, or the file's bytes. */
export type PolicyDocument = object | string | Uint8Array;

export interface VerifierSettings {
  /** notation's OCI trust policy (`trustpolicy.oci.json`). At least one policy is required. */
  trustPolicy?: PolicyDocument;
  /** notation's blob trust policy (`trustpolicy.blob.json`). */
  blobTrustPolicy?: PolicyDocument;
  /**
   * Trust stores by `"type:name"` (`ca:…`, `signingAuthority:…`, `tsa:…`), one entry
   * per certificate file. The AWS Signer roots (`signingAuthority:aws-signer-ts`,
   * `signingAuthority:aws-us-gov-signer-ts`) are always present.
   */
  trustStores?: Record<string, CertificateFile | CertificateFile[]>;
  /**
   * Keep a verified-chain cache of at most this many signing chains (an integer ≥ 0;
   * 0 or absent: no cache). A signature whose `x5c` chain this verifier validated
   * before then costs one signature check instead of parsing the chain and checking
   * every link. Validity periods, expiry, trusted identities, revocation and the
   * envelope signature are checked on every call: outcomes are identical with and
   * without it. Each cached chain takes a few KB.
   */
  chainCache?: number;
}

/** The artifact being verified; other OCI descriptor members are accepted and ignored. */
export interface DescriptorInput {
  mediaType: string;
  digest: string;
  size: number;
  [member: string]: unknown;
}

interface CommonOptions {
  /** The envelope media type; only `application/jose+json` (the default) is supported. */
  signatureMediaType?: string;
  /** The verification time: a Date, milliseconds since the epoch, or RFC 3339. Default: `Date.now()`. */
  time?: Date | number | string;
  /** Signed annotations that must be present with these values. */
  userMetadata?: Record<string, string>;
  /** Revocation evidence the host fetched. */
  revocation?: RevocationEvidence;
}

/** Options for a signature of an OCI artifact. */
export interface OciVerifyOptions extends CommonOptions {
  /** `registry/repository@sha256:…`: selects the trust policy statement. */
  reference: string;
  descriptor: DescriptorInput;
  blob?: never;
  policyName?: never;
  blobMediaType?: never;
}

/** Options for a detached signature of a blob. */
export interface BlobVerifyOptions extends CommonOptions {
  /** The blob's bytes (or text, UTF-8 encoded). */
  blob: Uint8Array | string;
  /** The blob policy statement; the global statement if absent. */
  policyName?: string;
  /** The media type the signature must name. */
  blobMediaType?: string;
  reference?: never;
  descriptor?: never;
}

export type VerifyOptions = OciVerifyOptions | BlobVerifyOptions;

export interface RevocationEvidence {
  /** The answer of AWS's `signer:GetRevocationStatus` (inputs: `signature.aws.revocationRequest`). */
  aws?: { revokedEntities: string[] };
  /** DER CRLs (base and delta) fetched from the certificates' CRL distribution points. */
  crls?: Uint8Array[];
  /** DER OCSP responses from the certificates' OCSP responders. */
  ocsp?: Uint8Array[];
}

export type Verdict = "verified" | "rejected" | "skipped";
export type Level = "strict" | "permissive" | "audit" | "skip" | "custom";
export type CheckName = "integrity" | "authenticity" | "authenticTimestamp" | "expiry" | "revocation";
export type Action = "enforced" | "logged" | "skipped";
export type Status = "passed" | "failed" | "skipped" | "unavailable" | "notRun";

/** A failure: stable code, rejection-catalogue rule, one actionable sentence. */
export interface Failure {
  code: string;
  rule?: string;
  message: string;
}

export interface CheckResult {
  check: CheckName;
  action: Action;
  status: Status;
  error?: Failure;
}

export interface CertificateFacts {
  sha256Fingerprint: string;
  issuedTo: string;
  issuedBy: string;
  notBefore: string;
  expiry: string;
  ocspUrls?: string[];
  crlUrls?: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface AwsRevocationRequest {
  signatureTimestamp: string;
  platformId: string;
  profileVersionArn: string;
  jobArn?: string;
  certificateHashes: string[];
}

export interface AwsSignature {
  signingProfileVersion: string;
  signingJob?: string;
  signingProfileAlias?: string;
  revocationRequest: AwsRevocationRequest;
}

/** An RFC 3161 timestamp token as it states itself (the authenticTimestamp check says whether it verified). */
export interface TimestampFacts {
  genTime: string;
  lower: string;
  upper: string;
  /** The timestamp authority's chain, signing certificate first. */
  certificates: CertificateFacts[];
}

export interface SignatureFacts {
  mediaType: string;
  algorithm: string;
  signatureAlgorithm: string;
  contentType: string;
  signingScheme: "notary.x509" | "notary.x509.signingAuthority";
  signingTime: string;
  authenticSigningTime: boolean;
  expiry?: string;
  verificationPlugin?: string;
  verificationPluginMinVersion?: string;
  extendedAttributes: Record<string, unknown>;
  critical: string[];
  signingAgent?: string;
  hasTimestamp: boolean;
  certificates: CertificateFacts[];
  signedArtifact?: Descriptor;
  aws?: AwsSignature;
  timestamp?: TimestampFacts;
}

/** The outcome of a verification: the same document every binding returns. */
export interface Outcome {
  schemaVersion: 1;
  verdict: Verdict;
  level?: Level;
  policy?: string;
  verificationTime: string;
  checks: CheckResult[];
  error?: Failure;
  signature?: SignatureFacts;
}

/** What is thrown for a malformed argument, policy or envelope. */
export interface NotaryVerifyError extends Error {
  /** Stable snake_case code, e.g. `policy_version_invalid`, `invalid_argument`. */
  code: string;
  /** Rejection-catalogue ID, when the catalogue names the failure. */
  rule?: string;
}

export class Verifier {
  private constructor();
  /** Verifies one signature envelope. Throws only on malformed options; a failed verification is an outcome. */
  verify(envelope: Uint8Array | string, options: VerifyOptions): Outcome;
  /** Releases the verifier now instead of at garbage collection. */
  free(): void;
  /** `free()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

/** Builds a verifier. Throws a {@link NotaryVerifyError} on an invalid policy or store name. */
export function createVerifier(settings: VerifierSettings): Verifier;

/** Reads a signature without verifying it. Throws a {@link NotaryVerifyError} if it is unreadable. */
export function inspect(envelope: Uint8Array | string): SignatureFacts;
