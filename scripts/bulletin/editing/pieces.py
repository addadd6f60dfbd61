"""``bulletin merge`` and ``bulletin split``: mend articles the importer cut wrongly.

Both write pages an editor owns, so a re-import never undoes them:

merge FIRST SECOND…
    the bodies of the later pages are appended to FIRST (a blank line
    between), their streets, programmes, places and authors (and byline, if
    FIRST has none) added to its own; FIRST loses its checksum (an edited
    page: a re-import keeps it); the later pages are deleted, and the import record that lists them
    keeps them deleted. A page no record lists would come back on a
    re-import: the command says so.
split PAGE --at TEXT --title TITLE
    the body from the first occurrence of TEXT on becomes a new page
    ``<page>-2.md`` (``-3`` …) with the front matter of PAGE, the new title
    and ``part: 2`` (the same printed article, ``source`` and ``position``,
    its second piece; the site lists pieces in order), the date its own lead
    names if any, and the byline (printed at the text's end, now its end). Its name is not one
    the importer gives, so no import touches it; PAGE keeps the text before
    TEXT and loses its checksum.

Front matter other than the lines named here is left as written; every file
is replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from bulletin import project
from bulletin.editing import record
from bulletin.editing.store import atomic_write
from bulletin.importer.extract import lead_date
from bulletin.model import KEYS, PageError, dump_front_matter, split_page

_FRONT = re.compile(r"\A---[ \t]*\r?\n.*?^---[ \t]*\r?\n", re.S | re.M)
_CHECKSUM = re.compile(r"^checksum:.*\r?\n", re.M)
_PIECE = re.compile(r"(.+-[0-9a-f]{6}x*)-\d+")  # a piece split from an imported page


def _read(path: Path) -> tuple[str, dict, str]:
    """(front matter block as written, meta, body); a ClickException naming the file when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
        meta, body = split_page(text, project.shown(path))
    except FileNotFoundError:
        raise click.ClickException(f"{project.shown(path)}：文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{project.shown(path)}：无法读取（{exc}）") from None
    except PageError as exc:
        raise click.ClickException(f"{exc}（先改正它，再合并或拆分）") from None
    front = _FRONT.match(text)
    if not front:
        raise click.ClickException(f"{project.shown(path)}:1: 前置元数据没有以 --- 结束")
    return front.group(0), meta, body


def _owned(front: str, title: str | None = None) -> str:
    """The front matter of a page the editor now owns: no checksum; ``title`` replaced if given."""
    front = _CHECKSUM.sub("", front)
    if title is not None:
        line = dump_front_matter({"title": title})
        front, n = re.subn(r"^title:.*\r?\n", lambda _: line, front, count=1, flags=re.M)
        if not n:
            front = front.replace("\n", "\n" + line, 1)
    return front


def _page(front: str, body: str) -> str:
    return f"{front}\n{body.strip()}\n"


def _recorded(path: Path, meta: dict, content: Path) -> bool:
    """Whether an import record lists ``path`` (so a re-import will not bring it back)."""
    m = re.fullmatch(r"(.+)-[0-9a-f]{6}x*", path.stem)
    issue = meta.get("issue_date")
    if not m or not hasattr(issue, "year"):
        return False
    try:
        old = record.read(record.record_path(content, issue, m.group(1)))
    except Exception:  # a broken record: import itself reports it
        return False
    return bool(old) and record.relative(content, path.resolve()) in old.files()


def _content(page: Path) -> Path | None:
    """The content folder of ``page``: the one holding its articles/ folder."""
    for parent in page.resolve().parents:
        if parent.name == "articles":
            return parent.parent
    return None


def _refuse_outside() -> None:
    """As every command: no content or taxonomy outside the project, no symlinked content folder."""
    try:
        project.find_project()
    except project.ProjectError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("merge")
@click.argument("first", type=click.Path(path_type=Path))
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--title", help="合并后的标题（默认保留第一篇的标题）")
def merge_command(first: Path, others: tuple[Path, ...], title: str | None) -> None:
    """把切错的文章合并：OTHERS 的正文依次接到 FIRST 末尾，然后删除 OTHERS。

    重新导入不会恢复删除的页面（导入记录记着它们），也不会覆盖合并后的 FIRST。
    """
    _refuse_outside()
    if any(p.resolve() == first.resolve() for p in others) or len({p.resolve() for p in others}) < len(others):
        raise click.ClickException("同一个页面写了两次")
    front, meta, body = _read(first)
    bodies, notes, added = [body.strip()], [], []
    merged = {k: v for k, v in meta.items() if k != "checksum"}
    for other in others:
        _, ometa, obody = _read(other)
        if ometa.get("source") != meta.get("source"):
            notes.append(f"注意：{project.shown(other)} 来自另一个版面（{ometa.get('source')}），请确认确是同一篇")
        added += _take_tags(merged, ometa)
        content = _content(other)
        importers = re.fullmatch(r".+-[0-9a-f]{6}x*", other.stem)  # a piece made by split is nobody's to re-make
        if importers and (content is None or not _recorded(other, ometa, content)):
            notes.append(f"注意：{project.shown(other)} 不在任何导入记录中，重新导入这一版面时它可能再次生成")
        bodies.append(obody.strip())
    if added:  # the front matter written anew, in the importer's key order
        merged["title"] = meta.get("title") if title is None else title
        ordered = dict(sorted(merged.items(), key=lambda kv: KEYS.index(kv[0]) if kv[0] in KEYS else len(KEYS)))
        front = f"---\n{dump_front_matter(ordered)}---\n"
        notes.append(f"{project.shown(first)} 加上了后面几篇的：{'；'.join(added)}")
    atomic_write(first, _page(front if added else _owned(front, title), "\n\n".join(b for b in bodies if b)))
    for other in others:
        other.unlink()
    for note in notes:
        click.echo(note, err=True)
    click.echo(f"已合并：{'、'.join(project.shown(p) for p in others)} 的正文接到了 {project.shown(first)} 末尾，"
               "并删除了这些文件；重新导入时不会恢复。请预览核对后提交（git add -A content）。")


