"""What readers type: traditional characters, run-together queries, punctuation.

Folding (bulletin/search/fold.py, the table the index ships) is checked
against OpenCC's own converter (the ``opencc`` package, independent of the
table code); the engine's cutting (theme/assets/search-query.js) on posting
lists made up here; its staged search and suggestions on small archives and,
at scale, recall of run-together queries on the synthetic archive against
brute force. The engine runs under Node (scripts/searchnode.py).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

import opencc
import pytest
from bulletin.search import fold
from bulletin.search import format as searchformat
from bulletin.search import index as searchindex
from bulletin.search import keys as searchkeys
from bulletin.search.index import SearchDoc
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_search  # noqa: E402
from conftest import EXAMPLE_TAXONOMY, bl_example_archive

S2T = opencc.OpenCC("s2t")


def doc(title, date="2021-05-01", body="", **kw) -> SearchDoc:
    return SearchDoc(url=f"a/{title}/", title=title, date=dt.date.fromisoformat(date), body=body, **kw)


STAGES = ("exact", "cut", "most")
PROBE = 10  # search-engine.js PROBE: documents a first page verifies before the next stage


def arrays(lists: dict[str, set[int]]) -> dict:
    """Posting lists as the engine takes them: a Map of sorted arrays."""
    return {"$map": [[k, sorted(v)] for k, v in lists.items()]}


# ---------------------------------------------------------------- folding


def test_fold_table_comes_from_opencc_one_character_for_one():
    table = fold.table()
    assert len(table) > 4000
    for src, dst in [("類", "类"), ("願", "愿"), ("東", "东"), ("門", "门"), ("裡", "里"), ("裏", "里"),
                     ("為", "为"), ("爲", "为"), ("臺", "台"), ("瞭", "了"), ("藉", "借"), ("偽", "伪")]:
        assert table[ord(src)] == ord(dst), src
    for simplified in "坏么沈":  # simplified forms of 壞, 麼, 瀋: never moved
        assert ord(simplified) not in table
    assert all(table.get(v, v) == v for v in table.values())  # idempotent
    assert min(table) >= 0x2E80  # search-query.js folds only characters from U+2E80 on


def test_folding_makes_opencc_traditional_text_equal_to_the_example_archive():
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((bl_example_archive() / "content").rglob("*.md")))
    text += (EXAMPLE_TAXONOMY).read_text(encoding="utf-8")
    for config in ("s2t", "s2tw", "s2hk"):
        converted = opencc.OpenCC(config).convert(text)
        assert converted != text
        assert searchkeys.normalize(converted) == searchkeys.normalize(text), config


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=40))
@settings(max_examples=200, deadline=None)
def test_normalize_keeps_one_code_point_per_code_point(text):
    assert len(searchkeys.normalize(text)) == len(text)


def test_index_ships_the_part_of_the_table_it_needs(bl_index, bl_search_node):
    docs = [doc("垃圾分类", "2021-05-02", body="志愿者在小东门街道。", streets=["小東門街道"]),
            doc("社區", "2021-05-01", body="臺灣")]
    files = dict(searchindex.build(docs))
    s = bl_index(files)
    table, _ = bl_search_node.fold(s.dir, "")
    assert table == {ord("東"): ord("东"), ord("門"): ord("门")}  # the manifest: its names' characters
    table, fetched = bl_search_node.fold(s.dir, "類願國")
    assert table[ord("類")] == ord("类") and table[ord("願")] == ord("愿")
    assert ord("國") not in table  # 国 is nowhere in the index
    assert sorted(p for p in fetched if p.startswith("fold/")) == sorted(
        f"fold/{ord(c) % fold.FOLD_CHUNKS}.json" for c in "類願國")
    chunks = {}
    for k in range(fold.FOLD_CHUNKS):
        chunks.update(fold.decode(json.loads(files[f"fold/{k}.json"])))
    index_chars = {ord(c) for c in searchkeys.normalize("垃圾分类志愿者在小东门街道。小東門街道社區臺灣")}
    assert {ord("类"), ord("愿"), ord("台")} <= set(chunks.values()) <= index_chars
    assert all(a % fold.FOLD_CHUNKS == k for k in range(fold.FOLD_CHUNKS)
               for a in fold.decode(json.loads(files[f"fold/{k}.json"])))
    # A document carries the entries of its own traditional characters.
    assert fold.decode(json.loads(searchformat.decode_doc(files["d/0/1.json.gz"]))["f"]) == {ord("區"): ord("区"), ord("臺"): ord("台"),
                                                                ord("灣"): ord("湾")}
    assert "f" not in json.loads(searchformat.decode_doc(files["d/0/0.json.gz"])) or json.loads(searchformat.decode_doc(files["d/0/0.json.gz"]))["f"] == "東东門门"


def test_traditional_and_simplified_find_each_other(bl_index):
    s = bl_index(searchindex.build([doc("垃圾分类新规", "2021-05-02", "小东门街道志愿者上门宣传。"),
                  doc("社區動態", "2021-05-01", "臺北來的志願者參觀了垃圾分類站。")]))
    for q in ("垃圾分类", "垃圾分類", S2T.convert("垃圾分类")):
        assert s.ids(q) == [0, 1], q
    assert s.ids("志願者") == s.ids("志愿者") == [0, 1]
    assert s.ids("小東門街道") == [0]
    assert s.ids("社区动态") == [1]


@pytest.mark.parametrize("variant", ["党建+楼院治理", "党建＋楼院治理", "党建 楼院治理", "党建、楼院治理",
                                     "党建　楼院治理", "「党建」楼院治理", "黨建+樓院治理"])
def test_width_punctuation_and_spaces_do_not_change_the_parts(variant, bl_search_node):
    fold_map = {"$map": [[chr(a), chr(b)] for a, b in fold.table().items()]}
    assert bl_search_node.call("queryParts", variant, fold_map) == ["党建", "楼院治理"]


# ---------------------------------------------------------------- cutting


def lists_of(texts: list[str]) -> dict[str, set[int]]:
    """Document sets of every pair of some texts (one text = one document)."""
    out: dict[str, set[int]] = {}
    for i, t in enumerate(texts):
        for k in searchkeys.text_keys(t):
            out.setdefault(k, set()).add(i)
    return out


ARCHIVE = ["小东门街道开展垃圾分类宣传", "垃圾分类进小区", "小东门居民议事", "石港镇网格员走访",
           "网格员培训", "金新街道法学工作站成立", "法学工作站为居民服务"]


def want_pairs(node, query: str) -> dict[str, set[int]]:
    lists = lists_of(ARCHIVE)
    return {k: lists.get(k, set()) for k in node.call("queryKeys", [searchkeys.normalize(query)])}


@pytest.mark.parametrize("query, pieces", [
    ("小东门垃圾分类", ["小东门", "垃圾分类"]),
    ("石港网格员", ["石港", "网格员"]),
    ("金新法学工作站", ["金新", "法学工作站"]),
    ("垃圾分类", ["垃圾", "分类"]),  # cohesive, but the weakest boundary is cut (used when 垃圾分类 finds nothing)
    ("小东门", ["小东门"]),  # too short to cut
])
def test_cut_where_the_index_says_words_meet(query, pieces, bl_search_node):
    got = bl_search_node.call("cutPart", query, arrays(want_pairs(bl_search_node, query)), [], module="query")
    assert got == pieces


def test_a_name_is_never_cut_and_its_edges_cut_first(bl_search_node):
    def cut_part(part, lists, words):
        return bl_search_node.call("cutPart", part, arrays(lists), words, module="query")

    lists = want_pairs(bl_search_node, "小东门街道垃圾分类")
    # Without names the weakest boundary may fall inside the street name; with it, never.
    assert cut_part("小东门街道垃圾分类", lists, ["小东门街道", "垃圾分类"]) == ["小东门街道", "垃圾分类"]
    words = bl_search_node.call("nameWords", [["石港镇"], ["狼山镇街道"]], [["党建+楼院治理"]], module="query")
    assert {"石港", "狼山镇", "狼山", "楼院治理", "党建"} <= set(words)
    # A long query whose pairs were not all fetched is still cut at a name's edge.
    assert cut_part("中心路街道无主管楼院整治提升", {}, ["中心路街道", "无主管楼院整治提升"]) == [
        "中心路街道", "无主管楼院整治提升"]


def test_cohesion_and_forced_cut(bl_search_node):
    def cohesion(*sets):
        return bl_search_node.call("cohesion", *(sorted(x) for x in sets), module="query")

    assert cohesion({1, 2}, set(), {1, 2}) == 0.0  # a pair nobody holds joins nothing
    assert cohesion({1, 2, 3}, {1, 2, 3}, {1, 2, 3}) == 3.5 / 4
    assert cohesion({1}, {5}, {2}) == 0.5  # neighbours never together: no evidence
    # Every boundary cohesive: the weakest is cut anyway (the query as typed found nothing).
    lists = lists_of(["甲乙丙丁", "甲乙丙丁"])
    assert bl_search_node.call("cutPart", "甲乙丙丁", arrays(lists), [], module="query") == ["甲乙", "丙丁"]


def test_similarity_and_nearest_names(bl_search_node):
    assert bl_search_node.call("similarity", "小东们", "小东门街道", module="query") == 2 * 3 / (5 + 9)
    names = [("小东门街道", ["小东门街道", "小东门"]), ("虹桥街道", ["虹桥街道", "虹桥"]), ("河长制", ["河长制"])]
    nearest = lambda q: bl_search_node.call("nearest", q, names, module="query")  # noqa: E731
    assert nearest("小东们") == ["小东门街道"]
    assert nearest("虹桥街") == ["虹桥街道"]
    assert nearest("完全无关") == []


# ---------------------------------------------------------------- staged search


def sample_docs() -> list[SearchDoc]:
    return [
        doc("垃圾分类新规出台", "2021-06-01", "小东门街道志愿者上门宣传垃圾分类。", streets=["小东门街道"],
            programmes=["垃圾分类"]),
        doc("小东门垃圾分类示范点", "2021-05-20", "示范点今天揭牌。", streets=["小东门街道"]),
        doc("楼道整治", "2021-05-10", "小东门街道的居民清理楼道。", streets=["小东门街道"]),
        doc("网格员走访", "2021-05-01", "石港镇网格员走访独居老人。", streets=["石港镇"]),
        doc("法学工作站", "2021-04-01", "金新街道法学工作站为居民解答法律问题。", streets=["金新街道"]),
        doc("河道保洁", "2021-03-01", "虹桥街道的志愿者清理河道。", streets=["虹桥街道"]),
    ]


@pytest.fixture(scope="module")
def sample(bl_index):
    return bl_index(searchindex.build(sample_docs()))


def test_exact_phrase_first_and_alone_when_it_exists(sample):
    r = sample.search("小东门垃圾分类", hits="page")
    assert STAGES[r["stage"]] == "exact" and r["ids"] == [1]


def test_run_together_queries_find_every_part(sample):
    for q, want in [("石港网格员", [3]), ("金新法学工作站", [4]), ("虹桥街道志愿者", [5]), ("石港镇网格员", [3]),
                    ("小东门志愿者", [0]), ("小東門志願者", [0]), ("小东门楼道", [2])]:
        r = sample.search(q, hits="page")
        assert r["ids"] == want, (q, r["segments"])
        assert all(not m for m in r["missing"])
    r = sample.search("小东门志愿者", hits="page")
    assert r["segments"] == ["小东门", "志愿者"] and STAGES[r["stage"]] == "cut"


def test_most_parts_are_marked_and_never_a_zero_hit_page(sample):
    r = sample.search("石港镇小东门垃圾分类", hits="page")
    assert STAGES[r["stage"]] == "most"
    assert r["segments"] == ["石港镇", "小东门", "垃圾分类"]
    assert r["ids"] == [0, 1] and all(m == ["石港镇"] for m in r["missing"])


def test_zero_hit_page_suggests_nearest_names_and_parts_that_find_something(sample):
    r = sample.search("小东们", hits="page", suggest=True)
    assert r["ids"] == []
    assert r["suggest"] == {"names": ["小东门街道"], "parts": []}
    r = sample.search("石港镇金新河道法学", hits="page", suggest=True)
    assert r["ids"] == []
    got = r["suggest"]
    assert set(got["parts"]) >= {"石港镇", "河道"} and "石港镇" in got["names"]


def test_loose_candidates_stop_after_a_probe(bl_index, bl_search_node):
    # 30 articles hold 小东 and 东门 apart; one holds 小东门 and one of them 石港: the probe
    # gives up on the loose ones and the cut finds the article holding both parts.
    docs = [doc(f"文{i}", f"2021-05-{28 - i % 28:02d}", "小东的东门。") for i in range(30)]
    docs.append(doc("另一篇", "2020-01-01", "小东门在石港。"))
    s = bl_index(searchindex.build(sorted(docs, key=lambda d: d.date, reverse=True)))
    r = s.search("小东门石港", hits="page", fresh=True)
    assert r["titles"] == ["另一篇"]
    assert sum(p.startswith("d/") for p in r["fetched"]) <= PROBE + 1


# ---------------------------------------------------------------- recall at scale


def test_run_together_recall_on_the_synthetic_archive(bl_index):
    docs = bench_search.synthetic_docs(1000, seed=7)
    s = bl_index(searchindex.build(docs))
    texts = [[searchkeys.normalize(t) for t in d.head_texts() + d.body_texts()] for d in docs]
    rng = random.Random(3)
    queries = {}
    for d in rng.sample(docs, 150):  # a place and a word of its text, typed together
        words = [w for w in re.findall(r"[\u4e00-\u9fff]{2,4}", d.body) if w not in d.streets[0]]
        place = d.streets[0]
        place = rng.choice([place, place[:-2] if place.endswith(("街道", "新区")) else place[:-1]])
        queries[place + rng.choice(words)] = (place, None)
    found = relevant = zero = 0
    for q, (place, _) in queries.items():
        norm = searchkeys.normalize(q)
        exact = {i for i, ts in enumerate(texts) if any(norm in t for t in ts)}
        r = s.search(q)
        hits = set(r["ids"])
        truth = exact or {i for i, ts in enumerate(texts) if all(any(p in t for t in ts) for p in r["segments"])}
        relevant += len(truth)
        found += len(truth & hits)
        zero += not hits
    print(f"\nrun-together recall on the synthetic archive: {found}/{relevant} over {len(queries)} queries")
    assert found / relevant >= 0.95 and zero == 0


def test_stages_and_suggestions_on_the_synthetic_archive(bl_index):
    """Every stage is reached and holds what it promises: exact hits hold the query
    as typed, cut hits every segment, "most" hits all but one (named as missing);
    a query with no hit gets suggestions that do find something."""
    docs = bench_search.synthetic_docs(400, seed=9)
    s = bl_index(searchindex.build(docs))
    texts = [[searchkeys.normalize(t) for t in d.head_texts() + d.body_texts()] for d in docs]
    rng = random.Random(4)
    queries = ["小东们", "镱镥钬铒", docs[0].streets[0] + "镱镥"]
    for d in rng.sample(docs, 25):
        body = d.body.replace("\n", "")
        j = rng.randrange(max(1, len(body) - 4))
        queries += [d.streets[0] + body[j:j + rng.randint(2, 4)], S2T.convert(d.streets[0][:-1] + body[j:j + 3]),
                    d.streets[0] + "镱镥" + body[j:j + 3]]
    stages, suggested = set(), 0
    for q in queries:
        r = s.search(q, suggest=True)
        stages.add(r["stage"])
        terms = r["parts"] if r["stage"] == 0 else r["segments"]
        for i, missing in zip(r["ids"], r["missing"]):
            held = [t for t in terms if any(t in x for x in texts[i])]
            assert set(held) == set(terms) - set(missing), (q, i)
            assert len(held) >= (len(terms) if r["stage"] < 2 else max(1, len(terms) - 1)), (q, i)
        if not r["ids"]:
            found = r["suggest"]["parts"]
            assert all(any(p in x for ts in texts for x in ts) for p in found), (q, found)
            suggested += bool(found or r["suggest"]["names"])
    assert stages == {0, 1, 2} and suggested >= 1
