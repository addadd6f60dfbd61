"""A tag edit in the preview regroups only the tags (incremental.retag_in_place,
ArchiveIndex.retagged, topics.retagged, Related.retagged): the index it makes
shows what an index collected afresh shows (tag pages, districts, related
articles, reading lines), or it declines when the edit moves an article."""

from __future__ import annotations

import dataclasses
import importlib.util
import random

import pytest

from bulletin.site import incremental
from bulletin.site import index as site_index
from bulletin.taxonomy import load_taxonomy
from conftest import ROOT, bl_example_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("synthetic_archive", ROOT / "scripts" / "synthetic_archive.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    root = tmp_path_factory.mktemp("retag")
    bench.write_taxonomy(root / "taxonomy.yml", bench.generate(300, 11, root / "content", bl_example_archive()))
    pages = {str(p.relative_to(root / "content")): p.read_text(encoding="utf-8")
             for p in sorted((root / "content").rglob("*.md"))}
    return pages, load_taxonomy(root / "taxonomy.yml")


def shown(idx: site_index.ArchiveIndex) -> dict:
    topics = lambda ts: [(t.name, t.slug, t.district, [e.src_uri for e in t.entries],  # noqa: E731
                          [e.src_uri for e in t.continued]) for t in ts.values()]
    return {
        "streets": topics(idx.streets), "programmes": topics(idx.programmes),
        "districts": [(d.name, d.city, [t.name for t in d.streets]) for d in idx.districts],
        "news": [e.src_uri for e in idx.news],
        "issues": [(i.slug, i.paper, [e.src_uri for e in i.entries]) for i in idx.issues],
        "related": {e.src_uri: [x.src_uri for x in idx.related(e, 5)] for e in idx.entries},
        "lines": {e.src_uri: [x and x.src_uri for x in idx.neighbours(e)[1:]] for e in idx.entries},
    }


def test_a_retag_makes_the_index_a_fresh_collect_makes(archive):
    pages, taxonomy = archive
    idx = site_index.collect(pages, taxonomy)
    for e in idx.entries:  # what the preview's first build worked out, to be carried over
        idx.related(e, 5)
    idx.news
    rng = random.Random(3)
    streets = [*idx.streets, "新开的一条街"]
    programmes = [*idx.programmes, "新的栏目"]
    retagged = 0
    for step in range(30):
        uris = rng.sample(sorted(pages), rng.choice((1, 1, 2)))
        for uri in uris:
            a = idx.get(uri).article
            new = dataclasses.replace(a, streets=rng.sample(streets, rng.choice((0, 1, 1, 2))),
                                      programmes=rng.sample(programmes, rng.choice((0, 1))))
            pages[uri] = site_index.model.render_page(new)
        fresh = {uri: site_index.entry_of(uri, pages[uri], taxonomy) for uri in uris}
        made = incremental.retag_in_place(idx, fresh, taxonomy)
        expected = site_index.collect(pages, taxonomy)
        if made is None:  # the page went to another paper: the preview regroups everything
            idx = expected
            continue
        retagged += 1
        before, idx = made
        assert {uri: e.article.streets for uri, e in before.items()} != {uri: fresh[uri].article.streets for uri in uris} \
            or {uri: e.article.programmes for uri, e in before.items()} != {uri: fresh[uri].article.programmes for uri in uris}
        assert shown(idx) == shown(expected), step
    assert retagged >= 15  # a street of another city keeps the issue while the page's paper stays (8 without)


def test_a_redated_article_is_not_retagged(archive):
    pages, taxonomy = archive
    idx = site_index.collect(pages, taxonomy)
    uri = idx.entries[5].src_uri
    a = idx.get(uri).article
    moved = site_index.model.render_page(dataclasses.replace(a, streets=[], position=a.position + 40))
    assert incremental.retag_in_place(idx, {uri: site_index.entry_of(uri, moved, taxonomy)}, taxonomy) is None
    assert idx.get(uri).article is a
