// Type declarations for `wasm-logging/web`: the same API, plus `init` to load the Wasm module
// in a plain <script type="module"> (no bundler).
export * from "./index.js";

/** What `init` accepts: a URL, a `Response`, bytes or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the Wasm module (from `input`, or `wasm_logging_bg.wasm` next to the package).
 * Idempotent; await it once before using the API.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/** Synchronous `init` from bytes or a compiled `WebAssembly.Module` (in a Worker). */
export function initSync(module: BufferSource | WebAssembly.Module): void;
