"""The synthetic archive ``scripts/bench_site.py`` builds: ``n`` articles in the
project's front-matter schema (through ``bulletin.model.render_page``, named
as the importer names them), Chinese bodies recombined from the sentences of
the example articles, Zipf-popular streets and programmes over 15 years, with
the project's configuration (ours) or plain MkDocs + Material (the baseline).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import json
import os
import random
import re
import shutil
import time
from pathlib import Path

import yaml
from bulletin.model import Article, render_page

ROOT = Path(__file__).resolve().parents[1]
START, END = dt.date(2010, 1, 1), dt.date(2024, 12, 31)  # 15 years

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛顾毛郝龚邵钱严"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕彬鹏辉晨颖婷雪琳晶欣怡浩宇轩博文俊凯涵睿佳琪雨嘉瑶梦慧"
_PLACE = "东西南北中新华山河湖桥港门塘湾浜泾庙园林石金银龙凤海江城宁安平和兴隆泰丰盛永长青白红天仙"
_PLACES = ["社区党群服务中心", "新时代文明实践站", "邻里中心", "老年活动室", "社区卫生服务站", "文化广场",
           "便民服务大厅", "小区议事亭", "滨河公园", "农贸市场", "第一小学", "养老服务中心"]
_LEADS = [
    "近日，{street}组织开展“{programme}”主题活动。",
    "{month}月{day}日，{street}召开“{programme}”工作推进会。",
    "为深入推进“{programme}”，{street}多措并举，取得阶段性成效。",
    "日前，{street}在{place}举办专题活动，辖区居民踊跃参与。",
    "{street}坚持问题导向，扎实推进各项重点工作落地见效。",
]
_TITLES = [
    "{street}开展“{programme}”主题活动", "{street}：落实“{programme}”工作 巩固治理成果",
    "{street} 多措并举推进“{programme}”", "探索“{programme}”新路径 {street}持续提升居民幸福感",
    "{street}召开专题会议部署重点工作", "{street}在{place}举办便民服务活动",
]


# --------------------------------------------------------------------------
# Synthetic content


def example_sentences(content: Path) -> list[str]:
    """Sentences of the example articles' bodies (the vocabulary of the bodies)."""
    out: list[str] = []
    for path in sorted(content.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for para in body.split("\n\n"):
            para = para.strip()
            if not para or para[0] in "#<!>":
                continue
            out += [s for s in re.findall(r"[^。！？]+[。！？”]*", para) if 8 <= len(s) <= 200]
    if len(out) < 20:
        raise SystemExit(f"bench_site: too few example sentences in {content}")
    return out


def example_titles(content: Path, streets: list[str]) -> list[str]:
    """Example titles as templates: their street names become ``{street}``."""
    out = []
    for path in sorted(content.rglob("*.md")):
        m = re.search(r"^title: (.+)$", path.read_text(encoding="utf-8"), re.M)
        title = m.group(1).strip("'\"") if m else ""
        if not title:
            continue
        hit = next((s for s in streets if s in title), None)
        out.append(title.replace(hit, "{street}") if hit else "{street} " + title)
    return out


def _zipf(rng: random.Random, items: list, s: float):
    cum = list(itertools.accumulate(1 / (i + 1) ** s for i in range(len(items))))
    return lambda: items[bisect.bisect_left(cum, rng.random() * cum[-1])]


def world(rng: random.Random, examples: Path = ROOT) -> tuple[list[dict], list[str]]:
    """About 60 streets (the taxonomy's real ones first) in districts, and 30 programmes."""
    tax = yaml.safe_load((examples / "taxonomy.yml").read_text(encoding="utf-8"))
    streets = [dict(s) for s in tax["streets"]]
    districts = [f"{a}{b}区" for a, b in itertools.product("东西南北", "城湖")][:6]
    names = {s["name"] for s in streets}
    while len(streets) < 60:
        name = "".join(rng.sample(_PLACE, rng.choice((2, 2, 3)))) + rng.choice(("街道", "街道", "街道", "镇"))
        if name not in names:
            names.add(name)
            streets.append({"name": name, "district": rng.choice(districts), "city": "滨江市"})
    programmes = [p["name"] for p in tax["programmes"]][:30]
    words = "文明 实践 治理 服务 家园 议事 网格 楼院 清洁 党建 先锋 志愿 睦邻 平安 幸福 民生 共建".split()
    while len(programmes) < 30:
        name = "".join(rng.sample(words, 2))
        if name not in programmes:
            programmes.append(name)
    return streets, programmes


def generate(n: int, seed: int, content: Path, examples: Path = ROOT) -> dict:
    """Write ``n`` article pages under ``content/articles``; returns facts about them. Sentences,
    titles, streets and programmes come from ``examples`` (a folder with content/ and
    taxonomy.yml: this project's archive, or for tests the fixed example archive of tests/)."""
    rng = random.Random(seed)
    sentences = example_sentences(examples / "content")
    streets, programmes = world(rng, examples)
    titles = example_titles(examples / "content", [s["name"] for s in streets]) + _TITLES
    district_of = {s["name"]: s["district"] for s in streets}
    pick_street = _zipf(rng, [s["name"] for s in streets], 0.8)
    pick_programme = _zipf(rng, programmes, 1.0)
    people = list(dict.fromkeys(rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
                                for _ in range(600)))
    pick_person = _zipf(rng, people, 0.7)
    span = (END - START).days

    if content.exists():
        shutil.rmtree(content)
    made: set[Path] = set()
    uris: set[str] = set()
    count = chars = 0
    page_no = 0
    while count < n:
        page_no += 1
        issue = START + dt.timedelta(days=rng.randrange(span))
        source = f"{issue.isoformat()}-{page_no:05d}.txt"  # bulletin check: a raw page's name is unique
        for position in range(1, min(rng.randint(4, 12), n - count) + 1):
            day = max(START, issue - dt.timedelta(days=rng.randint(0, 14)))
            k = rng.random()
            st = [] if k < 0.08 else list(dict.fromkeys([pick_street(), pick_street()])) if k < 0.2 else [pick_street()]
            j = rng.random()
            pr = [] if j < 0.4 else list(dict.fromkeys([pick_programme(), pick_programme()])) if j < 0.6 else [pick_programme()]
            fill = {"street": st[0] if st else rng.choice(streets)["name"], "programme": pr[0] if pr else rng.choice(programmes),
                    "place": rng.choice(_PLACES), "month": day.month, "day": day.day}
            kind = rng.choices(("article", "brief", "fragment"), (85, 10, 5))[0]
            target = rng.randint(800, 2500) if kind == "article" else rng.randint(300, 800)
            paras, size = [rng.choice(_LEADS).format(**fill)], 0
            while size < target:
                para = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
                paras.append(para)
                size += len(para)
            paras[0] += paras.pop(1)
            body = "\n\n".join(paras)
            lead = paras[0]
            cut = max(lead.rfind(c, 0, 90) for c in "。！？；")
            summary = lead[: cut + 1] if cut >= 45 else lead[:90] + "…"
            title = "" if kind == "fragment" else rng.choice(titles).format(**fill)
            article = Article(
                title=title, date=day, issue_date=issue, source=source, body=body,
                kicker="社区动态" if rng.random() < 0.15 else None,
                district=district_of.get(st[0]) if st else None,
                streets=st, programmes=pr, places=rng.sample(_PLACES, rng.choice((0, 0, 1, 2))),
                authors=list(dict.fromkeys(pick_person() for _ in range(rng.choice((0, 1, 1, 2, 3))))),
                kind=kind, position=position, summary=summary,
            )
            key = re.sub(r"\s+", "", summary + str(count))[:60]
            uri = f"articles/{issue.year}/{source[:-4]}-{hashlib.sha1(key.encode()).hexdigest()[:6]}.md"
            while uri in uris:
                uri = uri[:-3] + "x.md"
            uris.add(uri)
            path = content / uri
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_text(render_page(article), encoding="utf-8")
            count += 1
            chars += len(body)
    return {"n": n, "seed": seed, "mean_chars": round(chars / n), "streets": streets, "programmes": programmes}


def write_taxonomy(path: Path, facts: dict) -> None:
    data = {"streets": facts["streets"], "programmes": [{"name": p} for p in facts["programmes"]]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


BASELINE_YML = """\
# Plain MkDocs + Material on the same content: articles not in the nav,
# Material's own search (jieba segments Chinese when it is installed).
site_name: 社区简报档案
site_url: https://bulletin.example.org/
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
nav:
  - 首页: index.md
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
"""


def setup_ours(root: Path) -> Path:
    shutil.copytree(ROOT / "theme", root / "theme", dirs_exist_ok=True)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def setup_baseline(root: Path, content: Path) -> Path:
    base = root / "baseline"
    docs = base / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    link = docs / "articles"
    if not link.is_symlink():
        if link.exists():
            shutil.rmtree(link)
        link.symlink_to(os.path.relpath(content / "articles", docs))
    (docs / "index.md").write_text("# 社区简报档案\n\n文章不在导航中，请用搜索查找。\n", encoding="utf-8")
    (base / "mkdocs.yml").write_text(BASELINE_YML, encoding="utf-8")
    return base / "mkdocs.yml"


def prepare(n: int, seed: int, out: Path) -> Path:
    """The archive of ``n`` articles under ``out`` (generated once per size and
    seed, kept between runs), with the project's mkdocs.yml and theme; its folder."""
    root = Path(out) / f"n{n}-s{seed}"
    stamp = root / "generated.json"
    root.mkdir(parents=True, exist_ok=True)
    facts = json.loads(stamp.read_text()) if stamp.exists() else None
    if not facts or facts.get("n") != n or facts.get("version") != 2:
        t0 = time.perf_counter()
        facts = {**generate(n, seed, root / "content"), "version": 2}
        write_taxonomy(root / "taxonomy.yml", facts)
        stamp.write_text(json.dumps(facts, ensure_ascii=False))
        print(f"generated {n} articles ({facts['mean_chars']} characters on average) in {time.perf_counter() - t0:.1f} s", flush=True)
    setup_ours(root)
    return root


def street_names(root: Path) -> list[str]:
    """The streets of a prepared archive's world."""
    return [s["name"] for s in json.loads((root / "generated.json").read_text())["streets"]]
