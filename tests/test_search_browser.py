"""Search in real headless Chromium over the example archive (content/).

The recall test builds the site from the committed example pages, opens
search/?q=… for every street and programme name (with the taxonomy's
aliases), every author and a list of everyday words and phrases, reads the
result links from [data-search-results] (loading more until all are shown)
and compares them with ground truth computed here, independently of the
index code, from content/: every article whose text contains the query or
which is tagged with it. A second recall test does the same for what readers
type: a place and a topic of one article run together (小东门垃圾分类), and
every query in traditional characters (OpenCC's converter). Figures go to
test-artifacts/search-recall*.json.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import shutil
import statistics
import threading
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import opencc
import pytest
from bulletin.site import index
from bulletin.taxonomy import load_taxonomy
from conftest import EXAMPLE_TAXONOMY, bl_example_archive

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)"),
]

# Everyday words, phrases and names of 2–8 characters that occur in the example
# pages, including the queries Pagefind found nothing for.
WORDS = [
    "小东门", "小东门街道", "虹桥街道", "小板凳恳谈会", "海门区海永镇纪委", "垃圾分类", "志愿者", "居民区",
    "党史学习教育", "网格长", "网格员", "社区", "群众", "河道", "环境卫生", "疫情防控", "楼院", "党建引领",
    "纪委", "法律服务", "秸秆", "主题党日", "舌尖上的浪费", "凸面镜", "老年公寓", "全面从严治党",
    "以人民为中心", "护河", "议事", "金坛居民区", "监督", "获得感", "幸福感", "公共卫生", "无主管楼院",
    "老旧小区", "法学工作站", "微心愿", "安全隐患", "办实事", "基层党组织", "小东门 街道",
]


# ---------------------------------------------------------------- ground truth (independent of bulletin/search*.py)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").lower())


def plain(markdown: str) -> str:
    text = re.sub(r"^\s*(#+\s+|>\s?)", "", markdown, flags=re.M)
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


@pytest.fixture(scope="module")
def truth_docs():
    """(url, texts, tags) of every example article: texts normalised, tags
    are the article's streets and programmes with their taxonomy aliases."""
    taxonomy = load_taxonomy(EXAMPLE_TAXONOMY)
    sources = {str(p.relative_to(bl_example_archive() / "content")): p.read_text(encoding="utf-8")
               for p in sorted((bl_example_archive() / "content").rglob("*.md"))}
    idx = index.collect(sources, taxonomy)
    out = []
    for e in idx.entries:
        a = e.article
        tags = []
        for name in a.streets:
            tags += [name] + (taxonomy.streets[name].aliases if name in taxonomy.streets else [])
        for name in a.programmes:
            tags += [name] + (taxonomy.programmes[name].aliases if name in taxonomy.programmes else [])
        texts = [a.title, a.kicker, a.subtitle, *a.authors, *a.places, plain(a.body), *tags]
        out.append((e.src_uri[:-3] + "/", [norm(t) for t in texts if t], {norm(t) for t in tags}))
    return out


def relevant(docs, query: str) -> set[str]:
    """Tagged with the query, or holding every part (spaces and punctuation separate parts)."""
    parts = re.findall(r"[^\W_]+", norm(query))
    return {url for url, texts, tags in docs
            if norm(query) in tags or all(any(p in t for t in texts) for p in parts)}


def relevant_run_together(docs, parts: tuple[str, ...]) -> set[str]:
    """Articles holding the parts typed together, else those holding every part."""
    whole = norm("".join(parts))
    exact = {url for url, texts, _ in docs if any(whole in t for t in texts)}
    return exact or {url for url, texts, _ in docs if all(any(norm(p) in t for t in texts) for p in parts)}


