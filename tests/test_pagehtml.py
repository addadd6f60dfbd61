"""Generated pages written as HTML (site/pagehtml.py) give what Python-Markdown gave
for the Markdown they replace: the same heading ids and table of contents."""

from __future__ import annotations

import markdown
import pytest
from bulletin.site import htmlmin, pagehtml, pages


def _markdown(title: str, years: list[int]) -> tuple[str, list]:
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"])
    source = f'<p class="bl-crumbs">x</p>\n\n# {pages.md(title)}\n\n' + "\n\n".join(
        f"## {y}年 {{ #y{y} }}" for y in years)
    return md.convert(source), md.toc_tokens


def _plain(tokens: list) -> list:
    return [(t["level"], t["id"], t["name"], _plain(t["children"])) for t in tokens]


@pytest.mark.parametrize("title", [
    "小东门街道", "2019年3月", "门林园镇（第2页）", '100个"党员示范区"<b>&amp;', "y2021", "", "A*b_[c] #x",
])
def test_ids_and_toc_are_python_markdowns(title):
    want_html, want_toc = _markdown(title, [2021, 2020])
    body = "\n".join(['<p class="bl-crumbs">x</p>', pagehtml.heading(1, title),
                      pagehtml.heading(2, "2021年", "y2021"), pagehtml.heading(2, "2020年", "y2020")])
    got_html, got_toc, ids = pagehtml.toc_of(body)
    assert htmlmin.collapse_whitespace(got_html) == htmlmin.collapse_whitespace(want_html)  # as published
    assert _plain(got_toc) == _plain(want_toc)
    assert ids == {t[1] for t in _plain(want_toc)} | {"y2021", "y2020"}


def test_links_name_source_files_and_text_is_escaped():
    link = pagehtml.link(pagehtml.text('<script>"x"'), "streets/a&b/index.md", "y2021", chip=True)
    assert link == '<a class="bl-chip" href="bl-src:streets/a&amp;b/index.md#y2021">&lt;script&gt;"x"</a>'
    resolved = pages.resolve_links(link, lambda uri: {"streets/a&b/index.md": "../a&b/"}[uri])
    assert 'href="../a&amp;b/#y2021"' in resolved
    assert pagehtml.body_of("\n" + pagehtml.MARK + "\n<p>x</p>\n") == "<p>x</p>\n"
    assert pagehtml.body_of("# 标题\n") is None
