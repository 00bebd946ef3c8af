// Where the Node tests find the builds, the fixtures and the native outcomes.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const WASM_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = join(WASM_DIR, "..");
export const ARTIFACTS_DIR = join(WASM_DIR, "test-artifacts");
export const WASI_MODULE = join(WASM_DIR, "pkg-wasi", "notary_verify.wasm");

/**
 * The manifests the tests run: the committed fixtures (required) and notation-go's
 * vectors from ../shared (absent from a user's clone: `skip` says why).
 */
export function manifests() {
  const fixtures = join(REPO_DIR, "tests", "fixtures");
  const vectors = join(REPO_DIR, "..", "shared", "vectors");
  return [
    { name: "fixtures", dir: fixtures, skip: false },
    {
      name: "vectors",
      dir: vectors,
      skip: existsSync(join(vectors, "manifest.json"))
        ? false
        : "../shared/vectors is not present (it holds notation-go's vectors; see README)",
    },
  ].map((m) => ({
    ...m,
    manifest: m.skip ? null : JSON.parse(readFileSync(join(m.dir, "manifest.json"), "utf8")),
    load: (file) => readFileSync(join(m.dir, file)),
  }));
}

/**
 * The native library's outcome JSON per case id, written by
 * `cargo run --example outcome_json -- <manifest>` (scripts/test-wasm.sh does it).
 */
export function nativeOutcomes(name) {
  const path = join(ARTIFACTS_DIR, "native", `${name}.json`);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run scripts/test-wasm.sh, which writes it with the outcome_json example`);
  }
  return JSON.parse(readFileSync(path, "utf8"));
}
