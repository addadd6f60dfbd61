"""What an OCR line's ink shows that the recogniser does not say: its extent, spaces and marks.

**Extent.** A detector's box is padded, and by more for a short line than a
long one ("队伍。" came out a sixth taller than the full line above it, and
was taken for a change of type size). The line's type size and its left and
right edges are measured on the ink inside the box instead (dark pixels after
a threshold half-way between paper and ink).

**Spaces.** The recogniser reads ``记者 安晨莹 刘耀谷`` as ``记者安晨莹刘耀谷``: a
space between Chinese characters is a fifth of a character wide and it never
emits one, yet bylines and signatures are told apart from text by those
spaces. The page still shows them: characters stand on the line's pitch, and
after a space the next one stands a fifth of a character further on. The
recogniser gives each character's rough place (its CTC column, too coarse
alone); each place is moved to the ink around it, and where two full-width
characters stand clearly further apart than the line's usual pitch, by the
middle of their ink and by its centre of mass, a space is written. Only
full-width pairs are judged: punctuation carries its own blank, Latin letters
and digits are proportional. A line spaced out throughout (a letter-spaced
label) has no usual pitch to compare with and keeps its text as read.

**Marks.** A solid bullet before the first character (◆ ● ■ ▲) or a middle
dot at either end (·夏凡 张顺燕·) that the recogniser dropped is written back:
ink it did not read, solid (no character's strokes are), told by its shape.
"""

from __future__ import annotations

import statistics
import unicodedata

SPACE = 0.12  # a gap this much wider than the line's pitch is a space (a space is 0.2 of a character)
_REACH = 0.75  # a character's ink lies within this many pitches of its CTC place
_SPECK = 3  # inked pixels: less is noise
_BUSY = 0.1
_INK_EM = 0.9  # a line of Chinese type inks about nine tenths of its type size, top to bottom


def _solid(ch: str) -> bool:
    """A full-width character whose advance is its glyph: ideographs and symbols, not punctuation."""
    return unicodedata.east_asian_width(ch) in "WF" and not unicodedata.category(ch).startswith("P")


def _mask(grey, quad):
    """The line ``quad`` (4 corners, clockwise from top left) of a greyscale page, straightened, as
    a boolean ink mask; and the transform from page to line coordinates."""
    import cv2
    import numpy as np

    q = np.asarray(quad, dtype=np.float32)
    w = max(2, int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[2] - q[3]))))
    h = max(2, int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))
    m = cv2.getPerspectiveTransform(q, np.float32([[0, 0], [w, 0], [w, h], [0, h]]))
    crop = cv2.warpPerspective(grey, m, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_LINEAR)
    paper, ink = np.percentile(crop, 90), np.percentile(crop, 1)
    return crop < (paper + ink) / 2, m


