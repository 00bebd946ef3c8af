// The npm package under Node (the nodejs build, imported by package name so the
// package.json exports map is exercised): every fixture case gives the native
// library's outcome and meets the manifest's expectations; malformed arguments
// throw an Error with a stable code; failed verifications do not throw.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import * as api from "notary-verify";

import { allCases, judge, optionsFor, runCase, settingsFor } from "./harness.mjs";
import { REPO_DIR, WASM_DIR, manifests, nativeOutcomes } from "./paths.mjs";

// Outcomes of the fixture cases (coverage test) and of every case (types test).
const fixtureOutcomes = [];
const allOutcomes = [];

for (const m of manifests()) {
  describe(`${m.name} manifest`, { skip: m.skip }, () => {
    const native = m.skip ? {} : nativeOutcomes(m.name);
    for (const [section, kase] of m.skip ? [] : allCases(m.manifest)) {
      test(`${section}/${kase.id}`, async () => {
        const outcome = await runCase(api, kase, m.load);
        allOutcomes.push(outcome);
        assert.ok(native[kase.id], `no native outcome for ${kase.id}`);
        assert.deepEqual(outcome, JSON.parse(native[kase.id]), "outcome differs from the native library's");
        // The Rust tests judge every manifest; the committed fixtures are judged here too.
        if (m.name === "fixtures") {
          assert.deepEqual(judge(kase, outcome), [], JSON.stringify(outcome));
          fixtureOutcomes.push(outcome);
        }
      });
    }
  });
}

const fixtures = manifests()[0];
const fixtureCases = allCases(fixtures.manifest);

test("the fixtures cover valid and invalid signatures and a failure of every check", () => {
  assert.equal(fixtureOutcomes.length, fixtureCases.length);
  const verdicts = new Set(fixtureOutcomes.map((o) => o.verdict));
  const failed = new Set(
    fixtureOutcomes.flatMap((o) => o.checks.filter((c) => c.status === "failed" || c.status === "unavailable").map((c) => c.check)),
  );
  assert.ok(verdicts.has("verified") && verdicts.has("rejected"), [...verdicts].join());
  assert.deepEqual([...failed].sort(), ["authenticTimestamp", "authenticity", "expiry", "integrity", "revocation"]);
});

// A fixture OCI case that verifies, for the API tests below.
const [, valid] = fixtureCases.find(([, c]) => c.expected === "verified" && !c.blob && !c.user_metadata);
const settings = await settingsFor(valid, fixtures.load);
const options = await optionsFor(valid, fixtures.load);
const envelope = fixtures.load(valid.envelope);
const expected = JSON.parse(nativeOutcomes("fixtures")[valid.id]);

function throwsCode(fn, code, rule) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof Error, `expected an Error with code ${code}, got ${thrown}`);
  assert.equal(thrown.code, code, thrown.message);
  assert.equal(thrown.rule, rule);
  assert.ok(thrown.message.length > 10, "the message is a sentence");
  return thrown;
}

