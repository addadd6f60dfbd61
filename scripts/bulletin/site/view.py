"""What an article page's template needs, computed from the index (pure).

The theme only formats this dict; URLs are site-relative (``streets/x/``) and
the template passes them through MkDocs' ``url`` filter.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from jinja2 import Undefined, pass_context
from markupsafe import Markup, escape

from bulletin import sanitize
from bulletin.site.index import ArchiveIndex, Entry
from bulletin.site.pages import KIND_LABELS, Layout, cn_date


def _link(entry: Entry | None, url_of: Callable[[str], str]) -> dict | None:
    if entry is None:
        return None
    a = entry.article
    return {"title": entry.title, "url": url_of(entry.src_uri), "date": cn_date(a.date),
            "date_iso": a.date.isoformat(), "kind": a.kind}


def article_context(
    index: ArchiveIndex,
    entry: Entry,
    layout: Layout,
    url_of: Callable[[str], str],
    related_count: int = 5,
) -> dict:
    """Header, tags, issue, same-street neighbours and related articles of one page."""
    a = entry.article
    label, prev, next_ = index.neighbours(entry)
    month = index.month_of(entry)  # None for a continuation piece alone in its month
    issue = entry.issue
    return {
        "title": entry.title,
        "untitled": not a.title,
        "kicker": a.kicker,
        "subtitle": a.subtitle,
        "kind": a.kind,
        "kind_label": KIND_LABELS.get(a.kind),
        "date": cn_date(a.date),
        "date_iso": a.date.isoformat(),
        "month": {"label": month.label, "url": url_of(layout.month(month))} if month else None,
        "district": entry.district,
        # every tag has its page (index.build), continuation pieces' too
        "streets": [{"name": s, "url": url_of(layout.street(index.streets[s]))} for s in a.streets],
        "programmes": [{"name": p, "url": url_of(layout.programme(index.programmes[p]))} for p in a.programmes],
        "places": list(a.places),
        "authors": list(a.authors),
        "issue": {
            "label": issue.label,
            "url": url_of(layout.issue(issue)),
            "page": issue.page_number(entry),
            "pages": len(issue.pages),
            "position": issue.number(entry),  # as the issue page numbers it
            "part": a.part if (a.part or 1) > 1 else None,
            "continued": entry.is_fragment,  # shown as 续 of the issue, not as news
        },
        "street": label,  # the street walked by 上一篇/下一篇, or 本期简报
        "prev": _link(prev, url_of),
        "next": _link(next_, url_of),
        "related": [_link(e, url_of) for e in index.related(entry, related_count, exclude=(prev, next_))],
    }


def _escaped(value):
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def escape_meta(meta: dict, title: str | None, title_is_html: bool = False) -> dict:
    """Page meta for Material's templates, which print it unescaped: every string
    (and string in a list) HTML-escaped once. Without a meta title, ``title``
    (the first heading, already HTML, or the file name) becomes it, so Material's
    fallbacks to ``page.title`` never print raw text either."""
    out = {k: _escaped(v) for k, v in meta.items()}
    if "title" not in out and title is not None:
        out["title"] = Markup(title) if title_is_html else escape(title)
    return out


def escape_toc(toc) -> None:
    """Table of contents entries as plain escaped text: a heading's raw HTML is
    removed from the page by the sanitiser, and must not come back in the sidebar;
    their anchors prefixed as the sanitiser prefixes the headings' ids."""
    for item in toc or []:
        item.title = Markup(html.escape(Markup(item.title).striptags(), quote=False))  # text, not attributes
        item.id = sanitize.prefixed(item.id)
        escape_toc(item.children)


class MissingLink(ValueError):
    """A template printed a link to nothing (``None`` or an undefined value)."""


def checked_url_filter(url_filter):
    """MkDocs' ``url`` template filter, refusing a missing URL: ``None`` would
    be printed as a link to ``…/None``, a dead end the build must not publish."""

    @pass_context
    def url(context, value):
        if value is None or isinstance(value, Undefined):
            page = context.get("page")
            where = page.file.src_uri if page is not None and getattr(page, "file", None) else "?"
            raise MissingLink(f"bulletin: {where} 的模板输出了一个没有目标的链接（{value!r}）")
        return url_filter(context, value)

    return url
