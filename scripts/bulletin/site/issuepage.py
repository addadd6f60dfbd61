"""One page per issue: its articles page by page in printed order, continuation pieces as 续."""

from __future__ import annotations

import html

from bulletin.site.index import ArchiveIndex
from bulletin.site.issues import Issue
from bulletin.site import pagehtml
from bulletin.site.pages import KIND_LABELS, Layout, cn_date, front_matter

CONTINUED = "续"


def issue_page(index: ArchiveIndex, layout: Layout, issue: Issue, around: tuple | None = None) -> str:
    """The issue page (HTML, ``pagehtml``): h1 naming date and paper, each printed page's articles with their positions."""
    districts = issue.districts()
    news, rest = issue.count, len(issue.fragments)
    lead = " · ".join(p for p in (issue.paper, "、".join(districts)) if p)
    count = f"共 {news} 篇" + (f"，另有续篇 {rest} 篇（上文在其他版面）" if rest else "")
    blocks = [f'<p class="bl-lead">{html.escape(lead + " · " if lead else "")}{count}</p>']
    several = len(issue.pages) > 1
    for n, (_, entries) in enumerate(issue.pages, 1):
        if several:
            blocks.append(pagehtml.heading(2, f"第 {n} 页", f"p{n}"))
        items = []
        for e in entries:
            a = e.article
            mark = CONTINUED if e.is_fragment else f"第 {issue.number(e)} 篇" + (f"之{a.part}" if (a.part or 1) > 1 else "")
            label = "" if e.is_fragment else (a.kicker or KIND_LABELS.get(a.kind, ""))
            tags = "、".join(a.streets)
            note = " · ".join(pagehtml.text(x) for x in (label, tags) if x)
            items.append(f'<li><span class="bl-issue__pos">{mark}</span> {pagehtml.link(pagehtml.text(e.title), e.src_uri)}'
                         + (f' <span class="bl-issue__note">{note}</span>' if note else "") + "</li>")
        blocks.append('<div class="bl-issue">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>")
    older, newer = around or next(a for i, a in issues_around(index.issues) if i is issue)
    links = " ".join(pagehtml.link(arrow, layout.issue(x), chip=True) for x, arrow in (
        (older, f"← 上一期 {cn_date(older.date) if older else ''}"), (newer, f"下一期 {cn_date(newer.date) if newer else ''} →"),
    ) if x)
    if links:
        blocks.append(pagehtml.paragraph_div("bl-pager", links))
    year = issue.date.year
    trail = [("首页", layout.home()), ("按日期", layout.archive()), (f"{year}年", f"{layout.archive()}#y{year}")]
    return pagehtml.page(front_matter(issue.label, f"{issue.label}：{count}"), issue.label, *blocks,
                         trail=pagehtml.crumbs(trail))


def issues_around(issues: list[Issue]):
    """Each issue with (older, newer) issue of the same paper."""
    papers: dict[str, list[Issue]] = {}
    for issue in issues:  # newest first
        papers.setdefault(issue.paper, []).append(issue)
    for line in papers.values():
        for i, issue in enumerate(line):
            yield issue, (line[i + 1] if i + 1 < len(line) else None, line[i - 1] if i else None)


def issue_pages(index: ArchiveIndex, layout: Layout):
    """``(src_uri, page text)`` of every issue page."""
    for issue, around in issues_around(index.issues):
        yield layout.issue(issue), issue_page(index, layout, issue, around)
