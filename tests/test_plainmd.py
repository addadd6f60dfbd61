"""The fast path for plain article bodies gives exactly Python-Markdown's HTML."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from bulletin import model
from bulletin.sanitize import clean
from bulletin.site.plainmd import cleaned, paragraphs_html
from hypothesis import example, given, settings
from hypothesis import strategies as st
from conftest import bl_example_archive

ROOT = Path(__file__).resolve().parents[1]


def _extensions():
    conf = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    names, configs = [], {}
    for ext in conf["markdown_extensions"]:
        name, cfg = next(iter(ext.items())) if isinstance(ext, dict) else (ext, {})
        names.append(name)
        configs[name] = cfg or {}
    return names, configs


EXTENSIONS, CONFIGS = _extensions()


def reference(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS).convert(text)


def test_every_example_article_body():
    bodies = [model.split_page(p.read_text(encoding="utf-8"), p)[1]
              for p in sorted((bl_example_archive() / "content").rglob("*.md")) if "articles" in p.parts]
    assert bodies
    fast = [b for b in bodies if paragraphs_html(b) is not None]
    assert len(fast) >= len(bodies) * 0.6, "most imported bodies take the fast path (the rest have subheads, emphasis ...)"
    for body in fast:
        assert paragraphs_html(body) == reference(body)


@pytest.mark.parametrize("text", [
    "# 标题", "一段\n- 列表", "1. 第一", "正文  \n换行", "　全角空格开头", "> 引用", "a *b* c", "[链接](x)",
    "<b>粗</b>", "A &amp; B", "正文\n===", "正文\n---", "\t缩进", "    代码", "段落{: .x }", "一\n\n\n二",
    "转义\\>", "转义\\a", "转义\\\\*", "`代码`", "尾随空格 ", "尾随全角　",
])
def test_markdown_syntax_takes_the_slow_path(text):
    assert paragraphs_html(text) is None


PIECES = st.sampled_from(list("小东门街道，。“”：；（）！？、0123456789.-+=>*#_[]<&{}~|!:() \n\n\t　aZ\"'") + [
    "\\", "\\*", "\\_", "\\#", "\\.", "\\-", "\\[", "\\{", "\\`", "\\>", "\xa0", "\u200b", "\ufeff", "\u2028", "\U0001f600", "\ufffd"])  # escapes too


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60).map("".join))
@example("一段。\n第二行\n\n第二段：9:30，“引号”(括号) 党建+楼院 2.0 版!")
@example("开展了 \\*\\*地毯式安全检查\\*\\*, 查出\n1\\. 第一\n\n\\# 不是标题 \\\\ 反斜杠")
def test_same_html_as_python_markdown(text):
    html = paragraphs_html(text)
    if "\\*\\*地毯" in text:
        assert html is not None  # escaped asterisks take the fast path
    if html is not None:
        assert html == reference(text)
        assert cleaned(html) == clean(html)  # the plugin publishes it without sanitize.clean
