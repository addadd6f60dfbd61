"""Material's stylesheet cut to what the pages use (site/leancss.py), and the
built site shipping that cut instead of Material's stylesheets and scripts."""

from __future__ import annotations

import gzip
import re

from types import SimpleNamespace as NS

from bulletin.site import assets, leancss
from conftest import bl_build, bl_copy_site_config, bl_write_content

CSS = (
    ":root{--a:red;--b:var(--a);--unused:url(big.svg);--icon:var(--deep)}:root{--deep:1px}"
    ".x{color:var(--b)}.y{color:blue}.x .y{margin:0}.x:not(.y){padding:0}"
    ".z:is(.x,.w){top:0}.z:is(.w){left:0}[dir=rtl] .x{float:right}[dir=ltr] .x{float:left}"
    "[data-t] .x{border:0}#k{width:0}@media (min-width:10em){.y{color:red}.x{color:green}}"
    "@keyframes spin{to{transform:rotate(1turn)}}@keyframes gone{to{opacity:0}}.x{animation:spin 1s}"
    "html{font-size:125%}.x::before{content:\"\"}.x{mask:var(--icon)}"
)


def used(html: str = "", template: str = "") -> leancss.Used:
    u = leancss.Used()
    u.add_html(html)
    u.add_template(template)
    return u


def test_only_rules_a_page_can_match_are_kept():
    out = leancss.trim(CSS, used('<p dir="ltr" class="x z">'))
    assert ".x{color:var(--b)}" in out and ".x:not(.y){padding:0}" in out and ".z:is(.x,.w){top:0}" in out
    assert ".y{" not in out and ".x .y" not in out and ".z:is(.w)" not in out and "#k" not in out
    assert "[dir=ltr] .x{float:left}" in out and "[dir=rtl]" not in out and "[data-t]" not in out
    assert "@media (min-width:10em){.x{color:green}}" in out  # the group keeps its matching rule only
    assert "html{font-size:125%}" in out and '.x::before{content:""}' in out


def test_custom_properties_and_keyframes_nobody_reads_go():
    out = leancss.trim(CSS, used('<i class="x">'))
    assert "--a:red" in out and "--b:var(--a)" in out  # read through another property
    assert "--icon:var(--deep)" in out and "--deep:1px" in out
    assert "--unused" not in out and "big.svg" not in out
    assert "@keyframes spin" in out and "@keyframes gone" not in out


def test_a_template_fills_an_attribute_so_any_value_may_match():
    u = used(template='<html dir="{{ dir }}"><b class="x">')
    out = leancss.trim(CSS, u)
    assert "[dir=rtl] .x" in out and "[dir=ltr] .x" in out


def test_templates_are_followed_through_extends_include_and_import():
    sources = {"a.html": '{% extends "b.html" %}', "b.html": '{%- include "c.html" %}{% import "x.html" as x %}',
               "c.html": '<div class="from-c">'}

    def source(name):
        if name not in sources:
            raise LookupError(name)
        return sources[name]

    u = leancss.Used()
    leancss.add_templates(u, ["a.html"], source)
    assert "from-c" in u.words


def test_partials_included_only_for_a_nav_with_sections_or_a_repository_are_not_scanned():
    config = NS(repo_url=None, extra={})
    flat = NS(items=[NS(children=None), NS(children=None)])
    assert assets.not_included(config, flat) == {"partials/nav.html", "partials/tabs.html", "partials/source.html",
                                                 "partials/feedback.html"}
    sections = NS(items=[NS(children=[NS()]), NS(children=None)])
    config = NS(repo_url="https://example.org/r", extra={"analytics": {"feedback": {}}})
    assert assets.not_included(config, sections) == set()


def _stylesheets(site):
    return sorted(p.relative_to(site).as_posix() for p in (site / "assets").rglob("*") if p.suffix in (".css", ".js"))


def test_the_site_ships_the_lean_stylesheet_and_none_of_materials_scripts(bl_built_site):
    shipped = _stylesheets(bl_built_site)
    lean = [p for p in shipped if re.fullmatch(r"assets/stylesheets/material\.[0-9a-f]{8}\.css", p)]
    assert len(lean) == 1 and not [p for p in shipped if "javascripts" in p or "main." in p or "palette." in p]
    css = (bl_built_site / lean[0]).read_bytes()
    assert len(gzip.compress(css)) < 7_000  # Material's two: 24.5 KB gzip
    assert b".md-nav--secondary" in css and b".md-nav--primary" not in css  # the contents, not the side nav
    assert b".md-header{" in css and b".md-tabs{" in css and b".md-typeset h1" in css
    assert b".md-search" not in css and b".md-dialog" not in css and b"[dir=rtl]" not in css and b".md-button" not in css
    for page in bl_built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert lean[0] in html and "bundle." not in html and "__md_" not in html, page


def test_a_class_an_editor_writes_keeps_materials_rule_for_it(tmp_path):
    """Material styles what Markdown extensions make only where a page has it:
    here an attr_list button on a plain page."""
    bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    (tmp_path / "content" / "about.md").write_text("# 关于\n\n[搜索](search/index.md){ .md-button }\n", encoding="utf-8")
    assert bl_build(tmp_path).returncode == 0
    [lean] = (tmp_path / "site" / "assets" / "stylesheets").glob("material.*.css")
    assert ".md-typeset .md-button{" in lean.read_text(encoding="utf-8")
