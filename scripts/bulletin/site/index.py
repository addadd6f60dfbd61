"""Collect every article into one plain index before anything is rendered.

Pelican-style: the plugin reads all front matter first (through ``model``, the
one schema), applies the taxonomy, and builds an :class:`ArchiveIndex`; the
page generators in ``pages``/``feed`` then only read this index. Everything
here is pure so tests call it without MkDocs.
"""

from __future__ import annotations

import bisect
import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bulletin import model
from bulletin.taxonomy import Taxonomy

NO_DISTRICT = "其他"

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\?#%<>\"'`|:*\[\]{}^~&=;,!$@\s]+")


def slugify(name: str) -> str:
    """A URL path segment for a tag name: Chinese is kept, anything that could
    escape the folder or break a URL (``/``, ``..``, controls, ``?#%``) is not."""
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    slug = _UNSAFE.sub("-", text).strip("-.")
    slug = re.sub(r"\.{2,}", ".", slug)
    if not slug:
        slug = "tag-" + hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
    return slug[:80]


@dataclass
class Entry:
    """One article plus what the build derives for it (stable slug, district)."""

    article: model.Article
    src_uri: str
    district: str | None = None
    number: int = -1  # position in ArchiveIndex.entries (newest first), set by the index

    @property
    def slug(self) -> str:
        """The file stem: written once by the importer, so it survives title fixes."""
        return posixpath.splitext(posixpath.basename(self.src_uri))[0]

    @property
    def title(self) -> str:
        return self.article.display_title


@dataclass
class Topic:
    """A street or a programme and its articles, newest first."""

    name: str
    slug: str
    entries: list[Entry] = field(default_factory=list)
    district: str | None = None


@dataclass
class Month:
    year: int
    month: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass
class District:
    name: str
    city: str | None = None
    streets: list[Topic] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.city} · {self.name}" if self.city else self.name


