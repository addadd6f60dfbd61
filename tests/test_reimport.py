"""Editors' fixes always win: a re-import keeps deleted, merged and retitled pages as the
editor left them (the import record says what the importer made); ``--force`` restores."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bulletin.cli import main
from bulletin.model import read_article
from click.testing import CliRunner
from conftest import EXAMPLE_RAW, EXAMPLE_TAXONOMY, bl_example_archive

RAW = EXAMPLE_RAW / "003.txt"
TAXONOMY = EXAMPLE_TAXONOMY


def _import(content: Path, *extra: str, raw: Path = RAW, date: str = "2021-05-28"):
    args = ["import", str(raw), "--content", str(content), "--taxonomy", str(TAXONOMY), *extra]
    return CliRunner().invoke(main, args + (["--issue-date", date] if date else []))


def _pages(content: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md"))}


def _imported_copy(tmp_path: Path) -> tuple[Path, Path, str]:
    """A copy of the sample raw page, imported once: (content, the copy, its text)."""
    content, raw = tmp_path / "content", tmp_path / "003.txt"
    text = RAW.read_text(encoding="utf-8")
    raw.write_text(text, encoding="utf-8")
    assert _import(content, raw=raw).exit_code == 0
    return content, raw, text


def _opening(page: Path, n: int) -> str:
    """The first ``n`` Chinese characters of a page's body (punctuation differs from the raw text)."""
    return re.search(rf"[\u4e00-\u9fff]{{{n}}}", read_article(page).body).group(0)


@pytest.fixture
def edited(tmp_path):
    """An imported page after an editor deleted one page, merged two and retitled one."""
    content = tmp_path / "content"
    assert _import(content).exit_code == 0
    pages = sorted(content.rglob("*.md"), key=lambda p: read_article(p).position)
    assert len(pages) == 9
    deleted, keep, merged_away, retitled = pages[8], pages[3], pages[4], pages[1]
    deleted.unlink()  # not news
    merged = keep.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + read_article(merged_away).body.strip() + "\n"
    keep.write_text(merged, encoding="utf-8")
    merged_away.unlink()
    text = retitled.read_text(encoding="utf-8")
    title = read_article(retitled).title
    retitled.write_text(text.replace(f"title: {title}", "title: 编辑改过的标题", 1), encoding="utf-8")
    return content, _pages(content), {"deleted": deleted, "keep": keep, "gone": merged_away, "retitled": retitled}


def test_reimport_keeps_deletions_merges_and_edits(edited):
    content, before, pages = edited
    assert len(before) == 7
    result = _import(content)
    assert result.exit_code == 0, result.output
    assert _pages(content) == before  # page count and every edited page unchanged
    out = result.output
    assert "编辑已删除（未恢复）│ 2" in out.replace(" ", "") or "编辑已删除（未恢复）" in out
    for key in ("deleted", "gone"):
        assert f"{pages[key].name}: 编辑已删除此页，没有恢复（--force 可恢复）" in out.replace("\n", "")
    for key in ("keep", "retitled"):
        assert f"{pages[key].name}: 已保留编辑过的版本" in out.replace("\n", "")
    record = next((content / "imports").rglob("*.yml")).read_text(encoding="utf-8")
    assert _import(content).exit_code == 0  # and again: nothing moves, the record neither
    assert _pages(content) == before
    assert next((content / "imports").rglob("*.yml")).read_text(encoding="utf-8") == record


def test_force_restores_the_importers_version_with_backups(edited):
    content, before, pages = edited
    result = _import(content, "--force")
    assert result.exit_code == 0, result.output
    after = _pages(content)
    assert len(after) == 9
    for key in ("deleted", "gone"):
        assert pages[key].exists()
        assert f"{pages[key].name}: 编辑删除过此页，已按 --force 恢复" in result.output.replace("\n", "")
    for key in ("keep", "retitled"):
        backup = pages[key].with_name(pages[key].name + ".bak")
        assert backup.read_text(encoding="utf-8") == before[pages[key].name]
        assert after[pages[key].name] != before[pages[key].name]
    assert "编辑改过的标题" not in "".join(after.values())


def test_a_page_the_importer_no_longer_makes_stays_deleted_in_the_record(tmp_path):
    """The editor deleted page 9; a later importer stops making it, a still later one makes it again."""
    content, raw, text = _imported_copy(tmp_path)
    last = max(content.rglob("*.md"), key=lambda p: read_article(p).position)
    opening = _opening(last, 4)
    last.unlink()
    assert opening in text
    raw.write_text(text[: text.index(opening)], encoding="utf-8")
    assert _import(content, raw=raw).exit_code == 0
    assert len(list(content.rglob("*.md"))) == 8
    raw.write_text(text, encoding="utf-8")
    result = _import(content, raw=raw)
    assert result.exit_code == 0 and not last.exists()
    assert last.name in next((content / "imports").rglob("*.yml")).read_text(encoding="utf-8")


def test_a_page_a_better_import_adds_is_listed_as_new(tmp_path):
    content = tmp_path / "content"
    raw = tmp_path / "003.txt"
    text = RAW.read_text(encoding="utf-8")
    raw.write_text(text[: text.index("除了")], encoding="utf-8")  # the last article missing, as a worse cut would
    assert _import(content, raw=raw).exit_code == 0
    before = set(content.rglob("*.md"))
    raw.write_text(text, encoding="utf-8")
    result = _import(content, raw=raw)
    [added] = set(content.rglob("*.md")) - before
    assert f"{added.name}: 新页面（上次导入没有生成）" in result.output.replace("\n", "")


