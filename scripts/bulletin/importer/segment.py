"""Stage 4: labelled paragraphs and boundary decisions -> article drafts.

Walks the page once. A headline group that :mod:`boundaries` says opens an
article starts a draft; one that does not becomes its subheadings. Bylines
and signatures credit the current draft and close it; text after a closed
draft without a headline is a continuation fragment of its own. Nothing is
dropped: what belongs to no article is a :class:`Leftover` with its line.
"""

from __future__ import annotations

import re

from bulletin.importer import boundaries, extract
from bulletin.importer.headline import split_headline
from bulletin.importer.layout import BRIEF_BULLETS, CONTINUED_FROM, CONTINUED_TO, ORDINAL, bare, classify, label, paragraphs
from bulletin.importer.normalize import squeeze_body, squeeze_heading
from bulletin.importer.stages import Boundary, Draft, Labelled, Leftover

__all__ = ["BRIEF_BULLETS", "classify", "label", "names_only", "paragraphs", "segment", "segment_page", "split_headline"]

_NOT_NAMES = {"待续", "未完", "续完", "完", "上", "下", "续"}


def names_only(note: str) -> list[str]:
    """``（丁艳芬 鲁瑛）`` or ``（青浦区委组织部）`` at an article's end is its byline."""
    tokens = re.split(r"[\s、，]+", note.strip("（）() ").strip())
    if not tokens or any(t in _NOT_NAMES for t in tokens):
        return []
    names = extract.byline_names(note)
    return names if len(names) == len(tokens) else []


def _standfirst_byline(cur: Draft, items: list[Labelled], i: int) -> bool:
    """A byline below an article's first paragraph, with more of its text below
    (a section 一、… or plain text), credits it without ending it."""
    if len(cur.text_paragraphs()) != 1 or i + 1 >= len(items):
        return False
    nxt = items[i + 1]
    return nxt.label in ("body", "heading") and bool(ORDINAL.match(bare(nxt.block.text)))


