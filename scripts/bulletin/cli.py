"""``bulletin`` command line: import raw pages (and, via sub-modules, check and retag)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from bulletin.editing.store import FolderIndex, article_path, atomic_write, stale_pages, write_pages
from bulletin.importer.explain import explain as explain_page
from bulletin.importer.explain import unsure
from bulletin.importer.normalize import InputError, cjk_ratio, decode
from bulletin.importer.pipeline import import_text, safe_stem
from bulletin.model import EARLIEST_DATE, is_edited
from bulletin.taxonomy import TaxonomyError, load_taxonomy

# Bigger than any scanned page set: refused before reading, so a wrong file
# (a disk image, a video) is not read into memory. 50 MB of text imports fine.
MAX_BYTES = 64 * 1024 * 1024
_DATE_IN_NAME = re.compile(r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A per-page progress bar for raw files that make more pages than this.
_MANY_PAGES = 200


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
    unsure: list[str] = field(default_factory=list)


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
    text, encoding = decode(data, name)
    del data
    if cjk_ratio(text) < 0.3:
        raise InputError(f"{name}: 不像中文简报文本（汉字太少，编码按 {encoding} 识别）")
    return text, encoding


def check_issue_date(day: dt.date, what: str = "出版日期") -> dt.date:
    """The archive's date rules (``bulletin check`` would refuse anything else)."""
    if day < EARLIEST_DATE:
        raise InputError(f"{what} {day} 早于 {EARLIEST_DATE.year} 年，请核对")
    if day > dt.date.today() + dt.timedelta(days=1):
        raise InputError(f"{what} {day} 是将来的日期，请核对")
    return day


def issue_date_for(path: Path, given: dt.date | None) -> dt.date:
    if given:
        return given
    m = _DATE_IN_NAME.search(path.name)
    if m:
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
        else:
            try:
                return check_issue_date(day, "文件名中的日期")
            except InputError as exc:
                raise InputError(f"{shown(path)}: {exc}；请用 --issue-date YYYY-MM-DD 指定") from None
    raise InputError(f"{shown(path)}: 需要 --issue-date YYYY-MM-DD（文件名中也没有日期）")


class IssueDate(click.ParamType):
    """``YYYY-MM-DD``, a real calendar day within the archive's range."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            self._fail(f"应为 YYYY-MM-DD 格式的日期，例如 2021-05-28，而不是 {value!r}")
        try:
            day = dt.date(*map(int, text.split("-")))
        except ValueError:
            self._fail(f"{text} 不是真实存在的日期")
        try:
            return check_issue_date(day)
        except InputError as exc:
            self._fail(str(exc))

    @staticmethod
    def _fail(message: str):
        raise _BadDate(f"--issue-date {message}")


class _BadDate(click.ClickException):
    """A wrong option value: exit code 2 like click's usage errors, but one clear line."""

    exit_code = 2


def check_writable(content: Path) -> None:
    """Fail early, naming the folder, when pages cannot be written under ``content``.

    Writes nothing: the test file is created in the deepest folder that exists
    and is gone again at once.
    """
    folder = content / "articles"
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    if not folder.is_dir():
        raise click.ClickException(f"无法写入文章目录 {shown(content)}：{shown(folder)} 不是目录")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise click.ClickException(f"无法写入文章目录 {shown(content)}：{shown(folder)}（{exc.strerror or exc}）") from None


def import_file(path: Path, issue: dt.date | None, content: Path, taxonomy, force: bool, summary: Summary,
                pages_progress=None, index: FolderIndex | None = None) -> None:
    """Import one raw page: all its pages are written, or (on an error) none of them.

    ``index``: the run's listing of the article folders (see FolderIndex); one
    is made for this file when not given.
    """
    index = index or FolderIndex()
    text, encoding = read_raw(path)
    day = issue_date_for(path, issue)
    result = import_text(text, path.name, day, taxonomy)
    del text
    if not result.articles:
        raise InputError(f"{shown(path)}: 没有找到任何文章（{len(result.leftovers)} 段文字都无法归入文章）")
    prefix = f"{day.isoformat()}-{safe_stem(path.name)}"
    other = index.claim(content / "articles" / f"{day.year:04d}", prefix, str(path))
    if other:
        raise InputError(f"{shown(path)}: 与本次导入的 {shown(other)} 文件名相同、出版日期也相同（{day}），"
                         "两者的页面会互相覆盖；请改名或分开导入")
    summary.encodings[str(path)] = encoding
    targets = [article_path(content, a, slug) for a, slug in zip(result.articles, result.slugs)]
    for folder in {t.parent for t in targets}:
        index.visit(folder)  # removes temp files a killed import left
    statuses = write_pages(list(zip(targets, result.articles)), force, progress=pages_progress)
    for target, status in zip(targets, statuses):
        index.added(target)
        summary.status[status] = summary.status.get(status, 0) + 1
        if status in ("kept", "replaced"):
            summary.kept.append(f"{target}: {'已保留编辑过的版本' if status == 'kept' else '已替换，原文件备份为 .bak'}")
    for old in stale_pages(content, day.year, prefix, set(targets), index):
        if is_edited(old.read_text(encoding="utf-8", errors="replace")):
            summary.stale.append(f"{old}: 本次导入已不再生成此页，但它被编辑过，已保留")
        else:
            old.unlink()
            index.removed(old)
            summary.status["removed"] = summary.status.get("removed", 0) + 1
    for d in unsure(result.boundaries):
        verdict = "分为新文章" if d.opens else "算作文中小标题"
        summary.unsure.append(f"{shown(path)}:{d.line}: {verdict}（把握 {d.confidence:.2f}）：{' / '.join(d.lines)[:40]}")
    for left in result.leftovers:
        summary.leftovers.append(f"{shown(path)}:{left.line}: {left.reason}：{left.text[:40]}")
    for name in result.new_streets:
        summary.new_streets[name] = summary.new_streets.get(name, 0) + 1
    for name in result.new_programmes:
        summary.new_programmes[name] = summary.new_programmes.get(name, 0) + 1


