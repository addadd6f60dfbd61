"""Checks on the model's labels that no page's context can overturn.

On a page of two or three lines the model has too little context: it may read
a sentence as a title. A line that no headline looks like is text, whatever
the model says; text that continues a sentence left open on the line above
opens no article; and a subhead never stands right above a headline, so
headline-shaped lines the model read there are the headline's kicker
(applied right after :func:`bulletin.importer.crf.tag`).
"""

from __future__ import annotations

from bulletin.importer import extract
from bulletin.importer.credits import names_only
from bulletin.importer.layout import bare, headline_shaped
from bulletin.importer.lines import Line

SENTENCE_END = "。！？!?…”’\"」』）)】"  # what ends a paragraph; any other last character leaves it open


def prose_is_body(line: Line, lab: str) -> str:
    """``lab``, or body (keeping an article start's ``+``) for a title or kicker line
    that ends a sentence inside it or runs over 48 characters."""
    role = lab.rstrip("+")
    return "body" + lab[len(role):] if role in ("title", "kick") and not headline_shaped(line.text) else lab


def names_someone(text: str) -> bool:
    """A credit line that names a person or an office (else it only looks like one)."""
    b = bare(text)
    return bool((extract.is_byline(text) and extract.byline_names(text)) or names_only(text)
                or extract.photo_credit(text) or extract.is_org_byline(b))


def checked(lines: list[Line], labels: list[str]) -> list[str]:
    """The model's labels with the checks of this module applied."""
    out = []
    for i, (line, lab) in enumerate(zip(lines, labels)):
        new = prose_is_body(line, lab)
        if new != lab and new.endswith("+") and out and out[-1] == "body" and bare(lines[i - 1].text)[-1:] not in SENTENCE_END:
            new = "body"  # …与此同时， over 做到禁烧、禁抛。: a sentence the OCR's blank line cut, not a new article
        out.append(new)
    for i, lab in enumerate(out):
        if lab != "title+":
            continue
        j = i
        while j > max(i - 2, 1) and not out[j - 1].endswith("+") and _phrase(lines[j - 1].text) and (
                out[j - 1] in ("head", "sub") or out[j - 1] == "byl" and not names_someone(lines[j - 1].text)):
            j -= 1
        if j < i and out[j] in ("head", "sub") and out[j - 1].rstrip("+") in ("body", "byl", "furn", "cont"):
            # 打造一流营商环境 / 破解服务难点 畅通投诉渠道 / “高效办成一件事”落地见效: a subhead is
            # followed by text, never by a headline, so these lines head the article below
            out[j:i + 1] = ["kick+"] + ["kick"] * (i - j - 1) + ["title"]
    return out


def _phrase(text: str) -> bool:
    """A line a kicker could be: headline-shaped, short, one or two phrases, no brackets
    (a line of an honour list, 郑玉兰（长虹街道） 高德顺（…）, is none)."""
    return headline_shaped(text) and len(bare(text)) <= 30 and len(text.split()) <= 2 and not any(c in text for c in "（()")