def _runs(counts, least: int) -> list[tuple[int, int]]:
    """Runs ``[a, b)`` of non-zero ``counts`` holding at least ``least`` in all."""
    import numpy as np

    edges = np.flatnonzero(np.diff(np.concatenate(([0], (counts > 0).astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2]) if counts[a:b].sum() >= least]


def _glyph_height(rows) -> float | None:
    """The height of the line's type, from its rows holding at least a tenth of the busiest row's
    ink (a quotation mark or comma does not stretch it; a neighbour's stray descender is not it)."""
    import numpy as np

    if not rows.any():
        return None
    busy = np.flatnonzero(rows >= _BUSY * rows.max())
    return float(busy[-1] - busy[0] + 1) / _INK_EM


def _solid_mark(blob) -> str | None:
    """The bullet a solid blob of ink is (■ ● ◆ ▲), or None: every row and column of it one
    stretch of ink (no stroke of a character is that), told apart by how much of its box it fills
    and where it is widest."""
    import numpy as np

    rows = np.flatnonzero(blob.any(axis=1))
    if not len(rows):
        return None
    blob = blob[rows[0]:rows[-1] + 1]
    h, w = blob.shape
    if not 0.7 <= w / h <= 1.4:
        return None
    for lines in (blob, blob.T):
        starts = (np.diff(lines.astype(np.int8), axis=1) == 1).sum(axis=1) + lines[:, 0]
        if (starts > 1).any():
            return None
    fill, widest = blob.mean(), int(np.argmax(blob.sum(axis=1))) / max(h - 1, 1)
    if fill >= 0.85:
        return "■"
    if fill >= 0.65:
        return "●"
    if fill >= 0.35 and widest >= 0.3:
        return "◆" if widest <= 0.7 else "▲"
    return None


def lost_marks(mask, cols: list[tuple[int, int]], places: list[float], size: float) -> tuple[str, str]:
    """Marks printed before the line's first character or after its last that the recogniser did
    not read (it drops ◆ in front of text and the dots around a signature, ·夏凡 张顺燕·): an end
    run of ink clear of the nearest character's place, solid, a bullet's or a middle dot's size."""
    import numpy as np

    pitch = float(np.median(np.diff(places)))
    rows = mask.sum(axis=1)
    busy = np.flatnonzero(rows >= _BUSY * rows.max())
    middle = (busy[0] + busy[-1]) / 2

    def mark(a: int, b: int) -> str:
        blob = mask[:, a:b]
        tall = np.flatnonzero(blob.any(axis=1))
        h, w = tall[-1] - tall[0] + 1, b - a
        if 0.35 * size <= w <= 1.3 * size and 0.35 * size <= h <= 1.3 * size:  # a ◆ fills the em, taller than text
            return _solid_mark(blob) or ""
        if w <= 0.35 * size and h <= 0.35 * size and abs((tall[0] + tall[-1]) / 2 - middle) <= 0.15 * size:
            return "·" if _solid_mark(blob) else ""
        return ""

    head = mark(*cols[0]) if cols and cols[0][1] < places[0] else ""
    tail = mark(*cols[-1]) if len(cols) > 1 and cols[-1][0] > places[-1] + 0.5 * pitch else ""
    return head, tail


def _read_as_mark(ch: str) -> bool:
    """The recogniser did read a mark there (·, ●, a quotation mark): nothing to add."""
    return unicodedata.category(ch)[0] in "PS"


def ink_middles(profile, places: list[float]) -> tuple[list[float], list[float]]:
    """Each character's place moved to its ink, two ways: half-way between the outer edges of its
    ink, and the ink's centre of mass (a glyph like 了 or 一 is off by one measure, seldom by
    both). The runs of inked columns (a glyph, or a piece of one: 川 is three) each go to the
    nearest place, twice: the second time to the centres the first found (a CTC place is up to
    half a character off); specks and ink far from every place (a symbol the recogniser
    dropped) are left out; a character without ink keeps its place."""
    middles, centres = _assign(profile, places)
    return _assign(profile, centres)


def _assign(profile, places: list[float]) -> tuple[list[float], list[float]]:
    import numpy as np

    if len(places) < 2:
        return list(places), list(places)
    at = np.asarray(places, dtype=float)
    reach = _REACH * float(np.median(np.diff(at)))
    n = len(places)
    lo, hi, mass, moment = [None] * n, [None] * n, [0.0] * n, [0.0] * n
    for a, b in _runs(profile, _SPECK):  # inked columns a .. b-1
        mid = (a + b - 1) / 2
        k = int(np.argmin(np.abs(at - mid)))
        if abs(at[k] - mid) > reach:
            continue
        lo[k] = a if lo[k] is None else min(lo[k], a)
        hi[k] = b - 1 if hi[k] is None else max(hi[k], b - 1)
        mass[k] += float(profile[a:b].sum())
        moment[k] += float((profile[a:b] * np.arange(a, b)).sum())
    middles = [(lo[k] + hi[k]) / 2 if lo[k] is not None else places[k] for k in range(n)]
    centres = [moment[k] / mass[k] if mass[k] else places[k] for k in range(n)]
    return middles, centres


def wide_gaps(chars: str, *measures: list[float]) -> set[int]:
    """Indexes ``i`` where a space stands between ``chars[i]`` and ``chars[i + 1]``: the gap is
    wide by every measure of where the characters stand."""
    pairs = [i for i in range(len(chars) - 1) if _solid(chars[i]) and _solid(chars[i + 1])]
    if len(pairs) < 3:
        return set()
    out = set(pairs)
    for at in measures:
        pitch = statistics.median(at[i + 1] - at[i] for i in pairs)
        out &= {i for i in pairs if pitch > 0 and at[i + 1] - at[i] >= (1 + SPACE) * pitch}
    return out


def read_line(grey, quad, text: str, chars: list[tuple[str, tuple[float, float]]]):
    """``text`` as read on the line ``quad`` with the spaces its characters' places show, the quad
    narrowed to the line's ink, and the type size the ink shows (None: no ink found).

    ``chars``: each non-space character of ``text`` with its rough centre on the page (x, y);
    anything else (a recogniser that gave no places) leaves ``text`` as it is.
    """
    import cv2
    import numpy as np

    mask, m = _mask(grey, quad)
    profile = mask.sum(axis=0)
    size, cols = _glyph_height(mask.sum(axis=1)), _runs(profile, _SPECK)
    if cols:  # the box's own top and bottom (the layout's line gaps), the ink's left and right
        x0, x1, h = cols[0][0], cols[-1][1], mask.shape[0]
        corners = np.float32([[[x0, 0], [x1, 0], [x1, h], [x0, h]]])
        quad = cv2.perspectiveTransform(corners, np.linalg.inv(m))[0].tolist()
    bare = [ch for ch in text if not ch.isspace()]
    if len(chars) != len(bare) or any(c != b for (c, _), b in zip(chars, bare)) or len(bare) < 4:
        return text, quad, size
    places = cv2.perspectiveTransform(np.float32([[xy for _, xy in chars]]), m)[0][:, 0].tolist()
    gaps = wide_gaps("".join(bare), *ink_middles(profile, places))
    head, tail = lost_marks(mask, cols, places, size * _INK_EM) if size else ("", "")
    head, tail = ("" if _read_as_mark(bare[0]) else head), ("" if _read_as_mark(bare[-1]) else tail)
    out, k = [head], 0
    for i, ch in enumerate(text):
        out.append(ch)
        if not ch.isspace():
            if k in gaps and text[i + 1:i + 2] != " ":
                out.append(" ")
            k += 1
    return "".join(out) + tail, quad, size
