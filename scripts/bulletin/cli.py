"""``bulletin`` command line: import raw pages (and, via sub-modules, check and retag)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from bulletin import project
from bulletin.clierrors import Group
from bulletin.editing.imports import Summary, check_writable, import_file
from bulletin.editing.pageimport import import_page_file
from bulletin.editing.store import FolderIndex, atomic_write
from bulletin.importer.explain import explain as explain_page
from bulletin.importer.layoutfeatures import records_for
from bulletin.importer.normalize import InputError
from bulletin.importer.pagefile import is_page_file, page_texts
from bulletin.importer.rawfile import DOUBT_MARK, parse_issue_date, read_raw, shown
from bulletin.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

# A per-page progress bar for raw files that make more pages than this.
_MANY_PAGES = 200
_LABELS = {"new": "新写入", "updated": "已更新", "unchanged": "未变", "kept": "保留编辑", "replaced": "强制替换",
           "deleted": "编辑已删除（未恢复）", "restored": "恢复已删除页", "removed": "删除过时页"}


class IssueDate(click.ParamType):
    """``YYYY-MM-DD``, a real calendar day within the archive's range."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return parse_issue_date(value)
        except InputError as exc:
            self.fail(str(exc).strip(), param, ctx)


# One name per report row, used for its count in the table and for each of its lines
# below it (the editors' guide uses the same names).
UNKNOWN, UNPLACED, CHECK_SPLIT, CHECK_OCR = "未知地名", "未归属文字", "请核对分篇", "请核对识别"


