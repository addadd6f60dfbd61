"""The search page's Markdown: the form, facets and results come from
theme/search.html and its scripts; this gives them the page title, a note for
readers without JavaScript and, as JSON, the pages the script links to.
"""

from __future__ import annotations

import json
import posixpath
from urllib.parse import quote

from bulletin.site.index import ArchiveIndex
from bulletin.site.layout import Layout, rel


def search_page(layout: Layout, index: ArchiveIndex | None = None) -> str:
    """The search page: theme/search.html adds the form, facets and results
    (assets/search.js and search-engine.js over the index bulletin/search/index.py writes); without
    JavaScript the reader is pointed to the browse pages (in ``<noscript>``: nothing
    the script hides moves the page when it starts). The page's script
    gets, as JSON, the browse pages a zero-hit page links to and every street's
    and programme's page, offered first when the query is its name."""
    here = layout.search()
    links = {
        "streets_index": url_rel(layout.search_url, layout.streets_url),
        "archive": url_rel(layout.search_url, layout.archive_url),
        "streets": [[t.name, url_rel(layout.search_url, layout.street_url_format.format(slug=t.slug))]
                    for t in (index.streets.values() if index else ())],
        "programmes": [[t.name, url_rel(layout.search_url, layout.programme_url_format.format(slug=t.slug))]
                       for t in (index.programmes.values() if index else ())],
    }
    data = json.dumps(links, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # inert inside <script>
    return (
        '---\ntitle: "搜索"\ntemplate: search.html\nhide: [navigation, toc]\n'
        'description: "全文搜索档案：按街道、项目、人名或词语查找文章，可按街道、项目和年份筛选。"\n'
        "bulletin_generated: true\n---\n\n# 搜索\n\n"
        '<noscript markdown><p class="bl-lead bl-search__nojs" markdown>搜索需要启用 JavaScript。也可以按'
        f"[街道]({rel(here, layout.streets())})、[项目]({rel(here, layout.programmes())})"
        f"或[日期]({rel(here, layout.archive())})浏览档案。</p></noscript>\n\n"
        f'<script type="application/json" data-search-pages>{data}</script>\n'
    )


def url_rel(from_url: str, to_url: str) -> str:
    """``to_url`` relative to the page at ``from_url`` (both site URLs, as in the Layout)."""
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    path = posixpath.relpath(to_url or ".", base.rstrip("/") or ".")
    return quote(path + ("/" if to_url.endswith("/") or not to_url else ""))
