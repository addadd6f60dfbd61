"""A raw page on disk: its text, and the issue date the command or its file name gives.

The date rules are the archive's (``bulletin check`` would refuse anything
else) and the same whether the date was typed after ``--issue-date`` or is
part of the file name, so ``2021-02-30.txt`` is told its date does not exist
rather than that its name holds none.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bulletin.importer.mixed import mixed_encoding
from bulletin.importer.normalize import InputError, cjk_ratio, decode
from bulletin.model import EARLIEST_DATE

# Bigger than any scanned page set: refused before reading, so a wrong file
# (a disk image, a video) is not read into memory. 50 MB of text imports fine.
MAX_BYTES = 64 * 1024 * 1024
# A printed page is a few hundred lines; the import reads every line with its
# neighbours (about 75 us a line, 12 KB of memory): 100,000 lines take 8 CPU
# seconds, 300,000 took 23 s and 3 GB. Past this a file is refused at once.
MAX_LINES = 100_000
# Put after a line OCR read with low confidence (see importer.pageblocks), for
# the editor to check in raw/<name>.txt; the import reads the text without it.
DOUBT_MARK = "⟦待核⟧"
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# 2021-05-28, 2021_5_28, 2021.05.28 or 20210528 (years 1000-2999), not inside a longer number.
_DATE_IN_NAME = re.compile(r"(?<!\d)([12]\d{3})(?:([-_.])(\d{1,2})\2(\d{1,2})|(\d\d)(\d\d))(?!\d)")


def shown(path: Path | str) -> str:
    """A path for a one-line message: control characters in a file name made visible."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(path))


def read_raw(path: Path) -> tuple[str, str]:
    """A raw page's text and detected encoding, or InputError with a plain reason."""
    name = shown(path)
    try:
        if not path.exists():
            raise InputError(f"{name}: 文件不存在")
        if path.is_dir():
            raise InputError(f"{name}: 是目录，不是文件")
        if not path.is_file():
            raise InputError(f"{name}: 不是普通文件（设备、管道或套接字）")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{name}: 文件过大（{size / 2**20:.0f} MB，上限 {MAX_BYTES // 2**20} MB），请先按版面拆分")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: 无法读取（{exc.strerror or exc}）") from None
    mixed = mixed_encoding(data)
    if mixed:
        raise InputError(f"{name}: {mixed}")
    text, encoding = decode(data, name)
    del data
    text = text.replace(DOUBT_MARK, "")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise InputError(f"{name}: 行数过多（{lines} 行，上限 {MAX_LINES} 行；一个原始文件应是一版），请先按版面拆分")
    if cjk_ratio(text) < 0.3:
        raise InputError(f"{name}: 不像中文简报文本（汉字太少，编码按 {encoding} 识别）")
    return text, encoding


def issue_date(year: int, month: int, day: int, what: str = "出版日期") -> dt.date:
    """A real calendar day within the archive's range, or InputError saying which rule it breaks."""
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise InputError(f"{what} {text} 不是真实存在的日期") from None
    if value < EARLIEST_DATE:
        raise InputError(f"{what} {value} 早于 {EARLIEST_DATE.year} 年，请核对")
    if value > dt.date.today() + dt.timedelta(days=1):
        raise InputError(f"{what} {value} 是将来的日期，请核对")
    return value


def parse_issue_date(text: str) -> dt.date:
    """``--issue-date``: ``YYYY-MM-DD``; InputError without the option name."""
    text = str(text).strip()
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        raise InputError(f"应为 YYYY-MM-DD 格式的日期，例如 2021-05-28，而不是 {text!r}")
    return issue_date(*map(int, text.split("-")), what="")


def date_in_name(name: str) -> re.Match | None:
    """Where a file name holds a date (valid or not); None when it holds none."""
    return _DATE_IN_NAME.search(re.split(r"[\\/]", name)[-1])


def _parts(m: re.Match) -> tuple[int, int, int]:
    return int(m.group(1)), int(m.group(3) or m.group(5)), int(m.group(4) or m.group(6))


def issue_date_for(path: Path, given: dt.date | None) -> dt.date:
    if given:
        return given
    m = date_in_name(path.name)
    if not m:
        raise InputError(f"{shown(path)}: 需要 --issue-date YYYY-MM-DD（文件名中没有日期）")
    try:
        return issue_date(*_parts(m), what="文件名中的日期")
    except InputError as exc:
        raise InputError(f"{shown(path)}: {exc}；请用 --issue-date YYYY-MM-DD 指定") from None


def name_without_date(name: str, issue: dt.date) -> str:
    """The file name less the issue date it repeats (``2021-06-01-p3.txt`` -> ``p3.txt``),
    so page names do not say the date twice; "" when the date is all there is."""
    base = re.split(r"[\\/]", name)[-1]
    ext = re.search(r"\.[A-Za-z0-9]{1,5}$", base)
    stem, ext = (base[:ext.start()], ext.group(0)) if ext else (base, "")
    m = date_in_name(stem)
    if not m:
        return base
    try:
        if dt.date(*_parts(m)) != issue:
            return base
    except ValueError:
        return base
    rest = "-".join(p for p in (stem[:m.start()].rstrip("-_. "), stem[m.end():].lstrip("-_. ")) if p)
    return rest + ext if rest else ""
