"""Markdown of the generated pages (home, streets, programmes, date archive, search).

Pure functions of an :class:`~bulletin.index.ArchiveIndex` and a :class:`Layout`.
Links are written as relative links to the target ``.md`` source, so MkDocs
resolves them for either URL style and ``--strict`` catches any broken one.
What the public reads is Chinese; markup classes are ``bl-*`` (theme/assets).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from bulletin.index import ArchiveIndex, Entry, Month, Topic


@dataclass
class Layout:
    """Where each generated page lives, as URL format strings (Material-blog style)."""

    home_url: str = ""
    streets_url: str = "streets/"
    street_url_format: str = "streets/{slug}/"
    programmes_url: str = "programmes/"
    programme_url_format: str = "programmes/{slug}/"
    archive_url: str = "archive/"
    archive_month_url_format: str = "archive/{year}/{month:02d}/"
    search_url: str = "search/"

    def check(self) -> None:
        """Raise ValueError early for a format that cannot produce a safe path."""
        samples = [
            self.home_url, self.streets_url, self.programmes_url, self.archive_url, self.search_url,
            self.street_url_format.format(slug="x"), self.programme_url_format.format(slug="x"),
            self.archive_month_url_format.format(year=2021, month=5),
        ]
        for url in samples:
            if url.startswith("/") or ".." in url.split("/") or "://" in url:
                raise ValueError(f"URL 格式应为站内相对路径：{url!r}")

    @staticmethod
    def src_uri(url: str) -> str:
        """The virtual source file that MkDocs publishes at ``url``."""
        if url == "" or url.endswith("/"):
            return url + "index.md"
        return re.sub(r"\.html?$", "", url) + ".md"

    def home(self) -> str:
        return self.src_uri(self.home_url)

    def streets(self) -> str:
        return self.src_uri(self.streets_url)

    def street(self, topic: Topic) -> str:
        return self.src_uri(self.street_url_format.format(slug=topic.slug))

    def programmes(self) -> str:
        return self.src_uri(self.programmes_url)

    def programme(self, topic: Topic) -> str:
        return self.src_uri(self.programme_url_format.format(slug=topic.slug))

    def archive(self) -> str:
        return self.src_uri(self.archive_url)

    def month(self, month: Month) -> str:
        return self.src_uri(self.archive_month_url_format.format(year=month.year, month=month.month))

    def search(self) -> str:
        return self.src_uri(self.search_url)


def rel(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """Relative, percent-encoded Markdown link target from one source file to another."""
    path = posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
    return quote(path) + (f"#{anchor}" if anchor else "")


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


def listing(entries: list[Entry], here: str, layout: Layout, streets: dict[str, Topic]) -> str:
    """Date, title, streets and a one-line summary for each entry."""
    out = ['<div class="bl-list" markdown>']
    for e in entries:
        a = e.article
        tags = " · ".join(f"[{md(s)}]({rel(here, layout.street(streets[s]))})" for s in a.streets)
        meta = f'<time datetime="{a.date.isoformat()}">{cn_date(a.date)}</time>' + (f" · {tags}" if tags else "")
        label = a.kicker or KIND_LABELS.get(a.kind, "")
        out += [
            '<div class="bl-item" markdown>',
            f'<p class="bl-item__meta" markdown>{meta}</p>',
            f'<p class="bl-item__kicker">{html.escape(label)}</p>' if label else "",
            f'<p class="bl-item__title" markdown>[{md(e.title)}]({rel(here, e.src_uri)})</p>',
        ]
        if a.summary and a.title:  # untitled fragments already show the summary as title
            out.append(f'<p class="bl-item__summary">{html.escape(one_line(a.summary))}</p>')
        out.append("</div>")
    out.append("</div>")
    return "\n".join(x for x in out if x)


def chips(links: list[tuple[str, str, int]]) -> str:
    """A wrap of tappable links ``(label, target, count)``."""
    items = " ".join(
        f'[{md(label)} <span class="bl-count">{count}</span>]({target}){{ .bl-chip }}'
        for label, target, count in links
    )
    return f'<div class="bl-chips" markdown>\n{items}\n</div>'


def crumbs(here: str, trail: list[tuple[str, str]]) -> str:
    parts = " › ".join(f"[{md(label)}]({rel(here, *to.partition('#')[::2])})" for label, to in trail)
    return f'<p class="bl-crumbs" markdown>{parts}</p>'


def stat_cards(stats: list[tuple[str, int, str]]) -> str:
    cells = "\n".join(
        f'<a class="bl-stat" href="{target}"><strong>{value}</strong><span>{html.escape(label)}</span></a>'
        for label, value, target in stats
    )
    return f'<div class="bl-stats">\n{cells}\n</div>'


def page(title: str, *blocks: str, description: str = "", trail: str = "") -> str:
    """Front matter (title for <title>/nav), breadcrumb ``trail``, the h1 naming the page, blocks."""
    head = f"---\ntitle: {_yaml_str(title)}\n"
    if description:
        head += f"description: {_yaml_str(description)}\n"
    head += "bulletin_generated: true\n---\n\n"
    head += f"{trail}\n\n" if trail else ""
    return head + f"# {md(title)}\n\n" + "\n\n".join(b for b in blocks if b) + "\n"


def _yaml_str(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def by_year(entries: list[Entry], here: str, layout: Layout, streets: dict[str, Topic]) -> str:
    """A listing with one ``## 2021年`` section per year (years become the page's TOC)."""
    blocks: list[str] = []
    year = None
    for e in entries:
        if e.article.date.year != year:
            year = e.article.date.year
            blocks.append(f"## {year}年 {{ #y{year} }}")
            blocks.append([])  # type: ignore[arg-type]
        blocks[-1].append(e)  # type: ignore[union-attr]
    return "\n\n".join(b if isinstance(b, str) else listing(b, here, layout, streets) for b in blocks)


