"""A built search index, updated for documents edited in place (the preview).

Rebuilding the index takes about a millisecond an article (minutes at 100,000),
so after a save that keeps every document's place (its id: the archive's
newest-first order) only what the edit touches is made again: the document's
file, the shards holding the keys it gained or lost (repacked from the shard
before the first of them until the packing meets an unchanged shard start, so
every shard is what a full build packs), the facet files when its tags changed,
the fold files when the index's characters changed, and the manifest. The
result is byte for byte the index a full build makes of the same documents
(``tests/test_search_update.py``).
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from bulletin.search import index as build
from bulletin.search.format import decode_postings, doc_path, encode_postings, encode_shard, shard_entries
from bulletin.search.keys import bucket


@dataclass
class Built:
    """An index as a serve session keeps it: every file in build order, and how
    many documents hold each character that something folds into."""

    files: dict[str, bytes]
    street_aliases: dict[str, list[str]] = field(default_factory=dict)
    programme_aliases: dict[str, list[str]] = field(default_factory=dict)
    fold_counts: Counter = field(default_factory=Counter)
    digests: dict[str, bytes] = field(default_factory=dict)  # path -> build.file_digest
    names: dict[str, list[str]] | None = None  # facet names, busiest first

    @classmethod
    def of(cls, docs: list[build.SearchDoc], street_aliases: Mapping[str, list[str]],
           programme_aliases: Mapping[str, list[str]]) -> Built:
        counts: Counter = Counter()
        files = dict(build.build(docs, street_aliases, programme_aliases, fold_counts=counts))
        names = {"streets": build.facet_names(d.streets for d in docs),
                 "programmes": build.facet_names(d.programmes for d in docs)}  # the first save need not remake the facets
        return cls(files, dict(street_aliases), dict(programme_aliases), counts,
                   {p: build.file_digest(p, d) for p, d in files.items()}, names)

    @property
    def aliases(self) -> dict[str, list[str]]:
        return {**self.programme_aliases, **self.street_aliases}

    @property
    def alias_of(self) -> dict[str, dict[str, list[str]]]:
        return {"streets": self.street_aliases, "programmes": self.programme_aliases}


def _edited(postings: bytes, doc: int, present: bool) -> bytes:
    ids = decode_postings(postings)
    i = bisect.bisect_left(ids, doc)
    there = i < len(ids) and ids[i] == doc
    if present and not there:
        ids.insert(i, doc)
    elif there and not present:
        del ids[i]
    return encode_postings(ids)


def _repacked(firsts: list[int], shards: list[bytes], changed: Mapping[int, list]) -> tuple[list[int], list[bytes]]:
    """(first buckets, shards) after the ``changed`` shards' new entries: each run
    of changed shards is packed again from the shard before it until the packing
    cuts where an unchanged shard started (from there on ``pack`` makes what it
    made before), so an edit whose keys hash all over the index repacks a few
    shards around each of them, not everything from its first to its last."""
    out_firsts: list[int] = []
    out_shards: list[bytes] = []
    start_of = {b: j for j, b in enumerate(firsts)}
    done = 0  # shards before this one are in out_*
    for j in sorted(changed):
        if j < done:
            continue  # repacked with the run before
        begin = max(j - 1, done)
        out_firsts += firsts[done:begin]
        out_shards += shards[done:begin]
        resume = [len(shards)]

        def stop(b: int) -> bool:
            k = start_of.get(b, -1)
            if k > j and k not in changed:
                resume[0] = k
                return True
            return False

        def stream():
            for k in range(begin, len(shards)):
                yield from changed[k] if k in changed else (
                    (bucket(key), key, a, h) for key, a, h in shard_entries(shards[k]))

        for n, (b, s) in enumerate(build.pack(stream(), stop=stop)):
            out_firsts.append(firsts[begin] if n == 0 else b)
            out_shards.append(encode_shard(s))
        done = resume[0]
    return out_firsts + firsts[done:], out_shards + shards[done:]


def update(built: Built, edits: Mapping[int, tuple[build.SearchDoc, build.SearchDoc]],
           tags: list[tuple[list[str], list[str]]], dates: list) -> dict[str, bytes | None]:
    """Apply ``edits`` (document id -> (old, new document), same place) to ``built``;
    ``tags`` and ``dates`` are every document's (streets, programmes) and date after
    the edits. Returns the files whose bytes changed (None: a file no longer made)."""
    aliases, files = built.aliases, built.files
    manifest = json.loads(files["manifest.json"])
    starts = [0]
    for gap in manifest["shards"]:
        starts.append(starts[-1] + gap)
    starts = starts[1:]  # first bucket of every shard but the first
    keyed: dict[str, dict[int, tuple[bool, bool]]] = {}  # key -> doc -> (in all, in head)
    new_files: dict[str, bytes] = {}
    folds = {c for c, n in built.fold_counts.items() if n > 0}
    for doc, (old, new) in edits.items():
        old_head, old_all, old_seen = build.doc_keys(old, aliases)
        new_head, new_all, new_seen = build.doc_keys(new, aliases)
        built.fold_counts.subtract(build.fold_targets(old_seen))
        built.fold_counts.update(build.fold_targets(new_seen))
        for key in (old_all ^ new_all) | (old_head ^ new_head):
            keyed.setdefault(key, {})[doc] = (key in new_all, key in new_head)
        new_files[doc_path(doc)] = build.doc_file(new, aliases, new_seen)

    shard_of = {key: bisect.bisect_right(starts, bucket(key)) for key in keyed}
    firsts = [0, *starts]
    shards = [files[build.shard_path(b)] for b in firsts]
    changed: dict[int, list[tuple[int, str, bytes, bytes]]] = {}
    for j in sorted(set(shard_of.values())):
        entries = {key: (a, h) for key, a, h in shard_entries(shards[j])}
        for key in [k for k in keyed if shard_of[k] == j]:
            a, h = entries.get(key, (b"", b""))
            for doc, (in_all, in_head) in keyed[key].items():
                a, h = _edited(a, doc, in_all), _edited(h, doc, in_head)
            if a:
                entries[key] = (a, h)
            else:
                entries.pop(key, None)
        changed[j] = sorted((bucket(k), k, a, h) for k, (a, h) in entries.items())
    firsts, shards = _repacked(firsts, shards, changed)
    starts = firsts[1:]
    parts: dict[str, dict[str, bytes]] = {"d/": {}, "f/": {}, "g/": {}, "n/": {}, "fold/": {}}
    for path, data in files.items():
        part = parts.get(path[:path.index("/") + 1] if "/" in path else "")
        if part is not None:
            part[path] = data
    parts["d/"].update(new_files)
    retagged = [doc for doc, (o, n) in edits.items() if (o.streets, o.programmes) != (n.streets, n.programmes)]
    names = {"streets": build.facet_names(t[0] for t in tags),
             "programmes": build.facet_names(t[1] for t in tags)} if retagged or built.names is None else built.names
    if names != built.names:  # ids by busiest first moved: every document's row changes
        built.names, facets = build.facet_files(tags, built.alias_of)
        parts["f/"], parts["g/"], parts["n/"] = dict(facets), {}, {}
    elif retagged:  # the same ids: the chunk and the block of each retagged document
        rows = build.facet_rows(tags, names)
        for doc in retagged:
            for kind, size in (("f", build.FACET_CHUNK), ("g", build.FACET_BLOCK)):
                path, data = build.facet_file(kind, rows, doc // size)
                parts[kind + "/"][path] = data
    built.fold_counts = Counter({c: n for c, n in built.fold_counts.items() if n > 0})
    if set(built.fold_counts) != folds:
        parts["fold/"] = dict(build.fold_files(set(built.fold_counts)))
    made = {**parts["d/"], **parts["f/"], **parts["g/"], **parts["n/"], **parts["fold/"],
            **{build.shard_path(b): s for b, s in zip(firsts, shards)}}
    digests = {p: built.digests[p] if files.get(p) is d else build.file_digest(p, d) for p, d in made.items()}
    path, data = build.with_build_id(build.files_digest(digests.values()), build.manifest_of(
        len(tags), starts, build.years_of(dates), built.names, built.alias_of))
    made[path] = data
    out: dict[str, bytes | None] = {p: None for p in files.keys() - made.keys()}
    out.update({p: d for p, d in made.items() if files.get(p) != d})
    built.files, built.digests = made, digests
    return out