@dataclass
class ArchiveIndex:
    entries: list[Entry] = field(default_factory=list)  # newest first
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
        self._issues: dict | None = None
        self._issue_pos: dict[int, int] = {}
        self._order: list[Entry] | None = None
        self._lists: dict[tuple, list[int]] = {}
        self._sets: dict[tuple, set[int]] = {}
        self._meet: dict[tuple, list[int]] = {}
        self._month_of = {(m.year, m.month): m for m in self.months}

    def month_of(self, entry: Entry) -> Month:
        d = entry.article.date
        return self._month_of[(d.year, d.month)]

    def issue(self, entry: Entry) -> list[Entry]:
        """Articles of the same bulletin page (same issue and source file), in printed order."""
        if self._issues is None:
            self._issues = {}
            for e in sorted(self.entries, key=reading_key):
                line = self._issues.setdefault(_issue_key(e), [])
                self._issue_pos[id(e)] = len(line)
                line.append(e)
        return self._issues[_issue_key(entry)]

    def neighbours(self, entry: Entry) -> tuple[str | None, Entry | None, Entry | None]:
        """(label, previous, next) in reading order along the article's first street;
        an article without a street walks its own bulletin page instead."""
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

    def related(self, entry: Entry, count: int, exclude: Iterable[Entry] = ()) -> list[Entry]:
        """Articles sharing a street (weighs most), a programme, or the bulletin page; closest date first.

        Same result as scoring every article of every shared list (:meth:`related_scan`),
        without the scan: the articles sharing exactly a set ``T`` of this article's
        lists all score the same, so taking the sets in descending score and walking
        each one's intersection outwards from this article's date finds the closest
        ones after reading about ``count`` of them. A popular street (thousands of
        articles) therefore costs the same as a small one."""
        lists = self._lists_of(entry)
        if count <= 0:
            return []
        if len(lists) > 10:  # 2**len subsets: an article with very many tags takes the plain scan
            return self.related_scan(entry, count, exclude)
        order = self._reading_order()
        pos = self._pos
        skip = {pos[id(entry)], *(pos[id(e)] for e in exclude if e)}
        keys = [k for k, _ in lists]
        weights = [w for _, w in lists]
        tiers: dict[float, list[int]] = {}
        for mask in range(1, 1 << len(lists)):
            tiers.setdefault(sum(w for i, w in enumerate(weights) if mask >> i & 1), []).append(mask)
        here = pos[id(entry)]
        day = entry.article.date.toordinal()
        out: list[Entry] = []
        for weight in sorted(tiers, reverse=True):
            need = count - len(out)
            found: list[tuple[int, str, int]] = []
            for mask in tiers[weight]:
                members = self._intersection([k for i, k in enumerate(keys) if mask >> i & 1])
                if members:
                    found += self._closest(members, here, day, need, skip,
                                           lambda x, m=mask: self._mask(order[x], keys) == m)
            found.sort()
            out += [order[x] for _, _, x in found[:need]]
            if len(out) >= count:
                break
        return out

    def related_scan(self, entry: Entry, count: int, exclude: Iterable[Entry] = ()) -> list[Entry]:
        """:meth:`related` by scoring every article of every shared list (the reference)."""
        skip = {id(entry), *(id(e) for e in exclude if e)}
        score: dict[int, tuple[float, Entry]] = {}
        groups = [(2.0, [self.streets[n].entries for n in entry.article.streets]),
                  (1.0, [self.programmes[n].entries for n in entry.article.programmes]),
                  (0.5, [self.issue(entry)])]
        for weight, lists in groups:
            for entries in lists:
                for other in entries:
                    if id(other) not in skip:
                        old = score.get(id(other), (0.0, other))[0]
                        score[id(other)] = (old + weight, other)
        day = entry.article.date.toordinal()
        ranked = sorted(
            score.values(),
            key=lambda s: (-s[0], abs(s[1].article.date.toordinal() - day), s[1].src_uri),
        )
        return [e for _, e in ranked[: max(count, 0)]]

    # -- related(): every list as positions in reading order (oldest first)

    def _reading_order(self) -> list[Entry]:
        if self._order is None:
            self._order = sorted(self.entries, key=reading_key)
            self._pos = {id(e): i for i, e in enumerate(self._order)}
            self._days = [e.article.date.toordinal() for e in self._order]
            for e in self._order:
                for key, _ in self._lists_of(e):
                    self._lists.setdefault(key, []).append(self._pos[id(e)])
        return self._order

    @staticmethod
    def _lists_of(entry: Entry) -> list[tuple[tuple, float]]:
        a = entry.article
        return ([(("s", n), 2.0) for n in a.streets] + [(("p", n), 1.0) for n in a.programmes]
                + [(("i", *_issue_key(entry)), 0.5)])

    @staticmethod
    def _mask(entry: Entry, keys: list[tuple]) -> int:
        """Which of ``keys`` (another article's lists) ``entry`` belongs to, as bits."""
        a, mask = entry.article, 0
        for i, key in enumerate(keys):
            kind = key[0]
            if (kind == "s" and key[1] in a.streets) or (kind == "p" and key[1] in a.programmes) or (
                kind == "i" and key[1:] == _issue_key(entry)
            ):
                mask |= 1 << i
        return mask

    def _intersection(self, keys: list[tuple]) -> list[int]:
        """Sorted positions of the articles in every list of ``keys``."""
        if len(keys) == 1:
            return self._lists[keys[0]]
        cache = tuple(sorted(keys))
        if cache in self._meet:
            return self._meet[cache]
        lists = sorted((self._lists[k] for k in keys), key=len)
        out = lists[0]
        for key in keys:
            if self._lists[key] is not lists[0] and out:
                if key not in self._sets:
                    self._sets[key] = set(self._lists[key])
                members = self._sets[key]
                out = [x for x in out if x in members]
        if len(lists[0]) > 32:  # intersections starting from a bulletin page are cheap to redo
            self._meet[cache] = out
        return out

    def _closest(self, members: list[int], here: int, day: int, need: int, skip: set[int], accept) -> list:
        """Up to ``need`` accepted members closest in date to ``day`` as (distance, src_uri, position),
        plus every further one at the same distance as the last (ties go by src_uri)."""
        days, order = self._days, self._order
        left = bisect.bisect_left(members, here) - 1
        right = left + 1
        out: list[tuple[int, str, int]] = []
        last = None
        while left >= 0 or right < len(members):
            dl = day - days[members[left]] if left >= 0 else None
            dr = days[members[right]] - day if right < len(members) else None
            if dr is None or (dl is not None and dl <= dr):
                x, dist = members[left], dl
                left -= 1
            else:
                x, dist = members[right], dr
                right += 1
            if last is not None and dist > last:
                break
            if x in skip or not accept(x):
                continue
            out.append((dist, order[x].src_uri, x))
            if len(out) >= need:
                last = dist
        return out


ISSUE_LABEL = "本期简报"


def _issue_key(entry: Entry):
    return (entry.article.issue_date, entry.article.source)


