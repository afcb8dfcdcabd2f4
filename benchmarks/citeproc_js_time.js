// Time citeproc-js rendering a whole bibliography (text), for benchmarks/bench_format_vs_js.py.
// Usage: node citeproc_js_time.js ITEMS.json LOCALES_DIR STYLE.csl   (prints the number of entries)
// Needs the npm package `citeproc` on NODE_PATH (a benchmark tool, not a bibkit dependency).
const fs = require("fs");
const CSL = require("citeproc");

const [itemsPath, localesDir, stylePath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const sys = require("./citeproc_js_sys.js")(items, localesDir);
const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, "utf8"), "en-US");
engine.setOutputFormat("text");
engine.updateItems(items.map((it) => String(it.id)));
const [, entries] = engine.makeBibliography();
process.stdout.write(`${entries.length}\n`);
