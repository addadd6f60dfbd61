"""``bulletin candidates``: programme names found by pattern, and adding chosen ones to the taxonomy.

The importer tags a page's ``programmes`` only with names from taxonomy.yml;
quoted names shaped like a programme (“全要素网格通”, 河长制 …) go to
``candidate_programmes``, which the site does not show, so a phrase that is
not a programme never gets a public page. An editor picks the real ones
(``bulletin candidates add 名称``, which appends them to taxonomy.yml keeping
its comments and layout), then ``bulletin retag`` moves them to
``programmes`` in every page; the build shows them at once anyway.
"""

from __future__ import annotations

from pathlib import Path
import click
import yaml

from bulletin import project
from bulletin.editing.check import check_files, collect_pages
from bulletin.editing.report import collect_candidates
from bulletin.editing.store import atomic_write
from bulletin.taxonomy import Taxonomy, TaxonomyError, load_taxonomy


def add_programmes(text: str, names: list[str], path: Path | str = "taxonomy.yml") -> str:
    """``text`` of a taxonomy.yml with ``names`` appended to its ``programmes`` list;
    every other line, comment included, unchanged."""
    items = [yaml.safe_dump({"name": n}, allow_unicode=True, width=10**6).strip() for n in names]
    root = yaml.compose(text) if text.strip() else None
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise ValueError(f"{path}:1: 应包含 streets 和 programmes 两个列表")
    node = next((v for k, v in (root.value if root else []) if getattr(k, "value", None) == "programmes"), None)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if node is None:
        return "".join(lines) + "programmes:\n" + "".join(f"  - {i}\n" for i in items)
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        raise ValueError(f"{path}:{node.start_mark.line + 1}: programmes 写成了方括号列表，请手动加入")
    if isinstance(node, yaml.SequenceNode) and node.value:
        first = lines[node.value[0].start_mark.line]
        dash = first[: len(first) - len(first.lstrip())]
        end = node.value[-1].end_mark
        at = end.line if end.column == 0 else end.line + 1
    elif isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        dash, at = "  ", node.start_mark.line + 1
    else:
        raise ValueError(f"{path}:{node.start_mark.line + 1}: programmes 应为列表")
    return "".join(lines[:at] + [f"{dash}- {i}\n" for i in items] + lines[at:])


def _project(content: Path | None, taxonomy_path: Path | None) -> tuple[Path, Path | None, Taxonomy | None]:
    try:
        found = project.find_project()
        path, _ = project.taxonomy_path(taxonomy_path, found)
        taxonomy = load_taxonomy(path) if path else None
    except (project.ProjectError, TaxonomyError) as exc:
        raise click.ClickException(str(exc)) from None
    return content or Path(project.shown(found.content)), path, taxonomy


def _found(paths: list[Path], taxonomy: Taxonomy | None) -> dict[str, list[str]]:
    parsed: dict = {}
    files, problems = collect_pages(paths)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise click.ClickException(f"{errors[0].file}：{errors[0].message}")
    check_files(files, [], None, parsed)
    return collect_candidates(parsed, taxonomy)


class _PathsFirst(click.Group):
    """``bulletin candidates [PATH]...`` as well as ``bulletin candidates add NAME``: the words
    before a subcommand that are neither options nor their values are the folders or files to list."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        valued = {o for p in self.params if isinstance(p, click.Option) and not p.is_flag for o in p.opts}
        rest, paths, i = [], [], 0
        while i < len(args) and args[i] not in self.commands:
            if args[i].startswith("-"):
                rest += args[i:i + 2] if args[i] in valued else args[i:i + 1]
                i += 2 if args[i] in valued else 1
            else:
                paths.append(Path(args[i]))
                i += 1
        ctx.meta["candidate_paths"] = paths
        return super().parse_args(ctx, rest + args[i:])


@click.group("candidates", cls=_PathsFirst, invoke_without_command=True)
@click.option("--content", type=click.Path(path_type=Path), help="文章目录（默认为项目的 content）")
@click.option("--taxonomy", "taxonomy_path", type=click.Path(path_type=Path), help="分类表（默认：项目的分类表）")
@click.pass_context
def candidates_command(ctx: click.Context, content: Path | None, taxonomy_path: Path | None) -> None:
    """列出导入程序按格式找到、但还不在分类表中的项目名称（candidate_programmes）。

    用法：bulletin candidates [路径]...；路径可以是文件或目录（例如 content/articles/2021），
    默认为项目的文章目录。每行：名称、篇数、第一篇所在文件。确是项目的，用
    bulletin candidates add 名称 加入分类表，再运行 bulletin retag。
    """
    ctx.obj = _project(content, taxonomy_path)
    if ctx.invoked_subcommand is not None:
        return
    found = _found(ctx.meta["candidate_paths"] or [ctx.obj[0]], ctx.obj[2])
    for name, pages in found.items():
        click.echo(f"{name}\t{len(pages)} 篇\t{pages[0]}")
    click.echo(f"共 {len(found)} 个候选项目" if found else "没有候选项目", err=True)


@candidates_command.command("add")
@click.argument("names", nargs=-1, required=True)
@click.pass_obj
def add_command(obj, names: tuple[str, ...]) -> None:
    """把选定的候选项目加入分类表 taxonomy.yml 的 programmes（保留原有注释和格式）。"""
    content, path, taxonomy = obj
    if path is None:
        raise click.ClickException("没有分类表：请在项目目录中运行，或用 bulletin candidates --taxonomy 文件 add …")
    found = _found([content], taxonomy)
    for name in names:
        if taxonomy is not None and taxonomy.is_known_programme(name):
            raise click.ClickException(f"「{name}」已在分类表 {project.shown(path)} 中")
        if name not in found:
            raise click.ClickException(f"「{name}」不是任何页面的候选项目（bulletin candidates 列出全部）；"
                                       f"其他名称请直接编辑 {project.shown(path)}")
    names = tuple(dict.fromkeys(names))
    old = path.read_text(encoding="utf-8")
    try:
        atomic_write(path, add_programmes(old, list(names), project.shown(path)))
        after = load_taxonomy(path)
    except (ValueError, yaml.YAMLError) as exc:  # TaxonomyError is a ValueError
        if path.read_text(encoding="utf-8") != old:
            atomic_write(path, old)
        raise click.ClickException(f"{exc}（{project.shown(path)} 没有改动）") from None
    missing = [n for n in names if not after.is_known_programme(n)]
    if missing:
        atomic_write(path, old)
        raise click.ClickException(f"无法加入 {'、'.join(missing)}：请手动编辑 {project.shown(path)}")
    pages = sum(len(found[n]) for n in names)
    click.echo(f"已加入 {project.shown(path)}：{'、'.join(names)}（{pages} 篇页面的候选）。"
               "运行 bulletin retag 把它们移到这些页面的 programmes；网站下一次构建即会显示", err=True)

