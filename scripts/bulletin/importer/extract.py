"""Metadata from article text: bylines, the lead's date, programmes, summary.

Pure functions on strings; the segmenter decides which text is a byline or a
lead, these decide what it says.
"""

from __future__ import annotations

import datetime as dt
import re

from bulletin.importer import lexicon
from bulletin.importer.normalize import CJK
from bulletin.importer.pagememo import per_page

# One-character roles only where they cannot be a name's first character: 文/X and
# 图/X, X 摄 (文静怡, 图雅 and 徐文豪 are names).
ROLE = (
    r"(?:本报记者|本刊记者|特约记者|见习记者|实习记者|首席记者|记者|特约通讯员|通讯员|"
    r"实习生|撰稿|撰文|摄影|摄像|供稿|作者|编辑|责编|文字|图片|文\s*[/／]\s*图(?=[\s：:]|$)|图\s*[/／]\s*文(?=[\s：:]|$)|文图|"
    rf"(?<![{CJK}])[文图](?=\s*[/／：:])|(?<![{CJK}])摄(?![{CJK}]))"
)
ORG_SUFFIX = (
    r"(?:组织部|宣传部|统战部|办事处|办公室|委员会|工委|党委|党组|纪委|监委|政府|局|委|办|中心|"
    r"街道|镇|乡|社区|居委会|村委会|法院|检察院|支部|总支|协会|学会|工会|团委|妇联|公司|学校)"
)
_ROLE_RE = re.compile(ROLE)
_SEP = r"[\s：:/／]*"  # between a role and its names: 记者 X, 记者：X, 文/X
_NAME_RE = re.compile(rf"^(?:[{CJK}]{{2,5}}|[{CJK}]{{1,6}}·[{CJK}]{{1,8}})$")
_ORG_RE = re.compile(rf"^[{CJK}（）]{{3,20}}{ORG_SUFFIX}$")
BULLETS = "□■◇◆◎▲△"

# Whole-paragraph bylines: □通讯员 丁艳芬 / （记者 安晨莹 刘耀谷） / ·夏凡 张顺燕·
BOX_BYLINE = re.compile(rf"^[{BULLETS}]\s*(?:{ROLE}\s*)?[{CJK}][{CJK}\s·/、，]*$")
PAREN_BYLINE = re.compile(rf"^（\s*{ROLE}[^（）]{{1,40}}）$")
DOT_BYLINE = re.compile(rf"^[·•‧・]\s*[{CJK}][{CJK}\s、，]{{0,40}}[{CJK}]\s*[·•‧・]$")
ROLE_LINE = re.compile(rf"^{ROLE}{_SEP}[{CJK}]{{2,4}}(?:[\s、，]+(?:{ROLE}{_SEP})?[{CJK}]{{2,4}})*$")
# Inside a paragraph: 本报讯（记者朱江森 通讯员张梦原） at the start, （通讯员 李娟） at the end.
# 本报讯, 本刊讯 or a dateline 本报9月6日讯 / 本报九月六日讯.
AGENCY = r"(?:本[报刊台网](?:[\d一二三四五六七八九十〇]{1,2}月)?(?:[\d一二三四五六七八九十〇]{1,3}日)?讯|讯)"
# 本报讯 记者X 通讯员Y Z 正文: a name after the first of a role is followed by a space.
LEAD_BYLINE = re.compile(rf"^{AGENCY}\s*(（[^（）]{{2,40}}）|(?:{ROLE}\s*[{CJK}]{{2,4}}(?:\s+[{CJK}]{{2,4}}(?=\s))*\s*)+)\s*")
TAIL_BYLINE = re.compile(rf"\s*（\s*({ROLE}[^（）]{{1,40}})）$")
PHOTO_CREDIT = re.compile(rf"(?:{ROLE}\s*)?((?:[{CJK}]{{2,4}}\s*)+)(?:/\s*)?摄\s*）?$")


@per_page
def is_byline(text: str) -> bool:
    text = text.strip()
    if len(text) > 60:
        return False
    if BOX_BYLINE.match(text) or DOT_BYLINE.match(text) or ROLE_LINE.match(text):
        return bool(byline_names(text))
    lead = LEAD_BYLINE.match(text) or OPEN_LEAD_BYLINE.match(text)
    if lead and lead.end() == len(text):
        return bool(byline_names(text))  # 本报讯（记者 X）on a line of its own, the lead below it
    return bool(PAREN_BYLINE.match(text)) and bool(byline_names(text))


def is_org_byline(text: str) -> bool:
    """An office on a line of its own (``青浦区委组织部``) credited as the author.

    A headline can end the same way (街道成立党群服务中心); an office's name has
    no verb in it, so a common verb before the suffix rules it out.
    """
    if len(text) > 20 or " " in text or not _ORG_RE.match(text):
        return False
    stem = re.sub(ORG_SUFFIX + "$", "", text)
    return not any(
        lexicon.tag(stem[i:i + 2]) in ("v", "vn") and lexicon.freq(stem[i:i + 2]) >= 300
        for i in range(len(stem) - 1)
    )


