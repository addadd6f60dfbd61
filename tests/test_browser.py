"""The built sample archive in real headless Chromium (Debian's /usr/bin/chromium).

Needs the apt packages ``chromium`` and ``fonts-noto-cjk``; skipped only when
the browser binary is absent. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import pytest
from browsing import MARKS, PHONE, Watched, serve

pytestmark = MARKS


@pytest.fixture(scope="module")
def bl_server(bl_built_site):
    with serve(bl_built_site) as base:
        yield base


@pytest.fixture
def bl_browser(bl_chromium):
    return bl_chromium


@pytest.fixture
def bl_page(bl_browser, bl_server):
    w = Watched(bl_browser, bl_server)
    yield w
    w.page.close()


@pytest.fixture
def bl_phone(bl_browser, bl_server):
    w = Watched(bl_browser, bl_server, PHONE)
    yield w
    w.page.close()


def test_home_loads_without_errors_or_offsite_requests(bl_page):
    response = bl_page.goto("")
    assert response.status == 200
    bl_page.page.wait_for_load_state("networkidle")
    assert bl_page.errors == []
    assert bl_page.offsite == []
    assert bl_page.page.locator(".bl-list .bl-item").count() > 0
    assert bl_page.page.locator("form.bl-header-search input[name=q]").is_visible()
    bl_page.shot("home-desktop")


def test_street_page_lists_its_articles(bl_page):
    bl_page.goto("")
    bl_page.page.locator(".bl-chip", has_text="小东门街道").first.click()
    bl_page.page.wait_for_load_state("load")
    assert bl_page.h1() == "小东门街道"
    items = bl_page.page.locator(".bl-item:not(#continued ~ .bl-list .bl-item)")
    assert items.count() == 3  # its continuation piece is not news: listed after them, under 续篇
    assert bl_page.page.locator("#continued ~ .bl-list .bl-item").count() == 1
    dates = items.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)
    bl_page.shot("street-desktop")
    assert bl_page.errors == [] and bl_page.offsite == []


def test_navigate_by_programme_to_an_article_and_back(bl_page):
    bl_page.goto("")
    bl_page.page.get_by_role("link", name="项目", exact=True).first.click()
    assert bl_page.h1() == "项目"
    bl_page.page.locator(".bl-chip", has_text="零距离家园").click()
    assert bl_page.h1() == "零距离家园"
    first = bl_page.page.locator(".bl-item__title a").first
    title = first.inner_text().strip()
    first.click()
    assert bl_page.h1() == title
    bl_page.shot("article-desktop", full_page=True)
    bl_page.page.locator("dl.bl-tags a", has_text="零距离家园").click()
    assert bl_page.h1() == "零距离家园"
    assert bl_page.errors == []


def test_navigate_by_month(bl_page):
    bl_page.goto("")
    bl_page.page.get_by_role("link", name="按日期", exact=True).first.click()
    assert bl_page.h1() == "按日期"
    bl_page.page.locator("#y2021 ~ .bl-chips .bl-chip", has_text="5月").first.click()
    assert bl_page.h1() == "2021年5月"
    assert bl_page.page.locator(".bl-item").count() == 2
    bl_page.page.locator(".bl-pager a", has_text="2021年4月").click()
    assert bl_page.h1() == "2021年4月"
    bl_page.shot("month-desktop")


def test_article_neighbours_follow_the_street(bl_page):
    bl_page.goto("streets/小东门街道/")
    bl_page.page.locator(".bl-item__title a", has_text="楼院治理").click()
    assert bl_page.page.locator("a.bl-neighbour--next").count() == 0  # the continuation piece is not next
    prev = bl_page.page.locator("a.bl-neighbour--prev")
    assert "小东门街道" in prev.inner_text()
    prev.click()
    assert bl_page.h1().startswith("小东门街道开展")
    bl_page.page.locator("a.bl-neighbour--next").click()
    assert bl_page.h1() == "楼院治理*新举措*"
    # the issue, as printed, shows the continuation piece as 续; its page links back to the issue
    bl_page.page.locator(".bl-source a.bl-source__issue").click()
    assert bl_page.h1() == "2021年5月8日 上海市简报"
    bl_page.page.locator(".bl-issue li", has_text="续").locator("a").click()
    assert bl_page.h1().startswith("接上期")
    assert "续" in bl_page.page.locator(".bl-continued").inner_text()
    bl_page.page.locator(".bl-continued a").click()
    assert bl_page.h1() == "2021年5月8日 上海市简报"


def test_header_search_is_a_get_form(bl_page):
    bl_page.goto("archive/2021/05/")
    box = bl_page.page.locator("form.bl-header-search input[name=q]")
    box.fill("楼道 整治")
    box.press("Enter")
    bl_page.page.wait_for_load_state("load")
    assert bl_page.page.url == bl_page.base + "search/?q=%E6%A5%BC%E9%81%93+%E6%95%B4%E6%B2%BB"
    assert bl_page.h1() == "搜索"


def test_missing_page_shows_the_404_page_with_styles(bl_page):
    response = bl_page.goto("streets/nowhere/deeper/")
    assert response.status == 404
    assert bl_page.h1() == "页面不存在"
    color = bl_page.page.locator("header.md-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(159, 29, 32)", "theme CSS must load at any depth"
    bl_page.page.get_by_role("link", name="街道", exact=True).last.click()
    assert bl_page.h1() == "街道"


@pytest.mark.parametrize("path, name", [
    ("", "home"), ("streets/小东门街道/", "street"), ("archive/2021/05/", "month"), ("streets/", "streets"),
])
def test_phone_viewport_is_usable(bl_phone, path, name):
    bl_phone.goto(path)
    page = bl_phone.page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"horizontal scroll on {name}: {width}px"
    box = page.locator("form.bl-header-search input[name=q]").bounding_box()
    assert box and box["width"] >= 80 and box["x"] + box["width"] <= PHONE["width"]
    for chip in page.locator(".bl-chip").all()[:10]:
        b = chip.bounding_box()
        assert b["height"] >= 30, "tap targets must be finger-sized"
    body = page.locator(".md-typeset").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert body >= 13.5
    bl_phone.shot(f"phone-{name}")
    bl_phone.shot(f"phone-{name}-full", full_page=True)
    assert bl_phone.errors == [] and bl_phone.offsite == []


def test_phone_tabs_reach_every_section(bl_phone):
    """No drawer (base.html): the five sections are tabs on a phone too, all in view."""
    bl_phone.goto("archive/2021/05/")
    page = bl_phone.page
    tabs = page.locator("nav.md-tabs")
    for label in ("首页", "街道", "项目", "按日期", "搜索"):
        link = tabs.get_by_role("link", name=label, exact=True)
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 30
    bl_phone.shot("phone-tabs")
    tabs.get_by_role("link", name="项目", exact=True).click()
    assert bl_phone.h1() == "项目"
    assert bl_phone.errors == []


def test_phone_article_page(bl_phone, bl_built_site):
    bl_phone.goto("streets/小东门街道/")
    bl_phone.page.locator(".bl-item__title a").first.click()
    page = bl_phone.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("dl.bl-tags a").first.is_visible()
    bl_phone.shot("phone-article", full_page=True)