def queries(docs) -> list[str]:
    taxonomy = load_taxonomy(EXAMPLE_TAXONOMY)
    sources = {str(p.relative_to(bl_example_archive() / "content")): p.read_text(encoding="utf-8")
               for p in (bl_example_archive() / "content").rglob("*.md")}
    idx = index.collect(sources, taxonomy)
    names = []
    for topic, tax in ((idx.streets, taxonomy.streets), (idx.programmes, taxonomy.programmes)):
        for name in topic:
            names.append(name)
            names += tax[name].aliases if name in tax else []
    authors = sorted({au for e in idx.entries for au in e.article.authors})
    return list(dict.fromkeys([*names, *authors, *WORDS]))


STREET_SUFFIXES = ("街道", "新区", "镇", "乡")


def run_together(stride: int = 6) -> dict[str, tuple[str, str]]:
    """Place + topic of one example article typed without a space, as readers
    do: the place is a street (or its name without 街道/镇, 小东门) or a
    place named in the article, the topic a programme or an everyday word it
    holds. Every ``stride``-th of them, sorted, plus the issue's examples."""
    taxonomy = load_taxonomy(EXAMPLE_TAXONOMY)
    sources = {str(p.relative_to(bl_example_archive() / "content")): p.read_text(encoding="utf-8")
               for p in sorted((bl_example_archive() / "content").rglob("*.md"))}
    out = {}
    for e in index.collect(sources, taxonomy).entries:
        a = e.article
        texts = [norm(t) for t in [a.title, a.kicker, a.subtitle, *a.places, plain(a.body), *a.streets, *a.programmes] if t]
        places = set(a.places) | set(a.streets) | {s[:-len(x)] for s in a.streets for x in STREET_SUFFIXES
                                                    if s.endswith(x) and len(s) - len(x) >= 2}
        topics = {r for p in a.programmes for r in re.findall(r"[^\W_]+", norm(p))} | {
            w for w in WORDS if " " not in w and any(norm(w) in t for t in texts)}
        for place in places:
            for topic in topics:
                if norm(place) not in norm(topic) and norm(topic) not in norm(place) \
                        and all(any(norm(x) in t for t in texts) for x in (place, topic)):
                    out[place + topic] = (place, topic)
    keep = sorted(out)[::stride] + ["小东门垃圾分类", "金新法学工作站", "石港网格员"]
    return {q: out[q] for q in dict.fromkeys(keep)}


# ---------------------------------------------------------------- site, server, browser


@pytest.fixture(scope="module")
def example_site(bl_example_site) -> Path:
    return bl_example_site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real host
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall between headers and body

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(example_site):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(example_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class SearchPage:
    def __init__(self, browser, base: str, viewport=None):
        self.base = base
        self.page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.offsite: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: r.url.startswith(base) or self.offsite.append(r.url))

    def open(self, query: str = "", **filters):
        params = [("q", query)] if query else []
        params += [(k, str(v)) for k, v in filters.items()]
        qs = "&".join(f"{k}={quote(v)}" for k, v in params)
        self.page.goto(self.base + "search/" + (f"?{qs}" if qs else ""))
        self.wait()

    def wait(self):
        """Until the first page is shown and the counts are in."""
        self.page.wait_for_selector("[data-search-results][data-search-state=done]", state="attached", timeout=15_000)
        self.wait_facets()

    def wait_facets(self):
        self.page.wait_for_selector("[data-search][data-search-facets-state=done]", state="attached", timeout=15_000)

    def links(self, all_pages: bool = True) -> list[str]:
        more = self.page.locator("[data-search-more]")
        while all_pages and more.is_visible():
            n = self.count()
            more.click()
            self.page.wait_for_function(
                f"document.querySelectorAll('[data-search-results] a').length > {n}", timeout=10_000)
        hrefs = self.page.eval_on_selector_all("[data-search-results] a", "els => els.map(a => a.href)")
        return [unquote(urlsplit(h).path).lstrip("/") for h in hrefs]

    def count(self) -> int:
        return self.page.locator("[data-search-results] a").count()

    def status(self) -> str:
        return self.page.inner_text("[data-search-status]")

    def timing(self) -> dict:
        return json.loads(self.page.get_attribute("[data-search-results]", "data-search-timing") or "{}")

    def shot(self, name: str, full_page: bool = False):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def sp(browser, server):
    p = SearchPage(browser, server)
    yield p
    assert p.errors == [], p.errors
    assert p.offsite == [], p.offsite
    p.page.close()


