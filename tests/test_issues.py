"""Issues as printed, continuation pieces kept out of the news, the home page's
first screen, the feed's stylesheet and article headings (pure functions)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from bulletin.model import render_page
from bulletin.site import feed, home, index, issuepage, pages, view
from bulletin.site.htmlmin import headings_below
from conftest import bl_article, bl_src_uri
from test_index import build, taxonomy


def two_papers():
    """One day, two cities' papers (two printed pages of Shanghai's), plus a continuation piece."""
    return [
        bl_article("上海第二版头条", "2021-05-08", ["小东门街道"], ["零距离家园"], source="sh-2.txt", position=1),
        bl_article("上海头版头条", "2021-05-08", ["小东门街道"], [], source="sh-1.txt", position=1),
        bl_article("上海头版第二篇", "2021-05-07", [], [], source="sh-1.txt", position=2, district="黄浦区",
                   issue_date=dt.date(2021, 5, 8)),
        bl_article("", "2021-05-08", ["小东门街道"], [], source="sh-1.txt", position=3, kind="fragment",
                   summary="（上接第一版）居民志愿者补种绿植"),
        bl_article("郑州头版", "2021-05-08", ["中心路街道"], ["零距离家园"], source="zz-1.txt", position=1),
        bl_article("上海上一期", "2021-04-01", ["小东门街道"], ["零距离家园"], source="sh-1.txt", position=1),
    ]


def test_an_issue_is_a_date_and_a_paper_read_page_by_page():
    idx = build(two_papers())
    assert [(i.date.isoformat(), i.paper) for i in idx.issues] == [
        ("2021-05-08", "上海市"), ("2021-05-08", "郑州市"), ("2021-04-01", "上海市")]
    sh = idx.issues[0]
    assert [s for s, _ in sh.pages] == ["sh-1.txt", "sh-2.txt"]
    assert [e.title for e in sh.entries][:3] == ["上海头版头条", "上海头版第二篇", sh.entries[2].title]
    assert sh.entries[2].is_fragment and [e.title for e in sh.fragments] == [sh.entries[2].title]
    assert sh.label == "2021年5月8日 上海市简报" and sh.page_number(sh.entries[-1]) == 2
    assert [i.slug for i in idx.issues] == ["2021-05-08-上海市", "2021-05-08-郑州市", "2021-04-01"]
    assert all(e.issue is not None for e in idx.entries)


def test_issue_page_names_the_date_and_links_every_article_in_printed_order():
    idx, layout = build(two_papers()), pages.Layout()
    sh = idx.issues[0]
    text = issuepage.issue_page(idx, layout, sh)
    assert "\n<h1>2021年5月8日 上海市简报</h1>\n" in text
    links = re.findall(r'href="bl-src:([^"]*articles[^"]*)"', text)
    assert links == [e.src_uri for e in sh.entries]
    assert '<h2 id="p1">第 1 页</h2>' in text and '<h2 id="p2">第 2 页</h2>' in text
    assert [int(n) for n in re.findall(r"第 (\d+) 篇", text)] == [1, 2, 3]  # over the issue, 续 not counted
    assert "续</span>" in text and "共 3 篇" in text
    assert "另有续篇 1 篇" in text and "上一期 2021年4月1日" in text
    assert sorted(u for u, _ in issuepage.issue_pages(idx, layout)) == [
        "issues/2021-04-01/index.md", "issues/2021-05-08-上海市/index.md", "issues/2021-05-08-郑州市/index.md"]


def test_an_issues_count_and_its_numbers_add_up():
    """共 N 篇 and 第 1 … 第 N 篇, with no gap where a continuation piece or a split article sits
    (the example issue of 2021-05-28 said 共 7 篇 and numbered to 第 8, without 第 6)."""
    day = "2021-05-08"
    arts = [bl_article(f"第{i}条", day, ["小东门街道"], [], source="p1.txt", position=i) for i in (1, 2, 4)]
    arts += [bl_article("", day, ["小东门街道"], [], source="p1.txt", position=3, kind="fragment", summary="续文"),
             bl_article("第1条（下）", day, ["小东门街道"], [], source="p1.txt", position=1, part=2),
             bl_article("二版", day, ["小东门街道"], [], source="p2.txt", position=1)]
    uris = {bl_src_uri(a) + ("-2" if a.part else ""): render_page(a) for a in arts}  # bulletin split's name
    idx, layout = index.collect(uris, taxonomy()), pages.Layout()
    issue = idx.issues[0]
    text = issuepage.issue_page(idx, layout, issue)
    marks = re.findall(r'bl-issue__pos">([^<]*)<', text)
    assert marks == ["第 1 篇", "第 1 篇之2", "第 2 篇", "续", "第 3 篇", "第 4 篇"]
    assert issue.count == 4 and "共 4 篇，另有续篇 1 篇" in text
    for e in idx.entries:  # each article's footer says what the issue page says
        ctx = view.article_context(idx, e, layout, lambda uri: uri)["issue"]
        assert (ctx["position"], ctx["part"]) == ((None, None) if e.is_fragment else (issue.number(e), e.article.part))
    assert "4</span>" in pages.issue_chips([issue], layout)


def test_issues_are_linked_from_the_date_archive():
    late = bl_article("五月的稿子六月印", "2021-05-30", ["小东门街道"], [], source="sh-9.txt",
                      issue_date=dt.date(2021, 6, 2))
    idx, layout = build([*two_papers(), late]), pages.Layout()
    archive = pages.archive_page(idx, layout)
    month = pages.month_page(idx, layout, idx.months[0])
    assert "5月8日 上海市" in month and "5月8日 郑州市" in month and "4月1日" not in month
    june = next(i for i in idx.issues if i.date.month == 6)
    assert [m.label for m in idx.months] == ["2021年5月", "2021年4月"]  # no June page to list it
    assert f"bl-src:{layout.issue(june)}" in archive and "其他各期" in archive  # chips link source files
    assert sum(f'bl-src:{layout.issue(i)}"' in archive for i in idx.issues) == 1


def test_continuation_pieces_are_not_news():
    idx, layout = build(two_papers()), pages.Layout()
    piece = next(e for e in idx.entries if e.is_fragment)
    assert piece not in idx.news and piece in idx.entries  # searchable and has its page
    assert all(piece not in t.entries for t in [*idx.streets.values(), *idx.programmes.values()])
    assert all(piece not in m.entries for m in idx.months)
    home_md = home.home_page(idx, layout, "档案", latest_count=50)
    assert piece.number not in pages.listed(pages.LIST_MARK.search(home_md).group(1))
    assert idx.neighbours(piece) == (None, None, None)
    for e in idx.entries:
        assert piece not in idx.related(e, 10) and piece not in idx.related_scan(e, 10)
        label, prev, nxt = idx.neighbours(e)
        assert piece not in (prev, nxt)
    xml = feed.atom_feed(idx.entries, title="档案", site_url="https://x.org/", feed_url="https://x.org/feed.xml",
                         url_of=lambda e: "https://x.org/" + e.slug + "/")
    titles = [t.text for t in ET.fromstring(xml).iter("{http://www.w3.org/2005/Atom}title")]
    assert len(titles) == 1 + len(idx.news) and piece.title not in titles


def test_a_continuation_piece_page_says_whose_issue_it_continues():
    idx, layout = build(two_papers()), pages.Layout()
    piece = next(e for e in idx.entries if e.is_fragment)
    ctx = view.article_context(idx, piece, layout, lambda uri: "/" + uri)
    assert ctx["issue"] == {"label": "2021年5月8日 上海市简报", "url": "/issues/2021-05-08-上海市/index.md",
                            "page": 1, "pages": 2, "position": None, "part": None, "continued": True}
    assert ctx["prev"] is None and ctx["next"] is None


def test_a_tag_only_continuation_pieces_carry_has_its_page():
    """No dead end: a street whose only article is a continuation piece gets a page listing it."""
    idx, layout = build([bl_article("正文", "2021-05-08", ["小东门街道"], []),
                         bl_article("", "2021-05-08", ["孤街道"], ["孤项目"], kind="fragment", position=2,
                                    summary="续文")]), pages.Layout()
    piece = next(e for e in idx.entries if e.is_fragment)
    alone, project = idx.streets["孤街道"], idx.programmes["孤项目"]
    assert (alone.entries, alone.continued, alone.count) == ([], [piece], 1) and project.continued == [piece]
    ctx = view.article_context(idx, piece, layout, lambda uri: "/" + uri)
    assert ctx["streets"] == [{"name": "孤街道", "url": "/streets/孤街道/index.md"}]
    assert ctx["programmes"] == [{"name": "孤项目", "url": "/programmes/孤项目/index.md"}]
    text = pages.topic_page(idx, layout, alone, "street")
    assert "共 0 篇" not in text and "续篇 1 篇" in text and [idx.entries[n] for n in pages.listed(
        pages.LIST_MARK.findall(text)[-1])] == [piece]
    assert "孤街道（1）" in home.render_chooser(idx, lambda uri: uri, layout)


def test_related_prefers_the_same_street_or_programme_in_other_issues():
    articles = [
        bl_article("本期同街道", "2021-05-08", ["小东门街道"], [], source="a.txt", position=2),
        bl_article("本篇", "2021-05-08", ["小东门街道"], ["零距离家园"], source="a.txt", position=1),
        bl_article("本期无关", "2021-05-08", [], [], source="a.txt", position=3),
        bl_article("往期同街道", "2020-01-01", ["小东门街道"], [], source="b.txt"),
        bl_article("往期同项目", "2021-05-01", ["中心路街道"], ["零距离家园"], source="c.txt"),
        bl_article("往期无关", "2021-05-07", ["中心路街道"], [], source="d.txt"),
    ]
    idx = build(articles)
    me = next(e for e in idx.entries if e.title == "本篇")
    assert [e.title for e in idx.related(me, 5)] == ["往期同街道", "往期同项目"]
    assert idx.related(me, 5) == idx.related_scan(me, 5)


def test_home_says_what_the_archive_holds_and_offers_streets_first():
    idx, layout = build(two_papers()), pages.Layout()
    sentence = home.summary_sentence(idx, dt.date(2026, 1, 2))
    assert sentence == ("收录上海市、郑州市 2 个区（县）2 个街道（镇）2021 年的社区简报：3 期，5 篇文章"
                        "（另有续篇 1 篇）。生成于 2026年1月2日。")
    text = home.home_page(idx, layout, "档案", generated=dt.date(2026, 1, 2))
    assert text.index(sentence) < text.index(home.CHOOSER_MARK) < text.index("## 最新文章")
    chooser = home.render_chooser(idx, lambda uri: "/" + uri, layout)
    groups = re.findall(r'<optgroup label="([^"]*)">', chooser)
    assert groups == [d.label for d in idx.districts] == ["上海市 · 黄浦区", "郑州市 · 上街区"]
    # it opens on a placeholder; a street's count is what its page lists (3 articles, 1 continuation piece)
    assert '<select id="bl-street" name="street"><option value="" selected>请选择街道</option><optgroup' in chooser
    assert '<option value="/streets/小东门街道/index.md">小东门街道（4）</option>' in chooser
    assert 'action="/streets/index.md"' in chooser  # without JavaScript: the list of all streets
    assert home.summary_sentence(build([])) == "档案中还没有文章。"


def test_chooser_escapes_names():
    idx = build([bl_article("甲", "2021-05-08", ['"><script>x</script>'], [], district="<b>区</b>")])
    chooser = home.render_chooser(idx, lambda uri: "/" + uri, pages.Layout())
    assert "<script>" not in chooser and "<b>" not in chooser


def test_feed_is_plain_atom_with_chinese_dates_in_its_text():
    """No XSL (Chromium is removing XSLT): reader apps get Atom, people the 订阅 page."""
    idx = build()
    xml = feed.atom_feed(idx.entries, title="档案", site_url="https://x.org/", feed_url="https://x.org/feed.xml",
                         url_of=lambda e: "https://x.org/" + e.slug + "/")
    assert "xml-stylesheet" not in xml and "xsl" not in xml.lower()
    root = ET.fromstring(xml)
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == atom + "feed" and root.find(atom + "subtitle").text == "最新 6 篇文章，更新于 2021年5月8日"
    summaries = [e.find(atom + "summary").text for e in root.iter(atom + "entry")]
    assert summaries[0].startswith("2021年5月8日 · 小东门街道：小东门街道开展") and len(summaries) == 6
    assert summaries[-1].startswith("2020年11月15日：")  # no street


def test_the_subscribe_page_says_what_a_feed_is_and_gives_its_address():
    text = feed.subscribe_page(pages.Layout(), "feed.xml", "https://x.org/feed.xml", "社区<档案>", 20)
    assert "\n# 订阅\n" in text and "最新的 20 篇文章" in text and "阅读器" in text
    assert "<code>https://x.org/feed.xml</code>" in text and "](../feed.xml)" in text
    assert "社区&lt;档案&gt;" in text and "<档案>" not in text.split("description")[0]


def test_article_headings_start_below_the_title():
    assert headings_below("<h3 id=a>甲</h3><p>x</p><h4>乙</h4>") == "<h2 id=a>甲</h2><p>x</p><h3>乙</h3>"
    assert headings_below("<h1>甲</h1><h2>乙</h2>") == "<h2>甲</h2><h3>乙</h3>"
    assert headings_below("<h2>甲</h2><header>x</header><hr>") == "<h2>甲</h2><header>x</header><hr>"
    assert headings_below("<h5>甲</h5><h6>乙</h6>") == "<h2>甲</h2><h3>乙</h3>"
    assert headings_below("<p>无标题</p>") == "<p>无标题</p>"
