"""A PDF's or scan's layout evidence as features of the segmentation model (issue 27).

Reading a page itself (:mod:`pagefile`) writes beside its raw text a
``<name>.layout.json``: for each line of that text (a headline or a whole
paragraph) its glyph size relative to the body text, bold, centred, first-line
indent, blank space above and the column chunk it stands in. The model
(:mod:`features`) takes these beside the text's own features, so a line set
twice the body size reads as a headline whatever its wording. A page without
evidence (every text import, or a text an editor has corrected since it was
read) gets none, and the model reads it as before. Values are bucketed
coarsely: sizes from a PDF are exact, from OCR noisy, and a model trained on
PDF pages must read scans too.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, replace
from pathlib import Path

from bulletin.importer.lines import Line


@dataclass(frozen=True)
class LineLayout:
    size: float  # glyph height / the body text's
    bold: bool
    centred: bool
    indent: bool
    gap: float  # blank space above, in body glyph heights (0 at a column's head)
    column: int  # column chunk in reading order
    lines: int  # printed lines the text line was set on


def sidecar_path(txt: Path) -> Path:
    return txt.with_name(txt.stem + ".layout.json")


def records_for(txt: Path) -> list[dict] | None:
    """The evidence recorded for a raw page, if the page's text is still the one it describes
    (an editor's corrected text may have moved lines: its evidence is not used)."""
    side = sidecar_path(txt)
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
        current = hashlib.sha256(txt.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("sha256") != current or not isinstance(data.get("lines"), list):
        return None
    return data["lines"]


def _layout(r: dict) -> LineLayout:
    return LineLayout(float(r.get("size", 1.0)), bool(r.get("bold")), bool(r.get("centred")), bool(r.get("indent")),
                      float(r.get("gap", 0.0)), int(r.get("column", 0)), int(r.get("lines", 1)))


def attach(lines: list[Line], records: list[dict] | None) -> list[Line]:
    """``lines`` with each one's evidence (matched by line number); unchanged without records."""
    if not records:
        return lines
    try:
        by_line = {int(r["line"]): _layout(r) for r in records if isinstance(r, dict)}
    except (KeyError, TypeError, ValueError):
        return lines
    return [replace(l, layout=by_line.get(l.line)) for l in lines]


def size_bucket(size: float) -> str:
    for limit, name in ((0.93, "small"), (1.1, "body"), (1.4, "big"), (1.8, "large")):
        if size < limit:
            return name
    return "huge"


def _gap_bucket(gap: float) -> str:
    return "0" if gap <= 0.05 else "lead" if gap < 0.9 else "line" if gap < 2.0 else "wide"


def _step(a: LineLayout | None, b: LineLayout | None) -> str:
    """How the type size changes from ``a`` to ``b``."""
    if a is None or b is None:
        return "none"
    r = b.size / a.size if a.size else 1.0
    return "up" if r >= 1.12 else "down" if r <= 1 / 1.12 else "same"


def _own(l: LineLayout | None, prev: LineLayout | None) -> dict[str, str]:
    if l is None:
        return {"size": "none"}
    f = {"size": size_bucket(l.size), "gap": _gap_bucket(l.gap), "lines": str(min(l.lines, 3))}
    f.update({k: "1" for k, v in (("bold", l.bold), ("centred", l.centred), ("indent", l.indent),
                                   ("colstart", prev is None or prev.column != l.column)) if v})
    return f


_CONTEXT = ("size", "centred", "lines", "indent")


def add(lines: list[Line], feats: list[list[str]]) -> None:
    """Append the layout features to each line's (in place) when the page has layout evidence."""
    lays = [l.layout for l in lines]
    if not any(lays):
        return
    owns = [_own(l, lays[i - 1] if i else None) for i, l in enumerate(lays)]
    for i, f in enumerate(feats):
        f.append("ly")
        f += [f"ly_{k}={v}" for k, v in owns[i].items()]
        prev, nxt = (lays[i - 1] if i else None), (lays[i + 1] if i + 1 < len(lays) else None)
        f += [f"ly_from_prev={_step(prev, lays[i])}", f"ly_to_next={_step(lays[i], nxt)}"]
        f.append(f"ly_size|lines={owns[i]['size']}|{owns[i].get('lines', '-')}")
        for off in (-1, 1):
            j = i + off
            if 0 <= j < len(lays):
                f += [f"{off}:ly_{k}={owns[j][k]}" for k in _CONTEXT if k in owns[j]]



_KEEP = ("bias", "pos=", "page_", "ly_", "-1:ly_", "1:ly_")


def masked(feats: list[list[str]], rng: random.Random, p: float = 0.2) -> list[list[str]]:
    """A training page's features with some lines' own words hidden (only their layout and
    place kept), so the model learns what the layout alone tells, without learning from made-up
    wording (headlines reworded as prose cost text pages 0.4 points of F1)."""
    return [[f for f in line if f == "ly" or f.startswith(_KEEP)] if rng.random() < p else line for line in feats]
