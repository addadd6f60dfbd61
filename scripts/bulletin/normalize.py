"""Text clean-up for OCR'd bulletin pages, faithful to the original words.

OCR output mixes half-width punctuation into Chinese text, puts spaces inside
words (``群众力 量``) and breaks paragraphs at column and page ends. These
functions fix exactly that and nothing else: no character is reworded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes


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
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
_WIDE_ALNUM_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")
_INNER_SPACE_RE = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \t]+(?=[{CJK}{CJK_PUNCT}])")
TERMINAL = "。！？…”’』」）》"
CONTINUING = "，、；：—("


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Bytes to text; returns (text, encoding). Refuses binary and non-text input."""
    if not data.strip():
        raise InputError(f"{name}: 文件为空")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM shows as every other byte being NUL in Chinese text too,
        # so let the detector decide; a NUL in anything else means binary.
        best = from_bytes(data[:65536], cp_isolation=["utf_16_le", "utf_16_be"]).best()
        if best is None:
            raise InputError(f"{name}: 不是文本文件（含二进制内容）")
        return data.decode(best.encoding, errors="strict"), best.encoding
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16_le", "utf_16_be"]).best()
    if best is None:
        raise InputError(f"{name}: 无法识别文本编码（不是 UTF-8、GB18030、Big5 或 UTF-16）")
    return str(best), best.encoding


def clean(text: str) -> str:
    """Line ends, control characters, full-width letters and digits."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    return _WIDE_ALNUM_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def cjk_ratio(text: str) -> float:
    visible = [c for c in text if not c.isspace()]
    return sum(1 for c in visible if _CJK_RE.match(c)) / len(visible) if visible else 0.0


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
    text = re.sub(r" ?([，。、；：？！“”（）《》]) ?", lambda m: m.group(1), text)
    parts = text.split(" ")
    out = parts[0]
    for part in parts[1:]:
        left = re.search(rf"[{CJK}]+$", out)
        right = re.match(rf"[{CJK}]+", part)
        split_word = (left and len(left.group(0)) < 2) or (right and len(right.group(0)) < 2)
        out += part if split_word and left and right else " " + part
    return out


@dataclass
class Block:
    """One paragraph of the raw page and the 1-based line it starts on."""

    text: str
    line: int


def blocks(text: str) -> list[Block]:
    """Split on blank lines; lines inside a block are one paragraph (OCR wraps)."""
    out: list[Block] = []
    buf: list[str] = []
    start = 1
    for no, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not buf:
                start = no
            buf.append(line.strip())
        elif buf:
            out.append(Block(_join_lines(buf), start))
            buf = []
    if buf:
        out.append(Block(_join_lines(buf), start))
    return out


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        # No space between Chinese characters; keep one between Latin words.
        sep = "" if has_cjk(out[-1:]) or has_cjk(line[:1]) else " "
        out += sep + line
    return out


def ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in TERMINAL