describe("createVerifier", () => {
  test("the policy may be an object, JSON text or bytes", () => {
    const text = JSON.stringify(settings.trustPolicy);
    for (const trustPolicy of [settings.trustPolicy, text, new TextEncoder().encode(text)]) {
      const outcome = api.createVerifier({ ...settings, trustPolicy }).verify(envelope, options);
      assert.deepEqual(outcome, expected);
    }
  });

  test("a store file may be PEM text, PEM bytes or DER bytes, alone or in an array", () => {
    const stores = Object.fromEntries(
      Object.entries(settings.trustStores).map(([name, files]) => [
        name,
        files.map((f) => (typeof f === "string" ? new TextEncoder().encode(f) : f)),
      ]),
    );
    assert.deepEqual(api.createVerifier({ ...settings, trustStores: stores }).verify(envelope, options), expected);
    const single = Object.fromEntries(Object.entries(settings.trustStores).filter(([, files]) => files.length === 1).map(([n, [f]]) => [n, f]));
    if (Object.keys(single).length === Object.keys(settings.trustStores).length) {
      assert.deepEqual(api.createVerifier({ ...settings, trustStores: single }).verify(envelope, options), expected);
    }
  });

  test("invalid policies throw with their catalogue code", () => {
    throwsCode(() => api.createVerifier({ trustPolicy: { version: "2.0", trustPolicies: [] } }), "policy_version_invalid", "POLICY-01");
    throwsCode(() => api.createVerifier({ trustPolicy: "{" }), "policy_malformed", undefined);
    throwsCode(() => api.createVerifier({ trustPolicy: '{"version":"1.0","version":"1.0"}' }), "json_duplicate_member", "JWS-13");
    throwsCode(() => api.createVerifier({ blobTrustPolicy: { version: "1.0", trustPolicies: [] } }), "policy_empty", "POLICY-02");
  });

  test("malformed settings throw invalid_argument", () => {
    throwsCode(() => api.createVerifier({}), "invalid_argument");
    throwsCode(() => api.createVerifier(undefined), "invalid_argument");
    throwsCode(() => api.createVerifier({ ...settings, trustpolicy: {} }), "invalid_argument");
    throwsCode(() => api.createVerifier({ ...settings, trustStores: { "ca:x": 42 } }), "invalid_argument");
    throwsCode(() => api.createVerifier({ ...settings, trustStores: [] }), "invalid_argument");
    throwsCode(() => api.createVerifier({ trustPolicy: 7 }), "invalid_argument");
  });

  test("a malformed store name throws; an unreadable store file fails only verifications using it", () => {
    throwsCode(() => api.createVerifier({ ...settings, trustStores: { "nope:x": "" } }), "store_reference_invalid", "STORE-01");
    const unused = api.createVerifier({ ...settings, trustStores: { ...settings.trustStores, "ca:unused": "not a certificate" } });
    assert.deepEqual(unused.verify(envelope, options), expected);
    const [name] = Object.keys(settings.trustStores);
    const broken = api.createVerifier({ ...settings, trustStores: { ...settings.trustStores, [name]: ["not a certificate"] } });
    const outcome = broken.verify(envelope, options);
    assert.equal(outcome.verdict, "rejected");
    assert.equal(outcome.error.code, "store_file_invalid");
  });
});

describe("chainCache", () => {
  test("every fixture case has the same outcome with and without a cache, cold and warm", async () => {
    // Cases with the same policy and stores share their verifiers, so a chain cached
    // for a valid signature is found again by the invalid ones over the same chain.
    const groups = new Map();
    const verifiersFor = async (kase) => {
      const key = JSON.stringify([kase.blob ? "blob" : "oci", kase.trust_policy, kase.trust_stores]);
      if (!groups.has(key)) {
        const s = await settingsFor(kase, fixtures.load);
        groups.set(key, { plain: api.createVerifier(s), cached: api.createVerifier({ ...s, chainCache: 64 }) });
      }
      return groups.get(key);
    };
    const uncached = [];
    for (const pass of ["cold", "warm"]) {
      for (const [i, [, kase]] of fixtureCases.entries()) {
        const { plain, cached } = await verifiersFor(kase);
        const caseOptions = await optionsFor(kase, fixtures.load);
        const caseEnvelope = fixtures.load(kase.envelope);
        uncached[i] ??= plain.verify(caseEnvelope, caseOptions);
        assert.deepEqual(cached.verify(caseEnvelope, caseOptions), uncached[i], `${kase.id} (${pass} pass)`);
      }
    }
    for (const { plain, cached } of groups.values()) {
      plain.free();
      cached.free();
    }
    assert.ok(groups.size < fixtureCases.length / 2, `${groups.size} verifier pairs for ${fixtureCases.length} cases: too few share a cache`);
  });

  test("a cache of one chain, evicted at every change of signer, changes no outcome", async () => {
    const leaf = (bytes) => api.inspect(bytes).certificates[0].sha256Fingerprint;
    const sameSettings = (c) => JSON.stringify([c.trust_policy, c.trust_stores]) === JSON.stringify([valid.trust_policy, valid.trust_stores]);
    const [, second] = fixtureCases.find(
      ([, c]) => c.expected === "verified" && !c.blob && sameSettings(c) && leaf(fixtures.load(c.envelope)) !== leaf(envelope),
    );
    const secondEnvelope = fixtures.load(second.envelope);
    const secondOptions = await optionsFor(second, fixtures.load);
    const secondExpected = JSON.parse(nativeOutcomes("fixtures")[second.id]);
    const cached = api.createVerifier({ ...settings, chainCache: 1 });
    for (let round = 0; round < 3; round++) {
      assert.deepEqual(cached.verify(envelope, options), expected);
      assert.deepEqual(cached.verify(secondEnvelope, secondOptions), secondExpected);
    }
    cached.free();
  });

  test("0 and absent mean no cache; anything but a non-negative integer throws invalid_argument", () => {
    for (const chainCache of [0, undefined, null, 2 ** 53 - 1]) {
      assert.deepEqual(api.createVerifier({ ...settings, chainCache }).verify(envelope, options), expected);
    }
    for (const chainCache of [-1, 1.5, NaN, Infinity, 2 ** 53, "8", true, {}, [4], 8n]) {
      throwsCode(() => api.createVerifier({ ...settings, chainCache }), "invalid_argument");
    }
  });
});

