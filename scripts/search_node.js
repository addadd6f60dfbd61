// The search engine (theme/assets/search-engine.js, the browser's own code)
// under Node, for tests and benchmarks: one process answers many requests,
// one JSON line in (stdin), one JSON line out (stdout). scripts/searchnode.py
// is its Python side. Requests:
//   {"op": "search", "dir": <index dir>, "q": ..., "street"?, "programme"?, "year"?,
//    "hits": "page" | "all" | "none", "facets"?: true (count them even when the page
//    would wait for the panel), "suggest"?: true (a zero-hit page's suggestions),
//    "fresh"?: true (a cold cache, as a reader's first query), "shown"?: true (only the
//    facet names the page shows first)}
//   {"op": "fold", "dir": ..., "text": ...}: the fold table after loading text's chunks
//   {"op": "call", "module": "engine" | "query" | "ui", "fn": ..., "args": [...]}:
//    a pure function; {"$map": [[k, v], …]} in args is a Map, Maps and Sets come back as objects and arrays.
// Every answer names the index files the request fetched ("fetched", in order).
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");

const ASSETS = path.join(__dirname, "..", "theme", "assets");
const E = require(path.join(ASSETS, "search-engine.js"));
const MODULES = { engine: E, query: require(path.join(ASSETS, "search-query.js")), ui: require(path.join(ASSETS, "search.js")) };

const engines = new Map();
const SHOWN = 8; // facet values the page shows before 更多 (search.js SHOWN)

function open(dir, fresh) {
  if (!fresh && engines.has(dir)) return engines.get(dir);
  const log = [];
  const fetcher = (url) => {
    const rel = url.split("?")[0];
    log.push(rel);
    return fs.promises.readFile(path.join(dir, rel)).then((data) => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  };
  const entry = { engine: new E.Engine("", fetcher), log };
  if (!fresh) engines.set(dir, entry);
  return entry;
}

function plain(x) {
  if (x instanceof Map) return Object.fromEntries(Array.from(x, ([k, v]) => [k, plain(v)]));
  if (x instanceof Set) return Array.from(x, plain);
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

function revive(x) {
  if (Array.isArray(x)) return x.map(revive);
  if (x && typeof x === "object") {
    if (x.$map) return new Map(x.$map.map(([k, v]) => [k, revive(v)]));
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, revive(v)]));
  }
  return x;
}

// Facet counts by name; ``shown``: only the values the page shows before 更多
// (most results first), whose names are all it fetches.
async function facetNames(engine, res, shown) {
  const out = {};
  for (const f of ["streets", "programmes"]) {
    let rows = Array.from(res.facets[f]).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (shown) rows = rows.slice(0, SHOWN);
    await engine.loadNames(f, rows.map(([id]) => id));
    out[f] = Object.fromEntries(rows.map(([id, n]) => [engine.name(f, id), n]));
  }
  out.years = Object.fromEntries(res.facets.years);
  return out;
}

async function search(req) {
  const { engine, log } = open(req.dir, req.fresh);
  const from = log.length, t0 = E.now();
  const res = await engine.search(req.q || "", req);
  const out = { parts: res.parts, segments: res.segments, stage: res.stage, keys: res.keys, error: res.error };
  if (res.error) return Object.assign(out, { ms: E.now() - t0, fetched: log.slice(from) });
  out.candidates = res.order.slice();
  const count = req.hits === "all" ? Math.max(1, engine.manifest.n) : engine.manifest.pageSize;
  const hits = req.hits === "none" ? [] : await engine.page(res, 0, count);
  if (!hits.length && req.suggest) out.suggest = await engine.suggest(res);
  out.ms = E.now() - t0;
  out.facetsOnDemand = engine.facetsOnDemand(res);
  if (!res.facetsReady && req.facets) engine.countFacets(res);
  if (res.facetsReady) {
    await res.facetsReady;
    out.facets = await facetNames(engine, res, req.shown);
  }
  Object.assign(out, {
    stage: res.stage, ids: hits.map((h) => h.id), tiers: hits.map((h) => h.tier), missing: hits.map((h) => h.missing),
    urls: hits.map((h) => h.doc.u), titles: hits.map((h) => h.doc.t), order: res.order.slice(), results: res.order.length,
    fetched: log.slice(from),
  });
  return out;
}

async function answer(req) {
  if (req.op === "search") return search(req);
  if (req.op === "fold") {
    const { engine, log } = open(req.dir, req.fresh);
    const from = log.length;
    await engine.init();
    await engine.loadFold(req.text || "");
    return { fold: Array.from(engine.fold), fetched: log.slice(from) };
  }
  if (req.op === "call") {
    const mod = MODULES[req.module || "engine"];
    if (typeof mod[req.fn] !== "function") throw new Error("no function " + req.fn);
    return { value: plain(mod[req.fn].apply(null, revive(req.args || []))) };
  }
  throw new Error("unknown op " + req.op);
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
  if (!line.trim()) return;
  queue = queue.then(() => answer(JSON.parse(line))).then(
    (out) => process.stdout.write(JSON.stringify(out) + "\n"),
    (e) => process.stdout.write(JSON.stringify({ failed: String(e && e.stack || e) }) + "\n"));
});
