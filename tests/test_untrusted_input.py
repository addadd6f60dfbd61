"""Issue 16: pages, taxonomy, mkdocs.yml and raw files from a pull request are
untrusted. Each refusal is one line naming file and line, never a traceback
or a crash, and every consumer (check, build, import, retag) refuses alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bulletin import project, safeyaml, sanitize
from bulletin.clean import clean_name, clean_text, xml_chars
from bulletin.editing import markup
from bulletin.editing.check import check_taxonomy_file
from bulletin.model import Article, render_page
from bulletin.site import feed, index, options, pages, searchpage
from bulletin.taxonomy import TaxonomyError, load_taxonomy, read_taxonomy
from conftest import EXAMPLE_RAW, TAXONOMY, bl_article, bl_build, bl_copy_site_config, bl_write_content

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
HEAD = "---\ntitle: 标题\ndate: 2021-05-27\nissue_date: 2021-05-28\nstreets: [任港街道]\nprogrammes: []\nauthors: []\nsource: raw/a.txt\n"


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines)


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    """A real process: a segfault in the YAML loader shows as a negative exit code."""
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


# --------------------------------------------------------------------------- YAML limits


@pytest.mark.parametrize("name, front, line, words", [
    ("laughs", HEAD.replace("title: 标题\n", "") + billion_laughs() + "\ntitle: *j\n", 8, "不支持 YAML 锚点和别名"),
    ("deep", HEAD.replace("title: 标题", "title: " + "[" * 50_000 + "]" * 50_000), 2, "YAML 嵌套过深"),
    ("deep-map", HEAD + "summary: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", 9, "YAML 嵌套过深"),
    ("merge", HEAD + "x: &x {kind: brief}\n<<: *x\n", 9, "不支持 YAML 锚点和别名"),
])
def test_check_answers_hostile_yaml_with_one_line_within_seconds(tmp_path, name, front, line, words):
    page = tmp_path / "content" / "articles" / "2021" / f"{name}.md"
    page.parent.mkdir(parents=True)
    page.write_text(front + "---\n\n正文。\n", encoding="utf-8")
    start = time.monotonic()
    proc = run("bulletin", "check", "content", cwd=tmp_path)
    assert time.monotonic() - start < 10
    assert proc.returncode == 1, proc.stderr  # not a crash (negative) nor a pass
    assert proc.stdout.splitlines() == [f"content/articles/2021/{name}.md:{line}: 错误：" + proc.stdout.split("错误：", 1)[1].strip()]
    assert words in proc.stdout and "Traceback" not in proc.stderr


def test_build_refuses_hostile_yaml_with_file_and_line(tmp_path):
    bl_write_content(tmp_path, [bl_article("好文章", "2021-03-01", ["任港街道"], [])])
    bl_copy_site_config(tmp_path)
    bad = tmp_path / "content" / "articles" / "2021" / "deep.md"
    bad.write_text(HEAD.replace("title: 标题", "title: " + "[" * 50_000 + "]" * 50_000) + "---\n\n正文。\n", encoding="utf-8")
    proc = bl_build(tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "content/articles/2021/deep.md:2: 错误：YAML 嵌套过深" in proc.stderr
    bad.unlink()  # a page that is not an article: MkDocs reads its YAML, within the same limits
    (tmp_path / "content" / "about.md").write_text("---\n" + billion_laughs() + "\ntitle: *j\n---\n\n# 关于\n",
                                                  encoding="utf-8")
    proc = bl_build(tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "content/about.md:2: 错误：不支持 YAML 锚点和别名" in proc.stderr


@pytest.mark.parametrize("deep, line", [
    ("- " * 5000 + "x", 13), ("".join("    " * i + "- x\n" for i in range(400)), 63), ("1. " * 600 + "x", 13)])
def test_body_nested_too_deep_is_one_line_for_check_and_build(tmp_path, deep, line):
    bl_write_content(tmp_path, [bl_article("好文章", "2021-03-01", ["小东门街道"], [])])
    bl_copy_site_config(tmp_path)
    bad = tmp_path / "content" / "articles" / "2021" / "deep.md"
    bad.write_text(HEAD + "---\n\n第一段。\n\n" + deep + "\n", encoding="utf-8")
    check = run("bulletin", "check", "content", cwd=tmp_path)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert f"content/articles/2021/deep.md:{line}: 错误：正文的列表或引用嵌套过深" in check.stdout
    bad.rename(tmp_path / "content" / "deep.md")  # not an article: MkDocs converts it all the same
    build = bl_build(tmp_path)
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert f"content/deep.md:{line}: 错误：正文的列表或引用嵌套过深" in build.stderr


def test_ordinary_lists_and_quotes_are_not_too_deep():
    body = "- 甲\n    - 乙\n        1. 丙\n\n> > 引用\n\n" + "- " * 49 + "x\n"
    assert markup.nesting_problems(body, body) == []


def test_guard_leaves_ordinary_yaml_and_syntax_errors_to_the_loader():
    safeyaml.guard("title: '&不是锚点' \nstreets: [a, '*b']\nx: {y: [1, 2]}\n", 1000)
    safeyaml.guard("x: [\n", 1000)  # the loader reports it, in its own words
    safeyaml.guard("x: " + "[" * 99 + "]" * 99, 1000)  # 100 levels with the mapping: the limit
    with pytest.raises(safeyaml.YamlLimitError):
        safeyaml.guard("x: " + "[" * 100 + "]" * 100, 1000)
    with pytest.raises(safeyaml.YamlLimitError):  # block nesting counts too
        safeyaml.guard("".join(" " * i + "- \n" for i in range(120)).replace("- \n", "-\n"), 10_000)
    with pytest.raises(safeyaml.YamlLimitError):
        safeyaml.guard("- " * 150 + "x\n", 1000)


# --------------------------------------------------------------------------- taxonomy schema


@pytest.mark.parametrize("text, line, words", [
    ("streets: 5\n", 1, "街道应为列表"),
    ('streets: "石港镇"\n', 1, "街道应为列表"),
    ("streets:\n  - name: 石港镇\n    district: [a, b]\n", 3, "district 应为一个名称"),
    ("streets:\n  - name: 石港镇\n    aliases: 石港\n", 3, "aliases 应为列表"),
    ("streets:\n  - name: 石港镇\n    alias: [石港]\n", 3, "未知字段 alias"),
    ("street:\n  - 石港镇\n", 1, "未知字段 street"),
    ("streets:\n  - {district: 通州区}\n", 2, "缺少 name"),
    ("streets:\n  - [石港镇]\n", 2, "每一项应为名称"),
    ("streets:\n  - 石港镇\n  - 石港镇\n", 3, "重复"),
    ("streets:\n  - 石港镇\n  - {name: 石港, aliases: [石港镇]}\n", 3, "同时指向"),
    ("streets:\n  - &a 石港镇\n  - *a\n", 2, "不支持 YAML 锚点和别名"),
    ("- 石港镇\n", 1, "应包含 streets 和 programmes"),
    ("streets:\n  - {name: 甲\n", 3, "YAML 格式错误"),
])
def test_taxonomy_schema_names_the_real_line(tmp_path, text, line, words):
    path = tmp_path / "taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    tax, problems = check_taxonomy_file(path)
    assert tax is None and problems, text
    assert (problems[0].line, problems[0].is_error) == (line, True), str(problems[0])
    assert words in problems[0].message


def test_taxonomy_not_utf8_or_a_folder(tmp_path):
    path = tmp_path / "taxonomy.yml"
    path.write_bytes("streets:\n  - 石港镇\n".encode("gb18030"))
    [p] = check_taxonomy_file(path)[1]
    assert p.line == 2 and "不是 UTF-8" in p.message
    path.unlink()
    path.mkdir()
    [p] = check_taxonomy_file(path)[1]
    assert "是目录" in p.message


def test_string_section_is_not_read_as_characters():
    with pytest.raises(TaxonomyError):
        read_taxonomy('streets: "石港镇"\n')
    tax = read_taxonomy("streets: [石港镇]\n")
    assert list(tax.streets) == ["石港镇"] and tax.find_streets("石港镇召开会议") == ["石港镇"]


AMBIGUOUS = TAXONOMY + "  - {name: 文明城市, aliases: [全国文明城市创建]}\n"


def test_every_consumer_refuses_what_check_refuses(tmp_path):
    """Check, build, import and retag: the same taxonomy problem, the same line."""
    bl_write_content(tmp_path, [bl_article("好文章", "2021-03-01", ["小东门街道"], [])])
    bl_copy_site_config(tmp_path)
    (tmp_path / "taxonomy.yml").write_text(AMBIGUOUS, encoding="utf-8")
    expected = "taxonomy.yml:11: programmes 中的名称「全国文明城市创建」同时指向"
    check = run("bulletin", "check", cwd=tmp_path)
    assert check.returncode == 1 and expected.replace(":11: ", ":11: 错误：") in check.stdout
    build = bl_build(tmp_path)
    assert build.returncode == 1 and expected in build.stderr
    retag = run("bulletin", "retag", cwd=tmp_path)
    assert retag.returncode == 1 and expected in retag.stderr
    (tmp_path / "raw.txt").write_text((EXAMPLE_RAW / "003.txt").read_text(encoding="utf-8"), encoding="utf-8")
    imp = run("bulletin", "import", "raw.txt", "--issue-date", "2021-05-28", cwd=tmp_path)
    assert imp.returncode == 1 and expected in imp.stderr
    for proc in (check, build, retag, imp):
        assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- names and titles


def test_invisible_characters_leave_names_and_titles():
    assert clean_name("石港\u200b镇") == clean_name("石港镇 ") == clean_name("石港\u2060镇\u0000") == "石港镇"
    assert clean_name("石港镇\u00a0\u3000街道") == "石港镇 街道"
    assert clean_name("１２３") == "123"  # NFKC: one spelling of a name
    assert clean_text("标题：（图）\u200b\x00\x1b") == "标题：（图）"  # titles keep full-width punctuation
    assert clean_text("甲\n乙\u2028丙") == "甲 乙 丙"


def test_one_street_page_whatever_invisible_characters_it_carries():
    arts = [bl_article("一", "2021-03-01", ["石港镇"], []), bl_article("二", "2021-03-02", ["石港\u200b镇"], []),
            bl_article("三", "2021-03-03", ["\ufeff石港镇\u00ad"], [])]
    idx = index.collect({f"articles/2021/{i}.md": render_page(a) for i, a in enumerate(arts)})
    assert list(idx.streets) == ["石港镇"] and len(idx.streets["石港镇"].entries) == 3


def test_search_page_data_is_inert_whatever_the_names_hold():
    """The search page carries every street's and programme's page as JSON in a
    <script>: a name cannot end it or start markup."""
    hostile = '石港</script><script>alert(1)</script><!--镇'
    arts = [bl_article("一", "2021-03-01", [hostile], ["项目&amp;<b>"])]
    idx = index.collect({"articles/2021/a.md": render_page(arts[0])})
    text = searchpage.search_page(pages.Layout(), idx)
    block = text.split("<script type=\"application/json\" data-search-pages>", 1)[1]
    data, rest = block.split("</script>", 1)
    assert "<" not in data and ">" not in data and rest.strip() == ""
    got = json.loads(data)
    assert [n for n, _ in got["streets"]] == list(idx.streets) and [n for n, _ in got["programmes"]] == list(idx.programmes)


def test_feed_is_well_formed_whatever_the_titles_hold():
    hostile = "甲\x00乙\x1b\ufffe丙 ]]> <![CDATA[ & </title><script>"
    a = Article(title=hostile, date=bl_article("x", "2021-03-01").date, issue_date=bl_article("x", "2021-03-01").date,
                source="raw/\x00.txt", authors=[hostile], streets=[hostile], summary=hostile)
    entry = index.Entry(a, "articles/a.md")
    xml = feed.atom_feed([entry], title="站\x07点", site_url="https://x.org/", feed_url="https://x.org/feed.xml",
                         url_of=lambda e: "https://x.org/a/")
    root = ET.fromstring(xml.encode("utf-8"))
    title = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text
    assert title == xml_chars(hostile) == "甲乙丙 ]]> <![CDATA[ & </title><script>"


def test_generated_page_front_matter_survives_any_name():
    """The YAML a generated page starts with reads back as the name, whatever it holds."""
    for name in ['"><script>', "a\\b", 'x"\ny', "key: value", "- 1", "# c", "\u2028\x85\t", "a" * 70_000]:
        text = pages.page(name, "body", description=name)
        meta = yaml.safe_load(text.split("---")[1])
        assert meta["title"] == name and meta["description"] == name


# --------------------------------------------------------------------------- body sanitiser


ATTACKS = {
    "<script>alert(1)</script>": "<script>",
    '<iframe src="javascript:alert(1)"></iframe>': "<iframe>",
    "<svg onload=alert(1)>": "<svg>",
    "<details ontoggle=alert(1) open>x</details>": "ontoggle",
    "![i](x.png){ onerror=alert(1) }": "onerror",
    "[x](javascript:alert(1))": "javascript:",
    "[x](JaVa\tScRiPt:alert(1))": "javascript:",
    '<a href="java&#x09;script:alert(1)">x</a>': "javascript:",
    "[z](#){ onclick=alert(1) }": "onclick",
    "<img src=x onerror=alert(1)>": "onerror",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>": "data:",
    "[r][1]\n\n[1]: vbscript:msgbox(1)": "vbscript:",
    "<div markdown=1 style=\"background:url(javascript:alert(1))\">x</div>": "style",
}


@pytest.mark.parametrize("attack, words", list(ATTACKS.items()))
def test_check_reports_what_the_build_removes_with_its_line(attack, words):
    text = HEAD + "---\n\n第一段。\n\n" + attack + "\n"
    got = markup.problems(text, text.split("---\n", 2)[2])
    assert got and all(13 <= line <= 12 + attack.count("\n") + 1 for line, _ in got), got
    assert any(words in msg for _, msg in got), got
    cleaned = sanitize.clean(markup.to_html(text.split("---\n", 2)[2])).lower()
    assert "<script" not in cleaned and " on" not in cleaned.replace(" one", "")
    assert "javascript:" not in cleaned and "vbscript:" not in cleaned and "data:" not in cleaned


def test_safe_markdown_is_kept_and_not_reported():
    body = ("**粗体** [链接](https://example.org/a?b=1&c=2) [站内](../x/) [邮件](mailto:a@b.org) ![图](x.png)\n\n"
            "<b>粗体</b> <span class=\"x\">甲</span>\n\n## 小标题 { #h }\n\n| 甲 | 乙 |\n\n> 引用\n")
    assert markup.problems(HEAD + "---\n\n" + body, body) == []
    html = markup.to_html(body)
    assert sanitize.clean(html).count("<a ") == 3 and "<img" in sanitize.clean(html)


def test_imported_pages_are_never_reported():
    """The importer escapes raw text: OCR'd HTML, Markdown and javascript: stay text."""
    from bulletin.importer.pipeline import escape_markdown

    for raw in ATTACKS:
        body = escape_markdown(raw)
        assert markup.problems(HEAD + "---\n\n" + body, body) == [], raw


