"""The reference search client: the algorithm of ``theme/assets/search.js``
over the same files, in Python.

Tests use it for recall at scale, ``scripts/bench_search.py`` and
``scripts/bench_site.py`` for the bytes a first query downloads
(:func:`first_query_bytes`).

A query is cut into parts at spaces and punctuation (:func:`query_parts`),
folded to simplified characters with the index's table; every part must
occur. Its pairs' posting lists are intersected (at most ``MAX_QUERY_KEYS``
pairs of a long query, so it fetches at most that many shards); candidates
with every pair in the ``head`` lists come first, then the rest, each newest
first. When nothing holds every part as typed, the search goes on in
stages (:data:`STAGES`): the parts cut where words meet
(:mod:`bulletin.search.cut`), then articles holding all but one of those.
One-character queries are refused ("请至少输入两个字"): they are not indexed.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path

from bulletin.search import cut
from bulletin.search import fold as searchfold
from bulletin.search.format import decode_doc, decode_facets, decode_shard, doc_path
from bulletin.search.keys import bucket, normalize, prepared, query_keys, query_parts, select_keys
from bulletin.search.result import PROBE, STAGES, Hit, Result
from bulletin.search.suggest import suggest

FACETS_SHOWN = 8  # values of a facet shown before "更多"


class Searcher:
    """Runs queries over the index files through ``fetch(path) -> bytes``.

    ``fetched`` lists every path in fetch order, each once (the browser
    caches): :func:`first_query_bytes` sums their gzip sizes."""

    def __init__(self, fetch: Callable[[str], bytes], lazy_facets: bool = False):
        self._fetch = fetch
        # As search.js: an unfiltered stage fetches its facet rows only once its first
        # page has a hit (a stage given up fetches none); tests count eagerly.
        self.lazy_facets = lazy_facets
        self.fetched: list[str] = []
        self._cache: dict[str, bytes] = {}
        self.manifest = json.loads(self.get("manifest.json"))
        self.n = self.manifest["n"]
        self.fold = searchfold.decode(self.manifest["fold"])  # grows with the chunks and documents used
        self.words = cut.name_words(*([[normalize(x, self.fold) for x in names] for names in self.manifest[f]]
                                      for f in ("streets", "programmes")))
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
        want = normalize(name, self.fold)
        for i in range(self.manifest["count"][facet]):
            if any(normalize(x, self.fold) == want for x in self.names(facet, i)):
                return i
        return -1

    def load_fold(self, text: str) -> None:
        """Fetch the fold chunks of the characters of ``text`` (search.js ``loadFold``)."""
        for k in sorted({c for ch in prepared(text) if (c := searchfold.chunk_of(ch)) is not None}):
            self.fold.update(searchfold.decode(json.loads(self.get(f"fold/{k}.json"))))

    def search(self, query: str, street: str | None = None, programme: str | None = None,
               year: int | str | None = None) -> Result:
        self.load_fold(" ".join(x for x in (query, street, programme) if x))
        parts = query_parts(query, self.fold)
        keys = query_keys(parts)
        filters = {"streets": self.resolve("streets", street),
                   "programmes": self.resolve("programmes", programme),
                   "years": int(year) if year else None}
        if parts and not keys:
            return Result(parts, [], [], set(), [], {}, filters, error="short")
        if not parts and all(v is None for v in filters.values()):
            return Result(parts, [], [], set(), [], {}, filters, error="empty")
        if not keys:
            return self.count(Result(parts, [], [], set(), list(range(self.n)), {}, filters))
        used = select_keys(keys, self.manifest["maxKeys"])
        lists = {k: self.postings(k) for k in used}
        segments = cut.segments(parts, {k: set(a) for k, (a, _) in lists.items()}, self.words)
        result = Result(parts, used, [], set(), [], {}, filters, segments=segments, lists=lists)
        return self.enter(result, 0)

    def enter(self, result: Result, stage: int) -> Result:
        """Candidates of ``stage`` (search.js ``enter``): stages 0 and 1 intersect the
        pairs inside their terms, head matches first; stage 2 takes articles
        holding the pairs of all but one term, those holding more first."""
        result.stage, result.dropped = stage, set()
        inside = [[k for k in result.keys if k in term] for term in result.terms]
        if stage < 2:
            used = [k for ks in inside for k in ks]
            lists = [result.lists[k] for k in dict.fromkeys(used)]
            cand = set(lists[0][0]) if lists else set()
            head = set(lists[0][1]) if lists else set()
            for a, h in lists[1:]:
                cand &= set(a)
                head &= set(h)
            head &= cand
            result.head, result.candidates = head, sorted(head) + sorted(cand - head)
        else:
            held: dict[int, int] = {}
            for ks in inside:
                if not ks:
                    continue
                docs = set(result.lists[ks[0]][0])
                for k in ks[1:]:
                    docs &= set(result.lists[k][0])
                for i in docs:
                    held[i] = held.get(i, 0) + 1
            need = max(1, result.need - sum(1 for ks in inside if not ks))
            result.head = set()
            result.candidates = sorted((i for i, c in held.items() if c >= need), key=lambda i: (-held[i], i))
        if self.lazy_facets and all(v is None for v in result.filters.values()):
            result.order, result.facets = list(result.candidates), {}
            return result
        return self.count(result)

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
        """A document; its own fold entries join the table (search.js ``doc``)."""
        d = json.loads(decode_doc(self.get(doc_path(i))))
        self.fold.update(searchfold.decode(d.get("f", "")))
        return d

    def verify(self, doc: dict, result: Result) -> tuple[int, list[str]] | None:
        """(tier, missing terms) of a document, None when it does not hold enough
        of ``result.terms`` (a loose pair match). Tier 0: every term in a title
        or tag; 1: somewhere in the document."""
        head = [normalize(t, self.fold) for t in ([] if doc.get("ut") else [doc["t"]])
                + [doc["k"], doc["st"], *doc["s"], *doc["p"], *doc["al"]]]
        text = head + [normalize(t, self.fold) for t in [*doc["a"], *doc["pl"], doc["x"]]]
        terms = result.terms
        missing = [p for p in terms if not any(p in t for t in text)]
        if len(terms) - len(missing) < result.need:
            return None
        if result.stage < 2 and all(any(p in t for t in head) for p in terms):
            return 0, []
        return 1, missing

    def facets_on_demand(self, result: Result) -> bool:
        """An unfiltered query of an archive past ``manifest.facetEager``
        documents: its facet rows wait until the reader opens the filter panel
        (search.js ``openFacets``; :meth:`count` does it here)."""
        return (self.lazy_facets and self.n > self.manifest.get("facetEager", self.n)
                and all(v is None for v in result.filters.values()))

    def page(self, result: Result, start: int = 0, count: int | None = None) -> list[Hit]:
        """Verified hits ``start..start+count`` of ``result.order`` (drops false matches
        from it). A first page that finds nothing, or only loose matches in its
        first ``PROBE`` candidates, moves on to the next stage: every article
        holding the terms of this stage is among the next stage's candidates."""
        count = count or self.manifest["pageSize"]
        while True:
            hits: list[Hit] = []
            i = start
            nxt = result.next_stage()
            while len(hits) < count and i < len(result.order):
                if not start and not hits and nxt is not None and len(result.dropped) >= PROBE:
                    break  # loose matches only so far: what holds the terms is in the next stage too
                doc_id = result.order[i]
                doc = self.doc(doc_id)
                found = self.verify(doc, result)
                if found is None:
                    result.dropped.add(doc_id)
                    del result.order[i]
                    continue
                hits.append(Hit(doc_id, doc, *found))
                i += 1
            if hits or start or nxt is None:
                if (result.dropped or not result.facets) and not self.facets_on_demand(result):
                    self.count(result)
                return hits
            self.enter(result, nxt)

    def suggest(self, result: Result) -> dict[str, list[str]]:
        """What a zero-hit page offers (:func:`bulletin.search.suggest.suggest`)."""
        return suggest(self, result)

    def all_hits(self, query: str, **filters) -> list[Hit]:
        r = self.search(query, **filters)
        return self.page(r, 0, self.n or 1) if not r.error else []


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
    """What a server sends: stored gzip as it is, the rest compressed on the fly."""
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, compresslevel=6, mtime=0))


def first_query_bytes(fetch: Callable[[str], bytes], query: str, **filters) -> dict:
    """Bytes (gzip, as a server sends them) a browser downloads to show the
    first page of results of ``query`` from a cold cache, by kind of file
    (with a zero-hit page's suggestions, as search.js shows them)."""
    s = Searcher(fetch, lazy_facets=True)
    r = s.search(query, **filters)
    if not r.error and not s.page(r, 0) and query and not any(filters.values()):
        s.suggest(r)
    parts = {"manifest": 0, "shards": 0, "facets": 0, "docs": 0}
    kind = {"manifest.json": "manifest", "fold": "manifest", "s": "shards", "f": "facets", "g": "facets", "n": "facets",
            "d": "docs"}
    files = dict.fromkeys(parts, 0)
    for path in s.fetched:
        k = kind.get(path, kind.get(posixpath.dirname(path).split("/")[0]))
        parts[k] += gzip_size(s.get(path))
        files[k] += 1
    return {"query": query, "total": sum(parts.values()), "bytes": parts, "files": files,
            "results": len(r.order), "stage": STAGES[r.stage]}
