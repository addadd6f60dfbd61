"""Related articles: the same street or programme in other issues, closest in date.

Kept apart from the index because it is the one costly query: at 50,000
articles scoring every article of a busy street for every page is quadratic,
so :meth:`Related.related` walks tag intersections instead and
:meth:`Related.related_scan` is the plain reference it must equal.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from bulletin.site.entry import Entry


class Related:
    def __init__(self, entries: list[Entry], streets: dict, programmes: dict, reading_key):
        self.entries, self.streets, self.programmes = entries, streets, programmes
        self._key = reading_key
        self._order: list | None = None
        self._lists: dict[tuple, list[int]] = {}
        self._sets: dict[tuple, set[int]] = {}
        self._meet: dict[tuple, list[int]] = {}

    def related(self, entry: Entry, count: int, exclude: Iterable[Entry] = ()) -> list[Entry]:
        """Articles of other issues sharing a street (weighs most) or a programme; closest date first.

        Same result as scoring every article of every shared list (:meth:`related_scan`),
        without the scan: the articles sharing exactly a set ``T`` of this article's
        lists all score the same, so taking the sets in descending score and walking
        each one's intersection outwards from this article's date finds the closest
        ones after reading about ``count`` of them. A popular street (thousands of
        articles) therefore costs the same as a small one."""
        if count <= 0:
            return []
        order = self._reading_order()
        lists = [(k, w) for k, w in self._lists_of(entry) if k in self._lists]
        if len(lists) > 10:  # 2**len subsets: an article with very many tags takes the plain scan
            return self.related_scan(entry, count, exclude)
        pos = self._pos
        skip = {pos[id(e)] for e in self._same_issue(entry, exclude)}
        keys = [k for k, _ in lists]
        weights = [w for _, w in lists]
        tiers: dict[float, list[int]] = {}
        for mask in range(1, 1 << len(lists)):
            tiers.setdefault(sum(w for i, w in enumerate(weights) if mask >> i & 1), []).append(mask)
        here = pos[id(entry)]
        day = entry.article.date.toordinal()
        out: list = []
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
        skip = {id(e) for e in self._same_issue(entry, exclude)}
        score: dict[int, tuple[float, Entry]] = {}
        groups = [(2.0, [self.streets[n].entries for n in entry.article.streets if n in self.streets]),
                  (1.0, [self.programmes[n].entries for n in entry.article.programmes if n in self.programmes])]
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

    @staticmethod
    def _same_issue(entry: Entry, exclude: Iterable[Entry]) -> list[Entry]:
        """What related never shows: the article itself, its own issue, ``exclude``."""
        issue = getattr(entry, "issue", None)
        return [entry, *(issue.entries if issue else ()), *(e for e in exclude if e)]

    # -- related(): every list as positions in reading order (oldest first)

    def _reading_order(self) -> list[Entry]:
        if self._order is None:
            self._order = sorted(self.entries, key=self._key)
            self._pos = {id(e): i for i, e in enumerate(self._order)}
            self._days = [e.article.date.toordinal() for e in self._order]
            for e in self._order:
                if e.is_fragment:  # continuation pieces are never offered as related
                    continue
                for key, _ in self._lists_of(e):
                    self._lists.setdefault(key, []).append(self._pos[id(e)])
        return self._order

    def retagged(self, entries: list[Entry], streets: dict, programmes: dict,
                 moves: list[tuple[list[tuple], Entry]]) -> Related:
        """A Related for the same entries in the same reading order after ``moves``
        ((the lists an entry was in, the entry with its new tags)): the order is
        kept (sorting 100,000 articles took 0.6 s a save) and only the moved
        entries' lists are changed; the lazily made intersections start over."""
        out = Related(entries, streets, programmes, self._key)
        if self._order is None:
            return out
        out._order, out._pos, out._days = self._order, self._pos, self._days
        out._lists = dict(self._lists)
        for before, entry in moves:
            if entry.is_fragment:
                continue
            x = self._pos[id(entry)]
            for key in before:
                out._lists[key] = [y for y in out._lists[key] if y != x]
            for key, _ in self._lists_of(entry):
                members = out._lists[key] = list(out._lists.get(key, ()))
                bisect.insort(members, x)
        out._lists = {k: v for k, v in out._lists.items() if v}
        return out

    @staticmethod
    def _lists_of(entry: Entry) -> list[tuple[tuple, float]]:
        a = entry.article
        return [(("s", n), 2.0) for n in a.streets] + [(("p", n), 1.0) for n in a.programmes]

    @staticmethod
    def _mask(entry: Entry, keys: list[tuple]) -> int:
        """Which of ``keys`` (another article's lists) ``entry`` belongs to, as bits."""
        a, mask = entry.article, 0
        for i, key in enumerate(keys):
            kind = key[0]
            if (kind == "s" and key[1] in a.streets) or (kind == "p" and key[1] in a.programmes):
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
        if len(lists[0]) > 32:  # intersections starting from a small list are cheap to redo
            self._meet[cache] = out
        return out

    def _closest(self, members: list[int], here: int, day: int, need: int, skip: set[int], accept) -> list[Entry]:
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
