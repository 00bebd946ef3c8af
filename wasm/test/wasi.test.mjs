// The WASI module from Node's node:wasi, through its JSON ABI only (no JS glue):
// for every fixture case the response is byte for byte the native library's
// outcome JSON.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { WASI } from "node:wasi";

import { allCases, wasiRequestFor } from "./harness.mjs";
import { REPO_DIR, WASI_MODULE, manifests, nativeOutcomes } from "./paths.mjs";

const wasi = new WASI({ version: "preview1", args: [], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(WASI_MODULE));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
wasi.initialize(instance);
const { memory, nv_alloc, nv_free, nv_verify, nv_inspect } = instance.exports;

/** Writes `request` into module memory, calls `fn`, and returns the response text. */
function call(fn, request) {
  const bytes = new TextEncoder().encode(request);
  const ptr = nv_alloc(bytes.length) >>> 0;
  assert.notEqual(ptr, 0, "nv_alloc failed");
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  const packed = BigInt.asUintN(64, fn(ptr, bytes.length));
  nv_free(ptr);
  assert.notEqual(packed, 0n, "the response could not be allocated");
  const [at, len] = [Number(packed >> 32n), Number(packed & 0xffffffffn)];
  const response = new TextDecoder().decode(new Uint8Array(memory.buffer, at, len));
  nv_free(at);
  return response;
}

test("the module exports the ABI and nothing from wasm-bindgen", () => {
  const exports = WebAssembly.Module.exports(module).map((e) => e.name).sort();
  for (const name of ["memory", "nv_alloc", "nv_free", "nv_inspect", "nv_verify"]) assert.ok(exports.includes(name), name);
  const imports = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
  assert.deepEqual([...imports], ["wasi_snapshot_preview1"]);
});

for (const m of manifests()) {
  describe(`${m.name} manifest`, { skip: m.skip }, () => {
    const native = m.skip ? {} : nativeOutcomes(m.name);
    for (const [section, kase] of m.skip ? [] : allCases(m.manifest)) {
      test(`${section}/${kase.id}: byte-identical to the native outcome`, async () => {
        assert.ok(native[kase.id], `no native outcome for ${kase.id}`);
        assert.equal(call(nv_verify, await wasiRequestFor(kase, m.load)), native[kase.id]);
      });
    }
  });
}

const fixtures = manifests()[0];
const [, valid] = allCases(fixtures.manifest).find(([s, c]) => s === "cases" && c.expected === "verified" && !c.blob);
const request = JSON.parse(await wasiRequestFor(valid, fixtures.load));
const expected = nativeOutcomes("fixtures")[valid.id];

describe("nv_verify", () => {
  test("the policy may be embedded as JSON text", () => {
    const r = { ...request, trustPolicy: JSON.stringify(request.trustPolicy) };
    assert.equal(call(nv_verify, JSON.stringify(r)), expected);
  });

  test("malformed requests answer {error} with a stable code", () => {
    const cases = [
      ["not json", "invalid_argument"],
      [JSON.stringify({ ...request, time: undefined }), "invalid_argument"],
      [JSON.stringify({ ...request, time: "now" }), "invalid_argument"],
      [JSON.stringify({ ...request, envelope: "***" }), "invalid_argument"],
      [JSON.stringify({ ...request, extra: 1 }), "invalid_argument"],
      // The npm package's setting: a request is its own verifier, so there is no cache.
      [JSON.stringify({ ...request, chainCache: 8 }), "invalid_argument"],
      [JSON.stringify({ ...request, reference: undefined }), "invalid_argument"],
      [JSON.stringify({ ...request, trustStores: { "ca:x": 5 } }), "invalid_argument"],
      [JSON.stringify({ ...request, trustStores: { "nope:x": "" } }), "store_reference_invalid"],
      [JSON.stringify({ ...request, trustPolicy: { version: "1.0", trustPolicies: [] } }), "policy_empty"],
      [JSON.stringify({ ...request, trustPolicy: undefined }), "invalid_argument"],
      [JSON.stringify(request).replace('"version":"1.0"', '"version":"1.0","version":"1.0"'), "json_duplicate_member"],
      // Maps of the request itself refuse a repeated member instead of keeping the last.
      [JSON.stringify(request).replace('"trustStores":{', '"trustStores":{"ca:x":"","ca:x":"",'), "invalid_argument"],
      [
        JSON.stringify({ ...request, userMetadata: { env: "a" } }).replace('"userMetadata":{"env":"a"}', '"userMetadata":{"env":"a","env":"b"}'),
        "invalid_argument",
      ],
    ];
    for (const [body, code] of cases) {
      const response = JSON.parse(call(nv_verify, body));
      assert.equal(response.verdict, undefined, body);
      assert.equal(response.error.code, code, response.error.message);
    }
  });

  test("revocation evidence: base64 DER CRLs and OCSP responses", () => {
    const file = (path) => readFileSync(join(REPO_DIR, "tests", "fixtures", "revocation", path)).toString("base64");
    const envelope = file("envelopes/leaf.jws");
    const facts = JSON.parse(call(nv_inspect, JSON.stringify({ envelope })));
    const leaf = {
      trustPolicy: {
        version: "1.0",
        trustPolicies: [
          { name: "rev", registryScopes: ["*"], signatureVerification: { level: "strict" }, trustStores: ["ca:rev"], trustedIdentities: ["*"] },
        ],
      },
      trustStores: { "ca:rev": { base64: file("certs/root.pem") } },
      envelope,
      reference: `registry.example/fixtures@${facts.signedArtifact.digest}`,
      descriptor: facts.signedArtifact,
      time: "2026-11-24T00:00:00Z",
    };
    assert.equal(JSON.parse(call(nv_verify, JSON.stringify(leaf))).error.code, "revocation_unknown");
    const revocation = { crls: [file("crl/root.crl")], ocsp: [file("ocsp/leaf-good.der")] };
    assert.equal(JSON.parse(call(nv_verify, JSON.stringify({ ...leaf, revocation }))).verdict, "verified");
  });

  test("a failed verification is an outcome", () => {
    const response = JSON.parse(call(nv_verify, JSON.stringify({ ...request, envelope: btoa("{}") })));
    assert.equal(response.verdict, "rejected");
    assert.equal(response.error.code, "envelope_member_invalid");
  });

  test("addresses not from nv_alloc are answered with an error", () => {
    const ptr = nv_alloc(4) >>> 0;
    for (const [p, len] of [[ptr, 5], [ptr + 1, 1], [0, 0], [0xfffffff0, 4]]) {
      const packed = BigInt.asUintN(64, nv_verify(p, len));
      const [at, n] = [Number(packed >> 32n), Number(packed & 0xffffffffn)];
      const response = JSON.parse(new TextDecoder().decode(new Uint8Array(memory.buffer, at, n)));
      nv_free(at);
      assert.equal(response.error.code, "invalid_argument");
    }
    nv_free(ptr);
    nv_free(ptr);
    nv_free(12345);
  });

  test("memory stays bounded over repeated calls", () => {
    const body = JSON.stringify(request);
    for (let i = 0; i < 5; i++) call(nv_verify, body);
    const size = memory.buffer.byteLength;
    for (let i = 0; i < 100; i++) call(nv_verify, body);
    assert.equal(memory.buffer.byteLength, size);
  });
});

describe("nv_inspect", () => {
  test("returns the signature facts", () => {
    const facts = call(nv_inspect, JSON.stringify({ envelope: request.envelope }));
    assert.deepEqual(JSON.parse(facts), JSON.parse(expected).signature);
  });

  test("an unreadable envelope is an error", () => {
    const response = JSON.parse(call(nv_inspect, JSON.stringify({ envelope: btoa("[]") })));
    assert.equal(response.error.code, "envelope_not_json");
    assert.equal(response.error.rule, "JWS-01");
  });
});
