"""Re-import: identical output, editors' corrections kept, --force with a backup."""

import datetime as dt
from pathlib import Path

from bulletin.cli import main
from click.testing import CliRunner
from conftest import EXAMPLE_RAW, EXAMPLE_TAXONOMY

RAW = EXAMPLE_RAW / "003.txt"


def _import(content: Path, *extra: str):
    return CliRunner().invoke(main, ["import", str(RAW), "--issue-date", "2021-05-28", "--content", str(content),
                                     "--taxonomy", str(EXAMPLE_TAXONOMY), *extra])


def _snapshot(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def test_reimport_is_byte_identical_and_adds_nothing(tmp_path):
    assert _import(tmp_path).exit_code == 0
    first = _snapshot(tmp_path)
    assert len(first) == 10 and "imports/2021/2021-05-28-003.yml" in first  # 9 pages and the import record
    result = _import(tmp_path)
    assert result.exit_code == 0 and "未变" in result.output
    assert _snapshot(tmp_path) == first


def test_edited_page_is_kept_and_reported(tmp_path):
    _import(tmp_path)
    page = sorted(tmp_path.rglob("*.md"))[0]
    edited = page.read_text(encoding="utf-8").replace("title: ", "title: 更正后的", 1)
    page.write_text(edited, encoding="utf-8")
    result = _import(tmp_path)
    assert result.exit_code == 0
    assert page.read_text(encoding="utf-8") == edited
    assert "已保留编辑过的版本" in result.output and page.name in result.output


def test_force_replaces_edited_page_and_keeps_backup(tmp_path):
    _import(tmp_path)
    page = sorted(tmp_path.rglob("*.md"))[0]
    original = page.read_text(encoding="utf-8")
    edited = original + "\n编辑补充的一段。\n"
    page.write_text(edited, encoding="utf-8")
    result = _import(tmp_path, "--force")
    assert result.exit_code == 0
    assert page.read_text(encoding="utf-8") == original
    assert page.with_name(page.name + ".bak").read_text(encoding="utf-8") == edited


def test_stale_unedited_pages_of_the_same_raw_page_are_removed(tmp_path):
    _import(tmp_path)
    year = tmp_path / "articles" / "2021"
    stale = year / "2021-05-28-003-abcdef.md"
    stale.write_text(next(year.glob("*.md")).read_text(encoding="utf-8"), encoding="utf-8")
    other = year / "2021-05-28-004-abcdef.md"
    other.write_text("keep me", encoding="utf-8")
    _import(tmp_path)
    assert not stale.exists() and other.exists()


def test_url_does_not_depend_on_title(tmp_path):
    from bulletin.importer.pipeline import import_text
    from bulletin.taxonomy import Taxonomy

    text = RAW.read_text(encoding="utf-8")
    a = import_text(text, "003.txt", dt.date(2021, 5, 28), Taxonomy())
    b = import_text(text.replace("延伸网格触角 做群众知心人", "延伸网格触角"), "003.txt", dt.date(2021, 5, 28), Taxonomy())
    assert a.slugs == b.slugs
