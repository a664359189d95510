// Fails the build when the JavaScript and CSS the first page loads exceed the gzip budget.
// "First page" = what a signed-in user's first screen loads: the entry chunk with its static
// imports, plus the Overview page and everything it loads on demand (the chart library).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const BUDGET_BYTES = 350 * 1024;
const dist = new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entry) throw new Error("no entry chunk in the Vite manifest");

const files = new Set();
const visit = (key, dynamic) => {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  (chunk.css ?? []).forEach((css) => files.add(css));
  (chunk.imports ?? []).forEach((k) => visit(k, dynamic));
  if (dynamic) (chunk.dynamicImports ?? []).forEach((k) => visit(k, dynamic));
};
visit(entry, false);
const FIRST_PAGE = "src/pages/overview/OverviewPage.tsx";
if (!manifest[FIRST_PAGE]) throw new Error(`${FIRST_PAGE} is not a chunk of its own any more`);
visit(FIRST_PAGE, true);

let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} KB gzip`);
}
const verdict = `first page: ${(total / 1024).toFixed(1)} KB gzip of ${BUDGET_BYTES / 1024} KB budget`;
if (total > BUDGET_BYTES) {
  console.error(`bundle too large: ${verdict}`);
  process.exit(1);
}
console.log(verdict);