# Role words a column end split with a space (通 讯员, 记 者): read whole again.
_SPLIT_ROLE = re.compile("|".join(
    r"\s*".join(word) for word in ("本报记者", "特约通讯员", "通讯员", "记者", "实习生", "摄影") ))


# A role word cut by a line end leaves pieces that look like names.
_ROLE_PIECES = {"通讯", "讯员", "实习", "习生", "本报", "报记", "本报记"}


def _pieces(tokens: list[str]) -> list[str]:
    """Join the pieces of names a line end or OCR cut with a space: 王 敏 (two
    characters spaced), 应 佳琪 and 谭雪 松 (one character cut off)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if len(tok) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) <= 2:
            out.append(tok + tokens[i + 1])  # 王 敏, 应 佳琪
            i += 2
            continue
        if len(tok) == 1 and out and len(out[-1]) == 2:
            out[-1] += tok  # 谭雪 松
        else:
            out.append(tok)
        i += 1
    return out


def byline_names(text: str) -> list[str]:
    """Names in a byline, roles dropped: 记者朱江森 通讯员张梦原 -> [朱江森, 张梦原]."""
    text = text.strip().strip(BULLETS + "·•‧・（）() ")
    text = re.sub(rf"^{AGENCY}", "", text)
    text = re.sub(r"摄$", "", text).strip()
    text = _SPLIT_ROLE.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
    names = []
    for chunk in _ROLE_RE.split(text):
        tokens = [t.strip("·") for t in re.split(r"[\s、，,/／：:]+", chunk) if t.strip("·")]
        cjk_only = all(re.fullmatch(f"[{CJK}]+", t) for t in tokens)
        for token in _pieces(tokens) if cjk_only else tokens:
            if (_NAME_RE.match(token) or _ORG_RE.match(token)) and token not in _ROLE_PIECES:
                names.append(token)
    return list(dict.fromkeys(names))


def dateline(bylines: list[str]) -> str:
    """The dated agency line a lead's byline began with (本报9月6日讯), else ""."""
    for byline in bylines:
        m = re.match(AGENCY, byline.replace(" ", ""))
        if m and "日" in m.group(0):
            return m.group(0)
    return ""


# A bracketed lead byline a line end cut in two: 本报讯（记者 X 通讯员 Y | Z）正文…
OPEN_LEAD_BYLINE = re.compile(rf"^{AGENCY}\s*（[^（）]{{2,40}}$")
CLOSING_CREDIT = re.compile(rf"^\s*(?:{ROLE}|员|讯员|者|习生|生)?\s*([{CJK}\s]{{2,20}})）")


def split_lead_byline(paragraph: str) -> tuple[list[str], str]:
    """``本报讯（记者 X）正文`` -> ([X], 正文); also the end of a bracketed byline
    whose start was printed on the line above (``Z）正文`` -> ([Z], 正文))."""
    m = LEAD_BYLINE.match(paragraph)
    if not m:
        m = CLOSING_CREDIT.match(paragraph)
        names = paren_names(m.group(1)) if m else []
        return (names, paragraph[m.end():]) if names else ([], paragraph)
    names = byline_names(m.group(1))
    return (names, paragraph[m.end():]) if names else ([], paragraph)


def split_tail_byline(paragraph: str) -> tuple[list[str], str]:
    """``正文。（通讯员 李娟）`` -> ([李娟], 正文。)."""
    m = TAIL_BYLINE.search(paragraph)
    if not m or m.start() == 0:
        return [], paragraph
    names = byline_names(m.group(1))
    return (names, paragraph[: m.start()]) if names else ([], paragraph)


# At the end of a paragraph, after its last sentence: "…风景线。 通讯员 孟洁",
# "…情感。王若旭 摄", "…增添力量。 青浦区委组织部".
_SENTENCE_ENDS = "。！？”…」』\""
_AFTER_SENTENCE = rf"(?<=[{_SENTENCE_ENDS}])\s*"
TAIL_ROLE = re.compile(rf"{_AFTER_SENTENCE}((?:{ROLE}{_SEP}[{CJK}]{{2,4}}(?:\s+[{CJK}]{{2,4}}){{0,3}}\s*){{1,4}})$")
TAIL_PHOTO = re.compile(rf"{_AFTER_SENTENCE}((?:{ROLE}\s*)?(?:[{CJK}]{{2,4}}\s*){{1,3}}摄)$")
TAIL_ORG = re.compile(rf"{_AFTER_SENTENCE}([{CJK}]{{3,20}}{ORG_SUFFIX})$")


