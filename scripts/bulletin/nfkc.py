"""Unicode NFKC, fast for Chinese text: the same result as ``unicodedata.normalize("NFKC", text)``.

Every body is normalised twice a build (duplicate detection, search keys), and a
Chinese body is never NFKC already: its full-width punctuation (，：) maps to
ASCII, so ``unicodedata`` rebuilt the whole text (0.3 ms a page). Where no
character of a text can compose or reorder with a neighbour (no combining mark,
no Hangul jamo, before or after decomposition), NFKC is NFKD, and NFKD works
character by character: each character that changes is replaced by its own
NFKD, found once per distinct character (0.03 ms a page). Any other text goes
through ``unicodedata`` whole. tests/test_check.py holds the two equal.

The table stops learning at ``LEARN_LIMIT`` distinct characters: every new
character recompiles the classes, so an archive written in thousands of rare
code points (a hostile pull request) would otherwise cost time quadratic in
its size; past the limit, text with an unknown character takes the slow path.
"""

from __future__ import annotations

import re
import unicodedata

LEARN_LIMIT = 20_000  # Chinese archives use 5,000-8,000 distinct characters


def _joins(c: str) -> bool:
    """A character canonical composition or reordering may join to its neighbour."""
    return unicodedata.category(c)[0] == "M" or unicodedata.combining(c) != 0 or "\u1100" <= c <= "\u11ff"


def char_class(chars) -> str:
    """A regex character class body holding exactly ``chars``."""
    return "".join(re.escape(c) for c in sorted(chars))


class _Nfkc:
    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.mapped: dict[str, str] = {}  # character -> its NFKD, where that is not itself
        self.joiners: set[str] = set()
        self._compile()

    def _compile(self) -> None:
        self.unknown = re.compile(f"[^{char_class(self.seen)}]") if self.seen else re.compile(r"[\s\S]")
        self.mapped_re = re.compile(f"[{char_class(self.mapped)}]") if self.mapped else None
        self.joiners_re = re.compile(f"[{char_class(self.joiners)}]") if self.joiners else None

    def _learn(self, text: str) -> None:
        new = set(text) - self.seen
        self.seen |= new
        for c in new:
            parts = unicodedata.normalize("NFKD", c)
            if any(map(_joins, parts)):
                self.joiners.add(c)
            elif parts != c:
                self.mapped[c] = parts
        self._compile()

    def __call__(self, text: str) -> str:
        if self.unknown.search(text):
            if len(self.seen) >= LEARN_LIMIT:
                return unicodedata.normalize("NFKC", text)
            self._learn(text)
        if self.joiners_re and self.joiners_re.search(text):
            return unicodedata.normalize("NFKC", text)
        return self.mapped_re.sub(lambda m: self.mapped[m.group()], text) if self.mapped_re else text


nfkc = _Nfkc()
