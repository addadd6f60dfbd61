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
import functools
import hashlib
import html
import json
import re
import shutil
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.search import fold as searchfold
from bulletin.search.format import DOC_BUCKET, doc_path, encode_doc, encode_facets, encode_postings, encode_shard
from bulletin.search.keys import BUCKET_BITS, MAX_QUERY_KEYS, bucket, folded, prepared, text_keys

FORMAT = 4  # 3: documents stored gzip-compressed; 4: shards named by their first bucket
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
SHARD_CUT = 4  # buckets where a shard three quarters full may end (see pack)
SHARD_BYTES = 6_000  # target raw size of one shard (gzip takes little off binary postings; a run-together query fetches up to 8)
PAGE_SIZE = 10  # results per page ("加载更多" loads the next page)
# Characters of an article's text that are indexed and stored (about 20 printed
# columns; a bulletin article is under 5,000). The browser normalises and
# highlights the stored text of every hit it shows: six 5 MB articles froze the
# tab for 50 s. Keys, stored text and the browser's check agree on this prefix.
MAX_DOC_TEXT = 20_000


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


def doc_of(entry, url_of: Callable[[str], str]) -> SearchDoc:
    """The search document of one entry of an archive index."""
    a = entry.article
    return SearchDoc(
        url=url_of(entry.src_uri), title=entry.title, date=a.date, untitled=not a.title,
        kicker=a.kicker or "", subtitle=a.subtitle or "",
        streets=list(a.streets), programmes=list(a.programmes),
        authors=list(a.authors), places=list(a.places),
        body=body_text(a.body)[:MAX_DOC_TEXT], kind=a.kind,
    )


def docs_from_index(index, url_of: Callable[[str], str]) -> list[SearchDoc]:
    """Search documents of an :class:`~bulletin.index.ArchiveIndex`, newest first."""
    return [doc_of(e, url_of) for e in index.entries]


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


def facet_names(tag_lists: Iterable[list[str]]) -> list[str]:
    """Names by document count (busiest first, small ids), ties by name."""
    counts: dict[str, int] = {}
    for names in tag_lists:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def doc_keys(d: SearchDoc, aliases: Mapping[str, list[str]]) -> tuple[set[str], set[str], set[str]]:
    """(keys of the head texts, keys of all texts, characters as printed) of one document."""
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
    return head, keys, seen


def doc_file(d: SearchDoc, aliases: Mapping[str, list[str]], seen: set[str]) -> bytes:
    """A document's file (``d/``): what the results page shows and verifies."""
    tag_aliases = [x for t in [*d.streets, *d.programmes] for x in aliases.get(t, [])]
    return encode_doc(_json_text({
        "u": d.url, "t": d.title, **({"ut": 1} if d.untitled else {}),
        "k": d.kicker, "st": d.subtitle, "d": d.date.isoformat(), "kind": d.kind,
        "s": d.streets, "p": d.programmes, "al": tag_aliases,
        "a": d.authors, "pl": d.places, "x": d.body,
        **({"f": searchfold.encode(own)} if (own := searchfold.of_chars(seen)) else {}),
    }))


def fold_targets(seen: set[str]) -> set[str]:
    """The characters of ``seen``, folded, that some other character folds into
    (what decides the ``fold/`` files: a serve session counts them per document)."""
    table = searchfold.table()
    targets = _fold_targets()
    return {c for c in (chr(table.get(ord(ch), ord(ch))) for ch in seen) if c in targets}


@functools.cache
def _fold_targets() -> frozenset[str]:
    return frozenset(chr(v) for v in searchfold.table().values())


def fold_files(chars: set[str]) -> Iterator[tuple[str, bytes]]:
    """``fold/<k>.json``: the pairs that fold into ``chars`` (folded characters of the index)."""
    fold = searchfold.subset(chars)
    for k in range(searchfold.FOLD_CHUNKS):
        yield f"fold/{k}.json", _json(searchfold.encode({a: b for a, b in fold.items() if a % searchfold.FOLD_CHUNKS == k}))


