"""``bulletin check``: one test per validation message, plus exit status and output format."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from bulletin.editing import bodykey
from bulletin.nfkc import nfkc
from bulletin.editing.check import check_command, check_pages, check_paths, check_taxonomy_file
from bulletin.editing.rules import ERROR, WARNING, Problem, check_page, name_problems, normalise_body
from bulletin.model import Article, read_article, render_page
from bulletin.taxonomy import load_taxonomy
from conftest import bl_build, bl_copy_site_config, bl_invoke_in

ROOT = Path(__file__).resolve().parents[1]

TAXONOMY = """\
streets:
  - {name: 任港街道, district: 崇川区}
  - {name: 临江新区, district: 海门区, aliases: [海门临江新区]}
programmes:
  - name: 垃圾分类
  - name: 全国文明城市创建
    aliases: [创建全国文明城市]
"""

BODY = "五月二十七日，任港街道在社区广场开展垃圾分类宣传活动，居民踊跃参加。"


def page(body: str = BODY, **kw) -> str:
    fields = dict(
        title="任港街道开展垃圾分类宣传", date=dt.date(2021, 5, 27), issue_date=dt.date(2021, 5, 28),
        source="raw/2021-05-28.txt", streets=["任港街道"], programmes=["垃圾分类"], authors=["张三"],
        position=2, body=body,
    )
    fields.update(kw)
    return render_page(Article(**fields))


# The importer's page (see render_page), line by line:
#  1 ---            6 - 任港街道     11 kind: article        16 ---
#  2 title          7 programmes:   12 source               17 (blank)
#  3 date           8 - 垃圾分类     13 position             18 body
#  4 issue_date     9 authors:      14 summary
#  5 streets:      10 - 张三        15 checksum


@pytest.fixture
def tax(tmp_path):
    path = tmp_path / "taxonomy.yml"
    path.write_text(TAXONOMY, encoding="utf-8")
    return load_taxonomy(path)


def one(text: str, tax=None, name="content/articles/2021/p.md") -> list[tuple[str, int, str]]:
    return [(p.severity, p.line, p.message) for p in check_page(name, text, tax)]


def only(text: str, tax=None) -> tuple[str, int, str]:
    got = one(text, tax)
    assert len(got) == 1, got
    return got[0]


def test_valid_page_has_no_problems(tax):
    assert one(page(), tax) == []


def test_importer_pages_are_valid_for_fragments_without_title(tax):
    assert one(page(title="", kind="fragment"), tax) == []


# --------------------------------------------------------------------------- broken YAML / no front matter


def test_no_front_matter():
    assert only("正文\n") == (ERROR, 1, "缺少 YAML 前置元数据（文件应以 --- 开头）")


def test_empty_front_matter():
    assert only("---\n---\n正文\n") == (ERROR, 1, "前置元数据为空或不是键值对")


def test_broken_yaml_names_the_line_in_plain_words():
    text = page(title="甲").replace("title: 甲", "title: 通知: 停水")
    sev, line, msg = only(text)
    assert (sev, line) == (ERROR, 2)
    assert msg.startswith("YAML 格式错误：一行里多了冒号")


def test_unclosed_list_says_where_it_starts():
    text = page().replace("authors:\n- 张三\n", "authors: [张三\n")
    sev, line, msg = only(text)
    assert sev == ERROR and "方括号列表没有正确结束" in msg and "从第 9 行开始" in msg


def test_tab_indentation():
    text = page().replace("- 张三", "\t- 张三")
    sev, line, msg = only(text)
    assert (sev, line) == (ERROR, 10) and "制表符" in msg


def test_unclosed_quote():
    text = page().replace("title: 任港街道开展垃圾分类宣传", 'title: "任港街道开展垃圾分类宣传')
    sev, line, msg = only(text)
    assert sev == ERROR and "引号或括号没有成对" in msg and "从第 2 行开始" in msg


def test_not_utf8(tmp_path):
    f = tmp_path / "content" / "articles" / "2021" / "gbk.md"
    f.parent.mkdir(parents=True)
    f.write_bytes(page().encode("gb18030"))
    [p] = check_paths([tmp_path / "content"])
    assert (p.severity, p.line) == (ERROR, 1) and p.message.startswith("不是 UTF-8 文本")


# --------------------------------------------------------------------------- keys and types


def test_missing_required_key():
    text = page().replace("source: raw/2021-05-28.txt\n", "")
    assert only(text) == (ERROR, 1, "缺少必填字段 source")


def test_unknown_key():
    text = page().replace("kind: article", "kind: article\ntilte: 错字")
    assert only(text) == (ERROR, 12, "未知字段 tilte（拼写错误？）")


def test_repeated_key():
    text = page().replace("kind: article", "kind: article\ntitle: 改过的标题")
    assert only(text) == (ERROR, 12, "字段 title 重复出现（只有最后一个生效，请删掉多余的一行）")


def test_list_expected():
    text = page().replace("authors:\n- 张三", "authors: 张三")
    assert only(text) == (ERROR, 9, "authors 应为列表，例如 [甲, 乙]")


def test_empty_list_item():
    text = page().replace("- 张三", "- 张三\n- ''")
    assert only(text) == (ERROR, 9, "authors 中有空白项，请删掉")


def test_list_item_not_a_name():
    text = page().replace("- 张三", "- 张三\n- [李四]")
    assert only(text) == (ERROR, 9, "authors 的每一项应为一个名称，例如 [甲, 乙]")


def test_invalid_date():
    text = page().replace("date: 2021-05-27", "date: 5月27日")
    assert only(text) == (ERROR, 3, "date 不是有效日期（应为 YYYY-MM-DD）：'5月27日'")


def test_impossible_date():
    text = page().replace("issue_date: 2021-05-28", "issue_date: 2021-02-30")
    assert only(text) == (ERROR, 4, "issue_date 不是真实存在的日期：2021-02-30")


def test_date_before_1949():
    text = page().replace("date: 2021-05-27", "date: 1921-05-27")
    assert only(text) == (ERROR, 3, "date 早于 1949 年，可能是识别错误：1921-05-27")


def test_date_in_the_future():
    future = dt.date.today() + dt.timedelta(days=40)
    text = page().replace("issue_date: 2021-05-28", f"issue_date: {future}")
    assert only(text) == (ERROR, 4, f"issue_date 是将来的日期，可能是识别错误：{future}")


def test_bad_kind():
    text = page().replace("kind: article", "kind: 新闻")
    assert only(text) == (ERROR, 11, "kind 应为 article/brief/fragment 之一：'新闻'")


@pytest.mark.parametrize("value", ["二", "0", "true"])
def test_bad_position(value):
    sev, line, msg = only(page().replace("position: 2", f"position: {value}"))
    assert (sev, line) == (ERROR, 13) and msg.startswith("position 应为正整数")


def test_empty_title():
    assert only(page(title="")) == (ERROR, 2, "标题为空（只有 kind: fragment 的片段和无标题的 brief 简讯栏可以没有标题）")


def test_empty_source():
    assert only(page().replace("source: raw/2021-05-28.txt", "source: ''")) == (
        ERROR, 12, "source 为空（应写明原始文件，例如 raw/2021-05-28.txt）")


def test_text_key_that_is_a_list():
    text = page().replace("summary: ''", "summary: [甲]")
    assert only(text) == (ERROR, 14, "summary 应为一段文字")


def test_empty_body_is_a_warning():
    assert only(page(body="")) == (WARNING, 17, "正文为空")


def test_every_problem_found_at_once():
    text = page().replace("date: 2021-05-27", "date: 昨天").replace("kind: article", "kind: 新闻")
    assert [p[1] for p in one(text)] == [3, 11]


# --------------------------------------------------------------------------- taxonomy


def test_unknown_street_is_a_warning_at_the_item_line(tax):
    text = page(streets=["任港街道", "火星街道"])
    assert only(text, tax) == (
        WARNING, 7, "街道「火星街道」不在分类表 taxonomy.yml 中：如是新的名称请加入分类表，如是识别错误请改正")


def test_unknown_programme_in_flow_list(tax):
    text = page().replace("programmes:\n- 垃圾分类", "programmes: [垃圾分类, 登月计划]")
    sev, line, msg = only(text, tax)
    assert (sev, line) == (WARNING, 7) and msg.startswith("项目「登月计划」不在分类表")


def test_alias_instead_of_canonical_name(tax):
    text = page(streets=["海门临江新区"], programmes=["创建全国文明城市"])
    assert one(text, tax) == [
        (WARNING, 6, "街道「海门临江新区」是「临江新区」的别名，应写作「临江新区」（运行 bulletin retag 可一次改好所有页面）"),
        (WARNING, 8, "项目「创建全国文明城市」是「全国文明城市创建」的别名，应写作「全国文明城市创建」（运行 bulletin retag 可一次改好所有页面）"),
    ]


def test_line_break_inside_a_name_is_one_line_warning(tax):
    text = page(streets=["任港街道", "理念\n街道"])
    [p] = check_page("a.md", text, tax)
    assert (p.severity, p.line) == (WARNING, 7)
    assert str(p) == "a.md:7: 警告：streets 中的「理念↵街道」含有换行、控制字符或看不见的字符（网站会去掉它们），可能是识别错误，请改正"


def test_district_contradicting_taxonomy(tax):
    text = page(district="海门区")
    assert only(text, tax) == (WARNING, 5, "district「海门区」与街道所属的区（崇川区）不一致")


def test_district_the_taxonomy_does_not_know(tax):
    text = page(district="里社区", streets=[], programmes=[])
    assert only(text, tax) == (WARNING, 5, (
        "district「里社区」不在分类表 taxonomy.yml 中（没有哪个街道属于它）："
        "如是新的区请写在它的街道条目的 district，如是识别错误请改正或删去这一行"))
    assert one(page(district="海门区", streets=[], programmes=[]), tax) == []  # 临江新区's district


def test_no_taxonomy_means_no_tag_warnings():
    assert one(page(streets=["火星街道"]), None) == []


def test_ambiguous_taxonomy_alias(tmp_path):
    path = tmp_path / "taxonomy.yml"
    path.write_text(TAXONOMY + "  - {name: 文明城市, aliases: [全国文明城市创建]}\n", encoding="utf-8")
    _, problems = check_taxonomy_file(path)
    assert [(p.severity, p.line, p.message) for p in problems] == [
        (ERROR, 8, "programmes 中的名称「全国文明城市创建」同时指向「全国文明城市创建」和「文明城市」，请只保留一处")]


def test_broken_taxonomy(tmp_path):
    path = tmp_path / "taxonomy.yml"
    path.write_text("streets:\n  - {name: 甲\n", encoding="utf-8")
    tax, [p] = check_taxonomy_file(path)
    assert tax is None and p.severity == ERROR and "YAML 格式错误" in p.message


# --------------------------------------------------------------------------- duplicates


def test_duplicate_source_and_position():
    a, b = "articles/2021/a.md", "articles/2021/b.md"
    problems = check_pages({a: page(), b: page(title="另一个标题", body="完全不同的正文内容，足够长，足够长，足够长，足够长。")})
    assert [(p.file, p.line, p.message) for p in problems] == [
        (a, 12, f"重复的文章：与 {b} 的 source 和 position 相同（raw/2021-05-28.txt 第 2 篇），请删掉多余的一篇或改正 position"),
        (b, 12, f"重复的文章：与 {a} 的 source 和 position 相同（raw/2021-05-28.txt 第 2 篇），请删掉多余的一篇或改正 position"),
    ]


def test_duplicate_body_after_normalising():
    a, b = "articles/2021/a.md", "articles/2021/b.md"
    other = "五月二十七日, 任港街道在社区广场\n开展**垃圾分类**宣传活动，居民踊跃参加！"
    assert normalise_body(other) == normalise_body(BODY)
    problems = check_pages({a: page(), b: page(position=3, body=other)})
    assert [(p.file, p.line, p.message) for p in problems] == [
        (a, 18, f"重复的文章：正文与 {b} 相同，请删掉多余的一篇"),
        (b, 18, f"重复的文章：正文与 {a} 相同，请删掉多余的一篇"),
    ]


def test_short_identical_bodies_are_not_duplicates():
    assert check_pages({"a.md": page(body="（图）"), "b.md": page(position=3, body="（图）")}) == []


def test_duplicate_of_an_unchanged_page_is_found_when_checking_one_file(tmp_path):
    """pre-commit passes only the changed page; its twin elsewhere in articles/ still counts."""
    d = tmp_path / "content" / "articles"
    (d / "2020").mkdir(parents=True)
    (d / "2021").mkdir()
    (d / "2020" / "old.md").write_text(page(), encoding="utf-8")
    (d / "2021" / "new.md").write_text(page(position=5), encoding="utf-8")
    [p] = check_paths([d / "2021" / "new.md"])
    assert p.file == str(d / "2021" / "new.md") and "正文与" in p.message and "old.md" in p.message


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize("name, words", [
    ("2021-05-28 任港.md", "文件名含有空格"),
    ("2021-05-28\u3000任港.md", "文件名含有空格"),
    ("2021-05-28\x07a.md", "看不见的控制字符"),
    ("2021-05-28\u200ba.md", "看不见的控制字符"),
    ("a..b.md", "文件名含有 “..”"),
    ("a#b.md", "网址中不能用的字符 #"),
    (".hidden.md", "网站会忽略它"),
])
def test_unsafe_file_names(name, words):
    [p] = name_problems(f"content/articles/2021/{name}")
    assert p.severity == ERROR and words in p.message


def test_safe_file_name_and_folders_above_articles_are_not_judged():
    assert name_problems("/home/my docs/content/articles/2021/2021-05-28-任港-a1b2c3.md") == []


def test_folder_walk_reports_stray_files(tmp_path):
    d = tmp_path / "content" / "articles" / "2021"
    d.mkdir(parents=True)
    (d / "a.md").write_text(page(), encoding="utf-8")
    (d / "a.md.bak").write_text(page(), encoding="utf-8")
    (d / "b.MD").write_text(page(), encoding="utf-8")
    (tmp_path / "content" / "about.md").write_text("关于本站\n", encoding="utf-8")  # not an article
    got = [(Path(p.file).name, p.severity, p.message) for p in check_paths([tmp_path / "content"])]
    assert [g[:2] for g in got] == [("a.md.bak", WARNING), ("b.MD", ERROR)]
    assert got[0][2].startswith("是 bulletin import --force 留下的备份（不会发布，也不会提交）")
    # ... which is true: the site and git leave backups out
    assert "*.bak" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("exclude_docs:")[1].split("\n\n")[0]
    assert "*.bak" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert got[1][2] == "扩展名应为小写 .md，否则不会作为文章发布"


def test_missing_path(tmp_path):
    [p] = check_paths([tmp_path / "nope.md"])
    assert p.severity == ERROR and p.message == "文件或目录不存在"


# --------------------------------------------------------------------------- command line


def _tree(tmp_path: Path, pages: dict[str, str]) -> None:
    (tmp_path / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    for name, text in pages.items():
        f = tmp_path / "content" / "articles" / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")


def run(tmp_path, *args):
    return bl_invoke_in(tmp_path, check_command, *args)


def test_cli_clean_archive_exits_0(tmp_path):
    _tree(tmp_path, {"2021/a.md": page()})
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output


def test_cli_errors_exit_1_one_line_each(tmp_path):
    _tree(tmp_path, {
        "2021/a.md": page().replace("date: 2021-05-27", "date: 2021-13-01"),
        "2021/b.md": page(position=3, body="另一篇文章的正文，内容完全不同，长度也足够比较。", streets=["火星街道"]),
        "2021/c.md": "---\ntitle: [\n---\n",
    })
    result = run(tmp_path, "content")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert re.fullmatch(r"content/articles/2021/[abc]\.md:\d+: (错误|警告)：\S.*", line), line
    assert lines[0].startswith("content/articles/2021/b.md:") and "警告" in lines[0]  # warnings first,
    assert lines[1] == "content/articles/2021/a.md:3: 错误：date 不是真实存在的日期：2021-13-01"  # errors last
    assert "发现 2 个错误，1 个警告" in result.output


def _fourteen_warnings_one_error(tmp_path: Path) -> None:
    pages = {f"2021/w{i:02d}.md": page(position=i + 10, streets=[f"新街道{i:02d}"],
                                       body=f"第 {i} 篇文章的正文，说的是社区里另外一件事情，各不相同。")
             for i in range(14)}
    pages["2021/z.md"] = page().replace("title: 任港街道开展垃圾分类宣传", "title: 通知: 停水")
    _tree(tmp_path, pages)


def test_cli_old_warnings_do_not_bury_the_error(tmp_path):
    """14 old warnings and a volunteer's one error: the error is the line just above the count,
    under a heading that counts it, and the count says where it is."""
    _fourteen_warnings_one_error(tmp_path)
    result = run(tmp_path)
    assert result.exit_code == 1
    out = result.output.splitlines()
    assert out[-1] == "已检查 15 个页面，发现 1 个错误，14 个警告（错误就在上方）"
    assert out[-2].startswith("content/articles/2021/z.md:2: 错误：YAML 格式错误"), out[-2]
    assert "—— 1 个错误（必须改正）：" in out[-3:] and "—— 14 个警告（不阻止提交，可以稍后处理）：" in out
    assert len(result.stdout.splitlines()) == 15  # stdout: still one line a problem


def test_build_counts_warnings_and_names_the_error(tmp_path):
    """The build: one line for all warnings, then the error with its count."""
    _fourteen_warnings_one_error(tmp_path)
    bl_copy_site_config(tmp_path)
    proc = bl_build(tmp_path)
    assert proc.returncode == 1
    assert "bulletin: 14 个警告，不影响构建（bulletin check 逐条列出）" in proc.stderr
    assert "新街道03" not in proc.stderr  # not one line each
    assert re.search(r"bulletin check 发现 1 个错误，网站没有构建：\n\S*content/articles/2021/z\.md:2: 错误：", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr  # the search index's child (forked before the check) says nothing


def test_cli_warnings_exit_0_unless_strict(tmp_path):
    _tree(tmp_path, {"2021/a.md": page(streets=["海门临江新区"])})
    assert run(tmp_path).exit_code == 0
    strict = run(tmp_path, "--strict")
    assert strict.exit_code == 1 and "警告也算错误" in strict.output


def test_cli_checks_only_named_files(tmp_path):
    _tree(tmp_path, {"2021/a.md": page(), "2021/b.md": "broken\n"})
    assert run(tmp_path, "--", "content/articles/2021/a.md").exit_code == 0
    assert run(tmp_path, "--", "content/articles/2021/b.md").exit_code == 1


def test_cli_broken_taxonomy_fails(tmp_path):
    _tree(tmp_path, {"2021/a.md": page()})
    (tmp_path / "taxonomy.yml").write_text("streets: [\n", encoding="utf-8")
    result = run(tmp_path)
    assert result.exit_code == 1 and result.stdout.startswith("taxonomy.yml:")


# --------------------------------------------------------------------------- consistency


def test_every_message_is_chinese_and_one_line():
    texts = [
        "x", "---\n---\n", page().replace("title: 任港街道开展垃圾分类宣传", "title: a: b"),
        page().replace("kind: article", "kind: x\nfoo: 1\ntitle: 2"), page(title="", body=""),
        page().replace("authors:\n- 张三", "authors: 3"), page().replace("date: 2021-05-27", "date: 1800-01-01"),
    ]
    for text in texts:
        for p in check_page("a.md", text):
            assert "\n" not in str(p) and re.search(r"[\u4e00-\u9fff]", p.message), p


def test_check_agrees_with_read_article(tmp_path):
    """A page with no errors is one the plugin and importer can read, and vice versa."""
    cases = [page(), page(title=""), page().replace("position: 2", "position: x"),
             page().replace("kind: article", "kind: article\nkind: brief"), "---\ntitle: [\n---\n"]
    for i, text in enumerate(cases):
        f = tmp_path / f"{i}.md"
        f.write_text(text, encoding="utf-8")
        errors = [p for p in check_page(f, text) if p.severity == ERROR]
        try:
            read_article(f)
            readable = True
        except ValueError:
            readable = False
        assert readable == (not errors), (text, errors)


def test_problem_str_format():
    assert str(Problem(ERROR, "a.md", 3, "甲")) == "a.md:3: 错误：甲"
    assert str(Problem(WARNING, "a.md", 3, "乙")) == "a.md:3: 警告：乙"


def test_cli_github_annotations(tmp_path):
    _tree(tmp_path, {"2021/a,b.md": page().replace("kind: article", "kind: 新闻"), "2021/c.md": page(position=4, streets=["火星街道"], body="别的正文，足够长的一段文字，不会和别的文章重复。")})
    result = run(tmp_path, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=content/articles/2021/a%2Cb.md,line=11,title=bulletin check::"
        "content/articles/2021/a,b.md:11: 错误：kind 应为 article/brief/fragment 之一：'新闻'",
        "::warning file=content/articles/2021/c.md,line=6,title=bulletin check::"
        "content/articles/2021/c.md:6: 警告：街道「火星街道」不在分类表 taxonomy.yml 中：如是新的名称请加入分类表，如是识别错误请改正",
    ]


# --------------------------------------------------------------------------- robustness

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SNIPPETS = [":", "-", "[", "]", "{", "}", "'", '"', "\n", "\t", " ", "#", "!", "&", "*", "?", "|", ">", "%", "@",
             "`", "2021-02-30", "null", "~", "true", "1", "title: x\n", "date: 1800-01-01\n", "- \n", "\r\n",
             "\x00", "\u2028", "街"]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(0, 400), st.sampled_from(_SNIPPETS), st.integers(0, 3)), max_size=4))
def test_mangled_pages_never_crash_and_errors_match_read_article(tmp_path_factory, edits):
    """Random edits to a valid page: check answers with problems, never a traceback, and a page
    has errors exactly when the importer/plugin cannot read it (30,000 cases run once, clean)."""
    text = page()
    for pos, snip, cut in edits:
        pos = min(pos, len(text))
        text = text[:pos] + snip + text[pos + cut:]
    problems = check_page("a.md", text)
    f = tmp_path_factory.getbasetemp() / "mangled.md"
    f.write_bytes(text.encode("utf-8"))
    try:
        read_article(f)
        readable = True
    except ValueError:
        readable = False
    assert readable == (not [p for p in problems if p.severity == ERROR]), (text, problems)
    assert all("\n" not in str(p) and "\r" not in str(p) for p in problems)


# --------------------------------------------------------------------------- the editors' guide

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "editors-guide.zh.md"
MESSAGE_PHRASES = [
    "缺少 YAML 前置元数据", "YAML 格式错误", "前置元数据为空或不是键值对", "缺少必填字段", "未知字段", "重复出现",
    "应为列表", "中有空白项", "每一项应为一个名称", "不是有效日期", "不是真实存在的日期", "可能是识别错误",
    "是将来的日期", "标题为空", "kind 应为", "应为正整数", "source 为空", "source 和 position 相同",
    "正文与", "文件名含有空格", "控制字符", "网址中不能用的字符", "扩展名应为小写 .md", "不是 UTF-8 文本",
    "同时指向", "不在分类表 taxonomy.yml 中", "的别名，应写作", "含有换行、控制字符或看不见的字符", "与街道所属的区",
    "会在发布时被删除", "不支持 YAML 锚点和别名", "YAML 嵌套过深", "YAML 内容过长", "是符号链接", "正文的列表或引用嵌套过深",
    "正文为空", "内容目录只能放 Markdown 页面", "超过上限", "中的名称过长", "SVG 图片可以带脚本", "文件内容却不是", "与主题文件", "网站自动生成的", "留下的备份（不会发布，也不会提交）", "目录中没有找到文章页面",
    "已在分类表中，应移到 programmes",
]


def test_guide_explains_every_message():
    """Each phrase is in a message the code emits and in the guide's table, so neither drifts alone."""
    src = "".join((Path(__file__).resolve().parents[1] / "scripts" / "bulletin" / f).read_text(encoding="utf-8")
                  for f in ("editing/check.py", "editing/rules.py", "model.py", "taxonomy_schema.py", "safeyaml.py", "editing/markup.py", "contentfiles.py"))
    guide = GUIDE.read_text(encoding="utf-8")
    for phrase in MESSAGE_PHRASES:
        assert phrase.split("，")[0] in src, f"no message says {phrase!r} any more"
        assert phrase.split("，")[0] in guide, f"docs/editors-guide.zh.md does not explain {phrase!r}"


