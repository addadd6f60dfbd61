"""Stage 4: a page's labelled lines -> article drafts and leftovers.

The model (:mod:`bulletin.importer.crf`) gives every printed line a role and
marks the lines where an article begins; this stage only assembles: each
article is the lines from one mark to the next. Headline lines become
kicker, title and subtitle, credit lines its authors, body lines its
paragraphs (rejoined where a wrap cut them). A line naming the paper, its
issue number or the issue date is furniture whatever the model says. Nothing
is dropped: furniture and the tails of articles continued from other pages
are :class:`Leftover` lines with their line numbers.
"""

from __future__ import annotations

import datetime as dt
import re

from bulletin.importer import crf, extract, layoutfeatures
from bulletin.importer.captions import split_captions
from bulletin.importer.credits import credits_from_furniture, mend_credits, names_only
from bulletin.importer.features import page_features
from bulletin.importer.headline import split_headline
from bulletin.importer.layout import BRIEF_BULLETS, CONTINUED_FROM, bare, classify, column_label, headline_shaped, label, masthead, paragraphs
from bulletin.importer.lines import Line, page_lines
from bulletin.importer.normalize import squeeze_body, squeeze_heading
from bulletin.importer.prose import checked
from bulletin.importer.stages import Block, Boundary, Draft, Labelled, Leftover

__all__ = ["BRIEF_BULLETS", "classify", "label", "names_only", "paragraphs", "segment", "segment_page", "split_headline"]

_ISSUE_NO = re.compile(r"(?:总)?第\s*\d+\s*期")
_ANY_DATE = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?")
MIN_UNTITLED = 8  # characters: less, without a title, is a scrap (a cut page's last word), not an article
SHOWN = 0.005  # a line whose start probability is at least this is a boundary decision worth showing
LEFT = {"furn": "版面杂项（报头、版次、编辑署名等）", "cont": "上接他版的文字（不是本版文章）"}


def _issue_dates(issue: dt.date | None) -> list[str]:
    y, m, d = (issue.year, issue.month, issue.day) if issue else (0, 0, 0)
    return [f"{y}年{m}月{d}日", f"{y}.{m:02d}.{d:02d}", f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}"] if issue else []


def issue_furniture(lines: list[Line], issue: dt.date | None) -> set[int]:
    """Indexes of lines that name the paper, its issue number or the issue date
    (issue 30: such a line is never an article's title). A line that is a
    sentence (。 or ，) is text that mentions a date, not furniture."""
    dates = _issue_dates(issue)
    out: set[int] = set()
    papers: set[str] = set()
    for i, line in enumerate(lines):
        b = bare(line.text)
        if len(b) > 50 or re.search("[。，；！？]", b):
            continue
        if _ISSUE_NO.search(b) or any(d in b for d in dates) or (not dates and _ANY_DATE.fullmatch(b)):
            out.add(i)
            head = re.match(r"[^\d\s第（(]{3,12}", line.text.strip())
            if head and not head.group(0).startswith(("星期", "责")):
                papers.add(bare(head.group(0)))
    out |= {i for i, line in enumerate(lines) if bare(line.text) in papers}
    return out


def _credit(cur: Draft, text: str) -> bool:
    """A credit line: its names credit ``cur``; False when it names nobody."""
    b = bare(text)
    names = extract.byline_names(text) if extract.is_byline(text) else []
    names = names or names_only(text) or extract.photo_credit(text)
    if not names and extract.is_org_byline(b):
        names = [b]
    if names:
        cur.credit(names, squeeze_heading(text))
    return bool(names)


def _paragraph_starts(text: str) -> set[int]:
    return {b.line for b in paragraphs(text)}


def _joined(lines: list[str]) -> str | None:
    """One headline part printed on several lines (a wrapped title) as one line."""
    return "".join(squeeze_heading(l) for l in lines) or None


def _headline(cur: Draft, heads: dict[str, list[str]]) -> None:
    kicker, title, subtitle = (_joined(heads[k]) for k in ("kick", "title", "sub"))
    if title:
        title = title.lstrip(BRIEF_BULLETS + "□◎◇△ ")
        by = re.search(rf"\s+((?:{extract.ROLE}).*)$", title)
        if by and extract.is_byline(by.group(1)) and extract.byline_names(by.group(1)):
            cur.credit(extract.byline_names(by.group(1)), squeeze_heading(by.group(1)))  # 标题 本报记者 X on one line
            title = title[: by.start()]
        extra_kicker = extra_sub = None
        if "——" in title.strip("—"):  # 引题——主题 printed on one line
            extra_kicker, title, extra_sub = split_headline([title])
        cur.kicker = " ".join(x for x in (kicker, extra_kicker) if x) or None
        cur.title = title
        cur.subtitle = " ".join(x for x in (extra_sub, subtitle) if x) or None
    elif kicker or subtitle:
        cur.kicker, cur.title, cur.subtitle = split_headline([x for x in (kicker, subtitle) if x])


