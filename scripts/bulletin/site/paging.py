"""Listings of many pages: a street with 5,000 articles is 100 light pages with
a pager and year jumps, not one page of 4 MB."""

from __future__ import annotations

from bulletin.site.index import Entry
from bulletin.site.pagehtml import link, paragraph_div

PAGE_SIZE = 50  # articles per listing page: a street with 5,000 articles is 100 light pages, not one of 4 MB


def paged_uri(first: str, k: int) -> str:
    """The src_uri of page ``k`` (1-based) of a listing whose first page is ``first``:
    ``streets/x/index.md`` -> ``streets/x/page/2/index.md`` (stable, Material-blog style)."""
    if k <= 1:
        return first
    base = first[: -len("index.md")] if first.endswith("index.md") else first[:-3] + "/"
    return f"{base}page/{k}/index.md"


def pages_of(entries: list[Entry], per_page: int = PAGE_SIZE) -> list[list[Entry]]:
    per_page = max(per_page, 1)
    return [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]


def pager(first: str, k: int, count: int) -> str:
    """Links between the pages of one listing (HTML): newer, numbers around this one, older."""
    if count < 2:
        return ""
    shown = sorted({1, count, *range(max(1, k - 2), min(count, k + 2) + 1)})
    parts = [link("← 较新", paged_uri(first, k - 1), chip=True)] if k > 1 else []
    last = 0
    for n in shown:
        if n > last + 1:
            parts.append('<span class="bl-pager__gap">…</span>')
        parts.append(f'<span class="bl-chip bl-chip--current" aria-current="page">{n}</span>' if n == k
                     else link(str(n), paged_uri(first, n), chip=True))
        last = n
    if k < count:
        parts.append(link("较早 →", paged_uri(first, k + 1), chip=True))
    return paragraph_div("bl-pager bl-pages", " ".join(parts))


def year_starts(chunks: list[list[Entry]]) -> dict[int, int]:
    """Each year of a listing, with the page (1-based) where it starts."""
    start: dict[int, int] = {}
    for k, chunk in enumerate(chunks, 1):
        for e in chunk:
            start.setdefault(e.article.date.year, k)
    return start


def year_jumps(first: str, starts: dict[int, int], pages: int) -> str:
    """On a listing of several pages: each year, linking to the page where it
    starts (``starts`` computed once a listing: per page it was quadratic, 4% of
    a 100,000-article build)."""
    if pages < 2:
        return ""
    links = " ".join(link(f"{y}年", paged_uri(first, k), f"y{y}", chip=True) for y, k in starts.items())
    return paragraph_div("bl-years", links)
