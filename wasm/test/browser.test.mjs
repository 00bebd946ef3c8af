// A real browser: a static page served on 127.0.0.1 loads the ESM build and
// verifies fixture cases client-side in headless Chromium (Debian's, driven by
// playwright-core). The test asserts the verdict shown on the page, compares the
// page's outcome with the native library's, and saves screenshots under
// test-artifacts/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { allCases } from "./harness.mjs";
import { ARTIFACTS_DIR, REPO_DIR, WASM_DIR, manifests, nativeOutcomes } from "./paths.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

// URL prefix -> directory served under it. Nothing else is reachable.
const ROUTES = [
  ["/pkg-web/", join(WASM_DIR, "pkg-web")],
  ["/fixtures/", join(REPO_DIR, "tests", "fixtures")],
  ["/harness.mjs", join(WASM_DIR, "test", "harness.mjs")],
  ["/page.mjs", join(WASM_DIR, "test", "browser", "page.mjs")],
  ["/", join(WASM_DIR, "test", "browser", "index.html")],
];
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

function resolve(pathname) {
  for (const [prefix, target] of ROUTES) {
    if (prefix.endsWith("/") && prefix !== "/" && pathname.startsWith(prefix)) {
      const path = normalize(join(target, decodeURIComponent(pathname.slice(prefix.length))));
      return path.startsWith(target + sep) ? path : null;
    }
    if (pathname === prefix) return target;
  }
  return null;
}

let server;
let base;
let context;
let userDataDir;

before(async () => {
  server = createServer((req, res) => {
    const path = resolve(new URL(req.url, "http://127.0.0.1").pathname);
    if (!path || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
  userDataDir = mkdtempSync(join(tmpdir(), "notary-verify-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: 60_000,
  });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
});

after(async () => {
  await context?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

const fixtures = manifests()[0];
const judged = allCases(fixtures.manifest);
const native = nativeOutcomes("fixtures");

// A signature that verifies, and an intact one from a signer the policy does not trust.
for (const [expected, rule] of [["verified", null], ["rejected", "IDENT-03"]]) {
  const [, kase] = judged.find(([, c]) => c.expected === expected && c.rule === rule && !c.blob);
  test(`the page verifies ${kase.id} client-side: ${expected}`, async () => {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/?case=${encodeURIComponent(kase.id)}`);
    await page.waitForSelector("#verdict[data-done]", { timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS_DIR, `browser-${expected}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    assert.equal(await page.textContent("#verdict"), expected);
    assert.deepEqual(JSON.parse(await page.textContent("#outcome")), JSON.parse(native[kase.id]));
    await page.close();
  });
}
