"""Stage 1 of the learned segmentation: a raw page as printed lines.

The model labels printed lines, not paragraphs: a headline or a byline is a
line of its own on every page, while paragraphs are rejoined from wrapped
lines only once the model has said which lines are body text. Each line
keeps what the page's layout says around it (a blank line before or after,
an indent) and its 1-based line number in the raw file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin.importer.normalize import clean, punctuate

_INDENT = re.compile(r"^[ \t\u3000]+")


@dataclass(frozen=True)
class Line:
    text: str  # stripped, half-width punctuation next to Chinese made full-width
    line: int  # 1-based line number in the raw file
    blank_before: bool
    blank_after: bool
    indent: bool
    layout: object = None  # layoutfeatures.LineLayout: a PDF's or scan's evidence for the line


def page_lines(text: str) -> list[Line]:
    """Non-empty lines of a raw page, in order."""
    raw = clean(text).split("\n")
    out: list[Line] = []
    for i, line in enumerate(raw):
        stripped = line.strip()
        if not stripped:
            continue
        before = i == 0 or not raw[i - 1].strip()
        after = i + 1 >= len(raw) or not raw[i + 1].strip()
        out.append(Line(punctuate(stripped), i + 1, before, after, bool(_INDENT.match(line))))
    return out
