// Runs a component that `jco transpile` turned into JS (docs/wasi-tooling.md) as a WASI command
// in Node, on jco's WASI 0.2 shim for Node (@bytecodealliance/preview2-shim):
//
//   node run-jco.mjs TRANSPILED.js [--dir HOST::GUEST]... [-- ARGS...]
//
// --dir preopens a host directory under a guest name, as `wasmtime run --dir` does (none by
// default: the shim would otherwise preopen "/"); the environment is this process's, as the
// shim passes it; ARGS are the command's arguments. Exits with the command's status.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
import { _setArgs } from '@bytecodealliance/preview2-shim/cli';

const argv = process.argv.slice(2);
const usage = 'usage: node run-jco.mjs TRANSPILED.js [--dir HOST::GUEST]... [-- ARGS...]';
const module = argv.shift();
if (!module) {
  console.error(usage);
  process.exit(2);
}
const preopens = {};
let args = [];
while (argv.length) {
  const a = argv.shift();
  if (a === '--dir' && argv.length) {
    const [host, guest] = argv.shift().split('::');
    preopens[guest ?? host] = resolve(host);
  } else if (a === '--') {
    args = argv.splice(0);
  } else {
    console.error(`unknown option ${a}\n${usage}`);
    process.exit(2);
  }
}
_setPreopens(preopens);
_setArgs([module, ...args]);
const { run } = await import(pathToFileURL(resolve(module)).href);
// wasi:cli/run's `run` returns nothing for success; an error result throws.
try {
  run.run();
} catch (e) {
  console.error(`${module}: the command failed: ${e?.message ?? e}`);
  process.exit(1);
}
