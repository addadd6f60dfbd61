"""Training data, stage 1: a gold annotation aligned to a page's printed lines.

A gold file (see ``docs`` of the evaluation kit) names each article by
snippets: where its text ``starts`` and ``ends``, its ``title``, ``kicker``
and ``subtitle`` and its ``authors``. This stage turns that into one label
per printed line (:data:`LABELS`), the form the model learns from. Lines the
gold does not name are labelled by where they stand: between a headline and
the text a byline; after the text a credit if it names the article's
authors; between articles furniture, a column label, or the tail of an
article continued from another page.

A label ending in ``+`` marks the first line of an article.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from bulletin.importer import extract
from bulletin.importer.layout import CONTINUED_FROM, CONTINUED_TO, bare, column_label, headline_shaped, masthead, spaced_label
from bulletin.importer.lines import Line

# furn: page furniture (no article); cont: the tail of an article from another page (no article);
# col: column label; kick/title/sub: headline lines; note: editor's note; byl: a credit line;
# body: text; head: a subheading inside the text.
ROLES = ("furn", "cont", "col", "kick", "title", "sub", "note", "byl", "body", "head")
STARTS = ("col", "kick", "title", "note", "body", "byl", "sub")
LABELS = ROLES + tuple(r + "+" for r in STARTS)

_DROP = re.compile(r"[\s\"'“”‘’「」『』#*_>`\\|\-]+")
_SENTENCE_END = "。！？!?"


class AlignError(ValueError):
    """The gold does not match the page (a snippet is missing)."""


def norm(text: str) -> str:
    """The evaluation's text folding: NFKC, no spaces, quotes or Markdown marks."""
    return _DROP.sub("", unicodedata.normalize("NFKC", str(text)))


class _Flat:
    def __init__(self, lines: list[Line]):
        self.normed = [norm(l.text) for l in lines]
        self.offsets = []
        pos = 0
        for t in self.normed:
            self.offsets.append(pos)
            pos += len(t)
        self.text = "".join(self.normed)

    def line_at(self, pos: int) -> int:
        return bisect.bisect_right(self.offsets, pos) - 1

    def lines_of(self, start: int, length: int) -> range:
        return range(self.line_at(start), self.line_at(start + max(length, 1) - 1) + 1)

    def heading(self, snippet: str, lo: int, hi: int, near: int) -> range | None:
        """Lines holding ``snippet`` as whole lines (a bullet may precede it) between
        lines ``lo`` and ``hi``, the occurrence nearest before text offset ``near``."""
        want = norm(snippet)
        if not want:
            return None
        a, b = self.offsets[lo], (self.offsets[hi] if hi < len(self.offsets) else len(self.text))
        found = []
        pos = self.text.find(want, a, b)
        while pos >= 0:
            span = self.lines_of(pos, len(want))
            head = pos - self.offsets[span[0]]
            tail = self.offsets[span[-1]] + len(self.normed[span[-1]]) - (pos + len(want))
            if head <= 2 and tail <= 1:
                found.append((pos > near, abs(pos - near), span))
            pos = self.text.find(want, pos + 1, b)
        return min(found, key=lambda x: (x[0], x[1]))[2] if found else None


def _is_column(line: Line) -> bool:
    if "编者按" in line.text:
        return False  # the label of an editor's note, which belongs to the note
    return bool(column_label(bare(line.text))) or spaced_label(line.text)


def _is_prose(line: Line) -> bool:
    b = bare(line.text)
    return len(b) >= 10 and bool(re.search("[，。；！？]", b))


def _ends_paragraph(lines: list[Line], i: int) -> bool:
    b = bare(lines[i].text)
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return b[-1] in _SENTENCE_END + "”" and (nxt is None or nxt.blank_before or nxt.indent or len(bare(nxt.text)) < 4)