def newest_first_key(entry: Entry):
    """Newest date first; within one bulletin page keep the printed order."""
    a = entry.article
    return (-a.date.toordinal(), -a.issue_date.toordinal(), a.source, a.position, entry.src_uri)


def reading_key(entry: Entry):
    """Oldest first, and within one bulletin page in printed order (上一篇/下一篇)."""
    a = entry.article
    return (a.date, a.issue_date, a.source, a.position, entry.src_uri)


def parse(src_uri: str, text: str, origin: str = "", split: tuple[dict, str] | None = None) -> model.Article:
    """One page through the shared schema; errors name ``origin/src_uri:line``.
    ``split`` is the page's ``model.split_page`` result when already known."""
    path = posixpath.join(origin, src_uri) if origin else src_uri
    meta, body = split or model.split_page(text, path)
    return model.article_from_meta(meta, body, path, text)


def collect(
    pages: Mapping[str, str] | Iterable[tuple[str, str]],
    taxonomy: Taxonomy | None = None,
    origin: str = "",
    parsed: Mapping[str, tuple[dict, str]] | None = None,
) -> ArchiveIndex:
    """Build the index from ``src_uri -> page text``; raises model.PageError on the first bad page.
    ``parsed`` (``src_uri -> (meta, body)``, e.g. from ``check_pages``) saves parsing the YAML twice."""
    taxonomy = taxonomy or Taxonomy()
    items = pages.items() if isinstance(pages, Mapping) else pages
    parsed = parsed or {}
    entries: list[Entry] = []
    for src_uri, text in items:
        article = parse(src_uri, text, origin, parsed.get(src_uri))
        article.programmes, article.candidate_programmes = taxonomy.settle(article.programmes, article.candidate_programmes)
        article.streets, article.programmes = taxonomy.retag(article.streets, article.programmes)
        district = article.district or next(
            (d for d in map(taxonomy.district_of, article.streets) if d), None
        )
        entries.append(Entry(article, src_uri, district))
    entries.sort(key=newest_first_key)
    return build(entries, taxonomy)


def build(entries: list[Entry], taxonomy: Taxonomy) -> ArchiveIndex:
    """Group already-sorted entries by street, district, programme and month."""
    streets = _topics(entries, lambda e: e.article.streets)
    programmes = _topics(entries, lambda e: e.article.programmes)
    for topic in streets.values():
        topic.district = taxonomy.district_of(topic.name) or _most_common(
            e.district for e in topic.entries if e.article.district
        )
    street_rank = {name: i for i, name in enumerate(taxonomy.streets)}
    programme_rank = {name: i for i, name in enumerate(taxonomy.programmes)}
    streets = dict(sorted(streets.items(), key=lambda kv: _rank(kv[1], street_rank)))
    programmes = dict(sorted(programmes.items(), key=lambda kv: _rank(kv[1], programme_rank)))

    districts: dict[str, District] = {}
    for topic in streets.values():
        name = topic.district or NO_DISTRICT
        if name not in districts:
            entry = taxonomy.streets.get(topic.name)
            districts[name] = District(name, entry.city if entry and topic.district else None)
        districts[name].streets.append(topic)
    ordered = sorted(districts.values(), key=lambda d: d.name == NO_DISTRICT)

    months: dict[tuple[int, int], Month] = {}
    for e in entries:
        key = (e.article.date.year, e.article.date.month)
        months.setdefault(key, Month(*key)).entries.append(e)
    return ArchiveIndex(
        entries=entries,
        streets=streets,
        districts=ordered,
        programmes=programmes,
        months=[months[k] for k in sorted(months, reverse=True)],
    )


def _topics(entries: list[Entry], names) -> dict[str, Topic]:
    out: dict[str, Topic] = {}
    for e in entries:
        for name in names(e):
            out.setdefault(name, Topic(name, "")).entries.append(e)
    for name, slug in unique_slugs(out).items():
        out[name].slug = slug
    return out


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Name -> slug, distinct even when two names sanitise alike. Depends only on
    the set of names (not article order), so a new article never moves a URL."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(slugify(name), []).append(name)
    out: dict[str, str] = {}
    for slug, group in groups.items():
        for name in group:
            keep = len(group) == 1 or name == slug
            out[name] = slug if keep else f"{slug}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"
    return out


def _rank(topic: Topic, rank: dict[str, int]):
    """Curated taxonomy order first (editors control it), then busiest first."""
    return (rank.get(topic.name, len(rank)), -len(topic.entries), topic.name)


def _most_common(values: Iterable[str | None]) -> str | None:
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