def _report(console: Console, summary: Summary) -> None:
    if summary.files and len(summary.failed) == summary.files:
        for line in summary.failed:  # nothing imported: just the reasons, one line each
            console.print(f"[red]错误[/] {escape(line)}", highlight=False, soft_wrap=True)
        return
    table = Table(title="导入结果", show_header=False)
    table.add_row("文件", f"{summary.files - len(summary.failed)} / {summary.files}")
    table.add_row("分类表", summary.taxonomy or "无（见下）")
    for key, label in _LABELS.items():
        if summary.status.get(key):
            table.add_row(label, str(summary.status[key]))
    by_encoding: dict[str, int] = {}
    for enc in summary.encodings.values():
        by_encoding[enc] = by_encoding.get(enc, 0) + 1
    table.add_row("编码", "、".join(f"{enc} {n}" for enc, n in sorted(by_encoding.items())) or "无")
    table.add_row(UNKNOWN, "、".join([*summary.new_streets, *summary.new_districts]) or "无")
    table.add_row("项目候选", "、".join(summary.new_programmes) or "无")
    table.add_row(UNPLACED, str(len(summary.leftovers)))
    table.add_row(CHECK_SPLIT, str(len(summary.unsure)))
    if summary.doubtful:
        table.add_row(CHECK_OCR, str(len(summary.doubtful)))
    console.print(table)
    others = [(p, enc) for p, enc in summary.encodings.items() if enc != "utf-8"]
    for path, enc in others[:50]:
        console.print(f"[magenta]编码[/] {escape(shown(path))}: {escape(enc)}", highlight=False, soft_wrap=True)
    if len(others) > 50:
        console.print(f"[magenta]编码[/] 另有 {len(others) - 50} 个文件不是 UTF-8（见 --report）", highlight=False)
    for line in summary.kept + summary.deleted + summary.stale:
        console.print(f"[yellow]{escape(line)}[/]", highlight=False, soft_wrap=True)
    for line in summary.unknown_places:
        console.print(f"[yellow]{UNKNOWN}[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in summary.unsure:
        console.print(f"[yellow]{CHECK_SPLIT}[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in summary.doubtful[:200]:
        console.print(f"[yellow]{CHECK_OCR}[/] {escape(line)}", highlight=False, soft_wrap=True)
    if len(summary.doubtful) > 200:
        console.print(f"[yellow]{CHECK_OCR}[/] 另有 {len(summary.doubtful) - 200} 行（见 --report，原文中标有 ⟦待核⟧）", highlight=False)
    for line in summary.leftovers:
        console.print(f"[cyan]{UNPLACED}[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in summary.failed:
        console.print(f"[red]错误[/] {escape(line)}", highlight=False, soft_wrap=True)


@click.group(cls=Group)
@click.version_option(package_name="bulletin")
def main() -> None:
    """社区简报归档工具：导入原始 OCR 版面、校验文章、生成网站。"""


@main.command("import")
@click.argument("raw", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--issue-date", type=IssueDate(), help="本期出版日期 YYYY-MM-DD（默认从文件名读取）")
@click.option("--content", type=click.Path(path_type=Path), help="文章目录（默认为项目 mkdocs.yml 的 docs_dir）")
@click.option("--taxonomy", "taxonomy_path", type=click.Path(path_type=Path),
              help="分类表（默认从当前目录向上找到的项目 mkdocs.yml 中的设置，或 taxonomy.yml）")
@click.option("--force", is_flag=True, help="恢复导入程序的版本：覆盖编辑过的页面（原文件备份为 .bak），恢复编辑删除的页面")
@click.option("--report", type=click.Path(path_type=Path), help="把导入报告另存为 JSON")
@click.option("--explain", is_flag=True, help="不写入页面，逐行列出识别结果（每行的类型、开始新文章的概率和分篇决定）")
@click.option("--raw-dir", type=click.Path(path_type=Path),
              help="PDF、扫描件识别出的文字存放处（默认为文章目录旁的 raw/）")
def import_command(raw, issue_date, content, taxonomy_path, force, report, explain, raw_dir) -> None:
    """把原始简报版面导入为每篇文章一个 Markdown 页面。

    版面可以是文字（每版一个 .txt）、PDF（每页一版）或扫描件、照片（.jpg .png .tif）；
    PDF 和图片识别出的文字存为 raw/<名称>.txt，再按文字导入。
    一个文件出错不影响其他文件；出错的文件不写入任何页面，最后统一列出，退出码为 1。
    """
    console = Console(stderr=True)
    if explain:
        _explain(raw)
        return
    content, taxonomy, summary = _setup(content, taxonomy_path)
    summary.files = len(raw)
    index = FolderIndex()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=len(raw) < 2 and not _big(raw) and not any(map(is_page_file, raw)),
    ) as progress:
        task = progress.add_task("导入", total=len(raw))
        plain_every = max(1, len(raw) // 10) if len(raw) >= 100 and not console.is_interactive else 0
        for done, path in enumerate(raw, 1):
            progress.update(task, description=f"导入 {_short(path)}")
            pages = _PageProgress(progress, 2, "识别页面") if is_page_file(path) else _PageProgress(progress)
            try:
                if is_page_file(path):
                    import_page_file(path, issue_date, content, taxonomy, force, summary,
                                     raw_dir or content.parent / "raw", pages, index)
                else:
                    import_file(path, issue_date, content, taxonomy, force, summary, pages, index)
            except InputError as exc:
                summary.failed.append(str(exc))
            except OSError as exc:
                summary.failed.append(f"{shown(path)}: 无法写入 {shown(exc.filename or content)}（{exc.strerror or exc}），本文件的页面都没有写入")
            except Exception as exc:  # a bug in the pipeline must not stop the other files
                summary.failed.append(f"{shown(path)}: 导入出错，本文件的页面都没有写入（{type(exc).__name__}: {shown(exc)}；这是程序缺陷，请附上此文件报告）")
            finally:
                pages.done()
            progress.advance(task)
            if plain_every and (done % plain_every == 0 or done == len(raw)):
                console.print(f"已处理 {done}/{len(raw)} 个文件", highlight=False)
    _report(console, summary)
    if report:
        try:
            atomic_write(report, json.dumps(summary.__dict__, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            raise click.ClickException(f"无法写入报告 {shown(report)}（{exc.strerror or exc}）") from None
    if summary.failed:
        sys.exit(1)


def _explain(raw) -> None:
    failed = False
    for path in raw:
        try:
            texts = _page_texts(path) if is_page_file(path) else [(shown(path), read_raw(path)[0], records_for(path))]
            for name, text, layout in texts:
                for line in explain_page(text, name, layout=layout):
                    click.echo(line)
        except InputError as exc:
            click.echo(f"错误 {exc}", err=True)
            failed = True
    if failed:
        sys.exit(1)


def _page_texts(path: Path):
    """(name, text, layout evidence) of each page of a PDF or image, read as an import would, nothing written."""
    for n, text in page_texts(path):
        if isinstance(text, InputError):
            raise text
        yield f"{shown(path)} 第 {n} 页", text.text.replace(DOUBT_MARK, ""), text.features


def _setup(content: Path | None, taxonomy_path: Path | None):
    """The content folder and taxonomy of the project this runs in; a ClickException when unusable."""
    try:
        found = project.find_project()
        path, how = project.taxonomy_path(taxonomy_path, found)
        taxonomy = load_taxonomy(path) if path else None
        content = content or Path(project.shown(found.content))  # the report names pages as typed
        project.refuse_site_output(content, found.config)
        check_writable(content)
    except (project.ProjectError, TaxonomyError, InputError) as exc:
        raise click.ClickException(str(exc)) from None
    summary = Summary(taxonomy=f"{project.shown(path)}（{how}）" if path else "")
    if not path:
        summary.stale.insert(0, project.no_taxonomy_note(how))
    return content, taxonomy or Taxonomy(), summary


def _big(raw) -> bool:
    try:
        return any(Path(p).stat().st_size > 4 * 2**20 for p in raw)
    except OSError:
        return False


def _short(path: Path) -> str:
    name = shown(Path(path).name)
    return escape(name if len(name) <= 30 else name[:14] + "…" + name[-14:])


class _PageProgress:
    """Callback for write_pages: a second bar while a big raw file's pages are written."""

    def __init__(self, progress: Progress, least: int = _MANY_PAGES, label: str = "写入页面"):
        self.progress, self.task, self.least, self.label = progress, None, least, label

    def __call__(self, done: int, total: int) -> None:
        if total < self.least:
            return
        if self.task is None:
            self.task = self.progress.add_task(self.label, total=total)
        self.progress.update(self.task, completed=done)

    def done(self) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None


from bulletin.editing.check import check_command  # noqa: E402  bulletin check
from bulletin.editing.retag import retag_command  # noqa: E402  bulletin retag
from bulletin.editing.candidates import candidates_command  # noqa: E402  bulletin candidates
from bulletin.editing.pieces import merge_command, split_command  # noqa: E402  bulletin merge, split
from bulletin.editing.preview import preview_command  # noqa: E402  bulletin preview

main.add_command(check_command)
main.add_command(retag_command)
main.add_command(candidates_command)
main.add_command(merge_command)
main.add_command(split_command)
main.add_command(preview_command)


if __name__ == "__main__":
    main()
