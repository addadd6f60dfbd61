"""What a resident meets reading the example archive in Chromium, phone (390×844)
and desktop (1280): no dead end, streets in the order residents look them up,
a comfortable measure, issue counts that add up, a keyboard path, a light page."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browsing import DESKTOP, MARKS, PHONE, Watched, serve
from bulletin.site.collate import pinyin_key

pytestmark = MARKS
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
CONTINUED_STREET = "狼山镇街道"  # the example archive's street that only a continuation piece names


@pytest.fixture(scope="module")
def base(bl_example_site):
    with serve(bl_example_site) as url:
        yield url


def page_types(site: Path) -> dict[str, str]:
    """One page of each type, by its path under the site."""
    articles = sorted((site / "articles").rglob("index.html"), key=lambda p: p.stat().st_size)
    piece = next(p for p in articles if CONTINUED_STREET in p.read_text(encoding="utf-8"))
    as_path = lambda p: p.parent.relative_to(site).as_posix() + "/"  # noqa: E731
    return {
        "home": "", "streets": "streets/", "street": "streets/小东门街道/", "programmes": "programmes/",
        "programme": "programmes/河长制/", "archive": "archive/", "month": "archive/2021/05/",
        "issue": "issues/2021-05-28/", "article": as_path(articles[-1]), "fragment": as_path(piece),
        "search": "search/?q=街道", "subscribe": "subscribe/", "404": "no/such/page/",
    }


def test_a_continuation_pieces_street_is_a_page_reached_from_its_breadcrumb_and_chip(bl_chromium, base, bl_example_site):
    w = Watched(bl_chromium, base, PHONE)
    piece = page_types(bl_example_site)["fragment"]
    for way in (".bl-crumbs a", "dl.bl-tags a.bl-chip"):
        w.goto(piece)
        link = w.page.locator(way, has_text=CONTINUED_STREET)
        assert link.evaluate("a => a.tagName") == "A"
        link.click()
        w.page.wait_for_load_state("load")
        assert w.h1() == CONTINUED_STREET, way
        assert unquote(urlsplit(w.page.url).path) == f"/streets/{CONTINUED_STREET}/"
        assert w.page.locator("#continued ~ .bl-list .bl-item__title a").count() == 1  # and back to the piece
    assert w.errors == []


def test_streets_are_grouped_by_city_and_district_in_pinyin_order(bl_chromium, base):
    w = Watched(bl_chromium, base, PHONE)
    w.goto("")
    select = w.page.locator("select#bl-street")
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "请选择街道"
    groups = select.locator("optgroup").evaluate_all("gs => gs.map(g => [g.label, [...g.children].map(o => o.text)])")
    labels = [tuple(label.split(" · ")) for label, _ in groups]
    assert labels == sorted(labels, key=lambda cd: (pinyin_key(cd[0]), pinyin_key(cd[1])))
    assert [c for c, _ in labels][:4] == ["南通市", "南通市", "南通市", "平顶山市"]  # each city once, together
    for _, options in groups:
        names = [o.rsplit("（", 1)[0] for o in options]
        assert names == sorted(names, key=pinyin_key)
    w.page.get_by_role("button", name="前往").click()  # no street chosen: the list of all streets
    w.page.wait_for_load_state("load")
    assert w.h1() == "街道"
    headings = w.page.locator("article h2, article h3").evaluate_all("hs => hs.map(h => [h.tagName, h.textContent])")
    cities = [t for tag, t in headings if tag == "H2"]
    assert cities == sorted(cities, key=pinyin_key) and len(cities) == len(set(cities)) == 4
    assert w.errors == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_reading_comfort(bl_chromium, base, bl_example_site, viewport):
    """Article lines of at most 40 characters, 14 px for the lines residents scan
    for their street, and one content column start on every page type."""
    w = Watched(bl_chromium, base, VIEWPORTS[viewport])
    starts = {}
    for name, path in page_types(bl_example_site).items():
        w.goto(path)
        if name == "search":
            w.page.wait_for_selector("[data-search-results][data-search-state=done]", state="attached", timeout=15_000)
        starts[name] = round(w.page.locator("article h1").first.bounding_box()["x"])
        sizes = w.page.eval_on_selector_all(".bl-item__meta, .bl-crumbs, .bl-article__meta, .bl-source, .bl-neighbour time",
                                            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes, default=14) >= 14, (name, sizes)
        if name == "article":
            measure = w.page.eval_on_selector_all(".bl-article__body p", """ps => ps.map(p => {
                const s = getComputedStyle(p); return (p.clientWidth - parseFloat(s.paddingLeft)
                  - parseFloat(s.paddingRight)) / parseFloat(s.fontSize); })""")
            assert measure and max(measure) <= 40 and (viewport == "phone" or min(measure) >= 34), measure
    assert len(set(starts.values())) == 1, starts


def test_an_issue_pages_count_and_numbers_add_up(bl_chromium, base):
    w = Watched(bl_chromium, base, DESKTOP)
    w.goto("issues/2021-05-28/")
    count = int(re.search(r"共 (\d+) 篇", w.page.locator(".bl-lead").first.inner_text()).group(1))
    marks = w.page.locator(".bl-issue__pos").all_inner_texts()
    numbers = [int(re.search(r"\d+", m).group()) for m in marks if "之" not in m and m != "续"]
    assert numbers == list(range(1, count + 1)) and "续" in marks
    first = w.page.locator(".bl-issue li", has_text="第 3 篇").locator("a").first
    first.click()
    w.page.wait_for_load_state("load")
    assert "第 3 篇" in w.page.locator(".bl-source").inner_text()  # the article says the same


def _contrast(a: tuple, b: tuple) -> float:
    def lum(c):
        c = [v / 255 for v in c]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


FOCUS_RING = """el => {
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  const grow = parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
  const ring = {left: r.left - grow, right: r.right + grow, top: r.top - grow, bottom: r.bottom + grow};
  let clipped = false, bg = null;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const ps = getComputedStyle(p);
    if (!bg && ps.backgroundColor !== 'rgba(0, 0, 0, 0)') bg = ps.backgroundColor;
    if (ps.overflowX !== 'visible' || ps.overflowY !== 'visible' || ps.contain.includes('paint') || ps.contain.includes('content')) {
      const c = p.getBoundingClientRect();
      clipped = clipped || ring.left < c.left || ring.right > c.right || ring.top < c.top || ring.bottom > c.bottom;
    }
  }
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, bg, clipped};
}"""


def _rgb(css: str) -> tuple:
    return tuple(int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_keyboard_skip_link_and_a_visible_focus_ring_on_the_tab_bar(bl_chromium, base, viewport):
    w = Watched(bl_chromium, base, VIEWPORTS[viewport])
    w.goto("archive/")
    w.page.keyboard.press("Tab")
    skip = w.page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
        return [a.textContent, a.getAttribute('href'), r.top >= 0 && r.bottom <= innerHeight && r.width > 0]; }""")
    assert skip == ["跳到正文", "#bl-main", True]
    w.shot(f"reading-skip-link-{viewport}")
    w.page.keyboard.press("Enter")
    assert w.page.evaluate("document.activeElement.id") == "bl-main"
    w.page.keyboard.press("Tab")  # from the start of the content, not the header again
    assert w.page.evaluate("!!document.activeElement.closest('article')")
    w.goto("archive/")
    tabs = w.page.locator(".md-tabs__link")
    for i in range(tabs.count()):
        tabs.nth(i).focus()
        w.page.keyboard.press("Shift+Tab")
        w.page.keyboard.press("Tab")  # focused by the keyboard: :focus-visible
        ring = tabs.nth(i).evaluate(FOCUS_RING)
        assert ring["style"] != "none" and ring["width"] >= 2 and not ring["clipped"], ring
        assert _contrast(_rgb(ring["color"]), _rgb(ring["bg"])) >= 3, ring
    w.shot(f"reading-tab-focus-{viewport}")
def test_an_article_page_is_light(bl_chromium, base, bl_example_site):
    """What a first visit to the longest article downloads, gzip as a static host
    sends it: at most 45 KB; Material's bundle.js and full stylesheet not among it."""
    w = Watched(bl_chromium, base, PHONE)
    loaded: list[str] = []
    w.page.on("requestfinished", lambda r: loaded.append(r.url))
    w.goto(page_types(bl_example_site)["article"])
    w.page.wait_for_load_state("networkidle")
    total = 0
    for url in loaded:
        path = bl_example_site / unquote(urlsplit(url).path).lstrip("/")
        path = path / "index.html" if path.is_dir() else path
        total += len(gzip.compress(path.read_bytes(), 6))
    names = [urlsplit(u).path for u in loaded]
    assert not [n for n in names if re.search(r"bundle\.\w+\.min\.js|/main\.\w+\.min\.css|palette\.", n)], names
    assert total <= 45_000, (total, names)
    assert w.errors == []
