"""What the plugin hands MkDocs: the articles' text read once, the generated
pages (Markdown from ``pages``/``home``/``issuepage``) and their ``File`` class,
and the cheap render of plain-paragraph bodies."""

from __future__ import annotations

import datetime as dt
import os

from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from bulletin import model
from bulletin.site import feed, home, index, issuepage, pagehtml, pages, searchpage
from bulletin.site.config import BulletinConfig
from bulletin.site.paging import paged_uri


def read_sources(files: Files, articles_dir: str) -> dict[str, str]:
    """``src_uri -> text`` of every Markdown page under ``articles_dir``."""
    prefix = articles_dir.strip("/") + "/"
    out: dict[str, str] = {}
    for f in files:
        if f.src_uri.startswith(prefix) and f.src_uri.endswith(".md"):
            try:
                out[f.src_uri] = f.content_string
            except UnicodeDecodeError as exc:
                raise model.PageError(f.abs_src_path or f.src_uri, 1, f"不是 UTF-8 文本（第 {exc.start} 字节）") from None
    return out


def generated_pages(idx: index.ArchiveIndex, layout: pages.Layout, site_name: str, cfg: BulletinConfig,
                    site_url: str | None = None, only: set[tuple] | None = None):
    """(src_uri, markdown, in_nav) of every generated page (the 订阅 page when there
    is a feed: it needs ``site_url``, the published address), or (``only``) of the
    site-wide pages and the groups named (keys of :func:`generated_groups`)."""
    home_md = home.home_page(idx, layout, site_name, cfg.home_latest_count, cfg.home_programme_count,
                             generated=dt.date.today())
    yield layout.home(), home_md, True
    yield layout.streets(), pages.streets_page(idx, layout), True
    yield layout.programmes(), pages.programmes_page(idx, layout), True
    yield layout.archive(), pages.archive_page(idx, layout), True
    if cfg.search_placeholder:
        yield layout.search(), searchpage.search_page(layout, idx), True
    if cfg.feed_enabled and site_url:
        address = site_url.rstrip("/") + "/" + cfg.feed_path
        yield layout.subscribe(), feed.subscribe_page(layout, cfg.feed_path, address, site_name, cfg.feed_count), False
    size = cfg.listing_page_size
    for kind, topics in (("street", idx.streets), ("programme", idx.programmes)):
        for topic in topics.values():
            if only is None or (kind, topic.name) in only:
                for uri, text in pages.topic_pages(idx, layout, topic, kind, size):
                    yield uri, text, False
    for month in idx.months:
        if only is None or ("month", (month.year, month.month)) in only:
            for uri, text in pages.month_pages(idx, layout, month, size):
                yield uri, text, False
    for issue, around in issuepage.issues_around(idx.issues):
        if only is None or ("issue", issue.slug) in only:
            yield layout.issue(issue), issuepage.issue_page(idx, layout, issue, around), False


def generated_groups(idx: index.ArchiveIndex, layout: pages.Layout, cfg: BulletinConfig,
                     site_url: str | None = None) -> dict[tuple, tuple]:
    """Each group of generated pages (``("top",)``, ``("street", name)``, ``("programme",
    name)``, ``("month", (year, month))``, ``("issue", slug)``), in :func:`generated_pages`'
    order, with its src_uris and what else its pages show of other groups (the
    months or issues around it), without making the pages: a save that leaves a
    group's entry as it was changes its pages only if it touches its articles."""
    size = max(cfg.listing_page_size, 1)
    top = [layout.home(), layout.streets(), layout.programmes(), layout.archive()]
    top += [layout.search()] if cfg.search_placeholder else []
    top += [layout.subscribe()] if cfg.feed_enabled and site_url else []
    out: dict[tuple, tuple] = {("top",): (tuple(top), None)}

    def paged(first: str, n: int) -> tuple[str, ...]:
        return tuple(paged_uri(first, k) for k in range(1, max(1, -(-n // size)) + 1))

    for t in idx.streets.values():
        out["street", t.name] = (paged(layout.street(t), len(t.entries)), None)
    for t in idx.programmes.values():
        out["programme", t.name] = (paged(layout.programme(t), len(t.entries)), None)
    months = [(m.year, m.month) for m in idx.months]
    for i, m in enumerate(idx.months):
        out["month", months[i]] = (paged(layout.month(m), len(m.entries)),
                                   (months[i - 1] if i else None, months[i + 1] if i + 1 < len(months) else None))
    for issue, (older, newer) in issuepage.issues_around(idx.issues):
        out["issue", issue.slug] = ((layout.issue(issue),), (older and older.slug, newer and newer.slug))
    return out


class Generated(File):
    """A generated page that a dirty build (``mkdocs serve --dirty``) rewrites only
    when what it shows changed since the previous build of this serve session."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


def render_plain(page, html: str, config=None, files=None) -> None:
    """``Page.render`` for a body of plain paragraphs (plainmd): what MkDocs'
    render sets, without building a Markdown object for the page."""
    del page.render  # the class's own again
    page.content, page.toc, page._title_from_render = html, get_toc([]), None
    page.present_anchor_ids, page.links_to_anchors = set(), {}


def render_html(page, body: str, config=None, files=None) -> None:
    """``Page.render`` for a generated page written as HTML (``pagehtml``): what
    MkDocs' render sets (ids, table of contents, anchors), without Python-Markdown.
    No h1 title is taken from it: every such page opens with breadcrumbs, and
    MkDocs takes a title only from an h1 that comes first."""
    del page.render
    page.content, tokens, ids = pagehtml.toc_of(body)
    page.toc, page._title_from_render = get_toc(tokens), None
    page.present_anchor_ids, page.links_to_anchors = ids, {}
