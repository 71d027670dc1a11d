// Copies installed front-end packages into app/static/vendor and compiles our Sass theme.
// Run by `make assets` (npm run build); app/static/vendor is ignored by git.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "app", "static", "vendor");
const modules = join(root, "node_modules");

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
cpSync(join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(vendor, "govuk-frontend.min.js"));
cpSync(join(modules, "govuk-frontend", "dist", "govuk", "assets", "images"), join(vendor, "images"), { recursive: true });
cpSync(join(modules, "htmx.org", "dist", "htmx.min.js"), join(vendor, "htmx.min.js"));
// Its stylesheet is compiled into app.css (app.scss imports it).
cpSync(
  join(modules, "accessible-autocomplete", "dist", "accessible-autocomplete.min.js"),
  join(vendor, "accessible-autocomplete.min.js"),
);

const css = sass.compile(join(root, "app", "static", "scss", "app.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "mixed-decls", "slash-div", "color-functions"],
});
writeFileSync(join(vendor, "app.css"), css.css);
console.log("Front-end assets written to app/static/vendor");