def _text(cur: Draft, text: str, first: bool, last: bool) -> tuple[str, str]:
    """A body paragraph, its credits taken out: 本报讯（记者 X）at the start, （通讯员 Y）
    or a signature at the end, a photographer's 摄 in a caption."""
    bullet = re.match(f"[{BRIEF_BULLETS}\\s]*", text).group(0)  # ●本报讯（通讯员 X）…。 通讯员 Y: a brief's item
    if first or bullet:  # credited at its start or its end as an article is
        names, rest = extract.split_lead_byline(text[len(bullet):])
        if names:
            cur.credit(names, squeeze_heading(text[len(bullet): len(text) - len(rest)]))
            text = bullet + rest
    names, rest = extract.split_tail_byline(text)
    credit = text[len(rest):]
    if (last or bullet) and not (names and rest.strip()):
        names, credit, rest = extract.split_tail_signature(text)
    if names and rest.strip():
        cur.credit(names, squeeze_heading(credit))
        text = rest.rstrip()
    text = squeeze_body(text)
    if classify(text)[0] == "caption":
        cur.credit(extract.photo_credit(text))
        return "caption", text
    return "text", text


def _assemble(chunk: list[tuple[Line, str]], starts: set[int], kind: str = "article") -> Draft:
    """One article's labelled lines -> its draft."""
    cur = Draft(chunk[0][0].line, kind=kind)
    heads: dict[str, list[str]] = {"kick": [], "title": [], "sub": []}
    notes: list[str] = []
    body: list[list[str]] = []  # [kind, text] in page order; kind text, sub or byl
    prev = ""
    for line, role in chunk:
        text = line.text
        role = role.rstrip("+")
        if role == "byl" and column_label(bare(text)):
            role = "col"  # 图片新闻 names no photographer
        if role == "col":
            cur.column = cur.column or column_label(bare(text)) or bare(text)
        elif role in heads and not body:
            heads[role].append(text)
        elif role == "note":
            notes.append(text.strip())
        elif role == "byl":
            if body or not (heads["title"] or heads["kick"]) or extract.is_byline(text) or names_only(text) \
                    or re.match(extract.AGENCY, bare(text)):  # 本报讯 记者X 通讯: a credit the line end cut
                body.append(["byl", text])
            elif not _credit(cur, text):
                heads["sub"].append(text)  # a note under the headline (审议批准…): its subtitle
        elif role != "body":
            body.append(["sub", squeeze_heading(text)])
        elif prev == "body" and line.line not in starts and body and body[-1][0] == "text":
            body[-1][1] += " " + text.strip()  # a wrapped line of the same paragraph
        else:
            body.append(["text", text.strip()])
        prev = role
    _headline(cur, heads)
    body = mend_credits(body)
    if notes:
        cur.paragraphs.append(("editor", squeeze_body("".join(notes))))
    texts = [i for i, (k, _) in enumerate(body) if k == "text"]
    if texts and not heads["title"] and CONTINUED_FROM.match(bare(body[texts[0]][1])):
        cur.kind = "fragment"  # （上接第二版）: the end of an article begun on another page
    if texts and bare(body[texts[0]][1])[:1] in BRIEF_BULLETS:
        cur.kind = "brief"  # a column of bulleted items: dated by the issue, each item credited
    for i, (k, t) in enumerate(body):
        if k == "byl":
            if not _credit(cur, t):
                cur.paragraphs.append(("text", squeeze_body(t)))
        elif k == "text":
            cur.paragraphs.append(_text(cur, t, i == texts[0], i == texts[-1]))
        else:
            cur.paragraphs.append((k, t))
    return cur


def segment_lines(lines: list[Line], labels: list[str], text: str) -> tuple[list[Draft], list[Leftover]]:
    """Labelled lines -> drafts (an article from each ``+`` label to the next) and leftovers."""
    drafts: list[Draft] = []
    leftovers: list[Leftover] = []
    starts = _paragraph_starts(text)
    chunk: list[tuple[Line, str]] = []
    kind = "article"

    def close() -> None:
        if not chunk:
            return
        d = _assemble(chunk, starts, kind)
        heads = " / ".join([x for x in (d.column, d.kicker, d.title, d.subtitle) if x] + [t for _, t in d.paragraphs])
        heads += f"（署名：{' / '.join(d.bylines or d.authors)}）" if d.bylines or d.authors else ""
        if d.started and not d.title and len(bare(heads)) < MIN_UNTITLED:
            leftovers.append(Leftover(d.line, heads, "零散文字（太短，不成文章）"))
        elif d.started:
            drafts.append(d)
        else:
            leftovers.append(Leftover(d.line, heads, "标题后没有正文"))
        chunk.clear()

    for line, lab in zip(lines, labels):
        role = lab.rstrip("+")
        if role in LEFT:
            leftovers.append(Leftover(line.line, line.text, LEFT[role]))
            continue
        if lab.endswith("+") or not chunk and not drafts:
            close()
            kind = "article" if lab.endswith("+") else "fragment"
        chunk.append((line, lab))
    close()
    leftovers.sort(key=lambda x: x.line)
    return drafts, leftovers


