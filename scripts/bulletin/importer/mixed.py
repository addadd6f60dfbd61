"""Raw files that change encoding part-way (two files concatenated, a UTF-16
export appended to a UTF-8 page): reported, never guessed.

Guessing one encoding for the whole file turns the other part into mojibake
that imports with exit code 0. Each 4 KB block is classified on its own; a file
whose blocks disagree is refused with the byte and line where it changes.
"""

from __future__ import annotations

import re

BLOCK = 4096
# What Chinese text decoded with the right UTF-16 byte order consists of.
_TEXT16 = re.compile(r"[\s\x20-\x7e\u3000-\u9fff\uff00-\uffef]")
_WIDE = re.compile(r"[\u2e80-\uffff]")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_NAMES = {"utf-16": "UTF-16", "utf-8": "UTF-8", "legacy": "GB18030/Big5 等其他编码"}


def _kind(block: bytes) -> tuple[str | None, int]:
    """(kind, offset of its first sign in the block): "utf-16" (NULs at one byte
    position), "utf-8" (valid, with Chinese), "legacy" (many invalid UTF-8
    sequences, no NULs) or None (ASCII, too little to tell)."""
    nul = block.count(0)
    if nul >= 8:
        for enc in ("utf-16-le", "utf-16-be"):
            for skip in (0, 1):
                text = block[skip: skip + (len(block) - skip) // 2 * 2].decode(enc, errors="replace")
                if len(_TEXT16.findall(text)) >= 0.9 * len(text):
                    return "utf-16", max(block.index(0) - 1, 0)
    if nul:
        return None, 0
    text = block.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - block.count("\ufffd".encode("utf-8"))
    if bad >= 4:  # a character cut at either end of the block makes at most 2
        try:
            block.decode("utf-8")
        except UnicodeDecodeError as exc:
            return "legacy", exc.start
    if len(_WIDE.findall(text)) >= 16:
        return "utf-8", 0
    return None, 0


def mixed_encoding(data: bytes) -> str | None:
    """Where ``data`` changes encoding, as a message (Chinese), or None."""
    skipped = next((len(bom) for bom in _BOMS if data.startswith(bom)), 0)
    data = data[skipped:]
    first, last_end = None, 0
    for start in range(0, len(data), BLOCK):
        kind, at = _kind(data[start:start + BLOCK])
        if kind is None:
            continue
        if first is None or kind == first:
            first, last_end = kind, start + BLOCK
        else:
            pos = start + at
            if kind == "utf-16":  # UTF-16 starts at the first NUL after the last block of the other kind
                pos = max(data.find(b"\x00", last_end) - 1, last_end)
            elif first == "utf-16":  # and ends after its last NUL
                pos = data.rfind(b"\x00", 0, pos) + 1
            line = data.count(b"\n", 0, pos) + 1
            return (f"文件中混有两种编码：前面是 {_NAMES[first]}，约从第 {line} 行（第 {pos + skipped} 字节）起是 {_NAMES[kind]}；"
                    "请把两部分分别保存为 UTF-8 文件再导入")
    return None
