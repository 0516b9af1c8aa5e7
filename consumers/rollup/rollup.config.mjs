// Rollup resolves bare imports only with @rollup/plugin-node-resolve (true of any package).
import { nodeResolve } from "@rollup/plugin-node-resolve";

export default {
  input: ["src/main.js", "src/worker.js"],
  output: { dir: "dist", format: "es" },
  plugins: [nodeResolve()],
};