# --------------------------------------------------------------------------- any folder


def test_loose_folder_with_a_bad_page_fails(tmp_path):
    """Pages outside any articles/ folder are checked too, and counted."""
    loose = tmp_path / "some" / "folder"
    loose.mkdir(parents=True)
    (loose / "good.md").write_text(page(), encoding="utf-8")
    bad = page(position=3, body="另一篇文章的正文，讲的是社区里另外一件事情，字数足够比较。")
    (loose / "bad.md").write_text(bad.replace("date: 2021-05-27", "date: 2021-13-45", 1), encoding="utf-8")
    (loose / "notes.md").write_text("# 笔记\n\n没有前置元数据的 Markdown 不是文章。\n", encoding="utf-8")
    result = run(tmp_path, "some/folder")
    assert result.exit_code == 1, result.output
    assert "some/folder/bad.md:3: 错误：date 不是真实存在的日期：2021-13-45" in result.output
    assert "已检查 2 个页面，发现 1 个错误" in result.output
    (loose / "bad.md").unlink()
    result = run(tmp_path, "some/folder")
    assert result.exit_code == 0 and "检查通过：已检查 1 个页面，没有发现问题" in result.output


def test_folder_without_pages_fails(tmp_path):
    empty = tmp_path / "docs"
    empty.mkdir()
    (empty / "readme.md").write_text("# 说明\n", encoding="utf-8")
    result = run(tmp_path, "docs")
    assert result.exit_code == 1
    assert "docs:1: 错误：目录中没有找到文章页面（带前置元数据的 .md 文件），什么也没有检查" in result.output
    assert "已检查 0 个页面" in result.output