def _report(console: Console, summary: Summary) -> None:
    if summary.files and len(summary.failed) == summary.files:
        for line in summary.failed:  # nothing imported: just the reasons, one line each
            console.print(f"[red]错误[/] {escape(line)}", highlight=False, soft_wrap=True)
        return
    table = Table(title="导入结果", show_header=False)
    labels = {"new": "新写入", "updated": "已更新", "unchanged": "未变", "kept": "保留编辑", "replaced": "强制替换", "removed": "删除过时页"}
    table.add_row("文件", f"{summary.files - len(summary.failed)} / {summary.files}")
    for key, label in labels.items():
        if summary.status.get(key):
            table.add_row(label, str(summary.status[key]))
    by_encoding: dict[str, int] = {}
    for enc in summary.encodings.values():
        by_encoding[enc] = by_encoding.get(enc, 0) + 1
    table.add_row("编码", "、".join(f"{enc} {n}" for enc, n in sorted(by_encoding.items())) or "无")
    table.add_row("新街道候选", "、".join(summary.new_streets) or "无")
    table.add_row("新项目候选", "、".join(summary.new_programmes) or "无")
    table.add_row("未归属文字", str(len(summary.leftovers)))
    table.add_row("把握不大的分篇", str(len(summary.unsure)))
    console.print(table)
    others = [(p, enc) for p, enc in summary.encodings.items() if enc != "utf-8"]
    for path, enc in others[:50]:
        console.print(f"[magenta]编码[/] {escape(shown(path))}: {escape(enc)}", highlight=False, soft_wrap=True)
    if len(others) > 50:
        console.print(f"[magenta]编码[/] 另有 {len(others) - 50} 个文件不是 UTF-8（见 --report）", highlight=False)
    for line in summary.kept + summary.stale:
        console.print(f"[yellow]{escape(line)}[/]", highlight=False, soft_wrap=True)
    for line in summary.unsure:
        console.print(f"[yellow]请核对分篇[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in summary.leftovers:
        console.print(f"[cyan]未归属[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in summary.failed:
        console.print(f"[red]错误[/] {escape(line)}", highlight=False, soft_wrap=True)


@click.group()
@click.version_option(package_name="bulletin")
def main() -> None:
    """社区简报归档工具：导入原始 OCR 版面、校验文章、生成网站。"""


@main.command("import")
@click.argument("raw", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--issue-date", type=IssueDate(), help="本期出版日期 YYYY-MM-DD（默认从文件名读取）")
@click.option("--content", type=click.Path(path_type=Path), default=Path("content"), show_default=True, help="文章目录")
@click.option("--taxonomy", "taxonomy_path", type=click.Path(path_type=Path), default=Path("taxonomy.yml"), show_default=True)
@click.option("--force", is_flag=True, help="覆盖编辑过的页面（原文件备份为 .bak）")
@click.option("--report", type=click.Path(path_type=Path), help="把导入报告另存为 JSON")
@click.option("--explain", is_flag=True, help="不写入页面，逐段列出识别结果（段落类型、分篇决定及理由）")
def import_command(raw, issue_date, content, taxonomy_path, force, report, explain) -> None:
    """把原始简报版面（每版一个 .txt）导入为每篇文章一个 Markdown 页面。

    一个文件出错不影响其他文件；出错的文件不写入任何页面，最后统一列出，退出码为 1。
    """
    console = Console(stderr=True)
    if explain:
        _explain(raw)
        return
    try:
        taxonomy = load_taxonomy(taxonomy_path)
    except TaxonomyError as exc:
        raise click.ClickException(str(exc)) from None
    check_writable(content)
    summary = Summary(files=len(raw))
    index = FolderIndex()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=len(raw) < 2 and not _big(raw),
    ) as progress:
        task = progress.add_task("导入", total=len(raw))
        plain_every = max(1, len(raw) // 10) if len(raw) >= 100 and not console.is_interactive else 0
        for done, path in enumerate(raw, 1):
            progress.update(task, description=f"导入 {_short(path)}")
            pages = _PageProgress(progress)
            try:
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
            text, _ = read_raw(path)
        except InputError as exc:
            click.echo(f"错误 {exc}", err=True)
            failed = True
            continue
        for line in explain_page(text, shown(path)):
            click.echo(line)
    if failed:
        sys.exit(1)


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

    def __init__(self, progress: Progress):
        self.progress, self.task = progress, None

    def __call__(self, done: int, total: int) -> None:
        if total < _MANY_PAGES:
            return
        if self.task is None:
            self.task = self.progress.add_task("写入页面", total=total)
        self.progress.update(self.task, completed=done)

    def done(self) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None


from bulletin.editing.check import check_command  # noqa: E402  bulletin check
from bulletin.editing.retag import retag_command  # noqa: E402  bulletin retag

main.add_command(check_command)
main.add_command(retag_command)


if __name__ == "__main__":
    main()
