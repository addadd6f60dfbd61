"""``bulletin merge`` and ``bulletin split`` mend wrongly cut articles, and a re-import
(the same importer or a better one, or by mistake) never undoes what they did."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bulletin.cli import main
from bulletin.editing.check import check_paths
from bulletin.editing.rules import ERROR
from bulletin.model import article_from_meta, read_article, split_page
from click.testing import CliRunner
from conftest import EXAMPLE_RAW, EXAMPLE_TAXONOMY

RAW = EXAMPLE_RAW / "003.txt"
TAXONOMY = EXAMPLE_TAXONOMY


def bl(*args: str):
    return CliRunner().invoke(main, list(args))


def _import(content: Path):
    return bl("import", str(RAW), "--content", str(content), "--taxonomy", str(TAXONOMY), "--issue-date", "2021-05-28")


def _pages(content: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md"))}


@pytest.fixture
def imported(tmp_path):
    content = tmp_path / "content"
    assert _import(content).exit_code == 0
    by_position = {read_article(p).position: p for p in content.rglob("*.md")}
    return content, by_position


def read_article_text(text: str):
    meta, body = split_page(text, "<page>")
    return article_from_meta(meta, body, "<page>", text)


def _errors(content: Path) -> list:
    return [p for p in check_paths([content], None) if p.severity == ERROR]


def test_merge_survives_a_reimport(imported):
    content, pages = imported
    first, second = pages[3], pages[5]
    body1, body2 = read_article(first).body.strip(), read_article(second).body.strip()
    before_second = second.read_text(encoding="utf-8")
    result = bl("merge", str(first), str(second), "--title", "合并后的标题")
    assert result.exit_code == 0, result.output
    assert "已合并" in result.output and "重新导入时不会恢复" in result.output
    assert "不在任何导入记录中" not in result.output  # the record lists it: it stays deleted
    merged = read_article(first)
    assert merged.title == "合并后的标题" and merged.body.strip() == body1 + "\n\n" + body2
    gone = read_article_text(before_second)
    for key in ("streets", "programmes", "authors"):  # the second page's tags join the first's
        assert set(getattr(gone, key)) <= set(getattr(merged, key)), key
    assert not second.exists() and "checksum:" not in first.read_text(encoding="utf-8")
    before = _pages(content)
    again = _import(content)
    assert again.exit_code == 0, again.output
    assert _pages(content) == before
    assert f"{second.name}: 编辑已删除此页，没有恢复" in again.output.replace("\n", "")
    assert not _errors(content)


def test_split_survives_a_reimport_and_is_listed_in_order(imported):
    content, pages = imported
    page = pages[1]
    article = read_article(page)
    paragraphs = [p for p in article.body.split("\n\n") if p.strip()]
    at = paragraphs[2][:7]
    result = bl("split", str(page), "--at", at, "--title", "拆出来的第二篇")
    assert result.exit_code == 0, result.output
    piece = page.with_name(page.stem + "-2.md")
    first, second = read_article(page), read_article(piece)
    assert first.body.strip() == "\n\n".join(paragraphs[:2]).strip()
    assert second.body.strip().startswith(at) and second.title == "拆出来的第二篇"
    assert (second.source, second.position, second.part) == (article.source, article.position, 2)
    assert second.streets == article.streets and second.summary == ""
    assert not _errors(content)
    before = _pages(content)
    again = _import(content)
    assert again.exit_code == 0, again.output
    assert _pages(content) == before  # both pieces as the editor left them
    # split again (the second piece): a third part, named after the imported page
    result = bl("split", str(piece), "--at", paragraphs[3][:7], "--title", "第三篇")
    assert result.exit_code == 0, result.output
    third = page.with_name(page.stem + "-3.md")
    assert read_article(third).part == 3 and not _errors(content)


def test_pieces_of_one_printed_article_are_in_order(imported):
    from bulletin.site import index as site_index
    from bulletin.taxonomy import load_taxonomy

    content, pages = imported
    page = pages[1]
    at = [p for p in read_article(page).body.split("\n\n") if p.strip()][2][:7]
    assert bl("split", str(page), "--at", at, "--title", "第二篇").exit_code == 0
    sources = {str(p.relative_to(content)): p.read_text(encoding="utf-8") for p in content.rglob("*.md")}
    idx = site_index.collect(sources, load_taxonomy(TAXONOMY))
    [issue] = {id(e.issue): e.issue for e in idx.entries}.values()
    order = [Path(e.src_uri).stem for _, printed in issue.pages for e in printed]
    assert order[:2] == [page.stem, page.stem + "-2"]
    from bulletin.site import issuepage, pages as site_pages

    text = "\n".join(md for _, md in issuepage.issue_pages(idx, site_pages.Layout()))
    assert "第 1 篇</span> <a " in text and re.search(r'第 1 篇之2</span> <a href="[^"]*">第二篇</a>', text)


def test_duplicate_pieces_are_still_duplicates(imported):
    content, pages = imported
    page = pages[1]
    at = [p for p in read_article(page).body.split("\n\n") if p.strip()][2][:7]
    assert bl("split", str(page), "--at", at, "--title", "第二篇").exit_code == 0
    piece = page.with_name(page.stem + "-2.md")
    piece.write_text(piece.read_text(encoding="utf-8").replace("part: 2", "part: 1"), encoding="utf-8")
    assert any("source 和 position 相同" in p.message for p in _errors(content))


@pytest.mark.parametrize("args, words", [
    (["--at", "这几个字正文里没有", "--title", "新"], "找不到"),
    (["--title", "新"], "--at"),
])
def test_split_mistakes_are_one_chinese_line(imported, args, words):
    content, pages = imported
    before = _pages(content)
    result = bl("split", str(pages[1]), *args)
    assert result.exit_code in (1, 2) and words in result.output
    assert _pages(content) == before


def test_merge_warns_about_a_page_no_record_keeps_deleted(imported):
    content, pages = imported
    for record in (content / "imports").rglob("*.yml"):
        record.unlink()
    result = bl("merge", str(pages[3]), str(pages[5]))
    assert result.exit_code == 0
    assert "不在任何导入记录中，重新导入这一版面时它可能再次生成" in result.output


def test_a_split_undone_by_merge_needs_no_record(imported):
    """A piece split off is the editor's own page: merging it back warns about nothing."""
    content, pages = imported
    page = pages[1]
    body = read_article(page).body.strip()
    at = [p for p in body.split("\n\n") if p.strip()][2][:7]
    assert bl("split", str(page), "--at", at, "--title", "第二篇").exit_code == 0
    result = bl("merge", str(page), str(page.with_name(page.stem + "-2.md")))
    assert result.exit_code == 0 and "注意" not in result.output, result.output
    assert read_article(page).body.strip() == body


