"""Links in an article body to files the archive does not have, or to a heading the page lacks.

MkDocs' strict build (CI's `make build`) stops on them with an English warning
that names no line; `bulletin check` (and so the build's own check, which runs
first) reports each as a Chinese error with its line. The links are read from
the HTML the build makes of the body, so they are exactly the ones MkDocs sees.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import unquote, urlsplit

from bulletin.editing import markup

_SUSPECT = re.compile(r"\]\s*[(:]|href|src", re.I)


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v]
        self.ids |= {v for k, v in attrs if k == "id" and v}


def _parse(body: str) -> _Targets:
    parser = _Targets()
    if ("]" in body or "=" in body) and _SUSPECT.search(body):  # an attribute needs "=": most bodies have neither
        parser.feed(markup.to_html(body))
    return parser


def file_links(body: str) -> list[tuple[str, str]]:
    """(link as written, path it names) of each relative link to a file (``../2021/a.md``,
    ``pic.png``); addresses, ``/absolute`` and ``#anchor`` links, and ``folder/`` links,
    which MkDocs only notes, are left out."""
    return _file_links(_parse(body))


def _file_links(parser: _Targets) -> list[tuple[str, str]]:
    out = []
    for url in dict.fromkeys(parser.found):
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme or parts.netloc or not path or path.startswith("/") or "." not in posixpath.basename(path):
            continue
        out.append((url, path))
    return out


def missing_links(text: str, body: str, exists: Callable[[str], bool]) -> list[tuple[int, str]]:
    """(line, message) for each file link whose path ``exists`` (relative to the page's folder) denies."""
    start = max(text.find(body), 0) if body else 0
    parser = _parse(body)

    def line(url: str) -> int:
        at = text.find(url, start)
        return text.count("\n", 0, at if at >= 0 else start) + 1

    out = [(line(url), f"正文中的链接“{url}”指向的文件不存在，网站构建会因此失败：请改正链接，或删掉它只留文字")
           for url, path in _file_links(parser) if not exists(path)]
    out += [(line(url), f"正文中的链接“{url}”指向本页没有的位置（没有这个小标题），网站构建会因此失败：请改正链接，或删掉它只留文字")
            for url in dict.fromkeys(parser.found)
            if url.startswith("#") and len(url) > 1 and unquote(url[1:]) not in parser.ids]
    return out


def in_folder(page: str, path: str, known: Callable[[str], bool], articles: str = "articles") -> bool:
    """Whether ``path``, relative to ``page`` (both relative to the docs folder), is a file ``known``
    lists; a page outside ``articles`` (index.md, streets/…) may be one the build makes: trusted."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target == ".." or target.startswith("../"):
        return False
    return (target.endswith(".md") and not target.startswith(articles + "/")) or known(target)
