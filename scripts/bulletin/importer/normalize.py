"""Text clean-up for OCR'd bulletin pages, faithful to the original words.

OCR output mixes half-width punctuation into Chinese text, puts spaces inside
words (``群众力 量``) and breaks paragraphs at column and page ends. These
functions fix exactly that and nothing else: no character is reworded.

Over 300 lines: the passes share the punctuation and line-end tables and run
in one order; apart, each would need the others' tables.
"""

from __future__ import annotations

import re
import unicodedata

from bulletin.importer.hanzi import COMMON_HANZI
from bulletin.importer.stages import Block


class InputError(ValueError):
    """Raw input that cannot be imported; the message is shown to the user as is."""


CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"，。、；：？！“”‘’（）《》〈〉【】—…·●■◆▲□"
_CJK_RE = re.compile(f"[{CJK}]")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_PUNCT_RE = re.compile(
    rf"(?<=[{CJK}{CJK_PUNCT}])[,;:?!()]|[,;:?!()](?=[{CJK}{CJK_PUNCT}])"
)
# A bracket whose partner was converted must be converted too: "(记者 安琪)".
_PAREN_RE = re.compile(r"\(([^()\n]*[" + CJK + r"][^()\n]*)\)")
# C0 and C1 controls (not tab and line feed), zero-width and bidirectional
# formatting characters (which can make a title display as something else),
# BOM, non-characters.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]")
_WIDE_ALNUM_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")
_INNER_SPACE_RE = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \t]+(?=[{CJK}{CJK_PUNCT}])")
TERMINAL = "。！？…”’』」）》"
CONTINUING = "，、；：—("


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Legacy encodings tried when the bytes are not UTF-8, in order of preference on a tie.
# cp950 is Big5 as Windows writes it (a superset of plain Big5); big5hkscs adds the
# Hong Kong characters.
_LEGACY = ("gb18030", "cp950", "big5hkscs", "utf-16-le", "utf-16-be")
_NAMES = {"cp950": "big5", "big5hkscs": "big5-hkscs"}
_SAMPLE = 200_000  # characters scored per candidate: enough, and fast for 50 MB files
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_BINARY_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_PLAIN_RE = re.compile(r"[\t\n\r\x20-\x7e\u2000-\u206f\u2460-\u27bf\u3000-\u303f\uff00-\uffef]")
_ANY_HAN_RE = re.compile(f"[{CJK}\U00020000-\U0003134f]+")


def _score(text: str) -> float:
    """How much a decoding looks like Chinese text: 1.0 for common characters only.

    ASCII, punctuation and the 1,500 most frequent characters count fully, rare
    characters a little, anything else (other scripts, private use, U+FFFD) not
    at all, control characters against. A wrong guess among GB18030, Big5 and
    the two UTF-16 byte orders scores far lower on any text of a few lines.
    """
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    common = sum(map(COMMON_HANZI.__contains__, sample))
    plain = len(_PLAIN_RE.findall(sample))
    rare = sum(m.end() - m.start() for m in _ANY_HAN_RE.finditer(sample)) - common  # runs: fewer matches
    control = len(_BINARY_RE.findall(sample))
    # Common characters a hair more than ASCII: 一一 in UTF-16 is also NUL N NUL N.
    return (plain + 1.01 * common + 0.25 * rare - 2 * control) / len(sample)