class _Walker:
    def __init__(self, items: list[Labelled]):
        self.items = items
        self.groups = {g.start: g for g in boundaries.find_groups(items)}
        self.in_run = boundaries.runs(items, list(self.groups.values()))
        self.drafts: list[Draft] = []
        self.leftovers: list[Leftover] = []
        self.decisions: list[Boundary] = []
        self.cur: Draft | None = None
        self.editor_notes: list[str] = []  # 编者按 waiting for the headline it introduces

    def state(self) -> str:
        cur = self.cur
        if cur is None or cur.closed or cur.kind == "fragment":
            return "none"
        return "open" if cur.started else "empty"

    def open(self, line: int, kind: str = "article") -> Draft:
        self.cur = Draft(line, kind=kind)
        self.drafts.append(self.cur)
        return self.cur

    def heading_group(self, g: boundaries.Group) -> None:
        items = self.items[g.start:g.end]
        lines = list(g.lines)
        lead_org = None
        if len(lines) >= 2 and items[-1].label == "org" and g.after in boundaries.TEXT_LABELS:
            lead_org = lines.pop()  # 青浦区委组织部 under the headline: its author
        decision = boundaries.decide(g, self.state(), g.start in self.in_run, items[0].block.line)
        self.decisions.append(decision)
        if decision.opens or self.cur is None:
            cur = self.open(items[0].block.line)
            cur.column = g.column
            if lines:
                cur.kicker, cur.title, cur.subtitle = split_headline(lines)
            elif g.column and g.after == "brief":
                cur.title = g.column  # 社区动态 over a column of briefs names them
            cur.paragraphs += [("editor", n) for n in self.editor_notes]
            self.editor_notes = []
        else:
            cur = self.cur
            if g.column:
                lines.insert(0, g.column)
            cur.paragraphs += [("sub", l) for l in lines]
        if lead_org:
            cur.credit([bare(lead_org)], bare(lead_org))

    def text(self, block_text: str, line: int) -> None:
        cur = self.cur
        if cur is None or cur.closed or CONTINUED_FROM.match(bare(block_text)):
            cur = self.open(line, kind="fragment")  # （上接第一版）: another article's end
        text = block_text.strip()  # bylines are cut before squeezing: their spaces part names
        if not cur.started:
            names, rest = extract.split_lead_byline(text)
            if names:
                cur.credit(names, squeeze_heading(text[: len(text) - len(rest)]))
                text = rest
        if cur.kind != "brief":
            names, credit, rest = extract.split_tail_signature(text)
            if names and rest.strip():
                cur.credit(names, squeeze_heading(credit))
                text, cur.closed = rest, True
        cur.paragraphs.append(("text", squeeze_body(text)))
        if CONTINUED_TO.search(bare(text)):
            cur.closed = True  # （下转第四版）: the rest is on another page

    def walk(self) -> None:
        items = self.items
        i = 0
        while i < len(items):
            g = self.groups.get(i)
            if g is not None:
                self.heading_group(g)
                i = g.end
                continue
            item = items[i]
            kind, block, cur = item.label, item.block, self.cur
            if kind == "org":  # a signature (boundaries.is_signature)
                if cur is None or not cur.started:
                    self.leftovers.append(Leftover(block.line, block.text, "署名前没有文章"))
                else:
                    cur.credit([bare(block.text)], bare(block.text))
                    cur.closed = True
            elif kind == "editor":
                self.editor_notes.append(squeeze_body(block.text))
            elif kind == "junk":
                self.leftovers.append(Leftover(block.line, block.text, f"零散文字（{item.reason}）"))
            elif kind == "byline":
                if cur is None:
                    self.leftovers.append(Leftover(block.line, block.text, "署名前没有文章"))
                else:
                    cur.credit(extract.byline_names(block.text), squeeze_heading(block.text))
                    cur.closed = cur.started and not _standfirst_byline(cur, items, i)
            elif kind == "note" and cur is not None and not cur.started and cur.subtitle is None and cur.title:
                cur.subtitle = squeeze_body(block.text)
            elif kind == "note" and cur is not None and cur.started and not cur.closed and names_only(block.text):
                cur.credit(names_only(block.text), squeeze_heading(block.text))
                cur.closed = True
            elif kind == "caption" and cur is not None:
                cur.credit(extract.photo_credit(block.text))
                cur.paragraphs.append(("caption", squeeze_body(block.text)))
            elif kind == "brief":
                if cur is None or cur.closed or (cur.started and cur.kind != "brief"):
                    cur = self.open(block.line, kind="brief")
                cur.kind = "brief"
                names, _ = extract.split_tail_byline(block.text)
                cur.credit(names)
                cur.paragraphs.append(("text", squeeze_body(block.text)))
            else:  # body, lead, or a note/caption with no article to hold it
                self.text(block.text, block.line)
            i += 1

    def result(self) -> tuple[list[Draft], list[Leftover]]:
        for note in self.editor_notes:  # no headline followed: the note stays with the text above
            self.text(note, self.items[-1].block.line)
        kept = []
        for d in self.drafts:
            if d.started:
                kept.append(d)
            else:
                # Everything the draft holds, so no text is lost: subheadings, bylines too.
                heads = " / ".join([x for x in (d.column, d.kicker, d.title, d.subtitle) if x] + [t for _, t in d.paragraphs])
                heads += f"（署名：{' / '.join(d.bylines or d.authors)}）" if d.authors else ""
                self.leftovers.append(Leftover(d.line, heads, "标题后没有正文"))
        self.leftovers.sort(key=lambda x: x.line)
        return kept, self.leftovers


def segment_page(text: str) -> tuple[list[Draft], list[Leftover], list[Labelled], list[Boundary]]:
    """Raw page text -> drafts, leftovers, and the labelled paragraphs and
    boundary decisions behind them (for ``--explain`` and the report)."""
    items = label(paragraphs(text))
    walker = _Walker(items)
    walker.walk()
    drafts, leftovers = walker.result()
    return drafts, leftovers, items, walker.decisions


def segment(text: str) -> tuple[list[Draft], list[Leftover]]:
    """Raw page text -> article drafts (in page order) and leftovers."""
    drafts, leftovers, _, _ = segment_page(text)
    return drafts, leftovers