def facet_rows(tags: Sequence[tuple[list[str], list[str]]], names: Mapping[str, list[str]]) -> Sequence[tuple]:
    """Every document's (street ids, programme ids), computed when read (a save needs a chunk or two)."""
    sid = {n: i for i, n in enumerate(names["streets"])}
    pid = {n: i for i, n in enumerate(names["programmes"])}

    class Rows(Sequence):
        def __len__(self):
            return len(tags)

        def __getitem__(self, k):
            if isinstance(k, slice):
                return [([sid[s] for s in st], [pid[p] for p in pr]) for st, pr in tags[k]]
            st, pr = tags[k]
            return [sid[s] for s in st], [pid[p] for p in pr]

    return Rows()


def facet_file(kind: str, rows: Sequence[tuple], n: int) -> tuple[str, bytes]:
    """``f/<n>.bin`` (``FACET_CHUNK`` documents) or ``g/<n>.bin`` (``FACET_BLOCK``) of ``facet_rows``."""
    size = FACET_CHUNK if kind == "f" else FACET_BLOCK
    return f"{kind}/{n}.bin", encode_facets(rows[n * size:(n + 1) * size])


def facet_files(tags: list[tuple[list[str], list[str]]], alias_of: Mapping[str, Mapping[str, list[str]]],
                ) -> tuple[dict[str, list[str]], list[tuple[str, bytes]]]:
    """(facet names busiest first, the ``f/``, ``g/`` and ``n/`` files) of every document's
    (streets, programmes), newest first."""
    names = {"streets": facet_names(t[0] for t in tags), "programmes": facet_names(t[1] for t in tags)}
    rows = facet_rows(tags, names)
    out = [facet_file("f", rows, c // FACET_CHUNK) for c in range(0, len(rows), FACET_CHUNK)]
    out += [facet_file("g", rows, c // FACET_BLOCK) for c in range(0, len(rows), FACET_BLOCK)]
    for facet, values in names.items():
        for c in range(NAMES_INLINE, len(values), NAMES_CHUNK):
            chunk = [[n, *alias_of[facet].get(n, [])] for n in values[c:c + NAMES_CHUNK]]
            out.append((f"n/{facet}-{(c - NAMES_INLINE) // NAMES_CHUNK}.json", _json(chunk)))
    return names, out


def pack(entries: Iterable[tuple[int, str, bytes, bytes]], shard_bytes: int = SHARD_BYTES,
         stop: Callable[[int], bool] | None = None) -> Iterator[tuple[int, list[tuple[str, bytes, bytes]]]]:
    """Shards of ``(bucket, key, all, head)`` entries in (bucket, key) order, as
    (first bucket, entries): a shard is closed before a new bucket that would take
    it past ``shard_bytes``, or, once it holds three quarters of that, before a
    bucket whose number is a multiple of ``SHARD_CUT``. The second rule keeps an
    edit's effect local: cuts fall on the same buckets again a shard or two after
    an entry that grew (pure size cuts drift on for the rest of the index, and
    a serve session repacked and rewrote every later shard: 17 s at 100,000).
    ``stop(bucket)`` ends the packing where a new shard would start (a serve
    session repacks from a changed shard until it meets a shard start of the
    index it updates: from there on the shards are the same)."""
    shard: list[tuple[str, bytes, bytes]] = []
    size, last, first = 0, -1, -1
    enough = shard_bytes * 3 // 4
    for b, key, a, h in entries:
        cost = len(a) + len(h) + 8
        if shard and b != last and (size + cost > shard_bytes or (size >= enough and not b % SHARD_CUT)):
            yield first, shard
            shard, size = [], 0
            if stop is not None and stop(b):
                return
        if not shard:
            first = b
        shard.append((key, a, h))
        size += cost
        last = b
    yield first, shard


def shard_path(first: int) -> str:
    """A shard's file, named by its first bucket (0 for the first shard)."""
    return f"s/{first}.bin"


def manifest_of(n: int, starts: list[int], years: list[list[int]], names: dict[str, list[str]],
                alias_of: Mapping[str, Mapping[str, list[str]]]) -> dict:
    """The manifest (without its build id) of an index of ``n`` documents whose
    shards start at ``starts`` (every shard's first bucket but the first's)."""
    return {
        "format": FORMAT,
        "n": n,
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


def years_of(dates: Iterable[dt.date]) -> list[list[int]]:
    """[year, first id, end id) of documents newest first."""
    years: list[list[int]] = []
    for i, d in enumerate(dates):
        if years and years[-1][0] == d.year:
            years[-1][2] = i + 1
        else:
            years.append([d.year, i, i + 1])
    return years


def file_digest(path: str, data: bytes) -> bytes:
    """What the build id takes of one file: its path and a digest of its bytes (so a
    serve session that rewrites a few files hashes only those again)."""
    return path.encode() + b"\0" + hashlib.blake2b(data, digest_size=16).digest()


def files_digest(digests: Iterable[bytes] = ()):
    """The running digest of :func:`file_digest` of index files in build order (:func:`with_build_id`)."""
    digest = hashlib.sha1(f"bulletin-search-{FORMAT}".encode())
    for one in digests:
        digest.update(one)
    return digest


def with_build_id(digest, manifest: dict) -> tuple[str, bytes]:
    """The manifest file, its build id ``digest`` (:func:`files_digest` of every other
    file) and the manifest (appended to their URLs: a rebuilt index never mixes
    with a cached one)."""
    digest.update(_json(manifest))
    return "manifest.json", _json({**manifest, "build": digest.hexdigest()[:12]})


def build(
    docs: list[SearchDoc],
    street_aliases: Mapping[str, list[str]] | None = None,
    programme_aliases: Mapping[str, list[str]] | None = None,
    shard_bytes: int = SHARD_BYTES,
    fold_counts: Counter | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every index file as ``(path under the index dir, bytes)``; the manifest comes last.

    ``docs`` must be newest first (their position is their id). ``fold_counts``,
    when given, counts the documents holding each of :func:`fold_targets`."""
    street_aliases = dict(street_aliases or {})
    programme_aliases = dict(programme_aliases or {})
    aliases = {**programme_aliases, **street_aliases}
    alias_of = {"streets": street_aliases, "programmes": programme_aliases}
    for a, b in zip(docs, docs[1:]):
        if b.date > a.date:
            raise ValueError("searchindex.build: documents must be newest first")
    digest = files_digest()

    def out(path: str, data: bytes) -> tuple[str, bytes]:
        digest.update(file_digest(path, data))
        return path, data

    # Arrays of 4-byte ids, not lists of pointers: 130 million postings at
    # 100,000 articles are 0.5 GB instead of 1 GB.
    postings_all: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
    postings_head: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
    chars: set[str] = set()  # every character of the index, as printed
    for i, d in enumerate(docs):
        head, keys, seen = doc_keys(d, aliases)
        chars |= seen
        if fold_counts is not None:
            fold_counts.update(fold_targets(seen))
        for k in keys:
            postings_all[k].append(i)
        for k in head:
            postings_head[k].append(i)
        yield out(doc_path(i), doc_file(d, aliases, seen))

    names, facets = facet_files([(d.streets, d.programmes) for d in docs], alias_of)
    for path, data in facets:
        yield out(path, data)
    for path, data in fold_files({chr(searchfold.table().get(ord(c), ord(c))) for c in chars}):
        yield out(path, data)

    starts: list[int] = []  # first bucket of every shard but the first
    entries = ((b, key, encode_postings(postings_all.pop(key)), encode_postings(postings_head.pop(key, ())))
               for b, key in sorted([(bucket(k), k) for k in postings_all]))
    for n, (first, shard) in enumerate(pack(entries, shard_bytes)):
        if n:
            starts.append(first)
        yield out(shard_path(first if n else 0), encode_shard(shard))
    yield with_build_id(digest, manifest_of(len(docs), starts, years_of(d.date for d in docs), names, alias_of))


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
