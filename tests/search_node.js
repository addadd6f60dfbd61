// Runs theme/assets/search.js (the browser's code) under Node over a built
// index directory, for tests/test_search.py to compare with the Python
// reference client. Usage: node search_node.js <index dir> < queries.json
// where each query is {"q": ..., "street"?: ..., "programme"?: ..., "year"?: ...}.
"use strict";
const fs = require("fs");
const path = require("path");
const S = require(path.join(__dirname, "..", "theme", "assets", "search.js"));

const dir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const fetcher = (url) => {
  const rel = url.split("?")[0];
  const data = fs.readFileSync(path.join(dir, rel));
  return Promise.resolve(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
};

(async () => {
  const engine = new S.Engine("", fetcher);
  const out = [];
  for (const q of queries) {
    const res = await engine.search(q.q, q);
    if (res.error) { out.push({ error: res.error, parts: res.parts, keys: S.queryKeys(res.parts) }); continue; }
    await res.facetsReady;
    const hits = await engine.page(res, 0, engine.manifest.n);  // every hit, whatever the stage
    await res.facetsReady;
    const facets = {};
    for (const f of ["streets", "programmes"]) {
      await engine.loadNames(f, Array.from(res.facets[f].keys()));
      facets[f] = Object.fromEntries(Array.from(res.facets[f]).map(([id, n]) => [engine.name(f, id), n]));
    }
    facets.years = Object.fromEntries(res.facets.years);
    const entry = {
      parts: res.parts, segments: res.segments, stage: res.stage, keys: res.keys, ids: hits.map((h) => h.id),
      tiers: hits.map((h) => h.tier), missing: hits.map((h) => h.missing), urls: hits.map((h) => h.doc.u), facets,
    };
    if (!hits.length && q.suggest) entry.suggest = await engine.suggest(res);
    out.push(entry);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
