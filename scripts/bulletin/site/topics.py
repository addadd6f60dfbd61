"""Streets and programmes (tags) and their pages' names: slugs that never move,
news and continuation pieces per tag, streets grouped by city and district."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bulletin.site.collate import pinyin_key
from bulletin.site.entry import Entry
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
class Topic:
    """A street or a programme and its articles, newest first."""

    name: str
    slug: str
    entries: list[Entry] = field(default_factory=list)  # news only
    district: str | None = None
    continued: list[Entry] = field(default_factory=list)  # continuation pieces tagged with it, newest first

    @property
    def count(self) -> int:
        """What its page lists: the news and the continuation pieces."""
        return len(self.entries) + len(self.continued)


@dataclass
class District:
    name: str
    city: str | None = None
    streets: list[Topic] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.city} · {self.name}" if self.city else self.name


def tags(entries: list, taxonomy: Taxonomy) -> tuple[dict[str, Topic], dict[str, Topic]]:
    """Streets and programmes of ``entries`` (newest first), each with its news and
    continuation pieces: every tag gets its page, a continuation piece's too (its
    street may have no other article). Taxonomy order first, then busiest."""
    streets = _topics(entries, lambda e: e.article.streets)
    programmes = _topics(entries, lambda e: e.article.programmes)
    return _settled(streets, programmes, taxonomy, streets)


def retagged(streets: dict[str, Topic], programmes: dict[str, Topic], moves: list[tuple[Entry, Entry]],
             taxonomy: Taxonomy) -> tuple[dict[str, Topic], dict[str, Topic]]:
    """:func:`tags` after ``moves`` ((the entry as it was, the entry now), which keeps
    its place among the entries: only its tags and district changed), from the
    topics before, without walking every entry (the preview's save of a tag);
    the topics given are left as they were."""
    out = {"s": {n: replace(t) for n, t in streets.items()}, "p": {n: replace(t) for n, t in programmes.items()}}
    touched: set[str] = set()
    for was, now in moves:
        field_ = "continued" if now.is_fragment else "entries"
        for kind, old_names, new_names in (("s", was.article.streets, now.article.streets),
                                           ("p", was.article.programmes, now.article.programmes)):
            for name in old_names:
                topic = out[kind][name]
                setattr(topic, field_, [e for e in getattr(topic, field_) if e is not now])
            for name in new_names:
                topic = out[kind].setdefault(name, Topic(name, ""))
                members = list(getattr(topic, field_))
                members.insert(bisect.bisect_left([e.number for e in members], now.number), now)
                setattr(topic, field_, members)
            touched |= set(old_names) | set(new_names) if kind == "s" else set()
    for topics in out.values():
        for name in [n for n, t in topics.items() if not t.count]:
            del topics[name]
        for name, slug in unique_slugs(topics).items():
            topics[name].slug = slug
    return _settled(out["s"], out["p"], taxonomy, [n for n in touched if n in out["s"]])


def _settled(streets: dict[str, Topic], programmes: dict[str, Topic], taxonomy: Taxonomy,
             districts_of: Iterable[str]) -> tuple[dict[str, Topic], dict[str, Topic]]:
    """The district of the streets named in ``districts_of``, and both in page order."""
    for topic in (streets[n] for n in districts_of):
        topic.district = taxonomy.district_of(topic.name) or _most_common(
            e.district for e in (*topic.entries, *topic.continued) if e.article.district
        )
    street_rank = {name: i for i, name in enumerate(taxonomy.streets)}
    programme_rank = {name: i for i, name in enumerate(taxonomy.programmes)}
    return (dict(sorted(streets.items(), key=lambda kv: _rank(kv[1], street_rank))),
            dict(sorted(programmes.items(), key=lambda kv: _rank(kv[1], programme_rank))))


def group_districts(streets: Iterable[Topic], taxonomy: Taxonomy) -> list[District]:
    """Streets grouped as residents think of them: city, district, street, each
    in pinyin order (collate); streets of no known district last, in 其他."""
    districts: dict[tuple, District] = {}
    for topic in streets:
        known = taxonomy.streets.get(topic.name)
        city = (known.city if known and known.city else taxonomy.city_of_district(topic.district)) if topic.district else None
        name = topic.district or NO_DISTRICT
        districts.setdefault((city, name), District(name, city)).streets.append(topic)
    for d in districts.values():
        d.streets.sort(key=lambda t: pinyin_key(t.name))
    return sorted(districts.values(), key=lambda d: (
        d.name == NO_DISTRICT, d.city is None, pinyin_key(d.city or ""), pinyin_key(d.name)))


def _topics(entries: list[Entry], names) -> dict[str, Topic]:
    out: dict[str, Topic] = {}
    for e in entries:
        for name in names(e):
            topic = out.setdefault(name, Topic(name, ""))
            (topic.continued if e.is_fragment else topic.entries).append(e)
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
    return (rank.get(topic.name, len(rank)), -topic.count, topic.name)


def _most_common(values: Iterable[str | None]) -> str | None:
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
