"""Reading order of a printed page: columns left to right, each top to bottom.

A recursive XY cut over the page's text boxes. A region is split first at a
vertical gutter (a strip of blank page running its whole height: a column
gap), else at horizontal gaps (a full-width headline or rule between bands
of columns), and its pieces are read left to right or top to bottom. A
headline spanning two of three columns thus splits the columns above it
from those below, as a reader reads them. Boxes of one printed line inside a
column chunk are then joined into lines.
"""

from __future__ import annotations

import math
import statistics

from bulletin.importer.pagestages import Box

_GUTTER = 0.8  # a column gap is at least this many body glyph heights wide (a hanging comma eats into it)
_MAX_DEPTH = 40


def body_size(boxes: list[Box]) -> float:
    """The body text's glyph height: the median over characters, not boxes (headlines are few)."""
    sizes = sorted((b.size, len(b.text)) for b in boxes if b.text.strip())
    if not sizes:
        return 1.0
    half, seen = sum(n for _, n in sizes) / 2, 0
    for size, n in sizes:
        seen += n
        if seen >= half:
            return size or 1.0
    return sizes[-1][0] or 1.0


def deskew(boxes: list[Box], angle: float) -> list[Box]:
    """Boxes rotated by ``-angle`` (radians) about the origin: a slightly rotated scan made level."""
    if abs(angle) < 1e-4:
        return boxes
    c, s = math.cos(-angle), math.sin(-angle)
    out = []
    for b in boxes:
        cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
        nx, ny = cx * c - cy * s, cx * s + cy * c
        hw, hh = (b.x1 - b.x0) / 2, (b.y1 - b.y0) / 2
        out.append(Box(nx - hw, ny - hh, nx + hw, ny + hh, b.text, b.size, b.bold, b.conf))
    return out


def _gaps(spans: list[tuple[float, float]], least: float) -> list[float]:
    """Cut positions: the middles of the gaps at least ``least`` wide in the union of ``spans``."""
    spans = sorted(spans)
    cuts, end = [], spans[0][1]
    for a, b in spans[1:]:
        if a - end >= least:
            cuts.append((a + end) / 2)
        end = max(end, b)
    return cuts


def _leading(spans: list[tuple[float, float]]) -> float:
    """The usual blank space between consecutive lines of a region."""
    spans = sorted(spans)
    gaps, end = [], spans[0][1]
    for a, b in spans[1:]:
        if a > end:
            gaps.append(a - end)
        end = max(end, b)
    return statistics.median(gaps) if gaps else 0.0


def _split(boxes: list[Box], cuts: list[float], key) -> list[list[Box]]:
    parts: list[list[Box]] = [[] for _ in range(len(cuts) + 1)]
    for b in boxes:
        k = sum(1 for c in cuts if key(b) > c)
        parts[k].append(b)
    return [p for p in parts if p]


def _cut(boxes: list[Box], em: float, depth: int, out: list[list[Box]]) -> None:
    if depth < _MAX_DEPTH and len(boxes) > 1:
        cols = _gaps([(b.x0, b.x1) for b in boxes], _GUTTER * em)
        if cols:
            for part in _split(boxes, cols, lambda b: (b.x0 + b.x1) / 2):
                _cut(part, em, depth + 1, out)
            return
        # A band break: blank space clearly taller than the region's own leading
        # (double-spaced columns must not be sliced into rows).
        spans = [(b.y0, b.y1) for b in boxes]
        rows = _gaps(spans, max(0.9 * em, 1.6 * _leading(spans)))
        if rows:
            for part in _split(boxes, rows, lambda b: (b.y0 + b.y1) / 2):
                _cut(part, em, depth + 1, out)
            return
    out.append(boxes)


def lines_of(boxes: list[Box], em: float) -> list[Box]:
    """The boxes of one column chunk joined into printed lines, top to bottom."""
    rows: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: ((b.y0 + b.y1) / 2, b.x0)):
        if rows:
            last = rows[-1][-1]
            overlap = min(b.y1, last.y1) - max(b.y0, last.y0)
            if overlap > 0.5 * min(b.height, last.height):
                rows[-1].append(b)
                continue
        rows.append([b])
    out = []
    for row in rows:
        row.sort(key=lambda b: b.x0)
        text = row[0].text
        for prev, b in zip(row, row[1:]):
            text += (" " if b.x0 - prev.x1 >= 0.4 * em else "") + b.text
        chars = sum(len(b.text) for b in row) or 1
        out.append(Box(min(b.x0 for b in row), min(b.y0 for b in row), max(b.x1 for b in row),
                       max(b.y1 for b in row), text, max(b.size for b in row),
                       sum(len(b.text) for b in row if b.bold) * 2 > chars, min(b.conf for b in row)))
    return out


def read_order(boxes: list[Box]) -> list[list[Box]]:
    """Column chunks in reading order, each a list of printed lines top to bottom."""
    boxes = [b for b in boxes if b.text.strip()]
    if not boxes:
        return []
    em = body_size(boxes)
    chunks: list[list[Box]] = []
    _cut(boxes, em, 0, chunks)
    return [lines_of(c, em) for c in chunks]


def skew(boxes: list[tuple[tuple[float, float], tuple[float, float], int]]) -> float:
    """The page's rotation (radians) from the top edges of OCR boxes ((left, right) points and length)."""
    angles = [(math.atan2(r[1] - l[1], r[0] - l[0]), n) for l, r, n in boxes if r[0] - l[0] > 0 and n >= 4]
    if not angles:
        return 0.0
    return statistics.median(a for a, _ in angles)
