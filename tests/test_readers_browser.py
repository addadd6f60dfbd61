"""Readers on a phone (390×844) and a desktop, on the project's example archive:
axe-core finds nothing on any page type, the streets are in the phone's first
screen, continuation pieces are not news, every issue has its page."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bulletin.model import read_article
from bulletin.site.pages import cn_date
from browsing import DESKTOP, MARKS, PHONE, Watched, serve
from conftest import bl_example_archive

pytestmark = MARKS


@functools.cache
def articles() -> dict:
    """url -> article of the example archive the site is built from (tests/examples/, not content/)."""
    content = bl_example_archive() / "content"
    return {p.relative_to(content).with_suffix("").as_posix() + "/": read_article(p)
            for p in sorted((content / "articles").rglob("*.md"))}


def fragments() -> set[str]:
    return {url for url, a in articles().items() if a.kind == "fragment"}


VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def base(bl_example_site):
    with serve(bl_example_site) as url:
        yield url


@pytest.fixture
def browser(bl_chromium):
    return bl_chromium


def open_page(browser, base, viewport, path) -> Watched:
    w = Watched(browser, base, VIEWPORTS[viewport])
    w.goto(path)
    if path.startswith("search/"):
        w.page.wait_for_selector("[data-search-results][data-search-state=done]", state="attached", timeout=15_000)
    return w


def paths(bl_example_site: Path) -> dict[str, str]:
    article = next(u for u in articles() if u not in fragments())
    return {
        "home": "", "streets": "streets/", "street": "streets/小东门街道/", "programmes": "programmes/",
        "programme": "programmes/河长制/", "archive": "archive/", "month": "archive/2021/05/",
        "issue": "issues/2021-05-28/", "article": article, "fragment": sorted(fragments())[0],
        "search": "search/?q=街道", "search-none": "search/?q=银河系火星基地", "404": "no/such/page/",
        "subscribe": "subscribe/", "street-continued": "streets/狼山镇街道/",
    }


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_axe_violations_on_any_page_type(browser, base, bl_example_site, viewport):
    found = {}
    for name, path in paths(bl_example_site).items():
        w = open_page(browser, base, viewport, path)
        w.shot(f"readers-{name}-{viewport}")  # test-artifacts/: every page type, looked at by a person
        violations = w.axe()
        if violations:
            found[name] = violations
        assert w.offsite == [] and w.errors == ([] if name != "404" else w.errors[:1]), (name, w.errors)
        w.page.close()
    assert found == {}, "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)


def test_streets_are_in_the_phones_first_screen(browser, base):
    w = open_page(browser, base, "phone", "")
    chooser = w.page.locator("select#bl-street")
    all_streets = w.page.get_by_role("link", name="个街道（按城市和区）", exact=False)
    for element in (chooser, all_streets):
        box = element.bounding_box()
        assert element.is_visible() and box["y"] + box["height"] <= PHONE["height"], box
    latest = w.page.locator("#latest").bounding_box()
    assert latest["y"] > all_streets.bounding_box()["y"]  # the way in comes before the news
    about = w.page.locator(".bl-about").inner_text()
    assert "南通市" in about and "2016–2024" in about and "生成于" in about
    # choosing a street goes to its page (JavaScript), grouped by district
    assert w.page.locator("select#bl-street optgroup[label='南通市 · 崇川区'] option").count() >= 2
    chooser.select_option(label="小东门街道（2）")
    w.page.get_by_role("button", name="前往").click()
    w.page.wait_for_url("**/streets/%E5%B0%8F%E4%B8%9C%E9%97%A8%E8%A1%97%E9%81%93/")
    assert w.h1() == "小东门街道"
    w.shot("readers-street-phone")


def test_tap_targets_of_listings_are_at_least_24px_on_a_phone(browser, base):
    w = open_page(browser, base, "phone", "archive/2021/05/")
    heights = w.page.eval_on_selector_all(".bl-item a, .bl-chip", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 24, heights


def test_continuation_pieces_are_not_news_on_home_or_feed(browser, base, bl_example_site):
    assert fragments(), "the example archive has continuation pieces"
    w = open_page(browser, base, "desktop", "")
    listed = {unquote(urlsplit(h).path).lstrip("/")
              for h in w.page.eval_on_selector_all(".bl-item__title a", "els => els.map(a => a.href)")}
    assert listed and not listed & fragments()
    feed = ET.parse(bl_example_site / "feed.xml").getroot()
    links = {unquote(urlsplit(link.get("href")).path).lstrip("/")
             for link in feed.iter("{http://www.w3.org/2005/Atom}link") if link.get("rel") == "alternate"}
    assert len(links) > 10 and not links & fragments()


def test_every_issue_has_a_page_naming_its_date_and_linking_all_its_articles(browser, base):
    issues: dict = {}
    for url, a in articles().items():
        issues.setdefault(a.issue_date, set()).add(url)
    w = Watched(browser, base, PHONE)
    for day, urls in issues.items():
        w.goto("archive/")
        w.page.locator(f"#y{day.year} ~ .bl-chips .bl-chip", has_text=f"{day.month}月").first.click()
        w.page.get_by_role("link", name=f"{day.month}月{day.day}日", exact=False).first.click()
        w.page.wait_for_load_state("load")
        assert cn_date(day) in w.h1()
        hrefs = w.page.eval_on_selector_all("article .bl-issue a", "els => els.map(a => a.href)")
        assert {unquote(urlsplit(h).path).lstrip("/") for h in hrefs} == urls
        # and every article of it links back to this page
        issue_url = w.page.url
        w.page.locator("article .bl-issue a").last.click()
        w.page.wait_for_load_state("load")
        w.page.locator(".bl-source a.bl-source__issue").click()
        assert w.page.url == issue_url
    w.shot("readers-issue-phone", full_page=True)


def test_the_footer_leads_to_a_chinese_subscribe_page_and_the_feed_is_plain_atom(browser, base, bl_example_site):
    """No XSLT (Chromium is removing it and showed an English banner over the styled feed)."""
    w = open_page(browser, base, "phone", "archive/")
    w.page.locator("footer").get_by_role("link", name="订阅更新").click()
    w.page.wait_for_load_state("load")
    assert w.h1() == "订阅" and "阅读器" in w.page.locator("article").inner_text()
    address = w.page.locator(".bl-feed-address code")
    assert address.inner_text().endswith("/feed.xml") and address.bounding_box()["y"] < PHONE["height"]
    w.page.get_by_role("link", name="这个地址").click()
    w.page.wait_for_load_state("load")
    assert urlsplit(w.page.url).path == "/feed.xml"
    text = (bl_example_site / "feed.xml").read_text(encoding="utf-8")
    assert "xml-stylesheet" not in text and not list(bl_example_site.rglob("*.xsl"))
    assert ET.fromstring(text).tag == "{http://www.w3.org/2005/Atom}feed" and "年" in text
    assert w.errors == []


def _choose_first_filter(w, viewport):
    page = w.page
    page.wait_for_selector("[data-search][data-search-facets-state=done]", state="attached", timeout=15_000)
    if viewport == "phone":
        assert not page.locator("details[data-search-facets]").evaluate("d => d.open")
        page.locator("[data-search-facets] > summary").click()
    value = page.locator("a.bl-facet__value").first
    name = value.locator(".bl-facet__label").inner_text()
    value.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('=') && location.search.split('&').length > 1")
    page.wait_for_selector("[data-search][data-search-facets-state=done]", state="attached", timeout=15_000)
    page.wait_for_timeout(100)
    return name


def test_on_a_phone_a_chosen_filter_closes_the_panel_shows_results_and_keeps_focus(browser, base):
    w = open_page(browser, base, "phone", "search/?q=街道")
    _choose_first_filter(w, "phone")
    page = w.page
    assert not page.locator("details[data-search-facets]").evaluate("d => d.open")
    assert page.evaluate("document.activeElement.matches('[data-search-facets] > summary')")
    assert "已选 1 项" in page.locator("[data-search-facets] > summary").inner_text()
    top = page.locator("[data-search-results] .bl-item").first.bounding_box()["y"]
    assert 0 <= top < PHONE["height"] - 100, top  # the results are on screen, not under the panel
    w.shot("readers-search-filtered-phone")
    assert w.errors == []


def test_on_a_desktop_focus_stays_on_the_filter_used(browser, base):
    w = open_page(browser, base, "desktop", "search/?q=街道")
    name = _choose_first_filter(w, "desktop")
    active = w.page.evaluate("""() => { const a = document.activeElement;
        return [a.matches('a.bl-facet__value'), a.getAttribute('aria-current'), a.querySelector('.bl-facet__label')?.textContent]; }""")
    assert active == [True, "true", name]
    w.page.keyboard.press("Enter")  # the same control again: the filter is removed, focus stays
    w.page.wait_for_function("() => !location.search.includes('&')")
    w.page.wait_for_selector("[data-search][data-search-facets-state=done]", state="attached", timeout=15_000)
    w.page.wait_for_timeout(100)
    assert w.page.evaluate("document.activeElement.querySelector('.bl-facet__label')?.textContent") == name
    assert w.errors == []
