// Builds the front end into static/dist/: one CSS file, one JS file and the icons,
// each named by a hash of its content, and manifest.json mapping logical names to them.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");
const dist = join(here, "dist");

function hashed(name, content) {
  const digest = createHash("sha256").update(content).digest("hex").slice(0, 12);
  return `${basename(name, extname(name))}.${digest}${extname(name)}`;
}

const outputs = {};

// CSS: GOV.UK Frontend with the council's colour and system fonts (no @font-face).
const css = sass.compile(join(src, "scss", "portal.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
if (css.css.includes("@font-face")) {
  throw new Error("The built CSS declares a web font: the portal must use system fonts only.");
}
outputs["portal.css"] = css.css;

// JS: GOV.UK Frontend's components and htmx, bundled and minified into one file.
const js = await esbuild.build({
  entryPoints: [join(src, "js", "portal.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2018"],
  write: false,
  legalComments: "none",
});
outputs["portal.js"] = js.outputFiles[0].text;

for (const file of readdirSync(join(src, "images"))) {
  outputs[file] = readFileSync(join(src, "images", file));
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const manifest = {};
for (const [name, content] of Object.entries(outputs)) {
  const file = hashed(name, content);
  writeFileSync(join(dist, file), content);
  manifest[name] = file;
}
writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(Object.entries(manifest).map(([k, v]) => `${k} -> ${v}`).join("\n"));
