"""Public programmes come from the taxonomy; names found by pattern are candidates until an
editor adds them (``bulletin candidates add``, then ``bulletin retag``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bulletin.cli import main
from bulletin.editing.candidates import add_programmes
from bulletin.model import read_article
from bulletin.taxonomy import load_taxonomy

from conftest import EXAMPLE_RAW, EXAMPLE_TAXONOMY, bl_build, bl_copy_site_config, bl_invoke_in

RAW = EXAMPLE_RAW / "003.txt"


def cli(root: Path, *args: str):
    return bl_invoke_in(root, main, *args)


@pytest.fixture
def imported(tmp_path) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(EXAMPLE_TAXONOMY, tmp_path / "taxonomy.yml")
    bl_copy_site_config(tmp_path)
    assert cli(tmp_path, "import", str(RAW), "--issue-date", "2021-05-28").exit_code == 0
    return tmp_path


def _page_with(root: Path, name: str) -> Path:
    [page] = [p for p in (root / "content").rglob("*.md") if name in read_article(p).body]
    return page


def test_pattern_names_are_candidates_not_public_tags(imported):
    page = read_article(_page_with(imported, "全要素网格通"))
    assert "全要素网格通" in page.candidate_programmes and "全要素网格通" not in page.programmes
    taxonomy = load_taxonomy(imported / "taxonomy.yml")
    for p in (imported / "content").rglob("*.md"):
        assert all(taxonomy.is_known_programme(n) for n in read_article(p).programmes)
    proc = bl_build(imported)
    assert proc.returncode == 0, proc.stderr
    assert "警告" not in proc.stderr and "WARNING" not in proc.stderr
    programmes = {p.name for p in (imported / "site" / "programmes").iterdir()}
    assert "河长制" in programmes  # a curated one
    assert not programmes & {"全要素网格通", "如何推进老旧桥梁道路维护", "六个一"}
    assert not (imported / "site" / "imports").exists()


def test_check_and_candidates_list_them(imported):
    check = cli(imported, "check")
    assert check.exit_code == 0
    assert "项目候选（candidate_programmes，不在分类表中，网站上不显示）：" in check.output
    assert "如何推进老旧桥梁道路维护" in check.output and "bulletin candidates 列出它们" in check.output
    listing = cli(imported, "candidates")
    rows = [ln.split("\t") for ln in listing.output.splitlines() if "\t" in ln]
    assert sorted(r[0] for r in rows) == ["争星创优", "全要素网格通", "六个一", "如何推进老旧桥梁道路维护", "虹桥巷尚"]
    assert all(r[1] == "1 篇" and r[2].startswith("content/articles/2021/") for r in rows)


def test_candidates_of_one_folder_or_page(imported):
    """`bulletin candidates PATH...` lists those of the folders or pages named, options before or after."""
    page = _page_with(imported, "全要素网格通").relative_to(imported).as_posix()
    for args in ([page], ["--taxonomy", "taxonomy.yml", page], [page, "--taxonomy", "taxonomy.yml"]):
        listing = cli(imported, "candidates", *args)
        assert listing.exit_code == 0, listing.output
        assert [ln.split("\t")[0] for ln in listing.output.splitlines() if "\t" in ln] == ["全要素网格通"]
    empty = imported / "content" / "articles" / "1999"
    empty.mkdir()
    (empty / "a.md").write_text("---\ntitle: 无候选\n---\n正文\n", encoding="utf-8")
    assert "没有候选项目" in cli(imported, "candidates", "content/articles/1999").output
    missing = cli(imported, "candidates", "content/articles/2000")
    assert missing.exit_code == 1 and missing.output.count("错误") == 1, missing.output


def test_check_ends_with_one_short_candidates_line(imported):
    """Many candidates are counted, not listed, after a check (the list is `bulletin candidates`')."""
    page = _page_with(imported, "全要素网格通")
    text = page.read_text(encoding="utf-8")
    names = [f"候选项目{i}" for i in range(40)]
    page.write_text(text.replace("candidate_programmes:\n", "candidate_programmes:\n" + "".join(f"- {n}\n" for n in names), 1),
                    encoding="utf-8")
    check = cli(imported, "check", "content/articles")
    [line] = [ln for ln in check.output.splitlines() if ln.startswith("项目候选")]
    assert "45 个；bulletin candidates content/articles 列出" in line and "候选项目1" not in line


def test_add_then_retag_makes_a_candidate_a_programme(imported):
    before = (imported / "taxonomy.yml").read_text(encoding="utf-8")
    result = cli(imported, "candidates", "add", "全要素网格通")
    assert result.exit_code == 0, result.output
    after = (imported / "taxonomy.yml").read_text(encoding="utf-8")
    assert after == before + "  - name: 全要素网格通\n"  # comments and layout kept
    proc = bl_build(imported)
    assert (imported / "site" / "programmes" / "全要素网格通" / "index.html").is_file()  # the build shows it at once
    check = cli(imported, "check")
    assert "候选项目「全要素网格通」已在分类表中，应移到 programmes" in check.output
    assert cli(imported, "retag").exit_code == 0
    page = read_article(_page_with(imported, "全要素网格通"))
    assert "全要素网格通" in page.programmes and "全要素网格通" not in page.candidate_programmes
    text = _page_with(imported, "全要素网格通").read_text(encoding="utf-8")
    assert "candidate_programmes" not in text  # the importer writes no empty list; neither does retag
    check = cli(imported, "check")
    assert check.exit_code == 0 and "全要素网格通" not in check.output
    reimport = cli(imported, "import", str(RAW), "--issue-date", "2021-05-28")
    assert reimport.exit_code == 0 and "保留编辑" not in reimport.output  # retag kept the page the importer's
    assert proc.returncode == 0


@pytest.mark.parametrize("name, words", [
    ("河长制", "「河长制」已在分类表"),
    ("不存在的项目", "「不存在的项目」不是任何页面的候选项目"),
])
def test_add_refuses_what_is_not_a_candidate(imported, name, words):
    before = (imported / "taxonomy.yml").read_text(encoding="utf-8")
    result = cli(imported, "candidates", "add", name)
    assert result.exit_code == 1 and words in result.output
    assert (imported / "taxonomy.yml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("text", [
    "streets: []\n",
    "streets: []\nprogrammes:\n",
    "programmes:\n- name: 甲\n# 注释\n",
    "programmes:\n    - 甲\n    - {name: 乙, aliases: [丙]}\nstreets:\n  - 某街道\n",
    "# 只有注释",
])
def test_add_programmes_keeps_every_other_line(text):
    names = ["新项目: 冒号", "百舸争流 争先创优在行动"]
    out = add_programmes(text, names)
    data = yaml.safe_load(out)
    got = [p if isinstance(p, str) else p["name"] for p in data["programmes"]]
    assert got[-2:] == names
    kept = [ln for ln in out.splitlines() if "新项目" not in ln and "百舸争流" not in ln and ln != "programmes:"]
    assert kept == [ln for ln in text.splitlines() if ln != "programmes:"]


def test_add_programmes_refuses_a_flow_list():
    with pytest.raises(ValueError, match="taxonomy.yml:1: programmes 写成了方括号列表"):
        add_programmes("programmes: [甲, 乙]\n", ["丙"])
