"""Search keys: how the index cuts text into pairs and hashes them.

Why bigrams: a word segmenter cuts differently at index time and in the
browser (Pagefind: 小东门街道 -> 小/东/门/街道 in the query, 小东门 in the
index), and any dictionary cuts some names wrong (jieba: 海门/区海/永镇). Every
overlapping pair of letters or digits is a key here, and the browser cuts the
query into pairs with the same rules (``theme/assets/search-engine.js``
``normalize``, ``queryKeys`` and ``bucketOf`` mirror :func:`normalize`,
:func:`text_keys` and :func:`bucket`; tests/test_search.py runs both on the
same strings), so a text that contains the query always holds every key of
the query: recall does not depend on a dictionary. Cutting queries (parts,
long queries, run-together words) is the engine's alone.
"""

from __future__ import annotations

import re

from bulletin.nfkc import nfkc
from bulletin.search import fold as _fold

MAX_QUERY_KEYS = 8  # the manifest's maxKeys: a longer query fetches the shards of at most this many of its pairs

# Whitespace, spelled out so search-engine.js can use the very same class: NFKC maps
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
    return nfkc(text or "").lower()  # bulletin.nfkc: unicodedata's NFKC, 10x faster on Chinese text


def folded(low: str, fold: dict[int, int] | None = None) -> str:
    """:func:`prepared` text folded, without whitespace (the rest of :func:`normalize`)."""
    return _WS.sub("", low.translate(FOLD if fold is None else fold))


def text_keys(norm: str) -> set[str]:
    """Every overlapping pair of letters/digits inside one run of ``norm``."""
    out: set[str] = set()
    for run in _RUN.findall(norm):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


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