describe("verify", () => {
  const verifier = api.createVerifier(settings);

  test("a failed verification returns an outcome and does not throw", () => {
    const outcome = verifier.verify(new TextEncoder().encode("not json"), options);
    assert.equal(outcome.verdict, "rejected");
    assert.equal(outcome.error.code, "envelope_not_json");
    assert.equal(outcome.checks[0].status, "failed");
    const other = verifier.verify(envelope, { ...options, descriptor: { ...options.descriptor, size: options.descriptor.size + 1 } });
    assert.equal(other.error.code, "target_mismatch");
  });

  test("the envelope may be bytes or text", () => {
    assert.deepEqual(verifier.verify(new TextDecoder().decode(envelope), options), expected);
  });

  test("time may be a Date, epoch milliseconds or RFC 3339, and defaults to now", () => {
    const at = new Date(valid.at);
    for (const time of [at, at.getTime(), valid.at]) {
      assert.deepEqual(verifier.verify(envelope, { ...options, time }), expected);
    }
    const before = Math.floor(Date.now() / 1000);
    const now = verifier.verify(envelope, { ...options, time: undefined });
    const used = Date.parse(now.verificationTime) / 1000;
    assert.ok(used >= before && used <= Date.now() / 1000 + 1, now.verificationTime);
  });

  test("descriptors straight from a registry (extra members) are accepted", () => {
    const descriptor = { ...options.descriptor, annotations: { a: "b" }, urls: [] };
    assert.deepEqual(verifier.verify(envelope, { ...options, descriptor }), expected);
  });

  test("malformed options throw invalid_argument", () => {
    const bad = [
      undefined,
      { ...options, usermetadata: { a: "b" } },
      { ...options, descriptor: undefined },
      { ...options, reference: undefined },
      { ...options, blob: new Uint8Array(1) },
      { ...options, policyName: "x" },
      { ...options, descriptor: { ...options.descriptor, size: -1 } },
      { ...options, descriptor: { ...options.descriptor, size: 1.5 } },
      { ...options, descriptor: { mediaType: options.descriptor.mediaType } },
      { ...options, time: "yesterday" },
      { ...options, time: new Date(NaN) },
      { ...options, time: {} },
      { ...options, userMetadata: { a: 1 } },
      { ...options, revocation: { aws: {} } },
      { ...options, revocation: { crl: [] } },
      { ...options, signatureMediaType: 5 },
    ];
    for (const o of bad) throwsCode(() => verifier.verify(envelope, o), "invalid_argument");
    throwsCode(() => verifier.verify(42, options), "invalid_argument");
  });

  test("an unsupported signature media type is a rejection", () => {
    const outcome = verifier.verify(envelope, { ...options, signatureMediaType: "application/cose" });
    assert.equal(outcome.error.code, "envelope_media_type_unsupported");
  });
});