@pytest.fixture
def phone(browser, server):
    p = SearchPage(browser, server, PHONE)
    yield p
    assert p.errors == [], p.errors
    p.page.close()


# ---------------------------------------------------------------- recall


def measure(sp, truth: dict[str, set[str]], name: str) -> dict:
    """Open every query, read all its result links, compare with ``truth``;
    the figures go to test-artifacts/<name>.json."""
    found_total = relevant_total = extra_total = 0
    zero, missed, timings = [], {}, []
    for q, want in truth.items():
        assert want, f"{q!r} is not in the example pages: fix the query list"
        sp.open(q)
        got = sp.links()
        assert len(got) == len(set(got)), (q, got)
        timings.append(sp.timing())
        hit = want & set(got)
        found_total += len(hit)
        relevant_total += len(want)
        extra_total += len(set(got) - want)
        if not got:
            zero.append(q)
        if want - hit:
            missed[q] = sorted(want - hit)
    recall = found_total / relevant_total
    after = [t["afterIndex"] for t in timings]
    total = [t["total"] for t in timings]
    report = {
        "queries": len(truth), "relevant": relevant_total, "found": found_total, "recall": round(recall, 4),
        "not_relevant_shown": extra_total, "zero_hit_queries": zero, "missed": missed,
        "ms_after_index_median": statistics.median(after), "ms_after_index_max": max(after),
        "ms_total_median": statistics.median(total), "ms_total_max": max(total),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n{name}: recall {recall:.4f} ({found_total}/{relevant_total}) over {len(truth)} queries; "
          f"{extra_total} not relevant shown; zero-hit queries: {zero}; results shown {statistics.median(after)} ms"
          f" (median), {max(after)} ms (max) after the index shards arrived")
    return report


def test_recall_over_names_authors_and_everyday_words(sp, truth_docs):
    qs = queries(truth_docs)
    assert len(qs) > 80
    report = measure(sp, {q: relevant(truth_docs, q) for q in qs}, "search-recall")
    assert report["recall"] == 1.0, report["missed"]
    assert not report["zero_hit_queries"]
    assert report["not_relevant_shown"] == 0
    # Results within 300 ms of the index shards arriving (the first page's
    # documents are one more request): the median, as a loaded CI machine
    # may stall any single page load.
    assert report["ms_after_index_median"] <= 300


def test_recall_run_together_and_traditional(sp, truth_docs):
    s2t = opencc.OpenCC("s2t")
    together = run_together()
    truth = {q: relevant_run_together(truth_docs, parts) for q, parts in together.items()}
    exact = {q: relevant(truth_docs, q) for q in queries(truth_docs)}
    for q, want in [*exact.items(), *list(truth.items())[::3]]:
        if s2t.convert(q) != q:
            truth[s2t.convert(q)] = want
    assert len(together) >= 80 and len(truth) >= 200
    assert {"垃圾分類", "志願者", "小東門街道", "小东门垃圾分类", "金新法学工作站"} <= set(truth)
    report = measure(sp, truth, "search-recall-readers")
    assert report["recall"] >= 0.95, report["missed"]
    assert not report["zero_hit_queries"]


# ---------------------------------------------------------------- the page


def test_header_search_box_leads_to_results(sp):
    sp.page.goto(sp.base)
    box = sp.page.locator("form.bl-header-search input[name=q]")
    box.fill("小板凳恳谈会")
    box.press("Enter")
    sp.page.wait_for_url(re.compile(r"/search/\?q="))
    sp.wait()
    assert len(sp.links()) == 2
    assert sp.page.locator("form[data-search-form] input[name=q]").input_value() == "小板凳恳谈会"
    assert sp.page.locator("form.bl-header-search input[name=q]").input_value() == "小板凳恳谈会"