def _binary_text(text: str) -> bool:
    sample = text[:_SAMPLE]
    return len(_BINARY_RE.findall(sample)) > max(2, len(sample) // 200)


def _binary_bytes(data: bytes) -> bool:
    head = data[:65536]
    return sum(head.count(b) for b in _CONTROL_BYTES) > max(2, len(head) // 200)


def _utf16_like(data: bytes) -> bool:
    """NUL bytes in one of the two byte positions, as UTF-16 text has them."""
    head = data[:65536]
    nul = head.count(0)
    if nul * 20 < len(head):
        return False
    even = head[0::2].count(0)
    return even * 10 >= nul * 9 or (nul - even) * 10 >= nul * 9


def _best_legacy(data: bytes) -> tuple[float, str, str] | None:
    """(score, text, encoding) of the best-scoring strict decoding other than UTF-8."""
    best = None
    for enc in _LEGACY:
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            candidate = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(candidate)
        if best is None or score > best[0]:
            best = (score, candidate, _NAMES.get(enc, enc))
    return best


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Bytes to text; returns (text, encoding name). Refuses empty, binary and unknown input.

    A byte-order mark decides. Otherwise valid UTF-8 without NUL bytes is UTF-8
    (a legacy encoding is practically never valid UTF-8: only a few lines whose
    every character happens to make a valid sequence, like 一 in GB18030, which
    is why UTF-8 text that looks like no script at all is checked against the
    others). Otherwise each of GB18030 (which includes GBK and GB2312), Big5 and
    UTF-16 LE/BE that decodes the bytes without error is scored by
    :func:`_score`, and so is UTF-8 with its invalid bytes replaced (a file cut
    in the middle of a character); the best wins. The encoding names are
    ``utf-8``, ``utf-8-sig``, ``gb18030``, ``big5``, ``big5-hkscs``, ``utf-16``,
    ``utf-16-le``, ``utf-16-be``, ``utf-32`` and ``utf-8 (N 处无效字节已替换为 U+FFFD)``.
    """
    if not data or data.isspace():
        raise InputError(f"{name}: 文件为空")
    text: str | None = None
    encoding = ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: 文件以 {enc.upper()} 标记开头，但第 {exc.start} 字节起不是有效的 {enc.upper()}") from None
            text, encoding = text.lstrip("\ufeff"), enc
            break
    # NUL bytes: UTF-16 has them at every other byte (in ASCII characters); a few
    # stray ones (old OCR tools pad with them) do not stop a file from being UTF-8.
    utf16ish = _utf16_like(data)
    if text is None and not utf16ish:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        else:
            if (b"\x00" in data or not text.isascii()) and (own := _score(text)) < 0.9:
                other = _best_legacy(data)
                if other and other[0] >= 0.9 and other[0] > own + 0.2:
                    _, text, encoding = other
    if text is None:
        best = _best_legacy(data)
        lossy = data.decode("utf-8", errors="replace")
        bad = lossy.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
        if not utf16ish and bad <= max(3, len(lossy) // 2000):
            score = _score(lossy)
            if best is None or score > best[0]:
                best = (score, lossy, f"utf-8 ({bad} 处无效字节已替换为 U+FFFD)")
        # Wrong guesses score below 0.2 (rare characters, other scripts); a real
        # page of rare characters can be as low as 0.3.
        if best is None or best[0] < 0.3:
            if _binary_bytes(data):
                raise InputError(f"{name}: 不是文本文件（含二进制内容）")
            raise InputError(f"{name}: 无法识别文本编码（不是 UTF-8、GB18030、Big5 或 UTF-16）")
        _, text, encoding = best
    if _binary_text(text):
        raise InputError(f"{name}: 不是文本文件（含二进制内容）")
    if not text.strip():
        raise InputError(f"{name}: 文件为空")
    return text, encoding


# Line ends other than \n: CR LF, CR, NEL, line and paragraph separators.
_LINE_END_RE = re.compile("\r\n?|[\x85\u2028\u2029]")


def clean(text: str) -> str:
    """Line ends, control and invisible format characters, full-width letters and digits."""
    text = _LINE_END_RE.sub("\n", text)
    text = _CONTROL_RE.sub("", text)
    return _WIDE_ALNUM_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


_CJK_RUN_RE = re.compile(f"[{CJK}]+")
_SPACE_RUN_RE = re.compile(r"\s+")


def cjk_ratio(text: str) -> float:
    """Share of Chinese characters among the visible ones (memory stays flat for 50 MB)."""
    cjk = sum(m.end() - m.start() for m in _CJK_RUN_RE.finditer(text))
    visible = len(text) - sum(m.end() - m.start() for m in _SPACE_RUN_RE.finditer(text))
    return cjk / visible if visible else 0.0


def punctuate(text: str) -> str:
    """Half-width punctuation next to Chinese text becomes full-width."""
    text = _PAREN_RE.sub(r"（\1）", text)
    return _HALF_PUNCT_RE.sub(lambda m: _HALF_TO_FULL[m.group(0)], text)


def squeeze_body(text: str) -> str:
    """Body text: OCR spaces between Chinese characters go; spaces in Latin text stay."""
    text = re.sub(r"[ \t\u3000]+", " ", text.strip())
    return _INNER_SPACE_RE.sub("", text)


def squeeze_heading(text: str) -> str:
    """Headlines keep the space between two phrases but not a space that splits a word."""
    text = re.sub(r"[ \t\u3000]+", " ", text.strip())
    text = re.sub(r" ?([，。、；：？！（）]) ?", lambda m: m.group(1), text)
    parts = text.split(" ")
    out = parts[0]
    for part in parts[1:]:
        left = re.search(rf"[{CJK}]+$", out)
        right = re.match(rf"[{CJK}]+", part)
        split_word = (left and len(left.group(0)) < 2) or (right and len(right.group(0)) < 2)
        out += part if split_word and left and right else " " + part
    return out




def line_mode(text: str) -> bool:
    """A page with (almost) no blank lines: every line is a paragraph or a piece of one.

    Most OCR tools separate paragraphs with a blank line; some write one line
    per paragraph or per printed line with none. Then a block is a line, and
    :func:`bulletin.importer.layout.paragraphs` rejoins what the column cut.
    """
    lines = text.strip().split("\n")
    filled = sum(1 for line in lines if line.strip())
    gaps = sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and not b.strip())
    return filled >= 3 and gaps < filled * 0.1


def blocks(text: str) -> list[Block]:
    """Split on blank lines; the lines between are one paragraph (OCR wraps)
    unless the page marks paragraphs inside (:func:`paragraph_starts`).

    On a page without blank lines (:func:`line_mode`) every line is a block.
    """
    out: list[Block] = []
    if line_mode(text):
        return [Block(line.strip(), no) for no, line in enumerate(text.split("\n"), 1) if line.strip()]
    buf: list[str] = []
    start = 1
    for no, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not buf:
                start = no
            buf.append(line)
        elif buf:
            out += _split_block(buf, start)
            buf = []
    if buf:
        out += _split_block(buf, start)
    return out


def _split_block(lines: list[str], start: int) -> list[Block]:
    cuts = [0, *paragraph_starts(lines), len(lines)]
    return [Block(_join_lines([line.strip() for line in lines[a:b]]), start + a) for a, b in zip(cuts, cuts[1:])]


# 本报记者朱江森摄 under a caption: the caption's own credit, one paragraph with it.
_PHOTO_CREDIT = re.compile(r"^.{0,16}摄）?$")
_INDENT_RE = re.compile(r"^(?:\u3000|[ \t]{2,})")
_SENTENCE_END = "。！？!?…"
_CLOSING = "”’」』\"'"
_NO_LINE_START = "，。、；：？！,.;:?!）)”’》」』…%"


def _ends_sentence(line: str, strict: bool) -> bool:
    """``…。`` or ``…。”``; a bare closing quote only where nothing is wrapped (``strict`` off)."""
    line = line.rstrip()
    if line[-1:] in _SENTENCE_END:
        return True
    return line[-1:] in _CLOSING and (not strict or line[-2:-1] in _SENTENCE_END)


def paragraph_starts(lines: list[str]) -> list[int]:
    """Indices of the lines (raw, indent kept) that open a paragraph inside
    one blank-line block: a line after one that ends a sentence, on a page
    written a sentence a line; or an indented line, where the indent marks
    paragraphs (not every line indented). A line ending a sentence exactly
    at the column's width is taken as wrapped (a paragraph end there looks
    the same), and so are lines ending mid-sentence; a photo credit stays
    with its caption."""
    bare = [re.sub(r"\s+", "", line) for line in lines]
    indented = [bool(_INDENT_RE.match(line)) for line in lines]
    by_indent = any(indented[1:]) and not all(indented)
    wrapped = [len(b) for b in bare[:-1] if b and not _ends_sentence(b, strict=False)]
    width = max(wrapped) if len(wrapped) >= 2 else None
    starts = []
    for i in range(1, len(lines)):
        prev, here = bare[i - 1], bare[i]
        if not prev or not here:
            continue
        if by_indent and indented[i]:
            starts.append(i)
        elif _ends_sentence(prev, strict=width is not None) and here[0] not in _NO_LINE_START and (
                width is None or len(prev) < width - 1) and not _PHOTO_CREDIT.search(here):
            starts.append(i)
    return starts


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        # No space between Chinese characters; keep one between Latin words.
        sep = "" if has_cjk(out[-1:]) or has_cjk(line[:1]) else " "
        out += sep + line
    return out


def ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in TERMINAL
