"""The text two copies of one article share: NFKC, without whitespace, punctuation
or symbols (``bulletin check``'s duplicate detection, run on every body of every build).

Each distinct character is classified once and the text is rewritten by
regexes, not a Python loop (0.5-0.7 ms a page); NFKC is ``bulletin.nfkc``'s
(0.3 ms a page less than ``unicodedata``'s for Chinese text). The table is that
NFKC's kind (:class:`bulletin.nfkc.CharTable`): it stops learning at
``nfkc.LEARN_LIMIT`` characters, and text with an unknown character past it
takes :func:`reference`'s loop.
"""

from __future__ import annotations

import re
import unicodedata

from bulletin.nfkc import CharTable, char_class, nfkc


def _dropped(c: str) -> bool:
    return c.isspace() or unicodedata.category(c)[0] in "PS"


def reference(text: str) -> str:
    """The definition: NFKC, then whitespace, punctuation and symbols dropped."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not _dropped(c))


class _Dropper(CharTable):
    def __init__(self) -> None:
        self.drop: set[str] = set()
        super().__init__()

    def compile(self) -> None:
        self.dropped = re.compile(f"[{char_class(self.drop)}]+") if self.drop else None

    def learn(self, new: set[str]) -> None:
        self.drop |= {c for c in new if _dropped(c)}

    def slow(self, text: str) -> str:
        return "".join(c for c in text if not _dropped(c))

    def fast(self, text: str) -> str:
        return self.dropped.sub("", text) if self.dropped else text


_drop = _Dropper()


def normalise_body(body: str) -> str:
    """Body text for duplicate detection: NFKC, no whitespace, no punctuation or Markdown marks."""
    return _drop(nfkc(body))
