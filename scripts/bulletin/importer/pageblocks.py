"""Printed lines -> paragraphs and headlines, with the layout evidence of each.

A printed line starts a new block where the page says so: a different glyph
size, a first-line indent, the line before ending short of the column's
edge, a centred line, or blank space above it. A paragraph that runs from
the foot of one column to the head of the next is joined (its last line is
full and ends mid-sentence, the next column's first line is not indented).

The raw text is one block a line, blocks separated by blank lines: the shape
a text import reads best, with headlines alone on their lines. Headlines
(glyphs clearly larger than the body's) get a second blank line above them.
OCR lines read with low confidence are marked with :data:`DOUBT_MARK`, which
the text import drops (:func:`bulletin.importer.rawfile.read_raw`).
"""

from __future__ import annotations

import re
import statistics

from bulletin.importer.layoutorder import body_size
from bulletin.importer.pagestages import Box, PageBlock, PageText
from bulletin.importer.rawfile import DOUBT_MARK
LOW_CONFIDENCE = 0.8
HEADLINE = 1.25  # glyphs this much larger than the body's make a headline
_SIZE_STEP = 0.12  # relative size change that starts a new block
_END = "。！？!?…”」』）)"
_HANGING = "，。、；：？！”’）》…,.;:?!)"
_LATIN = re.compile(r"[A-Za-z0-9]")


def _joined(a: str, b: str) -> str:
    return a + (" " if _LATIN.match(a[-1:]) and _LATIN.match(b[:1]) else "") + b


def _text(line: Box) -> str:
    return line.text + (DOUBT_MARK if line.conf < LOW_CONFIDENCE else "")


class _Column:
    """Geometry of one column chunk: its edges and normal leading."""

    def __init__(self, lines: list[Box], em: float):
        self.x0 = min(b.x0 for b in lines)
        # The right edge where text stops, not where a hanging comma does.
        self.x1 = max((b.x1 for b in lines if b.text[-1:] not in _HANGING), default=max(b.x1 for b in lines))
        gaps = [b.y0 - a.y1 for a, b in zip(lines, lines[1:]) if not _resized(a, b, em)]
        self.leading = statistics.median(gaps) if gaps else 0.4 * em
        self.em = em

    def indented(self, line: Box) -> bool:
        return line.x0 - self.x0 >= 1.2 * self.em

    def short(self, line: Box) -> bool:
        return self.x1 - line.x1 >= 1.5 * self.em

    def full(self, line: Box) -> bool:
        return line.x0 - self.x0 < self.em and not self.short(line)

    def centred(self, line: Box) -> bool:
        left, right = line.x0 - self.x0, self.x1 - line.x1
        return left >= 1.5 * self.em and right >= 1.5 * self.em and abs(left - right) <= max(1.0 * self.em, 0.15 * (left + right))


def _resized(a: Box, b: Box, em: float) -> bool:
    """A change of type size. Headlines get more room: an OCR box's height varies with what the
    line holds (a short last line of a headline, "路”", is read up to a sixth taller)."""
    step = 0.18 if min(a.size, b.size) >= HEADLINE * em else _SIZE_STEP
    return abs(a.size - b.size) >= step * max(a.size, b.size)


def _tail(prev: Box, line: Box, col: _Column) -> bool:
    """A glyph or two ending what the full line above began (a headline's 口, a paragraph's 来。):
    OCR measures a few glyphs' ink, not the type, and 口 or 。 stand shorter than a line's tallest."""
    return (len(line.text.strip()) <= 3 and col.full(prev) and prev.text.rstrip()[-1:] not in _END
            and not col.indented(line) and line.bold == prev.bold and line.y0 - prev.y1 < 0.8 * prev.size
            and abs(line.size - prev.size) < 0.3 * max(line.size, prev.size))


def _new_block(prev: Box, line: Box, col: _Column) -> bool:
    em = col.em
    if _tail(prev, line, col):
        return False
    if _resized(prev, line, em) or line.bold != prev.bold:
        return True
    if min(line.size, prev.size) >= HEADLINE * em:  # a headline's next line: same size, close below, aligned alike
        return line.y0 - prev.y1 > 0.8 * line.size or (col.centred(line) != col.centred(prev)
                                                       and not (col.full(line) or col.full(prev)))
    if line.y0 - prev.y1 > col.leading + 0.6 * em:
        return True
    return col.indented(line) or col.short(prev) or col.centred(line) or col.centred(prev)


def blocks(chunks: list[list[Box]], em: float | None = None) -> list[PageBlock]:
    """The page's blocks in reading order (``chunks`` from :func:`layoutorder.read_order`)."""
    em = em or body_size([b for c in chunks for b in c])
    out: list[PageBlock] = []
    last: tuple[Box, _Column] | None = None
    for k, lines in enumerate(chunks):
        col = _Column(lines, em)
        for i, line in enumerate(lines):
            if last is None:
                start = True
            elif i == 0:  # the head of a column chunk: does the paragraph above run on?
                prev, pcol = last
                headline = min(prev.size, line.size) >= HEADLINE * em and not _resized(prev, line, em)
                start = not headline and (pcol.short(prev) or prev.text.rstrip()[-1:] in _END or col.indented(line)
                         or _resized(prev, line, em) or line.size >= HEADLINE * em
                         or col.centred(line))  # a headline's lines run on, whatever the column
            else:
                start = _new_block(last[0], line, col)
            if start:
                gap = (line.y0 - last[0].y1) / em if last and i else 0.0
                out.append(PageBlock(_text(line), line.size / em, line.bold, col.centred(line), round(gap, 2), k, 1,
                                     indent=col.indented(line)))
            else:
                b = out[-1]
                b.text, b.lines = _joined(b.text, _text(line)), b.lines + 1
            if line.conf < LOW_CONFIDENCE:
                out[-1].doubtful.append(line.text)
            last = (line, col)
    return out


def render(blocks_: list[PageBlock]) -> PageText:
    """The raw text of a page and its per-line features (one entry per non-blank line)."""
    parts, features, doubtful = [], [], []
    line = 0
    for b in blocks_:
        headline = b.size >= HEADLINE
        sep = ("\n\n\n" if headline else "\n\n") if parts else ""
        line += sep.count("\n") + (1 if not parts else 0)
        parts.append(sep + b.text)
        features.append({"line": line, "size": round(b.size, 2), "bold": b.bold, "centred": b.centred,
                         "gap": b.gap, "column": b.column, "lines": b.lines, "headline": headline, "indent": b.indent})
        doubtful.extend((line, t) for t in b.doubtful)
    text = "".join(parts) + "\n"
    return PageText(text, features, doubtful, sum(len(b.text) for b in blocks_))
