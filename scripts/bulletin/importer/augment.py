"""Training data, stage 2: generated pages varied the way other papers print.

The generator's pages fit the model well, real papers of other places less so:
their headlines are longer (a title and its subtitle on one line, a kicker
run into its title), their credits sit in other brackets. The excerpts that
training adds of every page (:func:`bulletin.importer.train.excerpt`) are
varied here, at random but seeded by the page, so ``make model`` stays
byte-identical. Only shapes change, never the labels' meaning.
"""

from __future__ import annotations

import random
from dataclasses import replace

from bulletin.importer.lines import Line

_JOIN = {("kick+", "title"): ("——", " ", ""), ("title+", "title"): ("", " "), ("title+", "sub"): (" ", "  ")}
_ENCLOSE = (("（", "）"), ("·", "·"), ("【", "】"), ("—", ""), ("", ""))


def _joined(lines: list[Line], labels: list[str], rng: random.Random, p: float):
    """A headline printed on two lines run into one (the start's label kept, as a title)."""
    out_l, out_y = [], []
    i = 0
    while i < len(lines):
        seps = _JOIN.get((labels[i], labels[i + 1])) if i + 1 < len(lines) else None
        if seps and rng.random() < p:
            a, b = lines[i], lines[i + 1]
            out_l.append(replace(a, text=a.text + rng.choice(seps) + b.text, blank_after=b.blank_after))
            out_y.append("title+")
            i += 2
            continue
        out_l.append(lines[i])
        out_y.append(labels[i])
        i += 1
    return out_l, out_y


def _credit(line: Line, rng: random.Random) -> Line:
    """（张三 李四） as ·张三 李四· or 【…】 or —张三: the same credit, another paper's brackets."""
    t = line.text
    if not (t.startswith(("（", "(")) and t.endswith(("）", ")")) and len(t) <= 24):
        return line
    a, b = rng.choice(_ENCLOSE)
    return replace(line, text=a + t[1:-1].strip() + b)


def vary(lines: list[Line], labels: list[str], rng: random.Random, p: float = 0.5):
    """One varied copy of a stretch of labelled lines."""
    lines, labels = _joined(lines, labels, rng, p)
    lines = [_credit(l, rng) if y.startswith("byl") and rng.random() < p else l for l, y in zip(lines, labels)]
    return lines, labels
