"""How ``bulletin check`` shows what it found: one line a problem, then a count.

Text for a terminal or a pre-commit hook (errors last, next to the count, so
old warnings never bury a new error), or GitHub Actions annotations that put
each problem on the changed line of a pull request. After them, one line naming
the programme candidates found by pattern (shared with ``bulletin candidates``).
"""

from __future__ import annotations

from typing import Mapping

import click

from bulletin.editing.rules import Problem
from bulletin.taxonomy import Taxonomy


def github_annotation(problem: Problem, strict: bool = False) -> str:
    """The problem as a GitHub Actions workflow command (shown on the pull request's changed line)."""
    def prop(v: str) -> str:
        return v.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")

    def data(v: str) -> str:
        return v.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    level = "error" if problem.is_error or strict else "warning"
    title = "bulletin check"
    return (f"::{level} file={prop(problem.file)},line={problem.line},title={prop(title)}::"
            f"{data(str(problem))}")


def print_text(problems: list[Problem], strict: bool = False) -> None:
    """One line a problem on stdout: warnings first, errors last, just above the summary
    line, so a few old warnings never push a volunteer's one error out of sight.
    The headings go to stderr (stdout stays one line a problem)."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if warnings and errors:
        click.echo(f"—— {len(warnings)} 个警告{'（--strict：也算错误）' if strict else '（不阻止提交，可以稍后处理）'}：", err=True)
    for p in warnings:
        click.echo(str(p))
    if errors:
        click.echo(f"—— {len(errors)} 个错误（必须改正）：", err=True)
    for p in errors:
        click.echo(str(p))


def summary(problems: list[Problem], strict: bool = False, pages: int | None = None) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    checked = f"已检查 {pages} 个页面，" if pages is not None else ""
    if not problems:
        return f"检查通过：{checked}没有发现问题"
    tail = "（--strict：警告也算错误）" if strict and warnings else ""
    where = "（错误就在上方）" if errors and warnings else ""
    return f"{checked}发现 {errors} 个错误，{warnings} 个警告{tail}{where}"


def failed(problems: list[Problem], strict: bool = False) -> bool:
    return any(p.is_error or strict for p in problems)


def collect_candidates(parsed: Mapping[str, tuple[dict, str]], taxonomy: Taxonomy | None) -> dict[str, list[str]]:
    """Candidate name -> the pages that carry it, most pages first; names already in the taxonomy left out."""
    found: dict[str, list[str]] = {}
    for name, (meta, _) in sorted(parsed.items()):
        items = meta.get("candidate_programmes")
        for item in items if isinstance(items, list) else []:
            if item is not None and not (taxonomy and taxonomy.is_known_programme(str(item))):
                found.setdefault(str(item), []).append(name)
    return dict(sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def candidates_line(found: dict[str, list[str]], where: str = "", limit: int = 5) -> str:
    """One short line after a check: a few names, else how many (a long archive's list is
    `bulletin candidates`' job, not something to scroll past on every commit)."""
    names = "、".join(found) if len(found) <= limit else f"{len(found)} 个"
    return (f"项目候选（candidate_programmes，不在分类表中，网站上不显示）：{names}；"
            f"bulletin candidates{where} 列出它们和所在页面，确是项目的用 bulletin candidates add 名称 加入分类表")
