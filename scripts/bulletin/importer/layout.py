"""Stage 2: cleaned paragraphs, each labelled with the evidence for its role.

Labels describe newspaper layout, not any one paper's wording: ``heading``
(short, no sentence end), ``column`` (a bracketed column label such as
【简讯】), ``byline``, ``org`` (an office's name alone on a line: a signature or
the front of a headline), ``caption`` (ends in a photo credit), ``brief``
(a bulleted news item), ``note`` (a bracketed aside), ``lead`` (body that opens
with a dateline such as 本报讯 or 9月18日), ``body`` and ``junk`` (page
furniture: page numbers, mastheads, continuation marks).
"""

from __future__ import annotations

import re

from bulletin.importer import extract
from bulletin.importer.normalize import CJK, TERMINAL, blocks, clean, line_mode, punctuate
from bulletin.importer.stages import Block, Labelled

BRIEF_BULLETS = "●◆■▲★"
# 一、 （一） 1. 第一条; OCR reads 一 as - or —, so -、 counts too.
ORDINAL = re.compile(r"^(?:（[一二三四五六七八九十\d]{1,3}）|[一二三四五六七八九十]{1,3}[、是]|[-—]、|\d{1,2}[、.．]|第[一二三四五六七八九十百\d]+[条章节])")
_JUNK = re.compile(r"^(?:第?[\d一二三四五六七八九十]+版|（?(?:下转|上接|转|接)第?[\d一二三四五六七八九十]+版）?|（?见[左右上下]?图）?|\W+)$")
# Page furniture: mastheads, dates with weekdays, page numbers, editors' credits.
_MASTHEAD = re.compile(r"责任编辑|责编|美编|校对|版式设计|组版|星期[一二三四五六日天]|第\s*[\d一二三四五六七八九十]+\s*版|本版")
# Column labels are a genre's vocabulary, the same in every paper.
COLUMN_WORDS = {
    "简讯", "短讯", "快讯", "要闻", "动态", "图片新闻", "图片报道", "图说", "社区动态", "基层动态", "工作动态",
    "社区新闻", "新闻速递", "一线传真", "身边事", "编者按", "聚焦", "关注", "特稿", "综述", "评论",
}
CONTINUED_FROM = re.compile(r"^（?(?:上接|接)第?[\d一二三四五六七八九十]+版）?")
CONTINUED_TO = re.compile(r"（?(?:下转|转)第?[\d一二三四五六七八九十]+版）?$")
EDITOR_NOTE = re.compile(r"^[【\[［〔]?编者按[】\]］〕：:]")
_COLUMN = re.compile(r"^[【\[［〖〔]\s*([^】\]］〗〕]{1,8})\s*[】\]］〗〕]$")
# Datelines that open a news story. 本报讯 is certain; a date or 日前/近日 at the
# very start of the paragraph after a headline is nearly so.
LEAD_AGENCY = re.compile(r"^(?:本报讯|本刊讯|本台讯|本网讯|讯\s*（|(?:本报|本刊|新华社|中新社)[^，。]{0,12}电)")
LEAD_DATE = re.compile(
    r"^(?:日前|近日|近期|前不久|近来|昨天|昨日|(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|上旬|中旬|下旬|初|底)|"
    r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|\d{1,2}日[，,])"
)


def bare(text: str) -> str:
    return text.replace(" ", "")


def _joins(a: str, b: str, full_line: bool = False) -> bool:
    """Was one paragraph broken between ``a`` and ``b`` (column or page end)?

    ``full_line``: ``a`` ends in a line as wide as the page's column (a page
    written one printed line per line), so the text runs on.
    """
    if extract.is_byline(a) or extract.is_byline(b) or extract.split_tail_signature(a)[0]:
        return False
    a, b = bare(a), bare(b)
    if not a or not b or a[-1] in TERMINAL or a.endswith("——") or b[0] in BRIEF_BULLETS:
        return False
    if full_line:
        return True
    if len(b) <= 30 and headline_shaped(b) and not re.search("[，。；、：]", b):
        return False  # a headline below an unfinished column, not the sentence's end
    if a[-1] in "，、":
        return True  # the sentence is unfinished
    if ORDINAL.match(b) or (a[-1] in "：:" and len(a) <= 20):
        return False
    if a.count("《") > a.count("》") or a.count("“") > a.count("”") or a.count("（") > a.count("）"):
        return True  # a title or quotation left open: the sentence goes on
    if a[-1] in "；—" or ((LEAD_DATE.match(a) or LEAD_AGENCY.match(a)) and "，" in a):
        return True  # an unfinished sentence; a dateline opens a sentence
    return len(a) > 48 or "。" in a


