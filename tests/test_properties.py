"""Property-based tests of the text pipeline (hypothesis).

For realistic generated pages (headlines, kickers, bylines, bodies of random
Chinese text and punctuation, ● brief items, captions, page marks, blank lines,
stray spaces, half-width punctuation, every kind of line end) and for arbitrary
text, importing a raw page

* never raises,
* is deterministic (same articles, file names, leftovers and page bytes),
* loses no Chinese character: each one of the input is in an article (title,
  kicker, subtitle, byline as printed, body, authors) or in a leftover,
* writes pages whose front matter reads back to the same article.

Encodings: every realistic page survives GB18030, UTF-16 and UTF-8 (with BOM)
round trips; traditional-character pages also Big5; arbitrary bytes either
decode or raise InputError, nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from bulletin.importer.hanzi import _SIMPLIFIED, _TRADITIONAL
from bulletin.importer.normalize import CJK, InputError, clean, decode
from bulletin.importer.pipeline import escape_markdown, import_text, safe_stem
from bulletin.model import article_from_meta, render_page, split_page, validate_meta
from bulletin.taxonomy import Taxonomy
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ISSUE = dt.date(2021, 5, 28)
TAXONOMY = Taxonomy()
HAN_RE = re.compile(f"[{CJK}]")

# ---------------------------------------------------------------- generators

common = st.sampled_from(_SIMPLIFIED)
rare = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
han = st.one_of(common, common, common, rare)
trad = st.sampled_from(_TRADITIONAL + "的一是不了在人有大中和上地到以")


def words(min_size: int, max_size: int, chars=han) -> st.SearchStrategy[str]:
    return st.text(alphabet=chars, min_size=min_size, max_size=max_size)


punct = st.sampled_from(list("，。、；：？！“”（）《》") + [",", ".", ";", ":", "?", "!", "(", ")", "——", "…"])
latin = st.sampled_from(["APP", "Wi Fi", "2021", "12", "3.5", "E-mail", "10,000", "%", "No.3"])
spaces = st.sampled_from(["", "", "", " ", "  ", "\u3000", "\t"])


@st.composite
def sentence(draw, chars=han) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        parts.append(draw(words(1, 12, chars)))
        if draw(st.booleans()):
            parts.append(draw(st.one_of(latin, punct)))
        parts.append(draw(spaces))
    parts.append(draw(st.sampled_from(["。", "！", "？", "，", "", "…", "；"])))
    return "".join(parts)


@st.composite
def paragraph(draw, chars=han) -> str:
    text = "".join(draw(st.lists(sentence(chars), min_size=1, max_size=6)))
    # OCR wraps: the paragraph cut into lines, sometimes with blank lines in between.
    cuts = sorted(draw(st.lists(st.integers(1, max(1, len(text) - 1)), max_size=3, unique=True)))
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)])]
    return "".join(p + draw(st.sampled_from(["\n", "\n\n", "\n\n\n"])) for p in pieces[:-1]) + pieces[-1]


name = words(2, 3, common)
roles = st.sampled_from(["记者", "通讯员", "本报记者", "特约通讯员", "摄影", ""])


@st.composite
def byline(draw) -> str:
    names = " ".join(draw(st.lists(name, min_size=1, max_size=3)))
    role = draw(roles)
    return draw(st.sampled_from([
        f"□{role} {names}", f"（{role} {names}）", f"({role} {names})", f"·{names}·", f"{role}：{names}",
    ]))


@st.composite
def block(draw, chars=han) -> str:
    kind = draw(st.sampled_from(["heading", "heading", "kicker", "subtitle", "byline", "body", "body", "body",
                                 "lead", "tail", "brief", "caption", "mark", "note", "org", "junk"]))
    if kind == "heading":
        return draw(words(4, 20, chars)) + draw(st.sampled_from(["", " " + draw(words(3, 10, chars))]))
    if kind == "kicker":
        return draw(words(4, 16, chars)) + "——"
    if kind == "subtitle":
        return "——" + draw(words(4, 16, chars))
    if kind == "byline":
        return draw(byline())
    if kind == "lead":
        return f"本报讯（{draw(roles)} {draw(name)}）" + draw(paragraph(chars))
    if kind == "tail":
        return draw(paragraph(chars)).rstrip() + f"（{draw(roles)} {draw(name)}）"
    if kind == "brief":
        return draw(st.sampled_from("●◆■▲★")) + draw(paragraph(chars))
    if kind == "caption":
        return draw(words(4, 20, chars)) + f" {draw(roles)} {draw(name)} 摄"
    if kind == "mark":
        return draw(st.sampled_from(["第3版", "（下转第2版）", "（见右图）", "——", "2"]))
    if kind == "note":
        return f"（{draw(words(4, 30, chars))}）"
    if kind == "org":
        return draw(words(3, 8, chars)) + draw(st.sampled_from(["街道", "党委", "办公室", "社区"]))
    return draw(words(1, 2, chars))  # junk: one or two stray characters


@st.composite
def page(draw, chars=han) -> str:
    blocks = draw(st.lists(st.one_of(block(chars), paragraph(chars)), min_size=1, max_size=14))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    out = []
    for b in blocks:
        sep = draw(st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n"])) if out else ""
        out.append(sep + draw(spaces) + b + draw(spaces))
    text = "".join(out)
    if eol == "mixed":
        return "".join(c + draw(st.sampled_from(["", "\r"])) if c == "\n" else c for c in text)
    return text.replace("\n", eol)


arbitrary = st.lists(st.one_of(
    han, punct, st.sampled_from(list(" \t\n\r\u3000●□·—（）()<>[]{}#*_-=|~`\\&:;\"'0123456789abcXYZ\x00\x0b\u200b\ufeff\u2028")),
    st.characters(),
), max_size=400).map("".join)


# ---------------------------------------------------------------- helpers


def han_counter(text: str) -> Counter:
    return Counter(HAN_RE.findall(text))


def output_text(result) -> str:
    parts = []
    for a in result.articles:
        parts += [a.column or "", a.kicker or "", a.title, a.subtitle or "", a.byline or "", a.body, *a.authors]
    parts += [left.text for left in result.leftovers]
    return "\n".join(parts)


def lost_characters(text: str, result) -> Counter:
    """Chinese characters of ``text`` found nowhere in the import ``result``."""
    wanted = han_counter(text)
    # A name is in ``authors`` once, however often the page names the author.
    for author in {n for a in result.articles for n in a.authors}:
        wanted -= Counter({c: text.count(author) * n for c, n in han_counter(author).items()})
    return wanted - han_counter(output_text(result))


def snapshot(result):
    return (
        [render_page(a) for a in result.articles], list(result.slugs),
        [(left.line, left.text, left.reason) for left in result.leftovers],
        list(result.new_streets), list(result.new_programmes),
    )


# ---------------------------------------------------------------- properties


@SETTINGS
@given(st.one_of(page(), arbitrary))
def test_import_never_crashes_and_is_deterministic(text):
    first = import_text(text, "p.txt", ISSUE, TAXONOMY)
    second = import_text(text, "p.txt", ISSUE, TAXONOMY)
    assert snapshot(first) == snapshot(second)
    assert len(set(first.slugs)) == len(first.slugs)


@SETTINGS
@given(st.one_of(page(), page(), arbitrary))
@example("一一一一\n\n一一一一\n\n一一一一\n\n工作动态\n\n一。一。")  # the column label is kept in `column`
def test_no_chinese_character_is_lost(text):
    result = import_text(text, "p.txt", ISSUE, TAXONOMY)
    assert not lost_characters(text, result), (text, [(a.title, a.body) for a in result.articles], result.leftovers)


def test_lossless_check_can_fail():
    """The property is not vacuous: dropping a paragraph is caught."""
    text = "街道召开会议\n\n日前，社区居民踊跃参加活动，共同清扫楼道。\n\n会议要求落实责任。"
    result = import_text(text, "p.txt", ISSUE, TAXONOMY)
    assert not lost_characters(text, result)
    result.articles[0].body = result.articles[0].body.replace("会议要求落实责任。", "")
    assert lost_characters(text, result) == Counter("会议要求落实责任")


def test_byline_keeps_every_character():
    for text in ["一一一一\n\n一。\n\n（一文丁丁）", "街道召开会议\n\n居民踊跃参加。\n\n（记者 张三 等）",
                 "街道召开会议\n\n居民踊跃参加。\n\n□通讯员 张三 某某某某某某"]:
        result = import_text(text, "p.txt", ISSUE, TAXONOMY)
        assert not han_counter(text) - han_counter(output_text(result)), text


@SETTINGS
@given(st.one_of(page(), arbitrary))
@example("一一一一\n\n●一。\n\n关注\n\n一。")  # a column label over an untitled item: an untitled brief
def test_pages_read_back_as_written(text):
    for article in import_text(text, "p.txt", ISSUE, TAXONOMY).articles:
        page_text = render_page(article)
        meta, body = split_page(page_text, "p.md")
        assert meta == {**article.to_meta(), "checksum": meta["checksum"]}
        assert body.strip() == article.body.strip()
        assert not validate_meta(meta, "p.md", page_text)


def test_brief_without_heading_is_a_valid_page():
    for text in ["●社区开展义诊活动。", "标题一\n\n正文内容很长很长。（通讯员 张三）\n\n●一。"]:
        for article in import_text(text, "p.txt", ISSUE, TAXONOMY).articles:
            page_text = render_page(article)
            meta, body = split_page(page_text, "p.md")
            article_from_meta(meta, body, "p.md", page_text)


def with_text(chars=han) -> st.SearchStrategy[str]:
    """A page with at least 20 Chinese characters: a few lines are too few to tell any encoding."""
    return st.tuples(page(chars), words(20, 60, chars)).map(lambda t: f"{t[0]}\n\n{t[1]}")


@SETTINGS
@given(with_text(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]))
def test_realistic_pages_survive_every_encoding(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    got, detected = decode(data)
    assert got == text.lstrip("\ufeff"), detected


def big5able(text: str) -> str:
    """``text`` with what Big5 cannot write (simplified byline words, some symbols) made traditional."""
    out = []
    for c in text:
        try:
            c.encode("big5")
            out.append(c)
        except UnicodeEncodeError:
            out.append("會")
    return "".join(out)


@SETTINGS
@given(with_text(trad).map(big5able))
def test_traditional_pages_survive_big5(text):
    got, detected = decode(text.encode("big5"))
    assert (got, detected) == (text, "big5")


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_or_are_refused(data):
    try:
        text, encoding = decode(data)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(text, str) and encoding


@SETTINGS
@given(st.text(max_size=300))
def test_safe_stem_is_a_plain_stable_name(name):
    stem = safe_stem(name)
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", stem) and len(stem) <= 45
    assert stem == safe_stem(name)
    assert stem not in (".", "..") and not re.fullmatch(r"(?i)con|prn|aux|nul|com\d|lpt\d", stem)


@SETTINGS
@given(st.text(max_size=200))
def test_escaped_text_renders_as_itself(text):
    import html

    import markdown

    text = re.sub(r"\s+", " ", clean(text)).strip()  # one clean paragraph, as the importer's bodies are
    assume(text)
    out = markdown.markdown(escape_markdown(text), extensions=["attr_list", "md_in_html", "toc"])
    assert out.startswith("<p>") and out.endswith("</p>"), out
    inner = out[3:-4]
    assert "<" not in inner, out  # no element of any kind came from the text
    assert html.unescape(inner) == text


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