def test_merge_takes_the_byline_and_authors_of_the_end(tmp_path):
    """The signature ends an article: merged into a page without one, it is kept."""
    d = tmp_path / "content" / "articles" / "2021"
    d.mkdir(parents=True)
    head = "---\ntitle: 甲\ndate: 2021-06-01\nissue_date: 2021-06-01\nstreets: [任港街道]\nprogrammes: []\n"
    (d / "a.md").write_text(head + "authors: []\nsource: x.txt\nposition: 1\n---\n\n前半篇正文。\n", encoding="utf-8")
    (d / "b.md").write_text(head.replace("title: 甲", "title: 乙").replace("[任港街道]", "[任港街道, 秦灶街道]")
                            + "authors: [陈芳]\nbyline: （通讯员 陈芳）\nsource: x.txt\nposition: 2\n---\n\n后半篇正文。\n",
                            encoding="utf-8")
    result = bl("merge", str(d / "a.md"), str(d / "b.md"))
    assert result.exit_code == 0, result.output
    merged = read_article(d / "a.md")
    assert (merged.title, merged.streets, merged.authors, merged.byline) == ("甲", ["任港街道", "秦灶街道"], ["陈芳"], "（通讯员 陈芳）")
    assert merged.body.strip() == "前半篇正文。\n\n后半篇正文。"
    assert "加上了后面几篇的：streets 秦灶街道；authors 陈芳；byline （通讯员 陈芳）" in result.output


def _page(content: Path, day: str, body: str, byline: str = "（通讯员 周婷）") -> Path:
    page = content / "articles" / "2021" / "2021-06-01-70a3ba.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"---\ntitle: 秦灶街道举办邻里节\ndate: {day}\nissue_date: 2021-06-01\nstreets:\n- 秦灶街道\n"
                    f"programmes: []\nauthors:\n- 周婷\nbyline: {byline}\nsource: 2021-06-01.txt\nposition: 4\n---\n\n"
                    f"{body}\n", encoding="utf-8")
    return page


def test_split_gives_the_new_page_its_own_date_and_the_byline(tmp_path):
    """又讯 6月1日 …: the new page is dated by its own lead; the byline printed at the end goes with it."""
    page = _page(tmp_path, "2021-05-29", "本报讯 5月29日，秦灶街道举办邻里节。\n\n又讯 6月1日，观音山街道为留守儿童送去节日礼物。")
    result = bl("split", str(page), "--at", "又讯", "--title", "观音山街道为留守儿童送节日礼物")
    assert result.exit_code == 0, result.output
    first, second = read_article(page), read_article(page.with_name(page.stem + "-2.md"))
    assert (first.date.isoformat(), second.date.isoformat()) == ("2021-05-29", "2021-06-01")
    assert (first.byline or "", second.byline) == ("", "（通讯员 周婷）")
    assert first.authors == second.authors == ["周婷"]
    assert "新页面的日期改为 2021-06-01" in result.output and "已移到新页面" in result.output
    assert "请按各自的正文核对" in result.output
    assert not _errors(tmp_path)


def test_split_without_a_day_in_the_new_lead_says_to_check_the_date(tmp_path):
    page = _page(tmp_path, "2021-05-29", "本报讯 5月29日，秦灶街道举办邻里节。\n\n又讯 观音山街道为留守儿童送去节日礼物。")
    result = bl("split", str(page), "--at", "又讯", "--title", "观音山街道为留守儿童送节日礼物")
    assert result.exit_code == 0, result.output
    assert read_article(page.with_name(page.stem + "-2.md")).date.isoformat() == "2021-05-29"
    assert "新页面的日期沿用原页面的 2021-05-29：正文开头没有写日子，请核对" in result.output
