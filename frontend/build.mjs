// Bundles src/ into the one module the integration serves (custom_components/dinstar/frontend).
// The output is deterministic, so CI can rebuild it and compare it with the committed file.
import { build } from "esbuild";

await build({
  entryPoints: ["src/index.ts"],
  outfile: "../custom_components/dinstar/frontend/dinstar.js",
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  charset: "utf8",
  logLevel: "info",
});
