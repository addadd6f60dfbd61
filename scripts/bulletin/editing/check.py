"""``bulletin check``: every article page against the one schema, in plain words.

Each problem is one line ``file:line: message``. Severity decides the exit
status and whether the site build stops:

errors (exit 1, build fails)
    broken YAML, no front matter, missing/invalid keys, impossible or
    implausible dates, empty titles, keys written twice, duplicate articles
    (same ``source`` + ``position``, or the same body text), unsafe file
    names, unreadable (non UTF-8) files, a broken or ambiguous taxonomy.yml.
warnings (printed, exit 0; ``--strict`` makes them errors)
    streets/programmes not in taxonomy.yml (new streets appear all the time),
    an alias used instead of the canonical name (``bulletin retag`` fixes it),
    district that contradicts the taxonomy, empty body, stray non-Markdown
    files among the articles.

The pure core is :func:`check_pages` (texts in, problems out); the MkDocs
plugin calls it (or :func:`check_paths`) so the build fails with exactly the
messages ``bulletin check`` prints. The rules themselves are in
:mod:`bulletin.editing.rules`; this module finds and reads the pages.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Callable, Iterable, Mapping

import click

from bulletin.editing.rules import (
    ARTICLES_DIR,
    ERROR,
    Page,
    Problem,
    duplicate_keys,
    duplicate_problems,
    err,
    name_problems,
    page_problems,
    problem_order,
    warn,
)
from bulletin import contentfiles, project
from bulletin.contentfiles import walk
from bulletin.editing.allowlist import content_problems
from bulletin.editing.links import in_folder, missing_links
from bulletin.editing.report import candidates_line, collect_candidates, failed, github_annotation, print_text, summary
from bulletin.model import PageError, split_page
from bulletin.taxonomy import DEFAULT_PATH, Taxonomy, TaxonomyError, load_taxonomy

# --------------------------------------------------------------------------- many pages


def check_pages(
    pages: Mapping[str, str],
    taxonomy: Taxonomy | None = None,
    context: Mapping[str, str] | None = None,
    parsed: dict[str, tuple[dict, str]] | None = None,
    cache: dict | None = None,
    exists: Callable[[str, str], bool] | None = None,
) -> list[Problem]:
    """All problems of ``pages`` (name -> page text), sorted by file and line.

    ``context`` pages (e.g. the rest of the archive when pre-commit passes only
    the changed files) are read to find duplicates but not reported on.
    ``parsed``, when given, receives ``name -> (meta, body)`` of every readable
    page (the build indexes them without parsing the YAML again). ``cache``
    (kept by the caller between runs, as ``mkdocs serve`` does) skips pages
    whose text and taxonomy are the same as last time. ``exists(name, path)``, when
    given, says whether a file a page links to (relative to the page) is in the archive.
    """
    out: list[Problem] = []
    checked: list[Page] = []
    keys: dict[str, list[tuple]] = {}
    for name, text in pages.items():
        name = str(name)
        hit = cache.get(name) if cache is not None else None
        if hit and hit[1] is taxonomy and hit[0] == text:
            _, _, problems, page, keys[name] = hit
        else:
            page = Page(name, text)
            problems = page_problems(page, taxonomy)
            keys[name] = duplicate_keys(page)
            if cache is not None:
                cache[name] = (text, taxonomy, problems, page, keys[name])
        out += problems
        if exists is not None and page.meta is not None:
            out += [Problem(ERROR, name, line, message, "links") for line, message
                    in missing_links(text, page.body, lambda path, name=name: exists(name, path))]
        checked.append(page)
        if parsed is not None and page.meta is not None:
            parsed[name] = (page.meta, page.body)
    for name, text in (context or {}).items():
        if str(name) in pages:
            continue
        page = Page(str(name), text)
        try:
            page.meta, page.body = split_page(text, name)
        except PageError:
            continue
        checked.append(page)
        keys[page.name] = duplicate_keys(page)
    out += duplicate_problems(checked, {str(n) for n in pages}, keys)
    return sorted(set(out), key=problem_order)


def _in_articles(path: Path) -> bool:
    return ARTICLES_DIR in path.resolve().parts


def _articles_root(path: Path) -> Path | None:
    for parent in path.resolve().parents:
        if parent.name == ARTICLES_DIR:
            return parent
    return None


def _has_front_matter(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(3) == b"---"
    except OSError:
        return True  # unreadable: checked, so the reason is reported


BACKUP = "是 bulletin import --force 留下的备份（不会发布，也不会提交）；和新页面核对后请删除"
SYMLINK = "是符号链接：文章目录里不能有符号链接（它会把链接指向的文件发布出去），请换成普通文件"


def collect_pages(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Pages named by ``paths``: files, and in folders every ``.md`` page below an
    articles/ folder and every other ``.md`` file with front matter, wherever it sits.
    A folder that holds none is an error: a check that checked nothing must not pass."""
    pages: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_symlink():
            problems.append(err(path, 1, SYMLINK))
        elif path.is_file():
            if path.suffix == ".md":
                pages.append(path)
            else:
                problems.append(warn(path, 1, "不是 Markdown（.md）文件，没有检查"))
        elif path.is_dir():
            inside = _in_articles(path)
            before = len(pages)
            for f in walk(path):
                rel = f.relative_to(path)
                if any(part.startswith(".") and part not in (".", "..") for part in rel.parts[:-1]):
                    continue  # .git, .cache and the like
                if f.is_symlink():
                    problems.append(err(f, 1, SYMLINK))
                    continue
                if not f.is_file():
                    continue
                if not (inside or ARTICLES_DIR in rel.parts[:-1]):
                    if f.suffix == ".md" and not f.name.startswith(".") and _has_front_matter(f):
                        pages.append(f)
                    continue
                if f.suffix == ".md":
                    pages.append(f)
                elif f.suffix.lower() == ".md":
                    problems.append(err(f, 1, "扩展名应为小写 .md，否则不会作为文章发布"))
                elif f.suffix == ".bak":  # excluded by mkdocs.yml and .gitignore: a reminder only
                    problems.append(warn(f, 1, BACKUP))
                else:
                    problems += name_problems(f)
                    problems += [err(p, 1, why) for p, why in contentfiles.problems([(f.name, f)], frozenset(), ())]
            if len(pages) == before:
                problems.append(err(path, 1, "目录中没有找到文章页面（带前置元数据的 .md 文件），什么也没有检查"))
        else:
            problems.append(err(path, 1, "文件或目录不存在"))
    return list(dict.fromkeys(pages)), problems


