"""Stage 2 of the learned segmentation: each printed line -> the model's features.

The evidence the hand-set rules used (datelines, byline and signature shapes,
subheading shapes, place names, column labels, masthead words, lengths,
punctuation) becomes features of a line, together with the same features of
its neighbours; the model (:mod:`bulletin.importer.crf`) learns how much each
counts from labelled pages. Features describe shapes only, never a page's
wording: no word of a particular paper or article appears here.
"""

from __future__ import annotations

import re

from bulletin.importer import extract, layoutfeatures, places
from bulletin.importer.layout import (
    CONTINUED_FROM, CONTINUED_TO, EDITOR_NOTE, LEAD_AGENCY, LEAD_DATE, ORDINAL, bare, column_label, common_width,
    headline_shaped, is_subheading, masthead, spaced_label,
)
from bulletin.importer.lines import Line
from bulletin.importer.normalize import CJK

# Bump when features change in a way the fingerprint cannot see (it hashes this file too).
VERSION = 1

_CJK_RE = re.compile(f"[{CJK}]")
_NOT_CJK = re.compile(f"[^{CJK}]+")  # what is left is the Chinese characters (counted without a list of each)
_BULLETS = "●◆■▲★□◎◇△·•"
_ISSUE_NO = re.compile(r"第\s*\d+\s*期|总第\s*\d+\s*期")
_PLACE_END = re.compile(r"(?:街道|镇|乡|社区|村|区|县|市)$")  # a place alone may open a two-line title
_NAMES = re.compile(f"[{CJK}]{{1,3}}(?:[ 　、][{CJK}]{{1,3}}){{0,3}}")
_SPEAKER = re.compile(f"^[{CJK}]{{1,4}}[：:]")
_ENCLOSING = "（）()【】[]〔〕·•—- "  # what papers print around a credit of names alone
_CLAUSE_END = re.compile(r"[，。、；：！？]")
_DATE = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}")


def _length_bucket(n: int) -> str:
    for limit in (2, 6, 12, 20, 30, 45, 80):
        if n <= limit:
            return str(limit)
    return "long"


def _char_class(ch: str) -> str:
    if ch == "。":
        return "stop"
    if ch in "？！?!":
        return "ask"
    if ch in "”’」』\"'":
        return "closeq"
    if ch in "“‘「『":
        return "openq"
    if ch in "，、；":
        return "comma"
    if ch in "：:":
        return "colon"
    if ch in "—-－":
        return "dash"
    if ch in "）)】]〕》":
        return "close"
    if ch in "（(【[〔《":
        return "open"
    if ch in _BULLETS:
        return "bullet"
    if ch.isdigit():
        return "digit"
    if _CJK_RE.match(ch):
        return "cjk"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return "other"


def page_width(lines: list[Line]) -> int | None:
    """The printed column's width when the page keeps one printed line per line."""
    return common_width([len(bare(l.text)) for l in lines])