def _take_tags(merged: dict, other: dict) -> list[str]:
    """Names of ``other``'s lists that ``merged`` lacks, appended to it (and its byline when
    ``merged`` has none: a signature ends an article); what was added, one phrase each."""
    added = []
    for key in ("streets", "places", "programmes", "candidate_programmes", "authors"):
        have = merged.get(key)
        extra = [n for n in other.get(key) or [] if n not in (have or [])]
        if extra and isinstance(other.get(key), list) and (have is None or isinstance(have, list)):
            merged[key] = list(have or []) + extra
            added.append(f"{key} {'、'.join(map(str, extra))}")
    if other.get("byline") and not merged.get("byline"):
        merged["byline"] = other["byline"]
        added.append(f"byline {other['byline']}")
    return added


def _piece_path(page: Path) -> Path:
    m = _PIECE.fullmatch(page.stem)
    stem = m.group(1) if m else page.stem
    n = 2
    while (page.with_name(f"{stem}-{n}.md")).exists():
        n += 1
    return page.with_name(f"{stem}-{n}.md")


def _next_part(page: Path, meta: dict) -> int:
    """One more than the highest ``part`` of this printed article among the pages beside ``page``."""
    highest = meta.get("part") if isinstance(meta.get("part"), int) else 1
    for other in page.parent.glob("*.md"):
        if other == page:
            continue
        try:
            ometa, _ = split_page(other.read_text(encoding="utf-8"), other)
        except (PageError, OSError, UnicodeDecodeError):
            continue
        if ometa.get("source") == meta.get("source") and ometa.get("position") == meta.get("position"):
            part = ometa.get("part") if isinstance(ometa.get("part"), int) else 1
            highest = max(highest, part)
    return highest + 1


@click.command("split")
@click.argument("page", type=click.Path(path_type=Path))
@click.option("--at", "at", required=True, help="第二篇正文开头的几个字（从这里拆开，原样照抄）")
@click.option("--title", required=True, help="第二篇的标题")
def split_command(page: Path, at: str, title: str) -> None:
    """把误合在一起的两篇拆开：PAGE 正文中从 --at 的文字起，另存为新页面 PAGE-2.md。

    新页面沿用 PAGE 的日期、街道、项目、作者等信息（请核对），标题为 --title，
    记为同一篇原文的第 2 部分（part: 2）。重新导入不会改动两个页面。
    """
    _refuse_outside()
    front, meta, body = _read(page)
    at = at.strip()
    where = body.find(at) if at else -1
    if where < 0:
        raise click.ClickException(f"{project.shown(page)} 的正文里找不到“{at}”（请从正文中原样复制几个字）")
    before, after = body[:where].strip(), body[where:].strip()
    if not before:
        raise click.ClickException(f"“{at}”就在正文开头：拆开后第一篇没有正文，请选第二篇开头的文字")
    target = _piece_path(page)
    piece = {k: v for k, v in meta.items() if k not in ("checksum", "summary", "kicker", "subtitle", "column", "byline")}
    piece["title"] = title
    piece["part"] = _next_part(page, meta)
    notes = _piece_date(piece, after, meta)
    if meta.get("byline"):  # printed after the text's end, which is now the new page's
        piece["byline"] = meta["byline"]
        front = re.sub(r"^byline:.*\r?\n(?:[ \t].*\r?\n)*", "", front, count=1, flags=re.M)
        notes.append(f"署名“{meta['byline']}”印在原文末尾，已移到新页面")
    authors = "、".join(map(str, meta.get("authors") or [])) or "（空）"
    notes.append(f"两篇的作者（authors）都是 {authors}，街道、项目也相同：请按各自的正文核对，删掉不属于它的")
    piece = dict(sorted(piece.items(), key=lambda kv: KEYS.index(kv[0]) if kv[0] in KEYS else len(KEYS)))
    atomic_write(target, f"---\n{dump_front_matter(piece)}---\n\n{after}\n")
    atomic_write(page, _page(_owned(front), before))
    click.echo(f"已拆分：{project.shown(page)} 保留“{at}”之前的正文，之后的正文另存为 {project.shown(target)}"
               f"（标题：{title}）。")
    for note in notes:
        click.echo(f"- {note}")
    click.echo("预览后提交（git add -A content）。")


def _piece_date(piece: dict, text: str, meta: dict) -> list[str]:
    """The new page's date from a day its own lead names (又讯 6月1日，…), as the importer reads
    one; else the old page's, and a note asking the editor to check it."""
    issue, old = meta.get("issue_date"), meta.get("date")
    day = lead_date(text[:60], issue) if isinstance(issue, dt.date) else None
    if day and day != old:
        piece["date"] = day
        return [f"新页面的日期改为 {day.isoformat()}（正文开头写的日子；原页面仍是 {old}）"]
    return [f"新页面的日期沿用原页面的 {old}：正文开头没有写日子，请核对"] if not day else []
