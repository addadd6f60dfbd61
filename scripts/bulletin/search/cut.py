"""Understanding a run-together query: 小东门垃圾分类 is 小东门 + 垃圾分类.

Readers type a place and a topic without a space. When the whole query
occurs nowhere, each part is cut where the index says two words meet, using
only what the index already holds (search.js ``cutPart`` mirrors this):

* the posting lists of the query's pairs, fetched anyway: between 东门 and
  垃圾 the pair 门垃 is a boundary when most articles holding both
  neighbours lack it (its *cohesion*, :func:`cohesion`, is low), while 圾分
  is found in nearly every article holding 垃圾 and 分类;
* street and programme names with their aliases and the stems of street
  names (石港 of 石港镇): a cut never falls inside one, and their edges cut
  more readily.

Cutting too much only adds articles holding every smaller part (verification
keeps them honest); cutting too little loses them, so when no boundary is
clear the weakest one is cut anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

CUT_BELOW = 0.5  # a boundary whose cohesion is below this is cut
EDGE_FACTOR = 0.5  # a name's edge counts its cohesion at half
STREET_SUFFIXES = ("街道", "新区", "镇", "乡", "区", "县", "市", "社区", "村")
NEAR_NAMES = 3  # nearest names suggested on a zero-hit page
NEAR_MIN = 0.3  # least similarity (Dice over characters and pairs) to suggest a name


def stems(name: str) -> list[str]:
    """A street name without its administrative suffixes: 狼山镇街道 -> 狼山镇, 狼山."""
    out = []
    while True:
        cut = next((name[:-len(s)] for s in STREET_SUFFIXES if name.endswith(s) and len(name) - len(s) >= 2), None)
        if not cut:
            return out
        out.append(cut)
        name = cut


_RUN = re.compile(r"[^\W_]+")


def name_words(streets: Iterable[Sequence[str]], programmes: Iterable[Sequence[str]]) -> list[str]:
    """The runs of letters of normalised names and aliases, and street stems
    (search.js ``nameWords``), longest first: 党建+楼院治理 gives 楼院治理."""
    words: set[str] = set()
    for names in streets:
        for n in names:
            for run in _RUN.findall(n):
                words.add(run)
                words.update(stems(run))
    for names in programmes:
        for n in names:
            words.update(_RUN.findall(n))
    return sorted((w for w in words if len(w) >= 2), key=lambda w: (-len(w), w))


def cohesion(left: set[int], mid: set[int], right: set[int]) -> float:
    """How surely the pair ``mid`` belongs to one word with its neighbours:
    the share of articles holding both neighbours that also hold it
    (smoothed: neighbours never seen together give 0.5, no evidence either
    way). A pair no article holds joins nothing: 0."""
    if not mid:
        return 0.0
    base = left & right
    return (len(base & mid) + 0.5) / (len(base) + 1)


def cut_part(part: str, lists: Mapping[str, set[int]], words: Sequence[str]) -> list[str]:
    """``part`` cut into pieces of two or more characters (search.js ``cutPart``).

    ``lists`` holds the fetched pairs' document sets (a boundary is judged
    when its pair and both neighbours were fetched, or at a name's edge);
    ``words`` are :func:`name_words` (normalised)."""
    cps = list(part)
    n = len(cps)
    if n < 4:
        return [part]
    inside: set[int] = set()  # boundaries (index of the first character after) inside a name
    edges: set[int] = set()
    for w in words:
        at = part.find(w)
        while at >= 0:
            inside.update(range(at + 1, at + len(w)))
            edges.update((at, at + len(w)))
            at = part.find(w, at + 1)
    pair = ["".join(cps[i:i + 2]) for i in range(n - 1)]
    scored = []
    for b in range(2, n - 1):  # pieces of at least two characters
        keys = pair[b - 2], pair[b - 1], pair[b]
        if b in inside:
            continue
        if all(k in lists for k in keys):
            score = cohesion(*(lists[k] for k in keys))
        elif b in edges:  # a long query's pairs are not all fetched: a name's edge still cuts
            score = 0.5
        else:
            continue
        scored.append((score * (EDGE_FACTOR if b in edges else 1), b))
    scored.sort()
    cuts: list[int] = []
    for score, b in scored:  # weakest first; the weakest is cut even when above CUT_BELOW
        if cuts and score >= CUT_BELOW:
            break
        if all(abs(b - c) >= 2 for c in cuts):
            cuts.append(b)
    bounds = [0, *sorted(cuts), n]
    return ["".join(cps[a:b]) for a, b in zip(bounds, bounds[1:])]


def segments(parts: Sequence[str], lists: Mapping[str, set[int]], words: Sequence[str]) -> list[str]:
    """Every part cut (:func:`cut_part`), without repeats."""
    return list(dict.fromkeys(s for p in parts for s in cut_part(p, lists, words)))


def _grams(text: str) -> list[str]:
    cps = list(text)
    return cps + ["".join(cps[i:i + 2]) for i in range(len(cps) - 1)]


def similarity(a: str, b: str) -> float:
    """Dice coefficient over the characters and pairs of two normalised strings
    (小东们 and 小东门街道: 0.5)."""
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    rest = list(gb)
    common = 0
    for g in ga:
        if g in rest:
            rest.remove(g)
            common += 1
    return 2 * common / (len(ga) + len(gb))


def nearest(query: str, names: Sequence[tuple[str, Sequence[str]]], k: int = NEAR_NAMES) -> list[str]:
    """The ``k`` names most like ``query`` (normalised), best first, by their best
    spelling (name, alias or stem); ``names`` are (display name, normalised spellings)."""
    scored = []
    for i, (name, spellings) in enumerate(names):
        s = max(similarity(query, x) for x in spellings)
        if s >= NEAR_MIN:
            scored.append((-s, i, name))
    scored.sort()
    return list(dict.fromkeys(name for _, _, name in scored))[:k]
