"""A pull request's worst: tests/hostile/ (scripts in names, titles, summaries,
the taxonomy and bodies; a NUL and a zero-width space; a symlink to a secret).
No hostile markup may reach site/; the feed stays well-formed XML."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from conftest import MKDOCS

# Never in an archive page (the theme's own icons are inline <svg> without handlers).
DANGEROUS_TAGS = {"iframe", "object", "embed", "math", "frame", "base", "style"}


class Audit(HTMLParser):
    """Everything in one HTML page that could run a script or that came from the hostile pages."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script = False

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            v = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and v.startswith(("javascript:", "data:text", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")
        # a JSON data block (the search page's links) is not run: its text is data, escaped as such
        self.script = tag == "script" and dict(attrs).get("type") != "application/json"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.script = False

    def handle_data(self, data):
        if self.script and "alert" in data:
            self.found.append(f"<script>{data[:60]}")


def mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``mkdocs build`` (not strict unless asked) in ``root``."""
    return subprocess.run([str(MKDOCS), "build", *args], cwd=root, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def audit(html: str) -> list[str]:
    a = Audit()
    a.feed(html)
    a.close()
    return a.found


def test_the_audit_finds_what_it_looks_for():
    """The audit itself is not blind: each attack is found in unsanitised HTML."""
    for attack in ('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href=" javascript:x">',
                   '<iframe src="x"></iframe>', '<details ontoggle=alert(1)>', '<svg onload=alert(1)>',
                   '<form action="javascript:alert(1)"></form>'):
        assert audit(attack), attack


def test_no_hostile_markup_in_any_page(bl_hostile_site):
    pages = sorted(bl_hostile_site.rglob("*.html"))
    assert len(pages) >= 10
    found = {str(p.relative_to(bl_hostile_site)): audit(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in found.items() if v} == {}
    # and the hostile text is still there, shown as text
    article = (bl_hostile_site / "articles/2021/2021-05-28-hostile-1/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in article or "&lt;script&gt;alert('title')" in article
    assert "<b>粗体</b>" in article  # harmless HTML is kept
    assert 'href="https://example.org/"' in article


def test_titles_from_headings_are_escaped_once(bl_hostile_site):
    page = (bl_hostile_site / "heading" / "index.html").read_text(encoding="utf-8")
    assert "<title>甲 &amp; 乙 &lt; 丙 - " in page


def test_meta_tags_of_generated_pages_are_escaped(bl_hostile_site):
    street = next((bl_hostile_site / "streets").glob("script-*/index.html")).read_text(encoding="utf-8")
    assert '<meta name="description" content="&#34;&gt;&lt;script&gt;' in street
    assert "<title>&#34;&gt;&lt;script&gt;" in street or "<title>&quot;&gt;&lt;script&gt;" in street


def test_zero_width_and_nul_leave_one_street_and_a_clean_title(bl_hostile_site):
    streets = sorted(p.name for p in (bl_hostile_site / "streets").iterdir() if p.is_dir())
    assert streets.count("石港镇") == 1 and not [s for s in streets if "石港" in s and s != "石港镇"]
    page = (bl_hostile_site / "articles/2021/2021-05-28-hostile-2/index.html").read_text(encoding="utf-8")
    assert "标题里有空字符和零宽空格" in page and "\x00" not in page and "\u200b" not in page


def test_feed_is_well_formed_xml_with_the_hostile_text_as_text(bl_hostile_site):
    ET.parse(bl_hostile_site / "sitemap.xml")  # the hostile file name's URL too
    root = ET.parse(bl_hostile_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in root.findall("a:entry/a:title", ns)]
    assert "\"><script>alert('title')</script>" in titles
    assert "标题里有空字符和零宽空格" in titles


def test_symlink_refused_and_the_secret_never_published(bl_hostile_project, tmp_path):
    root, secret = bl_hostile_project
    link = root / "content" / "leak.txt"
    if not link.is_symlink():  # the site fixture removed it already
        link.symlink_to(secret)
    try:
        proc = mkdocs(root)
        assert proc.returncode != 0
        assert "content/leak.txt:1: 错误：是符号链接" in proc.stderr
        assert "Traceback" not in proc.stderr
        site = root / "site"
        leaked = [p for p in site.rglob("*") if p.is_file() and b"SECRET-TOKEN-7f3a9c" in p.read_bytes()] if site.exists() else []
        assert leaked == []
        # a symlinked folder too: MkDocs would follow it (os.walk(followlinks=True))
        link.unlink()
        link.symlink_to(secret.parent, target_is_directory=True)
        proc = mkdocs(root)
        assert proc.returncode != 0 and "是符号链接" in proc.stderr
    finally:
        link.unlink()
    # the theme's folder is published too
    (root / "theme" / "assets" / "leak.txt").symlink_to(secret)
    try:
        proc = mkdocs(root)
        assert proc.returncode != 0 and "theme/assets/leak.txt:1: 错误：是符号链接" in proc.stderr
    finally:
        (root / "theme" / "assets" / "leak.txt").unlink()
    # the docs folder itself
    (root / "content").rename(root / "real-content")
    try:
        (root / "content").symlink_to(secret.parent, target_is_directory=True)
        proc = mkdocs(root)
        assert proc.returncode != 0 and "docs_dir: 应在项目目录之内" in proc.stderr  # the symlink points outside
    finally:
        (root / "content").unlink()
        (root / "real-content").rename(root / "content")


def test_strict_build_fails_on_unsafe_html_naming_file_and_line(bl_hostile_site):
    root = bl_hostile_site.parent
    proc = mkdocs(root, "--strict", "-d", str(root / "strict-site"))
    assert proc.returncode != 0
    assert "2021-05-28-hostile-1.md:19: 错误：正文中的 <script> 标签 会在发布时被删除" in proc.stderr
    assert "content/notes.md:11: 错误：正文中的 <script> 标签 会在发布时被删除" in proc.stderr  # not an article


def test_ids_from_content_are_prefixed(bl_hostile_site):
    """`<p id="__config">` shadowed Material's configuration; `{#search}` and `<a name>` clobber globals too."""
    html = (bl_hostile_site / "articles/2021/2021-05-28-hostile-2/index.html").read_text(encoding="utf-8")
    assert 'id="__config"' not in html  # the frame has no configuration block any more (no Material script)
    assert 'id="user-content-__config"' in html and 'id="user-content-search"' in html
    assert 'name="user-content-__md_scope"' in html and 'name="__md_scope"' not in html


def test_links_to_prefixed_ids_still_match(tmp_path):
    """Headings, the table of contents and links to a heading agree after prefixing."""
    from conftest import bl_article, bl_build, bl_copy_site_config, bl_src_uri, bl_write_content

    a = bl_article("有小标题的文章", "2021-03-01", ["小东门街道"], [], body="## 第一部分 {#part-1}\n\n见[下文](#part-2)。\n\n## 第二部分 {#part-2}\n\n正文。\n")
    bl_write_content(tmp_path, [a])
    bl_copy_site_config(tmp_path)
    proc = bl_build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "site" / bl_src_uri(a)[:-3] / "index.html").read_text(encoding="utf-8")
    assert 'id="user-content-part-2"' in html and 'href="#user-content-part-2"' in html
    assert 'id="part-2"' not in html and 'href="#part-2"' not in html
