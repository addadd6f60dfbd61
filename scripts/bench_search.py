#!/usr/bin/env python3
"""How heavy is the search index at archive scale? Builds a synthetic archive
and reports what a reader's first query downloads (gzip bytes, cold cache).

    .venv/bin/python scripts/bench_search.py            # 50,000 articles
    .venv/bin/python scripts/bench_search.py -n 2000 --out .bench/search

Synthetic text: words drawn from jieba's dictionary by their corpus frequency
(so common pairs are as common as in real Chinese, rare ones as rare), cut
into clauses and sentences; article lengths like the example archive (a few
hundred to a few thousand characters); streets, programmes and authors with
skewed (Zipf) popularity, and every article mentions its street in its text.
The first query of a reader downloads the manifest, the shards of its pairs,
the facet chunks holding a candidate and the first page of documents; the
budget is 300 KB at 50,000 articles.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import jieba
from bulletin.search import index as searchindex
from bulletin.search import keys as searchkeys
from search_browser_timing import browser_timing
from searchnode import SearchNode, first_query_bytes, gzip_size

BUDGET = 300_000

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晨颖婷雪琳晶欣怡浩宇轩然博文俊凯子涵梓睿佳琪思雨嘉瑶梦慧诗雅"
_PLACE = "东西南北中新华山河湖桥港门塘湾浜泾庙园林石金银龙凤海江城乡宁安平和兴隆泰丰盛永长青白红黄天仙"
_STREET_SUFFIX = ["街道", "街道", "街道", "镇", "乡", "新区"]
_PROG_WORDS = "文明 实践 治理 服务 家园 议事 网格 楼院 清洁 党建 先锋 志愿 睦邻 和谐 平安 绿色 幸福 民生 共建 共治 共享 红色 物业 乡村 振兴 整治 提升 行动 工程 计划 攻坚".split()


def _vocabulary():
    words, cum, total = [], [], 0
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            w, freq, _ = line.split(" ")
            if all("\u4e00" <= ch <= "\u9fff" for ch in w):
                total += int(freq)
                words.append(w)
                cum.append(total)
    return words, cum


def _zipf_picker(rng: random.Random, items: list[str], s: float = 1.0):
    cum = list(itertools.accumulate(1 / (i + 1) ** s for i in range(len(items))))
    return lambda k=1: [items[bisect.bisect_left(cum, rng.random() * cum[-1])] for _ in range(k)]


def synthetic_docs(n: int, seed: int = 1) -> list[searchindex.SearchDoc]:
    """``n`` synthetic articles, newest first."""
    rng = random.Random(seed)
    words, cum = _vocabulary()
    n_streets, n_programmes = max(20, min(400, n // 100)), max(40, min(4000, n // 10))
    streets = list(dict.fromkeys(
        "".join(rng.choices(_PLACE, k=rng.choice((2, 2, 3)))) + rng.choice(_STREET_SUFFIX)
        for _ in range(n_streets * 2)))[:n_streets]
    programmes = list(dict.fromkeys(
        "".join(rng.sample(_PROG_WORDS, rng.choice((2, 2, 3)))) for _ in range(n_programmes * 3)))[:n_programmes]
    people = list(dict.fromkeys(
        rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2, 2)))) for _ in range(n)))
    pick_street = _zipf_picker(rng, streets, 0.8)
    pick_programme = _zipf_picker(rng, programmes, 1.0)
    pick_person = _zipf_picker(rng, people, 0.7)

    def text(chars: int, extra: list[str]) -> str:
        out, sentence, clause, total = [], 0, 0, 0
        pool = rng.choices(words, cum_weights=cum, k=chars // 2 + 8)
        for w in pool:
            if extra and rng.random() < 0.02:
                w = rng.choice(extra)
            out.append(w)
            sentence += len(w)
            clause += len(w)
            total += len(w) + 1
            if sentence > rng.randint(25, 70):
                out.append("。")
                sentence = clause = 0
            elif clause > rng.randint(6, 16):
                out.append("，")
                clause = 0
            if total >= chars:
                break
        return "".join(out).rstrip("，") + "。"

    start = dt.date(2026, 10, 31)
    span = 27 * 365
    days = sorted((rng.randrange(span) for _ in range(n)))
    docs = []
    for i, d in enumerate(days):
        st = pick_street(rng.choice((1, 1, 1, 1, 2)))
        pr = list(dict.fromkeys(pick_programme(rng.choice((0, 1, 1, 2, 2, 3)))))
        au = list(dict.fromkeys(pick_person(rng.choice((0, 1, 1, 2, 3)))))
        length = int(min(4000, max(120, rng.lognormvariate(6.5, 0.6))))
        paras, size = [], 0
        while size < length:
            paras.append(text(rng.randint(80, 300), st + pr + au))
            size += len(paras[-1])
        title = st[0] + text(rng.randint(8, 18), pr)[:-1]
        docs.append(searchindex.SearchDoc(
            url=f"articles/{(start - dt.timedelta(days=d)).year}/{i:06d}/", title=title,
            date=start - dt.timedelta(days=d), kicker=text(20, st)[:-1] if rng.random() < 0.2 else "",
            streets=list(dict.fromkeys(st)), programmes=pr, authors=au,
            body=f"{st[0]}讯 " + "\n".join(paras),
        ))
    return docs


def traditional(text: str) -> str:
    """``text`` in traditional characters (OpenCC's own converter, a test dependency)."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def bench_queries(docs: list[searchindex.SearchDoc], files: dict[str, bytes], rng: random.Random) -> list[tuple[str, dict]]:
    """(label, query/filters) pairs a reader would try, including the worst cases."""
    counts: dict[str, int] = {}
    for d in docs[:2000]:
        for k in searchkeys.text_keys(searchkeys.normalize(d.body)):
            counts[k] = counts.get(k, 0) + 1
    common = sorted((k for k in counts if all("\u4e00" <= c <= "\u9fff" for c in k)), key=counts.get)[-3:]
    manifest = json.loads(files["manifest.json"])
    busiest_street = manifest["streets"][0][0]
    busiest_prog = manifest["programmes"][0][0]
    doc = docs[rng.randrange(len(docs))]
    body = doc.body.replace("\n", "")
    phrase8 = next(p for p in (body[j:j + 8] for j in range(5, len(body))) if len(searchkeys.text_keys(searchkeys.normalize(p))) == 7)
    out = [(f"most common pair #{i + 1}", {"query": k}) for i, k in enumerate(reversed(common))]
    out += [
        ("busiest street name", {"query": busiest_street}),
        ("busiest programme name", {"query": busiest_prog}),
        ("a rare street", {"query": manifest["streets"][-1][0]}),
        ("an author", {"query": doc.authors[0] if doc.authors else "王芳"}),
        ("4-char word", {"query": "垃圾分类"}),
        ("8-char phrase from a text", {"query": phrase8}),
        ("two words", {"query": f"{busiest_street} 志愿者"}),
        ("common pair + street filter", {"query": common[-1], "street": busiest_street}),
        # What readers type: a place and a topic run together, traditional characters.
        ("run-together: street + word", {"query": busiest_street + "发展"}),
        ("run-together: stem + word", {"query": busiest_street[:-2 if busiest_street.endswith(("街道", "新区")) else -1] + "工作"}),
        ("run-together: 4 common words", {"query": "".join(common) + "发展"}),
        ("run-together: 12 characters", {"query": busiest_street + "".join(common) + "社会发展"}),
        ("traditional street + word", {"query": traditional(busiest_street + "社会发展")}),
        ("traditional programme", {"query": traditional(busiest_prog)}),
        ("most parts: street + unknown", {"query": busiest_street + "镱镥"}),
        ("zero hits, suggestions", {"query": "镱镥钬铒"}),
        ("filter only: busiest street", {"query": "", "street": busiest_street}),
        ("filter only: year", {"query": "", "year": docs[0].date.year}),
    ]
    return out


def report_bytes(index_dir: str | Path, queries: list[tuple[str, dict]]) -> int:
    """Print the first-query bytes of every query (the engine under Node, each
    query from a cold cache); returns the worst."""
    print(f"\nfirst query, cold cache, gzip bytes (budget {BUDGET / 1000:.0f} KB):")
    worst = 0
    with SearchNode() as node:
        for label, q in queries:
            worst = max(worst, report_query(node, index_dir, label, dict(q)))
    print(f"\nworst first query: {worst / 1000:.1f} KB gzip ({'within' if worst <= BUDGET else 'OVER'} the 300 KB budget)")
    return worst


def report_query(node: SearchNode, index_dir: str | Path, label: str, q: dict) -> int:
    """One query's line of the report; returns its bytes."""
    query = q.pop("query")
    m = first_query_bytes(node, index_dir, query, **q)
    ms = m["ms"]
    b, f = m["bytes"], m["files"]
    shown = " ".join(filter(None, [query] + [f"{k}={v}" for k, v in q.items()]))
    print(f"  {m['total'] / 1000:6.1f} KB  {label:30} {shown!r:36} {m['results']:6} results |"
          f" manifest {b['manifest'] / 1000:.1f}, {f['shards']} shards {b['shards'] / 1000:.1f},"
          f" {f['facets']} facet files {b['facets'] / 1000:.1f}, {f['docs']} docs {b['docs'] / 1000:.1f}"
          f" | {m['stage']} | engine under Node {ms:.0f} ms")
    return m["total"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=50_000, help="articles (default 50,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="also write the index files here (and the queries next to it)")
    ap.add_argument("--reuse", action="store_true", help="measure the index already in --out, do not build")
    ap.add_argument("--browser", action="store_true",
                    help="also time the queries in headless Chromium (/usr/bin/chromium) over --out")
    args = ap.parse_args(argv)
    qfile = Path(f"{args.out}.queries.json") if args.out else None

    if args.reuse:
        queries = [tuple(x) for x in json.loads(qfile.read_text(encoding="utf-8"))]
        worst = report_bytes(args.out, queries)
    else:
        t0 = time.perf_counter()
        docs = synthetic_docs(args.n, args.seed)
        t1 = time.perf_counter()
        files = dict(searchindex.build(docs))
        t2 = time.perf_counter()
        kinds: dict[str, int] = {}
        counts: dict[str, int] = {}
        for path, data in files.items():
            k = "manifest" if path == "manifest.json" else path.split("/")[0]
            kinds[k] = kinds.get(k, 0) + len(data)
            counts[k] = counts.get(k, 0) + 1
        shard_sizes = sorted(gzip_size(files[p]) for p in files if p.startswith("s/"))
        print(f"{args.n} synthetic articles, {sum(len(d.body) for d in docs) / len(docs):.0f} characters on average"
              f" (generated in {t1 - t0:.1f} s, index built in {t2 - t1:.1f} s)")
        print(f"index: {len(files)} files, {sum(kinds.values()) / 1e6:.1f} MB raw: "
              + ", ".join(f"{k} {counts[k]} files {kinds[k] / 1e6:.2f} MB" for k in kinds))
        print(f"manifest {gzip_size(files['manifest.json']) / 1000:.1f} KB gzip;"
              f" shards gzip median {statistics.median(shard_sizes) / 1000:.1f} KB, max {shard_sizes[-1] / 1000:.1f} KB")
        queries = bench_queries(docs, files, random.Random(args.seed))
        out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-search-"))
        searchindex.write(files.items(), out)
        del docs, files
        if args.out:
            qfile.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
            print(f"written to {args.out}")
        try:
            worst = report_bytes(out, queries)
        finally:
            if not args.out:
                shutil.rmtree(out)
    if args.browser and args.out:
        for throttle, typed in ((False, False), (False, True), (True, False), (True, True)):
            print(f"\nin Chromium, cold cache, {'emulated 100 ms RTT, 10 Mbit/s' if throttle else 'localhost'},"
                  f" {'query typed into the open search page' if typed else 'search/?q=… opened'}:"
                  " ms until shards arrived / until first page shown after that / total; gzip bytes fetched")
            for r in browser_timing(Path(args.out), queries, throttle, typed):
                t = r["timing"]
                print(f"  {r['label']:30} {t.get('index', 0):5} / {t.get('afterIndex', 0):4} / {t.get('total', 0):5} ms"
                      f"  {r['gzip'] / 1000:6.1f} KB in {r['requests']:3} files  {r['status']}")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
