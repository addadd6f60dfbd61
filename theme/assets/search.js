/* Archive search (search/?q=…&street=…&programme=…&year=…).
 *
 * The index is written at build time by scripts/bulletin/search/index.py
 * (search/format.py's docstring describes the files); this file mirrors
 * search/keys.py's normalize(), query_parts(), query_keys(), select_keys() and
 * search/client.py's Searcher exactly (tests run both over the same index and
 * compare); search-query.js (loaded first) folds and cuts queries. Plain
 * JavaScript, no dependencies, nothing loaded from another host. The core
 * (no DOM) also runs under Node.
 */
(function (root, factory) {
  "use strict";
  var Q = typeof module === "object" && module.exports ? require("./search-query.js") : root.BulletinQuery;
  var api = factory(Q);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (root) root.BulletinSearch = api;
  if (typeof document !== "undefined" && document.querySelector) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { api.boot(document); });
    } else {
      api.boot(document);
    }
  }
})(typeof self !== "undefined" ? self : this, function (Q) {
  "use strict";

  /* ---------------------------------------------------------------- core */

  // The same class as search/keys.py WHITESPACE.
  var WS_CLASS = "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200d\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff";
  var WS = new RegExp("[" + WS_CLASS + "]+", "g");
  var WS_SPLIT = new RegExp("[" + WS_CLASS + "]+");
  var RUN = /[\p{L}\p{N}]+/gu;

  /** NFKC, lower case, traditional folded to simplified with `fold` (the
   *  index's table, a Map), no whitespace (search/keys.py normalize). */
  function normalize(text, fold) {
    return Q.foldText(String(text == null ? "" : text).normalize("NFKC").toLowerCase(), fold).replace(WS, "");
  }

  function runs(norm) {
    return norm.match(RUN) || [];
  }

  function hasPair(norm) {
    return runs(norm).some(function (r) { return Array.from(r).length > 1; });
  }

  /** Runs of letters and digits between spaces and punctuation, normalised;
   *  every one must occur (search/keys.py query_parts). */
  function queryParts(query, fold) {
    var parts = [];
    String(query == null ? "" : query).normalize("NFKC").split(WS_SPLIT).forEach(function (p) {
      runs(normalize(p, fold)).forEach(function (n) { if (parts.indexOf(n) < 0) parts.push(n); });
    });
    var joined = parts.join("");
    if (parts.length > 1 && !parts.some(hasPair) && hasPair(joined)) return [joined];
    return parts;
  }

  /** Overlapping pairs of code points inside each run of letters/digits, no repeats. */
  function queryKeys(parts) {
    var out = [];
    parts.forEach(function (part) {
      runs(part).forEach(function (run) {
        var cps = Array.from(run);
        for (var i = 0; i + 1 < cps.length; i++) {
          var k = cps[i] + cps[i + 1];
          if (out.indexOf(k) < 0) out.push(k);
        }
      });
    });
    return out;
  }

  /** At most `limit` pairs of a long query (search/keys.py select_keys). */
  function selectKeys(keys, limit) {
    if (keys.length <= limit) return keys.slice();
    if (keys.length <= limit + 3) {
      var lo = Math.floor((keys.length - limit) / 2);
      return keys.slice(lo, lo + limit);
    }
    var picked = [];
    keys.forEach(function (k, i) { if (i % 2 === 0 && picked.indexOf(k) < 0) picked.push(k); });
    if (picked.indexOf(keys[keys.length - 1]) < 0) picked.push(keys[keys.length - 1]);
    if (picked.length > limit) {
      var step = (picked.length - 1) / (limit - 1), out = [];
      for (var i = 0; i < limit; i++) out.push(picked[Math.floor(i * step + 0.5)]);
      picked = out;
    }
    return picked;
  }

  /** FNV-1a over UTF-16 code units + murmur3 finaliser, top `bits` bits (search/keys.py bucket). */
  function bucketOf(key, bits) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) >>> (32 - bits);
  }

  /** Shard of a bucket: `starts` are the first buckets of shards 1, 2, … */
  function shardOf(starts, b) {
    var lo = 0, hi = starts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= b) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function Reader(bytes, pos) {
    this.b = bytes;
    this.p = pos || 0;
  }
  Reader.prototype.varint = function () {
    var n = 0, mul = 1, b;
    do {
      b = this.b[this.p++];
      n += (b & 0x7f) * mul;
      mul *= 128;
    } while (b >= 0x80);
    return n;
  };

  /** One posting list (gap varints or bitmap) -> sorted ids. */
  function decodePostings(bytes, pos, len) {
    if (!len) return [];
    var r = new Reader(bytes, pos + 1), out = [];
    if (bytes[pos] === 0) {
      var count = r.varint(), cur = 0;
      for (var i = 0; i < count; i++) { cur += r.varint(); out.push(cur); }
      return out;
    }
    var lo = r.varint(), nbytes = r.varint(), start = r.p;
    for (var j = 0; j < nbytes; j++) {
      var b = bytes[start + j];
      if (!b) continue;
      for (var bit = 0; bit < 8; bit++) if (b & (1 << bit)) out.push(((lo + j) << 3) + bit);
    }
    return out;
  }

  /** A shard -> Map key -> [all list, head list] (decoded on first use). */
  function parseShard(buf) {
    var bytes = new Uint8Array(buf), r = new Reader(bytes, 0), dec = new TextDecoder();
    var n = r.varint(), table = [];
    for (var i = 0; i < n; i++) {
      var klen = r.varint(), key = dec.decode(bytes.subarray(r.p, r.p + klen));
      r.p += klen;
      var alen = r.varint(), hlen = r.varint();
      table.push([key, alen, hlen]);
    }
    var map = new Map(), pos = r.p;
    table.forEach(function (t) {
      map.set(t[0], { bytes: bytes, a: pos, alen: t[1], h: pos + t[1], hlen: t[2] });
      pos += t[1] + t[2];
    });
    return map;
  }

  /** A facet chunk (columns: counts, street ids, programme ids) -> [[streets], [programmes]] per doc. */
  function decodeFacets(buf, count) {
    var bytes = new Uint8Array(buf), h = new Reader(bytes, 0);
    var alen = h.varint(), blen = h.varint();
    var c = new Reader(bytes, h.p), s = new Reader(bytes, h.p + alen), p = new Reader(bytes, h.p + alen + blen);
    var rows = new Array(count);
    for (var i = 0; i < count; i++) {
      var ns = c.varint(), np = c.varint(), a = [], b = [], j;
      for (j = 0; j < ns; j++) a.push(s.varint());
      for (j = 0; j < np; j++) b.push(p.varint());
      rows[i] = [a, b];
    }
    return rows;
  }

  /** Sorted-array intersection. */
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  var FACETS = ["streets", "programmes", "years"];
  var PARAMS = { streets: "street", programmes: "programme", years: "year" };

  /**
   * The search engine over the index files at `base` (a URL ending in "/").
   * `fetcher(url, kind)` returns a Promise of an ArrayBuffer; the default uses fetch().
   */
  function Engine(base, fetcher) {
    this.base = base;
    this.fetcher = fetcher || defaultFetcher;
    this.cache = new Map();
    this.manifest = null;
    this.fold = new Map(); // grows with the manifest's, the fold chunks' and the documents' entries
    this.foldChunks = new Set();
  }

  var FOLD_CHUNKS = 64; // search/fold.py FOLD_CHUNKS

  /** The fold chunks of the characters of `text` (search/client.py Searcher.load_fold). */
  Engine.prototype.loadFold = function (text) {
    var self = this, want = new Set();
    for (var ch of String(text || "").normalize("NFKC").toLowerCase()) {
      var cp = ch.codePointAt(0);
      if (cp >= 0x2e80 && !self.foldChunks.has(cp % FOLD_CHUNKS)) want.add(cp % FOLD_CHUNKS);
    }
    return Promise.all(Array.from(want).map(function (k) {
      return self.get("fold/" + k + ".json", "fold").then(function (buf) {
        Q.decodeFold(JSON.parse(new TextDecoder().decode(buf))).forEach(function (v, c) { self.fold.set(c, v); });
        self.foldChunks.add(k);
      });
    }));
  };

  /**
   * A stored document's JSON (search/format.py encode_doc): gzip, inflated here
   * unless the server already did (sent it with Content-Encoding: gzip).
   */
  function inflate(buf) {
    var head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
    if (head[0] !== 0x1f || head[1] !== 0x8b) return Promise.resolve(buf);
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("DecompressionStream unsupported"));
    }
    var stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }

  /** A document's JSON text: GB18030 after a "G", else UTF-8 (search/format.py encode_doc). */
  function decodeDoc(buf) {
    var bytes = new Uint8Array(buf);
    return bytes[0] === 0x47 ? new TextDecoder("gb18030").decode(bytes.subarray(1)) : new TextDecoder().decode(bytes);
  }

  function defaultFetcher(url, kind) {
    return fetch(url, kind === "manifest" || kind === "fold" ? { cache: "no-cache" } : {}).then(function (res) {
      if (!res.ok) throw new Error(res.status + " " + url);
      return res.arrayBuffer();
    });
  }

  Engine.prototype.get = function (path, kind) {
    if (!this.cache.has(path)) {
      var url = this.base + path + (this.manifest ? "?v=" + this.manifest.build : "");
      var self = this;
      var p = this.fetcher(url, kind).catch(function (e) { self.cache.delete(path); throw e; });
      this.cache.set(path, p);
    }
    return this.cache.get(path);
  };

  Engine.prototype.init = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.get("manifest.json", "manifest").then(function (buf) {
        var m = JSON.parse(new TextDecoder().decode(buf));
        if (m.format !== 3) throw new Error("unknown index format " + m.format);
        self.manifest = m;
        Q.decodeFold(m.fold).forEach(function (v, c) { self.fold.set(c, v); });
        var norm = function (names) { return names.map(function (x) { return normalize(x, self.fold); }); };
        self.words = Q.nameWords(m.streets.map(norm), m.programmes.map(norm));
        var acc = 0;
        self.starts = m.shards.map(function (gap) { return (acc += gap); });
        self.yearOf = new Uint16Array(m.n);
        m.years.forEach(function (y) { self.yearOf.fill(y[0], y[1], y[2]); });
        return m;
      });
      this.ready.catch(function () { self.ready = null; });
    }
    return this.ready;
  };

  Engine.prototype.shard = function (n) {
    var self = this;
    self.shards = self.shards || new Map();
    if (!self.shards.has(n)) {
      self.shards.set(n, self.get("s/" + n + ".bin", "shard").then(parseShard));
    }
    return self.shards.get(n);
  };

  Engine.prototype.postings = function (key) {
    return this.shard(shardOf(this.starts, bucketOf(key, this.manifest.bucketBits))).then(function (map) {
      var e = map.get(key);
      if (!e) return [[], []];
      if (!e.decoded) e.decoded = [decodePostings(e.bytes, e.a, e.alen), decodePostings(e.bytes, e.h, e.hlen)];
      return e.decoded;
    });
  };

  /** The facet files covering `ids` (search/client.py facet_files): per big chunk,
   *  the chunk when the ids fall into more than facetSparse of its blocks, else those blocks. */
  function facetFiles(m, ids) {
    var blocks = new Map(), out = [];
    ids.forEach(function (i) {
      var c = Math.floor(i / m.facetChunk);
      if (!blocks.has(c)) blocks.set(c, new Set());
      blocks.get(c).add(Math.floor(i / m.facetBlock));
    });
    Array.from(blocks.keys()).sort(function (a, b) { return a - b; }).forEach(function (c) {
      var bs = Array.from(blocks.get(c)).sort(function (a, b) { return a - b; });
      if (bs.length > m.facetSparse) {
        out.push(["f/" + c + ".bin", c * m.facetChunk, Math.min(m.facetChunk, m.n - c * m.facetChunk)]);
      } else {
        bs.forEach(function (b) {
          out.push(["g/" + b + ".bin", b * m.facetBlock, Math.min(m.facetBlock, m.n - b * m.facetBlock)]);
        });
      }
    });
    return out;
  }

  /**
   * Load the facet rows of `ids` (in their order: best first) into this.rowOf.
   * Files are requested in the order the ids first need them, so the rows of
   * the best candidates come first; returns one Promise per file.
   */
  Engine.prototype.facetRows = function (ids) {
    var self = this, m = self.manifest, plan = facetFiles(m, ids), byPath = new Map(), ordered = [];
    self.rowOf = self.rowOf || new Array(m.n);
    self.facetFiles = self.facetFiles || new Map();
    var big = new Set();
    plan.forEach(function (f) {
      byPath.set(f[0], f);
      if (f[0].charAt(0) === "f") big.add(f[1] / m.facetChunk);
    });
    ids.forEach(function (i) {
      var c = Math.floor(i / m.facetChunk);
      var path = big.has(c) ? "f/" + c + ".bin" : "g/" + Math.floor(i / m.facetBlock) + ".bin";
      var f = byPath.get(path);
      if (f) { ordered.push(f); byPath.delete(path); }
    });
    return ordered.map(function (f) {
      if (!self.facetFiles.has(f[0])) {
        self.facetFiles.set(f[0], self.get(f[0], "facets").then(function (buf) {
          decodeFacets(buf, f[2]).forEach(function (row, j) { self.rowOf[f[1] + j] = row; });
        }));
      }
      return self.facetFiles.get(f[0]);
    });
  };

  Engine.prototype.row = function (i) {
    return this.rowOf[i];
  };

  /** Name and aliases of facet values: the busiest are in the manifest, the rest in n/ chunks. */
  Engine.prototype.loadNames = function (facet, ids) {
    var self = this, m = this.manifest, inline = m[facet].length, chunks = new Set();
    self.names = self.names || { streets: m.streets.slice(), programmes: m.programmes.slice() };
    ids.forEach(function (i) { if (i >= inline && !self.names[facet][i]) chunks.add(Math.floor((i - inline) / m.namesChunk)); });
    return Promise.all(Array.from(chunks).map(function (c) {
      return self.get("n/" + facet + "-" + c + ".json", "names").then(function (buf) {
        JSON.parse(new TextDecoder().decode(buf)).forEach(function (n, j) {
          self.names[facet][inline + c * m.namesChunk + j] = n;
        });
      });
    })).then(function () { return self.names[facet]; });
  };

  Engine.prototype.name = function (facet, id) {
    var n = this.names && this.names[facet][id];
    return n ? n[0] : "";
  };

  /** Facet value id of a name or alias: -1 unknown, null when no filter. */
  Engine.prototype.resolve = function (facet, name) {
    if (name == null || name === "") return Promise.resolve(null);
    if (facet === "years") { var y = parseInt(name, 10); return Promise.resolve(isNaN(y) ? -1 : y); }
    var self = this, want = normalize(name, this.fold), total = this.manifest.count[facet];
    function find(list) {
      for (var i = 0; i < list.length; i++) {
        if (list[i] && list[i].some(function (x) { return normalize(x, self.fold) === want; })) return i;
      }
      return -1;
    }
    return this.loadNames(facet, []).then(function (list) {
      var i = find(list);
      if (i >= 0 || list.length >= total) return i;
      var all = [];
      for (var k = list.length; k < total; k++) all.push(k);
      return self.loadNames(facet, all).then(find);
    });
  };

  /**
   * Run a query: candidates from the pairs' posting lists (title/tag matches
   * first, then newest first). Facet counts need the facet chunks of the
   * candidates: res.facetsReady resolves when they are counted. Without a
   * filter the result comes as soon as the shards are in and the facet chunks
   * are fetched once the first page has a hit (page()); with one, the result
   * comes after the facets. Documents are
   * verified later, page by page (page()); a first page with no hit moves on
   * to the next stage (search/client.py STAGES): the parts cut where words
   * meet, then all but one of them.
   */
  Engine.prototype.search = function (query, filters) {
    var self = this, t0 = now();
    filters = filters || {};
    var m, f;
    var text = [query, filters.street, filters.programme].filter(Boolean).join(" ");
    return Promise.all([this.init(), this.loadFold(text)]).then(function (got) {
      m = got[0];
      return Promise.all(FACETS.map(function (facet) { return self.resolve(facet, filters[PARAMS[facet]]); }));
    }).then(function (ids) {
      f = { streets: ids[0], programmes: ids[1], years: ids[2] };
      var parts = queryParts(query, self.fold), keys = queryKeys(parts);
      var res = { parts: parts, segments: parts, stage: 0, keys: [], lists: new Map(), filters: f, order: [],
                  cands: [], head: new Set(), facets: null, dropped: new Set(), error: null, timing: { start: t0 } };
      if (parts.length && !keys.length) { res.error = "short"; return res; }
      if (!parts.length && f.streets === null && f.programmes === null && f.years === null) {
        res.error = "empty";
        return res;
      }
      res.keys = selectKeys(keys, m.maxKeys);
      return Promise.all(res.keys.map(function (k) { return self.postings(k); })).then(function (ls) {
        res.timing.index = now();
        var alls = new Map();
        ls.forEach(function (l, i) { res.lists.set(res.keys[i], l); alls.set(res.keys[i], l[0]); });
        res.segments = Q.segments(parts, alls, self.words);
        return self.enter(res, 0);
      });
    });
  };

  var PROBE = 10; // documents a first page verifies without a hit before the next stage (client.py PROBE)

  /** What a hit must hold: the parts as typed (stage 0) or cut (search/client.py Result.terms). */
  function terms(res) {
    return res.stage === 0 ? res.parts : res.segments;
  }

  function need(res) {
    var n = terms(res).length;
    return res.stage < 2 ? n : Math.max(1, n - 1);
  }

  /** The stage to try when this one has no hit, or null (search/client.py Result.next_stage). */
  function nextStage(res) {
    var same = res.segments.length === res.parts.length && res.segments.every(function (s, i) { return s === res.parts[i]; });
    if (res.stage === 0 && !same) return 1;
    if (res.stage < 2 && res.segments.length > 1) return 2;
    return null;
  }

  /** Candidates of a stage (search/client.py Searcher.enter), then their facets. */
  Engine.prototype.enter = function (res, stage) {
    var self = this, m = this.manifest, f = res.filters;
    res.stage = stage;
    res.dropped = new Set();
    var inside = terms(res).map(function (t) { return res.keys.filter(function (k) { return t.indexOf(k) >= 0; }); });
    if (!res.keys.length) {
      res.cands = [];
      for (var k = 0; k < m.n; k++) res.cands.push(k);
    } else if (stage < 2) {
      var used = [];
      inside.forEach(function (ks) { ks.forEach(function (k) { if (used.indexOf(k) < 0) used.push(k); }); });
      var ls = used.map(function (k) { return res.lists.get(k); });
      var cand = [], head = [];
      if (ls.length) {
        var alls = ls.map(function (l) { return l[0]; }).sort(function (a, b) { return a.length - b.length; });
        cand = alls[0];
        for (var i = 1; i < alls.length && cand.length; i++) cand = intersect(cand, alls[i]);
        head = ls[0][1];
        for (var j = 1; j < ls.length && head.length; j++) head = intersect(head, ls[j][1]);
        head = intersect(head, cand);
      }
      res.head = new Set(head);
      res.cands = head.concat(cand.filter(function (x) { return !res.head.has(x); }));
    } else {
      var held = new Map(), unindexed = 0;
      inside.forEach(function (ks) {
        if (!ks.length) { unindexed++; return; }
        var docs = res.lists.get(ks[0])[0];
        for (var i = 1; i < ks.length; i++) docs = intersect(docs, res.lists.get(ks[i])[0]);
        docs.forEach(function (d) { held.set(d, (held.get(d) || 0) + 1); });
      });
      var least = Math.max(1, need(res) - unindexed);
      res.head = new Set();
      res.cands = Array.from(held.keys()).filter(function (d) { return held.get(d) >= least; })
        .sort(function (a, b) { return held.get(b) - held.get(a) || a - b; });
    }
    res.order = res.cands.slice();
    res.facets = res.facetsReady = null;
    var filtered = f.streets !== null || f.programmes !== null || f.years !== null;
    if (!filtered) {
      // The first page's documents first: they are what the reader waits for. Facet rows
      // come once the page has a hit (page()): a stage given up fetches none.
      self.prefetch(res.cands.slice(0, m.pageSize));
      res.partial = false;
      return Promise.resolve(res);
    }
    var files = self.countFacets(res);
    // Filtered: the first page is known once the rows of the best candidates are in;
    // res.order is then only its beginning (res.partial) until every file has come.
    res.partial = true;
    return new Promise(function (resolve, reject) {
      var done = false;
      function check() {
        if (done) return;
        var out = [], k;
        for (k = 0; k < res.cands.length && out.length < m.pageSize; k++) {
          var i = res.cands[k];
          if (!self.rowOf[i]) return;
          if (self.passes(res, i)) out.push(i);
        }
        done = true;
        if (res.partial) res.order = out;
        resolve(res);
      }
      check();
      files.forEach(function (p) { p.then(check, function () {}); });
      res.facetsReady.then(check, reject);
    });
  };

  Engine.prototype.terms = terms;

  /**
   * Whether res (unfiltered, in an archive past manifest.facetEager documents)
   * counts its facets only when the reader opens the filter panel (client.py
   * facets_on_demand): its rows are then most of a first query's bytes.
   */
  Engine.prototype.facetsOnDemand = function (res) {
    var m = this.manifest, f = res.filters;
    return m.n > (m.facetEager === undefined ? m.n : m.facetEager) &&
      f.streets === null && f.programmes === null && f.years === null;
  };

  /** Fetch the facet rows of res.cands and count them (res.facetsReady); returns the file promises. */
  Engine.prototype.countFacets = function (res) {
    var self = this, files = this.facetRows(res.cands);
    res.facetsReady = Promise.all(files).then(function () {
      res.timing.facets = now();
      res.partial = false;
      return self.count(res);
    });
    return files;
  };

  /** Whether document i passes every filter of res. */
  Engine.prototype.passes = function (res, i) {
    var f = res.filters, row = this.rowOf[i];
    return (f.streets === null || row[0].indexOf(f.streets) >= 0) &&
      (f.programmes === null || row[1].indexOf(f.programmes) >= 0) &&
      (f.years === null || this.yearOf[i] === f.years);
  };

  /** Apply the filters to res.cands (minus dropped) and count every facet. */
  Engine.prototype.count = function (res) {
    var self = this, f = res.filters;
    var counts = { streets: new Map(), programmes: new Map(), years: new Map() };
    var order = [];
    res.cands.forEach(function (i) {
      if (res.dropped.has(i)) return;
      var row = self.row(i), y = self.yearOf[i];
      var okS = f.streets === null || row[0].indexOf(f.streets) >= 0;
      var okP = f.programmes === null || row[1].indexOf(f.programmes) >= 0;
      var okY = f.years === null || y === f.years;
      if (okP && okY) row[0].forEach(function (s) { counts.streets.set(s, (counts.streets.get(s) || 0) + 1); });
      if (okS && okY) row[1].forEach(function (p) { counts.programmes.set(p, (counts.programmes.get(p) || 0) + 1); });
      if (okS && okP) counts.years.set(y, (counts.years.get(y) || 0) + 1);
      if (okS && okP && okY) order.push(i);
    });
    res.order = order;
    res.facets = counts;
    return res;
  };

  /** A document; its own fold entries join the table (search/client.py Searcher.doc). */
  Engine.prototype.doc = function (i) {
    var m = this.manifest, fold = this.fold;
    return this.get("d/" + Math.floor(i / m.docBucket) + "/" + i + ".json.gz", "doc").then(inflate).then(function (buf) {
      var d = JSON.parse(decodeDoc(buf));
      if (d.f) Q.decodeFold(d.f).forEach(function (v, c) { fold.set(c, v); });
      return d;
    });
  };

  /** 0: every part in a title or tag; 1: every part somewhere; null: a loose match. */
  Engine.prototype.verify = function (doc, res) {
    var fold = this.fold, norm = function (t) { return normalize(t, fold); };
    var head = (doc.ut ? [] : [doc.t]).concat([doc.k, doc.st], doc.s, doc.p, doc.al).filter(Boolean).map(norm);
    var text = head.concat(doc.a.concat(doc.pl, [doc.x]).filter(Boolean).map(norm));
    var ts = terms(res);
    function has(list, p) { return list.some(function (t) { return t.indexOf(p) >= 0; }); }
    var missing = ts.filter(function (p) { return !has(text, p); });
    if (ts.length - missing.length < need(res)) return null;
    if (res.stage < 2 && ts.every(function (p) { return has(head, p); })) return { tier: 0, missing: [] };
    return { tier: 1, missing: missing };
  };

  /**
   * The verified hits res.order[start .. start+count): documents where a part
   * does not really occur are dropped from the result (and its counts). A
   * first page with no hit moves on to the next stage (res.stage).
   */
  Engine.prototype.page = function (res, start, count) {
    var self = this, hits = [], next = nextStage(res);
    count = count || this.manifest.pageSize;
    function fill(from) {
      var want = count - hits.length;
      // Loose matches only so far: what holds the terms is in the next stage too.
      if (!start && !hits.length && next !== null) want = Math.min(want, PROBE - res.dropped.size);
      var ids = res.order.slice(from, from + Math.max(0, want));
      if (!ids.length) return Promise.resolve(hits);
      return Promise.all(ids.map(function (i) { return self.doc(i); })).then(function (docs) {
        var dropped = 0;
        docs.forEach(function (doc, j) {
          var v = self.verify(doc, res);
          if (v === null) { res.dropped.add(ids[j]); dropped++; } else hits.push({ id: ids[j], doc: doc, tier: v.tier, missing: v.missing });
        });
        if (dropped && res.facets && !res.partial) self.count(res);
        else if (dropped) res.order = res.order.filter(function (i) { return !res.dropped.has(i); });
        return hits.length >= count ? hits : fill(start + hits.length);
      });
    }
    return fill(start).then(function (found) {
      if (found.length || start || next === null) {
        if (!res.facetsReady && !self.facetsOnDemand(res)) self.countFacets(res);
        return found;
      }
      // Nothing on a first page: once every candidate is counted, either the rest
      // of this stage (filtered, only the first rows were known) or the next stage.
      return Promise.resolve(res.facetsReady).then(function () {
        if (res.order.length && res.dropped.size < PROBE) return self.page(res, 0, count);
        return self.enter(res, next).then(function () { return self.page(res, 0, count); });
      });
    });
  };

  /**
   * What a zero-hit page offers (search/suggest.py): the
   * street and programme names nearest the query, and the pieces of the query
   * that find something (checked against the first few candidates' documents).
   */
  Engine.prototype.suggest = function (res) {
    var self = this, m = this.manifest, fold = this.fold, all = new Map(), tries = 3; // suggest.py TRIES
    res.lists.forEach(function (l, k) { all.set(k, l[0]); });
    function ids(n) { var out = []; for (var i = 0; i < n; i++) out.push(i); return out; }
    function finds(term) {
      var keys = res.keys.filter(function (k) { return term.indexOf(k) >= 0; });
      if (!keys.length) return Promise.resolve(false);
      var docs = all.get(keys[0]);
      keys.slice(1).forEach(function (k) { docs = intersect(docs, all.get(k)); });
      return Promise.all(docs.slice(0, tries).map(function (i) { return self.doc(i); })).then(function (ds) {
        return ds.some(function (d) {
          return [d.t, d.k, d.st].concat(d.s, d.p, d.al, d.a, d.pl, [d.x]).some(function (t) {
            return normalize(t, fold).indexOf(term) >= 0;
          });
        });
      });
    }
    function pieces(term) {
      return finds(term).then(function (ok) {
        if (ok) return [term];
        var parts = Q.cutPart(term, all, self.words);
        if (parts.length < 2) return [];
        return Promise.all(parts.map(pieces)).then(function (ps) { return [].concat.apply([], ps); });
      });
    }
    return Promise.all([
      this.loadNames("streets", ids(m.count.streets)),
      this.loadNames("programmes", ids(m.count.programmes)),
      Promise.all(res.segments.map(pieces)),
    ]).then(function (got) {
      var spellings = [];
      [["streets", got[0]], ["programmes", got[1]]].forEach(function (fl) {
        fl[1].forEach(function (names) {
          var norm = names.map(function (x) { return normalize(x, fold); });
          var stems = fl[0] === "streets" ? [].concat.apply([], norm.map(Q.stems)) : [];
          spellings.push([names[0], norm.concat(stems)]);
        });
      });
      var found = [];
      [].concat.apply([], got[2]).forEach(function (p) { if (found.indexOf(p) < 0) found.push(p); });
      return { names: Q.nearest(res.parts.join(""), spellings), parts: found };
    });
  };

  /** Prefetch the documents of the first page while facets load. */
  Engine.prototype.prefetch = function (ids) {
    var self = this;
    ids.forEach(function (i) { self.doc(i).catch(function () {}); });
  };

  function now() {
    return typeof performance !== "undefined" ? performance.now() : Date.now();
  }

  /* ---------------------------------------------------------- highlight */

  /** Normalised text with, per UTF-16 unit, the original [start, end). */
  function normMap(text, fold) {
    var norm = "", from = [], to = [], i = 0;
    for (var ch of text) {
      var n = normalize(ch, fold);
      for (var j = 0; j < n.length; j++) { from.push(i); to.push(i + ch.length); }
      norm += n;
      i += ch.length;
    }
    return { norm: norm, from: from, to: to };
  }

  /** Original [start, end) ranges of every occurrence of the parts (folded with `fold`), merged. */
  function matchRanges(text, parts, fold) {
    var map = normMap(text, fold), ranges = [];
    parts.forEach(function (p) {
      if (!p) return;
      var at = map.norm.indexOf(p);
      while (at >= 0 && ranges.length < 200) {
        ranges.push([map.from[at], map.to[at + p.length - 1]]);
        at = map.norm.indexOf(p, at + p.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
    });
    return merged;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /** HTML of text[from, to) with the ranges inside it marked. */
  function markHTML(text, ranges, from, to) {
    from = from || 0;
    to = to == null ? text.length : to;
    var out = "", pos = from;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], from), b = Math.min(r[1], to);
      if (a >= b || a < pos) return;
      out += esc(text.slice(pos, a)) + "<mark>" + esc(text.slice(a, b)) + "</mark>";
      pos = b;
    });
    return out + esc(text.slice(pos, to));
  }

  /** A window of `size` characters around the first match, marked (or the start of the text). */
  function excerpt(text, parts, size, fold) {
    size = size || 120;
    text = String(text || "").replace(/\s*\n\s*/g, " ");
    var ranges = matchRanges(text, parts, fold);
    var first = ranges.length ? ranges[0][0] : 0;
    var start = ranges.length ? Math.max(0, first - Math.floor(size / 4)) : 0;
    if (start > 0) {
      // Start after a sentence break close before the match, if there is one.
      var cut = text.slice(start, first).search(/[。！？；]/);
      if (cut >= 0 && first - (start + cut + 1) >= 8) start += cut + 1;
    }
    var end = Math.min(text.length, start + size);
    if (end === text.length) start = Math.max(0, Math.min(start, end - size));
    return { html: (start > 0 ? "…" : "") + markHTML(text, ranges, start, end) + (end < text.length ? "…" : ""),
             matched: ranges.length > 0 };
  }

  /* ----------------------------------------------------------------- UI */

  var LABELS = { streets: "街道", programmes: "项目", years: "年份" };
  var KIND = { brief: "简讯", fragment: "续篇" };
  var SHOWN = 8;

  function cnDate(iso) {
    var p = iso.split("-");
    return +p[0] + "年" + +p[1] + "月" + +p[2] + "日";
  }

  function boot(doc) {
    var root = doc.querySelector("[data-search]");
    if (!root || root.dataset.searchBooted) return;
    root.dataset.searchBooted = "1";
    doc.querySelectorAll(".bl-search__nojs").forEach(function (el) { el.hidden = true; });
    var win = doc.defaultView;
    var form = doc.querySelector("[data-search-form]");
    var input = form && form.querySelector("input[name=q]");
    var status = root.querySelector("[data-search-status]");
    var facetsBox = root.querySelector("[data-search-facets]");
    var facetsBody = root.querySelector("[data-search-facets-body]");
    var facetsSummary = root.querySelector("[data-search-facets-summary]");
    var results = root.querySelector("[data-search-results]");
    var more = root.querySelector("[data-search-more]");
    var indexUrl = new URL(root.dataset.index, win.location.href).href;
    var engine = new Engine(indexUrl);
    var current = null, token = 0, expanded = {};
    var wide = win.matchMedia && win.matchMedia("(min-width: 60em)");
    // Wide screens show the panel open, unless its counts are on demand (a large archive).
    function openWide(res) {
      if (facetsBox && wide && wide.matches && res && !engine.facetsOnDemand(res)) facetsBox.open = true;
    }
    if (facetsBox && wide && wide.addEventListener) {
      wide.addEventListener("change", function (e) { if (e.matches) openWide(current); });
    }
    // A large archive: opening the panel counts the current results' facets.
    if (facetsBox) facetsBox.addEventListener("toggle", function () {
      var res = current;
      if (!facetsBox.open || !res || res.facetsReady || !res.cands) return;
      root.removeAttribute("data-search-facets-state");
      if (facetsBody) facetsBody.innerHTML = '<p class="bl-facet__hint">正在统计…</p>';
      engine.countFacets(res);
      res.facetsReady.then(function () {
        if (res !== current) return;
        showCount(res, state());
        showMore(res);
        return renderFacets(res, state());
      }).then(function () {
        if (res === current) root.setAttribute("data-search-facets-state", "done");
      });
    });

    function state() {
      var p = new URLSearchParams(win.location.search);
      return { q: p.get("q") || "", street: p.get("street") || "", programme: p.get("programme") || "",
               year: p.get("year") || "" };
    }

    function href(st) {
      var p = new URLSearchParams();
      ["q", "street", "programme", "year"].forEach(function (k) { if (st[k]) p.set(k, st[k]); });
      var qs = p.toString();
      return win.location.pathname + (qs ? "?" + qs : "");
    }

    function go(st, replace) {
      win.history[replace ? "replaceState" : "pushState"](null, "", href(st));
      run();
    }

    function setStatus(html, kind) {
      status.innerHTML = html;
      status.className = "bl-search__status" + (kind ? " bl-search__status--" + kind : "");
    }

    function name(facet, id) {
      return facet === "years" ? id + "年" : engine.name(facet, id);
    }

    function isFiltered(res) {
      return res.filters.streets !== null || res.filters.programmes !== null || res.filters.years !== null;
    }

    /** Facet values to show, most results first (years newest first), the selected one always. */
    function facetIds(res, facet) {
      var counts = res.facets[facet], sel = res.filters[facet], ids = Array.from(counts.keys());
      if (facet === "years") ids.sort(function (a, b) { return b - a; });
      else ids.sort(function (a, b) { return counts.get(b) - counts.get(a) || a - b; });
      if (sel !== null && sel >= 0 && ids.indexOf(sel) < 0) ids.unshift(sel);
      var limit = expanded[facet] ? ids.length : SHOWN;
      if (sel !== null && ids.indexOf(sel) >= limit) { ids.splice(ids.indexOf(sel), 1); ids.unshift(sel); }
      return { ids: ids.slice(0, limit), hidden: Math.max(0, ids.length - limit) };
    }

    function renderFacets(res, st) {
      if (!facetsBody || !res.facets) return Promise.resolve();
      var lists = {};
      FACETS.forEach(function (facet) { lists[facet] = facetIds(res, facet); });
      return Promise.all(["streets", "programmes"].map(function (facet) {
        return engine.loadNames(facet, lists[facet].ids);
      })).then(function () {
        if (res !== current) return;
        var html = "", active = 0;
        FACETS.forEach(function (facet) {
          var counts = res.facets[facet], sel = res.filters[facet], list = lists[facet];
          if (sel !== null) active++;
          if (!list.ids.length) return;
          html += '<div class="bl-facet"><p class="bl-facet__name">' + LABELS[facet] + '</p><ul class="bl-facet__values">';
          list.ids.forEach(function (id) {
            var on = id === sel, next = Object.assign({}, st);
            next[PARAMS[facet]] = on ? "" : (facet === "years" ? String(id) : name(facet, id));
            html += '<li><a class="bl-facet__value' + (on ? " is-active" : "") + '" href="' + esc(href(next)) +
              '" data-nav' + (on ? ' aria-current="true" title="取消这个筛选"' : "") + ">" +
              '<span class="bl-facet__label">' + esc(name(facet, id)) + "</span>" +
              '<span class="bl-facet__count">' + (counts.get(id) || 0) + "</span></a></li>";
          });
          html += "</ul>";
          if (list.hidden) {
            html += '<button type="button" class="bl-facet__more" data-expand="' + facet + '">更多（' + list.hidden + "）</button>";
          }
          html += "</div>";
        });
        if (active) {
          html = '<p class="bl-facet__clear"><a href="' + esc(href({ q: st.q })) + '" data-nav>清除筛选</a></p>' + html;
        }
        facetsBody.innerHTML = html;
        if (facetsSummary) facetsSummary.textContent = active ? "筛选（已选 " + active + " 项）" : "筛选";
        facetsBox.hidden = !html;
      });
    }

    /** Ranges of the parts in text as printed (folded like the index). */
    function ranges(text, parts) {
      return matchRanges(text, parts, engine.fold);
    }

    function quoted(list) {
      return list.map(function (x) { return "“" + esc(x) + "”"; }).join("、");
    }

    function tagLine(label, names, parts) {
      var hit = names.filter(function (n) { return ranges(n, parts).length; });
      if (!hit.length) return "";
      return '<p class="bl-hit__also">' + label + "：" + hit.map(function (n) {
        return markHTML(n, ranges(n, parts));
      }).join("、") + "</p>";
    }

    function hitHTML(hit, parts) {
      var d = hit.doc, partial = hit.missing && hit.missing.length;
      var url = (root.dataset.base || ".") + "/" + encodeURI(d.u);
      var title = d.ut ? esc(d.t) : markHTML(d.t, ranges(d.t, parts));
      var label = d.k || KIND[d.kind] || "";
      var meta = '<time datetime="' + esc(d.d) + '">' + cnDate(d.d) + "</time>" +
        d.s.map(function (s) { return " · " + markHTML(s, ranges(s, parts)); }).join("");
      var html = '<article class="bl-item bl-hit' + (partial ? " bl-hit--partial" : "") + '">' +
        '<p class="bl-item__meta">' + meta + "</p>" +
        (label ? '<p class="bl-item__kicker' + (ranges(label, parts).length ? " bl-hit__matched" : "") + '">' +
          markHTML(label, ranges(label, parts)) + "</p>" : "") +
        '<p class="bl-item__title"><a href="' + esc(url) + '">' + title + "</a></p>";
      if (d.st && ranges(d.st, parts).length) {
        html += '<p class="bl-hit__subtitle">' + markHTML(d.st, ranges(d.st, parts)) + "</p>";
      }
      html += '<p class="bl-item__summary bl-hit__excerpt">' + excerpt(d.x, parts, 120, engine.fold).html + "</p>";
      html += tagLine("项目", d.p, parts) + tagLine("作者", d.a, parts) + tagLine("地点", d.pl, parts);
      if (partial) html += '<p class="bl-hit__missing">缺少：' + hit.missing.map(function (x) { return "<s>" + esc(x) + "</s>"; }).join("、") + "</p>";
      return html + "</article>";
    }

    function showMore(res) {
      var left = res.order.length - res.shown;
      more.hidden = left <= 0 || res.partial;
      more.textContent = "加载更多（还有 " + left + " 条）";
    }

    function showCount(res, st) {
      if (res.partial) {
        setStatus("正在统计结果…", "busy");
        return;
      }
      var n = "<strong>" + res.order.length + "</strong>";
      if (res.order.length && res.stage === 2) {
        setStatus("没有同时包含" + quoted(res.segments) + "的文章，以下 " + n + " 条只包含其中部分词语", "partial");
        return;
      }
      if (res.order.length) {
        setStatus("共 " + n + " 条结果" + (res.stage === 1 ? "，同时包含" + quoted(res.segments) : ""));
        return;
      }
      var what = st.q ? "与“" + esc(st.q) + "”相关的" : "符合条件的";
      setStatus("没有找到" + what + "文章。" + (isFiltered(res) && st.q ?
        ' <a href="' + esc(href({ q: st.q })) + '" data-nav>清除筛选</a>后再试。' : "") +
        (res.suggestions ? suggestHTML(res.suggestions) : ""), "empty");
    }

    /** Nearest names and the pieces of the query that find something, as links. */
    function suggestHTML(sg) {
      function links(list) {
        return list.map(function (q) { return '<a href="' + esc(href({ q: q })) + '" data-nav>' + esc(q) + "</a>"; }).join("、");
      }
      var out = "";
      if (sg.names.length) out += '<span class="bl-search__suggest">相近的街道和项目：' + links(sg.names) + "</span>";
      if (sg.parts.length) out += '<span class="bl-search__suggest">分开搜索：' + links(sg.parts) + "</span>";
      return out;
    }

    function idle(html) {
      setStatus(html, "hint");
      results.innerHTML = "";
      if (facetsBox) facetsBox.hidden = true;
      results.setAttribute("data-search-state", "done");
      root.setAttribute("data-search-facets-state", "done");
    }

    function run() {
      var st = state(), my = ++token;
      if (input) input.value = st.q;
      doc.querySelectorAll(".bl-header-search__input").forEach(function (el) { el.value = st.q; });
      if (root.dataset.title) doc.title = (st.q ? st.q + " - " : "") + root.dataset.title;
      more.hidden = true;
      root.removeAttribute("data-search-facets-state");
      results.setAttribute("data-search-state", "loading");
      setStatus("正在搜索…", "busy");
      var t0 = now(), res;
      engine.search(st.q, st).then(function (r) {
        if (my !== token) return null;
        res = current = r;
        if (r.error === "empty") {
          idle("输入街道、项目、人名或词语，例如 <a href=\"" + esc(href({ q: "垃圾分类" })) +
            "\" data-nav>垃圾分类</a>、<a href=\"" + esc(href({ q: "志愿者" })) + "\" data-nav>志愿者</a>。");
          return null;
        }
        if (r.error === "short") {
          idle("请至少输入两个字。");
          return null;
        }
        return engine.page(r, 0).then(function (hits) {
          if (hits.length || !st.q || isFiltered(r)) return hits;
          return engine.suggest(r).then(function (sg) { r.suggestions = sg; return hits; });
        });
      }).then(function (hits) {
        if (my !== token || !hits) return;
        res.shown = hits.length;
        results.innerHTML = hits.map(function (h) { return hitHTML(h, engine.terms(res)); }).join("");
        showCount(res, st);
        showMore(res);
        res.timing.rendered = now();
        results.setAttribute("data-search-state", "done");
        results.setAttribute("data-search-timing", JSON.stringify({
          total: Math.round(res.timing.rendered - t0),
          index: Math.round((res.timing.index || t0) - t0),
          afterIndex: Math.round(res.timing.rendered - (res.timing.index || t0)),
        }));
        if (!res.facetsReady) {  // counted when the reader opens the panel (facetsOnDemand)
          if (facetsBox && facetsBody && hits.length) {
            facetsBox.open = false;
            facetsBox.classList.add("bl-search__facets--on-demand");
            facetsBody.innerHTML = "";
            if (facetsSummary) facetsSummary.textContent = "筛选：按街道、项目、年份统计";
            facetsBox.hidden = false;
          }
          root.setAttribute("data-search-facets-state", "on-demand");
          return;
        }
        if (facetsBox) facetsBox.classList.remove("bl-search__facets--on-demand");
        openWide(res);
        return res.facetsReady.then(function () {
          if (my !== token) return;
          showCount(res, st);
          showMore(res);
          return renderFacets(res, st);
        }).then(function () {
          if (my === token) root.setAttribute("data-search-facets-state", "done");
        });
      }).catch(function (e) {
        if (my !== token) return;
        setStatus(/DecompressionStream/.test(String(e && e.message)) ?
          "当前浏览器版本过旧，无法显示搜索结果，请升级浏览器后再试。" :
          "搜索索引加载失败，请稍后刷新页面再试。", "error");
        results.setAttribute("data-search-state", "error");
        if (win.console) win.console.error(e);
      });
    }

    more.addEventListener("click", function () {
      var res = current, my = token;
      if (!res) return;
      more.disabled = true;
      more.textContent = "正在加载…";
      engine.page(res, res.shown).then(function (hits) {
        if (my !== token) return;
        results.insertAdjacentHTML("beforeend", hits.map(function (h) { return hitHTML(h, engine.terms(res)); }).join(""));
        res.shown += hits.length;
        showCount(res, state());
        if (res.facets) renderFacets(res, state());
        showMore(res);
      }).catch(function () {
        more.textContent = "加载失败，点此重试";
      }).then(function () { more.disabled = false; });
    });

    root.addEventListener("click", function (e) {
      var exp = e.target.closest("[data-expand]");
      if (exp) {
        expanded[exp.dataset.expand] = true;
        if (current && current.facets) renderFacets(current, state());
        return;
      }
      var a = e.target.closest("a[data-nav]");
      if (a && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey && e.button === 0) {
        e.preventDefault();
        win.history.pushState(null, "", a.getAttribute("href"));
        run();
        results.scrollIntoView && win.scrollY > root.offsetTop && root.scrollIntoView({ block: "start" });
      }
    });

    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var st = state();
        st.q = input.value.trim();
        go(st);
        input.blur();
      });
    }
    win.addEventListener("popstate", run);
    run();
  }

  return {
    normalize: normalize,
    queryParts: queryParts,
    queryKeys: queryKeys,
    selectKeys: selectKeys,
    bucketOf: bucketOf,
    facetFiles: facetFiles,
    shardOf: shardOf,
    decodePostings: decodePostings,
    parseShard: parseShard,
    decodeFacets: decodeFacets,
    intersect: intersect,
    matchRanges: matchRanges,
    excerpt: excerpt,
    Engine: Engine,
    boot: boot,
  };
});