def own(line: Line, width: int | None) -> dict[str, str]:
    """The features of one line by itself (also given to its neighbours, prefixed)."""
    t = line.text
    b = bare(t)
    n = len(b)
    f = {
        "len": _length_bucket(n),
        "first": _char_class(b[0]),
        "last": _char_class(b[-1]),
        "blank_before": str(line.blank_before),
        "blank_after": str(line.blank_after),
        "indent": str(line.indent),
    }
    if width:
        ratio = n / width
        f["width"] = "full" if n >= width - 1 else "wide" if ratio >= 0.75 else "half" if ratio >= 0.4 else "short"
    else:
        f["width"] = "none"
    f["stop_inside"] = str("。" in b[:-1])
    cut = _CLAUSE_END.search(b)
    f["first_clause"] = "none" if not cut else "1-2" if cut.start() <= 2 else "3+"  # 司，实行…: a sentence cut short
    f["commas"] = str(min(b.count("，") + b.count("、"), 3))
    f["spaces"] = str(min(t.count(" ") + t.count("\u3000"), 3))
    f["cjk_share"] = str(round(len(_NOT_CJK.sub("", b)) / n, 1))
    org = extract.is_org_byline(b)
    flags = {
        "byline": extract.is_byline(t),
        "org": org,
        "office": org and not _PLACE_END.search(b),
        "photo": b.rstrip("）").endswith("摄") and bool(extract.photo_credit(t)),
        "lead_credit": bool(extract.split_lead_byline(t)[0]),
        "tail_credit": bool(extract.split_tail_signature(t)[0]),
        "agency": bool(LEAD_AGENCY.match(b)),
        "dateline": bool(LEAD_DATE.match(b)),
        "ordinal": bool(ORDINAL.match(b)),
        "column": bool(column_label(b)) or spaced_label(t),
        "masthead": masthead(b),
        "issue_no": bool(_ISSUE_NO.search(b)),
        "date": bool(_DATE.search(b)),
        "from": bool(CONTINUED_FROM.match(b)),
        "to": bool(CONTINUED_TO.search(b)),
        "editor": bool(EDITOR_NOTE.match(b)) or b.strip("【】[]■●") == "编者按",
        "headline": headline_shaped(t),
        "subhead": is_subheading(t),
        "place": places.starts_with_place(b),
        "kicker_dash": b.endswith("——"),
        "sub_dash": b.startswith("—"),
        "question": b[-1] in "？?",
        "paren": b[0] in "（(" and b[-1] in "）)",
        "bracket": b[0] in "【[〔",
        "over_width": bool(width) and n > width + 1,  # longer than the column: never a wrapped line
        "speaker": bool(_SPEAKER.match(b)) and not _PLACE_END.search(b.split("：")[0]),  # 问：… 记者：…, not 某镇：…
        "names": bool(_NAMES.fullmatch(t.strip(_ENCLOSING))),  # 冉光明 / 沈 若溪） / ·陈静·: names alone
        "two_phrases": len(t.split()) == 2 and all(len(p) >= 3 for p in t.split()),
    }
    f.update({k: "1" for k, v in flags.items() if v})
    if flags["headline"] and not re.search(r"[\d\s]", t) and not (flags["masthead"] or flags["column"]):
        f["plain_headline"] = "1"  # no digits, no spaces, no furniture words: a headline, not a folio or banner
    return f


_CONTEXT = ("len", "first", "last", "width", "headline", "byline", "agency", "dateline", "column", "blank_before",
            "blank_after", "ordinal", "subhead", "photo", "editor", "from", "masthead", "org", "office", "stop_inside", "place",
            "kicker_dash", "sub_dash", "paren", "lead_credit", "tail_credit", "over_width", "speaker", "first_clause", "names", "plain_headline")


def page_features(lines: list[Line]) -> list[list[str]]:
    """Features of every line of a page, as crfsuite's ``name=value`` strings."""
    width = page_width(lines)
    owns = [own(l, width) for l in lines]
    line_mode = sum(l.blank_before for l in lines) < len(lines) * 0.1
    out = []
    last = len(lines) - 1
    shown = [[f"{k}={g[k]}" for k in _CONTEXT if k in g] for g in owns]  # what each line tells its neighbours
    for i, f in enumerate(owns):
        # where on the page: furniture and text continued from another page sit at its edges, not amid articles
        pos = "top" if i < 3 else "bottom" if last - i < 3 else "mid"
        feats = ["bias", f"page_blank={not line_mode}", f"page_wrapped={bool(width)}", f"pos={pos}"]
        feats += [f"{k}={v}" for k, v in f.items()]
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j <= last:
                feats += [f"{off}:{kv}" for kv in shown[j]]
            else:
                feats.append(f"{off}:none")
        if i > 0:
            p = owns[i - 1]
            # the line above runs on into this one: full width and no sentence end
            feats.append(f"runs_on={p['width'] == 'full' and p['last'] not in ('stop', 'ask', 'closeq', 'close')}")
            if f["first"] == "bullet":
                feats.append(f"bullet_after_end={p['last'] in ('stop', 'ask', 'closeq', 'close')}")
            feats.append(f"pair={p['last']}|{f['first']}")
            feats.append(f"lens={p['len']}|{f['len']}")
        if "headline" in f:
            nxt = owns[i + 1] if i < last else {}
            lead = any(k in nxt for k in ("dateline", "agency", "lead_credit", "byline"))
            feats.append(f"headline_then_lead={lead}")
            feats.append(f"headline_after_end={i == 0 or owns[i - 1]['last'] in ('stop', 'ask', 'closeq', 'close')}")
        out.append(feats)
    layoutfeatures.add(lines, out)  # a PDF's or scan's page: its layout too
    return out