def test_broken_record_is_one_line_and_nothing_is_written(tmp_path):
    content = tmp_path / "content"
    assert _import(content).exit_code == 0
    record = next((content / "imports").rglob("*.yml"))
    record.write_text("pages: [oops\n", encoding="utf-8")
    page = next(content.rglob("*.md"))
    page.unlink()
    result = _import(content)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"{record}:2: 导入记录格式有误" in lines[0], result.output
    assert not page.exists()


def test_a_record_naming_other_files_is_refused(tmp_path):
    content = tmp_path / "content"
    assert _import(content).exit_code == 0
    record = next((content / "imports").rglob("*.yml"))
    text = record.read_text(encoding="utf-8")
    first = text.index("- file: ") + len("- file: ")
    record.write_text(text[:first] + "../../outside.md" + text[text.index("\n", first):], encoding="utf-8")
    line = text[:first].count("\n") + 1
    result = _import(content)
    assert result.exit_code == 1 and f"{record}:{line}: 导入记录格式有误" in result.output


def test_example_import_records_list_every_page():
    """The examples' import records list exactly the pages imported (none deleted yet)."""
    import yaml

    listed = []
    content = bl_example_archive() / "content"
    for path in sorted((content / "imports").rglob("*.yml")):
        listed += [p["file"] for p in yaml.safe_load(path.read_text(encoding="utf-8"))["pages"]]
    pages = sorted(p.relative_to(content).as_posix() for p in (content / "articles").rglob("*.md"))
    assert sorted(listed) == pages


@pytest.mark.parametrize("name, date, pages_named", [
    ("2021-06-01.txt", None, r"2021-06-01-[0-9a-f]{6}\.md"),
    ("20210601.txt", None, r"2021-06-01-[0-9a-f]{6}\.md"),
    ("2021-06-01-p3.txt", None, r"2021-06-01-p3-[0-9a-f]{6}\.md"),
    ("2021-06-01.txt", "2021-06-02", r"2021-06-02-2021-06-01-[0-9a-f]{6}\.md"),  # another day: the name says something
])
def test_date_named_raw_files_do_not_repeat_the_date(tmp_path, name, date, pages_named):
    raw = tmp_path / name
    raw.write_text(RAW.read_text(encoding="utf-8"), encoding="utf-8")
    content = tmp_path / "content"
    result = _import(content, raw=raw, date=date)
    assert result.exit_code == 0, result.output
    names = [p.name for p in content.rglob("*.md")]
    assert len(names) == 9 and all(re.fullmatch(pages_named, n) for n in names), names
    assert _import(content, raw=raw, date=date).exit_code == 0
    assert sorted(p.name for p in content.rglob("*.md")) == sorted(names)


@pytest.mark.parametrize("name, words", [
    ("2021-02-30.txt", "文件名中的日期 2021-02-30 不是真实存在的日期"),
    ("2021_13_01.txt", "文件名中的日期 2021-13-01 不是真实存在的日期"),
    ("1850-01-01.txt", "文件名中的日期 1850-01-01 早于 1949 年"),
    ("2999-01-01.txt", "文件名中的日期 2999-01-01 是将来的日期"),
    ("scan-7.txt", "需要 --issue-date YYYY-MM-DD（文件名中没有日期）"),
])
def test_file_name_dates_are_checked_like_the_option(tmp_path, name, words):
    raw = tmp_path / name
    raw.write_text(RAW.read_text(encoding="utf-8"), encoding="utf-8")
    result = _import(tmp_path / "content", raw=raw, date=None)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0] and str(raw) in lines[0], result.output
    assert not list((tmp_path / "content").rglob("*.md"))


def test_a_better_importer_renaming_pages_keeps_the_editors_decisions(tmp_path):
    """A changed opening text gives an article a new page name; the editor's deletion and edit still hold."""
    content, raw, text = _imported_copy(tmp_path)
    by_position = {read_article(p).position: p for p in content.rglob("*.md")}
    deleted, edited = by_position[3], by_position[4]
    for page in (deleted, edited):
        opening = _opening(page, 6)
        assert text.count(opening) == 1
        text = text.replace(opening, opening[:3] + "某" + opening[4:])  # the "better" importer's reading
    deleted.unlink()
    edited.write_text(edited.read_text(encoding="utf-8") + "\n编辑补充的一段。\n", encoding="utf-8")
    before = _pages(content)
    raw.write_text(text, encoding="utf-8")
    result = _import(content, raw=raw)
    assert result.exit_code == 0, result.output
    out = result.output.replace("\n", "")
    assert f"与编辑已删除的 {deleted.name} 是同一篇，没有写入" in out
    assert f"与编辑改过的 {edited} 是同一篇，没有写入，保留编辑的版本" in out
    assert _pages(content) == before  # no page came back, none was added twice
    assert _import(content, raw=raw).exit_code == 0 and _pages(content) == before
    forced = _import(content, "--force", raw=raw)
    assert forced.exit_code == 0
    assert len(_pages(content)) == 9 and not edited.exists() and not deleted.exists()
    assert edited.with_name(edited.name + ".bak").read_text(encoding="utf-8") == before[edited.name]
