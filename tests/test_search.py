"""Search (bulletin/search*.py) and its browser twin (theme/assets/search.js).

Pure tests of the builder, the query cutting and the reference client; the
recall of the reference client against brute force on a synthetic archive;
and the JavaScript core run under Node over the same index, which must give
exactly what the Python reference gives (skipped without ``node``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bulletin.search import client as searchclient
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

NODE = shutil.which("node")


def doc(title, date="2021-05-01", body="", **kw) -> SearchDoc:
    return SearchDoc(url=f"a/{title}/", title=title, date=dt.date.fromisoformat(date), body=body, **kw)


def files_of(docs, streets=None, programmes=None, **kw) -> dict[str, bytes]:
    return dict(searchindex.build(docs, streets, programmes, **kw))


def searcher(files) -> searchclient.Searcher:
    return searchclient.Searcher(files.__getitem__)


def urls(s: searchclient.Searcher, query: str, **filters) -> list[str]:
    return [h.doc["u"] for h in s.all_hits(query, **filters)]


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
def test_query_keys(query, keys):
    assert searchkeys.query_keys(query) == keys


def test_query_parts():
    assert searchkeys.query_parts(" 石港镇　网格 ") == ["石港镇", "网格"]
    assert searchkeys.query_parts("群众力 量") == ["群众力", "量"]
    assert searchkeys.query_parts("a a") == ["a"]
    assert searchkeys.query_parts("") == []


def test_text_keys_stay_inside_runs():
    assert searchkeys.text_keys("小东门，街道") == {"小东", "东门", "街道"}


def test_select_keys_covers_every_character_of_a_long_query():
    keys = searchkeys.query_keys("一二三四五六七八九十甲乙丙丁戊己")
    picked = searchkeys.select_keys(keys, 8)
    assert len(picked) == 8 and picked[0] == keys[0] and picked[-1] == keys[-1]
    assert searchkeys.select_keys(keys[:5], 8) == keys[:5]


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


# ---------------------------------------------------------------- builder + reference client


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
def sample():
    files = files_of(sample_docs(), {"临江新区": ["海门临江新区"]}, {"零距离家园": ["零距离"]})
    return files, searcher(files)


def test_street_name_found_whole_and_in_part(sample):
    files, s = sample
    for q in ("小东门", "小东门街道", "东门街道", "小东门 街道"):
        assert urls(s, q) == ["a/小东门街道开展议事会/", "a/环境整治/"], q


def test_loose_pair_matches_are_verified_away(sample):
    files, s = sample
    r = s.search("小东门")
    assert 3 in r.order  # 小东 and 东门 both occur in doc 3 ...
    assert 3 not in [h.id for h in s.page(r, 0, 10)]  # ... but not 小东门
    assert 3 not in r.order


def test_taxonomy_aliases_find_the_tagged_article(sample):
    files, s = sample
    assert urls(s, "海门临江新区") == ["a/打响秸秆禁烧禁抛攻坚战/"]
    assert urls(s, "零距离") == ["a/小东门街道开展议事会/"]
    assert urls(s, "", street="海门临江新区") == ["a/打响秸秆禁烧禁抛攻坚战/"]


def test_people_places_and_untitled_fragments(sample):
    files, s = sample
    assert urls(s, "王芳") == ["a/小东门街道开展议事会/"]
    assert urls(s, "社区花园") == ["a//"]
    assert [h.tier for h in s.all_hits("社区花园")] == [1]  # the summary title is not a title


def test_title_and_tag_matches_rank_first_then_newest():
    docs = [
        doc("新闻一", "2021-06-01", "今年的垃圾分类工作。"),
        doc("垃圾分类推进会", "2021-05-01", "会议。"),
        doc("新闻二", "2021-04-01", "垃圾分类。"),
        doc("社区动态", "2021-03-01", "会议。", programmes=["垃圾分类"]),
    ]
    s = searcher(files_of(docs))
    hits = s.all_hits("垃圾分类")
    assert [h.doc["t"] for h in hits] == ["垃圾分类推进会", "社区动态", "新闻一", "新闻二"]
    assert [h.tier for h in hits] == [0, 0, 1, 1]


def test_facets_count_and_combine_with_the_query():
    docs = [
        doc("一", "2021-06-01", "志愿者", streets=["甲街道"], programmes=["项目A"]),
        doc("二", "2021-01-01", "志愿者", streets=["乙街道"], programmes=["项目A", "项目B"]),
        doc("三", "2020-06-01", "志愿者", streets=["甲街道"]),
        doc("四", "2019-06-01", "别的", streets=["甲街道"], programmes=["项目B"]),
    ]
    s = searcher(files_of(docs))
    r = s.search("志愿者")
    assert r.facets == {"streets": {"甲街道": 2, "乙街道": 1}, "programmes": {"项目A": 2, "项目B": 1},
                        "years": {2021: 2, 2020: 1}}
    r = s.search("志愿者", street="甲街道")
    assert r.order == [0, 2]
    # A facet's own filter does not narrow its own counts; the others do.
    assert r.facets["streets"] == {"甲街道": 2, "乙街道": 1}
    assert r.facets["programmes"] == {"项目A": 1}
    assert s.search("志愿者", street="甲街道", year=2020).order == [2]
    assert s.search("志愿者", programme="项目B").order == [1]
    assert s.search("", year="2019").order == [3]
    assert s.search("志愿者", street="没有这个街道").order == []


def test_errors_for_empty_and_one_character_queries(sample):
    files, s = sample
    assert s.search("").error == "empty"
    assert s.search("门").error == "short"
    assert s.search("").order == []


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


def test_names_beyond_the_manifest_come_from_name_chunks(monkeypatch):
    monkeypatch.setattr(searchindex, "NAMES_INLINE", 2)
    monkeypatch.setattr(searchindex, "NAMES_CHUNK", 2)
    docs = [doc(f"文{i}", f"2021-01-{28 - i:02d}", "同一个词", streets=[f"第{i}街道"]) for i in range(6)]
    files = files_of(docs)
    assert len(json.loads(files["manifest.json"])["streets"]) == 2
    assert {"n/streets-0.json", "n/streets-1.json"} <= set(files)
    s = searcher(files)
    assert s.search("同一个词").facets["streets"] == {f"第{i}街道": 1 for i in range(6)}
    assert s.search("同一个词", street="第5街道").order == [5]


def test_small_shards_split_the_keys_and_every_key_is_found():
    docs = bench_search.synthetic_docs(60, seed=3)
    files = files_of(docs, shard_bytes=2000)
    assert sum(1 for p in files if p.startswith("s/")) > 5
    s = searcher(files)
    for d in docs[:20]:
        assert d.url in urls(s, d.body[3:9])


def test_facet_files_are_big_chunks_where_candidates_are_many():
    m = {"n": 10_000, "facetChunk": 4096, "facetBlock": 256, "facetSparse": 2}
    assert searchclient.facet_files(m, [0, 1, 300]) == [("g/0.bin", 0, 256), ("g/1.bin", 256, 256)]
    assert searchclient.facet_files(m, [0, 300, 600, 9999]) == [("f/0.bin", 0, 4096), ("g/39.bin", 9984, 16)]
    assert searchclient.facet_files(m, range(8192, 10_000)) == [("f/2.bin", 8192, 1808)]


def test_sparse_and_dense_facets_count_alike(synthetic):
    docs, files = synthetic
    dense = json.loads(files["manifest.json"]) | {"facetSparse": 0}
    s1, s2 = searcher(files), searcher(files | {"manifest.json": json.dumps(dense).encode()})
    for q in ("社区", docs[5].streets[0], docs[7].title[:4]):
        assert s1.search(q).facets == s2.search(q).facets
    assert any(p.startswith("g/") for p in s1.fetched) and not any(p.startswith("g/") for p in s2.fetched)


def test_build_site_index_writes_files(tmp_path, sample):
    from bulletin.model import render_page
    from bulletin.site import index
    from conftest import bl_sample_articles, bl_src_uri

    pages = {bl_src_uri(a): render_page(a) for a in bl_sample_articles()}
    idx = index.collect(pages)
    stats = searchindex.build_site_index(idx, None, lambda uri: uri[:-3] + "/", tmp_path)
    out = tmp_path / searchindex.INDEX_DIR
    assert (out / "manifest.json").is_file() and stats["files"] == len(list(out.rglob("*.*")))
    s = searchclient.Searcher(searchclient.dir_fetcher(out))
    assert len(s.all_hits("零距离家园")) == 3


# ---------------------------------------------------------------- recall at scale (reference client)


def ground_truth(texts: list[list[str]], parts: list[str]) -> set[int]:
    """Brute force: every document where every part occurs in one of its (normalised) texts."""
    return {i for i, ts in enumerate(texts) if all(any(p in t for t in ts) for p in parts)}


@pytest.fixture(scope="module")
def synthetic():
    docs = bench_search.synthetic_docs(1000, seed=7)
    files = files_of(docs)
    return docs, files


def test_recall_and_precision_are_exact_on_a_synthetic_archive(synthetic):
    docs, files = synthetic
    s = searcher(files)
    rng = random.Random(11)
    queries = set()
    while len(queries) < 300:
        d = docs[rng.randrange(len(docs))]
        text = rng.choice([d.title, d.body, d.body, *d.authors, *d.streets, *d.programmes])
        n = rng.randint(2, 8)
        if len(text) >= n:
            j = rng.randrange(len(text) - n + 1)
            q = text[j:j + n]
            if searchkeys.query_keys(q):
                queries.add(q)
    queries |= {d.streets[0] for d in docs[:50]} | {"社区", "中国人民", "一个"}
    texts = [[searchkeys.normalize(t) for t in d.head_texts() + d.body_texts()] for d in docs]
    missed = extra = relevant = 0
    for q in sorted(queries):
        truth = ground_truth(texts, searchkeys.query_parts(q))
        found = {h.id for h in s.all_hits(q)}
        relevant += len(truth)
        missed += len(truth - found)
        extra += len(found - truth)
    assert relevant > 1500
    assert missed == 0 and extra == 0


def test_long_query_uses_at_most_max_keys_and_still_finds_its_text(synthetic):
    docs, files = synthetic
    s = searcher(files)
    text = docs[42].body.replace("\n", "")[10:40]
    r = s.search(text)
    assert len(r.keys) <= searchkeys.MAX_QUERY_KEYS
    assert 42 in {h.id for h in s.page(r, 0, len(r.order))}


def test_first_query_bytes_accounting(synthetic):
    docs, files = synthetic
    q = docs[0].streets[0]
    m = searchclient.first_query_bytes(files.__getitem__, q)
    s = searcher(files)
    r = s.search(q)
    page = s.page(r, 0)
    keys = searchkeys.select_keys(searchkeys.query_keys(q))
    expect = {"manifest.json"} | {f"s/{s.shard_of(k)}.bin" for k in keys}
    expect |= {f"fold/{ord(c) % searchfold.FOLD_CHUNKS}.json" for c in q}  # the query's characters' fold chunks
    expect |= {path for path, _, _ in searchclient.facet_files(s.manifest, r.order)}
    expect |= {searchformat.doc_path(h.id) for h in page}
    names = [p for p in s.fetched if p.startswith("n/")]
    assert set(s.fetched) - set(names) == expect
    gz = lambda p: len(files[p]) if p.startswith("d/") else len(gzip.compress(files[p], 6, mtime=0))  # noqa: E731
    assert m["total"] == sum(gz(p) for p in set(s.fetched))
    assert m["bytes"]["docs"] == sum(gz(searchformat.doc_path(h.id)) for h in page)
    assert m["files"]["shards"] == len({s.shard_of(k) for k in keys})
    assert m["results"] == len(s.search(q).order)
    assert m["total"] < 300_000


# ---------------------------------------------------------------- JavaScript twin


def run_node(index_dir: Path, queries: list[dict]) -> list[dict]:
    proc = subprocess.run([NODE, str(ROOT / "tests" / "search_node.js"), str(index_dir)],
                          input=json.dumps(queries), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def node_eval(expr: str):
    code = f"const S = require({json.dumps(str(ROOT / 'theme/assets/search.js'))}); " \
           f"process.stdout.write(JSON.stringify({expr}));"
    proc = subprocess.run([NODE, "-e", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


STRINGS = ["小东门街道", "小东门 街道", "海门区海永镇纪委", "ＡＢＣ１２３　群众力 量", "党建+楼院治理", "小 东",
           "不忘初心、牢记使命", "𠀀𠀁字", "İstanbul Straße", "①②③ ⅫⅣ", "ﾊﾝｶｸ カナ", "x", "", "  ",
           "G20峰会\u200b测试", "百舸争流 争先创优在行动", "哈哈哈哈哈", "2021年5月28日"]


@pytest.mark.skipif(not NODE, reason="needs node")
def test_js_cuts_queries_exactly_like_python():
    js = node_eval("%s.map(q => [S.normalize(q), S.queryParts(q), S.queryKeys(S.queryParts(q)), "
                   "S.selectKeys(S.queryKeys(S.queryParts(q)), 3)])" % json.dumps(STRINGS))
    for q, (norm, parts, keys, sel) in zip(STRINGS, js):
        assert norm == searchkeys.normalize(q), q
        assert parts == searchkeys.query_parts(q), q
        assert keys == searchkeys.query_keys(q), q
        assert sel == searchkeys.select_keys(searchkeys.query_keys(q), 3), q
    m = {"n": 10_000, "facetChunk": 4096, "facetBlock": 256, "facetSparse": 3}
    for ids in ([0, 1, 300], [0, 300, 600, 900, 9999], list(range(4000, 5000, 7)), []):
        assert node_eval(f"S.facetFiles({json.dumps(m)}, {json.dumps(ids)})") == [
            list(f) for f in searchclient.facet_files(m, ids)]
    words = ["小东", "街道", "𠀀𠀁", "ab", "12", "居民"] + [chr(0x4E00 + i) + chr(0x4E00 + 7 * i) for i in range(300)]
    assert node_eval(f"{json.dumps(words)}.map(k => S.bucketOf ? S.bucketOf(k, 20) : null)") == [
        searchkeys.bucket(w) for w in words]


@pytest.mark.skipif(not NODE, reason="needs node")
def test_js_engine_gives_the_reference_results(synthetic, tmp_path):
    docs, files = synthetic
    searchindex.write(files.items(), tmp_path)
    rng = random.Random(5)
    queries = [{"q": "社区"}, {"q": "一个", "year": str(docs[0].date.year)}, {"q": "门"}, {"q": ""},
               {"q": "", "street": docs[3].streets[0]}, {"q": docs[9].streets[0], "programme": "不存在"}]
    for d in rng.sample(docs, 40):
        body = d.body.replace("\n", "")
        j = rng.randrange(max(1, len(body) - 8))
        queries.append({"q": body[j:j + rng.randint(2, 8)]})
        queries.append({"q": d.title[:4] + " " + body[j:j + 3],
                        **({"street": d.streets[0]} if rng.random() < 0.5 else {})})
    js = run_node(tmp_path, queries)
    s = searchclient.Searcher(searchclient.dir_fetcher(tmp_path))
    for q, got in zip(queries, js):
        r = s.search(q["q"], street=q.get("street"), programme=q.get("programme"), year=q.get("year"))
        if r.error:
            assert got.get("error") == r.error, q
            continue
        hits = s.page(r, 0, s.n)
        assert got["ids"] == [h.id for h in hits], q
        assert got["tiers"] == [h.tier for h in hits], q
        assert got["keys"] == r.keys, q
        full = r  # counted again without the documents verification dropped
        top = {f: dict(sorted(got["facets"][f].items(), key=lambda kv: (-kv[1], kv[0]))) for f in ("streets", "programmes")}
        for f in ("streets", "programmes"):
            assert {k: v for k, v in top[f].items() if k in full.facets[f]} == full.facets[f], (q, f)
        assert {int(k): v for k, v in got["facets"]["years"].items()} == full.facets["years"], q


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


def test_facets_of_a_large_archive_wait_for_the_panel(synthetic, monkeypatch):
    """Past manifest.facetEager documents an unfiltered first query fetches no
    facet rows (they would be most of its bytes); counting them on demand, or a
    filtered query, gives the same counts as an archive under the limit."""
    docs, eager_files = synthetic
    monkeypatch.setattr(searchindex, "FACET_EAGER", len(docs) - 1)
    files = files_of(docs)
    q = docs[0].streets[0]
    eager = searchclient.first_query_bytes(eager_files.__getitem__, q)
    lazy = searchclient.first_query_bytes(files.__getitem__, q)
    assert eager["files"]["facets"] > 0 and lazy["files"]["facets"] == 0
    assert lazy["results"] == eager["results"]
    s = searchclient.Searcher(files.__getitem__, lazy_facets=True)
    r = s.search(q)
    hits = s.page(r, 0)
    assert hits and not r.facets and s.facets_on_demand(r)
    assert not any(p.startswith(("f/", "g/")) for p in s.fetched)
    s.count(r)  # the reader opens the panel
    ref = searchclient.Searcher(eager_files.__getitem__)
    assert r.facets == ref.search(q).facets
    street = searchclient.first_query_bytes(files.__getitem__, q, street=q)  # filtering needs the rows
    assert street["files"]["facets"] > 0
