"""Build the sample archive with the project's mkdocs.yml + theme and check the output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bulletin.model import render_page
from test_links import dead_links
from conftest import bl_article, bl_build, bl_copy_site_config, bl_sample_articles, bl_src_uri, bl_write_content

SITE = "https://bulletin.example.org/"


class Links(HTMLParser):
    """Every href/src, every id, and the text of <h1> of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src", "action"):
            if a.get(key) is not None:
                self.links.append((tag, a[key]))
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    p.h1 = [" ".join(h.split()) for h in p.h1]
    return p


def page(site: Path, url: str) -> Path:
    return site / unquote(url) / "index.html" if not url.endswith(".html") else site / unquote(url)


def article_urls(site: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(site)) + "/" for p in (site / "articles").rglob("index.html"))


def test_expected_pages_exist(bl_built_site):
    site = bl_built_site
    for url in ["", "streets/", "programmes/", "archive/", "search/", "streets/小东门街道/",
                "programmes/党建+楼院治理/", "archive/2021/05/", "archive/2020/12/"]:
        assert page(site, url).is_file(), url
    for name in ["404.html", "feed.xml", "sitemap.xml"]:
        assert (site / name).is_file(), name
    assert len(article_urls(site)) == len(bl_sample_articles())
    assert not (site / "search" / "search_index.json").exists(), "Material's search plugin must be off"


@pytest.mark.parametrize("url, h1", [
    ("streets/小东门街道/", "小东门街道"),
    ("streets/临江新区/", "临江新区"),
    ("programmes/全国文明城市创建/", "全国文明城市创建"),
    ("archive/2021/05/", "2021年5月"),
    ("streets/", "街道"),
    ("programmes/", "项目"),
    ("archive/", "按日期"),
])
def test_generated_page_h1_names_it(bl_built_site, url, h1):
    assert parse(page(bl_built_site, url)).h1 == [h1]


def test_street_page_lists_its_articles_newest_first(bl_built_site):
    html = page(bl_built_site, "streets/小东门街道/").read_text(encoding="utf-8")
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    news, continued = html.split('id="continued"')
    dates = re.findall(r'<time datetime="([\d-]+)">', news)
    assert len(dates) == 3 and dates == sorted(dates, reverse=True)  # its continuation piece is not news
    assert "小东门街道冬季安全检查" in news and "中心路街道召开创文推进会" not in html and "接上期" not in news
    assert "接上期" in continued  # but listed below them, as 续篇
    assert 'class="bl-item__summary"' in html
    assert "黄浦区" in html


def test_every_internal_link_resolves(bl_built_site):
    assert dead_links(bl_built_site) == []


def test_nothing_loads_from_another_host(bl_built_site):
    for path in bl_built_site.rglob("*.html"):
        for tag, link in parse(path).links:
            if tag in ("script", "link", "img", "iframe", "source"):
                assert not re.match(r"(https?:)?//", link) or link.startswith(SITE), (path, link)
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_header_has_a_get_search_form_on_every_page(bl_built_site):
    for path in bl_built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        m = re.search(r'<form class="bl-header-search" action="([^"]+)" method="get"', html)
        assert m, path
        assert 'name="q"' in html
        url = "http://site/" + path.relative_to(bl_built_site).as_posix()
        assert urljoin(url, m.group(1)) == "http://site/search/", (path, m.group(1))


def test_article_page_header_links_and_not_in_nav(bl_built_site):
    site = bl_built_site
    a = bl_sample_articles()[1]  # 楼院治理*新举措*, two streets, position 2
    path = site / bl_src_uri(a)[:-3] / "index.html"
    html = path.read_text(encoding="utf-8")
    p = parse(path)
    assert p.h1 == ["楼院治理*新举措*"]
    assert "2021年5月8日" in html and "通讯员 王芳" in html and "003.txt" not in html  # no internal file name
    assert re.search(r'来源：<a class="bl-source__issue" href="../../../issues/2021-05-08/">2021年5月8日 上海市简报</a>'
                     r'\s*· 第 2 篇', html)
    hrefs = [unquote(h) for _, h in p.links]
    assert "../../../streets/小东门街道/" in hrefs and "../../../streets/中心路街道/" in hrefs
    assert "../../../programmes/党建+楼院治理/" in hrefs
    assert "bl-neighbour--prev" in html and "bl-neighbour--next" not in html  # the next one is a continuation piece
    assert "相关文章" in html
    nav = html[html.index('class="md-tabs"'):html.index('class="md-content"')]
    assert "首页" in nav and "articles/" not in nav and "md-sidebar" not in nav  # tabs only, no side nav


def test_fragment_page_uses_summary_as_title(bl_built_site):
    a = next(x for x in bl_sample_articles() if not x.title)
    path = bl_built_site / bl_src_uri(a)[:-3] / "index.html"
    p = parse(path)
    assert p.h1 and p.h1[0].startswith("接上期")
    assert "<title>接上期" in path.read_text(encoding="utf-8")


