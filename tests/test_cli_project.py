"""Commands find the project's taxonomy from any folder and never pass silently without it;
every command-line error is one Chinese line with exit status 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bulletin.cli import main
from bulletin.model import read_article
from bulletin.project import ProjectError, find_project, taxonomy_path
from conftest import EXAMPLE_RAW, EXAMPLE_TAXONOMY, bl_invoke_in

ROOT = Path(__file__).resolve().parent.parent
RAW = EXAMPLE_RAW / "003.txt"
BULLETIN = Path(sys.executable).parent / "bulletin"


def run_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """The installed command, as an editor runs it, in ``folder``."""
    return subprocess.run([str(BULLETIN), *args], cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})


@pytest.fixture
def project(tmp_path) -> Path:
    """A project: mkdocs.yml (with !ENV tags, as ours), taxonomy.yml, raw/ and content/."""
    root = tmp_path / "proj"
    (root / "raw").mkdir(parents=True)
    (root / ".git").mkdir()  # the search stops at the repository root
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(EXAMPLE_TAXONOMY, root / "taxonomy.yml")
    shutil.copy(RAW, root / "raw" / "003.txt")
    return root


def test_import_from_a_sub_folder_uses_the_projects_taxonomy_and_content(project):
    proc = run_in(project / "raw", "import", "003.txt", "--issue-date", "2021-05-28")
    assert proc.returncode == 0, proc.stderr
    assert "taxonomy.yml（" in proc.stderr and "mkdocs.yml 的设置" in proc.stderr
    pages = list((project / "content" / "articles").rglob("*.md"))
    assert len(pages) == 9 and not (project / "raw" / "content").exists()
    assert any(read_article(p).district == "崇川区" for p in pages)  # from the taxonomy
    assert any("河长制" in read_article(p).programmes for p in pages)


def test_no_taxonomy_anywhere_is_said_in_the_report(tmp_path):
    (tmp_path / ".git").mkdir()
    proc = run_in(tmp_path, "import", str(RAW), "--issue-date", "2021-05-28")
    assert proc.returncode == 0, proc.stderr
    assert "没有分类表（从" in proc.stderr and "向上没有找到 mkdocs.yml 或 taxonomy.yml" in proc.stderr
    check = run_in(tmp_path, "check")
    assert "没有分类表" in check.stderr


@pytest.mark.parametrize("command", ["import", "check", "retag"])
def test_named_but_missing_taxonomy_is_an_error(project, command):
    args = {"import": ["import", "raw/003.txt", "--issue-date", "2021-05-28"], "check": ["check"], "retag": ["retag"]}[command]
    proc = run_in(project, *args, "--taxonomy", "/nonexistent.yml")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["错误：--taxonomy 指定的分类表 /nonexistent.yml 不存在"]
    assert not (project / "content").exists()


def test_taxonomy_named_in_mkdocs_yml_but_missing_is_an_error(project):
    text = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("taxonomy: taxonomy.yml", "taxonomy: data/tags.yml")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    line = text[: text.index("taxonomy: data/tags.yml")].count("\n") + 1
    with pytest.raises(ProjectError, match=rf"^{project}/mkdocs.yml:{line}: 插件设置的分类表 data/tags.yml 不存在"):
        taxonomy_path(None, find_project(project / "raw"))
    proc = run_in(project / "raw", "import", "003.txt", "--issue-date", "2021-05-28")
    assert proc.returncode == 1 and "插件设置的分类表 data/tags.yml 不存在" in proc.stderr
    (project / "data").mkdir()
    shutil.move(project / "taxonomy.yml", project / "data" / "tags.yml")
    assert find_project(project / "raw").taxonomy == project / "data" / "tags.yml"


def test_the_search_stops_at_the_repository_root(project):
    (project / "mkdocs.yml").unlink()
    (project / "taxonomy.yml").unlink()
    assert find_project(project / "raw").taxonomy is None
    shutil.copy(EXAMPLE_TAXONOMY, project / "taxonomy.yml")
    found = find_project(project / "raw")
    assert found.taxonomy == project / "taxonomy.yml" and found.content == project / "content"


@pytest.mark.parametrize("args, words", [
    (["import", "raw/003.txt", "--bogus"], "没有 --bogus 这个选项"),
    (["imprt"], "没有 imprt 这个命令"),
    (["import"], "缺少 RAW"),
    (["import", "raw/003.txt", "--issue-date"], "--issue-date 后面需要一个值"),
    (["import", "raw/003.txt", "--issue-date", "2021-02-30"], "--issue-date 2021-02-30 不是真实存在的日期"),
    (["check", "--format", "xml"], "--format 应为 text、github 之一，而不是 'xml'"),
    (["retag", "extra"], "多余的参数：extra"),
])
def test_every_cli_error_is_one_chinese_line_exit_1(project, args, words):
    result = bl_invoke_in(project, main, *args)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert result.exit_code == 1
    assert len(lines) == 1 and lines[0].startswith("错误：") and words in lines[0], result.output
    assert "Error" not in result.output and "Usage" not in result.output


def test_a_bug_is_one_line_not_a_traceback(project, monkeypatch):
    import bulletin.editing.check as check

    def boom(*a, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "check_files", boom)
    result = bl_invoke_in(project, main, "check")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "错误：程序出错（RuntimeError: boom）；这是程序缺陷，请附上所用命令报告（设置 BULLETIN_DEBUG=1 可看到详细信息）"]


def test_the_build_refuses_a_named_but_missing_taxonomy(tmp_path):
    from conftest import bl_build, bl_copy_site_config, bl_write_content

    bl_write_content(tmp_path)
    config = bl_copy_site_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("taxonomy: taxonomy.yml", "taxonomy: tags.yml"),
                      encoding="utf-8")
    proc = bl_build(tmp_path)
    assert proc.returncode == 1
    assert "插件设置的分类表 tags.yml 不存在" in proc.stderr
    (tmp_path / "taxonomy.yml").rename(tmp_path / "tags.yml")
    assert bl_build(tmp_path).returncode == 0
