// The ESM build for browsers and bundlers (`notary-verify`, or `notary-verify/web`):
// call the default export (or initSync) once before anything else.
export * from "./index.js";

/** Where to load the `.wasm` from: by default `notary_verify_bg.wasm` next to the module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** The instantiated module's exports. */
export interface InitOutput {
  readonly memory: WebAssembly.Memory;
}

/** Fetches and instantiates the module; after it resolves, the API is synchronous. */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;

/** Instantiates the module synchronously from its bytes or a compiled module. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;