def test_colon_hint_example_is_right():
    """The hint's example works as written, and a full-width colon needs no quotes."""
    base = page()
    broken = base.replace("title: 任港街道开展垃圾分类宣传", "title: 通知: 停水")
    [p] = [p for p in check_page("a.md", broken) if p.severity == ERROR]
    example = re.search(r'例如 (title: "[^"]+")', p.message).group(1)
    assert not [p for p in check_page("a.md", base.replace("title: 任港街道开展垃圾分类宣传", example)) if p.severity == ERROR]
    assert not [p for p in check_page("a.md", base.replace("title: 任港街道开展垃圾分类宣传", "title: 通知：停水"))
                if p.severity == ERROR]


LINKS = ("## 小标题\n\n见[上一篇](a.md)、[首页](../../index.md)、[网址](https://example.org/x.png)、[文件夹](../2020/)、"
         "[小标题](#_1)。\n\n又见[没有的](../2020/nothing.md)、[锚](#nowhere)。\n\n![照片](pic.png)")


def test_links_to_missing_files_and_anchors_are_errors_with_their_line(tmp_path):
    """What `mkdocs build --strict` stops on in English, check names first in Chinese: a link to a
    file the archive lacks, or to a heading the page lacks. Pages the build makes are trusted."""
    _tree(tmp_path, {"2021/a.md": page(), "2021/b.md": page(LINKS, title="另一篇", position=3)})
    (tmp_path / "content" / "articles" / "2021" / "photo.png").write_bytes(b"\x89PNG")
    got = [(Path(p.file).name, p.line, p.message.split("”")[0]) for p in check_paths([tmp_path / "content"])
           if "链接" in p.message]
    assert sorted(got) == [("b.md", 22, "正文中的链接“#nowhere"), ("b.md", 22, "正文中的链接“../2020/nothing.md"),
                           ("b.md", 24, "正文中的链接“pic.png")]
    fixed = page(LINKS.replace("nothing.md", "../2021/a.md").replace("#nowhere", "#_1").replace("pic.png", "photo.png"),
                 title="另一篇", position=3)
    (tmp_path / "content" / "articles" / "2021" / "b.md").write_text(fixed, encoding="utf-8")
    assert not [p for p in check_paths([tmp_path / "content"]) if "链接" in p.message]