@per_page
def split_tail_signature(paragraph: str) -> tuple[list[str], str, str]:
    """(names, credit as printed, text before it) for a credit ending a paragraph.

    Covers ``（通讯员 李娟）``, a role and names after the last sentence, a photo
    credit, and an office's name after the last sentence.
    """
    names, rest = split_tail_byline(paragraph)
    if names:
        return names, paragraph[len(rest):].strip(), rest
    # The credits below follow a sentence end and hold none: they can only begin right
    # after the last one (one match tried there, not a search along the paragraph).
    end = max(map(paragraph.rfind, _SENTENCE_ENDS)) + 1
    if not end:
        return [], "", paragraph
    m = TAIL_NAMES.match(paragraph, end)
    if m and m.start() > 0 and (names := paren_names(m.group(1))):
        return names, m.group(0).strip(), paragraph[: m.start()]
    for pattern in (TAIL_ROLE, TAIL_PHOTO, TAIL_ORG):
        m = pattern.match(paragraph, end)
        if not m or m.start() == 0:
            continue
        credit = m.group(1).strip()
        if pattern is TAIL_ORG and not is_org_byline(credit):
            continue
        if pattern is TAIL_ROLE and re.match(f"^[文图摄][{CJK}]", credit):
            continue  # …。文化站 is text, 文 张三 a credit
        found = [credit] if pattern is TAIL_ORG else byline_names(credit)
        if found:
            return found, credit, paragraph[: m.start()]
    return [], "", paragraph


# （向宇航） or （段丽萍 杨明轩） after the last sentence: names alone, no role.
TAIL_NAMES = re.compile(rf"{_AFTER_SENTENCE}（([{CJK}\s、]{{2,40}})）$")
_NOT_CREDITS = re.compile("^(?:待续|未完|续完|完|上|下|续|附图|资料图|图片|示意图)$|[图照片稿版]$|第|^(?:下转|上接|转|接|见)")


def paren_names(inner: str) -> list[str]:
    """Every word in brackets a person's name (not a dictionary word, not 待续 or 资料图)."""
    tokens = _pieces([t for t in re.split(r"[\s、]+", inner.strip()) if t])
    if not tokens or any(_NOT_CREDITS.search(t) or not _NAME_RE.match(t) or lexicon.is_common(t) for t in tokens):
        return []
    return tokens


def photo_credit(text: str) -> list[str]:
    """Photographers of a caption: ``本报记者 朱江森 摄`` -> [朱江森]."""
    text = text.strip()
    if not text.rstrip("）").endswith("摄"):
        return []  # cheap test first: the pattern backtracks over a long paragraph
    m = PHOTO_CREDIT.search(text[-60:])
    return byline_names(m.group(1)) if m else []


_DATE_RE = re.compile(r"(?:(\d{4})\s*年)?\s*(?:(\d{1,2})\s*月)?\s*(\d{1,2})\s*日")


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DATE_RE = re.compile(r"([〇一二三四五六七八九十]{1,3})(?=月)|(?<=月)([〇一二三四五六七八九十]{1,3})(?=日)|(?<![〇一二三四五六七八九十])([一二三十]{1,3}[〇一二三四五六七八九十]?)(?=日[，,])")


def _cn_number(text: str) -> str:
    """九月二十一日 -> 9月21日 (only month and day numbers)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))
    return "".join(str(_CN_DIGITS[c]) for c in text)


# Days named relative to the issue: 昨日 is the day before the issue date.
_RELATIVE_RE = re.compile(r"(昨日|昨天|前日|前天)")
_DAYS_BACK = {"昨日": 1, "昨天": 1, "前日": 2, "前天": 2}


def lead_date(lead: str, issue: dt.date) -> dt.date | None:
    """The first calendar day the lead names, resolved against the issue date."""
    lead = _CN_DATE_RE.sub(lambda m: _cn_number(m.group(0)), lead)
    relative = _RELATIVE_RE.search(lead[:40])
    for m in _DATE_RE.finditer(lead):
        if relative and relative.start() < m.start():
            break
        year, month, day = m.group(1), m.group(2), int(m.group(3))
        if not month and lead[max(0, m.start() - 1):m.start()].isdigit():
            continue
        y = int(year) if year else issue.year
        mo = int(month) if month else issue.month
        try:
            found = dt.date(y, mo, day)
        except ValueError:
            continue
        if year and abs((issue - found).days) > 366:
            continue  # a historical date (1921年7月1日), not the event's day
        if not year and found > issue + dt.timedelta(days=7):
            # 12月30日 in a January issue, or 28日 early in a month: the past one.
            if month:
                found = _safe_date(y - 1, mo, day)
            else:
                found = _safe_date(y if mo > 1 else y - 1, mo - 1 if mo > 1 else 12, day)
        return found
    if relative:
        return issue - dt.timedelta(days=_DAYS_BACK[relative.group(1)])
    return None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def summary(paragraphs: list[str], limit: int = 90) -> str:
    """One line for listings: the lead, cut at a sentence end where possible."""
    text = "".join(paragraphs).strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind(c, 0, limit) for c in "。！？；")
    return text[: cut + 1] if cut >= limit // 2 else text[:limit] + "…"