def _subheads(lines: list[Line], labels: list[str], lo: int, hi: int) -> None:
    """Body lines that are a paragraph of their own with a headline's shape: subheads."""
    widths = sorted(len(bare(lines[i].text)) for i in range(lo, hi + 1))
    full = widths[len(widths) * 3 // 4] if widths else 0
    for i in range(lo + 1, hi + 1):
        if labels[i] != "body":
            continue
        if extract.is_byline(lines[i].text):
            labels[i] = "byl"
            continue
        b = bare(lines[i].text)
        prev = bare(lines[i - 1].text)
        after_break = labels[i - 1] == "head" or prev[-1] in _SENTENCE_END + "”）" or lines[i].blank_before
        whole = lines[i].blank_after or i == hi or len(b) < full - 2 or lines[i + 1].indent
        if len(b) <= 40 and b[-1] not in _SENTENCE_END + "；，、…" and after_break and whole and headline_shaped(b):
            labels[i] = "head"


def _gap(lines: list[Line], labels: list[str], lo: int, hi: int) -> None:
    """Lines between two articles (or before the first, after the last)."""
    idx = list(range(lo, hi))
    prose = [i for i in idx if _is_prose(lines[i]) or CONTINUED_FROM.match(bare(lines[i].text))]
    for i in idx:
        labels[i] = "furn"
    if prose:
        first, last = prose[0], prose[-1]
        above = bare(lines[first - 1].text) if first - 1 >= lo else ""
        if CONTINUED_FROM.match(bare(lines[first].text)) and above and headline_shaped(above) and not masthead(above):
            first -= 1  # the headline repeated over the continued text
        while last + 1 < hi and bare(lines[last + 1].text)[0] in "（(" and not CONTINUED_TO.search(bare(lines[last + 1].text)):
            last += 1  # its byline in brackets
        for i in range(first, last + 1):
            labels[i] = "cont"


def align(lines: list[Line], gold: dict) -> list[str]:
    """One label per line (see :data:`LABELS`) from a gold annotation of the page."""
    flat = _Flat(lines)
    n = len(lines)
    arts = gold.get("articles") or []
    spans = []
    for art in arts:
        s = flat.text.find(norm(art["starts"]))
        end_snip = norm(art["ends"])
        e = flat.text.find(end_snip, s)
        if s < 0 or e < 0:
            raise AlignError(f"snippet not found: {art['starts'] if s < 0 else art['ends']}")
        spans.append([flat.line_at(s), flat.line_at(e + len(end_snip) - 1), s])
    labels = [""] * n
    firsts = []
    for k, (art, (sl, el, s)) in enumerate(zip(arts, spans)):
        lo = spans[k - 1][1] + 1 if k else 0
        hi = spans[k + 1][0] if k + 1 < len(spans) else n
        heads = {}
        for key, role in (("kicker", "kick"), ("title", "title"), ("subtitle", "sub")):
            if art.get(key):
                found = flat.heading(art[key], lo, hi, s)
                if found is not None:
                    heads.update({i: role for i in found})
        if art.get("title") and "title" not in heads.values():
            j = sl - 1  # a title printed otherwise than the gold spells it: the headline lines above the text
            while j >= max(lo, sl - 2) and j not in heads and headline_shaped(lines[j].text) and not (
                extract.is_byline(lines[j].text) or extract.is_org_byline(bare(lines[j].text))
            ):
                heads[j] = "title"
                j -= 1
        fl = min([sl] + list(heads))
        if fl - 1 >= lo and "编者按" in lines[fl - 1].text:
            fl -= 1
        for i, role in heads.items():
            labels[i] = role
        for i in range(fl, sl):
            if not labels[i] and _is_column(lines[i]):
                labels[i] = "col"
            elif not labels[i]:
                labels[i] = "note" if "编者按" in lines[i].text or (i > fl and labels[i - 1] == "note") else "byl"
        if "编者按" in lines[sl].text or (sl > fl and labels[sl - 1] == "note"):
            i = sl  # the note runs to its paragraph's end (it may open the page before the headline)
            while i <= el and not labels[i]:
                labels[i] = "note"
                if _ends_paragraph(lines, i):
                    break
                i += 1
        el = max(el, max(heads, default=el))
        spans[k][1] = el
        for i in range(sl, el + 1):
            labels[i] = labels[i] or "body"
        _subheads(lines, labels, sl, el)
        firsts.append(fl)
    for k, (sl, el, _) in enumerate(spans):
        nxt = firsts[k + 1] if k + 1 < len(firsts) else n
        authors = [norm(a) for a in arts[k].get("authors") or [] if norm(a)]
        i = el + 1
        while i < nxt and len(bare(lines[i].text)) <= 60 and (
            any(a in flat.normed[i] or i > el + 1 and labels[i - 1] == "byl" and a not in flat.normed[i - 1] and a in flat.normed[i - 1] + flat.normed[i]
                for a in authors) or bare(lines[i].text)[0] in "（(" and not CONTINUED_TO.search(bare(lines[i].text))
            and not CONTINUED_FROM.match(bare(lines[i].text))
        ):
            labels[i] = "byl"
            i += 1
        _gap(lines, labels, i, nxt)
        if nxt < n and nxt - 1 >= i and labels[nxt - 1] == "furn" and _is_column(lines[nxt - 1]):
            labels[nxt - 1] = "col"
            firsts[k + 1] = nxt - 1
    if firsts:
        _gap(lines, labels, 0, firsts[0])
        if firsts[0] > 0 and _is_column(lines[firsts[0] - 1]):
            labels[firsts[0] - 1] = "col"
            firsts[0] -= 1
    else:
        _gap(lines, labels, 0, n)
    for fl in firsts:
        labels[fl] += "+"
    return labels
