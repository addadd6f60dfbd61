"""A PDF or a scan into the archive: each page's text kept as ``raw/<name>.txt``, then imported as text.

The text a page gives is written beside the archive's raw pages (one file
a printed page: ``page.pdf`` of 12 pages gives ``page-p01.txt`` …
``page-p12.txt``) with a sidecar ``<name>.layout.json``: the source, the
text's hash and each line's layout evidence. The page is then imported
from that text file by :func:`bulletin.editing.imports.import_file`, so
re-importing the text gives the same articles, and every rule of a text
import (report, import record, editors' fixes win) holds.

Editors' fixes to the text win too: a ``raw/<name>.txt`` whose hash is no
longer the one recorded was corrected by an editor and is imported as it is;
``--force`` replaces it with the new reading (the editor's file kept as
``.bak``). A text file of the same name that this importer did not write is
never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from bulletin.editing.imports import Summary, import_file
from bulletin.editing.store import FolderIndex, atomic_write, backup_path
from bulletin.importer.layoutfeatures import sidecar_path
from bulletin.importer.normalize import InputError
from bulletin.importer.pagefile import page_count, page_texts
from bulletin.importer.pagestages import PageText
from bulletin.importer.rawfile import issue_date_for, shown


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def raw_name(path: Path, page: int, pages: int) -> str:
    stem = path.stem
    return f"{stem}.txt" if pages == 1 else f"{stem}-p{page:0{max(2, len(str(pages)))}d}.txt"


def _read_sidecar(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def keep_text(txt: Path, source: Path, text: PageText, page: int, force: bool, summary: Summary) -> None:
    """Write the page's text and sidecar, unless an editor's text of that name must stand."""
    side = sidecar_path(txt)
    meta = _read_sidecar(side) if side.exists() else None
    if txt.exists():
        if meta is None or meta.get("source") != source.name:
            raise InputError(f"{shown(source)} 第 {page} 页: {shown(txt)} 已存在，但不是从这个文件识别出的文字，没有覆盖；"
                             "请改名后导入，或用 --raw-dir 另选文件夹")
        current = txt.read_text(encoding="utf-8", errors="replace")
        if _sha(current) != meta.get("sha256") and current != text.text:
            if not force:
                summary.kept.append(f"{shown(txt)}: 编辑改过识别出的文字，已保留并按它导入（--force 用新的识别结果替换，原文件备份为 .bak）")
                return
            os.replace(txt, backup_path(txt))
            summary.kept.append(f"{shown(txt)}: 已按 --force 换成新的识别结果，编辑改过的文字备份为 .bak")
    txt.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(txt, text.text)
    record = {"source": source.name, "page": page, "sha256": _sha(text.text),
              "doubtful": [{"line": n, "text": t} for n, t in text.doubtful], "lines": text.features}
    atomic_write(side, json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n", sync=False)


def import_page_file(path: Path, issue: dt.date | None, content: Path, taxonomy, force: bool, summary: Summary,
                     raw_dir: Path, progress=None, index: FolderIndex | None = None) -> None:
    """Import every page of a PDF or image file; a page that fails is reported, the others go on.

    InputError for the file as a whole (not a PDF, encrypted, too big, no text on any page).
    ``progress(done, total)`` is called after each page.
    """
    index = index or FolderIndex()
    day = issue_date_for(path, issue)
    total = page_count(path)
    imported = 0
    failures: list[str] = []
    for n, text in page_texts(path):
        label = f"{shown(path)} 第 {n} 页" if total > 1 else shown(path)
        try:
            if isinstance(text, InputError):
                raise text
            txt = raw_dir / raw_name(path, n, total)
            keep_text(txt, path, text, n, force, summary)
            import_file(txt, day, content, taxonomy, force, summary, None, index)
            for line, t in text.doubtful:
                summary.doubtful.append(f"{shown(txt)}:{line}: {t[:40]}")
            imported += 1
        except InputError as exc:
            failures.append(str(exc) if str(exc).startswith(shown(path)) else f"{label}: {exc}")
        except OSError as exc:
            failures.append(f"{label}: 无法写入 {shown(exc.filename or raw_dir)}（{exc.strerror or exc}），本页的文章没有写入")
        if progress:
            progress(n, total)
    if not imported:
        raise InputError(failures[0] if total == 1 else f"{shown(path)}: {total} 页都没有导入（{failures[0]}）")
    summary.failed.extend(failures)
