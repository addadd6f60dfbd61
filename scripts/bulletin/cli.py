"""``bulletin`` command line: import raw pages (and, via sub-modules, check and retag)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .importer import import_text, safe_stem
from .normalize import InputError, cjk_ratio, decode
from .store import article_path, stale_pages, write_page
from .taxonomy import TaxonomyError, load_taxonomy

MAX_BYTES = 64 * 1024 * 1024
_DATE_IN_NAME = re.compile(r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})")


@dataclass
class Summary:
    files: int = 0
    failed: list[str] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    new_streets: dict[str, int] = field(default_factory=dict)
    new_programmes: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)


def read_raw(path: Path) -> tuple[str, str]:
    """A raw page's text and detected encoding, or InputError with a plain reason."""
    if not path.exists():
        raise InputError(f"{path}: 文件不存在")
    if path.is_dir():
        raise InputError(f"{path}: 是目录，不是文件")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path}: 文件过大（超过 {MAX_BYTES // 2**20} MB），请先按版面拆分")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: 无法读取（{exc.strerror}）") from None
    text, encoding = decode(data, str(path))
    if cjk_ratio(text) < 0.3:
        raise InputError(f"{path}: 不像中文简报文本（汉字太少）")
    return text, encoding


def issue_date_for(path: Path, given: dt.date | None) -> dt.date:
    if given:
        return given
    m = _DATE_IN_NAME.search(path.name)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise InputError(f"{path}: 需要 --issue-date YYYY-MM-DD（文件名中也没有日期）")


def import_file(path: Path, issue: dt.date | None, content: Path, taxonomy, force: bool, summary: Summary) -> None:
    text, encoding = read_raw(path)
    summary.encodings[str(path)] = encoding
    day = issue_date_for(path, issue)
    result = import_text(text, path.name, day, taxonomy)
    if not result.articles:
        raise InputError(f"{path}: 没有找到任何文章")
    written = set()
    for article, slug in zip(result.articles, result.slugs):
        target = article_path(content, article, slug)
        status = write_page(target, article, force)
        written.add(target)
        summary.status[status] = summary.status.get(status, 0) + 1
        if status in ("kept", "replaced"):
            summary.kept.append(f"{target}: {'已保留编辑过的版本' if status == 'kept' else '已替换，原文件备份为 .bak'}")
    for old in stale_pages(content, day.year, f"{day.isoformat()}-{safe_stem(path.name)}", written):
        from .model import is_edited

        if is_edited(old.read_text(encoding="utf-8", errors="replace")):
            summary.stale.append(f"{old}: 本次导入已不再生成此页，但它被编辑过，已保留")
        else:
            old.unlink()
            summary.status["removed"] = summary.status.get("removed", 0) + 1
    for left in result.leftovers:
        summary.leftovers.append(f"{path}:{left.line}: {left.reason}：{left.text[:40]}")
    for name in result.new_streets:
        summary.new_streets[name] = summary.new_streets.get(name, 0) + 1
    for name in result.new_programmes:
        summary.new_programmes[name] = summary.new_programmes.get(name, 0) + 1


def _report(console: Console, summary: Summary) -> None:
    table = Table(title="导入结果", show_header=False)
    labels = {"new": "新写入", "updated": "已更新", "unchanged": "未变", "kept": "保留编辑", "replaced": "强制替换", "removed": "删除过时页"}
    table.add_row("文件", f"{summary.files - len(summary.failed)} / {summary.files}")
    for key, label in labels.items():
        if summary.status.get(key):
            table.add_row(label, str(summary.status[key]))
    table.add_row("新街道候选", "、".join(summary.new_streets) or "无")
    table.add_row("新项目候选", "、".join(summary.new_programmes) or "无")
    table.add_row("未归属文字", str(len(summary.leftovers)))
    console.print(table)
    for line in summary.kept + summary.stale:
        console.print(f"[yellow]{line}[/]", highlight=False, soft_wrap=True)
    for line in summary.leftovers:
        console.print(f"[cyan]未归属[/] {line}", highlight=False, soft_wrap=True)
    for line in summary.failed:
        console.print(f"[red]错误[/] {line}", highlight=False, soft_wrap=True)


@click.group()
@click.version_option(package_name="bulletin")
def main() -> None:
    """社区简报归档工具：导入原始 OCR 版面、校验文章、生成网站。"""


@main.command("import")
@click.argument("raw", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--issue-date", type=click.DateTime(["%Y-%m-%d"]), help="本期出版日期 YYYY-MM-DD（默认从文件名读取）")
@click.option("--content", type=click.Path(path_type=Path), default=Path("content"), show_default=True, help="文章目录")
@click.option("--taxonomy", "taxonomy_path", type=click.Path(path_type=Path), default=Path("taxonomy.yml"), show_default=True)
@click.option("--force", is_flag=True, help="覆盖编辑过的页面（原文件备份为 .bak）")
@click.option("--report", type=click.Path(path_type=Path), help="把导入报告另存为 JSON")
def import_command(raw, issue_date, content, taxonomy_path, force, report) -> None:
    """把原始简报版面（每版一个 .txt）导入为每篇文章一个 Markdown 页面。"""
    console = Console(stderr=True)
    try:
        taxonomy = load_taxonomy(taxonomy_path)
    except TaxonomyError as exc:
        raise click.ClickException(str(exc)) from None
    issue = issue_date.date() if issue_date else None
    summary = Summary(files=len(raw))
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=len(raw) < 2,
    ) as progress:
        task = progress.add_task("导入", total=len(raw))
        for path in raw:
            try:
                import_file(path, issue, content, taxonomy, force, summary)
            except InputError as exc:
                summary.failed.append(str(exc))
            except OSError as exc:
                summary.failed.append(f"{path}: 无法写入 {exc.filename or content}（{exc.strerror}）")
            progress.advance(task)
    _report(console, summary)
    if report:
        report.write_text(json.dumps(summary.__dict__, ensure_ascii=False, indent=2), encoding="utf-8")
    if summary.failed:
        sys.exit(1)


from .check import check_command  # noqa: E402  bulletin check
from .retag import retag_command  # noqa: E402  bulletin retag

main.add_command(check_command)
main.add_command(retag_command)


if __name__ == "__main__":
    main()
