// Runs manifest cases (tests/fixtures/manifest.json, ../shared/vectors/manifest.json)
// through the JS API and the WASI request format, and judges outcomes against a case's
// expectations as tests/support/mod.rs does. Shared by the Node tests and the browser
// page, so it imports nothing: file access is the caller's `load(path) -> Uint8Array`.

/** The manifest sections run (as by tests/vectors.rs and examples/outcome_json.rs). */
export const SECTIONS = ["cases", "cases_needing_user_metadata"];

/** The cases of a manifest's sections, as `[section, case]`. */
export function allCases(manifest) {
  return SECTIONS.flatMap((section) => (manifest[section] ?? []).map((c) => [section, c]));
}

function isPem(bytes) {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  return /^\s*-----BEGIN /.test(head);
}

/** createVerifier settings for a case: PEM files as strings, other files as bytes. */
export async function settingsFor(kase, load) {
  const trustStores = {};
  for (const [name, files] of Object.entries(kase.trust_stores ?? {})) {
    trustStores[name] = [];
    for (const file of files) {
      const bytes = await load(file);
      trustStores[name].push(isPem(bytes) ? new TextDecoder().decode(bytes) : bytes);
    }
  }
  const policy = kase.blob ? "blobTrustPolicy" : "trustPolicy";
  return { [policy]: kase.trust_policy, trustStores };
}

/** verifier.verify options for a case. */
export async function optionsFor(kase, load) {
  const options = { time: new Date(kase.at) };
  if (kase.blob) {
    options.blob = await load(kase.blob);
    if (kase.policy_name) options.policyName = kase.policy_name;
    if (kase.blob_media_type) options.blobMediaType = kase.blob_media_type;
  } else {
    options.reference = kase.reference;
    options.descriptor = kase.artifact;
  }
  if (kase.signature_media_type) options.signatureMediaType = kase.signature_media_type;
  if (kase.user_metadata) options.userMetadata = kase.user_metadata;
  return options;
}

/** Runs a case through the wasm-bindgen API `api`; returns the outcome object. */
export async function runCase(api, kase, load) {
  const verifier = api.createVerifier(await settingsFor(kase, load));
  try {
    return verifier.verify(await load(kase.envelope), await optionsFor(kase, load));
  } finally {
    verifier.free();
  }
}

function base64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The nv_verify request JSON of a case. */
export async function wasiRequestFor(kase, load) {
  const trustStores = {};
  for (const [name, files] of Object.entries(kase.trust_stores ?? {})) {
    trustStores[name] = [];
    for (const file of files) {
      const bytes = await load(file);
      trustStores[name].push(isPem(bytes) ? new TextDecoder().decode(bytes) : { base64: base64(bytes) });
    }
  }
  const request = {
    [kase.blob ? "blobTrustPolicy" : "trustPolicy"]: kase.trust_policy,
    trustStores,
    envelope: base64(await load(kase.envelope)),
    time: kase.at,
  };
  if (kase.blob) {
    request.blob = base64(await load(kase.blob));
    if (kase.policy_name) request.policyName = kase.policy_name;
    if (kase.blob_media_type) request.blobMediaType = kase.blob_media_type;
  } else {
    request.reference = kase.reference;
    request.descriptor = kase.artifact;
  }
  if (kase.signature_media_type) request.signatureMediaType = kase.signature_media_type;
  if (kase.user_metadata) request.userMetadata = kase.user_metadata;
  return JSON.stringify(request);
}

// Rules that name the same failure (AWS-specific IDs for general ones), as in
// tests/support/mod.rs.
const EQUIVALENT = {
  "AWS-02": ["HDR-14"],
  "AWS-11": ["STORE-08", "STORE-09"],
  "AWS-12": ["TIME-03"],
  "AWS-13": ["TIME-06"],
  "PLUG-04": ["AWS-08"],
  "CHAIN-03": ["CHAIN-09"],
};

const checkName = (name) => (name === "plugin" || name === "userMetadata" ? "integrity" : name);

/** Compares an outcome with a case's expectations; returns every mismatch. */
export function judge(kase, outcome) {
  const problems = [];
  const verdict = outcome.verdict === "verified" ? "verified" : "rejected";
  if (verdict !== kase.expected) problems.push(`verdict ${verdict}, expected ${kase.expected}`);
  if (kase.failing_check) {
    const same = (a, b) => a && b && a.code === b.code && a.message === b.message && a.rule === b.rule;
    const failed = outcome.checks.find((c) => c.error && same(c.error, outcome.error))?.check;
    if (failed !== checkName(kase.failing_check)) {
      problems.push(`failing check ${failed}, expected ${kase.failing_check}`);
    }
  }
  if (kase.rule) {
    const actual = outcome.error?.rule ?? "(none)";
    if (actual !== kase.rule && !(EQUIVALENT[kase.rule] ?? []).includes(actual)) {
      problems.push(`rule ${actual}, expected ${kase.rule}`);
    }
  }
  if (kase.logged_checks) {
    const logged = outcome.checks
      .filter((c) => c.action === "logged" && (c.status === "failed" || c.status === "unavailable"))
      .map((c) => c.check)
      .sort();
    const expected = [...kase.logged_checks].sort();
    if (JSON.stringify(logged) !== JSON.stringify(expected)) {
      problems.push(`logged ${JSON.stringify(logged)}, expected ${JSON.stringify(expected)}`);
    }
  }
  return problems;
}
