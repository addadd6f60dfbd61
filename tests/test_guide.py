"""The editors' guide runs: every ```sh block of docs/editors-guide.zh.md, in order,
on a fresh clone of the project, as a volunteer would type them.

- A block that serves (make serve, mkdocs serve, bulletin preview) or pushes (git push)
  says so with the comment ``# 指南测试跳过`` and is not run; every other block is.
- What the volunteer does in an editor is marked in the guide with
  ``<!-- 指南测试：编辑 NAME -->``; the test makes the same edit (EDITS below).
- A ```text block whose first line is ``# 你会看到`` after a sh block lists lines
  that block prints (spaces and table borders aside).

The clone (this working tree as it is, its archive replaced by the example
archive of tests/examples/: the guide's outputs describe that one) reuses this
checkout's .venv (a symlink: nothing is installed) and has a home folder of its
own (the guide puts the practice page in ~/下载/).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from volunteer import bl_volunteer_clone, sh

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "editors-guide.zh.md"
SKIP = "# 指南测试跳过"
SERVES_OR_PUSHES = re.compile(r"\b(make serve|mkdocs serve|http\.server|bulletin preview|git push)\b")
BLOCK = re.compile(r"^(?:<!-- 指南测试：编辑 (\S+) -->\n)?( *)```(\w*)\n(.*?)^\2```[ \t]*$", re.M | re.S)


def blocks(text: str) -> list[tuple[str, str, str]]:
    """(edit marker or "", language, body) of every fenced block, in order (list items' blocks dedented)."""
    return [(m.group(1) or "", m.group(3), textwrap.dedent(m.group(4))) for m in BLOCK.finditer(text)]


def _squash(text: str) -> str:
    """Text without spaces, table borders and pre-commit's dot leaders (they vary with the terminal)."""
    return re.sub(r"[\s\u2500-\u257f]+|\.{3,}", "", text)


# --------------------------------------------------------------------------- editor's edits

def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found (the guide and the practice page disagree)"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _taxonomy(work: Path) -> None:
    tax = work / "taxonomy.yml"
    _replace(tax, "  - {name: 任港街道, district: 崇川区, city: 南通市}\n",
             "  - {name: 任港街道, district: 崇川区, city: 南通市, aliases: [任巷街道]}\n"
             "  - {name: 观音山街道, district: 崇川区, city: 南通市}\n")


def _title(work: Path) -> None:
    _replace(work / "content/articles/2021/2021-06-01-a6b0dd.md", "title: 观音山街道开展垃圾分类入户宣传\n",
             "title: 观音山街道志愿者入户宣传垃圾分类\n")


def _streets(work: Path) -> None:
    _replace(work / "content/articles/2021/2021-06-01-70a3ba.md", "- 秦灶街道\n- 观音山街道\n", "- 秦灶街道\n")
    _replace(work / "content/articles/2021/2021-06-01-70a3ba-2.md", "- 秦灶街道\n- 观音山街道\n", "- 观音山街道\n")


EDITS = {"taxonomy": _taxonomy, "title": _title, "streets": _streets}


# --------------------------------------------------------------------------- the walk

def test_every_block_is_run_or_marked():
    """Skipping is explicit: a block is skipped only when it says so, and only if it serves or pushes."""
    found = [b for b in blocks(GUIDE.read_text(encoding="utf-8")) if b[1] == "sh"]
    assert len(found) >= 10
    for _, _, body in found:
        assert (SKIP in body) == bool(SERVES_OR_PUSHES.search(body)), body
    marks = re.findall(r"<!-- 指南测试：编辑 (\S+) -->", GUIDE.read_text(encoding="utf-8"))
    assert sorted(marks) == sorted(EDITS)


@pytest.fixture
def walk(tmp_path):
    """A volunteer's clone of this checkout holding the example archive the guide describes."""
    return bl_volunteer_clone(tmp_path, examples=True)


def test_the_guide_runs_on_a_fresh_clone(walk):
    work, env = walk
    text = GUIDE.read_text(encoding="utf-8")
    found = blocks(text)
    last = ""
    ran = 0
    for i, (edit, lang, body) in enumerate(found):
        if edit:
            EDITS[edit](work)
        if lang == "text" and body.startswith("# 你会看到"):
            for line in body.splitlines()[1:]:
                want = _squash(line.split("  # ")[0])
                assert not want or want in _squash(last), (
                    f"the guide says the block before shows\n  {line}\nbut it printed:\n{last}")
            continue
        if lang != "sh" or SKIP in body:
            continue
        # one shell per block, as a new terminal would be after `source .venv/bin/activate`
        proc = sh(body, work, env)
        last = proc.stdout + proc.stderr
        assert proc.returncode == 0, f"block {i} failed (exit {proc.returncode}):\n{body}\n--- output:\n{last}"
        ran += 1
    assert ran >= 10
