"""The reference search client: the algorithm of ``theme/assets/search.js``
over the same files, in Python.

Tests use it for recall at scale, ``scripts/bench_search.py`` and
``scripts/bench_site.py`` for the bytes a first query downloads
(:func:`first_query_bytes`).

A query is cut into whitespace-separated parts (:func:`query_parts`); every
part must occur, which includes the query with its spaces removed. Its pairs'
posting lists are intersected (at most ``MAX_QUERY_KEYS`` pairs of a long
query, so it fetches at most that many shards); candidates with every pair in
the ``head`` lists come first, then the rest, each newest first. One-character
queries are refused ("请至少输入两个字"): they are not indexed.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.search.format import decode_facets, decode_shard, doc_path
from bulletin.search.keys import bucket, normalize, query_keys, query_parts, select_keys

FACETS_SHOWN = 8  # values of a facet shown before "更多"


@dataclass
class Result:
    parts: list[str]  # the query's normalised parts (all must occur)
    keys: list[str]  # the pairs used
    order: list[int]  # matching ids after filters, best first (unverified)
    head: set[int]  # candidates matching in a title or tag
    candidates: list[int]  # before filters, best first
    facets: dict[str, dict]  # facet -> name (the FACETS_SHOWN busiest) or year -> count
    filters: dict[str, int | None] = field(default_factory=dict)
    dropped: set[int] = field(default_factory=set)  # failed verification
    error: str | None = None


@dataclass
class Hit:
    id: int
    doc: dict
    tier: int  # 0: title or tag, 1: text


class Searcher:
    """Runs queries over the index files through ``fetch(path) -> bytes``.

    ``fetched`` lists every path in fetch order, each once (the browser
    caches): :func:`first_query_bytes` sums their gzip sizes."""

    def __init__(self, fetch: Callable[[str], bytes]):
        self._fetch = fetch
        self.fetched: list[str] = []
        self._cache: dict[str, bytes] = {}
        self.manifest = json.loads(self.get("manifest.json"))
        self.n = self.manifest["n"]
        self._starts = list(itertools.accumulate(self.manifest["shards"]))
        self._shards: dict[int, dict] = {}
        self._facets: dict[str, bool] = {}
        self._rows: dict[int, tuple[list[int], list[int]]] = {}

    def names(self, facet: str, i: int) -> list[str]:
        """Name and aliases of facet value ``i`` (later ones come from n/ chunks)."""
        inline = self.manifest[facet]
        if i < len(inline):
            return inline[i]
        c, j = divmod(i - len(inline), self.manifest["namesChunk"])
        return json.loads(self.get(f"n/{facet}-{c}.json"))[j]

    def name(self, facet: str, i: int) -> str:
        return self.names(facet, i)[0]

    def get(self, path: str) -> bytes:
        if path not in self._cache:
            self._cache[path] = self._fetch(path)
            self.fetched.append(path)
        return self._cache[path]

    def shard_of(self, key: str) -> int:
        return bisect.bisect_right(self._starts, bucket(key))

    def postings(self, key: str) -> tuple[list[int], list[int]]:
        n = self.shard_of(key)
        if n not in self._shards:
            self._shards[n] = decode_shard(self.get(f"s/{n}.bin"))
        return self._shards[n].get(key, ([], []))

    def facet_rows(self, ids: Iterable[int]) -> dict[int, tuple[list[int], list[int]]]:
        """Facet rows of ``ids``, fetching what :func:`facet_files` picks."""
        ids = list(ids)
        for path, start, count in facet_files(self.manifest, ids):
            if path not in self._facets:
                for j, row in enumerate(decode_facets(self.get(path), count)):
                    self._rows[start + j] = row
                self._facets[path] = True
        return {i: self._rows[i] for i in ids}

    def year_of(self, i: int) -> int:
        for year, lo, hi in self.manifest["years"]:
            if lo <= i < hi:
                return year
        raise IndexError(i)

    def resolve(self, facet: str, name: str | None) -> int | None:
        """A facet value's id from its name or alias (-1: unknown, None: no filter)."""
        if not name:
            return None
        want = normalize(name)
        for i in range(self.manifest["count"][facet]):
            if any(normalize(x) == want for x in self.names(facet, i)):
                return i
        return -1

    def search(self, query: str, street: str | None = None, programme: str | None = None,
               year: int | str | None = None) -> Result:
        parts = query_parts(query)
        keys = query_keys(parts)
        filters = {"streets": self.resolve("streets", street),
                   "programmes": self.resolve("programmes", programme),
                   "years": int(year) if year else None}
        if parts and not keys:
            return Result(parts, [], [], set(), [], {}, filters, error="short")
        if not parts and all(v is None for v in filters.values()):
            return Result(parts, [], [], set(), [], {}, filters, error="empty")
        if keys:
            used = select_keys(keys, self.manifest["maxKeys"])
            lists = [self.postings(k) for k in used]
            alls = sorted((a for a, _ in lists), key=len)
            cand = set(alls[0])
            for a in alls[1:]:
                cand &= set(a)
            head = set(lists[0][1])
            for _, h in lists[1:]:
                head &= set(h)
            head &= cand
            order = sorted(head) + sorted(cand - head)
        else:
            used, head, order = [], set(), list(range(self.n))
        return self.count(Result(parts, used, [], head, order, {}, filters))

    def count(self, result: Result) -> Result:
        """Filter the candidates (less the dropped) into ``order`` and count every
        facet, each under the other facets' filters (search.js ``count``)."""
        filters = result.filters
        ids = [i for i in result.candidates if i not in result.dropped]
        rows = self.facet_rows(ids)

        def passes(i: int, skip: str | None = None) -> bool:
            s, p = rows[i]
            return ((skip == "streets" or filters["streets"] is None or filters["streets"] in s)
                    and (skip == "programmes" or filters["programmes"] is None or filters["programmes"] in p)
                    and (skip == "years" or filters["years"] is None or self.year_of(i) == filters["years"]))

        facets: dict[str, dict] = {"streets": {}, "programmes": {}, "years": {}}
        for i in ids:
            s, p = rows[i]
            if passes(i, "streets"):
                for x in s:
                    facets["streets"][x] = facets["streets"].get(x, 0) + 1
            if passes(i, "programmes"):
                for x in p:
                    facets["programmes"][x] = facets["programmes"].get(x, 0) + 1
            if passes(i, "years"):
                y = self.year_of(i)
                facets["years"][y] = facets["years"].get(y, 0) + 1
        shown = {}
        for facet in ("streets", "programmes"):  # names of the values a reader sees first
            top = sorted(facets[facet].items(), key=lambda kv: (-kv[1], kv[0]))[:FACETS_SHOWN]
            shown[facet] = {self.name(facet, x): c for x, c in top}
        shown["years"] = facets["years"]
        result.order = [i for i in ids if passes(i)]
        result.facets = shown
        return result

    def doc(self, i: int) -> dict:
        return json.loads(self.get(doc_path(i)))

    def verify(self, doc: dict, parts: list[str]) -> int | None:
        """0 when every part is in a title or tag, 1 when every part is somewhere
        in the document, None when a part is nowhere (a loose bigram match)."""
        head = [normalize(t) for t in ([] if doc.get("ut") else [doc["t"]])
                + [doc["k"], doc["st"], *doc["s"], *doc["p"], *doc["al"]]]
        text = [normalize(t) for t in [*doc["a"], *doc["pl"], doc["x"]]]
        if all(any(p in t for t in head) for p in parts):
            return 0
        if all(any(p in t for t in head + text) for p in parts):
            return 1
        return None

    def page(self, result: Result, start: int = 0, count: int | None = None) -> list[Hit]:
        """Verified hits ``start..start+count`` of ``result.order`` (drops false matches from it)."""
        count = count or self.manifest["pageSize"]
        hits: list[Hit] = []
        i = start
        while len(hits) < count and i < len(result.order):
            doc_id = result.order[i]
            doc = self.doc(doc_id)
            tier = self.verify(doc, result.parts)
            if tier is None:
                result.dropped.add(doc_id)
                del result.order[i]
                continue
            hits.append(Hit(doc_id, doc, tier))
            i += 1
        if result.dropped:
            self.count(result)
        return hits

    def all_hits(self, query: str, **filters) -> list[Hit]:
        r = self.search(query, **filters)
        return self.page(r, 0, len(r.order) or 1) if not r.error else []