def test_markdown_extensions_match_mkdocs_yml():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    names = [k if isinstance(k, str) else next(iter(k)) for k in yaml.safe_load(
        text.split("markdown_extensions:")[1].split("\n\n")[0].join(["x:", ""]))["x"]]
    assert tuple(names) == sanitize.MARKDOWN_EXTENSIONS


# --------------------------------------------------------------------------- plugin options and output


DEFAULTS = {"articles_dir": "articles", "taxonomy": "taxonomy.yml", "feed_path": "feed.xml",
            "streets_url": "streets/", "programmes_url": "programmes/", "archive_url": "archive/",
            "search_url": "search/", "street_url_format": "streets/{slug}/",
            "programme_url_format": "programmes/{slug}/", "archive_month_url_format": "archive/{year}/{month:02d}/",
            "home_latest_count": 10, "home_programme_count": 12, "related_count": 5, "feed_count": 20,
            "listing_page_size": 50, "issue_url_format": "issues/{slug}/", "subscribe_url": "subscribe/"}


@pytest.mark.parametrize("key, value", [
    ("feed_path", "/etc/feed.xml"), ("feed_path", "../x.xml"), ("feed_path", "a/../../x.xml"), ("feed_path", ""),
    ("feed_path", "C:\\x.xml"), ("feed_path", "https://evil.example/x.xml"), ("taxonomy", "/etc/passwd"),
    ("articles_dir", "../secrets"), ("street_url_format", ""), ("street_url_format", "streets/"),
    ("archive_month_url_format", "archive/{year}/"), ("programme_url_format", "p/{slug}/{oops}/"),
    ("home_latest_count", -1), ("feed_count", -5), ("listing_page_size", 0), ("related_count", True),
    ("issue_url_format", "issues/"), ("subscribe_url", "../x/"), ("subscribe_url", "https://evil.example/x/"),
])
def test_wrong_options_are_named(key, value):
    assert options.problems(DEFAULTS) == []
    [problem] = options.problems({**DEFAULTS, key: value})
    assert problem.startswith(f"mkdocs.yml: bulletin 插件的 {key}:")


