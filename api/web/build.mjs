// Builds the pages into dist/: one bundle (and its stylesheet) per page, and the HTML
// shells beside them. Everything a page loads comes from the service itself: no CDN,
// no font from outside. Run by `make install` (npm run build).
import { build } from "esbuild";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");

const entries = {
  screen: "src/screen/main.js",
  app: "src/app/main.js",
  graphiql: "src/graphiql/main.jsx",
};

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  absWorkingDir: here,
  entryPoints: entries,
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["chrome100", "firefox100", "safari15"],
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".svg": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl" },
  legalComments: "linked",
  logLevel: "warning",
});
for (const page of await readdir(join(here, "pages"))) {
  await copyFile(join(here, "pages", page), join(out, page));
}
console.log(`pages built into ${out}`);
