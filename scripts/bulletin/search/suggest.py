"""What a zero-hit page offers (search.js ``Engine.suggest``): the street and
programme names nearest the query, and the pieces of the query that find
something, so a reader never meets a dead end.
"""

from __future__ import annotations

from typing import Any

from bulletin.search import cut
from bulletin.search.keys import normalize
from bulletin.search.result import Result

TRIES = 3  # candidate documents checked before a piece counts as finding nothing


def texts(doc: dict) -> list[str]:
    """Every searched text of a document file."""
    return [doc["t"], doc["k"], doc["st"], *doc["s"], *doc["p"], *doc["al"], *doc["a"], *doc["pl"], doc["x"]]


def suggest(s: Any, result: Result) -> dict[str, list[str]]:
    """``names``: up to three street or programme names like the query (by name,
    alias or street stem; ``s`` a client.Searcher, untyped: it imports this module); ``parts``: pieces of the query that occur in an
    article (a piece that does not is cut again where words meet)."""
    spellings = []
    for facet in ("streets", "programmes"):
        for i in range(s.manifest["count"][facet]):
            names = [normalize(x, s.fold) for x in s.names(facet, i)]
            stems = [st for n in names for st in cut.stems(n)] if facet == "streets" else []
            spellings.append((s.names(facet, i)[0], names + stems))
    near = cut.nearest("".join(result.parts), spellings)
    lists = {k: set(a) for k, (a, _) in result.lists.items()}

    def finds(term: str) -> bool:
        keys = [k for k in result.keys if k in term]
        if not keys:
            return False
        docs = set.intersection(*(lists[k] for k in keys))
        return any(any(term in normalize(t, s.fold) for t in texts(s.doc(i))) for i in sorted(docs)[:TRIES])

    def pieces(term: str) -> list[str]:
        if finds(term):
            return [term]
        parts = cut.cut_part(term, lists, s.words)
        return [x for p in parts for x in pieces(p)] if len(parts) > 1 else []

    found = [x for t in result.segments for x in pieces(t)]
    return {"names": near, "parts": list(dict.fromkeys(found))}
