"""A search index updated in place for edited documents is, byte for byte, the
index a full build makes of the edited documents (the preview relies on it)."""

from __future__ import annotations

import dataclasses
import importlib.util
import random

import pytest

from bulletin.search import index as search
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
