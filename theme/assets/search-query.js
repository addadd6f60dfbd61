/* Understanding a query (loaded before search-engine.js, part of the engine):
 * traditional characters folded with the index's own OpenCC table
 * (scripts/bulletin/search/fold.py ships it), run-together queries cut where
 * words meet, nearest names for a zero-hit page. Plain JavaScript, no dependencies.
 *
 * Run-together queries (小东门垃圾分类 is 小东门 + 垃圾分类): readers type a
 * place and a topic without a space. When the whole query occurs nowhere,
 * each part is cut where the index says two words meet, using only what the
 * index already holds:
 * - the posting lists of the query's pairs, fetched anyway: between 东门 and
 *   垃圾 the pair 门垃 is a boundary when most articles holding both
 *   neighbours lack it (its cohesion is low), while 圾分 is found in nearly
 *   every article holding 垃圾 and 分类;
 * - street and programme names with their aliases and the stems of street
 *   names (石港 of 石港镇): a cut never falls inside one, and their edges cut
 *   more readily.
 * Cutting too much only adds articles holding every smaller part
 * (verification keeps them honest); cutting too little loses them, so when no
 * boundary is clear the weakest one is cut anyway.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (root) root.BulletinQuery = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Below CUT_BELOW cohesion a boundary is cut; a name's edge counts at EDGE_FACTOR;
  // a zero-hit page suggests NEAR_NAMES names at least NEAR_MIN alike (Dice over characters and pairs).
  var CUT_BELOW = 0.5, EDGE_FACTOR = 0.5, NEAR_NAMES = 3, NEAR_MIN = 0.3;
  var STREET_SUFFIXES = ["街道", "新区", "镇", "乡", "区", "县", "市", "社区", "村"];
  var RUN = /[\p{L}\p{N}]+/gu;
  var WIDE = /[^\x00-\u2e7f]/gu; // every character the fold table can hold

  /** The manifest's fold string (from, to pairs) -> Map (fold.py decode). */
  function decodeFold(pairs) {
    var cps = Array.from(pairs || ""), map = new Map();
    for (var i = 0; i + 1 < cps.length; i += 2) map.set(cps[i], cps[i + 1]);
    return map;
  }

  /** Traditional -> simplified, one character for one. */
  function foldText(s, fold) {
    if (!fold || !fold.size) return s;
    return s.replace(WIDE, function (c) { return fold.get(c) || c; });
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  /** A street name without its administrative suffixes. */
  function stems(name) {
    var out = [];
    for (;;) {
      var cps = Array.from(name), next = null;
      for (var i = 0; i < STREET_SUFFIXES.length && next === null; i++) {
        var s = Array.from(STREET_SUFFIXES[i]);
        if (name.endsWith(STREET_SUFFIXES[i]) && cps.length - s.length >= 2) next = cps.slice(0, cps.length - s.length).join("");
      }
      if (next === null) return out;
      out.push(next);
      name = next;
    }
  }

  /** Runs of normalised names and aliases, and street stems. */
  function nameWords(streets, programmes) {
    var words = new Set();
    streets.forEach(function (names) {
      names.forEach(function (n) {
        (n.match(RUN) || []).forEach(function (r) { words.add(r); stems(r).forEach(function (s) { words.add(s); }); });
      });
    });
    programmes.forEach(function (names) {
      names.forEach(function (n) { (n.match(RUN) || []).forEach(function (r) { words.add(r); }); });
    });
    return Array.from(words).filter(function (w) { return Array.from(w).length >= 2; });
  }

  /** Share of the articles holding both neighbours that hold the pair too. */
  function cohesion(left, mid, right) {
    if (!mid.length) return 0;
    var base = intersect(left, right);
    return (intersect(base, mid).length + 0.5) / (base.length + 1);
  }

  function find(cps, w, from) {
    outer: for (var i = from; i + w.length <= cps.length; i++) {
      for (var j = 0; j < w.length; j++) if (cps[i + j] !== w[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** A part cut into pieces of two or more characters.
   *  `lists`: Map pair -> sorted ids of the fetched pairs; `words`: nameWords(). */
  function cutPart(part, lists, words) {
    var cps = Array.from(part), n = cps.length;
    if (n < 4) return [part];
    var inside = new Set(), edges = new Set();
    words.forEach(function (w) {
      var wc = Array.from(w), at = find(cps, wc, 0);
      while (at >= 0) {
        for (var k = at + 1; k < at + wc.length; k++) inside.add(k);
        edges.add(at);
        edges.add(at + wc.length);
        at = find(cps, wc, at + 1);
      }
    });
    var pair = [], scored = [], b;
    for (var i = 0; i + 1 < n; i++) pair.push(cps[i] + cps[i + 1]);
    for (b = 2; b < n - 1; b++) {
      var keys = [pair[b - 2], pair[b - 1], pair[b]], score;
      if (inside.has(b)) continue;
      if (keys.every(function (k) { return lists.has(k); })) score = cohesion(lists.get(keys[0]), lists.get(keys[1]), lists.get(keys[2]));
      else if (edges.has(b)) score = 0.5; // a long query's pairs are not all fetched: a name's edge still cuts
      else continue;
      scored.push([score * (edges.has(b) ? EDGE_FACTOR : 1), b]);
    }
    scored.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
    var cuts = [];
    for (var j = 0; j < scored.length; j++) {
      if (cuts.length && scored[j][0] >= CUT_BELOW) break;
      b = scored[j][1];
      if (cuts.every(function (c) { return Math.abs(b - c) >= 2; })) cuts.push(b);
    }
    var bounds = [0].concat(cuts.sort(function (x, y) { return x - y; }), [n]), out = [];
    for (var k = 0; k + 1 < bounds.length; k++) out.push(cps.slice(bounds[k], bounds[k + 1]).join(""));
    return out;
  }

  /** Every part cut, without repeats. */
  function segments(parts, lists, words) {
    var out = [];
    parts.forEach(function (p) {
      cutPart(p, lists, words).forEach(function (s) { if (out.indexOf(s) < 0) out.push(s); });
    });
    return out;
  }

  function grams(text) {
    var cps = Array.from(text), out = cps.slice();
    for (var i = 0; i + 1 < cps.length; i++) out.push(cps[i] + cps[i + 1]);
    return out;
  }

  /** Dice over characters and pairs. */
  function similarity(a, b) {
    var ga = grams(a), gb = grams(b);
    if (!ga.length || !gb.length) return 0;
    var rest = gb.slice(), common = 0;
    ga.forEach(function (g) {
      var at = rest.indexOf(g);
      if (at >= 0) { rest.splice(at, 1); common++; }
    });
    return 2 * common / (ga.length + gb.length);
  }

  /** The k names most like the query; names: [display, [spellings]]. */
  function nearest(query, names, k) {
    var scored = [];
    names.forEach(function (n, i) {
      var s = Math.max.apply(null, n[1].map(function (x) { return similarity(query, x); }));
      if (s >= NEAR_MIN) scored.push([s, i, n[0]]);
    });
    scored.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
    var out = [];
    scored.forEach(function (x) { if (out.indexOf(x[2]) < 0) out.push(x[2]); });
    return out.slice(0, k || NEAR_NAMES);
  }

  return {
    decodeFold: decodeFold, foldText: foldText, intersect: intersect, stems: stems, nameWords: nameWords,
    cohesion: cohesion, cutPart: cutPart, segments: segments, similarity: similarity, nearest: nearest,
  };
});
