"""Stage 4, credits: bylines and signatures the page printed awkwardly.

A line end cuts a credit in two (a name split between the byline's line and
the body, or between two credit lines), the model reads a signature printed
beside the folio as furniture: these read the credit whole again, so its
names credit the article above or below it.
"""

from __future__ import annotations

import re

from bulletin.importer import extract
from bulletin.importer.layout import bare, masthead
from bulletin.importer.lines import Line

_NOT_NAMES = {"待续", "未完", "续完", "完", "上", "下", "续"}


def names_only(note: str) -> list[str]:
    """``（丁艳芬 鲁瑛）`` or ``（青浦区委组织部）`` at an article's end is its byline."""
    tokens = re.split(r"[\s、，]+", note.strip("（）() ").strip())
    if not tokens or any(t in _NOT_NAMES for t in tokens):
        return []
    names = extract.byline_names(note)
    return names if len(names) == len(tokens) else []


def _names(text: str) -> list[str]:
    return extract.byline_names(text) if extract.is_byline(text) else names_only(text)


def mend_credits(body: list[list[str]]) -> list[list[str]]:
    """A credit a line end cut (``本报讯（记者 X 通讯员 储雅`` over ``婷）正文``, or over a
    second credit line): read with the line below it when that names someone more or
    someone whole, so a name is not cut in two. The cut may fall between two names
    or inside one, so both readings are tried."""
    out: list[list[str]] = []
    for kind, text in body:
        if out and out[-1][0] == "byl" and kind in ("byl", "text"):
            prev = out[-1][1].rstrip()
            before = _names(prev)
            cut = len(re.split(r"[\s（(：:/]", prev)[-1]) == 1 or len(re.split(r"[\s）)，。]", text.strip())[0]) == 1
            for joined in (prev + " " + text.lstrip(), prev + text.lstrip())[: 1 + cut]:  # 詹雨|萌: a name cut
                if kind == "text" and not _closes(prev, text):
                    names, rest = extract.split_lead_byline(joined)
                    if names and rest.strip() and _longer(names, before):
                        out[-1] = ["text", joined]
                        break
                elif _closes(prev, text) or _longer(_names(joined), before):
                    out[-1][1] = joined
                    break
            else:
                out.append([kind, text])
            continue
        out.append([kind, text])
    return out


def _closes(prev: str, text: str) -> bool:
    """``text`` is only the end of a bracket ``prev`` left open: ``（记者 X 通讯员 冉光`` over ``明）``."""
    b = bare(text)
    return _open(prev) and len(b) <= 8 and b[-1:] in "）)"


def _open(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _longer(names: list[str], before: list[str]) -> bool:
    """``names`` read from more text than gave ``before``: a name completed or added."""
    kept = max(len(before) - 1, 0)  # the last name may be the one cut
    return bool(names) and names != before and all(len(n) >= 2 for n in names) and names[:kept] == before[:kept]


def credits_from_furniture(lines: list[Line], labels: list[str], furniture: set[int]) -> None:
    """A credit under an article's text that the model read as furniture (an office's
    signature or a bracketed byline printed next to the folio) credits the article."""
    for i in range(1, len(lines)):
        b = bare(lines[i].text)
        if labels[i] != "furn" or i in furniture or masthead(b) or labels[i - 1].rstrip("+") not in ("body", "byl"):
            continue
        if extract.is_byline(lines[i].text) or extract.is_org_byline(b) or (b[:1] in "（(" and names_only(b)) or \
                (labels[i - 1] == "byl" and _closes(lines[i - 1].text, b)):
            labels[i] = "byl"
