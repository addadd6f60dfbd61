/* The search engine (search/?q=…): index files -> results, stages,
 * suggestions, facets. No DOM: the search page (search.js, its UI) loads it
 * in browsers, and scripts/search_node.js runs it under Node for the tests
 * and benchmarks, one process answering many queries. It is the only
 * implementation of the search: nothing in Python re-implements it.
 *
 * The index is written at build time by scripts/bulletin/search/index.py
 * (search/format.py's docstring describes the files); normalize() and
 * bucketOf() cut and hash text exactly as search/keys.py does for the index.
 * search-query.js (loaded first) folds and cuts queries. Plain JavaScript, no
 * dependencies, nothing loaded from another host.
 *
 * Over 300 lines: one engine — the index readers, the staged search and the
 * suggestions share one Engine's caches; split over files, the search page
 * would fetch more scripts before its first result.
 */
(function (root, factory) {
  "use strict";
  var Q = typeof module === "object" && module.exports ? require("./search-query.js") : root.BulletinQuery;
  var api = factory(Q);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (root) root.BulletinEngine = api;
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
   *  every one must occur. */
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

  /**
   * At most `limit` pairs of a long query. Every pair of the query occurs in
   * every matching text, so any subset gives a superset of the matches; every
   * other pair still covers each character, and verification drops what
   * matched only loosely. A query a few pairs too long keeps a run of
   * consecutive pairs from its middle instead, so a place and a topic typed
   * together can be cut where a pair and both its neighbours were fetched.
   */
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

  /** The fold chunks of the characters of `text`. */
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
        if (m.format !== 4) throw new Error("unknown index format " + m.format);
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
      self.shards.set(n, self.get("s/" + (n ? self.starts[n - 1] : 0) + ".bin", "shard").then(parseShard));
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

  /** The facet files covering `ids`: per big chunk,
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
   * to the next stage: the parts cut where words
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

  var PROBE = 10; // documents a first page verifies without a hit before the next stage
  // Characters of a document's text looked at (search/index.py MAX_DOC_TEXT, the part the
  // index holds): six 5 MB articles verified and highlighted whole froze the tab for 50 s.
  var MAX_TEXT = 20000;

  /** What a hit must hold: the parts as typed (stage 0) or cut. */
  function terms(res) {
    return res.stage === 0 ? res.parts : res.segments;
  }

  function need(res) {
    var n = terms(res).length;
    return res.stage < 2 ? n : Math.max(1, n - 1);
  }

  /** The stage to try when this one has no hit, or null. */
  function nextStage(res) {
    var same = res.segments.length === res.parts.length && res.segments.every(function (s, i) { return s === res.parts[i]; });
    if (res.stage === 0 && !same) return 1;
    if (res.stage < 2 && res.segments.length > 1) return 2;
    return null;
  }

  /** Candidates of a stage, then their facets. */
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
   * counts its facets only when the reader opens the filter panel: its rows are then most of a first query's bytes.
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

  /** A document; its own fold entries join the table. */
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
    var text = head.concat(doc.a.concat(doc.pl, [String(doc.x || "").slice(0, MAX_TEXT)]).filter(Boolean).map(norm));
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
   * What a zero-hit page offers: the
   * street and programme names nearest the query, and the pieces of the query
   * that find something (checked against the first few candidates' documents).
   */
  Engine.prototype.suggest = function (res) {
    var self = this, m = this.manifest, fold = this.fold, all = new Map(), tries = 3; // candidate documents checked before a piece counts as finding nothing
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

  return {
    FACETS: FACETS,
    PARAMS: PARAMS,
    PROBE: PROBE,
    MAX_TEXT: MAX_TEXT,
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
    terms: terms,
    now: now,
    stems: Q.stems,
    Engine: Engine,
  };
});
