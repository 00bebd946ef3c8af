// The ESM build's initialisation, checked by `npm run typecheck`.
import init, { createVerifier, initSync } from "notary-verify/web";

await init();
await init({ module_or_path: new URL("https://example.invalid/notary_verify_bg.wasm") });
const exports = initSync({ module: new Uint8Array() });
console.log(exports.memory.buffer.byteLength, createVerifier({ trustPolicy: "{}" }));
