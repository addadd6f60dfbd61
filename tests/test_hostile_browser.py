"""The Bar of issue 16 in real Chromium: a site built from tests/hostile/ runs
no script on any page (articles, street and programme pages, home, search with
hostile queries, the feed). Any dialog (alert, confirm, prompt) fails the test."""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import quote

import pytest
from browsing import ARGS, CHROMIUM
from browsing import Handler as _Handler

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)"),
]


@pytest.fixture(scope="module")
def hostile_browser(bl_hostile_site):
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(bl_hostile_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.type} {d.message}"), d.dismiss()))
        yield page, dialogs, f"http://127.0.0.1:{server.server_port}/"
        browser.close()
    server.shutdown()
    server.server_close()


def _visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(150)  # let onload, timers and the search script run
    page.evaluate("""() => {
      for (const s of document.querySelectorAll("summary")) if (s.click) s.click();  // <details ontoggle=…>
      for (const e of document.querySelectorAll("article *, .md-content *"))  // onmouseover=…, onclick=…
        for (const type of ["mouseover", "focus"]) e.dispatchEvent(new Event(type, {bubbles: true}));
    }""")
    page.wait_for_timeout(50)


def test_a_dialog_is_noticed(hostile_browser):
    """The watcher is not blind: a script that does run is caught."""
    page, dialogs, _ = hostile_browser
    page.set_content("<script>alert('canary')</script>")
    assert dialogs and "canary" in dialogs.pop()


def test_no_script_runs_on_any_page(hostile_browser, bl_hostile_site):
    page, dialogs, base = hostile_browser
    urls = sorted(str(p.relative_to(bl_hostile_site).parent) for p in bl_hostile_site.rglob("index.html"))
    assert any(u.startswith("streets/") for u in urls) and any(u.startswith("programmes/") for u in urls)
    for url in urls:
        _visit(page, base + ("" if url == "." else quote(url) + "/"))
    _visit(page, base + "feed.xml")
    _visit(page, base + "no-such-page/")  # the 404 page
    assert dialogs == []


@pytest.mark.parametrize("query", ["script", "alert", "<img src=x onerror=alert(1)>", "石港镇", "svg onload", "零宽"])
def test_no_script_runs_in_search_results(hostile_browser, query):
    page, dialogs, base = hostile_browser
    _visit(page, base + "search/?q=" + quote(query))
    page.wait_for_timeout(300)
    facets = page.eval_on_selector_all(".bl-facet__value", "links => links.map(a => a.href)")
    for href in facets[:6]:  # filtered by a hostile street or programme name
        _visit(page, href)
        page.wait_for_timeout(150)
    assert dialogs == []


def test_content_ids_do_not_shadow_the_page_globals(hostile_browser):
    """issue 26: a paragraph with id="__config" took the place of Material's configuration."""
    page, dialogs, base = hostile_browser
    _visit(page, base + "articles/2021/2021-05-28-hostile-2/")
    # the frame has no configuration block any more (no Material script reads one); the content's id is prefixed
    assert page.evaluate("() => document.getElementById('__config') === null")
    assert page.evaluate("() => document.getElementById('user-content-__config').tagName") == "P"
    assert page.evaluate("() => typeof window.search === 'undefined' || !(window.search instanceof HTMLElement)")
    assert dialogs == []
