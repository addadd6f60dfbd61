"""No dead ends: every link, script, stylesheet and image of the built example
archive (and every link of its feed and sitemap) reaches a file that exists,
and every #anchor an element of it; a template that prints a missing URL fails
the build."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import jinja2
import pytest
from bulletin.site import view
from conftest import bl_build, bl_copy_site_config, bl_write_content

SITE_URL = "https://bulletin.example.org/"  # conftest.bl_build's
LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action", "source": "src"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if LINKING.get(tag) in attrs:
            self.links.append(attrs[LINKING[tag]] or "")


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, url: str) -> Path | None:
    """The file a site URL is served from (a folder's index.html), or None."""
    path = site / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def dead_links(site: Path) -> list[str]:
    """``file: link`` for every link in ``site`` whose target (or anchor) is missing."""
    base = "http://site.invalid/"
    pages = {p: _read(p) for p in site.rglob("*.html")}
    ids = {p.resolve(): page.ids for p, page in pages.items()}
    found = []
    sources = [(p, page.links) for p, page in pages.items()]
    for xml in ("feed.xml", "sitemap.xml"):
        if (site / xml).exists():
            root = ET.parse(site / xml).getroot()
            hrefs = [el.get("href") for el in root.iter() if el.get("href")]
            hrefs += [el.text for el in root.iter() if el.tag.endswith("}loc") and el.text]
            sources.append((site / xml, hrefs))
    for path, links in sources:
        rel = path.relative_to(site).as_posix()
        here = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        if path.name == "404.html":  # served at any depth: MkDocs writes its links from the root
            here = base
        for link in links:
            if link.startswith(SITE_URL):
                link = base + link[len(SITE_URL):]
            url = urljoin(here, link)
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "data") or (parts.scheme in ("http", "https") and parts.netloc != "site.invalid"):
                continue
            target = _target(site, url)
            if target is None or "None" in posixpath.basename(parts.path.rstrip("/")):
                found.append(f"{rel}: {link}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids.get(target.resolve(), set()):
                found.append(f"{rel}: {link} (no #{unquote(parts.fragment)})")
    return sorted(set(found))


def test_the_example_archive_has_no_dead_link(bl_example_site):
    pages = list(bl_example_site.rglob("*.html"))
    assert len(pages) > 60
    assert dead_links(bl_example_site) == []


def test_the_link_checker_finds_a_dead_link_and_a_dead_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="x">x</p><a href="../b/">b</a><a href="#x">x</a>'
                                               '<a href="../None">n</a><a href="#y">y</a>'
                                               '<a href="https://elsewhere.example/">e</a>', encoding="utf-8")
    assert dead_links(tmp_path) == ["a/index.html: #y (no #y)", "a/index.html: ../None", "a/index.html: ../b/"]


def test_every_street_of_a_continuation_piece_has_its_page(bl_example_site):
    """狼山镇街道 appears only on a continuation piece: its breadcrumb and chip lead to its page."""
    piece = next(p for p in (bl_example_site / "articles").rglob("index.html") if "狼山镇街道" in p.read_text("utf-8"))
    html = piece.read_text(encoding="utf-8")
    assert re.search(r'<a class="bl-chip" href="[^"]*streets/狼山镇街道/">狼山镇街道</a>', html)
    assert re.search(r'class="bl-crumbs">.*<a href="[^"]*streets/狼山镇街道/">狼山镇街道</a>', html, re.S)
    street = (bl_example_site / "streets" / "狼山镇街道" / "index.html").read_text(encoding="utf-8")
    assert "续篇 1 篇" in street and "共 0 篇" not in street and 'id="continued"' in street


def test_a_template_printing_a_missing_url_fails_the_build(tmp_path):
    bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    article = tmp_path / "theme" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "{% set b = bulletin %}", '{% set b = bulletin %}<a href="{{ b.missing | url }}">x</a>', 1), encoding="utf-8")
    proc = bl_build(tmp_path)
    assert proc.returncode != 0 and "没有目标的链接" in proc.stderr


def test_the_url_filter_refuses_none_and_undefined():
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined)
    env.filters["url"] = view.checked_url_filter(jinja2.pass_context(lambda ctx, v: "/" + v))
    assert env.from_string("{{ 'a/' | url }}").render() == "/a/"
    for bad in ("{{ None | url }}", "{{ missing | url }}", "{{ d.x | url }}"):
        with pytest.raises(view.MissingLink):
            env.from_string(bad).render(d={})