def _read(path: Path) -> str | Problem:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return err(path, 1, f"不是 UTF-8 文本（第 {exc.start} 字节），请用 UTF-8 编码保存")
    except OSError as exc:
        return err(path, 1, f"无法读取：{exc.strerror}")


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it (as editors typed it)."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def check_paths(paths: Iterable[str | Path], taxonomy: Taxonomy | None = None) -> list[Problem]:
    """Check the article pages under ``paths``; duplicates are looked for in their whole articles/ folder."""
    return check_files(*collect_pages(paths), taxonomy)


def check_files(files: list[Path], out: list[Problem], taxonomy: Taxonomy | None = None,
                parsed: dict | None = None) -> list[Problem]:
    """:func:`check_paths` on pages already collected (``out``: the problems found collecting them);
    ``parsed`` receives ``name -> (meta, body)`` of every readable page."""
    out = list(out)
    texts: dict[str, str] = {}
    for f in files:
        got = _read(f)
        if isinstance(got, Problem):
            out += name_problems(f) + [got]
        else:
            texts[str(f)] = got
    context: dict[str, str] = {}
    roots = {r for r in (_articles_root(f) for f in files) if r is not None}
    checked = {f.resolve() for f in files}
    for root in roots:
        for f in walk(root):
            if f.suffix == ".md" and not f.is_symlink() and f.resolve() not in checked:
                got = _read(f)
                if isinstance(got, str):
                    context[str(_shown(f))] = got
    return sorted(set(out + check_pages(texts, taxonomy, context, parsed, exists=_on_disk)), key=problem_order)


def _on_disk(name: str, path: str) -> bool:
    """Whether the file page ``name`` links to as ``path`` is a file of its content folder."""
    page = Path(name).resolve()
    root = _articles_root(page)
    docs = root.parent if root else page.parent
    return in_folder(page.relative_to(docs).as_posix(), path, lambda target: (docs / target).is_file(),
                     root.name if root else ARTICLES_DIR)


def check_taxonomy_file(path: str | Path = DEFAULT_PATH) -> tuple[Taxonomy | None, list[Problem]]:
    """Load taxonomy.yml; every problem (the same that stop build, import and retag) as an error."""
    try:
        return load_taxonomy(path), []
    except TaxonomyError as exc:
        return None, [err(exc.path, line, message) for line, message in exc.problems]


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--taxonomy", "taxonomy_path", type=click.Path(path_type=Path),
              help="分类表文件（默认：从当前目录向上找到的项目的分类表）")
@click.option("--strict", is_flag=True, help="警告也算错误（退出码非零）")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github：输出 GitHub Actions 注释，问题显示在拉取请求的对应行上")
def check_command(paths: tuple[Path, ...], taxonomy_path: Path, strict: bool, fmt: str) -> None:
    """检查文章页面的前置元数据。PATH 可以是文件或目录（检查其中所有带前置元数据的 .md 文件），
    默认为项目的文章目录（content）。

    每个问题一行：文件:行号: 错误/警告：说明。有错误、或 PATH 中没有任何页面时退出码为 1。
    """
    try:
        found = project.find_project()
        path, how = project.taxonomy_path(taxonomy_path, found)
    except project.ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    taxonomy, problems = check_taxonomy_file(Path(project.shown(path))) if path else (None, [])
    files, collected = collect_pages(paths or (Path(project.shown(found.content)),))
    parsed: dict = {}
    problems += check_files(files, collected, taxonomy, parsed)
    problems = sorted(set(problems + content_problems(found, paths)), key=problem_order)
    if fmt == "github":
        for p in problems:
            click.echo(github_annotation(p, strict))
    else:
        print_text(problems, strict)
    if not path:
        click.echo(project.no_taxonomy_note(how), err=True)
    candidates = collect_candidates(parsed, taxonomy)
    if candidates:
        where = "".join(f" {shlex.quote(str(p))}" for p in paths) if len(paths) <= 3 else ""
        click.echo(candidates_line(candidates, where), err=True)
    click.echo(summary(problems, strict, len(files)), err=True)
    if failed(problems, strict):
        raise SystemExit(1)