def facet_files(manifest: dict, ids: Iterable[int]) -> list[tuple[str, int, int]]:
    """(path, first id, count) of the facet files that cover ``ids`` (search.js
    ``facetFiles``): per big chunk, the chunk itself when the ids fall into
    more than ``facetSparse`` of its blocks, else just those blocks."""
    n, chunk, block = manifest["n"], manifest["facetChunk"], manifest["facetBlock"]
    blocks: dict[int, set[int]] = {}
    for i in ids:
        blocks.setdefault(i // chunk, set()).add(i // block)
    out = []
    for c in sorted(blocks):
        if len(blocks[c]) > manifest["facetSparse"]:
            out.append((f"f/{c}.bin", c * chunk, min(chunk, n - c * chunk)))
        else:
            out += [(f"g/{b}.bin", b * block, min(block, n - b * block)) for b in sorted(blocks[c])]
    return out


def dir_fetcher(root: str | Path) -> Callable[[str], bytes]:
    root = Path(root)
    return lambda rel: (root / rel).read_bytes()


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def first_query_bytes(fetch: Callable[[str], bytes], query: str, **filters) -> dict:
    """Bytes (gzip, as a server sends them) a browser downloads to show the
    first page of results of ``query`` from a cold cache, by kind of file."""
    s = Searcher(fetch)
    r = s.search(query, **filters)
    if not r.error:
        s.page(r, 0)
    parts = {"manifest": 0, "shards": 0, "facets": 0, "docs": 0}
    kind = {"manifest.json": "manifest", "s": "shards", "f": "facets", "g": "facets", "n": "facets", "d": "docs"}
    files = dict.fromkeys(parts, 0)
    for path in s.fetched:
        k = kind.get(path, kind.get(posixpath.dirname(path).split("/")[0]))
        parts[k] += gzip_size(s.get(path))
        files[k] += 1
    return {"query": query, "total": sum(parts.values()), "bytes": parts, "files": files,
            "results": len(r.order)}
