// Builds Threshold's front-end assets from the pinned npm packages:
// compiles the Sass and copies GOV.UK Frontend's JavaScript and images.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "threshold", "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });
const result = sass.compile(join(root, "assets", "scss", "application.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "application.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// Only the images we use: no crown, no GOV.UK logo.
mkdirSync(join(out, "assets", "images"), { recursive: true });
cpSync(join(root, "assets", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(root, "assets", "js"), out, { recursive: true });
console.log(`Built assets into ${out}`);
