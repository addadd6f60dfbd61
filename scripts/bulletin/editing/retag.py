"""``bulletin retag``: apply taxonomy.yml (aliases, merged names) to the pages themselves.

The build already shows canonical tags (the plugin applies
:meth:`Taxonomy.retag`); this command writes them into the front matter so the
Markdown in the repository says what the site says; ``candidate_programmes``
an editor has since added to the taxonomy move to ``programmes``. Only the
``streets``, ``programmes`` and ``candidate_programmes`` entries that change,
and ``district`` where the taxonomy knows a page's street's district, are
rewritten: the body, every other key,
comments and blank lines stay byte-for-byte. A page the importer wrote and
nobody edited keeps a matching checksum, so a later re-import may still refresh
it; a hand-edited page stays hand-edited. Each file is replaced atomically
(temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from bulletin import project
from bulletin.editing.check import collect_pages
from bulletin import safeyaml
from bulletin.model import MAX_FRONT_MATTER, PageError, content_checksum, is_edited, split_page
from bulletin.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

TAG_KEYS = ("streets", "programmes", "candidate_programmes")
_FRONT = re.compile(r"\A(---[ \t]*\r?\n)(.*?)(^---[ \t]*\r?$)", re.S | re.M)


@dataclass(frozen=True)
class Change:
    file: str
    key: str
    old: tuple[str, ...]
    new: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {'、'.join(self.old) or '（空）'} → {'、'.join(self.new) or '（空）'}"


@dataclass
class RetagResult:
    changes: list[Change] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # pages rewritten (or that would be, with dry_run)
    skipped: list[PageError] = field(default_factory=list)  # unreadable pages, left alone


def _dump_value(key: str, items: list[str], flow: bool, indent: str, nl: str) -> list[str]:
    if flow or not items:
        value = yaml.safe_dump(items, default_flow_style=True, allow_unicode=True, width=10**6).strip()
        return [f"{key}: {value}{nl}"]
    block = yaml.safe_dump(items, default_flow_style=False, allow_unicode=True, width=10**6)
    return [f"{key}:{nl}"] + [f"{indent}{line}{nl}" for line in block.splitlines()]


def retag_text(text: str, taxonomy: Taxonomy, path: str | Path = "<page>") -> tuple[str, list[Change]]:
    """``text`` with canonical streets/programmes; unchanged text when nothing applies.

    Raises :class:`PageError` when the front matter cannot be read.
    """
    meta, body = split_page(text, path)
    current = {k: meta.get(k) for k in TAG_KEYS}
    lists = {k: [str(v) for v in current[k]] if isinstance(current[k], list) else None for k in TAG_KEYS}
    programmes, candidates = lists["programmes"] or [], lists["candidate_programmes"] or []
    if lists["programmes"] is not None:  # candidates now in the taxonomy become programmes
        programmes, candidates = taxonomy.settle(programmes, candidates)
    new_streets, new_programmes = taxonomy.retag(lists["streets"] or [], programmes)
    wanted = {"streets": new_streets, "programmes": new_programmes, "candidate_programmes": candidates}
    changes = [
        Change(str(path), k, tuple(lists[k]), tuple(wanted[k]))
        for k in TAG_KEYS
        if lists[k] is not None and lists[k] != wanted[k]
    ]
    # A street added to the taxonomy with its district gives its pages that district.
    district = next((d for d in map(taxonomy.district_of, new_streets) if d), None)
    old_district = meta.get("district")
    if district and str(old_district or "") != district and not isinstance(old_district, (list, dict)):
        changes.append(Change(str(path), "district", (str(old_district),) if old_district else (), (district,)))
    if not changes:
        return text, []

    m = _FRONT.match(text)
    if not m:  # split_page accepted it, so this is an unusual layout: be safe, change nothing
        raise PageError(path, 1, "无法定位前置元数据的结束行 ---")
    front = m.group(2)
    lines = front.splitlines(keepends=True)
    try:
        root = safeyaml.compose(front, MAX_FRONT_MATTER)
    except yaml.YAMLError as exc:  # split_page read it, so only a layout it does not share
        raise PageError(path, 1, f"无法定位前置元数据（{getattr(exc, 'message', exc)}）") from None
    keys = [(k.value, k.start_mark.line, v) for k, v in root.value]
    for change in changes:
        if [k[0] for k in keys].count(change.key) > 1:
            raise PageError(path, 1, f"字段 {change.key} 重复出现，请先删掉多余的一行")
    edits: dict[int, tuple[int, list[str]]] = {}
    tail: list[str] = []
    for change in changes:
        if change.key == "district":
            nl = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
            line = f"district: {yaml.safe_dump([change.new[0]], default_flow_style=True, allow_unicode=True).strip()[1:-1]}{nl}"
            at = next((st for name, st, _ in keys if name == "district"), None)
            if at is not None:
                edits[at] = (at + 1, [line])
            else:  # before streets (the importer's key order), or at the end
                before = next((st for name, st, _ in keys if name == "streets"), None)
                if before is None:
                    tail.append(line)
                else:
                    end, old = edits.get(before, (before + 1, [lines[before]]))
                    edits[before] = (end, [line] + old)
            continue
        idx = next(i for i, (name, _, _) in enumerate(keys) if name == change.key)
        name, start, node = keys[idx]
        end = keys[idx + 1][1] if idx + 1 < len(keys) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # keep blank lines and comments that follow the list
        span = lines[start:end]
        nl = "\r\n" if span[0].endswith("\r\n") else "\n"
        dash = next((re.match(r"[ \t]*", ln).group(0) for ln in span[1:] if ln.lstrip().startswith("-")), "")
        flow = isinstance(node, yaml.SequenceNode) and bool(node.flow_style)
        gone = change.key == "candidate_programmes" and not change.new  # the importer writes no empty list
        edits[start] = (end, [] if gone else _dump_value(name, list(change.new), flow, dash, nl))
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in edits:
            end, new_lines = edits[i]
            out += new_lines
            i = end
        else:
            out.append(lines[i])
            i += 1
    if tail and out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    out += tail
    new_text = text[: m.start(2)] + "".join(out) + text[m.end(2):]

    if not is_edited(text):
        # Still the importer's page: keep the checksum valid so re-import may refresh it.
        new_meta, new_body = split_page(new_text, path)
        old_sum = str(meta.get("checksum"))
        new_sum = content_checksum(new_meta, new_body)
        fm = _FRONT.match(new_text)
        # Written as YAML writes it: a checksum of digits only is quoted, or it would read back as a number.
        value = yaml.safe_dump([new_sum], default_flow_style=True).strip()[1:-1]
        new_front = re.sub(rf"^(checksum:[ \t]*)(['\"]?){re.escape(old_sum)}\2", lambda g: g.group(1) + value,
                           fm.group(2), count=1, flags=re.M)
        new_text = new_text[: fm.start(2)] + new_front + new_text[fm.end(2):]
    return new_text, changes


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) so readers see the old or the new file, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def retag_paths(paths, taxonomy: Taxonomy, dry_run: bool = False) -> RetagResult:
    """Retag every article page under ``paths``; unreadable pages are skipped and reported."""
    files, _ = collect_pages(paths)
    result = RetagResult()
    for f in files:
        try:
            text = f.read_bytes().decode("utf-8")  # bytes: keep \r\n exactly
        except UnicodeDecodeError as exc:
            result.skipped.append(PageError(f, 1, f"不是 UTF-8 文本（第 {exc.start} 字节）"))
            continue
        try:
            new_text, changes = retag_text(text, taxonomy, f)
        except PageError as exc:
            result.skipped.append(exc)
            continue
        if not changes:
            continue
        result.changes += changes
        result.pages.append(str(f))
        if not dry_run:
            write_atomic(f, new_text)
    return result


@click.command("retag")
@click.option("--content", "content", type=click.Path(path_type=Path),
              help="文章所在目录（默认为项目 mkdocs.yml 的 docs_dir）")
@click.option("--taxonomy", "taxonomy_path", type=click.Path(path_type=Path),
              help="分类表文件（默认：从当前目录向上找到的项目的分类表）")
@click.option("--dry-run", is_flag=True, help="只列出会改动的地方，不写入文件")
def retag_command(content: Path, taxonomy_path: Path, dry_run: bool) -> None:
    """按分类表（别名、合并）统一所有文章页面中的街道和项目名称。

    已加入分类表的候选项目（candidate_programmes）移到 programmes。
    只改 streets、programmes、candidate_programmes 三项，并按分类表补全或改正 district（区），正文和其他字段一字不动。
    """
    try:
        found = project.find_project()
        path, how = project.taxonomy_path(taxonomy_path, found)
        if path is None:
            raise project.ProjectError(f"找不到分类表（{how}）：retag 按分类表统一标签；请在项目目录中运行，或用 --taxonomy 指定")
        taxonomy = load_taxonomy(path)
    except (project.ProjectError, TaxonomyError) as exc:
        raise click.ClickException(str(exc)) from None
    content = content or Path(project.shown(found.content))
    if not content.is_dir():
        raise click.ClickException(f"找不到文章目录 {content}")
    try:
        project.refuse_site_output(content, found.config)
    except project.ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    result = retag_paths([content], taxonomy, dry_run=dry_run)
    for change in result.changes:
        click.echo(str(change))
    for exc in result.skipped:
        click.echo(f"{exc.path}:{exc.line}: 跳过（前置元数据有误）：{exc.message}", err=True)
    n = len(result.pages)
    if dry_run:
        click.echo(f"将更新 {n} 个页面（--dry-run：没有写入任何文件）", err=True)
    else:
        click.echo(f"已更新 {n} 个页面" if n else "所有页面的标签已经是标准名称，没有改动", err=True)
    if result.skipped:
        click.echo(f"{len(result.skipped)} 个页面无法读取，没有处理；请先运行 bulletin check 修正", err=True)
        raise SystemExit(1)