def label_page(lines: list[Line], issue: dt.date | None = None) -> tuple[list[str], list[float]]:
    """The model's label and start probability for each line, with the rules after it applied
    (furniture, credits read as furniture, an editor's note's headline, untitled captions)."""
    labels, probs = crf.tag(page_features(lines))
    labels = checked(lines, labels)
    furniture = issue_furniture(lines, issue)
    prose = [i for i, (l, lab) in enumerate(zip(lines, labels)) if lab == "cont" or (
        lab == "furn" and i not in furniture and len(bare(l.text)) >= 10 and re.search("[，。！？]", l.text))]
    if prose and not any(lab.endswith("+") for lab in labels):
        # A page of nothing but furniture and continued text is one the model misread (a
        # short page): its text is an article, under the headline-shaped line above it.
        j = prose[0]
        labels[j] = "cont"
        labels[j:] = ["body" if lab == "cont" else lab for lab in labels[j:]]
        above = lines[j - 1].text if j else ""
        if above and labels[j - 1] == "furn" and j - 1 not in furniture and headline_shaped(above) and not masthead(bare(above)):
            labels[j - 1] = "title+"
        else:
            labels[j] = "body+"
    credits_from_furniture(lines, labels, furniture)
    for i in sorted(furniture):
        if labels[i].endswith("+") and i + 1 < len(labels) and not labels[i + 1].endswith("+"):
            nxt = labels[i + 1].rstrip("+")
            if nxt not in LEFT:
                labels[i + 1] = ("title" if nxt == "head" else nxt) + "+"
        labels[i] = "furn"
    first = next((i for i, lab in enumerate(labels) if lab.rstrip("+") not in LEFT), None)
    if first is not None and not labels[first].endswith("+"):
        # Text before the page's first article start: body is the end of an article
        # begun on another page; any other role opens an article.
        role = labels[first]
        if role == "body":
            for i in range(first, len(labels)):
                if labels[i].endswith("+"):
                    break
                if labels[i] not in LEFT:
                    labels[i] = "cont"
        else:
            labels[first] = ("title" if role == "head" else role) + "+"
    kept = [i for i, lab in enumerate(labels) if lab.rstrip("+") not in LEFT]
    opened = -1
    for a, b in zip(kept, kept[1:]):
        opened = a if labels[a].endswith("+") else opened
        if labels[a].rstrip("+") == "note" and labels[b] in ("title+", "kick+") and opened >= 0 and labels[opened] == "note+" \
                and "编者按" in lines[opened].text[:6]:
            labels[b] = labels[b].rstrip("+")  # 【编者按】 opens the article under it, headline and all
    return split_captions(lines, labels), probs


def boundaries(lines: list[Line], labels: list[str], probs: list[float]) -> list[Boundary]:
    """A decision for every spot the model thinks might open an article: neighbouring
    lines that might (a kicker over a title, a column label over a headline) are one
    spot, as sure as its least sure line. A cut is as sure as the model's probability
    that an article begins on its line (low where a rule after the model made it); no
    cut, as sure as the probability that none begins on the line or the lines beside it
    (a headline of two lines spreads its doubt over both)."""
    out: list[Boundary] = []
    last = -2
    for i, (line, lab, p) in enumerate(zip(lines, labels, probs)):
        opens = lab.endswith("+")
        if not (opens or p >= SHOWN):
            continue
        near = sum(probs[j] for j in range(max(i - 1, 0), min(i + 2, len(lines))) if not labels[j].endswith("+"))
        conf = round(p if opens else max(1 - near, 0.0), 2)
        reason = f"模型：第 {line.line} 行开始新文章的概率 {p:.2f}"
        if out and i == last + 1:
            prev = out[-1]
            out[-1] = Boundary(prev.line if prev.opens or not opens else line.line, prev.lines + (line.text,),
                               prev.opens or opens, min(prev.confidence, conf), prev.reasons + (reason,))
        else:
            out.append(Boundary(line.line, (line.text,), opens, conf, (reason,)))
        last = i
    return out


def segment_page(text: str, issue: dt.date | None = None, layout=None) -> tuple[list[Draft], list[Leftover], list[Labelled], list[Boundary]]:
    """Raw page text -> drafts, leftovers, the labelled lines and the boundary decisions
    behind them (for ``--explain`` and the report); ``layout``: a PDF's or scan's evidence."""
    lines = layoutfeatures.attach(page_lines(text), layout)
    labels, probs = label_page(lines, issue)
    drafts, leftovers = segment_lines(lines, labels, text)
    items = [Labelled(Block(l.text, l.line), lab, f"{p:.2f}") for l, lab, p in zip(lines, labels, probs)]
    return drafts, leftovers, items, boundaries(lines, labels, probs)


def segment(text: str, issue: dt.date | None = None) -> tuple[list[Draft], list[Leftover]]:
    """Raw page text -> article drafts (in page order) and leftovers."""
    drafts, leftovers, _, _ = segment_page(text, issue)
    return drafts, leftovers
