"""Collect every article into one plain index before anything is rendered.

Pelican-style: the plugin reads all front matter first (through ``model``, the
one schema), applies the taxonomy, and builds an :class:`ArchiveIndex`; the
page generators in ``pages``/``feed`` then only read this index. Everything
here is pure so tests call it without MkDocs.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bulletin import model
from bulletin.site.entry import Entry
from bulletin.site.issues import Issue
from bulletin.site.issues import group as group_issues
from bulletin.site.related import Related
from bulletin.site import topics
from bulletin.site.topics import NO_DISTRICT, District, Topic, group_districts, slugify, tags, unique_slugs  # noqa: F401 (re-exported)
from bulletin.taxonomy import Taxonomy


@dataclass
class Month:
    year: int
    month: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass
class ArchiveIndex:
    entries: list[Entry] = field(default_factory=list)  # newest first, continuation pieces too
    issues: list[Issue] = field(default_factory=list)  # newest first
    streets: dict[str, Topic] = field(default_factory=dict)
    districts: list[District] = field(default_factory=list)
    programmes: dict[str, Topic] = field(default_factory=dict)
    months: list[Month] = field(default_factory=list)  # newest first

    @property
    def years(self) -> dict[int, list[Month]]:
        """Year -> its months, both newest first."""
        out: dict[int, list[Month]] = {}
        for month in self.months:
            out.setdefault(month.year, []).append(month)
        return out

    def get(self, src_uri: str) -> Entry | None:
        return self._by_uri.get(src_uri)

    def __post_init__(self) -> None:
        self._by_uri = {e.src_uri: e for e in self.entries}
        for i, e in enumerate(self.entries):
            e.number = i
        self._reading: dict[str, tuple[list[Entry], dict[int, int]]] = {}
        self._issue_pos: dict[int, int] = {}
        self._related = Related(self.entries, self.streets, self.programmes, reading_key)
        self._month_of = {(m.year, m.month): m for m in self.months}

    @functools.cached_property
    def news(self) -> list[Entry]:
        """What home and feed list: every article but continuation pieces, newest first
        (kept: the preview's save renders home on each save; a swap in place keeps kinds)."""
        return [e for e in self.entries if not e.is_fragment]

    def month_of(self, entry: Entry) -> Month | None:
        d = entry.article.date
        return self._month_of.get((d.year, d.month))

    def issue(self, entry: Entry) -> list[Entry]:
        """The news of the entry's issue in printed order (pages, then positions)."""
        line = [e for e in entry.issue.entries if not e.is_fragment]
        if id(entry) not in self._issue_pos:
            self._issue_pos.update({id(e): i for i, e in enumerate(line)})
        return line

    def neighbours(self, entry: Entry) -> tuple[str | None, Entry | None, Entry | None]:
        """(label, previous, next) in reading order along the article's first street;
        an article without a street walks its own issue instead."""
        if entry.is_fragment:
            return None, None, None  # shown as 续 of its issue, not in a reading line
        if entry.article.streets:
            label = entry.article.streets[0]
            if label not in self._reading:
                line = sorted(self.streets[label].entries, key=reading_key)
                self._reading[label] = (line, {id(e): i for i, e in enumerate(line)})
            line, where = self._reading[label]
            i = where[id(entry)]
        else:
            label, line = ISSUE_LABEL, self.issue(entry)
            i = self._issue_pos[id(entry)]
        if len(line) < 2:
            return None, None, None
        return label, (line[i - 1] if i > 0 else None), (line[i + 1] if i + 1 < len(line) else None)

    def retagged(self, moves: list[tuple[Entry, Entry]], taxonomy: Taxonomy) -> ArchiveIndex:
        """This index after ``moves`` ((the entry as it was, the entry itself, changed in
        place: only its tags and district), whose entries keep their places, issues
        and months: a new index sharing all but the tag groups, and what this one
        worked out that the tags do not change (the news, the reading order)."""
        streets, programmes = topics.retagged(self.streets, self.programmes, moves, taxonomy)
        out = ArchiveIndex(self.entries, self.issues, streets, group_districts(streets.values(), taxonomy),
                           programmes, self.months)
        if "news" in self.__dict__:
            out.__dict__["news"] = self.news
        out._related = self._related.retagged(self.entries, streets, programmes,
                                              [([k for k, _ in Related._lists_of(was)], now) for was, now in moves])
        return out

    def related(self, entry: Entry, count: int, exclude: Iterable[Entry] = ()) -> list[Entry]:
        """Articles of other issues sharing a street (weighs most) or a programme, closest date first."""
        return self._related.related(entry, count, exclude)

    def related_scan(self, entry: Entry, count: int, exclude: Iterable[Entry] = ()) -> list[Entry]:
        """:meth:`related` by scoring every article of every shared list (the reference)."""
        return self._related.related_scan(entry, count, exclude)


ISSUE_LABEL = "本期简报"


def newest_first_key(entry: Entry):
    """Newest date first; within one bulletin page keep the printed order."""
    a = entry.article
    return (-a.date.toordinal(), -a.issue_date.toordinal(), a.source, a.position, a.part or 1, entry.src_uri)


def reading_key(entry: Entry):
    """Oldest first, and within one bulletin page in printed order (上一篇/下一篇)."""
    a = entry.article
    return (a.date, a.issue_date, a.source, a.position, a.part or 1, entry.src_uri)


def parse(src_uri: str, text: str, origin: str = "", split: tuple[dict, str] | None = None) -> model.Article:
    """One page through the shared schema; errors name ``origin/src_uri:line``.
    ``split`` is the page's ``model.split_page`` result from a ``check_pages`` that
    found no error in it: its schema is not validated again."""
    path = posixpath.join(origin, src_uri) if origin else src_uri
    meta, body = split or model.split_page(text, path)
    return model.article_from_meta(meta, body, path, text, checked=split is not None)


def collect(
    pages: Mapping[str, str] | Iterable[tuple[str, str]],
    taxonomy: Taxonomy | None = None,
    origin: str = "",
    parsed: Mapping[str, tuple[dict, str]] | None = None,
) -> ArchiveIndex:
    """Build the index from ``src_uri -> page text``; raises model.PageError on the first bad page.
    ``parsed`` (``src_uri -> (meta, body)`` of pages ``check_pages`` found no error in:
    the plugin builds only then) saves parsing the YAML and validating it twice."""
    taxonomy = taxonomy or Taxonomy()
    items = pages.items() if isinstance(pages, Mapping) else pages
    parsed = parsed or {}
    entries = [entry_of(src_uri, text, taxonomy, origin, parsed.get(src_uri)) for src_uri, text in items]
    entries.sort(key=newest_first_key)
    return build(entries, taxonomy)


def entry_of(src_uri: str, text: str, taxonomy: Taxonomy, origin: str = "",
             split: tuple[dict, str] | None = None) -> Entry:
    """One page as the index holds it: parsed, its tags settled by the taxonomy."""
    article = parse(src_uri, text, origin, split)
    article.programmes, article.candidate_programmes = taxonomy.settle(article.programmes, article.candidate_programmes)
    article.streets, article.programmes = taxonomy.retag(article.streets, article.programmes)
    district = article.district or next((d for d in map(taxonomy.district_of, article.streets) if d), None)
    return Entry(article, src_uri, district)


def updated(old: ArchiveIndex, changed: Mapping[str, str | None], taxonomy: Taxonomy, origin: str = "",
            parsed: Mapping[str, tuple[dict, str]] | None = None) -> ArchiveIndex:
    """:func:`collect` of ``old``'s pages with ``changed`` (src_uri -> new text, None:
    deleted), the same taxonomy: only the changed pages are parsed again (the
    preview's save; ``old`` is left as it was)."""
    parsed = parsed or {}
    entries = [Entry(e.article, e.src_uri, e.district) for e in old.entries if e.src_uri not in changed]
    entries += [entry_of(uri, text, taxonomy, origin, parsed.get(uri)) for uri, text in changed.items() if text is not None]
    entries.sort(key=newest_first_key)
    return build(entries, taxonomy)


def build(entries: list[Entry], taxonomy: Taxonomy) -> ArchiveIndex:
    """Group already-sorted entries by issue, and their news by street, district, programme and month."""
    issues = group_issues(entries, taxonomy)
    for issue in issues:
        issue.slug = slugify(issue.slug)
    news = [e for e in entries if not e.is_fragment]
    streets, programmes = tags(entries, taxonomy)
    return ArchiveIndex(
        entries=entries,
        issues=issues,
        streets=streets,
        districts=group_districts(streets.values(), taxonomy),
        programmes=programmes,
        months=_months(news),
    )


def _months(news: list[Entry]) -> list[Month]:
    """The months of the news, newest first, each with its articles."""
    months: dict[tuple[int, int], Month] = {}
    for e in news:
        key = (e.article.date.year, e.article.date.month)
        months.setdefault(key, Month(*key)).entries.append(e)
    return [months[k] for k in sorted(months, reverse=True)]
