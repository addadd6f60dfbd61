"""Search under ``mkdocs serve`` follows edits: the index is rebuilt for an edited
page, or (a big archive) the search page says in Chinese that it is stale.

Serve is played as MkDocs plays it: one plugin object (it defines on_startup)
and one build after every save, over the sample archive.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from bulletin.site import servesearch
from conftest import bl_copy_site_config, bl_write_content

WORD = "试验新词语"


@pytest.fixture
def session(tmp_path, monkeypatch):
    written = bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["bulletin"]

    def rebuild():
        build(config, serve_url="http://127.0.0.1:8000/")
        return Path(config.site_dir)

    page = tmp_path / "content" / sorted(written)[0]
    return plugin, rebuild, page


@pytest.fixture
def hits(bl_search_node):
    """``hits(site, query)``: what the engine finds in the index as it is now (a fresh
    engine: the index was rebuilt)."""
    return lambda site, query: bl_search_node.search(site / "search" / "idx", query, fresh=True)["urls"]


def search_page(site: Path) -> str:
    return (site / "search" / "index.html").read_text(encoding="utf-8")


def edit_title(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"^title: .*$", f"title: {WORD}", text, count=1, flags=re.M), encoding="utf-8")


def test_small_archive_rebuilds_the_index_for_an_edit(session, hits):
    plugin, rebuild, page = session
    site = rebuild()
    assert hits(site, WORD) == []
    before = plugin._serve_search.built
    site = rebuild()  # a save that changes no article: the index is kept as it is
    assert plugin._serve_search.built is before
    edit_title(page)
    site = rebuild()
    assert len(hits(site, WORD)) == 1
    assert servesearch.NOTICE_CLASS not in search_page(site)


def test_big_archive_says_the_index_is_stale(session, hits):
    plugin, rebuild, page = session
    site = rebuild()
    plugin._serve_search.budget = -1  # as if the first index took longer than a rebuild may
    edit_title(page)
    site = rebuild()
    assert hits(site, WORD) == []
    html = search_page(site)
    assert servesearch.NOTICE_CLASS in html
    assert "之后改动的 1 个页面的新内容在这里还搜不到" in html and "make serve" in html
    page.write_text(page.read_text(encoding="utf-8").replace(WORD, "改回原来的标题"), encoding="utf-8")
    page.unlink()  # a page deleted counts too
    site = rebuild()
    assert "之后改动的 1 个页面" in search_page(site)


def test_taxonomy_edit_rebuilds_even_a_big_index(session, tmp_path):
    plugin, rebuild, _ = session
    rebuild()
    plugin._serve_search.budget = -1
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    site = rebuild()
    assert servesearch.NOTICE_CLASS not in search_page(site)


def test_a_full_build_never_shows_the_notice(bl_built_site):
    assert servesearch.NOTICE_CLASS not in search_page(bl_built_site)