def home_page(
    index: ArchiveIndex, layout: Layout, site_name: str, latest_count: int = 10, home_programme_count: int = 12
) -> str:
    """Counts, latest articles, and the ways in: streets by district, busiest programmes, years."""
    here = layout.home()
    years = index.years
    span = f"{min(years)}–{max(years)}" if len(years) > 1 else "".join(map(str, years))
    stats = stat_cards([
        ("篇文章", len(index.entries), "#latest"),
        ("个街道", len(index.streets), "#streets"),
        ("个项目", len(index.programmes), "#programmes"),
        (f"年（{span}）" if span else "年", len(years), "#years"),
    ])
    latest = listing(index.entries[:latest_count], here, layout, index.streets) if index.entries else "<p>暂无文章。</p>"
    streets = [
        f'<p class="bl-group">{html.escape(d.label)}</p>\n\n'
        + chips([(t.name, rel(here, layout.street(t)), len(t.entries)) for t in d.streets])
        for d in index.districts
    ]
    busiest = sorted(index.programmes.values(), key=lambda t: -len(t.entries))[:home_programme_count]
    programmes = chips([(t.name, rel(here, layout.programme(t)), len(t.entries)) for t in busiest])
    if len(index.programmes) > len(busiest):
        programmes += f'\n\n<p class="bl-more" markdown>[全部 {len(index.programmes)} 个项目 →]({rel(here, layout.programmes())})</p>'

    year_chips = chips([
        (f"{y}年", rel(here, layout.archive(), f"y{y}"), sum(len(m.entries) for m in ms)) for y, ms in years.items()
    ])
    return page(
        site_name,
        stats,
        "## 最新文章 { #latest }",
        latest,
        f'<p class="bl-more" markdown>[全部文章，按日期浏览 →]({rel(here, layout.archive())})</p>',
        f"## 街道 {{ #streets }}\n\n" + "\n\n".join(streets),
        f"## 项目 {{ #programmes }}\n\n{programmes}",
        f"## 按日期 {{ #years }}\n\n{year_chips}",
        description=f"{site_name}：共 {len(index.entries)} 篇文章，可按街道、项目和日期浏览。",
    )


