"""What a saved edit changes in the previous build (the preview, ``mkdocs serve``).

The preview keeps the archive index and a fingerprint of what every page showed
at its last render; after a save it builds the new index and re-renders only the
pages whose fingerprint changed. These functions say which article pages can
have changed at all, so that a title fixed in one of 100,000 articles costs its
page, the few pages that show it (上一篇/下一篇, related) and its listings, not
the archive. Pure: no MkDocs here (``servebuild`` is the glue).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from bulletin.site.entry import Entry
from bulletin.site.index import ArchiveIndex
from bulletin.site.issues import paper_of
from bulletin.site.layout import Layout
from bulletin.site.pages import LIST_MARK, listed
from bulletin.site.paging import paged_uri
from bulletin.taxonomy import Taxonomy

# What places an article among the others (reading lines, issues, months, related
# lists); a change to anything else (title, body, summary, authors) shows only on
# its own page and where its title is shown.
PLACEMENT = ("date", "issue_date", "source", "position", "part", "kind", "streets", "programmes", "district")
ORDER = PLACEMENT[:6]  # what orders the entries and groups them in issues and months (tags aside)


def fingerprint(*values) -> str:
    """A short digest of what a page shows (repr of plain data: dicts, lists, strings, dates)."""
    return hashlib.blake2b(repr(values).encode("utf-8"), digest_size=16).hexdigest()


def placement(entry: Entry) -> tuple:
    a = entry.article
    return tuple(getattr(a, f) for f in PLACEMENT) + (entry.district,)


def shown_urls(context: Mapping) -> list[str]:
    """URLs of the other articles an article page shows by title (``view.article_context``)."""
    out = [link["url"] for link in (context.get("prev"), context.get("next")) if link]
    return out + [link["url"] for link in context.get("related") or ()]


def article_candidates(old, new: ArchiveIndex, changed: Iterable[str], shown: Shown, count: int) -> set[str]:
    """Articles of ``new`` whose page may differ after ``changed`` (src_uris saved,
    added or deleted): those articles and every page that showed one of them
    (``shown``: what each page showed at its last render). For an article that
    moved (date, issue, page, position, kind, tags) or came or went, also: the
    articles of its issue dates, its new neighbours in its reading line, those
    tagged with a street or programme that came or went or dated in a month that
    did, and those sharing a tag with it whose related list it could now enter
    (it would rank above the last one they show: score, then closeness in date)."""
    out: set[str] = set()
    movers = []
    for uri in changed:
        before, after = old.get(uri), new.get(uri)
        out |= shown.shown_by.get(uri, set())
        if after is not None:
            out.add(uri)
        if before is None or after is None or placement(before) != placement(after):
            movers.append((before, after))
    if movers:
        out |= _moved(old, new, movers, shown, count)
    return {uri for uri in out if new.get(uri) is not None}


def _rank(other: Entry, entry: Entry) -> tuple:
    """Where ``other`` ranks among ``entry``'s related articles (``related.Related``: lower first)."""
    a, b = other.article, entry.article
    score = 2 * len(set(a.streets) & set(b.streets)) + len(set(a.programmes) & set(b.programmes))
    return -score, abs(a.date.toordinal() - b.date.toordinal()), other.src_uri


def _moved(old: ArchiveIndex, new: ArchiveIndex, movers: list, shown: Shown, count: int) -> set[str]:
    out: set[str] = set()
    days, tags = set(), set()
    for e in (e for pair in movers for e in pair if e is not None):
        days.add(e.article.issue_date)
        tags |= {("s", s) for s in e.article.streets} | {("p", p) for p in e.article.programmes}
    for _, after in movers:
        if after is not None:
            out |= {e.src_uri for e in new.neighbours(after)[1:] if e is not None}
    came_or_went = {("s", n) for n in old.streets.keys() ^ new.streets.keys()}
    came_or_went |= {("p", n) for n in old.programmes.keys() ^ new.programmes.keys()}
    months = {(m.year, m.month) for m in old.months} ^ {(m.year, m.month) for m in new.months}
    arrived = [after for _, after in movers if after is not None]
    pool: Iterable[Entry] = new.entries
    if not months:  # only these can meet a test below: not every article of the archive
        groups = [new.streets.get(n) for k, n in tags | came_or_went if k == "s"]
        groups += [new.programmes.get(n) for k, n in tags | came_or_went if k == "p"]
        pool = {id(e): e for g in groups if g is not None for e in (*g.entries, *g.continued)}
        pool.update({id(e): e for i in new.issues if i.date in days for e in i.entries})
        pool = pool.values()
    for e in pool:
        a = e.article
        own = {("s", s) for s in a.streets} | {("p", p) for p in a.programmes}
        if a.issue_date in days or (a.date.year, a.date.month) in months or own & came_or_went:
            out.add(e.src_uri)
        elif own & tags:
            related = shown.related.get(e.src_uri)
            last = new.get(related[-1]) if related else None
            if related is None or len(related) < count or last is None or any(
                    _rank(x, e) < _rank(last, e) for x in arrived if x is not e):
                out.add(e.src_uri)
    return out


def swap_in_place(idx: ArchiveIndex, fresh: Mapping[str, Entry]) -> dict[str, Entry] | None:
    """Put the articles of ``fresh`` (pages saved again, src_uri -> entry) into
    ``idx`` when every one keeps its place (:func:`placement`): the index stays valid
    and nothing is regrouped (100,000 articles regroup in a second). Returns the
    entries as they were (copies), or None, and ``idx`` unchanged, when one moved."""
    current = {uri: idx.get(uri) for uri in fresh}
    if any(e is None or placement(e) != placement(fresh[uri]) for uri, e in current.items()):
        return None
    before = {uri: Entry(e.article, e.src_uri, e.district, e.number, e.issue) for uri, e in current.items()}
    for uri, e in current.items():
        e.article = fresh[uri].article
    return before


