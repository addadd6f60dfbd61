"""The ``bulletin check`` rule for raw HTML in an article body: what the build's
sanitiser (:mod:`bulletin.sanitize`) would remove, found in the Markdown
the editor wrote, with the line to fix."""

from __future__ import annotations

import re

import markdown

from bulletin import sanitize

# Only bodies that can hold HTML, attribute lists or link targets are converted
# (the importer's pages escape all of these): a check of 50,000 pages stays fast.
_SUSPECT = re.compile(r"[<{]|\]\s*[(:\[]|&#|&[a-z]")
_BODY = re.compile(r"\A---[ \t]*\r?\n.*?^---[ \t]*\r?$\n?", re.S | re.M)
_md: markdown.Markdown | None = None
# Python-Markdown nests lists by recursion and fails (RecursionError) at about
# 300 levels; a line nested 50 deep, by markers or by indentation, is refused.
MAX_NESTING = 50
_MARKER = r"(?:[>*+\-]|\d{1,9}[.)])"
_DEEP = re.compile(rf"^(?:[ \t]*{_MARKER}(?:[ \t]+|$)){{{MAX_NESTING},}}|^(?:\t|    ){{{MAX_NESTING},}} *{_MARKER}", re.M)


def to_html(body: str) -> str:
    """The body as the build converts it (same Markdown extensions)."""
    global _md
    if _md is None:
        _md = markdown.Markdown(extensions=list(sanitize.MARKDOWN_EXTENSIONS))
    return _md.reset().convert(body)


def _loose(needle: str) -> re.Pattern:
    """``needle`` as the Markdown may spell it: any case, with spaces, tabs or
    character references between its letters (``java&#x09;script``)."""
    gap = r"(?:\s|&#x?[0-9a-f]+;?)*"
    return re.compile(gap.join(map(re.escape, needle)), re.I)


def problems(text: str, body: str) -> list[tuple[int, str]]:
    """(line, message) for each thing the sanitiser would remove from ``body``."""
    if not _SUSPECT.search(body):
        return []
    m = _BODY.match(text)
    start = m.end() if m else 0
    out = []
    for what, needle in sanitize.removed(to_html(body)):
        found = _loose(needle).search(text, start)
        line = text.count("\n", 0, found.start() if found else start) + 1
        out.append((line, f"正文中的 {what} 会在发布时被删除（网站只保留安全的 Markdown 和 HTML，不能运行脚本），请删掉或改写"))
    return out


def nesting_problems(text: str, body: str) -> list[tuple[int, str]]:
    """(line, message) for the first line nested too deep to convert (a crash, not a page)."""
    m = _DEEP.search(body)
    if not m:
        return []
    found = text.find(body[m.start(): m.start() + 200])
    line = text.count("\n", 0, found) + 1 if found >= 0 else 1
    return [(line, f"正文的列表或引用嵌套过深（{MAX_NESTING} 层以上），无法转换为网页，请检查这一行")]
