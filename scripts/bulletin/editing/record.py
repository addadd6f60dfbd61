"""The import record: which pages each import of a raw page wrote.

A page's own checksum tells whether an editor changed it, but a page an editor
deleted (not news, or merged into another) leaves nothing behind, so a
re-import used to bring it back. ``content/imports/<year>/<prefix>.yml``, one
small YAML file per raw page committed with the pages, lists the pages the
importer made; a listed page that is no longer there was deleted by an
editor and stays deleted (``--force`` restores it). Only what the importer
made is recorded (no times, no hashes), so re-importing the same raw page
rewrites the record byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from bulletin import safeyaml
from bulletin.importer.normalize import InputError

RECORD_DIR = "imports"
# libyaml when present (the same text, several times faster: one record per raw page).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What the importer names a page (see bulletin.editing.store.article_path): nothing else is trusted.
_PAGE = re.compile(r"articles/\d{4}/[a-z0-9][a-z0-9_-]*\.md")
_HEADER = (
    "# 导入记录（bulletin import 自动生成，请随文章一起提交，不要手动修改）。\n"
    "# 列出这一版面导入时生成的页面：编辑删除（或合并后删除）的页面，重新导入时不会恢复；\n"
    "# bulletin import --force 会恢复它们。\n"
)


@dataclass
class Entry:
    file: str  # relative to the content folder, with / (articles/2021/….md)
    position: int
    title: str


@dataclass
class Record:
    source: str
    issue_date: dt.date
    pages: list[Entry] = field(default_factory=list)

    def files(self) -> set[str]:
        return {e.file for e in self.pages}


def record_path(content: Path, issue: dt.date, prefix: str) -> Path:
    return content / RECORD_DIR / f"{issue.year:04d}" / f"{prefix}.yml"


def relative(content: Path, page: Path) -> str:
    return PurePosixPath(*page.relative_to(content).parts).as_posix()


def render(record: Record) -> str:
    data = {
        "source": record.source,
        "issue_date": record.issue_date,
        "pages": [{"file": e.file, "position": e.position, "title": e.title} for e in record.pages],
    }
    return _HEADER + yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


def read(path: Path) -> Record | None:
    """The record at ``path``; None when there is none. A broken one is an InputError
    (guessing would bring deleted pages back or lose new ones)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}:1: 导入记录无法读取（{exc}）") from None
    try:
        safeyaml.guard(text, 4 * 1024 * 1024)  # records are committed files: the same limits as front matter
        data = yaml.load(text, Loader=_LOADER)
        pages = [Entry(str(p["file"]), int(p.get("position") or 0), str(p.get("title") or ""))
                 for p in data["pages"] or []]
        if all(_PAGE.fullmatch(e.file) for e in pages):
            return Record(str(data["source"]), data["issue_date"], pages)
        line = next((i for i, ln in enumerate(text.splitlines(), 1) if "file:" in ln and not _PAGE.search(ln)), 1)
    except safeyaml.YamlLimitError as exc:
        line = exc.line + 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
    except (TypeError, KeyError, ValueError, AttributeError):
        line = 1
    raise InputError(f"{path}:{line}: 导入记录格式有误；请从 git 恢复它（git checkout -- {path}），"
                     "或删除它（编辑删除过的页面会在重新导入时恢复）")
