"""Search: the index builder (bulletin/search/) and the engine that reads it
(theme/assets/search-engine.js, run under Node by scripts/searchnode.py).

Pure tests of the builder and the file formats; the engine's query cutting,
ranking and facets on small archives; its recall against brute force on a
synthetic archive; what a first query downloads.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bulletin.search import fold as searchfold
from bulletin.search import format as searchformat
from bulletin.search import index as searchindex
from bulletin.search import keys as searchkeys
from bulletin.search.index import SearchDoc
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_search  # noqa: E402
from searchnode import first_query_bytes  # noqa: E402

NODE = shutil.which("node")


def doc(title, date="2021-05-01", body="", **kw) -> SearchDoc:
    return SearchDoc(url=f"a/{title}/", title=title, date=dt.date.fromisoformat(date), body=body, **kw)


def files_of(docs, streets=None, programmes=None, **kw) -> dict[str, bytes]:
    return dict(searchindex.build(docs, streets, programmes, **kw))




# ---------------------------------------------------------------- cutting


def test_normalize_folds_width_case_and_spaces():
    assert searchkeys.normalize("小东门 街道") == "小东门街道"
    assert searchkeys.normalize("ＡＢＣ１２３\u3000群众力 量\n") == "abc123群众力量"
    assert searchkeys.normalize("Ｇ20　峰会") == "g20峰会"


@pytest.mark.parametrize("query, keys", [
    ("小东门街道", ["小东", "东门", "门街", "街道"]),
    ("小东门 街道", ["小东", "东门", "街道"]),  # two parts, each must occur
    ("海门区海永镇纪委", ["海门", "门区", "区海", "海永", "永镇", "镇纪", "纪委"]),
    ("党建+楼院治理", ["党建", "楼院", "院治", "治理"]),  # punctuation ends a run
    ("不忘初心、牢记使命", ["不忘", "忘初", "初心", "牢记", "记使", "使命"]),
    ("哈哈哈哈", ["哈哈"]),
    ("小 东", ["小东"]),  # single characters are joined when that gives a pair
    ("x", []),
    ("，。", []),
    ("𠀀𠀁字", ["𠀀𠀁", "𠀁字"]),  # pairs of code points, not UTF-16 units
])
def test_query_keys(query, keys, bl_search_node):
    assert bl_search_node.call("queryKeys", bl_search_node.call("queryParts", query)) == keys


def test_query_parts(bl_search_node):
    parts = lambda q: bl_search_node.call("queryParts", q)  # noqa: E731
    assert parts(" 石港镇　网格 ") == ["石港镇", "网格"]
    assert parts("群众力 量") == ["群众力", "量"]
    assert parts("a a") == ["a"]
    assert parts("") == []


def test_text_keys_stay_inside_runs():
    assert searchkeys.text_keys("小东门，街道") == {"小东", "东门", "街道"}


def test_select_keys_covers_every_character_of_a_long_query(bl_search_node):
    keys = bl_search_node.call("queryKeys", ["一二三四五六七八九十甲乙丙丁戊己"])
    picked = bl_search_node.call("selectKeys", keys, 8)
    assert len(picked) == 8 and picked[0] == keys[0] and picked[-1] == keys[-1]
    assert set("".join(picked)) == set("".join(keys))
    assert bl_search_node.call("selectKeys", keys[:5], 8) == keys[:5]


def test_body_text_is_what_a_reader_sees():
    md = "### 金坛居民区：\n\n> 引文\\*号\n\n正文 A&amp;B，[链接](http://x)与 **重点**。\n第二行"
    assert searchindex.body_text(md) == "金坛居民区：\n引文*号\n正文 A&B，链接与 重点。 第二行"


# ---------------------------------------------------------------- encoding


@given(st.lists(st.integers(0, 200_000), unique=True).map(sorted))
@settings(max_examples=200, deadline=None)
def test_postings_round_trip(ids):
    assert searchformat.decode_postings(searchformat.encode_postings(ids)) == ids


def test_dense_postings_become_a_bitmap():
    ids = list(range(0, 50_000, 2))
    data = searchformat.encode_postings(ids)
    assert data[0] == 1 and len(data) < 6260  # 50,000 bits, against 25,001 gap bytes
    assert searchformat.decode_postings(data) == ids
    assert searchformat.encode_postings([3, 70_000])[0] == 0


@given(st.lists(st.tuples(st.lists(st.integers(0, 5000), max_size=3), st.lists(st.integers(0, 70_000), max_size=12)),
                max_size=60))
@settings(max_examples=100, deadline=None)
def test_facets_round_trip(rows):
    assert searchformat.decode_facets(searchformat.encode_facets(rows), len(rows)) == rows


def test_shard_round_trip():
    entries = [("小东", searchformat.encode_postings([1, 5]), searchformat.encode_postings([5])), ("东门", b"", b"")]
    assert searchformat.decode_shard(searchformat.encode_shard(entries)) == {"小东": ([1, 5], [5]), "东门": ([], [])}


def test_bucket_is_stable_and_spread():
    # Fixed values: search.js computes the same (checked under Node below).
    assert searchkeys.bucket("小东") == searchkeys.bucket("小东")
    buckets = {searchkeys.bucket(a + b) for a in "街道社区居民小东门" for b in "街道社区居民小东门"}
    assert len(buckets) == 81


# ---------------------------------------------------------------- builder + engine


def sample_docs() -> list[SearchDoc]:
    return [
        doc("小东门街道开展议事会", "2021-05-08", "居民代表共商楼道整治。", streets=["小东门街道"],
            programmes=["零距离家园"], authors=["通讯员 王芳"]),
        doc("环境整治", "2021-04-01", "小东门街道的志愿者清理河道。", streets=["中心路街道"]),
        doc("打响秸秆禁烧禁抛攻坚战", "2020-12-03", "临江新区通过广宣传。", streets=["临江新区"],
            programmes=["秸秆禁烧禁抛"], kicker="海门临江新区通过广宣传、多动员——"),
        doc("小东桥边的东门", "2020-11-01", "小东和东门不相邻。"),  # pairs of 小东门 apart
        doc("", "2019-07-25", "接上期：居民志愿者在社区花园补种绿植。", untitled=True, places=["社区花园"]),
    ]


@pytest.fixture(scope="module")
def sample(bl_index):
    files = files_of(sample_docs(), {"临江新区": ["海门临江新区"]}, {"零距离家园": ["零距离"]})
    return files, bl_index(files)


def test_street_name_found_whole_and_in_part(sample):
    files, s = sample
    for q in ("小东门", "小东门街道", "东门街道", "小东门 街道"):
        assert s.urls(q) == ["a/小东门街道开展议事会/", "a/环境整治/"], q


def test_loose_pair_matches_are_verified_away(sample):
    files, s = sample
    r = s.search("小东门")
    assert 3 in r["candidates"]  # 小东 and 东门 both occur in doc 3 ...
    assert 3 not in r["ids"]  # ... but not 小东门
    assert 3 not in r["order"]


def test_taxonomy_aliases_find_the_tagged_article(sample):
    files, s = sample
    assert s.urls("海门临江新区") == ["a/打响秸秆禁烧禁抛攻坚战/"]
    assert s.urls("零距离") == ["a/小东门街道开展议事会/"]
    assert s.urls("", street="海门临江新区") == ["a/打响秸秆禁烧禁抛攻坚战/"]


def test_people_places_and_untitled_fragments(sample):
    files, s = sample
    assert s.urls("王芳") == ["a/小东门街道开展议事会/"]
    assert s.urls("社区花园") == ["a//"]
    assert s.search("社区花园")["tiers"] == [1]  # the summary title is not a title


def test_title_and_tag_matches_rank_first_then_newest(bl_index):
    docs = [
        doc("新闻一", "2021-06-01", "今年的垃圾分类工作。"),
        doc("垃圾分类推进会", "2021-05-01", "会议。"),
        doc("新闻二", "2021-04-01", "垃圾分类。"),
        doc("社区动态", "2021-03-01", "会议。", programmes=["垃圾分类"]),
    ]
    r = bl_index(files_of(docs)).search("垃圾分类")
    assert r["titles"] == ["垃圾分类推进会", "社区动态", "新闻一", "新闻二"]
    assert r["tiers"] == [0, 0, 1, 1]


def test_facets_count_and_combine_with_the_query(bl_index):
    docs = [
        doc("一", "2021-06-01", "志愿者", streets=["甲街道"], programmes=["项目A"]),
        doc("二", "2021-01-01", "志愿者", streets=["乙街道"], programmes=["项目A", "项目B"]),
        doc("三", "2020-06-01", "志愿者", streets=["甲街道"]),
        doc("四", "2019-06-01", "别的", streets=["甲街道"], programmes=["项目B"]),
    ]
    s = bl_index(files_of(docs))
    r = s.search("志愿者")
    assert r["facets"] == {"streets": {"甲街道": 2, "乙街道": 1}, "programmes": {"项目A": 2, "项目B": 1},
                           "years": {"2021": 2, "2020": 1}}
    r = s.search("志愿者", street="甲街道")
    assert r["ids"] == [0, 2]
    # A facet's own filter does not narrow its own counts; the others do.
    assert r["facets"]["streets"] == {"甲街道": 2, "乙街道": 1}
    assert r["facets"]["programmes"] == {"项目A": 1}
    assert s.ids("志愿者", street="甲街道", year=2020) == [2]
    assert s.ids("志愿者", programme="项目B") == [1]
    assert s.ids("", year="2019") == [3]
    assert s.ids("志愿者", street="没有这个街道") == []


def test_errors_for_empty_and_one_character_queries(sample):
    files, s = sample
    assert s.search("")["error"] == "empty"
    assert s.search("门")["error"] == "short"
    assert "ids" not in s.search("")


def test_build_rejects_unsorted_docs():
    with pytest.raises(ValueError):
        list(searchindex.build([doc("旧", "2020-01-01"), doc("新", "2021-01-01")]))


def test_manifest_lists_years_as_id_ranges_and_facets_by_frequency(sample):
    files, s = sample
    m = json.loads(files["manifest.json"])
    assert m["years"] == [[2021, 0, 2], [2020, 2, 4], [2019, 4, 5]]
    # One article each: ties in name order; aliases follow the name.
    assert m["streets"] == [["中心路街道"], ["临江新区", "海门临江新区"], ["小东门街道"]]
    assert len(m["build"]) == 12


def test_names_beyond_the_manifest_come_from_name_chunks(monkeypatch, bl_index):
    monkeypatch.setattr(searchindex, "NAMES_INLINE", 2)
    monkeypatch.setattr(searchindex, "NAMES_CHUNK", 2)
    docs = [doc(f"文{i}", f"2021-01-{28 - i:02d}", "同一个词", streets=[f"第{i}街道"]) for i in range(6)]
    files = files_of(docs)
    assert len(json.loads(files["manifest.json"])["streets"]) == 2
    assert {"n/streets-0.json", "n/streets-1.json"} <= set(files)
    s = bl_index(files)
    assert s.search("同一个词")["facets"]["streets"] == {f"第{i}街道": 1 for i in range(6)}
    assert s.ids("同一个词", street="第5街道") == [5]


def test_small_shards_split_the_keys_and_every_key_is_found(bl_index):
    docs = bench_search.synthetic_docs(60, seed=3)
    files = files_of(docs, shard_bytes=2000)
    assert sum(1 for p in files if p.startswith("s/")) > 5
    s = bl_index(files)
    for d in docs[:20]:
        assert d.url in s.urls(d.body[3:9])


def test_facet_files_are_big_chunks_where_candidates_are_many(bl_search_node):
    m = {"n": 10_000, "facetChunk": 4096, "facetBlock": 256, "facetSparse": 2}
    facet_files = lambda ids: bl_search_node.call("facetFiles", m, list(ids))  # noqa: E731
    assert facet_files([0, 1, 300]) == [["g/0.bin", 0, 256], ["g/1.bin", 256, 256]]
    assert facet_files([0, 300, 600, 9999]) == [["f/0.bin", 0, 4096], ["g/39.bin", 9984, 16]]
    assert facet_files(range(8192, 10_000)) == [["f/2.bin", 8192, 1808]]


def test_sparse_and_dense_facets_count_alike(synthetic, bl_index):
    docs, files, s1 = synthetic
    dense = json.loads(files["manifest.json"]) | {"facetSparse": 0}
    s2 = bl_index(files | {"manifest.json": json.dumps(dense).encode()})
    fetched = {1: [], 2: []}
    for q in ("社区", docs[5].streets[0], docs[7].title[:4]):
        r1, r2 = s1.search(q, fresh=True), s2.search(q, fresh=True)
        assert r1["facets"] == r2["facets"]
        fetched[1] += r1["fetched"]
        fetched[2] += r2["fetched"]
    assert any(p.startswith("g/") for p in fetched[1]) and not any(p.startswith("g/") for p in fetched[2])


def test_build_site_index_writes_files(tmp_path, bl_search_node):
    from bulletin.model import render_page
    from bulletin.site import index
    from conftest import bl_sample_articles, bl_src_uri

    pages = {bl_src_uri(a): render_page(a) for a in bl_sample_articles()}
    idx = index.collect(pages)
    stats = searchindex.build_site_index(idx, None, lambda uri: uri[:-3] + "/", tmp_path)
    out = tmp_path / searchindex.INDEX_DIR
    assert (out / "manifest.json").is_file() and stats["files"] == len(list(out.rglob("*.*")))
    assert len(bl_search_node.search(out, "零距离家园")["ids"]) == 3


# ---------------------------------------------------------------- recall at scale


def ground_truth(texts: list[list[str]], parts: list[str]) -> set[int]:
    """Brute force: every document where every part occurs in one of its (normalised) texts."""
    return {i for i, ts in enumerate(texts) if all(any(p in t for t in ts) for p in parts)}


@pytest.fixture(scope="module")
def synthetic(bl_index):
    docs = bench_search.synthetic_docs(1000, seed=7)
    files = files_of(docs)
    return docs, files, bl_index(files)


def test_recall_and_precision_are_exact_on_a_synthetic_archive(synthetic):
    docs, files, s = synthetic
    rng = random.Random(11)
    queries = set()
    while len(queries) < 300:
        d = docs[rng.randrange(len(docs))]
        text = rng.choice([d.title, d.body, d.body, *d.authors, *d.streets, *d.programmes])
        n = rng.randint(2, 8)
        if len(text) >= n:
            j = rng.randrange(len(text) - n + 1)
            q = text[j:j + n]
            queries.add(q)
    queries |= {d.streets[0] for d in docs[:50]} | {"社区", "中国人民", "一个"}
    texts = [[searchkeys.normalize(t) for t in d.head_texts() + d.body_texts()] for d in docs]
    missed = extra = relevant = 0
    for q in sorted(queries):
        r = s.search(q)
        if r["error"]:
            continue
        truth = ground_truth(texts, r["parts"])
        found = set(r["ids"])
        relevant += len(truth)
        missed += len(truth - found)
        extra += len(found - truth)
    assert relevant > 1500
    assert missed == 0 and extra == 0


def test_long_query_uses_at_most_max_keys_and_still_finds_its_text(synthetic):
    docs, files, s = synthetic
    text = docs[42].body.replace("\n", "")[10:40]
    r = s.search(text)
    assert len(r["keys"]) <= searchkeys.MAX_QUERY_KEYS
    assert 42 in r["ids"]


def test_first_query_bytes_accounting(synthetic, bl_search_node):
    docs, files, s = synthetic
    q = docs[0].streets[0]
    m = first_query_bytes(bl_search_node, s.dir, q)
    manifest = json.loads(files["manifest.json"])
    keys = bl_search_node.call("selectKeys", bl_search_node.call("queryKeys", [q]), manifest["maxKeys"])
    starts = list(itertools.accumulate(manifest["shards"]))
    firsts = [0, *starts]
    shards = {f"s/{firsts[bisect.bisect_right(starts, searchkeys.bucket(k))]}.bin" for k in keys}
    r = s.search(q, hits="page", fresh=True)
    expect = {"manifest.json"} | shards
    expect |= {f"fold/{ord(c) % searchfold.FOLD_CHUNKS}.json" for c in q}  # the query's characters' fold chunks
    expect |= {path for path, _, _ in bl_search_node.call("facetFiles", manifest, r["order"])}
    expect |= {searchformat.doc_path(i) for i in r["ids"]}
    fetched = set(m["fetched"])
    assert {p for p in fetched if not p.startswith("n/")} == expect
    gz = lambda p: len(files[p]) if p.startswith("d/") else len(gzip.compress(files[p], 6, mtime=0))  # noqa: E731
    assert m["total"] == sum(gz(p) for p in fetched)
    assert m["bytes"]["docs"] == sum(gz(searchformat.doc_path(i)) for i in r["ids"])
    assert m["files"]["shards"] == len(shards)
    assert m["results"] == r["results"] and m["stage"] == "exact"
    assert m["total"] < 300_000


# ---------------------------------------------------------------- JavaScript twin


STRINGS = ["小东门街道", "小东门 街道", "海门区海永镇纪委", "ＡＢＣ１２３　群众力 量", "党建+楼院治理", "小 东",
           "不忘初心、牢记使命", "𠀀𠀁字", "İstanbul Straße", "①②③ ⅫⅣ", "ﾊﾝｶｸ カナ", "x", "", "  ",
           "G20峰会\u200b测试", "百舸争流 争先创优在行动", "哈哈哈哈哈", "2021年5月28日"]


def test_the_index_and_the_engine_cut_and_hash_text_alike(bl_search_node):
    """The index (Python, search/keys.py) and the engine (JavaScript) must agree on
    what a pair is and where it is stored."""
    for q in STRINGS:
        assert bl_search_node.call("normalize", q) == searchkeys.normalize(q), q
        parts = bl_search_node.call("queryParts", q)
        assert set(bl_search_node.call("queryKeys", parts)) <= searchkeys.text_keys(searchkeys.normalize(q)), q
    words = ["小东", "街道", "𠀀𠀁", "ab", "12", "居民"] + [chr(0x4E00 + i) + chr(0x4E00 + 7 * i) for i in range(300)]
    assert [bl_search_node.call("bucketOf", w, searchkeys.BUCKET_BITS) for w in words] == [
        searchkeys.bucket(w) for w in words]


def test_an_excerpt_never_ends_inside_a_match(bl_search_node):
    """The window of a result's text ends before a match it would cut: a highlight
    never stops half-way at the "…"."""
    text = "甲" * 40 + "垃圾分类" + "乙" * 60 + "垃圾分类" + "丙" * 80
    for size in (50, 86, 87, 88, 89, 100, 110):  # 86-89: the window would end inside the second match
        html = bl_search_node.call("excerpt", text, ["垃圾分类"], size, {"$map": []}, module="ui")["html"]
        assert re.findall(r"<mark>(.*?)</mark>", html) in (["垃圾分类"], ["垃圾分类", "垃圾分类"]), (size, html)
        assert html.endswith("…")


@pytest.mark.parametrize("text, gb", [
    ('{"x":"小东门街道，“零距离家园”。ABC 123"}', True),
    ('{"x":"有\ue000私用区字符"}', False),  # private use: browsers and Python disagree
    ('{"x":"竖排\ufe10标点"}', False),  # a four-byte GB18030 character
    ('{"x":"𠀀扩展B"}', False),
])
def test_documents_are_stored_gzip_and_gb18030_where_every_browser_agrees(text, gb):
    stored = searchformat.encode_doc(text)
    assert stored[:2] == b"\x1f\x8b"
    assert gzip.decompress(stored)[:1] == (b"G" if gb else b"{")
    assert searchformat.decode_doc(stored) == text
    assert searchformat.decode_doc(gzip.decompress(stored)) == text  # a host that inflated it already


@pytest.mark.skipif(not NODE, reason="needs node")
def test_gb18030_documents_decode_the_same_in_javascript():
    """Every character the index stores as GB18030 is read back the same by
    TextDecoder("gb18030"), as search.js reads it (Node runs the browsers' decoder)."""
    chars = [chr(c) for c in [*range(0x20, 0x7f), *range(0xa0, 0x3000), *range(0x3000, 0xa000), *range(0xf900, 0xfffe)]
             if not 0xd800 <= c <= 0xdfff and searchformat._gb_safe(chr(c))]
    text = "".join(chars)
    assert len(chars) > 20000
    blob = gzip.decompress(searchformat.encode_doc(text))
    assert blob[:1] == b"G"
    code = ("const b=require('fs').readFileSync(0);"
            "process.stdout.write(JSON.stringify(new TextDecoder('gb18030').decode(b.subarray(1))))")
    proc = subprocess.run([NODE, "-e", code], input=blob, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == text


def test_facets_of_a_large_archive_wait_for_the_panel(synthetic, monkeypatch, bl_index, bl_search_node):
    """Past manifest.facetEager documents an unfiltered first query fetches no
    facet rows (they would be most of its bytes); counting them on demand, or a
    filtered query, gives the same counts as an archive under the limit."""
    docs, eager_files, eager_index = synthetic
    monkeypatch.setattr(searchindex, "FACET_EAGER", len(docs) - 1)
    lazy_index = bl_index(files_of(docs))
    q = docs[0].streets[0]
    eager = first_query_bytes(bl_search_node, eager_index.dir, q)
    lazy = first_query_bytes(bl_search_node, lazy_index.dir, q)
    assert eager["files"]["facets"] > 0 and lazy["files"]["facets"] == 0
    assert lazy["results"] == eager["results"]
    r = lazy_index.search(q, hits="page", fresh=True)
    assert r["ids"] and "facets" not in r and r["facetsOnDemand"]
    assert not any(p.startswith(("f/", "g/")) for p in r["fetched"])
    opened = lazy_index.search(q, hits="page", fresh=True, facets=True)  # the reader opens the panel
    assert opened["facets"] == eager_index.search(q, hits="page", fresh=True)["facets"]
    street = first_query_bytes(bl_search_node, lazy_index.dir, q, street=q)  # filtering needs the rows
    assert street["files"]["facets"] > 0
