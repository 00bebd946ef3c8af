// Loads the ESM build, fetches one fixture case (?case=<id>) and verifies it in the
// page; the browser test reads #verdict and #outcome.
import init, * as api from "/pkg-web/notary_verify.js";
import { allCases, runCase } from "/harness.mjs";

const verdict = document.getElementById("verdict");

async function fetchBytes(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

try {
  const id = new URLSearchParams(location.search).get("case");
  document.getElementById("case").textContent = id;
  await init();
  const manifest = JSON.parse(new TextDecoder().decode(await fetchBytes("/fixtures/manifest.json")));
  const found = allCases(manifest).find(([, c]) => c.id === id);
  if (!found) throw new Error(`no fixture case ${id}`);
  const outcome = await runCase(api, found[1], (file) => fetchBytes(`/fixtures/${file}`));
  verdict.textContent = outcome.verdict;
  verdict.className = outcome.verdict;
  document.getElementById("outcome").textContent = JSON.stringify(outcome, null, 2);
} catch (e) {
  verdict.textContent = `error: ${e.code ?? ""} ${e.message}`;
  verdict.className = "error";
}
verdict.dataset.done = "true";
