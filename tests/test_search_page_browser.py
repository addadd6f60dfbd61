"""The search page as a reader meets it, in Chromium on a 1280 desktop and a
390×844 phone over the tests' example archive: results that do not jump when
the filter column comes, a street's or programme's own page offered first,
a zero-hit page with ways on (tappable, underlined, axe-clean), highlights
that never run into an ellipsis, long queries that end in "…" in the boxes."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from browsing import DESKTOP, MARKS, PHONE, Watched, serve

pytestmark = MARKS
ROOT = Path(__file__).resolve().parents[1]
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
ZERO = "小东们"  # nothing holds it; the nearest street name is suggested


@pytest.fixture(scope="module")
def base(bl_example_site):
    with serve(bl_example_site) as url:
        yield url


def search(browser, base, query: str, viewport: str = "desktop", **filters) -> Watched:
    w = Watched(browser, base, VIEWPORTS[viewport])
    # Layout shifts as Chromium reports them, from the first paint on.
    w.page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({type: "layout-shift", buffered: true});""")
    qs = "&".join(f"{k}={quote(str(v))}" for k, v in [("q", query), *filters.items()] if v)
    w.goto("search/" + (f"?{qs}" if qs else ""))
    w.page.wait_for_selector("[data-search-results][data-search-state=done]", state="attached", timeout=15_000)
    w.page.wait_for_selector("[data-search][data-search-facets-state=done]", state="attached", timeout=15_000)
    return w


def close(w: Watched) -> None:
    assert w.errors == [] and w.offsite == [], (w.errors, w.offsite)
    w.page.close()


def path_of(href: str) -> str:
    return unquote(urlsplit(href).path).lstrip("/")


def test_results_do_not_jump_when_the_filter_column_appears(bl_chromium, base):
    for query in ("街道", "垃圾分类", "志愿者"):
        w = search(bl_chromium, base, query)
        w.page.wait_for_timeout(300)  # anything late (fonts, the panel) has come
        assert w.page.locator("[data-search-facets]").is_visible(), query
        shift = w.page.evaluate("window.__shift")
        assert shift <= 0.05, (query, shift)
        box = w.page.locator("[data-search-results]").bounding_box()
        facets = w.page.locator("[data-search-facets]").bounding_box()
        assert box["x"] >= facets["x"] + facets["width"], query  # beside the column, not under it
        close(w)
    # A zero-hit page shows no column but keeps its place: the results start where they always do.
    w = search(bl_chromium, base, ZERO)
    x_zero = w.page.locator(".bl-search__main").bounding_box()["x"]
    close(w)
    w = search(bl_chromium, base, "街道")
    assert w.page.locator(".bl-search__main").bounding_box()["x"] == x_zero
    close(w)


@pytest.mark.parametrize("query, page", [
    ("小东门街道", "streets/小东门街道/"),
    ("小东门", "streets/小东门街道/"),  # a street's name without 街道
    ("河长制", "programmes/河长制/"),
])
def test_a_street_or_programme_name_offers_its_page_first(bl_chromium, base, query, page):
    w = search(bl_chromium, base, query)
    offer = w.page.locator("[data-search-topic] a")
    assert offer.count() == 1 and path_of(offer.evaluate("a => a.href")) == page
    first_hit = w.page.locator("[data-search-results] .bl-hit").first
    assert offer.bounding_box()["y"] < first_hit.bounding_box()["y"]  # above the results
    assert offer.is_visible() and query in offer.inner_text() or query == "小东门"
    w.page.goto(offer.evaluate("a => a.href"))
    assert w.page.locator("article h1").first.inner_text().strip().startswith(page.split("/")[1])
    close(w)


def test_an_ordinary_query_offers_no_page(bl_chromium, base):
    for query in ("垃圾分类志愿者", "居民", ZERO):
        w = search(bl_chromium, base, query)
        assert w.page.locator("[data-search-topic]").is_hidden(), query
        close(w)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_zero_hits_lead_on_with_tappable_underlined_links(bl_chromium, base, viewport):
    for query in (ZERO, "银河系火星基地"):
        w = search(bl_chromium, base, query, viewport)
        status = w.page.locator("[data-search-status]")
        assert "没有找到" in status.inner_text()
        links = status.locator("a")
        hrefs = [path_of(h) for h in links.evaluate_all("els => els.map(a => a.href)")]
        assert {"streets/", "archive/"} <= set(hrefs), hrefs
        for i in range(links.count()):
            a = links.nth(i)
            box = a.bounding_box()
            style = a.evaluate("a => getComputedStyle(a).textDecorationLine")
            assert box["height"] >= 24 and "underline" in style, (query, a.inner_text(), box, style)
        if query == ZERO:
            assert "小东门街道" in links.all_inner_texts()
        violations = w.axe()
        assert violations == [], (query, viewport, violations)
        w.shot(f"search-zero-{viewport}-{len(query)}")
        close(w)


def test_highlights_stop_before_an_ellipsis(bl_chromium, base):
    for viewport in VIEWPORTS:
        for query in ("社区", "居民", "志愿者", "街道"):
            w = search(bl_chromium, base, query, viewport)
            excerpts = w.page.locator("[data-search-results] .bl-hit__excerpt")
            assert excerpts.count(), query
            for i in range(excerpts.count()):
                e = excerpts.nth(i)
                html = e.inner_html()
                # The script's own "…" never follows a cut highlight, nor sits in one.
                assert not re.search(r"</mark>…$", html) or _whole(html, query), (query, html)
                assert "…</mark>" not in html and "<mark>…" not in html
                # Three lines of text fit the clamp: no "…" drawn by the stylesheet inside a highlight.
                clamped = e.evaluate("e => e.scrollHeight > e.clientHeight + 1")
                assert not clamped, (viewport, query, html)
            close(w)


def _whole(html: str, query: str) -> bool:
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    return bool(marks) and query in marks[-1]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_long_queries_end_in_an_ellipsis_not_half_a_character(bl_chromium, base, viewport):
    query = "小东门街道志愿者上门宣传垃圾分类新规并清理楼道堆物的情况" * 2
    w = search(bl_chromium, base, query, viewport)
    w.page.locator("body").click(position={"x": 5, "y": 300})  # nothing focused: the box shows its start
    for box in (".bl-header-search__input", "form[data-search-form] input[name=q]"):
        el = w.page.locator(box).first
        if not el.is_visible():
            continue
        assert el.input_value() == query
        fits = el.evaluate("e => e.scrollWidth <= e.clientWidth")
        overflow = el.evaluate("e => getComputedStyle(e).textOverflow")
        assert fits or overflow == "ellipsis", (box, overflow)
        assert el.get_attribute("title") == query or box != ".bl-header-search__input"
    w.shot(f"search-long-query-{viewport}")
    close(w)
