"""Search keys: how the index and its clients cut text into pairs and hash them.

Why bigrams: a word segmenter cuts differently at index time and in the
browser (Pagefind: 小东门街道 -> 小/东/门/街道 in the query, 小东门 in the
index), and any dictionary cuts some names wrong (jieba: 海门/区海/永镇). Every
overlapping pair of letters or digits is a key here, and the browser cuts the
query into pairs with the same rules (``theme/assets/search.js`` mirrors
:func:`normalize`, :func:`query_keys` and :func:`bucket`), so a text that
contains the query always holds every key of the query: recall does not
depend on a dictionary. The index (:mod:`bulletin.searchindex`) and the
reference client (:mod:`bulletin.searchclient`) both import this module, so
they cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata

from bulletin.search import fold as _fold

MAX_QUERY_KEYS = 8  # a longer query fetches the shards of at most this many of its pairs (a cut needs them all)

# Whitespace, spelled out so search.js can use the very same class: NFKC maps
# the ideographic and no-break spaces to " ", the rest OCR leaves around.
WHITESPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
_WS = re.compile(f"[{WHITESPACE}]+")
# Letters and digits of any script: Python's [^\W_] is exactly Unicode L* and N*,
# JavaScript's [\p{L}\p{N}]. Everything else (punctuation, symbols) ends a run.
_RUN = re.compile(r"[^\W_]+")


FOLD = _fold.table()


def normalize(text: str, fold: dict[int, int] | None = None) -> str:
    """What is compared: NFKC (full-width Ａ１ -> a1), lower case, traditional
    characters folded to simplified (``fold``, by default OpenCC's whole
    table; a client passes the index's subset), no whitespace.

    OCR and typesetting add and drop spaces inside words (群众力 量), so
    spaces never count: ``小东门 街道`` finds 小东门街道. Folding keeps one
    code point per code point, so positions in folded text are positions in
    the printed one."""
    return folded(prepared(text), fold)


def prepared(text: str) -> str:
    """NFKC and lower case: the characters folding looks up."""
    return unicodedata.normalize("NFKC", text or "").lower()


def folded(low: str, fold: dict[int, int] | None = None) -> str:
    """:func:`prepared` text folded, without whitespace (the rest of :func:`normalize`)."""
    return _WS.sub("", low.translate(FOLD if fold is None else fold))


def runs(norm: str) -> list[str]:
    """Maximal runs of letters and digits of normalised text."""
    return _RUN.findall(norm)


def text_keys(norm: str) -> set[str]:
    """Every overlapping pair of letters/digits inside one run of ``norm``."""
    out: set[str] = set()
    for run in _RUN.findall(norm):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def query_parts(query: str, fold: dict[int, int] | None = None) -> list[str]:
    """The normalised parts of a query: its runs of letters and digits
    between spaces and punctuation (search.js ``queryParts``).

    A text matches when it contains every part, which includes every text
    that contains the query with its spaces removed (``群众力 量`` finds
    群众力量, ``石港镇 网格`` finds 石港镇 articles about 网格). Punctuation
    separates like a space, so ``党建+楼院治理``, ``党建＋楼院治理`` and
    ``党建 楼院治理`` are one query. Parts too short to give a pair are joined
    when that makes one: ``小 东`` is 小东."""
    pieces = _WS.split(unicodedata.normalize("NFKC", query or ""))
    parts = list(dict.fromkeys(r for p in pieces for r in runs(normalize(p, fold))))
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
    and verification drops what matched only loosely. A query a few pairs
    too long keeps a run of consecutive pairs from its middle instead: a
    place and a topic typed together (小石桥居民区安全隐患) are cut where a
    pair and both its neighbours were fetched (:mod:`bulletin.search.cut`)."""
    if len(keys) <= limit:
        return list(keys)
    if len(keys) <= limit + 3:
        lo = (len(keys) - limit) // 2
        return keys[lo:lo + limit]
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