_MAX_JOINED = 5000


def column_width(items: list[Block]) -> int | None:
    """The width of a printed column when the page has one line per printed line."""
    return common_width([len(bare(b.text)) for b in items if "\n" not in b.text])


def common_width(lengths: list[int]) -> int | None:
    """The commonest line length, if a third of the lines share it (give or take one)."""
    if len(lengths) < 8:
        return None
    counts: dict[int, int] = {}
    for n in lengths:
        counts[n] = counts.get(n, 0) + 1
    support = {n: counts.get(n - 1, 0) + c + counts.get(n + 1, 0) for n, c in counts.items() if n >= 8}
    if not support:
        return None
    width = max(support, key=lambda n: (support[n], counts[n], n))
    return width if support[width] >= len(lengths) / 3 else None


def paragraphs(text: str) -> list[Block]:
    """Raw page text -> cleaned paragraphs with broken lines rejoined."""
    cleaned = clean(text)
    raw = [Block(punctuate(b.text), b.line) for b in blocks(cleaned)]
    width = column_width(raw) if line_mode(cleaned) else None
    out: list[Block] = []
    last_line = ""
    for block in raw:
        full = bool(width) and len(bare(last_line)) >= width - 1
        # A paragraph this long is not one broken by a column end; without the
        # limit, a raw file of lines that all join is quadratic (50 MB: hours).
        if out and len(out[-1].text) < _MAX_JOINED and _joins(out[-1].text, block.text, full):
            out[-1] = Block(out[-1].text + block.text.lstrip(), out[-1].line)
        else:
            out.append(block)
        last_line = block.text
    return out


def headline_shaped(text: str) -> bool:
    b = bare(text)
    if len(b) > 48 or "。" in b[:-1]:
        return False
    last = b[-1]
    if last in "。…；，、":
        return False
    return last not in "！？" or len(b) <= 24


def classify(text: str) -> tuple[str, str]:
    """(label, reason) of one paragraph from its own shape."""
    b = bare(text)
    if len(b) <= 1 or _JUNK.match(b) or not re.search(f"[{CJK}]", b):
        return "junk", "版面标记或残字"
    if masthead(b):
        return "junk", "报头、版次或编辑署名"
    if _COLUMN.match(b) or b in COLUMN_WORDS:
        return "column", "栏目名"
    if EDITOR_NOTE.match(b):
        return "editor", "编者按：属于下面的文章"
    if len(b) <= 80 and b.rstrip("）").endswith("摄") and extract.photo_credit(text):
        return "caption", "以摄影署名结尾"
    if extract.is_byline(text):
        return "byline", "署名格式"
    if b[0] in BRIEF_BULLETS:
        return "brief", "简讯圆点开头"
    if b.startswith("（") and b.endswith("）") and len(b) <= 90:
        return "note", "括号里的说明"
    if extract.is_org_byline(b):
        return "org", "单独一行的单位名称"
    if (LEAD_DATE.match(b) or LEAD_AGENCY.match(b)) and "，" in b:
        pass  # 9月18日，是… : a sentence cut by a column end, not a headline
    elif headline_shaped(b):
        return "heading", "短、无句末标点"
    if LEAD_AGENCY.match(b):
        return "lead", "以“本报讯”开头"
    if LEAD_DATE.match(b):
        return "lead", "以日期或“日前/近日”开头"
    return "body", "正文句子"


def label(items: list[Block]) -> list[Labelled]:
    return [Labelled(b, *classify(b.text)) for b in items]


def is_subheading(line: str) -> bool:
    """Shapes only a section heading has: 一、… / （一）… / …： / a comma inside."""
    b = bare(line)
    return b[-1] in "：:" or bool(ORDINAL.match(b)) or "，" in b


def masthead(b: str) -> bool:
    """Page furniture by its words: 责任编辑, 星期五, 第3版 on a short line."""
    return len(b) <= 40 and "。" not in b and bool(_MASTHEAD.search(b))


def spaced_label(line: str) -> bool:
    """社 区 动 态: a column label printed letter-spaced."""
    parts = line.split()
    return len(parts) >= 2 and all(len(p) == 1 for p in parts)


def column_label(line: str) -> str | None:
    b = bare(line)
    m = _COLUMN.match(b)
    return m.group(1) if m else (b if b in COLUMN_WORDS else None)