def test_results_show_title_date_street_and_highlighted_excerpt(sp):
    sp.open("网格长", year="2021")  # (2024 pages on main hold it too)
    item = sp.page.locator("[data-search-results] .bl-hit").first
    assert item.locator("a").inner_text().strip() == "延伸网格触角 做群众知心人"
    assert "2021年5月28日" in item.locator(".bl-item__meta").inner_text()
    assert "石港镇" in item.locator(".bl-item__meta").inner_text()
    marks = item.locator(".bl-hit__excerpt mark").all_inner_texts()
    assert marks and all(m == "网格长" for m in marks)
    assert sp.status() == "共 1 条结果"


def test_title_and_tag_matches_rank_first_then_newest(sp, truth_docs):
    sp.open("党史学习教育")
    got = sp.links()
    assert len(got) == len(relevant(truth_docs, "党史学习教育"))
    dates = sp.page.eval_on_selector_all("[data-search-results] time", "els => els.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True)  # both are tagged with it: newest first
    sp.open("垃圾分类")
    titles = sp.page.locator("[data-search-results] .bl-item__title a").all_inner_texts()
    assert len(titles) == 2


def test_facets_filter_and_combine_with_the_query(sp):
    sp.open("群众")
    sp.wait_facets()
    total = int(re.search(r"共 (\d+) 条", sp.status()).group(1))
    assert total > 10 and sp.count() == 10  # the first page; more on demand
    assert len(sp.links()) == total
    years = sp.page.locator(".bl-facet", has_text="年份").locator("a.bl-facet__value")
    labels = years.all_inner_texts()
    assert any(lbl.startswith("2021年") for lbl in labels)
    n2021 = int(re.search(r"2021年\s*(\d+)", " ".join(labels)).group(1))
    years.filter(has_text="2021年").click()
    sp.page.wait_for_url(re.compile(r"year=2021"))
    sp.wait()
    sp.wait_facets()
    assert sp.status() == f"共 {n2021} 条结果"
    dates = sp.page.eval_on_selector_all("[data-search-results] time", "els => els.map(t => t.dateTime)")
    assert dates and all(d.startswith("2021-") for d in dates)
    street = sp.page.locator(".bl-facet", has_text="街道").locator("a.bl-facet__value", has_text="石港镇")
    street.click()
    sp.page.wait_for_url(re.compile(r"street=%E7%9F%B3%E6%B8%AF%E9%95%87|street=石港镇"))
    sp.wait()
    sp.wait_facets()
    assert sp.status() == "共 1 条结果"
    assert sp.page.locator("a.bl-facet__value.is-active").count() == 2
    sp.page.locator(".bl-facet__clear a", has_text="清除筛选").click()
    sp.page.wait_for_url(re.compile(r"search/\?q=[^&]+$"))
    sp.wait()
    assert sp.status() == f"共 {total} 条结果"
    sp.page.go_back()
    sp.wait()
    assert sp.status() == "共 1 条结果"


def test_filters_from_the_url_alone_and_aliases(sp):
    sp.open(street="海门临江新区")
    assert sp.links() == ["articles/2021/2021-05-28-003-e7d623/"]
    sp.open("", programme="河长制", year="2020")
    assert sp.links() == ["articles/2020/2020-09-25-002-e101f8/"]


def test_empty_short_and_unknown_queries(sp):
    sp.open()
    assert "输入街道、项目、人名或词语" in sp.status() and sp.count() == 0
    sp.open("门")
    assert sp.status() == "请至少输入两个字。"
    sp.open("不存在的词语")
    assert "没有找到" in sp.status() and sp.count() == 0
    sp.open("小东门", street="虹桥街道")
    assert "没有找到" in sp.status() and "清除筛选" in sp.status()


def test_run_together_and_traditional_queries_on_the_page(sp):
    sp.open("小东门垃圾分类")
    assert len(sp.links()) == 2
    assert sp.status() == "共 2 条结果，同时包含“小东门”、“垃圾分类”"
    marks = set(sp.page.locator("[data-search-results] mark").all_inner_texts())
    assert marks <= {"小东门", "垃圾分类", "小东门街道"} and "垃圾分类" in marks
    # Traditional characters find the same and mark the text as printed.
    sp.open("小東門 垃圾分類")
    assert len(sp.links()) == 2
    marks = set(sp.page.locator("[data-search-results] mark").all_inner_texts())
    assert "垃圾分类" in marks and not marks & {"垃圾分類", "小東門"}
    # Width, punctuation and spaces do not change the result.
    want = sp.links()
    for q in ("小东门，垃圾分类", "小东门　垃圾分类", "「小东门」垃圾分类！", "小东门垃圾分类"):
        sp.open(q)
        assert sp.links() == want, q


def test_most_parts_are_marked_and_zero_hits_suggest(sp):
    sp.open("石港镇小东门垃圾分类")
    assert sp.status().startswith("没有同时包含“石港镇”、“小东门”、“垃圾分类”的文章，以下 2 条只包含其中部分词语")
    hits = sp.page.locator("[data-search-results] .bl-hit")
    assert hits.count() == 2
    assert sp.page.locator("[data-search-results] .bl-hit--partial").count() == 2
    assert hits.first.locator(".bl-hit__missing").inner_text() == "缺少：石港镇"
    sp.shot("search-partial")
    sp.open("小东们")
    assert "没有找到" in sp.status() and sp.count() == 0
    link = sp.page.locator("[data-search-status] .bl-search__suggest a", has_text="小东门街道")
    assert link.count() == 1
    sp.open("石港镇金新河长制")
    suggested = sp.page.locator("[data-search-status] .bl-search__suggest a").all_inner_texts()
    assert {"石港镇", "河长制"} <= set(suggested)
    sp.shot("search-zero-suggest")
    sp.page.locator("[data-search-status] .bl-search__suggest a", has_text="河长制").last.click()
    sp.page.wait_for_url(re.compile(r"q=%E6%B2%B3%E9%95%BF%E5%88%B6"))
    sp.wait()
    assert sp.count() > 0


def test_screenshots_desktop_and_phone(sp, phone):
    sp.open("党史学习教育")
    sp.wait_facets()
    sp.shot("search-desktop")
    sp.open("街道", year="2020")
    sp.wait_facets()
    sp.shot("search-desktop-filtered", full_page=True)
    phone.open("党史学习教育")
    phone.wait_facets()
    phone.shot("search-phone")
    box = phone.page.locator("[data-search-facets] > summary")
    box.click()
    phone.shot("search-phone-facets")
    # Nothing overflows the phone's width.
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_large_archive_counts_facets_when_the_panel_opens(browser, example_site, tmp_path):
    """Past manifest.facetEager documents the first query fetches no facet rows;
    opening 筛选 fetches and counts them (as an archive under the limit does at once)."""
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    manifest = site / "search" / "idx" / "manifest.json"
    m = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**m, "facetEager": 1}, ensure_ascii=False), encoding="utf-8")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        sp = SearchPage(browser, f"http://127.0.0.1:{httpd.server_port}/")
        rows: list[str] = []
        sp.page.on("request", lambda r: re.search(r"/search/idx/[fg]/", r.url) and rows.append(r.url))
        sp.page.goto(sp.base + "search/?q=" + quote("群众"))
        sp.page.wait_for_selector("[data-search-results][data-search-state=done]", state="attached", timeout=15_000)
        sp.page.wait_for_selector("[data-search][data-search-facets-state=on-demand]", state="attached", timeout=15_000)
        assert sp.count() == 10 and rows == []
        panel = sp.page.locator("[data-search-facets]")
        assert panel.is_visible() and not panel.evaluate("e => e.open")
        panel.locator("summary").click()
        sp.wait_facets()
        assert rows, "opening the panel fetches the facet rows"
        years = panel.locator(".bl-facet", has_text="年份").locator("a.bl-facet__value")
        assert any(t.startswith("2021年") for t in years.all_inner_texts())
        assert sp.errors == []
        sp.page.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
