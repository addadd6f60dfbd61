"""``bulletin check`` kept current across a preview session's saves (``mkdocs serve``).

:func:`~bulletin.editing.check.check_pages` with every page cached still walks
all pages and regroups every duplicate key after each save: 0.7 s at 100,000
articles. A session keeps each page's own problems and the duplicate groups
(key -> pages), so a save checks the saved pages and the groups their keys
are in, and reports what ``check_pages`` of all the pages reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from bulletin.editing.check import check_pages
from bulletin.editing.rules import Problem, duplicate_problems, problem_order
from bulletin.taxonomy import Taxonomy


class Session:
    """One per serve session; ``cache`` is ``check_pages``' cache (name -> (text,
    taxonomy, problems, page, duplicate keys))."""

    def __init__(self) -> None:
        self.cache: dict = {}
        self.taxonomy: Taxonomy | None = None  # what ``groups`` were made with; None: not made
        self.own: dict[str, list[Problem]] = {}  # name -> its own problems, pages that have some
        self.groups: dict[tuple, set[str]] = {}  # duplicate key -> pages with it
        self.shared: set[tuple] = set()  # keys of two or more pages

    def full(self, pages: Mapping[str, str], taxonomy: Taxonomy | None, **kwargs) -> list[Problem]:
        """``check_pages`` of every page (after a full build's read); the groups made again."""
        for gone in self.cache.keys() - pages.keys():
            del self.cache[gone]
        problems = check_pages(pages, taxonomy, cache=self.cache, **kwargs)
        self.taxonomy, self.own, self.groups = taxonomy, {}, {}
        for name, (_, _, own, _, keys) in self.cache.items():
            if own:
                self.own[name] = own
            for key in keys:
                self.groups.setdefault(key, set()).add(name)
        self.shared = {key for key, names in self.groups.items() if len(names) > 1}
        return problems

    def saved(self, pages: Mapping[str, str], names: Iterable[str], taxonomy: Taxonomy | None,
              parsed: dict | None = None, exists: Callable[[str, str], bool] | None = None) -> list[Problem]:
        """What ``check_pages(pages, ...)`` reports when only ``names`` changed (saved,
        added or deleted) since the last call; links checked in those pages only."""
        if taxonomy is not self.taxonomy:
            return self.full(pages, taxonomy, parsed=parsed)
        out: list[Problem] = []
        for name in names:
            for key in self.cache.pop(name, (None,) * 5)[4] or ():
                self._group(key).discard(name)
                self._share(key)
            self.own.pop(name, None)
            if name not in pages:
                continue
            out += check_pages({name: pages[name]}, taxonomy, parsed=parsed, cache=self.cache, exists=exists)
            _, _, own, _, keys = self.cache[name]
            if own:
                self.own[name] = own
            for key in keys:
                self._group(key).add(name)
                self._share(key)
        twins = {name for key in self.shared for name in self.groups[key]}
        out += [p for name, own in self.own.items() if name not in names for p in own]
        out += duplicate_problems([self.cache[n][3] for n in sorted(twins)], twins, {n: self.cache[n][4] for n in twins})
        return sorted(set(out), key=problem_order)

    def _group(self, key: tuple) -> set[str]:
        return self.groups.setdefault(key, set())

    def _share(self, key: tuple) -> None:
        (self.shared.add if len(self.groups[key]) > 1 else self.shared.discard)(key)
