"""The search index's files and their binary encoding (written by
:mod:`bulletin.search.index`, read by ``theme/assets/search-engine.js``; the
``decode_*`` functions here are for tests of the round trip).

Files (all under ``search/idx/`` of the site; gzip is the web server's job,
but for the documents, stored compressed):

``manifest.json``
    Format, build id (appended to every other URL, so a rebuilt index never
    mixes with a cached one), number of documents, where shards start, year
    ranges, the fold pairs of the facet names' characters, the busiest ``searchindex.NAMES_INLINE`` street and programme names (with
    taxonomy aliases) by small integer id; ``n/<facet>-<k>.json`` hold the rest.
``s/<b>.bin``
    Index shards, each named by its first bucket ``b`` (0 for the first), so an
    edit that splits or merges a shard renames no other (the preview rewrites
    a few shards, not every later one). A key hashes (:func:`~bulletin.search.keys.bucket`) to one of 2**20 buckets; a
    shard is a run of buckets packed to about ``searchindex.SHARD_BYTES``, and
    ``manifest.shards`` gives the first bucket of each, so the browser finds
    a key's shard by binary search and a two-character query fetches one
    shard (hash ranges rather than key ranges: the list of starts is a few
    KB of small integers at 50,000 articles, not tens of KB of keys). Each
    key has two posting lists: every document holding the pair (``all``) and
    those holding it in the title, kicker, subtitle or a tag (``head``, used
    to rank title and tag matches first).
``f/<n>.bin``, ``g/<n>.bin``
    Street and programme ids of ``searchindex.FACET_CHUNK`` (f) or ``FACET_BLOCK`` (g)
    documents, for facet counts and filters. Only the files that hold a
    candidate are fetched: a big chunk where candidates are many, the small
    blocks where they are few (search-engine.js ``facetFiles``).
``fold/<k>.json``
    Traditional -> simplified character pairs (:mod:`bulletin.search.fold`)
    whose code point is ``k`` modulo 64, only those that fold into a
    character of the index: a query fetches the chunks of its own characters.
``d/<id // 1000>/<id>.json.gz``
    One document, gzip-compressed (:func:`encode_doc`): URL, title, date, tags, authors, places and body text
    (its first ``MAX_DOC_TEXT`` characters)
    (``f``: the fold pairs of the traditional characters it holds, if any). The
    browser fetches those of the page of results it shows, verifies that the
    text really contains the query (bigram intersection alone could match a
    document where the pairs occur apart: such a document is dropped and the
    counts corrected) and cuts the highlighted excerpt.

Binary encoding: unsigned LEB128 varints. A posting list is either ``0,
count, first id, gaps...`` or a bitmap ``1, first byte, byte count, bytes``
(bit ``i % 8`` of byte ``i // 8`` set when document ``i`` holds the key),
whichever is smaller. A shard is ``key count`` then per key ``key length,
UTF-8 key, all length, head length`` and then all the lists in key order.
"""

from __future__ import annotations

import gzip

from collections.abc import Iterable

DOC_BUCKET = 1000  # documents per d/<bucket>/ folder


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


def shard_entries(buf: bytes) -> list[tuple[str, bytes, bytes]]:
    """A shard's (key, all, head) entries with their postings still encoded
    (the inverse of :func:`encode_shard`; an update re-encodes only what it edits)."""
    n, pos = read_varint(buf, 0)
    table = []
    for _ in range(n):
        klen, pos = read_varint(buf, pos)
        key = buf[pos:pos + klen].decode("utf-8")
        pos += klen
        alen, pos = read_varint(buf, pos)
        hlen, pos = read_varint(buf, pos)
        table.append((key, alen, hlen))
    out = []
    for key, alen, hlen in table:
        out.append((key, buf[pos:pos + alen], buf[pos + alen:pos + alen + hlen]))
        pos += alen + hlen
    return out


def decode_shard(buf: bytes) -> dict[str, tuple[list[int], list[int]]]:
    return {key: (decode_postings(a), decode_postings(h)) for key, a, h in shard_entries(buf)}


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
    return f"d/{i // DOC_BUCKET}/{i}.json.gz"


# GB18030 byte pairs whose meaning changed in GB18030-2022 (browsers follow it,
# Python's codec does not): a document holding one is stored as UTF-8.
_GB_CHANGED = frozenset(bytes.fromhex(h) for h in (
    "a6d9 a6da a6db a6dc a6dd a6de a6df a6ec a6ed a6f3 fe59 fe61 fe66 fe6c fe76 fe7e fe90 fea0").split())
_GB_SAFE: set[str] = set()  # characters _gb_safe accepted
GB_MARK = b"G"  # first byte of a GB18030 document (a UTF-8 one starts with "{")


def _gb_safe(c: str) -> bool:
    """Decoded the same by Python and by every browser's TextDecoder: ASCII, or
    two GB18030 bytes outside the private use area and the 2022 changes."""
    if c < "\x80":
        return True
    if "\ue000" <= c <= "\uf8ff":
        return False
    try:
        b = c.encode("gb18030")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return len(b) == 2 and b not in _GB_CHANGED


def encode_doc(text: str) -> bytes:
    """A document as stored: gzip, since each repeats its article's whole text
    (262 MB of a 50,000-article site as plain JSON). Chinese text is stored as
    GB18030 (two bytes a character where UTF-8 takes three): 17% less after
    gzip on the example articles, 45% less than the JSON in all. The browser
    inflates it (``DecompressionStream``) and decodes it (``TextDecoder``); a
    host that sends it with ``Content-Encoding: gzip`` hands over the inside."""
    rest = set(text) - _GB_SAFE  # C-level: the characters not yet known safe (few after the first documents)
    safe = all(_gb_safe(c) for c in rest)
    if safe:
        _GB_SAFE.update(rest)
    raw = GB_MARK + text.encode("gb18030") if safe else text.encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0)


def decode_doc(data: bytes) -> str:
    """The JSON text of a stored document, whether or not the server inflated it."""
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return raw[1:].decode("gb18030") if raw[:1] == GB_MARK else raw.decode("utf-8")
