"""Issues as printed: every article of one paper's issue, page by page.

An issue is the articles sharing an ``issue_date`` and a paper. The front
matter names no paper, so a printed page (its ``source`` file) belongs to the
paper of the city most of its articles are in (taxonomy city of their streets
or district); two cities' bulletins of one day are two issues. Pages keep the
order of their source names, articles their printed ``position``, so an issue
reads as it was printed (Trove / Chronicling America style).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from bulletin.taxonomy import Taxonomy


@dataclass
class Issue:
    date: dt.date
    paper: str  # the paper's city ("南通市"), "" when no article names one
    slug: str = ""
    pages: list[tuple[str, list]] = field(default_factory=list)  # (source, entries in printed order)
    _printed: dict[int, int] | None = field(default=None, repr=False, compare=False)
    _count: int = field(default=0, repr=False, compare=False)

    @property
    def entries(self) -> list:
        return [e for _, page in self.pages for e in page]

    @property
    def news(self) -> list:
        return [e for e in self.entries if not e.is_fragment]

    @property
    def fragments(self) -> list:
        return [e for e in self.entries if e.is_fragment]

    @property
    def printed(self) -> dict[int, int]:
        """``id(entry) -> n``: the news numbered 1, 2, 3 ... in printed order over
        the whole issue, so the last number is the issue's count of articles.
        Continuation pieces get none (shown as 续); the pieces an editor split
        (``part``) keep their printed article's number."""
        if self._printed is None:
            numbers: dict[int, int] = {}
            seen: dict[tuple, int] = {}
            for e in self.news:
                key = (e.article.source, e.article.position)
                if key not in seen:
                    seen[key] = len(seen) + 1
                numbers[id(e)] = seen[key]
            self._printed, self._count = numbers, len(seen)
        return self._printed

    @property
    def count(self) -> int:
        """How many printed articles the issue holds (continuation pieces not counted)."""
        self.printed
        return self._count

    def number(self, entry) -> int | None:
        """``entry``'s number in the issue (:attr:`printed`), None for a continuation piece."""
        return self.printed.get(id(entry))

    @property
    def label(self) -> str:
        day = f"{self.date.year}年{self.date.month}月{self.date.day}日"
        return f"{day} {self.paper}简报" if self.paper else f"{day}简报"

    def districts(self) -> list[str]:
        """Districts the issue reports on, most articles first."""
        counts = Counter(e.district for e in self.entries if e.district)
        return [d for d, _ in counts.most_common()]

    def page_number(self, entry) -> int:
        """1-based printed page of ``entry`` within this issue."""
        return next(i for i, (source, _) in enumerate(self.pages, 1) if source == entry.article.source)


def city_of(entry, taxonomy: Taxonomy) -> str | None:
    for street in entry.article.streets:
        known = taxonomy.streets.get(street)
        if known and known.city:
            return known.city
    return taxonomy.city_of_district(entry.district)


def paper_of(page: list, taxonomy: Taxonomy) -> str:
    """The paper of a printed page (its entries in printed order): the city most of them are in."""
    cities = Counter(c for c in (city_of(e, taxonomy) for e in page) if c)
    return cities.most_common(1)[0][0] if cities else ""


def group(entries: list, taxonomy: Taxonomy) -> list[Issue]:
    """Issues newest first (same date: by paper); each entry's ``issue`` is set."""
    printed: dict[tuple, list] = {}
    for e in entries:
        printed.setdefault((e.article.issue_date, e.article.source), []).append(e)
    issues: dict[tuple, Issue] = {}
    for (day, source), page in sorted(printed.items()):
        page.sort(key=lambda e: (e.article.position, e.article.part or 1, e.src_uri))
        paper = paper_of(page, taxonomy)
        issue = issues.setdefault((day, paper), Issue(day, paper))
        issue.pages.append((source, page))
        for e in page:
            e.issue = issue
    per_day = Counter(day for day, _ in issues)
    for (day, paper), issue in issues.items():
        issue.slug = day.isoformat() if per_day[day] == 1 else f"{day.isoformat()}-{paper or '其他'}"
    return sorted(issues.values(), key=lambda i: (-i.date.toordinal(), i.paper))