def test_feed_and_sitemap(bl_built_site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.parse(bl_built_site / "feed.xml").getroot()
    links = [e.find("a:link", ns).get("href") for e in root.findall("a:entry", ns)]
    assert links and all(link.startswith(SITE + "articles/") for link in links)
    for link in links:
        assert page(bl_built_site, unquote(link[len(SITE):])).is_file()
    sitemap = (bl_built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(SITE + u in sitemap for u in article_urls(bl_built_site))
    home = page(bl_built_site, "").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home


def test_404_page(bl_built_site):
    html = (bl_built_site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in html and 'href="/streets/"' in html


def test_article_pages_stay_small(bl_built_site):
    sizes = [(page(bl_built_site, u).stat().st_size, u) for u in article_urls(bl_built_site)]
    assert max(sizes)[0] <= 25_000, max(sizes)


def test_strict_build_is_clean_and_leaves_content_alone(tmp_path):
    bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "content").rglob("*"))
    proc = bl_build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not re.search(r"^(WARNING|ERROR)\b", proc.stderr, re.M), proc.stderr
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "content").rglob("*")) == before


def test_broken_front_matter_fails_the_build_with_file_and_line(tmp_path):
    written = bl_write_content(tmp_path, [bl_article("好", "2021-01-01"), bl_article("坏", "2021-01-02")])
    bl_copy_site_config(tmp_path)
    bad_uri = list(written)[1]
    bad = tmp_path / "content" / bad_uri
    bad.write_text(bad.read_text(encoding="utf-8").replace("streets: []", "streets: [unclosed"), encoding="utf-8")
    proc = bl_build(tmp_path)
    assert proc.returncode != 0
    assert re.search(rf"content/{re.escape(bad_uri)}:\d+: ", proc.stderr), proc.stderr


def test_taxonomy_alias_retags_on_next_build(tmp_path):
    bl_write_content(tmp_path, [bl_article("改名", "2021-03-01", ["旧街道名"], [])])
    bl_copy_site_config(tmp_path)
    assert bl_build(tmp_path).returncode == 0
    assert page(tmp_path / "site", "streets/旧街道名/").is_file()
    (tmp_path / "taxonomy.yml").write_text(
        "streets:\n  - {name: 新街道名, district: 某区, aliases: [旧街道名]}\n", encoding="utf-8")
    assert bl_build(tmp_path).returncode == 0
    assert page(tmp_path / "site", "streets/新街道名/").is_file()
    assert not page(tmp_path / "site", "streets/旧街道名/").exists()


def test_title_correction_keeps_the_url(tmp_path):
    a = bl_article("错字标题", "2021-03-01", ["小东门街道"], [])
    uri = bl_src_uri(a)
    bl_write_content(tmp_path, [a])
    bl_copy_site_config(tmp_path)
    (tmp_path / "content" / uri).write_text(render_page(bl_article("正确标题", "2021-03-01", ["小东门街道"], [])))
    assert bl_build(tmp_path).returncode == 0
    assert parse(page(tmp_path / "site", uri[:-3] + "/")).h1 == ["正确标题"]


def test_project_site_builds_strict(tmp_path):
    """The project's mkdocs.yml and theme build the example archive clean (the archive's own
    content is checked by CI's `bulletin check` and `make build`, not by the tool's tests)."""
    from conftest import MKDOCS, bl_example_archive

    shutil.copytree(bl_example_archive() / "content", tmp_path / "content")
    shutil.copy(bl_example_archive() / "taxonomy.yml", tmp_path / "taxonomy.yml")
    bl_copy_site_config(tmp_path)
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert not re.search(r"^(WARNING|ERROR)\b", proc.stderr, re.M), proc.stderr
    assert "警告" not in proc.stderr, proc.stderr  # no page warnings either (programmes not in the taxonomy)
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "imports").exists()  # the import records are not published


def test_article_pages_do_not_grow_with_the_archive(tmp_path):
    """Articles stay out of the nav: 300 articles give pages as small as 7 do (≤ 25 KB)."""
    many = [
        bl_article(f"第{i}篇 社区简报文章", f"20{10 + i % 12}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                   [["小东门街道", "中心路街道", "临江新区"][i % 3]], ["零距离家园"] if i % 2 else [],
                   source=f"{i // 6:03d}.txt", position=i % 6 + 1)
        for i in range(300)
    ]
    bl_write_content(tmp_path, many)
    bl_copy_site_config(tmp_path)
    proc = bl_build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    sizes = [p.stat().st_size for p in (tmp_path / "site" / "articles").rglob("index.html")]
    assert len(sizes) == 300
    assert max(sizes) <= 25_000, max(sizes)


def test_duplicate_article_fails_the_build_like_bulletin_check(tmp_path):
    written = bl_write_content(tmp_path, [bl_article("原文", "2021-01-01")])
    bl_copy_site_config(tmp_path)
    original = tmp_path / "content" / list(written)[0]
    copy = original.with_name("2021-01-01-copy-abcdef.md")
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    proc = bl_build(tmp_path)
    assert proc.returncode != 0
    assert re.search(r"content/\S+\.md:\d+: 错误：", proc.stderr), proc.stderr


def test_importer_backups_are_not_published(tmp_path):
    written = bl_write_content(tmp_path, [bl_article("原文", "2021-01-01")])
    bl_copy_site_config(tmp_path)
    page_path = tmp_path / "content" / list(written)[0]
    page_path.with_name(page_path.name + ".bak").write_text("旧版本", encoding="utf-8")
    assert bl_build(tmp_path).returncode == 0
    assert not list((tmp_path / "site").rglob("*.bak"))
