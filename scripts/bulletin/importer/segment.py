"""Cut one raw page into articles.

A page is a sequence of paragraphs; each is classified by its shape (headline,
byline, body, brief item, caption, note, junk) and a small state machine
groups them: a headline group opens an article, a byline before the body is
the author, a byline after it closes the article. What a closed article is
followed by, without a headline, is a continuation fragment of its own. Rules
follow newspaper layout, not any one bulletin's wording.
"""

from __future__ import annotations

import re

from bulletin.importer import extract, places
from bulletin.importer.normalize import CJK, TERMINAL, blocks, clean, punctuate, squeeze_body, squeeze_heading
from bulletin.importer.stages import Block, Draft, Leftover

BRIEF_BULLETS = "●◆■▲★"
_ORDINAL = re.compile(r"^(?:（[一二三四五六七八九十\d]{1,3}）|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[、.．]|第[一二三四五六七八九十百\d]+[条章节])")
_JUNK = re.compile(r"^(?:第?[\d一二三四五六七八九十]+版|（?(?:下转|上接|转)第?[\d一二三四五六七八九十]+版）?|（?见[左右上下]?图）?|\W+)$")
# Page furniture: mastheads, dates with weekdays, page numbers, editors' credits.
_MASTHEAD = re.compile(r"责任编辑|责编|美编|校对|版式设计|组版|星期[一二三四五六日天]|第\s*[\d一二三四五六七八九十]+\s*版|本版")
_NOT_NAMES = {"待续", "未完", "续完", "完", "上", "下", "续"}
_KICKER_SPLIT = re.compile(r"^(.{4,}?——)\s*(\S.{3,})$")






def _bare(text: str) -> str:
    return text.replace(" ", "")


def classify(text: str) -> str:
    bare = _bare(text)
    if len(bare) <= 1 or _JUNK.match(bare) or not re.search(f"[{CJK}]", bare):
        return "junk"
    if len(bare) <= 40 and "。" not in bare and _MASTHEAD.search(bare):
        return "junk"
    if len(bare) <= 80 and bare.rstrip("）").endswith("摄") and extract.photo_credit(text):
        return "caption"
    if extract.is_byline(text):
        return "byline"
    if bare[0] in BRIEF_BULLETS:
        return "brief"
    if bare.startswith("（") and bare.endswith("）") and len(bare) <= 90:
        return "note"
    if extract.is_org_byline(bare):
        return "org"
    if _headline_shaped(bare):
        return "heading"
    return "body"


def _headline_shaped(bare: str) -> bool:
    if len(bare) > 48 or "。" in bare[:-1]:
        return False
    last = bare[-1]
    if last in "。…；，、":
        return False
    return last not in "！？" or len(bare) <= 24


def _joins(a: str, b: str) -> bool:
    """Was one paragraph broken between ``a`` and ``b`` (column or page end)?"""
    a, b = _bare(a), _bare(b)
    if not a or not b or a[-1] in TERMINAL or a.endswith("——"):
        return False
    if extract.is_byline(a) or extract.is_byline(b) or b[0] in BRIEF_BULLETS:
        return False
    if a[-1] in "，、":
        return True  # the sentence is unfinished
    if _ORDINAL.match(b) or (a[-1] in "：:" and len(a) <= 20):
        return False
    if a[-1] in "；—":
        return True
    return len(a) > 48 or "。" in a


_MAX_JOINED = 5000


def paragraphs(text: str) -> list[Block]:
    """Raw page text -> cleaned paragraphs with broken lines rejoined."""
    out: list[Block] = []
    for block in blocks(clean(text)):
        block = Block(punctuate(block.text), block.line)
        # A paragraph this long is not one broken by a column end; without the
        # limit, a raw file of lines that all join is quadratic (50 MB: hours).
        if out and len(out[-1].text) < _MAX_JOINED and _joins(out[-1].text, block.text):
            out[-1] = Block(out[-1].text + block.text.lstrip(), out[-1].line)
        else:
            out.append(block)
    return out


def _is_subheading(line: str) -> bool:
    bare = _bare(line)
    return bare[-1] in "：:" or bool(_ORDINAL.match(bare)) or "，" in bare


def names_only(note: str) -> list[str]:
    """``（丁艳芬 鲁瑛）`` or ``（青浦区委组织部）`` at an article's end is its byline."""
    tokens = re.split(r"[\s、，]+", note.strip("（）() ").strip())
    if not tokens or any(t in _NOT_NAMES for t in tokens):
        return []
    names = extract.byline_names(note)
    return names if len(names) == len(tokens) else []


def _is_couplet(line: str) -> bool:
    parts = line.split(" ")
    return len(parts) == 2 and all(len(p) >= 4 for p in parts) and not places.starts_with_place(line)


