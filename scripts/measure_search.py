"""What ``scripts/bench_site.py`` measures of a built site's search: the gzip
bytes a reader's first query downloads (ours: the engine under Node over the
site's index, the query set of ``scripts/bench_search.py``; the baseline:
Material's whole index, worker and lunr scripts).
"""

from __future__ import annotations

import gzip
import random
import statistics
from pathlib import Path

import bench_search
from bulletin.search import index as searchindex
from bulletin.site import index
from bulletin.taxonomy import load_taxonomy
from searchnode import SearchNode, first_query_bytes, gzip_size


def first_query(site: Path, content: Path) -> dict | None:
    """Gzip bytes of what the search page's first query loads (worst and median of the
    query set of ``scripts/bench_search.py``), or None when the site has no search index."""
    idx_dir = site / searchindex.INDEX_DIR
    if not (idx_dir / "manifest.json").exists():
        return None
    sources = {str(p.relative_to(content)): p.read_text(encoding="utf-8") for p in content.rglob("*.md")}
    idx = index.collect(sources, load_taxonomy(content.parent / "taxonomy.yml"))
    docs = searchindex.docs_from_index(idx, lambda uri: uri[:-3] + "/")

    class Lazy(dict):
        def __missing__(self, key):
            return (idx_dir / key).read_bytes()

    queries = bench_search.bench_queries(docs, Lazy(), random.Random(1))
    totals = []
    with SearchNode() as node:  # the search page's engine, one cold cache a query
        for label, q in queries:
            q = dict(q)
            m = first_query_bytes(node, idx_dir, q.pop("query"), **q)
            totals.append((m["total"], label))
    page = [site / "search" / "index.html", *sorted((site / "assets").rglob("search*.js"))]
    shell = sum(gzip_size(p.read_bytes()) for p in page if p.exists())
    return {"worst": max(totals), "median": statistics.median(t for t, _ in totals), "queries": len(totals),
            "page_and_script": shell}


def baseline_first_query(site: Path) -> int | None:
    """Material's search downloads its whole index (and the worker) before the first result."""
    index = site / "search" / "search_index.json"
    if not index.exists():
        return None
    worker = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    lunr = [site / "assets/javascripts/lunr/min" / f for f in
            ("lunr.stemmer.support.min.js", "lunr.multi.min.js", "lunr.zh.min.js")]
    return sum(len(gzip.compress(p.read_bytes(), 6, mtime=0)) for p in [index, *worker, *lunr] if p.exists())
