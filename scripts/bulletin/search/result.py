"""A search result and its hits (:mod:`bulletin.search.client`, mirrored by
``theme/assets/search.js``), and the stages a query goes through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a result holds, by stage: every part as typed; every part cut where
# words meet; all but one of the cut parts (shown marked as partial).
STAGES = ("exact", "cut", "most")
PROBE = 10  # documents a first page verifies without a hit before it tries the next stage


@dataclass
class Result:
    parts: list[str]  # the query's normalised parts (all must occur)
    keys: list[str]  # the pairs used
    order: list[int]  # matching ids after filters, best first (unverified)
    head: set[int]  # candidates matching in a title or tag
    candidates: list[int]  # before filters, best first
    facets: dict[str, dict]  # facet -> name (the FACETS_SHOWN busiest) or year -> count
    filters: dict[str, int | None] = field(default_factory=dict)
    dropped: set[int] = field(default_factory=set)  # failed verification
    error: str | None = None
    segments: list[str] = field(default_factory=list)  # the parts cut where words meet
    stage: int = 0  # index into STAGES
    lists: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)  # fetched pairs

    @property
    def terms(self) -> list[str]:
        """What a hit must hold: the parts as typed (stage 0) or cut."""
        return self.parts if self.stage == 0 else self.segments

    @property
    def need(self) -> int:
        """How many terms a hit must hold."""
        return len(self.terms) if self.stage < 2 else max(1, len(self.terms) - 1)

    def next_stage(self) -> int | None:
        """The stage to try when this one has no hit (search.js ``nextStage``)."""
        if self.stage == 0 and self.segments != self.parts:
            return 1
        if self.stage < 2 and len(self.segments) > 1:
            return 2
        return None


@dataclass
class Hit:
    id: int
    doc: dict
    tier: int  # 0: title or tag, 1: text
    missing: list[str] = field(default_factory=list)  # terms it lacks (stage "most")
