// Types for a path import of this file (`./node_modules/wasm-logging/src/web.js` in a plain
// page): the package's `wasm-logging/web` declarations.
export * from "../types/web.js";
export { default } from "../types/web.js";
