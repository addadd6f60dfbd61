"""Heavy input from a pull request (issue 26) is linear and bounded: it finishes
within seconds or is refused with one line."""

from __future__ import annotations

import time

import markdown
import pytest
from conftest import bl_article, bl_invoke_in, bl_write_content

from bulletin import model, sanitize
from bulletin.cli import main
from bulletin.model import render_page
from bulletin.site import pages


def test_five_thousand_chips_convert_in_linear_time():
    """Chips are HTML: Python-Markdown took 8.9 s for 400 chips as Markdown links (minutes for 5,000)."""
    links = [(f"街道{i}号", f"streets/s{i}/index.md", 3) for i in range(5000)]
    md = markdown.Markdown(extensions=list(sanitize.MARKDOWN_EXTENSIONS))
    start = time.perf_counter()
    html = pages.resolve_links(md.convert(pages.chips(links)), lambda uri: "../" + uri.removesuffix("index.md"))
    assert time.perf_counter() - start < 5
    assert html.count('class="bl-chip"') == 5000 and 'href="../streets/s4999/"' in html and "bl-src:" not in html


def test_chip_labels_and_targets_are_escaped():
    html = pages.chips([('<img src=x onerror=alert(1)>', 'streets/"x"/index.md', 1)])
    assert "<img" not in html and 'bl-src:streets/&quot;x&quot;/index.md"' in html
    resolved = pages.resolve_links(html, lambda uri: "../" + uri)
    assert 'href="../streets/&quot;x&quot;/index.md"' in resolved


@pytest.mark.parametrize(("field", "value", "says"), [
    ("streets", [f"街道{i}" for i in range(5000)], "streets 有 5000 项，超过上限 100 项"),
    ("programmes", ["长" * 500], "programmes 中的名称过长（500 个字"),
    ("title", "题" * 5000, "title 过长（5000 个字"),
    ("summary", "摘" * 5000, "summary 过长"),
])
def test_front_matter_over_its_limits_is_refused_in_one_line(tmp_path, field, value, says):
    a = bl_article("正常标题", "2021-03-01", ["小东门街道"], [])
    bl_write_content(tmp_path, [a])
    page = next((tmp_path / "content").rglob("*.md"))
    text = page.read_text(encoding="utf-8")
    setattr(a, field, value)
    page.write_text(render_page(a), encoding="utf-8")
    start = time.perf_counter()
    result = bl_invoke_in(tmp_path, main, "check")
    assert time.perf_counter() - start < 5
    assert result.exit_code == 1 and says in result.output, result.output
    assert [line for line in result.output.splitlines() if says in line][0].startswith(str(page.relative_to(tmp_path)))
    assert text  # the page was written


def test_the_limits_leave_room_for_real_pages():
    assert model.MAX_NAMES >= 50 and model.MAX_NAME_CHARS >= 30 and model.MAX_TEXT_CHARS["summary"] >= 300


def test_a_raw_file_of_300000_short_lines_is_refused_at_once(tmp_path):
    from bulletin.importer import rawfile

    raw = tmp_path / "2021-05-28.txt"
    raw.write_text("\n".join("社区活动开展" for _ in range(300_000)), encoding="utf-8")
    start = time.perf_counter()
    result = bl_invoke_in(tmp_path, main, "import", str(raw))
    assert time.perf_counter() - start < 5
    assert result.exit_code == 1 and f"行数过多（300000 行，上限 {rawfile.MAX_LINES} 行" in result.output



HUGE_PARAGRAPH = "社区志愿服务活动在小东门街道举行，居民踊跃参加。" * 40  # ~1,000 characters


@pytest.fixture(scope="module")
def huge_articles_site(tmp_path_factory):
    """Six articles of 2 MB each (issue 26: six 5 MB hits froze the tab for 50 s)."""
    from conftest import bl_build, bl_copy_site_config

    root = tmp_path_factory.mktemp("huge")
    body = "\n\n".join([HUGE_PARAGRAPH] * 2000)
    bl_write_content(root, [bl_article(f"志愿服务第{i}篇", f"2021-05-0{i + 1}", ["小东门街道"], [], source=f"00{i}.txt",
                                       body=body + f"\n\n第{i}篇结束。") for i in range(6)])
    bl_copy_site_config(root)
    start = time.perf_counter()
    proc = bl_build(root)
    assert proc.returncode == 0, proc.stderr
    return root / "site", time.perf_counter() - start


def test_the_index_stores_a_bounded_text_per_article(huge_articles_site):
    import json

    from bulletin.search.format import decode_doc
    from bulletin.search.index import MAX_DOC_TEXT

    site, _ = huge_articles_site
    docs = sorted((site / "search" / "idx" / "d").rglob("*.json.gz"))
    assert len(docs) == 6
    for doc in docs:
        text = json.loads(decode_doc(doc.read_bytes()))["x"]
        assert len(text) <= MAX_DOC_TEXT and text.startswith("社区志愿服务")


@pytest.mark.browser
def test_searching_six_huge_articles_stays_responsive(huge_articles_site):
    from browsing import CHROMIUM, chromium, serve

    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    site, _ = huge_articles_site
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "search/?q=" + "志愿服务", wait_until="load")
        start = time.perf_counter()
        page.wait_for_function("() => document.querySelectorAll('[data-search-results] mark').length >= 6", timeout=20_000)
        took = time.perf_counter() - start
        # the main thread is free: a task posted now runs at once
        lag = page.evaluate("() => new Promise(r => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); })")
    assert took < 5 and lag < 500, (took, lag)


def test_an_imported_page_stays_within_the_limits():
    """However many names a raw article holds, the page the import writes passes check."""
    import datetime as dt

    from bulletin.importer import pipeline
    from bulletin.taxonomy import Taxonomy

    names = "、".join(f"{chr(0x4e00 + i)}{chr(0x4e80 + i)}街道" for i in range(300))
    text = f"社区活动\n\n本报讯 {names}的居民参加了志愿服务。\n"
    result = pipeline.import_text(text, "x.txt", dt.date(2021, 5, 28), Taxonomy())
    assert result.articles
    for a in result.articles:
        for key in model.LIST_KEYS:
            assert len(getattr(a, key)) <= model.MAX_NAMES
        assert model.validate_meta(a.to_meta(), "x.md") == []


def test_the_browser_looks_at_no_more_text_than_the_index_holds():
    import re
    from pathlib import Path

    from bulletin.search.index import MAX_DOC_TEXT

    js = (Path(__file__).parents[1] / "theme" / "assets" / "search-engine.js").read_text(encoding="utf-8")
    assert int(re.search(r"var MAX_TEXT = (\d+);", js).group(1)) == MAX_DOC_TEXT
    assert "slice(0, MAX_TEXT)" in js
    ui = (Path(__file__).parents[1] / "theme" / "assets" / "search.js").read_text(encoding="utf-8")
    assert "excerpt(String(d.x || \"\").slice(0, E.MAX_TEXT)" in ui
