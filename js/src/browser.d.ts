// Types for a path import of this file (a plain page importing it without a bundler).
export * from "../types/index.js";