def split_headline(lines: list[str]) -> tuple[str | None, str, str | None]:
    """Kicker (引题), title and subtitle (副题) from a group of headline lines."""
    flat: list[str] = []
    # 夏阳街道： on its own line is the front of the headline below it.
    merged: list[str] = []
    for line in lines:
        if merged and merged[-1].endswith(("：", ":")) and len(merged[-1]) <= 12:
            merged[-1] += line
        else:
            merged.append(line)
    for line in merged:
        m = _KICKER_SPLIT.match(line)
        flat += [m.group(1), m.group(2)] if m and not line.startswith("—") else [line]
    kickers = [l for l in flat if l.endswith("——")]
    subs = [l for l in flat if l.startswith("—")]
    plain = [l for l in flat if l not in kickers and l not in subs]
    kicker = title = subtitle = None
    if not plain:
        plain = [flat[-1].strip("—")]
        kickers = kickers[:-1] if kickers and kickers[-1] == flat[-1] else kickers  # not its twins
    if len(plain) == 1:
        title = plain[0]
    elif len(plain) == 2:
        first, second = plain
        promote = (places.starts_with_place(second) and not places.starts_with_place(first)) or (
            _is_couplet(first) and not _is_couplet(second)
        )
        if promote and not kickers:
            kicker, title = first, second
        else:
            title, subtitle = first, second
    elif kickers:
        title, subtitle = plain[0], " ".join(plain[1:])
    else:
        kicker, title, subtitle = plain[0], plain[1], " ".join(plain[2:])
    kicker = " ".join(kickers + ([kicker] if kicker else [])) or None
    subtitle = " ".join(([subtitle] if subtitle else []) + subs) or None
    return kicker, title, subtitle


def _opens_article(group: list[str], cur: Draft | None, next_kind: str | None) -> bool:
    if cur is None or cur.closed or cur.kind == "fragment" or next_kind in ("byline", "org"):
        return True
    if not cur.started:
        return False
    if all(_is_subheading(l) for l in group):
        return False
    if len(group) >= 2 or any("——" in l for l in group):
        return True
    line = group[0]
    if line.rstrip().endswith(("：", ":")):
        return False
    # Two phrases with a space are a headline's shape (延伸网格触角 做群众知心人).
    two_phrases = len(line.split(" ")) == 2 and all(len(p) >= 3 for p in line.split(" "))
    return places.starts_with_place(line) or two_phrases


def segment(text: str) -> tuple[list[Draft], list[Leftover]]:
    """Raw page text -> article drafts (in page order) and leftovers."""
    items = [(classify(b.text), b) for b in paragraphs(text)]
    drafts: list[Draft] = []
    leftovers: list[Leftover] = []
    cur: Draft | None = None
    i = 0
    while i < len(items):
        kind, block = items[i]
        nxt = items[i + 1][0] if i + 1 < len(items) else None
        if kind == "org" and cur is not None and cur.started and not cur.closed and nxt in (None, "heading", "byline"):
            cur.credit([_bare(block.text)], _bare(block.text))
            cur.closed = True
            i += 1
            continue
        if kind in ("heading", "org"):
            j = i
            group: list[Block] = []
            while j < len(items) and items[j][0] in ("heading", "org"):
                group.append(items[j][1])
                j += 1
            after = items[j][0] if j < len(items) else None
            lead_org = None
            if len(group) >= 2 and items[j - 1][0] == "org" and after == "body":
                lead_org = group.pop()
            lines = [squeeze_heading(b.text) for b in group]
            if _opens_article(lines, cur, "org" if lead_org else after):
                cur = Draft(group[0].line)
                cur.kicker, cur.title, cur.subtitle = split_headline(lines)
                drafts.append(cur)
            else:
                cur.paragraphs += [("sub", l) for l in lines]
            if lead_org:
                cur.credit([_bare(lead_org.text)], _bare(lead_org.text))
            i = j
            continue
        i += 1
        if kind == "junk":
            leftovers.append(Leftover(block.line, block.text, "零散文字（版面标记或残字）"))
        elif kind == "byline":
            names = extract.byline_names(block.text)
            if cur is None:
                leftovers.append(Leftover(block.line, block.text, "署名前没有文章"))
                continue
            cur.credit(names, squeeze_heading(block.text))
            cur.closed = cur.started
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
                cur = Draft(block.line, kind="brief")
                drafts.append(cur)
            cur.kind = "brief"
            names, _ = extract.split_tail_byline(block.text)
            cur.credit(names)
            cur.paragraphs.append(("text", squeeze_body(block.text)))
        else:  # body, or a note/caption with no article to hold it
            if cur is None or cur.closed:
                cur = Draft(block.line, kind="fragment")
                drafts.append(cur)
            text = block.text.strip()  # bylines are cut before squeezing: their spaces part names
            if not cur.started:
                names, rest = extract.split_lead_byline(text)
                if names:
                    cur.credit(names, squeeze_heading(text[: len(text) - len(rest)]))
                    text = rest
            names, rest = extract.split_tail_byline(text)
            if names and cur.kind != "brief":
                cur.credit(names, squeeze_heading(text[len(rest):]))
                text, cur.closed = rest, True
            cur.paragraphs.append(("text", squeeze_body(text)))
    kept = []
    for d in drafts:
        if d.started:
            kept.append(d)
        else:
            # Everything the draft holds, so no text is lost: subheadings, bylines too.
            heads = " / ".join([x for x in (d.kicker, d.title, d.subtitle) if x] + [t for _, t in d.paragraphs])
            heads += f"（署名：{' / '.join(d.bylines or d.authors)}）" if d.authors else ""
            leftovers.append(Leftover(d.line, heads, "标题后没有正文"))
    return kept, leftovers