def test_build_stops_on_a_missing_link_in_chinese(tmp_path):
    _tree(tmp_path, {"2021/a.md": page(), "2021/b.md": page("见[没有的](nothing.md)。", title="另一篇", position=3)})
    bl_copy_site_config(tmp_path)
    proc = bl_build(tmp_path)
    assert proc.returncode == 1
    # first in the log, in Chinese with file and line (MkDocs' own English warning follows)
    assert proc.stderr.index("b.md:18: 错误：正文中的链接“nothing.md”指向的文件不存在") < proc.stderr.find("Doc file"), proc.stderr
    (tmp_path / "content" / "articles" / "2021" / "b.md").write_text(page("见[上一篇](a.md)。", title="另一篇", position=3),
                                                                     encoding="utf-8")
    assert bl_build(tmp_path).returncode == 0


_MIXED = st.sampled_from([chr(c) for c in (
    *range(0x20, 0x7f), 0xe9, 0x301, 0x323, 0x345, 0x1e9b, 0x212b, 0x2026, 0x2460, 0x3000, 0x3001, 0x3002, 0x201c,
    0x3131, 0x314f, 0x1100, 0x1161, 0x11a8, 0xac00, 0x339f, 0xf900, 0xfb01, 0xff0c, 0xff1a, 0xff21, 0xff10, 0xff08,
    0x4e00, 0x8857, 0x0b47, 0x0b3e, 0x0bc6, 0x0bbe, 0xfe30, 0x2f00, 0x3251)])


