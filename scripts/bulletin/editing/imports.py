"""One raw page into the archive, respecting what editors did since the last import.

Statuses of a page (see :func:`bulletin.editing.store.write_pages`): new,
unchanged, updated, kept (edited by an editor, left alone), replaced
(``--force``, the edited page saved as ``.bak``), deleted (listed in the
import record but deleted by an editor: not written again), restored
(``--force`` wrote a deleted page again), removed (an unedited page this
import no longer makes). A page whose name changed since the last import (a
better importer read its opening differently) is matched to its earlier page
by title (:func:`successors`), so the editor's decision follows the article.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.editing import record
from bulletin.editing.store import FolderIndex, article_path, atomic_write, backup_path, stale_pages, write_pages
from bulletin.importer.explain import unsure
from bulletin.importer.normalize import InputError
from bulletin.importer.layoutfeatures import records_for
from bulletin.importer.pipeline import import_text, page_prefix
from bulletin.importer.rawfile import issue_date_for, read_raw, shown
from bulletin.model import is_edited


@dataclass
class Summary:
    files: int = 0
    failed: list[str] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    new_streets: dict[str, int] = field(default_factory=dict)
    new_districts: dict[str, int] = field(default_factory=dict)
    unknown_places: list[str] = field(default_factory=list)
    new_programmes: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    doubtful: list[str] = field(default_factory=list)  # OCR lines read with low confidence (PDF and scan import)
    taxonomy: str = ""

    def count(self, status: str) -> None:
        self.status[status] = self.status.get(status, 0) + 1


def check_writable(content: Path) -> None:
    """Fail early, naming the folder, when pages cannot be written under ``content``.

    Writes nothing: the test file is created in the deepest folder that exists
    and is gone again at once.
    """
    folder = content / "articles"
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    if not folder.is_dir():
        raise InputError(f"无法写入文章目录 {shown(content)}：{shown(folder)} 不是目录")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise InputError(f"无法写入文章目录 {shown(content)}：{shown(folder)}（{exc.strerror or exc}）") from None


def _notes(summary: Summary, target: Path, status: str, reimport: bool, note: str = "") -> None:
    summary.count(status)
    if note:
        (summary.deleted if status == "deleted" else summary.kept).append(note)
    elif status == "new" and reimport:
        summary.kept.append(f"{target}: 新页面（上次导入没有生成）")
    elif status == "kept":
        summary.kept.append(f"{target}: 已保留编辑过的版本")
    elif status == "replaced":
        summary.kept.append(f"{target}: 已替换，原文件备份为 .bak")
    elif status == "deleted":
        summary.deleted.append(f"{target}: 编辑已删除此页，没有恢复（--force 可恢复）")
    elif status == "restored":
        summary.deleted.append(f"{target}: 编辑删除过此页，已按 --force 恢复")


def _key(title: str) -> str:
    return re.sub(r"\s+", "", title)


def successors(targets: list[Path], rels: list[str], articles: list, content: Path,
               old: record.Record | None) -> dict[Path, Path]:
    """New page -> the recorded page of an earlier import it is the same article as.

    A better importer may clean an article's opening text differently, which
    changes its page name; the editor's decision about the article (deleted,
    edited) must still hold. Same article: a page whose name the record does
    not know, and a recorded page this import no longer makes, with the same
    title, each the only one with that title.
    """
    if old is None:
        return {}
    made, known = set(rels), old.files()
    gone: dict[str, list[record.Entry]] = {}
    for e in old.pages:
        if e.file not in made:
            gone.setdefault(_key(e.title), []).append(e)
    new: dict[str, list[Path]] = {}
    for t, rel, a in zip(targets, rels, articles):
        if rel not in known:
            new.setdefault(_key(a.display_title), []).append(t)
    return {ts[0]: content / gone[k][0].file for k, ts in new.items()
            if k and len(ts) == 1 and len(gone.get(k, ())) == 1}


def _skipped(targets, rels, recorded: set[str], after: dict[Path, Path]) -> dict[Path, tuple[str, str]]:
    """Pages not to write, with their status and report line: what the editor decided holds."""
    out: dict[Path, tuple[str, str]] = {}
    for t, rel in zip(targets, rels):
        prev = after.get(t)
        if t.exists():
            continue
        if rel in recorded:
            out[t] = ("deleted", f"{t}: 编辑已删除此页，没有恢复（--force 可恢复）")
        elif prev is not None and not prev.exists():
            out[t] = ("deleted", f"{t}: 与编辑已删除的 {prev.name} 是同一篇，没有写入（--force 可写入）")
        elif prev is not None and is_edited(prev.read_text(encoding="utf-8", errors="replace")):
            out[t] = ("kept", f"{t}: 与编辑改过的 {prev} 是同一篇，没有写入，保留编辑的版本（--force 可替换）")
    return out


def import_file(path: Path, issue: dt.date | None, content: Path, taxonomy, force: bool, summary: Summary,
                pages_progress=None, index: FolderIndex | None = None) -> None:
    """Import one raw page: all its pages are written, or (on an error) none of them.

    ``index``: the run's listing of the article folders (see FolderIndex); one
    is made for this file when not given.
    """
    index = index or FolderIndex()
    text, encoding = read_raw(path)
    day = issue_date_for(path, issue)
    result = import_text(text, path.name, day, taxonomy, records_for(path))  # a PDF's or scan's layout, if kept
    del text
    if not result.articles:
        raise InputError(f"{shown(path)}: 没有找到任何文章（{len(result.leftovers)} 段文字都无法归入文章）")
    prefix = page_prefix(path.name, day)
    other = index.claim(content / "articles" / f"{day.year:04d}", prefix, str(path))
    if other:
        raise InputError(f"{shown(path)}: 与本次导入的 {shown(other)} 文件名相同、出版日期也相同（{day}），"
                         "两者的页面会互相覆盖；请改名或分开导入")
    record_file = record.record_path(content, day, prefix)
    old = record.read(record_file)
    recorded = old.files() if old else set()
    summary.encodings[str(path)] = encoding
    targets = [article_path(content, a, slug) for a, slug in zip(result.articles, result.slugs)]
    rels = [f"articles/{t.parent.name}/{t.name}" for t in targets]  # record.relative, without its cost
    for folder in {t.parent for t in targets}:
        index.visit(folder)  # removes temp files a killed import left
    after = successors(targets, rels, result.articles, content, old)
    skipped = _skipped(targets, rels, recorded, after)
    writing = [(t, a) for t, a in zip(targets, result.articles) if force or t not in skipped]
    statuses = dict(zip((t for t, _ in writing), write_pages(writing, force, progress=pages_progress)))
    for target in targets:
        if target in statuses:
            index.added(target)
        status, note = skipped.get(target, (statuses.get(target), ""))
        if target in statuses and target in skipped:  # --force
            status, note = "restored", (f"{target}: 编辑删除过此页，已按 --force 恢复" if status == "deleted" else
                                        f"{target}: 已按 --force 写入导入程序的版本（编辑改过的同一篇备份为 .bak）")
        _notes(summary, target, status, old is not None, note)
    gone_before = [e for e in (old.pages if old else []) if e.file not in rels and not (content / e.file).exists()
                   and content / e.file not in after.values()]
    earlier = {content / e.file for e in (old.pages if old else []) if e.file not in rels and e.file.startswith(
        f"articles/{day.year:04d}/{prefix}-")}  # only this raw page's names, whatever the record says
    for stale in sorted(set(stale_pages(content, day.year, prefix, set(targets), index)) | {p for p in earlier if p.exists()}):
        if is_edited(stale.read_text(encoding="utf-8", errors="replace")):
            if force and stale in after.values():
                os.replace(stale, backup_path(stale))
                index.removed(stale)
                summary.kept.append(f"{stale}: 已由导入程序的同一篇替换，原文件备份为 .bak")
            elif stale not in after.values():
                summary.stale.append(f"{stale}: 本次导入已不再生成此页，但它被编辑过，已保留")
        else:
            stale.unlink()
            index.removed(stale)
            summary.count("removed")
    # A page not written because the editor's page of the same article stands is
    # recorded under that page's name, so the next import makes the same decision.
    entries = [record.Entry(record.relative(content, after[t]) if t in after and t not in statuses else rel,
                            a.position, a.display_title) for t, rel, a in zip(targets, rels, result.articles)]
    new = record.render(record.Record(path.name, day, entries + gone_before))
    if not record_file.exists() or record_file.read_text(encoding="utf-8") != new:
        try:  # after the pages; not fsynced: a crash may lose this update (the next import redoes it), never half of it
            atomic_write(record_file, new, sync=False)
        except OSError as exc:  # the pages are written: say so, and what the next import will do
            raise InputError(f"{shown(path)}: 页面已写入，但无法写入导入记录 {record_file}（{exc.strerror or exc}）；"
                             "请修正后重新导入（编辑删除的页面在记录写好前可能被恢复）") from None
    for d in unsure(result.boundaries):
        verdict = "分为新文章" if d.opens else "算作文中小标题"
        summary.unsure.append(f"{shown(path)}:{d.line}: {verdict}（把握 {d.confidence:.2f}）：{' / '.join(d.lines)[:40]}")
    for left in result.leftovers:
        summary.leftovers.append(f"{shown(path)}:{left.line}: {left.reason}：{left.text[:40]}")
    for name in result.new_streets:
        summary.new_streets[name] = summary.new_streets.get(name, 0) + 1
    for line, kind, name in result.unknown_places:
        if kind == "区":
            summary.new_districts[name] = summary.new_districts.get(name, 0) + 1
        what = "未写入 district" if kind == "区" else "已写入 streets"
        summary.unknown_places.append(
            f"{shown(path)}:{line}: {kind}「{name}」不在分类表 taxonomy.yml 中（{what}）："
            f"是新的{kind}请加入分类表{'（写明所属区和市）' if kind == '街道' else '（写在它的街道条目的 district）'}，是识别错误请改正页面")
    for name in result.new_programmes:
        summary.new_programmes[name] = summary.new_programmes.get(name, 0) + 1