describe("inspect", () => {
  test("returns the signature facts of the outcome", () => {
    const facts = api.inspect(envelope);
    assert.deepEqual(facts, expected.signature);
  });

  test("throws with a stable code on an unreadable envelope", () => {
    throwsCode(() => api.inspect("{}"), "envelope_member_invalid", "JWS-03");
    throwsCode(() => api.inspect(new Uint8Array([0xff])), "envelope_not_json", "JWS-01");
    throwsCode(() => api.inspect(null), "invalid_argument");
  });
});

describe("revocation evidence (tests/fixtures/revocation)", () => {
  const file = (path) => readFileSync(join(REPO_DIR, "tests", "fixtures", "revocation", path));
  const verifier = api.createVerifier({
    trustPolicy: {
      version: "1.0",
      trustPolicies: [
        { name: "rev", registryScopes: ["*"], signatureVerification: { level: "strict" }, trustStores: ["ca:rev"], trustedIdentities: ["*"] },
      ],
    },
    trustStores: { "ca:rev": file("certs/root.pem") },
  });
  const verifyWith = (name, revocation) => {
    const envelope = file(`envelopes/${name}`);
    const descriptor = api.inspect(envelope).signedArtifact;
    const reference = `registry.example/fixtures@${descriptor.digest}`;
    return verifier.verify(envelope, { reference, descriptor, time: "2026-11-24T00:00:00Z", revocation });
  };

  test("without evidence the status is unknown", () => {
    const outcome = verifyWith("leaf.jws", undefined);
    assert.equal(outcome.error.code, "revocation_unknown");
    assert.equal(outcome.checks.find((c) => c.check === "revocation").status, "unavailable");
  });

  test("CRLs and OCSP responses decide", () => {
    const rootCrl = file("crl/root.crl");
    assert.equal(verifyWith("leaf.jws", { crls: [rootCrl], ocsp: [file("ocsp/leaf-good.der")] }).verdict, "verified");
    const revoked = verifyWith("revoked-leaf.jws", { crls: [rootCrl, file("crl/int.crl")] });
    assert.equal(revoked.error.code, "certificate_revoked");
  });

  test("evidence must be DER bytes in arrays", () => {
    throwsCode(() => verifyWith("leaf.jws", { crls: ["-----BEGIN X509 CRL-----"] }), "invalid_argument");
    throwsCode(() => verifyWith("leaf.jws", { ocsp: file("ocsp/leaf-good.der") }), "invalid_argument");
  });
});

test("every member of the outcomes is declared in types/index.d.ts", () => {
  const declared = readFileSync(join(WASM_DIR, "types", "index.d.ts"), "utf8");
  const members = new Set();
  const walk = (value) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, member] of Object.entries(value)) {
        members.add(key);
        // Signed attributes and annotations are the signer's own names.
        if (key !== "extendedAttributes" && key !== "annotations") walk(member);
      }
    }
  };
  allOutcomes.forEach(walk);
  const undeclared = [...members].filter((m) => !new RegExp(`\\b${m}\\??:`).test(declared));
  assert.deepEqual(undeclared, []);
});

test("the npm package holds both builds and the types", () => {
  const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: WASM_DIR, encoding: "utf8" }));
  assert.deepEqual(pack.files.map((f) => f.path).sort(), [
    "package.json",
    "pkg-node/notary_verify.js",
    "pkg-node/notary_verify_bg.wasm",
    "pkg-node/package.json",
    "pkg-web/notary_verify.js",
    "pkg-web/notary_verify_bg.wasm",
    "types/index.d.ts",
    "types/node.d.ts",
    "types/web.d.ts",
  ]);
});
