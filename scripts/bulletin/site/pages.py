"""The generated pages: street, programme and month listings as HTML (``pagehtml``);
home, streets, programmes and date archive as Markdown (the search page is searchpage.py).

Pure functions of an :class:`~bulletin.index.ArchiveIndex` and a :class:`Layout`.
Markdown links are relative links to the target ``.md`` source, so MkDocs
resolves them for either URL style and ``--strict`` catches any broken one;
HTML links name the target's source file (``bl-src:``), made relative by
:func:`resolve_links`, which fails the build on a page that does not exist.
What the public reads is Chinese; markup classes are ``bl-*`` (theme/assets).
"""

from __future__ import annotations

import html
import json
import re

from bulletin.site import pagehtml
from bulletin.site.index import ArchiveIndex, Entry, Month, Topic
from bulletin.site.issues import Issue
from bulletin.site.layout import Layout, rel  # noqa: F401 (rel: home.py takes it from here)
from bulletin.site.paging import PAGE_SIZE, pager, pages_of, paged_uri, year_jumps, year_starts


KIND_LABELS = {"brief": "简讯", "fragment": "续篇"}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^])")


def md(text: str) -> str:
    """Text that Markdown shows literally (OCR'd titles may hold ``*`` or ``[``)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def one_line(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def own_summary(summary: str, body: str) -> bool:
    """A summary that says more than the opening of the body: worth a
    ``<meta name="description">``. The importer's summary is the opening
    sentences, which a search engine shows without it (300 bytes an article)."""
    if not summary:
        return False
    flat = "".join(summary.split()).rstrip("…")
    return not "".join(body[: len(summary) * 2].split()).startswith(flat)


LIST_MARK = re.compile(r"<!-- bl-list ([0-9 ]*) -->")


def listing(entries: list[Entry]) -> str:
    """Where a listing of ``entries`` goes: a marker with their numbers in the
    index, which the plugin replaces by :func:`render_listing` once the page is
    converted (``on_page_content``).

    Listings are most of the generated HTML (a busy street lists thousands of
    articles); as Markdown with ``md_in_html`` they cost 0.3 ms an article to
    convert, 45 s of a 50,000-article build."""
    return "<!-- bl-list " + " ".join(str(e.number) for e in entries) + " -->"


def listed(marker_args: str) -> list[int]:
    """The entry numbers a marker names (the inverse of :func:`listing`)."""
    return [int(n) for n in marker_args.split()]


def render_listing(entries: list[Entry], link, layout: Layout, streets: dict[str, Topic]) -> str:
    """Date, title, streets and a one-line summary for each entry, as HTML.

    ``link(src_uri)`` gives the href of a page relative to the listing's page.
    Every text is escaped: titles and summaries are untrusted OCR output."""
    esc = html.escape
    out = ['<div class="bl-list">']
    for e in entries:
        a = e.article
        tags = " · ".join(f'<a href="{esc(link(layout.street(streets[s])))}">{esc(s)}</a>' for s in a.streets)
        label = a.kicker or KIND_LABELS.get(a.kind, "")
        out.append('<div class="bl-item">')
        out.append(f'<p class="bl-item__meta"><time datetime="{a.date.isoformat()}">{cn_date(a.date)}</time>'
                   + (f" · {tags}" if tags else "") + "</p>")
        if label:
            out.append(f'<p class="bl-item__kicker">{esc(label)}</p>')
        out.append(f'<p class="bl-item__title"><a href="{esc(link(e.src_uri))}">{esc(e.title)}</a></p>')
        if a.summary and a.title:  # untitled fragments already show the summary as title
            # one line on a desktop, two on a phone: each article is listed three or four times
            out.append(f'<p class="bl-item__summary">{esc(one_line(a.summary, 60))}</p>')
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)


# A chip's link before the plugin knows the pages' URLs: ``bl-src:`` and the source file
# (``#anchor`` kept), made relative to the page in on_page_content (:func:`resolve_links`).
SRC_LINK = re.compile(r'href="bl-src:([^"#]*)(#[^"]*)?"')


def chips(links: list[tuple[str, str, int]]) -> str:
    """A wrap of tappable links ``(label, source file[#anchor], count)``, written as HTML:
    through Python-Markdown, 5,000 links in one paragraph took minutes (quadratic)."""
    items = " ".join(
        f'<a class="bl-chip" href="bl-src:{html.escape(target)}">{html.escape(str(label), quote=False)}'
        f' <span class="bl-count">{count}</span></a>'
        for label, target, count in links
    )
    return f'<div class="bl-chips">\n<p>{items}</p>\n</div>'


def resolve_links(page_html: str, link) -> str:
    """The ``bl-src:`` links of :func:`chips` as ``link(source file)`` (relative URLs)."""
    def one(m: re.Match) -> str:
        return f'href="{html.escape(link(html.unescape(m.group(1))))}{m.group(2) or ""}"'

    return SRC_LINK.sub(one, page_html) if "bl-src:" in page_html else page_html


def front_matter(title: str, description: str = "") -> str:
    """A generated page's front matter: title (for <title> and the nav), description."""
    head = f"---\ntitle: {_yaml_str(title)}\n"
    if description:
        head += f"description: {_yaml_str(description)}\n"
    return head + "bulletin_generated: true\n---\n\n"


def page(title: str, *blocks: str, description: str = "") -> str:
    """A Markdown page: front matter, the h1 naming the page, blocks."""
    return front_matter(title, description) + f"# {md(title)}\n\n" + "\n\n".join(b for b in blocks if b) + "\n"


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar that reads back as ``text``, whatever it holds
    (JSON's escapes are YAML's; line separators escaped too)."""
    return json.dumps(str(text), ensure_ascii=False).translate(_YAML_BREAKS)


_YAML_BREAKS = {c: f"\\u{c:04x}" for c in (0x85, 0x2028, 0x2029)}  # line breaks to YAML, not to JSON


def by_year(entries: list[Entry]) -> str:
    """A listing with one ``<h2 id="y2021">`` section per year (years become the page's TOC)."""
    blocks: list[str] = []
    year = None
    for e in entries:
        if e.article.date.year != year:
            year = e.article.date.year
            blocks.append(pagehtml.heading(2, f"{year}年", f"y{year}"))
            blocks.append([])  # type: ignore[arg-type]
        blocks[-1].append(e)  # type: ignore[union-attr]
    return "\n".join(b if isinstance(b, str) else listing(b) for b in blocks)


def streets_page(index: ArchiveIndex, layout: Layout) -> str:
    blocks = [f'<p class="bl-lead">共 {len(index.streets)} 个街道（镇），按城市和区分组，各按拼音排列。</p>']
    city = None
    for i, d in enumerate(index.districts, 1):
        if d.city and d.city != city:
            blocks.append(f"## {md(d.city)} {{ #c{i} }}")
        city = d.city
        blocks.append(f"{'###' if d.city else '##'} {md(d.name)} {{ #d{i} }}")
        blocks.append(chips([(t.name, layout.street(t), t.count) for t in d.streets]))
    return page("街道", *blocks)


def topic_pages(
    index: ArchiveIndex, layout: Layout, topic: Topic, kind: str, per_page: int = PAGE_SIZE
) -> list[tuple[str, str]]:
    """``(src_uri, page text)`` of each page of one street's or programme's articles, newest first, by year."""
    if kind == "street":
        first, parent, parent_label = layout.street(topic), layout.streets(), "街道"
        lead = f"{topic.district} · " if topic.district else ""
    else:
        first, parent, parent_label = layout.programme(topic), layout.programmes(), "项目"
        n = len({s for e in topic.entries for s in e.article.streets})
        lead = f"涉及 {n} 个街道 · " if n else ""
    chunks = pages_of(topic.entries, per_page)
    starts = year_starts(chunks)
    count = "，另有".join(filter(None, (f"共 {len(topic.entries)} 篇" if topic.entries or not topic.continued else "",
                                       f"续篇 {len(topic.continued)} 篇" if topic.continued else "")))
    out = []
    for k, chunk in enumerate(chunks, 1):
        of = f" · 第 {k}/{len(chunks)} 页" if len(chunks) > 1 else ""
        trail = [("首页", layout.home()), (parent_label, parent)] + ([(topic.name, first)] if k > 1 else [])
        title = topic.name if k == 1 else f"{topic.name}（第{k}页）"
        out.append((paged_uri(first, k), pagehtml.page(
            front_matter(title, f"{topic.name}：{count}{of}"),
            title,
            f'<p class="bl-lead">{html.escape(lead)}{count}{of}</p>',
            year_jumps(first, starts, len(chunks)),
            by_year(chunk),
            pager(first, k, len(chunks)),
            continued(topic) if k == 1 else "",
            trail=pagehtml.crumbs(trail),
        )))
    return out


def continued(topic: Topic) -> str:
    """The continuation pieces tagged with a street or programme: not news, but
    its residents reach them from its page (a street may have nothing else)."""
    if not topic.continued:
        return ""
    return (pagehtml.heading(2, "续篇", "continued") + "\n"
            '<p class="bl-lead">文章的后半部分，开头印在其他版面；每篇的页面链接到它所在的一期简报。</p>\n'
            + listing(topic.continued))


def topic_page(index: ArchiveIndex, layout: Layout, topic: Topic, kind: str, per_page: int = PAGE_SIZE) -> str:
    """The first page of :func:`topic_pages` (the whole listing when it fits on one)."""
    return topic_pages(index, layout, topic, kind, per_page)[0][1]


def programmes_page(index: ArchiveIndex, layout: Layout) -> str:
    links = [(t.name, layout.programme(t), t.count) for t in index.programmes.values()]
    return page("项目", f'<p class="bl-lead">共 {len(links)} 个项目、活动和专项工作。</p>', chips(links))


def issue_chips(issues: list[Issue], layout: Layout) -> str:
    """Each issue as a chip (date and paper, article count), linking to its page."""
    return chips([(f"{i.date.month}月{i.date.day}日" + (f" {i.paper}" if i.paper else ""),
                   layout.issue(i), i.count) for i in issues])


def archive_page(index: ArchiveIndex, layout: Layout) -> str:
    """Months by year; each month page lists its issues. An issue printed in a month
    none of its articles is dated in has no month page to list it: it is listed here."""
    here = layout.archive()
    blocks = [f'<p class="bl-lead">共 {len(index.news)} 篇文章、{len(index.issues)} 期简报，按月份浏览。</p>']
    months = {(m.year, m.month) for m in index.months}
    orphans: dict[int, list[Issue]] = {}
    for issue in index.issues:
        if (issue.date.year, issue.date.month) not in months:
            orphans.setdefault(issue.date.year, []).append(issue)
    for year in sorted({*index.years, *orphans}, reverse=True):
        blocks.append(f"## {year}年 {{ #y{year} }}")
        if index.years.get(year):
            blocks.append(chips([(f"{m.month}月", layout.month(m), len(m.entries)) for m in index.years[year]]))
        if year in orphans:
            blocks.append('<p class="bl-group">其他各期</p>\n\n' + issue_chips(orphans[year], layout))
    return page("按日期", *blocks)


def month_pages(index: ArchiveIndex, layout: Layout, month: Month, per_page: int = PAGE_SIZE) -> list[tuple[str, str]]:
    """``(src_uri, page text)`` of each page of one month's articles, with links to the months around it."""
    first = layout.month(month)
    i = index.months.index(month)
    newer = index.months[i - 1] if i > 0 else None
    older = index.months[i + 1] if i + 1 < len(index.months) else None
    chunks = pages_of(month.entries, per_page)
    issues = [i for i in index.issues if (i.date.year, i.date.month) == (month.year, month.month)]
    out = []
    for k, chunk in enumerate(chunks, 1):
        months = " ".join(
            pagehtml.link(pagehtml.text(arrow), layout.month(m), chip=True)
            for m, arrow in ((older, f"← {older.label}" if older else ""), (newer, f"{newer.label} →" if newer else ""))
            if m
        )
        of = f" · 第 {k}/{len(chunks)} 页" if len(chunks) > 1 else ""
        trail = [("首页", layout.home()), ("按日期", layout.archive()), (f"{month.year}年", f"{layout.archive()}#y{month.year}")]
        title = month.label if k == 1 else f"{month.label}（第{k}页）"
        out.append((paged_uri(first, k), pagehtml.page(
            front_matter(title, f"{month.label}的文章，共 {len(month.entries)} 篇{of}"),
            title,
            f'<p class="bl-lead">共 {len(month.entries)} 篇{of}</p>',
            ('<p class="bl-group">本月各期简报</p>\n' + issue_chips(issues, layout)) if issues and k == 1 else "",
            listing(chunk),
            pager(first, k, len(chunks)),
            pagehtml.paragraph_div("bl-pager", months) if months else "",
            trail=pagehtml.crumbs(trail + ([(month.label, first)] if k > 1 else [])),
        )))
    return out


def month_page(index: ArchiveIndex, layout: Layout, month: Month, per_page: int = PAGE_SIZE) -> str:
    """The first page of :func:`month_pages`."""
    return month_pages(index, layout, month, per_page)[0][1]
