"""The archive's full-text search index: CJK bigrams, sharded, written at build time.

Why bigrams: a word segmenter cuts differently at index time and in the
browser (Pagefind: 小东门街道 -> 小/东/门/街道 in the query, 小东门 in the
index), and any dictionary cuts some names wrong (jieba: 海门/区海/永镇). Every
overlapping pair of letters or digits is a key here, and the browser cuts the
query into pairs with the same rules (``theme/assets/search.js`` mirrors
:func:`normalize` and :func:`query_keys`), so a text that contains the query
always holds every key of the query: recall does not depend on a dictionary.

Files (all under ``search/idx/`` of the site; gzip is the web server's job):

``manifest.json``
    Format, build id (appended to every other URL, so a rebuilt index never
    mixes with a cached one), number of documents, where shards start, year
    ranges, the busiest ``NAMES_INLINE`` street and programme names (with
    taxonomy aliases) by small integer id; ``n/<facet>-<k>.json`` hold the rest.
``s/<n>.bin``
    Index shards. A key hashes (:func:`bucket`) to one of 2**20 buckets; a
    shard is a run of buckets packed to about ``shard_bytes``, and
    ``manifest.shards`` gives the first bucket of each, so the browser finds
    a key's shard by binary search and a two-character query fetches one
    shard (hash ranges rather than key ranges: the list of starts is a few
    KB of small integers at 50,000 articles, not tens of KB of keys). Each
    key has two posting lists: every document holding the pair (``all``) and
    those holding it in the title, kicker, subtitle or a tag (``head``, used
    to rank title and tag matches first).
``f/<n>.bin``, ``g/<n>.bin``
    Street and programme ids of ``FACET_CHUNK`` (f) or ``FACET_BLOCK`` (g)
    documents, for facet counts and filters. Only the files that hold a
    candidate are fetched: a big chunk where candidates are many, the small
    blocks where they are few (see :func:`facet_files`).
``d/<id // 1000>/<id>.json``
    One document: URL, title, date, tags, authors, places and body text. The
    browser fetches those of the page of results it shows, verifies that the
    text really contains the query (bigram intersection alone could match a
    document where the pairs occur apart: such a document is dropped and the
    counts corrected) and cuts the highlighted excerpt.

A query is cut into whitespace-separated parts (:func:`query_parts`); every
part must occur, which includes the query with its spaces removed. Its pairs'
posting lists are intersected (at most ``MAX_QUERY_KEYS`` pairs of a long
query, so it fetches at most that many shards); candidates with every pair in
the ``head`` lists come first, then the rest, each newest first. One-character
queries are refused ("请至少输入两个字"): they are not indexed.

Document ids are the archive's newest-first order, so "newer first" is
ascending id, a year is a contiguous id range and ties need no extra data.

Binary encoding: unsigned LEB128 varints. A posting list is either ``0,
count, first id, gaps...`` or a bitmap ``1, first byte, byte count, bytes``
(bit ``i % 8`` of byte ``i // 8`` set when document ``i`` holds the key),
whichever is smaller. A shard is ``key count`` then per key ``key length,
UTF-8 key, all length, head length`` and then all the lists in key order.

:class:`Searcher` is the reference client: the same algorithm as
``search.js`` over the same files, used by tests (recall at scale) and by
``scripts/bench_search.py`` (bytes a first query downloads).
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import html
import itertools
import json
import posixpath
import re
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1
INDEX_DIR = "search/idx"  # site-relative; the search page template gets it from the plugin
FACET_CHUNK = 4096  # documents per big facet file (f/)
FACET_BLOCK = 256  # documents per small facet file (g/); FACET_CHUNK is a multiple
FACET_SPARSE = 6  # fetch small blocks when a big chunk's candidates are in at most this many
DOC_BUCKET = 1000  # documents per d/<bucket>/ folder
NAMES_INLINE = 256  # facet names in the manifest; the rest in n/<facet>-<k>.json
NAMES_CHUNK = 1024
SHARD_BYTES = 12_000  # target raw size of one shard (gzip takes little off binary postings)
MAX_QUERY_KEYS = 8  # a longer query fetches the shards of at most this many of its pairs
PAGE_SIZE = 10  # results per page ("加载更多" loads the next page)
FACETS_SHOWN = 8  # values of a facet shown before "更多"

# Whitespace, spelled out so search.js can use the very same class: NFKC maps
# the ideographic and no-break spaces to " ", the rest OCR leaves around.
WHITESPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
_WS = re.compile(f"[{WHITESPACE}]+")
# Letters and digits of any script: Python's [^\W_] is exactly Unicode L* and N*,
# JavaScript's [\p{L}\p{N}]. Everything else (punctuation, symbols) ends a run.
_RUN = re.compile(r"[^\W_]+")


def normalize(text: str) -> str:
    """What is compared: NFKC (full-width Ａ１ -> a1), lower case, no whitespace.

    OCR and typesetting add and drop spaces inside words (群众力 量), so
    spaces never count: ``小东门 街道`` finds 小东门街道."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or "").lower())