@settings(max_examples=500, deadline=None)
@given(st.lists(_MIXED, max_size=30).map("".join))
def test_body_key_is_nfkc_without_punctuation(text):
    """The fast duplicate key (editing/bodykey.py) equals its definition, and the fast
    NFKC (bulletin/nfkc.py) unicodedata's, whatever composes."""
    assert normalise_body(text) == bodykey.reference(text)
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_fast_nfkc_stops_learning_at_its_limit(monkeypatch):
    """Rare characters past the limit are normalised by unicodedata, not learnt:
    learning recompiles the classes, so an unbounded table is quadratic."""
    from bulletin import nfkc as nfkc_mod

    monkeypatch.setattr(nfkc_mod, "LEARN_LIMIT", 50)
    table = nfkc_mod._Nfkc()
    rare = [chr(c) for c in range(0x3400, 0x3400 + 300)] + ["\uff21", "\u0041\u030a"]
    for i in range(0, len(rare), 7):
        text = "".join(rare[i:i + 7]) + "，"
        assert table(text) == unicodedata.normalize("NFKC", text)
    assert 50 <= len(table.seen) < 60


def test_body_key_stops_learning_at_the_limit(monkeypatch):
    """The duplicate key's table is bounded like the NFKC's, and stays right past it."""
    from bulletin import nfkc as nfkc_mod

    monkeypatch.setattr(nfkc_mod, "LEARN_LIMIT", 50)
    drop = bodykey._Dropper()
    rare = "".join(chr(c) for c in range(0x3400, 0x3400 + 300))
    for i in range(0, 300, 7):
        text = rare[i:i + 7] + "，。 ！"
        assert drop(text) == rare[i:i + 7]
    assert 50 <= len(drop.seen) < 60


_YAML_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(_YAML_TEXT, _YAML_TEXT, st.lists(_YAML_TEXT, max_size=3), _YAML_TEXT)
def test_front_matter_dumped_once_is_the_whole_mapping(title, byline, authors, body):
    """render_page appends the checksum's line to the rest's YAML instead of dumping all
    keys again: the same bytes as one dump of the whole mapping, checksum last."""
    from bulletin import model

    article = Article(title=title, date=dt.date(2021, 5, 27), issue_date=dt.date(2021, 5, 28), source="raw/p.txt",
                      byline=byline or None, authors=authors, summary=title, body=body)
    meta = article.to_meta()
    meta["checksum"] = model.content_checksum(meta, body)
    assert render_page(article) == f"---\n{model.dump_front_matter(meta)}---\n\n{body.strip()}\n"
