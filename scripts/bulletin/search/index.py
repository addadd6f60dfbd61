"""The archive's full-text search index: CJK bigrams, sharded, written at build time.

Keys are the pairs of :mod:`bulletin.search.keys`; the files and their encoding
are described in :mod:`bulletin.search.format`. The MkDocs plugin calls
:func:`build_site_index` (under ``mkdocs serve``, :func:`build` once and
:func:`write` after every rebuild).

Document ids are the archive's newest-first order, so "newer first" is
ascending id, a year is a contiguous id range and ties need no extra data.

Over 300 lines: one builder — the documents, postings, shards, facet rows,
name chunks and manifest it writes depend on each other's ids and sizes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import shutil
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.search import fold as searchfold
from bulletin.search.format import DOC_BUCKET, doc_path, encode_doc, encode_facets, encode_postings, encode_shard
from bulletin.search.keys import BUCKET_BITS, MAX_QUERY_KEYS, bucket, folded, normalize, prepared, text_keys

FORMAT = 3  # 3: documents stored gzip-compressed
INDEX_DIR = "search/idx"  # site-relative; the search page template gets it from the plugin
FACET_CHUNK = 4096  # documents per big facet file (f/)
FACET_BLOCK = 256  # documents per small facet file (g/); FACET_CHUNK is a multiple
# Up to this many documents an unfiltered query counts its facets right after its
# first page; past it the rows (about 1.8 bytes a document, gzip: 176 KB at
# 100,000) come when the reader opens the filter panel, so a first query stays
# under 300 KB at any size (BENCHMARKS.md).
FACET_EAGER = 50_000
FACET_SPARSE = 6  # fetch small blocks when a big chunk's candidates are in at most this many
NAMES_INLINE = 256  # facet names in the manifest; the rest in n/<facet>-<k>.json
NAMES_CHUNK = 1024
SHARD_BYTES = 6_000  # target raw size of one shard (gzip takes little off binary postings; a run-together query fetches up to 8)
PAGE_SIZE = 10  # results per page ("加载更多" loads the next page)


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


def _json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _json(data) -> bytes:
    return _json_text(data).encode("utf-8")


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
            raise ValueError("searchindex.build: documents must be newest first")
    names = {"streets": _facet_names(docs, "streets"), "programmes": _facet_names(docs, "programmes")}
    sid = {n: i for i, n in enumerate(names["streets"])}
    pid = {n: i for i, n in enumerate(names["programmes"])}
    alias_of = {"streets": street_aliases, "programmes": programme_aliases}
    digest = hashlib.sha1(f"bulletin-search-{FORMAT}".encode())

    def out(path: str, data: bytes) -> tuple[str, bytes]:
        digest.update(path.encode() + b"\0" + data)
        return path, data

    # Arrays of 4-byte ids, not lists of pointers: 130 million postings at
    # 100,000 articles are 0.5 GB instead of 1 GB.
    postings_all: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
    postings_head: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
    chars: set[str] = set()  # every character of the index, as printed
    for i, d in enumerate(docs):
        head: set[str] = set()
        seen: set[str] = set()
        for t in d.head_texts(aliases):
            low = prepared(t)
            seen.update(low)
            head |= text_keys(folded(low))
        keys = set(head)
        for t in d.body_texts():
            low = prepared(t)
            seen.update(low)
            keys |= text_keys(folded(low))
        chars |= seen
        for k in keys:
            postings_all[k].append(i)
        for k in head:
            postings_head[k].append(i)
        tag_aliases = [x for t in [*d.streets, *d.programmes] for x in aliases.get(t, [])]
        yield out(doc_path(i), encode_doc(_json_text({
            "u": d.url, "t": d.title, **({"ut": 1} if d.untitled else {}),
            "k": d.kicker, "st": d.subtitle, "d": d.date.isoformat(), "kind": d.kind,
            "s": d.streets, "p": d.programmes, "al": tag_aliases,
            "a": d.authors, "pl": d.places, "x": d.body,
            **({"f": searchfold.encode(own)} if (own := searchfold.of_chars(seen)) else {}),
        })))

    rows = [([sid[s] for s in d.streets], [pid[p] for p in d.programmes]) for d in docs]
    for c in range(0, len(docs), FACET_CHUNK):
        yield out(f"f/{c // FACET_CHUNK}.bin", encode_facets(rows[c:c + FACET_CHUNK]))
    for c in range(0, len(docs), FACET_BLOCK):
        yield out(f"g/{c // FACET_BLOCK}.bin", encode_facets(rows[c:c + FACET_BLOCK]))

    for facet, values in names.items():
        for c in range(NAMES_INLINE, len(values), NAMES_CHUNK):
            chunk = [[n, *alias_of[facet].get(n, [])] for n in values[c:c + NAMES_CHUNK]]
            yield out(f"n/{facet}-{(c - NAMES_INLINE) // NAMES_CHUNK}.json", _json(chunk))

    fold = searchfold.subset({chr(searchfold.table().get(ord(c), ord(c))) for c in chars})
    for k in range(searchfold.FOLD_CHUNKS):
        yield out(f"fold/{k}.json", _json(searchfold.encode({a: b for a, b in fold.items() if a % searchfold.FOLD_CHUNKS == k})))

    starts: list[int] = []  # first bucket of every shard but the first
    shard: list[tuple[str, bytes, bytes]] = []
    size = n = 0
    last = -1
    for b, key in sorted([(bucket(k), k) for k in postings_all]):
        entry = (key, encode_postings(postings_all.pop(key)), encode_postings(postings_head.pop(key, ())))
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
        "facetEager": FACET_EAGER,
        "docBucket": DOC_BUCKET,
        "namesChunk": NAMES_CHUNK,
        "pageSize": PAGE_SIZE,
        "maxKeys": MAX_QUERY_KEYS,
        "years": years,  # [year, first id, end id), newest first
        # Traditional -> simplified pairs of the facet names' characters (the rest: fold/<k>.json).
        "fold": searchfold.encode(searchfold.of_chars({
            c for facet, values in names.items() for n in values
            for x in [n, *alias_of[facet].get(n, [])] for c in prepared(x)})),
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


def site_index_files(index, taxonomy, url_of: Callable[[str], str]) -> Iterator[tuple[str, bytes]]:
    """The index files of an archive index, with the taxonomy's aliases."""
    return docs_index_files(docs_from_index(index, url_of), taxonomy)


def docs_index_files(docs: list[SearchDoc], taxonomy) -> Iterator[tuple[str, bytes]]:
    """The index files of search documents, with the taxonomy's aliases."""
    streets, programmes = taxonomy_aliases(taxonomy)
    return build(docs, streets, programmes)


def build_site_index(index, taxonomy, url_of: Callable[[str], str], site_dir: str | Path) -> dict[str, int]:
    """What the MkDocs plugin runs for a build where it cannot fork (see site/background.py)."""
    return write_site_index(docs_from_index(index, url_of), taxonomy, site_dir)


def write_site_index(docs: list[SearchDoc], taxonomy, site_dir: str | Path) -> dict[str, int]:
    """The index files written under ``site_dir``; from documents, so that a caller
    need not hold the archive index meanwhile (the forked child: its articles are
    200 MB at 50,000 that the postings then reuse)."""
    return write(docs_index_files(docs, taxonomy), Path(site_dir) / INDEX_DIR)
