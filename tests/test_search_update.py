"""A search index updated in place for edited documents is, byte for byte, the
index a full build makes of the edited documents (the preview relies on it)."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import json
import importlib.util
import random

import pytest

from bulletin.search import index as search
from bulletin.search import keys as searchkeys
from bulletin.search import update
from bulletin.site import index as site_index
from bulletin.taxonomy import load_taxonomy
from conftest import ROOT, bl_example_archive


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("synthetic_archive", ROOT / "scripts" / "synthetic_archive.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    root = tmp_path_factory.mktemp("search-update")
    bench.write_taxonomy(root / "taxonomy.yml", bench.generate(400, 3, root / "content", bl_example_archive()))
    taxonomy = load_taxonomy(root / "taxonomy.yml")
    pages = {str(p.relative_to(root / "content")): p.read_text(encoding="utf-8")
             for p in sorted((root / "content").rglob("*.md"))}
    idx = site_index.collect(pages, taxonomy)
    return search.docs_from_index(idx, lambda uri: uri[:-3] + "/"), taxonomy


def full(docs, taxonomy) -> dict[str, bytes]:
    return dict(search.docs_index_files(docs, taxonomy))


def edited(doc: search.SearchDoc, rng: random.Random, others: list[search.SearchDoc]) -> search.SearchDoc:
    """One of the edits an editor makes: a title, tags, the text (words gained and
    lost, traditional characters), an untitled piece."""
    other = rng.choice(others)
    kind = rng.randrange(6)
    if kind == 0:
        return dataclasses.replace(doc, title=doc.title + rng.choice(["（修订）", "之二", "镱镥"]))
    if kind == 1:
        return dataclasses.replace(doc, streets=list(other.streets), programmes=list(other.programmes))
    if kind == 2:
        return dataclasses.replace(doc, body=doc.body[: len(doc.body) // 2] + other.body[:300])
    if kind == 3:
        return dataclasses.replace(doc, body=doc.body + "\n垃圾分類與環境整治，鄰里議事會。")
    if kind == 4:
        return dataclasses.replace(doc, title=other.title, authors=["新作者"], places=[])
    return dataclasses.replace(doc, streets=[], programmes=[], body="短。")


def test_updates_in_place_equal_a_full_build(docs):
    docs, taxonomy = docs
    streets, programmes = search.taxonomy_aliases(taxonomy)
    built = update.Built.of(list(docs), streets, programmes)
    assert built.files == full(docs, taxonomy)
    rng = random.Random(5)
    docs = list(docs)
    for step in range(12):
        ids = rng.sample(range(len(docs)), rng.choice((1, 1, 3)))
        edits = {i: (docs[i], edited(docs[i], rng, docs)) for i in ids}
        for i, (_, new) in edits.items():
            docs[i] = new
        before = dict(built.files)
        changed = update.update(built, edits, [(d.streets, d.programmes) for d in docs], [d.date for d in docs])
        expected = full(docs, taxonomy)
        assert built.files == expected, step
        assert changed == {p: d for p, d in expected.items() if before.get(p) != d} | {
            p: None for p in before.keys() - expected.keys()}
        assert len(changed) < len(expected) // 4  # an update, not a rebuild


def test_an_edit_rewrites_the_shards_around_its_keys_only(docs):
    """Shards are named by their first bucket and repacked only around the keys an
    edit changed: a shard split or merged renames and rewrites nothing after it
    (by number, every later shard was renamed: thousands of files at 100,000)."""
    docs, taxonomy = docs
    streets, programmes = search.taxonomy_aliases(taxonomy)
    built = update.Built.of(list(docs), streets, programmes)
    docs = list(docs)
    splits = 0
    for i in range(3, len(docs), 23):
        new = dataclasses.replace(docs[i], body=docs[i].body + docs[i - 3].body + docs[i - 2].body)
        keys = {k for a, b in zip(search.doc_keys(docs[i], built.aliases)[:2], search.doc_keys(new, built.aliases)[:2])
                for k in a ^ b}
        def near(starts):
            return {f"s/{starts[j]}.bin" for k in keys for at in [bisect.bisect_right(starts, searchkeys.bucket(k)) - 1]
                    for j in range(max(at - 2, 0), min(at + 3, len(starts)))}

        before = [0, *itertools.accumulate(json.loads(built.files["manifest.json"])["shards"])]
        edits = {i: (docs[i], new)}
        docs[i] = new
        changed = update.update(built, edits, [(d.streets, d.programmes) for d in docs], [d.date for d in docs])
        starts = [0, *itertools.accumulate(json.loads(built.files["manifest.json"])["shards"])]
        assert {p for p, d in changed.items() if p.startswith("s/") and d is not None} <= near(starts), i
        assert {p for p, d in changed.items() if p.startswith("s/") and d is None} <= near(before), i
        splits += len(starts) != len(before)
    assert built.files == full(docs, taxonomy)
    assert splits  # shards were split or merged: what renumbering made costly
