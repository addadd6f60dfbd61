"""Second readings: where the recogniser hesitated, the look-alike that makes a word.

At each place the recogniser scores every character it knows and writes the
best. On some faces it takes a character for a look-alike (门 for 内 in a
serif face at 200 dpi: 0.6-0.9 sure where a right reading is 0.999 sure).
Where it was not sure, the character it wrote makes no word with the
characters beside it and its runner-up does (上内 -> 上门, 部内 -> 部门), the
runner-up is written; where both make words (入口, 人口) the reading stands.
jieba's dictionary judges, as it does for place names (:mod:`lexicon`).
Nothing is guessed beyond the recogniser's own two best readings.
"""

from __future__ import annotations

import re

from bulletin.importer.lexicon import freq
from bulletin.importer.normalize import CJK

CJK_CHAR = re.compile(f"[{CJK}]")
UNSURE = 0.95  # a character read with less confidence may be re-read
_LEAST = 0.02  # a runner-up this unlikely is noise, not a reading


class Runnerups:
    """Wraps rapidocr's CTC decoder: keeps, for every line it decodes, each character's
    confidence and the runner-up reading with its probability (keyed by the line's text)."""

    def __init__(self, decoder):
        self.decoder = decoder
        self.seen: dict[str, list[tuple[float, str, float]]] = {}

    def __getattr__(self, name):
        return getattr(self.decoder, name)

    def __call__(self, preds, *args, **kwargs):
        import numpy as np

        out = self.decoder(preds, *args, **kwargs)
        best = preds.argmax(axis=2)
        chars = self.decoder.character
        for b in range(len(best)):
            keep = best[b] != 0
            keep[1:] &= best[b][1:] != best[b][:-1]
            line, alts = [], []
            at = np.flatnonzero(keep)
            # The two best only where a character is written: over every step of every line
            # the partition cost 8% of a page's OCR.
            top2 = np.argpartition(preds[b][at], -2, axis=1)[:, -2:]
            for t, two in zip(at, top2):
                k = int(best[b][t])
                alt = int(two[0] if two[1] == k else two[1])
                line.append(chars[k])
                alts.append((float(preds[b][t][k]), chars[alt] if alt else "", float(preds[b][t][alt])))
            self.seen["".join(line)] = alts
        return out


def _support(text: str, i: int) -> int:
    """How common the most common dictionary word through ``text[i]`` is (0: none)."""
    best = 0
    for a in range(max(0, i - 3), i + 1):
        for b in range(i + 1, min(len(text), a + 4) + 1):
            if b - a >= 2:
                best = max(best, freq(text[a:b]))
    return best


def reread(text: str, alts: list[tuple[float, str, float]] | None) -> str:
    """``text`` with each unsure character that makes no word replaced by a runner-up that does."""
    if not alts or len(alts) != len(text) or all(p >= UNSURE for p, _, _ in alts):
        return text
    out = list(text)
    sure = [p >= UNSURE for p, _, _ in alts]
    for i, (p, alt, q) in enumerate(alts):
        # Its neighbours read surely (a word of two misreadings proves nothing), both ideographs.
        steady = (i == 0 or sure[i - 1]) and (i == len(alts) - 1 or sure[i + 1])
        if not sure[i] and steady and q >= _LEAST and CJK_CHAR.match(text[i]) and CJK_CHAR.match(alt or "a"):
            other = out[:i] + [alt] + out[i + 1:]
            if not _support("".join(out), i) and _support("".join(other), i):
                out = other
    return "".join(out)
