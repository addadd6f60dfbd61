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


class CharTable:
    """A text rewrite learnt one distinct character at a time and applied by regexes.

    Subclasses say what a new character means (:meth:`learn`), how known text is
    rewritten (:meth:`fast`) and the definition itself (:meth:`slow`). Learning
    stops at ``LEARN_LIMIT`` characters (each recompiles the classes); past it,
    text holding an unknown character takes :meth:`slow`."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self._compile()

    def _compile(self) -> None:
        self.unknown = re.compile(f"[^{char_class(self.seen)}]") if self.seen else re.compile(r"[\s\S]")
        self.compile()

    def compile(self) -> None:
        """Rebuild the subclass's classes after learning."""

    def learn(self, new: set[str]) -> None:
        raise NotImplementedError

    def fast(self, text: str) -> str:
        raise NotImplementedError

    def slow(self, text: str) -> str:
        raise NotImplementedError

    def __call__(self, text: str) -> str:
        if self.unknown.search(text):
            if len(self.seen) >= LEARN_LIMIT:
                return self.slow(text)
            new = set(text) - self.seen
            self.seen |= new
            self.learn(new)
            self._compile()
        return self.fast(text)


class _Nfkc(CharTable):
    def __init__(self) -> None:
        self.mapped: dict[str, str] = {}  # character -> its NFKD, where that is not itself
        self.joiners: set[str] = set()
        super().__init__()

    def compile(self) -> None:
        self.mapped_re = re.compile(f"[{char_class(self.mapped)}]") if self.mapped else None
        self.joiners_re = re.compile(f"[{char_class(self.joiners)}]") if self.joiners else None

    def learn(self, new: set[str]) -> None:
        for c in new:
            parts = unicodedata.normalize("NFKD", c)
            if any(map(_joins, parts)):
                self.joiners.add(c)
            elif parts != c:
                self.mapped[c] = parts

    def slow(self, text: str) -> str:
        return unicodedata.normalize("NFKC", text)

    def fast(self, text: str) -> str:
        if self.joiners_re and self.joiners_re.search(text):
            return unicodedata.normalize("NFKC", text)
        return self.mapped_re.sub(lambda m: self.mapped[m.group()], text) if self.mapped_re else text


nfkc = _Nfkc()