def retag_in_place(idx: ArchiveIndex, fresh: Mapping[str, Entry], taxonomy: Taxonomy,
                   ) -> tuple[dict[str, Entry], ArchiveIndex] | None:
    """:func:`swap_in_place` for saves that changed tags (streets, programmes,
    district) but kept every article's place in the order, its issue and month
    (dates, page, position, kind, the paper its page is given to): (the entries as they
    were, the new index, ``ArchiveIndex.retagged``: only the tag groups are made
    again, 1.5 s at 100,000 saved), or None, and ``idx`` unchanged. ``idx``'s
    entries are changed in place: read the old one through :class:`Before`."""
    current = {uri: idx.get(uri) for uri in fresh}
    if any(e is None or e.issue is None or [getattr(e.article, f) for f in ORDER] != [getattr(fresh[uri].article, f)
                                                                                   for f in ORDER]
           for uri, e in current.items()):
        return None
    now = {id(e): fresh[uri] for uri, e in current.items()}
    for e in current.values():  # a new city may give the printed page to another paper: another issue
        page = next(p for source, p in e.issue.pages if source == e.article.source)
        if paper_of(page, taxonomy) != paper_of([now.get(id(x), x) for x in page], taxonomy):
            return None
    before = {uri: Entry(e.article, e.src_uri, e.district, e.number, e.issue) for uri, e in current.items()}
    for uri, e in current.items():
        e.article, e.district = fresh[uri].article, fresh[uri].district
    return before, idx.retagged([(before[uri], e) for uri, e in current.items()], taxonomy)


def listing_uris(idx: ArchiveIndex, layout: Layout, entries: Iterable[Entry], per_page: int) -> set[str]:
    """The pages of the street, programme and month listings on which ``entries``
    appear (a fixed title changes one page of a street of 200, not all of them)."""
    out: set[str] = set()
    for e in entries:
        a = e.article
        lists = [(layout.street(idx.streets[s]), idx.streets[s].entries) for s in a.streets if s in idx.streets]
        lists += [(layout.programme(idx.programmes[p]), idx.programmes[p].entries)
                  for p in a.programmes if p in idx.programmes]
        month = idx.month_of(e)
        lists += [(layout.month(month), month.entries)] if month else []
        for first, members in lists:
            i = next((i for i, x in enumerate(members) if x is e), None)
            if i is not None:
                out.add(paged_uri(first, i // max(per_page, 1) + 1))
    return out


class Before:
    """The saved articles' entries as they were (``swap_in_place``, ``retag_in_place``),
    read like an index; its tags and months are those of ``index``, the one before."""

    def __init__(self, entries: Mapping[str, Entry], index: ArchiveIndex | None = None):
        self._entries = entries
        if index is not None:
            self.streets, self.programmes, self.months = index.streets, index.programmes, index.months

    def get(self, src_uri: str) -> Entry | None:
        return self._entries.get(src_uri)


def walk_key(src_uri: str) -> tuple:
    """Where MkDocs lists a docs file (``get_files`` walks the docs folder top-down,
    each folder's files, ``index``/``README`` first, before its subfolders, all sorted)."""
    *folders, name = src_uri.split("/")
    stem = name.rsplit(".", 1)[0]
    return tuple((1, f) for f in folders) + ((0, (stem not in ("index", "README"), name)),)


def generated_fingerprint(markdown: str, idx: ArchiveIndex) -> str:
    """What a generated page shows: its Markdown, with each listing marker standing
    for the rows it becomes (an article added elsewhere renumbers the markers of
    every listing, but changes no row of most of them)."""
    rows = [LIST_MARK.sub("<!-- bl-list -->", markdown)]
    for m in LIST_MARK.finditer(markdown):
        for n in listed(m.group(1)):
            e = idx.entries[n]
            a = e.article
            rows.append(repr((e.src_uri, e.title, a.kicker, a.kind, a.date, a.summary, a.streets,
                              [idx.streets[s].slug for s in a.streets if s in idx.streets])))
    return fingerprint(rows)


class Shown:
    """What every page showed at its last render in this serve session, and which
    article pages show each article (by title: 上一篇/下一篇, related)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}  # src_uri -> fingerprint
        self.shown_by: dict[str, set[str]] = {}  # article src_uri -> article pages showing it
        self.related: dict[str, list[str]] = {}  # article src_uri -> the related articles it shows
        self._showing: dict[str, list[str]] = {}

    def article(self, uri: str, context: Mapping, uri_of_url: Mapping[str, str]) -> None:
        """Note an article page as rendered with ``context`` (``view.article_context``)."""
        self.pages[uri] = fingerprint(context)
        for other in self._showing.get(uri, ()):
            self.shown_by.get(other, set()).discard(uri)
        showing = [uri_of_url[u] for u in shown_urls(context) if u in uri_of_url]
        for other in showing:
            self.shown_by.setdefault(other, set()).add(uri)
        self._showing[uri] = showing
        self.related[uri] = [uri_of_url.get(link["url"], "") for link in context.get("related") or ()]

    def forget(self, uri: str) -> None:
        self.pages.pop(uri, None)
        self.related.pop(uri, None)
        for other in self._showing.pop(uri, ()):
            self.shown_by.get(other, set()).discard(uri)
