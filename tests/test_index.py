"""The pure half of the site: index, generated Markdown, feed, article context."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bulletin.model import PageError, render_page
from bulletin.site import feed, home, index, pages, searchpage, view
from bulletin.taxonomy import Taxonomy, read_taxonomy
from conftest import TAXONOMY, bl_article, bl_sample_articles, bl_src_uri


def taxonomy() -> Taxonomy:
    return read_taxonomy(TAXONOMY, "t")


def build(articles=None):
    articles = bl_sample_articles() if articles is None else articles
    return index.collect({bl_src_uri(a): render_page(a) for a in articles}, taxonomy())


def test_entries_newest_first_and_printed_order_within_a_page():
    idx = build()
    dates = [e.article.date for e in idx.entries]
    assert dates == sorted(dates, reverse=True)
    same_day = [e.article.position for e in idx.entries if str(e.article.date) == "2021-05-08"]
    assert same_day == [1, 2, 3]


def test_taxonomy_aliases_retag_at_build_time():
    idx = build()
    assert "海门临江新区" not in idx.streets and len(idx.streets["临江新区"].entries) == 1
    assert "创建全国文明城市" not in idx.programmes
    assert len(idx.programmes["全国文明城市创建"].entries) == 2


def test_streets_grouped_by_city_then_district_in_pinyin_order():
    idx = build()  # taxonomy order: 上海, 郑州, 南通
    assert [d.label for d in idx.districts] == ["南通市 · 海门区", "上海市 · 黄浦区", "郑州市 · 上街区"]
    assert [t.name for t in idx.districts[1].streets] == ["小东门街道"]


def test_pinyin_order_is_stable_whatever_order_the_taxonomy_and_articles_come_in():
    streets = [("庄行镇", "奉贤区", "上海市"), ("小东门街道", "黄浦区", "上海市"), ("中心路街道", "上街区", "郑州市"),
               ("虹桥街道", "崇川区", "南通市"), ("任港街道", "崇川区", "南通市"), ("海永镇", "海门区", "南通市"),
               ("重庆路街道", "通州区", "北京市"), ("外滩街道", "黄浦区", "上海市")]
    expected = ["北京市 · 通州区: 重庆路街道", "南通市 · 崇川区: 虹桥街道 任港街道", "南通市 · 海门区: 海永镇",
                "上海市 · 奉贤区: 庄行镇", "上海市 · 黄浦区: 外滩街道 小东门街道", "郑州市 · 上街区: 中心路街道",
                "某区: 新街道", "其他: 无名街道"]
    for order in (streets, streets[::-1], streets[3:] + streets[:3]):
        tax = read_taxonomy("streets:\n" + "".join(
            f"  - {{name: {n}, district: {d}, city: {c}}}\n" for n, d, c in order))
        arts = [bl_article(n, "2021-01-01", [n], [], position=i) for i, (n, _, _) in enumerate(order, 1)]
        arts += [bl_article("甲", "2021-01-02", ["新街道"], [], district="某区"), bl_article("乙", "2021-01-03", ["无名街道"], [])]
        idx = index.collect({bl_src_uri(a): render_page(a) for a in arts}, tax)
        assert [f"{d.label}: " + " ".join(t.name for t in d.streets) for d in idx.districts] == expected


def test_unknown_street_falls_back_to_article_district_or_other():
    idx = build([
        bl_article("甲", "2021-01-01", ["新街道"], [], district="某区"),
        bl_article("乙", "2021-01-02", ["无名街道"], [], position=2),
    ])
    assert {d.name: [t.name for t in d.streets] for d in idx.districts} == {
        "某区": ["新街道"], index.NO_DISTRICT: ["无名街道"],
    }
    assert idx.districts[-1].name == index.NO_DISTRICT


def test_months_and_years_newest_first():
    idx = build()
    assert [m.label for m in idx.months] == ["2021年5月", "2021年4月", "2020年12月", "2020年11月"]
    assert list(idx.years) == [2021, 2020]


def test_neighbours_follow_reading_order_of_first_street():
    idx = build()
    street = idx.streets["小东门街道"]
    by_pos = {(str(e.article.date), e.article.position): e for e in street.entries}
    label, prev, nxt = idx.neighbours(by_pos[("2021-05-08", 2)])
    assert label == street.name
    assert prev is by_pos[("2021-05-08", 1)] and nxt is None  # position 3 is a continuation piece
    assert ("2021-05-08", 3) not in by_pos
    _, prev, nxt = idx.neighbours(by_pos[("2020-12-01", 2)])
    assert prev is None and nxt is by_pos[("2021-05-08", 1)]
    lonely = next(e for e in idx.entries if not e.article.streets)
    assert idx.neighbours(lonely) == (None, None, None)  # alone on its bulletin page too


def test_articles_without_a_street_walk_their_bulletin_page():
    idx = build([
        bl_article("甲", "2021-01-01", [], [], source="009.txt", position=1),
        bl_article("乙", "2021-01-01", [], [], source="009.txt", position=2),
        bl_article("丙", "2021-01-01", ["小东门街道"], [], source="009.txt", position=3),
    ])
    first, second = sorted((e for e in idx.entries if not e.article.streets), key=lambda e: e.article.position)
    label, prev, nxt = idx.neighbours(second)
    assert label == index.ISSUE_LABEL and prev is first and nxt.article.title == "丙"
    assert idx.related(first, 5) == []  # its own issue is on the issue page, not related


def test_related_prefers_same_street_then_programme_and_excludes_self():
    idx = build()
    e = idx.streets["中心路街道"].entries[-1]  # 创文推进会
    related = idx.related(e, 3)
    assert e not in related and len(related) == 2  # only two share a tag or its page
    assert related[0].article.streets and "中心路街道" in related[0].article.streets
    assert idx.related(e, 0) == []


def _large_archive(n: int = 3000, seed: int = 3) -> index.ArchiveIndex:
    """``n`` in-memory articles: a few very popular streets and programmes, many
    same-day articles (ties), bulletin pages of six, some untagged articles."""
    import datetime as dt
    import random

    rng = random.Random(seed)
    streets, programmes = [f"街道{i}" for i in range(20)], [f"项目{i}" for i in range(15)]
    entries = []
    for i in range(n):
        day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        st = rng.sample(streets[:3] if rng.random() < 0.5 else streets, rng.choice((0, 1, 1, 1, 2, 3)))
        pr = rng.sample(programmes[:3] if rng.random() < 0.5 else programmes, rng.choice((0, 0, 1, 2, 3)))
        a = bl_article(f"第{i}篇", day.isoformat(), st, pr, source=f"{i // 6:04d}.txt", position=i % 6 + 1,
                       issue_date=day + dt.timedelta(days=rng.randrange(3)),
                       kind="fragment" if i % 17 == 0 else "article")
        entries.append(index.Entry(a, f"articles/{day.year}/{i:05d}.md"))
    entries.sort(key=index.newest_first_key)
    return index.build(entries, Taxonomy())


def test_neighbours_and_related_at_scale_match_the_plain_scan():
    """related() walks tag intersections instead of scoring every article of a
    street (quadratic at 50,000 articles); it must give the same answer."""
    idx = _large_archive()
    lines = {name: sorted(t.entries, key=index.reading_key) for name, t in idx.streets.items()}
    for n, e in enumerate(idx.entries):
        label, prev, nxt = idx.neighbours(e)
        for count in ((5,) if n % 10 else (0, 1, 5, 12)):
            got = idx.related(e, count, exclude=(prev, nxt))
            assert got == idx.related_scan(e, count, exclude=(prev, nxt))
            assert not any(r.is_fragment or r.issue is e.issue for r in got)
        if e.is_fragment:
            assert (label, prev, nxt) == (None, None, None)
            continue
        line = lines[e.article.streets[0]] if e.article.streets else idx.issue(e)
        i = next(i for i, x in enumerate(line) if x is e)
        if len(line) > 1:
            assert (prev, nxt) == (line[i - 1] if i else None, line[i + 1] if i + 1 < len(line) else None)


def test_broken_front_matter_names_file_and_line():
    good = render_page(bl_article("好", "2021-01-01"))
    bad = good.replace("date: 2021-01-01", "date: [unclosed")
    with pytest.raises(PageError) as err:
        index.collect({"articles/2021/a.md": good, "articles/2021/b.md": bad}, origin="content")
    assert str(err.value).startswith("content/articles/2021/b.md:")
    assert err.value.line > 1


@pytest.mark.parametrize("name", ["a/b", "..", "../x", "x\x00y", "  ", "?#%", "名 称", "党建+楼院治理"])
def test_slugs_are_safe_path_segments(name):
    slug = index.slugify(name)
    assert slug and "/" not in slug and slug not in (".", "..") and not slug.startswith(".")
    assert all(ord(ch) >= 32 and ch not in "?#%\\" for ch in slug)


def test_slugs_stay_unique_and_independent_of_order():
    names = ["a/b", "a?b", "小东门街道"]
    first = index.unique_slugs(names)
    assert len(set(first.values())) == 3
    assert index.unique_slugs(reversed(names)) == first
    assert first["小东门街道"] == "小东门街道"


def test_url_of_an_article_is_its_file_stem():
    a = bl_article("标题", "2021-05-08", source="003.txt")
    b = bl_article("改正后的标题", "2021-05-08", source="003.txt")
    assert bl_src_uri(a) == bl_src_uri(b)
    idx = build([a])
    assert idx.entries[0].slug == bl_src_uri(a).rsplit("/", 1)[1][:-3]


def test_layout_src_uris_and_checks():
    layout = pages.Layout()
    assert layout.home() == "index.md"
    assert layout.month(index.Month(2021, 5)) == "archive/2021/05/index.md"
    assert pages.Layout.src_uri("feeds/x.html") == "feeds/x.md"
    with pytest.raises(ValueError):
        pages.Layout(street_url_format="../{slug}/").check()


def test_generated_markdown_h1_links_and_escaping():
    idx, layout = build(), pages.Layout()
    street = idx.streets["小东门街道"]
    text = pages.topic_page(idx, layout, street, "street")
    assert "\n<h1>小东门街道</h1>\n" in text
    assert '<h2 id="y2021">2021年</h2>' in text and '<h2 id="y2020">2020年</h2>' in text
    # listings are markers numbering their articles; the plugin renders them after conversion
    marks = pages.LIST_MARK.findall(text)
    # the 2021 continuation piece is not in the years' news, but in its own 续篇 section after them
    assert [len(pages.listed(m)) for m in marks] == [2, 1, 1]
    assert [idx.entries[n] for n in pages.listed(marks[0])] == street.entries[:2]
    assert [str(idx.entries[n].article.date) for m in marks[:2] for n in pages.listed(m)] == [
        "2021-05-08", "2021-05-08", "2020-12-01"]
    assert [idx.entries[n] for n in pages.listed(marks[2])] == street.continued and street.continued[0].is_fragment
    assert text.index('<h2 id="continued">续篇</h2>') > text.index(">2020年<") and "另有续篇 1 篇" in text
    html = pages.render_listing(street.entries, lambda uri: "../../" + uri[:-3] + "/", layout, idx.streets)
    assert html.count('class="bl-item"') == 3
    assert 'href="../../articles/2021/' in html and 'href="../../streets/小东门街道/' in html
    assert "楼院治理*新举措*" in html  # OCR'd asterisks stay literal (nothing converts this HTML)
    month = pages.month_page(idx, layout, idx.months[0])
    assert "\n<h1>2021年5月</h1>\n" in month and "2021年4月" in month
    home_md = home.home_page(idx, layout, "档案", 2)
    assert len(pages.listed(pages.LIST_MARK.search(home_md).group(1))) == 2
    assert "bl-src:streets/小东门街道/index.md" in home_md  # chips: the plugin makes it a relative URL


def test_listing_escapes_untrusted_text():
    a = bl_article('<script>alert("x")</script>', "2021-05-08", ["小东门街道"], [], kicker="<b>k</b>",
                   summary="<img src=x onerror=alert(1)>")
    idx = build([a])
    html = pages.render_listing(idx.entries, lambda uri: uri + '"><script>', pages.Layout(), idx.streets)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_long_listings_are_paged_with_stable_urls():
    many = [bl_article(f"第{i}篇", f"20{10 + i // 40}-{1 + i % 12:02d}-{1 + i % 28:02d}", ["小东门街道"], [],
                       source=f"{i:03d}.txt") for i in range(120)]
    idx, layout = build(many), pages.Layout()
    street = idx.streets["小东门街道"]
    got = pages.topic_pages(idx, layout, street, "street", per_page=50)
    first = layout.street(street)
    assert [uri for uri, _ in got] == [first, "streets/小东门街道/page/2/index.md", "streets/小东门街道/page/3/index.md"]
    listed = [idx.entries[n] for _, text in got for m in pages.LIST_MARK.findall(text) for n in pages.listed(m)]
    assert listed == street.entries  # every article once, newest first
    _, second = got[1]
    assert "\n<h1>小东门街道（第2页）</h1>\n" in second and "第 2/3 页" in second
    assert f'href="bl-src:{first}">← 较新</a>' in second
    assert 'href="bl-src:streets/小东门街道/page/3/index.md">较早 →</a>' in second
    assert 'aria-current="page">2<' in second
    years = {e.article.date.year for e in street.entries}
    assert all(f'#y{y}">' in text for _, text in got for y in years)  # year jumps on every page
    newest = max(years)
    assert f'href="bl-src:{first}#y{newest}">{newest}年</a>' in got[2][1]  # from page 3, back to where that year starts
    assert pages.topic_pages(idx, layout, street, "street", per_page=500)[0][1].count("bl-pager") == 0
    month = idx.months[0]
    assert len(month.entries) == 4
    assert [u for u, _ in pages.month_pages(idx, layout, month, per_page=2)] == [
        "archive/2012/12/index.md", "archive/2012/12/page/2/index.md"]


def test_md_escape_and_one_line():
    assert pages.md("a*b_[c]<d>") == r"a\*b\_\[c\]&lt;d&gt;"
    assert pages.one_line("a\n b", 10) == "a b"
    assert pages.one_line("一" * 100, 10).endswith("…")


def test_feed_is_valid_atom_with_latest_entries():
    idx = build()
    xml = feed.atom_feed(idx.entries, title="档案", site_url="https://x.org/", feed_url="https://x.org/feed.xml",
                         url_of=lambda e: "https://x.org/" + e.slug + "/", count=3)
    root = ET.fromstring(xml)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 3
    assert entries[0].find("a:title", ns).text == idx.entries[0].title
    assert root.find("a:updated", ns).text.startswith("2021-05-08")


def test_article_context_for_template():
    idx, layout = build(), pages.Layout()
    entry = idx.streets["小东门街道"].entries[1]  # 2021-05-08 position 2
    ctx = view.article_context(idx, entry, layout, lambda uri: "/" + uri, related_count=2)
    assert ctx["title"] == "楼院治理*新举措*"
    assert [s["name"] for s in ctx["streets"]] == ["小东门街道", "中心路街道"]
    assert ctx["streets"][0]["url"] == "/streets/小东门街道/index.md"
    assert ctx["prev"]["title"].startswith("小东门街道开展") and ctx["next"] is None  # not the continuation piece
    assert ctx["issue"]["label"] == "2021年5月8日 上海市简报" and ctx["issue"]["position"] == 2
    assert ctx["issue"]["url"] == "/issues/2021-05-08/index.md" and not ctx["issue"]["continued"]
    assert ctx["month"]["label"] == "2021年5月"
    assert len(ctx["related"]) <= 2
    assert all(r["url"] != ctx["prev"]["url"] for r in ctx["related"])


def test_an_empty_archive_still_renders_every_page():
    idx, layout = build([]), pages.Layout()
    assert "暂无文章" in home.home_page(idx, layout, "档案")
    for text in (pages.streets_page(idx, layout), pages.programmes_page(idx, layout),
                 pages.archive_page(idx, layout), searchpage.search_page(layout, idx)):
        assert text.count("\n# ") == 1


def test_collapse_whitespace_keeps_spacing_pre_and_scripts():
    from bulletin.site.htmlmin import collapse_whitespace

    page = ('<div>\n\n    <span>甲</span>\n      <span>乙</span>  <b>丙</b>\n\n</div>\n'
            '<pre>  a\n\n    b\n</pre>\n   <script>\n  var s = "x\n  y";\n</script>\n  <TEXTAREA>\n 1\n</TEXTAREA>')
    out = collapse_whitespace(page)
    # a line break before an inline tag stays (it renders as a space); before a block tag it goes
    assert out == ('<div>\n<span>甲</span>\n<span>乙</span>  <b>丙</b></div>\n'
                   '<pre>  a\n\n    b\n</pre>\n<script>\n  var s = "x\n  y";\n</script>\n<TEXTAREA>\n 1\n</TEXTAREA>')
    assert collapse_whitespace(out) == out
    assert collapse_whitespace("<p>甲</p>\n  <ul>\n<li><a>乙</a>\n<time>丙</time></li>\n</ul>") == \
        "<p>甲</p><ul><li><a>乙</a>\n<time>丙</time></li></ul>"


def test_readable_links_decode_only_printable_utf8_in_links():
    from bulletin.site.htmlmin import readable_links

    page = ('<a href="../streets/%E5%B0%8F%E4%B8%9C%E9%97%A8/">%E5%B0%8F</a>'
            '<a href="a%20b%E3%80%80c%C2%85/?q=%E4%B8%AD#x">x</a><form action="%E4%B8%AD/"></form>'
            '<a href="%E5%B0">bad</a><a href="%3Cscript%3E">y</a>')
    assert readable_links(page) == (
        '<a href="../streets/小东门/">%E5%B0%8F</a>'  # only inside links
        '<a href="a%20b%E3%80%80c%C2%85/?q=中#x">x</a><form action="中/"></form>'  # spaces, controls stay encoded
        '<a href="%E5%B0">bad</a><a href="%3Cscript%3E">y</a>')  # broken UTF-8 and ASCII are left alone


def test_own_summary_only_when_it_is_not_the_opening():
    body = "日前，小东门街道召开会议。\n\n会议指出……"
    assert not pages.own_summary("日前，小东门街道召开会议。", body)
    assert not pages.own_summary("日前，小东门街道 召开…", body)  # shortened, spaces differ
    assert pages.own_summary("街道召开居民议事会，商定停车难解决办法。", body)  # written by an editor
    assert not pages.own_summary("", body)
