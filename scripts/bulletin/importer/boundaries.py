"""Stage 3: where articles begin, decided over the whole page at once.

A headline-shaped group of paragraphs either opens an article or is a
subheading inside the current one. Each piece of evidence adds or takes
points; the sum decides and its size is the confidence:

- a dateline right after the group (本报讯, 9月18日, 日前) opens an article;
  so does a column label above it, a dash line (引题/副题), a byline right
  below it, or a photo item (a short text ending in a photo credit);
- a subheading's shape (一、, （一）, a colon at the end, a comma inside)
  keeps it inside;
- a *run* of similar weak headlines between two closings (a byline, a
  signature, a strong headline) is a series of parallel subheads of one
  article (明确问题清单 / 瞄准“空破口”, 党员率先垂范 / 下好“先手棋” …),
  not a series of articles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bulletin.importer import extract, places
from bulletin.importer.layout import LEAD_AGENCY, bare, column_label, is_subheading
from bulletin.importer.normalize import squeeze_heading
from bulletin.importer.stages import Boundary, Labelled

HEADING_LABELS = ("heading", "org", "column")
TEXT_LABELS = ("body", "lead")
RUN_MAX_LINE = 18  # parallel subheads are short phrases


@dataclass(frozen=True)
class Group:
    """A run of headline-shaped paragraphs and what surrounds it."""

    start: int  # index of the first paragraph in the labelled page
    end: int  # index after the last
    lines: tuple[str, ...]
    column: str | None
    after: str | None  # label of the paragraph after the group
    lead: str | None  # "agency" / "date" when the text below opens with a dateline
    photo: bool  # the text below is one or two paragraphs ending in a photo credit


def _photo_item(items: list[Labelled], j: int) -> bool:
    texts = []
    while j < len(items) and items[j].label in TEXT_LABELS + ("caption",) and len(texts) < 3:
        texts.append(items[j].block.text)
        j += 1
    if not texts or len(texts) > 2 or (j < len(items) and items[j].label in TEXT_LABELS):
        return False
    return bool(extract.photo_credit(texts[-1]))


def is_signature(items: list[Labelled], k: int) -> bool:
    """An office's name after text and before a headline (or the page end) signs that text."""
    if items[k].label != "org" or k == 0 or items[k - 1].label not in TEXT_LABELS + ("caption", "note"):
        return False
    return k + 1 == len(items) or items[k + 1].label in ("heading", "column", "byline")


def find_groups(items: list[Labelled]) -> list[Group]:
    out = []
    i = 0
    while i < len(items):
        if items[i].label not in HEADING_LABELS or is_signature(items, i):
            i += 1
            continue
        j = i
        while j < len(items) and items[j].label in HEADING_LABELS and not (j > i and is_signature(items, j)):
            j += 1
        texts = [squeeze_heading(x.block.text) for x in items[i:j]]
        column = next((c for c in map(column_label, texts) if c), None)
        lines = tuple(t for t in texts if not column_label(t))
        after = items[j].label if j < len(items) else None
        lead = None
        if after == "lead":
            lead = "agency" if LEAD_AGENCY.match(bare(items[j].block.text)) else "date"
        out.append(Group(i, j, lines, column, after, lead, _photo_item(items, j)))
        i = j
    return out


def _two_phrases(line: str) -> bool:
    parts = line.split(" ")
    return len(parts) == 2 and all(len(p) >= 3 for p in parts)


def _closes(item: Labelled) -> bool:
    """Does this paragraph end the article above it (a byline or signature)?"""
    if item.label in ("byline", "org"):
        return True
    return item.label in TEXT_LABELS and bool(extract.split_tail_signature(item.block.text)[0])


def evidence(g: Group) -> list[tuple[int, str]]:
    """Points for (+) and against (-) the group opening an article, with reasons."""
    ev: list[tuple[int, str]] = []
    if g.lead == "agency":
        ev.append((3, "下文以“本报讯”开头"))
    elif g.lead == "date":
        ev.append((2, "下文以日期或“日前/近日”开头"))
    if g.column:
        ev.append((3, f"上方有栏目名【{g.column}】"))
    if g.after in ("byline", "org"):
        ev.append((3, "下方紧跟署名"))
    if any("——" in l or l.startswith("—") for l in g.lines):
        ev.append((2, "有破折号引题或副题"))
    if g.photo:
        ev.append((2, "下文是以摄影署名结尾的图片新闻"))
    if len(g.lines) >= 2:
        ev.append((1, "多行标题"))
    if g.lines and places.starts_with_place(g.lines[0] if len(g.lines) == 1 else g.lines[-1]):
        ev.append((1, "以地名或机构名开头"))
    if len(g.lines) == 1 and _two_phrases(g.lines[0]):
        ev.append((1, "两个短语并列（标题格式）"))
    if g.lines and all(is_subheading(l) for l in g.lines):
        ev.append((-3, "小标题格式（序号、冒号或逗号）"))
    return ev


def _strong(ev: list[tuple[int, str]]) -> bool:
    return any(p >= 2 for p, _ in ev)


def runs(items: list[Labelled], groups: list[Group]) -> set[int]:
    """Starts of groups that belong to a run of parallel subheads.

    Between two closings (a byline, a signature, a strong headline), two or
    more weak headlines of the same short shape are the sections of one
    article. A name-led headline is never part of a run.
    """
    in_run: set[int] = set()
    region: list[int] = []
    opener = [True]  # the first headline after a closing opens the article: not a section

    def flush() -> None:
        if len(region) >= 2:
            in_run.update(region)
        region.clear()
        opener[0] = True

    by_start = {g.start: g for g in groups}
    for k, item in enumerate(items):
        g = by_start.get(k)
        if g is None:
            if (_closes(item) and item.label != "org") or is_signature(items, k):
                flush()
            continue
        ev = evidence(g)
        if _strong(ev):
            flush()
            opener[0] = False
            continue
        if opener[0]:
            opener[0] = False
            continue
        score = sum(p for p, _ in ev)
        short = g.lines and max(len(bare(l)) for l in g.lines) <= RUN_MAX_LINE
        named = any("地名" in r for _, r in ev)
        if score >= 1 and short and not named:
            region.append(k)
    flush()
    return in_run


def confidence(score: int) -> float:
    return round(0.5 + 0.5 * math.tanh(0.6 * abs(score - 0.5)), 2)


def decide(g: Group, state: str, in_run: bool, line: int) -> Boundary:
    """``state``: ``none`` (no article yet or the last one is closed), ``empty``
    (an article with a headline and no text yet) or ``open``."""
    if state == "none":
        return Boundary(line, g.lines, True, 0.95, ("前文已结束或尚无文章",))
    if state == "empty":
        return Boundary(line, g.lines, False, 0.8, ("上一个标题下还没有正文：并入该标题",))
    ev = evidence(g)
    if in_run:
        ev.append((-2, "与前后几个短标题并列（文中的小标题系列）"))
    score = sum(p for p, _ in ev)
    reasons = tuple(f"{p:+d} {r}" for p, r in ev) or ("没有分篇的证据",)
    return Boundary(line, g.lines, score >= 1, confidence(score), reasons)
