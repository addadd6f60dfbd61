/* The search page's UI (search/?q=…&street=…&programme=…&year=…): reads
 * the address, runs search-engine.js (loaded before it, with
 * search-query.js) and shows results, facets and suggestions. Highlighting
 * (matchRanges, excerpt) has no DOM either: tests run it under Node.
 *
 * Over 300 lines: boot() is one closure over the page's elements and its
 * current result; its parts (facets, hits, status, navigation) share them.
 */
(function (root, factory) {
  "use strict";
  var E = typeof module === "object" && module.exports ? require("./search-engine.js") : root.BulletinEngine;
  var api = factory(E);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (root) root.BulletinSearch = api;
  if (typeof document !== "undefined" && document.querySelector) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { api.boot(document); });
    } else {
      api.boot(document);
    }
  }
})(typeof self !== "undefined" ? self : this, function (E) {
  "use strict";

  var Engine = E.Engine, normalize = E.normalize, FACETS = E.FACETS, PARAMS = E.PARAMS, now = E.now;

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

  /** A window of about `size` characters around the first match, marked (or the start
   *  of the text); it never ends inside a match. */
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
    // A match the end would cut ends the window before it: a highlight never runs into the "…".
    ranges.forEach(function (r) { if (r[0] < end && r[1] > end && r[0] > start) end = r[0]; });
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
    var win = doc.defaultView;
    var form = doc.querySelector("[data-search-form]");
    var input = form && form.querySelector("input[name=q]");
    var status = root.querySelector("[data-search-status]");
    var facetsBox = root.querySelector("[data-search-facets]");
    var facetsBody = root.querySelector("[data-search-facets-body]");
    var facetsSummary = root.querySelector("[data-search-facets-summary]");
    var results = root.querySelector("[data-search-results]");
    var more = root.querySelector("[data-search-more]");
    var topic = root.querySelector("[data-search-topic]");
    var pagesData = doc.querySelector("script[data-search-pages]");
    var pages = pagesData ? JSON.parse(pagesData.textContent) : {};
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

    /** Characters of an excerpt: three lines of the results column, so the
     *  stylesheet's three-line clamp never cuts it (its "…" would fall in a highlight). */
    function excerptSize() {
      var width = results.clientWidth, em = parseFloat(win.getComputedStyle(results).fontSize) || 16;
      return width ? Math.max(30, Math.min(120, Math.floor(width / (em * 0.9)) * 3 - 6)) : 120;
    }

    /** The street's or programme's own page when the query is its name (or a street's
     *  name without 街道/镇…): offered above the results. */
    function topicHTML(q) {
      var want = normalize(q, engine.fold), found = null;
      [["streets", "街道"], ["programmes", "项目"]].forEach(function (f) {
        (pages[f[0]] || []).forEach(function (entry) {
          if (found) return;
          var name = normalize(entry[0], engine.fold);
          var spellings = [name].concat(f[0] === "streets" ? E.stems(name) : []);
          if (want && spellings.indexOf(want) >= 0) found = [f[1], entry[0], entry[1]];
        });
      });
      if (!found) return "";
      return '<a class="bl-search__topic-link" href="' + esc(found[2]) + '"><span class="bl-search__topic-kind">' +
        found[0] + "</span>" + esc(found[1]) + '<span class="bl-search__topic-hint">' + found[0] + "页面：全部文章</span></a>";
    }

    function showTopic(q) {
      if (!topic) return;
      var html = q ? topicHTML(q) : "";
      topic.innerHTML = html;
      topic.hidden = !html;
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
      html += '<p class="bl-item__summary bl-hit__excerpt">' + excerpt(String(d.x || "").slice(0, E.MAX_TEXT), parts, excerptSize(), engine.fold).html + "</p>";
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
        (res.suggestions ? suggestHTML(res.suggestions) : "") + browseHTML(), "empty");
    }

    /** The way on from a zero-hit page: browsing by street and by date. */
    function browseHTML() {
      if (!pages.streets_index || !pages.archive) return "";
      return '<span class="bl-search__suggest">也可以<a href="' + esc(pages.streets_index) + '">按街道</a>或<a href="' +
        esc(pages.archive) + '">按日期</a>浏览档案。</span>';
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
      showTopic("");
      results.innerHTML = "";
      if (facetsBox) facetsBox.hidden = true;
      results.setAttribute("data-search-state", "done");
      root.setAttribute("data-search-facets-state", "done");
    }

    function run() {
      var st = state(), my = ++token;
      if (input) input.value = st.q;
      doc.querySelectorAll(".bl-header-search__input").forEach(function (el) { el.value = st.q; el.title = st.q; });
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
        showTopic(st.q);
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
    matchRanges: matchRanges,
    excerpt: excerpt,
    boot: boot,
  };
});