def runs(norm: str) -> list[str]:
    """Maximal runs of letters and digits of normalised text."""
    return _RUN.findall(norm)


def text_keys(norm: str) -> set[str]:
    """Every overlapping pair of letters/digits inside one run of ``norm``."""
    out: set[str] = set()
    for run in _RUN.findall(norm):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def query_parts(query: str) -> list[str]:
    """The normalised whitespace-separated parts of a query (search.js ``queryParts``).

    A text matches when it contains every part, which includes every text
    that contains the query with its spaces removed (``群众力 量`` finds
    群众力量, ``石港镇 网格`` finds 石港镇 articles about 网格). Parts too short
    to give a pair are joined when that makes one: ``小 东`` is 小东."""
    parts = list(dict.fromkeys(p for p in map(normalize, _WS.split(unicodedata.normalize("NFKC", query or ""))) if p))
    joined = "".join(parts)
    if len(parts) > 1 and not any(_has_pair(p) for p in parts) and _has_pair(joined):
        return [joined]
    return parts


def _has_pair(norm: str) -> bool:
    return any(len(r) > 1 for r in _RUN.findall(norm))


def query_keys(query: str | list[str]) -> list[str]:
    """The pairs of a query's parts, in order, without repeats (search.js ``queryKeys``)."""
    out: list[str] = []
    for part in query_parts(query) if isinstance(query, str) else query:
        for run in runs(part):
            for i in range(len(run) - 1):
                if run[i:i + 2] not in out:
                    out.append(run[i:i + 2])
    return out


def select_keys(keys: list[str], limit: int = MAX_QUERY_KEYS) -> list[str]:
    """At most ``limit`` of a long query's pairs (search.js ``selectKeys``).

    Every pair of the query occurs in every matching text, so any subset gives
    a superset of the matches; every other pair still covers each character,
    and verification drops what matched only loosely."""
    if len(keys) <= limit:
        return list(keys)
    picked = list(dict.fromkeys(keys[::2] + [keys[-1]]))
    if len(picked) > limit:
        step = (len(picked) - 1) / (limit - 1)
        picked = [picked[int(i * step + 0.5)] for i in range(limit)]
    return picked


BUCKET_BITS = 20  # keys hash to 2**20 buckets; a shard is a run of buckets