def test_absolute_feed_path_fails_the_build_and_writes_nothing(tmp_path):
    bl_write_content(tmp_path, [bl_article("好文章", "2021-03-01", ["小东门街道"], [])])
    target = tmp_path / "outside.xml"
    cfg = bl_copy_site_config(tmp_path)
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("feed_path: feed.xml", f"feed_path: {target}"), encoding="utf-8")
    proc = bl_build(tmp_path)
    assert proc.returncode == 1 and "feed_path" in proc.stderr and "Traceback" not in proc.stderr
    assert not target.exists()


def test_outside_sees_through_dot_dot():
    assert options.outside(["/s/site/a.html", "/s/site/../x.xml", "/s/sitex/a"], "/s/site") == [
        "/s/site/../x.xml", "/s/sitex/a"]


# --------------------------------------------------------------------------- raw files and --content


def test_utf8_followed_by_utf16_is_refused_with_its_line(tmp_path):
    text = (EXAMPLE_RAW / "003.txt").read_text(encoding="utf-8")
    raw = tmp_path / "2021-05-28-mixed.txt"
    raw.write_bytes(text.encode("utf-8") + text.encode("utf-16"))
    proc = run("bulletin", "import", str(raw), "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert proc.returncode == 1
    lines = text.count("\n") + 1
    assert f"文件中混有两种编码：前面是 UTF-8，约从第 {lines} 行" in proc.stderr.replace("\n", "")
    assert not (tmp_path / "content").exists() or not list((tmp_path / "content").rglob("*.md"))


def test_content_inside_the_site_output_is_refused(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_dir: public  # output\n", encoding="utf-8")
    (tmp_path / "raw.txt").write_text((EXAMPLE_RAW / "003.txt").read_text(encoding="utf-8"), encoding="utf-8")
    for content in ("public/x", "public", "./public/../public/y"):
        proc = run("bulletin", "import", "raw.txt", "--issue-date", "2021-05-28", "--content", content, cwd=tmp_path)
        assert proc.returncode == 1 and "在网站输出目录 public 之内" in proc.stderr, proc.stderr
    assert not (tmp_path / "public").exists()
    assert project.site_output(tmp_path / "none.yml") == tmp_path / "site"


def test_page_meta_is_escaped_once_for_materials_templates():
    from markupsafe import Markup

    from bulletin.site import view

    meta = {"title": '"><script>', "subtitle": "<b>", "hide": ["toc", "<i>"], "n": 3, "done": Markup("&amp;")}
    out = view.escape_meta(meta, "ignored: meta has a title")
    assert out == {"title": "&#34;&gt;&lt;script&gt;", "subtitle": "&lt;b&gt;", "hide": ["toc", "&lt;i&gt;"],
                   "n": 3, "done": "&amp;"}
    assert view.escape_meta(out, None) == out  # escaping twice changes nothing
    assert view.escape_meta({}, "甲 &amp; 乙", title_is_html=True)["title"] == "甲 &amp; 乙"  # a heading's HTML
    assert view.escape_meta({}, "a<b>.md")["title"] == "a&lt;b&gt;.md"  # a file name's text


@pytest.mark.parametrize("text, line", [
    ("source: raw/a.txt\nissue_date: 2021-05-28\npages: &p\n  - {file: a.md}\nmore: *p\n", 3),
    ("source: raw/a.txt\nissue_date: 2021-05-28\npages: " + "[" * 50_000 + "]" * 50_000 + "\n", 3),
])
def test_hostile_import_record_is_one_line(tmp_path, text, line):
    from bulletin.editing import record
    from bulletin.importer.normalize import InputError

    path = tmp_path / "r.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        record.read(path)
    assert str(exc.value).startswith(f"{path}:{line}: 导入记录格式有误")