def streets_page(index: ArchiveIndex, layout: Layout) -> str:
    here = layout.streets()
    blocks = [f'<p class="bl-lead">共 {len(index.streets)} 个街道（镇），按区分组。</p>']
    for i, d in enumerate(index.districts, 1):
        blocks.append(f"## {md(d.label)} {{ #d{i} }}")
        blocks.append(chips([(t.name, rel(here, layout.street(t)), len(t.entries)) for t in d.streets]))
    return page("街道", *blocks)


def topic_page(index: ArchiveIndex, layout: Layout, topic: Topic, kind: str) -> str:
    """One street's or programme's articles, newest first, by year."""
    if kind == "street":
        here, parent, parent_label = layout.street(topic), layout.streets(), "街道"
        lead = f"{topic.district} · " if topic.district else ""
    else:
        here, parent, parent_label = layout.programme(topic), layout.programmes(), "项目"
        n = len({s for e in topic.entries for s in e.article.streets})
        lead = f"涉及 {n} 个街道 · " if n else ""
    return page(
        topic.name,
        f'<p class="bl-lead">{html.escape(lead)}共 {len(topic.entries)} 篇</p>',
        by_year(topic.entries, here, layout, index.streets),
        description=f"{topic.name}：共 {len(topic.entries)} 篇文章",
        trail=crumbs(here, [("首页", layout.home()), (parent_label, parent)]),
    )


def programmes_page(index: ArchiveIndex, layout: Layout) -> str:
    here = layout.programmes()
    links = [(t.name, rel(here, layout.programme(t)), len(t.entries)) for t in index.programmes.values()]
    return page("项目", f'<p class="bl-lead">共 {len(links)} 个项目、活动和专项工作。</p>', chips(links))


def archive_page(index: ArchiveIndex, layout: Layout) -> str:
    here = layout.archive()
    blocks = [f'<p class="bl-lead">共 {len(index.entries)} 篇文章，按月份浏览。</p>']
    for year, months in index.years.items():
        blocks.append(f"## {year}年 {{ #y{year} }}")
        blocks.append(chips([(f"{m.month}月", rel(here, layout.month(m)), len(m.entries)) for m in months]))
    return page("按日期", *blocks)


def month_page(index: ArchiveIndex, layout: Layout, month: Month) -> str:
    here = layout.month(month)
    i = index.months.index(month)
    newer = index.months[i - 1] if i > 0 else None
    older = index.months[i + 1] if i + 1 < len(index.months) else None
    pager = " ".join(
        f'[{arrow}]({rel(here, layout.month(m))}){{ .bl-chip }}'
        for m, arrow in ((older, f"← {older.label}" if older else ""), (newer, f"{newer.label} →" if newer else ""))
        if m
    )
    return page(
        month.label,
        f'<p class="bl-lead">共 {len(month.entries)} 篇</p>',
        listing(month.entries, here, layout, index.streets),
        f'<div class="bl-pager" markdown>\n{pager}\n</div>' if pager else "",
        description=f"{month.label}的文章，共 {len(month.entries)} 篇",
        trail=crumbs(here, [("首页", layout.home()), ("按日期", layout.archive()), (f"{month.year}年", f"{layout.archive()}#y{month.year}")]),
    )


def search_page(layout: Layout) -> str:
    """The search page: theme/search.html adds the form, facets and results
    (assets/search.js over the index bulletin/search.py writes); without
    JavaScript the reader is pointed to the browse pages."""
    here = layout.search()
    return (
        '---\ntitle: "搜索"\ntemplate: search.html\nhide: [navigation, toc]\n'
        'description: "全文搜索档案：按街道、项目、人名或词语查找文章，可按街道、项目和年份筛选。"\n'
        "bulletin_generated: true\n---\n\n# 搜索\n\n"
        '<p class="bl-lead bl-search__nojs" markdown>搜索需要启用 JavaScript。也可以按'
        f"[街道]({rel(here, layout.streets())})、[项目]({rel(here, layout.programmes())})"
        f"或[日期]({rel(here, layout.archive())})浏览档案。</p>\n"
    )