def bucket(key: str) -> int:
    """FNV-1a over the UTF-16 code units of ``key``, then murmur3's finaliser;
    the top ``BUCKET_BITS`` bits (search.js ``bucketOf``)."""
    h = 0x811C9DC5
    units = key.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h = ((h ^ (units[i] | units[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h >> (32 - BUCKET_BITS)


# --------------------------------------------------------------------------
# Markdown body -> the plain text a reader sees


_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6}[ \t]+|>[ \t]?)+", re.M)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"(?<!\\)\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"(?<!\\)(\*{1,3}|_{2,3})")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ATTRS = re.compile(r"[ \t]*\{[:#.][^{}\n]*\}[ \t]*$", re.M)


def body_text(markdown: str) -> str:
    """The article body as a reader sees it: markup gone, escapes resolved,
    paragraphs joined by a newline."""
    text = _HEADING.sub("", markdown or "")
    text = _ATTRS.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = html.unescape(_ESCAPE.sub(r"\1", text))
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n".join(p for p in paras if p)


# --------------------------------------------------------------------------
# Documents


@dataclass
class SearchDoc:
    """One article as search sees it; ``head`` fields rank first."""

    url: str
    title: str  # as displayed (an untitled fragment shows its summary)
    date: dt.date
    untitled: bool = False
    kicker: str = ""
    subtitle: str = ""
    streets: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    body: str = ""  # plain text, paragraphs separated by "\n"
    kind: str = "article"

    def head_texts(self, aliases: Mapping[str, list[str]] | None = None) -> list[str]:
        """Title, kicker, subtitle, tags and the tags' aliases (a doc tagged
        临江新区 is found by 海门临江新区)."""
        aliases = aliases or {}
        out = [] if self.untitled else [self.title]
        out += [self.kicker, self.subtitle]
        for tag in [*self.streets, *self.programmes]:
            out.append(tag)
            out += aliases.get(tag, [])
        return [t for t in out if t]

    def body_texts(self) -> list[str]:
        return [t for t in [*self.authors, *self.places, self.body] if t]


def docs_from_index(index, url_of: Callable[[str], str]) -> list[SearchDoc]:
    """Search documents of an :class:`~bulletin.index.ArchiveIndex`, newest first."""
    out = []
    for e in index.entries:
        a = e.article
        out.append(SearchDoc(
            url=url_of(e.src_uri), title=e.title, date=a.date, untitled=not a.title,
            kicker=a.kicker or "", subtitle=a.subtitle or "",
            streets=list(a.streets), programmes=list(a.programmes),
            authors=list(a.authors), places=list(a.places),
            body=body_text(a.body), kind=a.kind,
        ))
    return out


def taxonomy_aliases(taxonomy) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(street -> aliases, programme -> aliases) of a :class:`~bulletin.taxonomy.Taxonomy`."""
    if taxonomy is None:
        return {}, {}
    return (
        {name: list(e.aliases) for name, e in taxonomy.streets.items() if e.aliases},
        {name: list(e.aliases) for name, e in taxonomy.programmes.items() if e.aliases},
    )


# --------------------------------------------------------------------------
# Binary encoding


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


_SMALL = [_varint(i) for i in range(1 << 14)]


def varint(n: int) -> bytes:
    return _SMALL[n] if n < 16384 else _varint(n)


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, pos
        shift += 7


def encode_postings(ids: list[int]) -> bytes:
    """Sorted document ids -> the smaller of gap varints and a bitmap."""
    if not ids:
        return b""
    if len(ids) == 1:  # most pairs occur in one document
        return b"\x00\x01" + (_SMALL[ids[0]] if ids[0] < 16384 else _varint(ids[0]))
    small = _SMALL
    gaps = [ids[0]] + [b - a for a, b in zip(ids, ids[1:])]
    try:
        delta = b"".join([b"\x00", small[len(ids)] if len(ids) < 16384 else _varint(len(ids))]
                         + [small[g] for g in gaps])
    except IndexError:
        delta = b"".join([b"\x00", varint(len(ids))] + [varint(g) for g in gaps])
    lo, hi = ids[0] >> 3, ids[-1] >> 3
    if hi - lo + 1 + 8 >= len(delta):
        return delta
    bits = bytearray(hi - lo + 1)
    for i in ids:
        bits[(i >> 3) - lo] |= 1 << (i & 7)
    return b"\x01" + varint(lo) + varint(len(bits)) + bytes(bits)


def decode_postings(buf: bytes, pos: int = 0, length: int | None = None) -> list[int]:
    end = len(buf) if length is None else pos + length
    if pos >= end:
        return []
    kind, pos = buf[pos], pos + 1
    if kind == 0:
        count, pos = read_varint(buf, pos)
        out, cur = [], 0
        for _ in range(count):
            gap, pos = read_varint(buf, pos)
            cur += gap
            out.append(cur)
        return out
    lo, pos = read_varint(buf, pos)
    nbytes, pos = read_varint(buf, pos)
    out = []
    for j in range(nbytes):
        b = buf[pos + j]
        while b:
            low = b & -b
            out.append(((lo + j) << 3) + low.bit_length() - 1)
            b ^= low
    return out


def encode_shard(entries: list[tuple[str, bytes, bytes]]) -> bytes:
    head = [varint(len(entries))]
    for key, a, h in entries:
        k = key.encode("utf-8")
        head += [varint(len(k)), k, varint(len(a)), varint(len(h))]
    return b"".join(head + [x for _, a, h in entries for x in (a, h)])


def decode_shard(buf: bytes) -> dict[str, tuple[list[int], list[int]]]:
    n, pos = read_varint(buf, 0)
    table = []
    for _ in range(n):
        klen, pos = read_varint(buf, pos)
        key = buf[pos:pos + klen].decode("utf-8")
        pos += klen
        alen, pos = read_varint(buf, pos)
        hlen, pos = read_varint(buf, pos)
        table.append((key, alen, hlen))
    out = {}
    for key, alen, hlen in table:
        out[key] = (decode_postings(buf, pos, alen), decode_postings(buf, pos + alen, hlen))
        pos += alen + hlen
    return out


def encode_facets(rows: Iterable[tuple[list[int], list[int]]]) -> bytes:
    """Street and programme ids of consecutive documents, column by column
    (counts, then street ids, then programme ids: gzip codes each column better)."""
    counts, streets, programmes = [], [], []
    for s, p in rows:
        counts += [varint(len(s)), varint(len(p))]
        streets += [varint(i) for i in s]
        programmes += [varint(i) for i in p]
    a, b = b"".join(counts), b"".join(streets)
    return b"".join([varint(len(a)), varint(len(b)), a, b, *programmes])


def decode_facets(buf: bytes, count: int) -> list[tuple[list[int], list[int]]]:
    alen, pos = read_varint(buf, 0)
    blen, pos = read_varint(buf, pos)
    cpos, spos, ppos = pos, pos + alen, pos + alen + blen
    out = []
    for _ in range(count):
        ns, cpos = read_varint(buf, cpos)
        np_, cpos = read_varint(buf, cpos)
        s, p = [], []
        for _ in range(ns):
            i, spos = read_varint(buf, spos)
            s.append(i)
        for _ in range(np_):
            i, ppos = read_varint(buf, ppos)
            p.append(i)
        out.append((s, p))
    return out


def doc_path(i: int) -> str:
    return f"d/{i // DOC_BUCKET}/{i}.json"


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------
# Building


def _facet_names(docs: list[SearchDoc], attr: str) -> list[str]:
    """Names by document count (busiest first, small ids), ties by name."""
    counts: dict[str, int] = {}
    for d in docs:
        for name in getattr(d, attr):
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def build(
    docs: list[SearchDoc],
    street_aliases: Mapping[str, list[str]] | None = None,
    programme_aliases: Mapping[str, list[str]] | None = None,
    shard_bytes: int = SHARD_BYTES,
) -> Iterator[tuple[str, bytes]]:
    """Every index file as ``(path under the index dir, bytes)``; the manifest comes last.

    ``docs`` must be newest first (their position is their id)."""
    street_aliases = dict(street_aliases or {})
    programme_aliases = dict(programme_aliases or {})
    aliases = {**programme_aliases, **street_aliases}
    for a, b in zip(docs, docs[1:]):
        if b.date > a.date:
            raise ValueError("search.build: documents must be newest first")
    names = {"streets": _facet_names(docs, "streets"), "programmes": _facet_names(docs, "programmes")}
    sid = {n: i for i, n in enumerate(names["streets"])}
    pid = {n: i for i, n in enumerate(names["programmes"])}
    alias_of = {"streets": street_aliases, "programmes": programme_aliases}
    digest = hashlib.sha1(f"bulletin-search-{FORMAT}".encode())

    def out(path: str, data: bytes) -> tuple[str, bytes]:
        digest.update(path.encode() + b"\0" + data)
        return path, data

    postings_all: defaultdict[str, list[int]] = defaultdict(list)
    postings_head: defaultdict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        head: set[str] = set()
        for t in d.head_texts(aliases):
            head |= text_keys(normalize(t))
        keys = set(head)
        for t in d.body_texts():
            keys |= text_keys(normalize(t))
        for k in keys:
            postings_all[k].append(i)
        for k in head:
            postings_head[k].append(i)
        tag_aliases = [x for t in [*d.streets, *d.programmes] for x in aliases.get(t, [])]
        yield out(doc_path(i), _json({
            "u": d.url, "t": d.title, **({"ut": 1} if d.untitled else {}),
            "k": d.kicker, "st": d.subtitle, "d": d.date.isoformat(), "kind": d.kind,
            "s": d.streets, "p": d.programmes, "al": tag_aliases,
            "a": d.authors, "pl": d.places, "x": d.body,
        }))

    rows = [([sid[s] for s in d.streets], [pid[p] for p in d.programmes]) for d in docs]
    for c in range(0, len(docs), FACET_CHUNK):
        yield out(f"f/{c // FACET_CHUNK}.bin", encode_facets(rows[c:c + FACET_CHUNK]))
    for c in range(0, len(docs), FACET_BLOCK):
        yield out(f"g/{c // FACET_BLOCK}.bin", encode_facets(rows[c:c + FACET_BLOCK]))

    for facet, values in names.items():
        for c in range(NAMES_INLINE, len(values), NAMES_CHUNK):
            chunk = [[n, *alias_of[facet].get(n, [])] for n in values[c:c + NAMES_CHUNK]]
            yield out(f"n/{facet}-{(c - NAMES_INLINE) // NAMES_CHUNK}.json", _json(chunk))

    starts: list[int] = []  # first bucket of every shard but the first
    shard: list[tuple[str, bytes, bytes]] = []
    size = n = 0
    last = -1
    for b, key in sorted((bucket(k), k) for k in postings_all):
        entry = (key, encode_postings(postings_all[key]), encode_postings(postings_head.get(key, ())))
        cost = len(entry[1]) + len(entry[2]) + 8
        if shard and b != last and size + cost > shard_bytes:
            yield out(f"s/{n}.bin", encode_shard(shard))
            n += 1
            starts.append(b)
            shard, size = [], 0
        shard.append(entry)
        size += cost
        last = b
    yield out(f"s/{n}.bin", encode_shard(shard))

    years: list[list[int]] = []
    for i, d in enumerate(docs):
        if years and years[-1][0] == d.date.year:
            years[-1][2] = i + 1
        else:
            years.append([d.date.year, i, i + 1])
    manifest = {
        "format": FORMAT,
        "n": len(docs),
        "bucketBits": BUCKET_BITS,
        "shards": [b - a for a, b in zip([0] + starts, starts)],  # gaps between first buckets
        "facetChunk": FACET_CHUNK,
        "facetBlock": FACET_BLOCK,
        "facetSparse": FACET_SPARSE,
        "docBucket": DOC_BUCKET,
        "namesChunk": NAMES_CHUNK,
        "pageSize": PAGE_SIZE,
        "maxKeys": MAX_QUERY_KEYS,
        "years": years,  # [year, first id, end id), newest first
        "count": {facet: len(values) for facet, values in names.items()},
        **{facet: [[n, *alias_of[facet].get(n, [])] for n in values[:NAMES_INLINE]]
           for facet, values in names.items()},
    }
    digest.update(_json(manifest))
    manifest["build"] = digest.hexdigest()[:12]
    yield "manifest.json", _json(manifest)


def write(files: Iterable[tuple[str, bytes]], out_dir: str | Path) -> dict[str, int]:
    """Write ``build()``'s files under ``out_dir`` (replaced whole); returns file count and bytes."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    count = size = 0
    made: set[Path] = set()
    for rel, data in files:
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
        count += 1
        size += len(data)
    return {"files": count, "bytes": size}


def build_site_index(index, taxonomy, url_of: Callable[[str], str], site_dir: str | Path) -> dict[str, int]:
    """What the MkDocs plugin calls in ``on_post_build``."""
    streets, programmes = taxonomy_aliases(taxonomy)
    docs = docs_from_index(index, url_of)
    return write(build(docs, streets, programmes), Path(site_dir) / INDEX_DIR)


# --------------------------------------------------------------------------
# Reference client (the algorithm of search.js)


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
