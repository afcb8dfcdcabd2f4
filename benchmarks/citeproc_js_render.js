// Render CSL-JSON items with citeproc-js (the reference CSL processor), for benchmarks/bench_format_unseen.py.
// Usage: node citeproc_js_render.js ITEMS.json LOCALES_DIR STYLE.csl... > out.json
// Needs the npm package `citeproc` on NODE_PATH (a benchmark tool, not a bibkit dependency).
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const [itemsPath, localesDir, ...styles] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const sys = require("./citeproc_js_sys.js")(items, localesDir);
const out = {};
for (const stylePath of styles) {
  const xml = fs.readFileSync(stylePath, "utf8");
  const name = path.basename(stylePath, ".csl");
  out[name] = {};
  for (const fmt of ["text", "html"]) {
    const render = (ids) => {
      const engine = new CSL.Engine(sys, xml, "en-US");
      engine.setOutputFormat(fmt);
      engine.updateItems(ids);
      return engine.makeBibliography();
    };
    const [meta, entries] = render(items.map((it) => String(it.id)));
    const result = { order: [], entries: {} };
    if (meta.entry_ids.length === entries.length) {
      meta.entry_ids.forEach((ids, i) => { result.entries[ids[0]] = entries[i].replace(/\n$/, ""); });
      result.order = meta.entry_ids.map((ids) => ids[0]);
    } else {  // some items print nothing (left out): render each alone to know which entry is whose
      for (const ids of meta.entry_ids) {
        const [, alone] = render([ids[0]]);
        if (alone.length) { result.entries[ids[0]] = alone[0].replace(/\n$/, ""); result.order.push(ids[0]); }
      }
    }
    out[name][fmt] = result;
  }
}
process.stdout.write(JSON.stringify(out, null, 1));
