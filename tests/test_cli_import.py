"""``bulletin import`` on the command line: clear one-line errors, nothing written
for a bad file, the others imported anyway, encodings and progress reported."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bulletin.cli import main
from click.testing import CliRunner
from conftest import EXAMPLE_RAW, EXAMPLE_TAXONOMY

# The three pages these tests were written against (raw/ holds more examples).
RAW = [EXAMPLE_RAW / name for name in ("000.txt", "002.txt", "003.txt")]
TAXONOMY = EXAMPLE_TAXONOMY
BULLETIN = Path(sys.executable).parent / "bulletin"


def cli(*args: str):
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False)


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


@pytest.fixture
def bad_files(tmp_path) -> dict[str, tuple[Path, str]]:
    """Each kind of bad input and the words its error must say."""
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"\r\n  \n\t\n")
    (d / "english.txt").write_text("Minutes of the residents' meeting. Everyone agreed.\n" * 20, encoding="utf-8")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (d / "random.bin").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(5000)))
    (d / "a-folder").mkdir()
    return {
        "missing": (d / "missing.txt", "文件不存在"),
        "folder": (d / "a-folder", "是目录"),
        "empty": (d / "empty.txt", "文件为空"),
        "blank": (d / "blank.txt", "文件为空"),
        "english": (d / "english.txt", "不像中文简报文本"),
        "png": (d / "image.png", "不是可识别的图片文件"),  # an image name: read as a scan, refused as one
        "random": (d / "random.bin", "不是文本文件"),
    }


@pytest.mark.parametrize("kind", ["missing", "folder", "empty", "blank", "english", "png", "random"])
def test_bad_file_one_line_error_exit_1_nothing_written(tmp_path, bad_files, kind):
    path, words = bad_files[kind]
    content = tmp_path / "content"
    result = cli(str(path), "--issue-date", "2021-05-28", "--content", str(content), "--taxonomy", str(TAXONOMY))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0] and str(path) in lines[0], result.output
    assert "Traceback" not in result.output
    assert not content.exists()


def test_bad_files_do_not_stop_the_others_and_are_listed(tmp_path, bad_files):
    content = tmp_path / "content"
    bad = [str(p) for p, _ in bad_files.values()]
    result = cli(bad[0], str(RAW[0]), *bad[1:4], str(RAW[2]), *bad[4:], "--issue-date", "2021-05-28",
                 "--content", str(content), "--taxonomy", str(TAXONOMY))
    assert result.exit_code == 1
    assert f"2 / {len(bad) + 2}" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("错误 ")]
    assert len(errors) == len(bad)
    for (path, words), line in zip(bad_files.values(), errors):
        assert str(path) in line and words in line
    written = {p.name.split("-")[3] for p in files_under(content) if p.suffix == ".md"}
    assert written == {"000", "003"}


@pytest.mark.parametrize("value, words", [
    ("2021-13-01", "不是真实存在的日期"),
    ("2021-02-30", "不是真实存在的日期"),
    ("21-5-28", "应为 YYYY-MM-DD"),
    ("yesterday", "应为 YYYY-MM-DD"),
    ("1900-01-01", "早于 1949 年"),
    ("2999-01-01", "将来的日期"),
])
def test_invalid_issue_date_is_one_clear_line(tmp_path, value, words):
    content = tmp_path / "content"
    result = CliRunner().invoke(main, ["import", str(RAW[0]), "--issue-date", value, "--content", str(content)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误：--issue-date ") and words in lines[0], result.output
    assert not content.exists()


def test_date_in_the_file_name_is_checked_too(tmp_path):
    raw = tmp_path / "1850-01-01.txt"
    raw.write_text(RAW[0].read_text(encoding="utf-8"), encoding="utf-8")
    result = cli(str(raw), "--content", str(tmp_path / "c"), "--taxonomy", str(TAXONOMY))
    assert result.exit_code == 1 and "早于 1949 年" in result.output and "--issue-date" in result.output


def test_content_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "content"
    blocker.write_text("not a folder", encoding="utf-8")
    result = cli(str(RAW[0]), "--issue-date", "2021-05-28", "--content", str(blocker / "sub"), "--taxonomy", str(TAXONOMY))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "无法写入文章目录" in lines[0] and str(blocker) in lines[0]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_content_folder(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    content.chmod(0o555)
    try:
        result = cli(str(RAW[0]), "--issue-date", "2021-05-28", "--content", str(content), "--taxonomy", str(TAXONOMY))
    finally:
        content.chmod(0o755)
    assert result.exit_code == 1 and "无法写入文章目录" in result.output and str(content) in result.output
    assert files_under(content) == []


def test_unwritable_year_folder_fails_that_file_only_and_leaves_no_temp_files(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "2020").write_text("a file where the year folder should be", encoding="utf-8")
    result = cli(str(RAW[1]), str(RAW[2]), "--content", str(content), "--issue-date", "2020-09-25", "--taxonomy", str(TAXONOMY))
    assert result.exit_code == 1
    assert "002.txt: 无法写入" in result.output and "本文件的页面都没有写入" in result.output
    # 003 has the same issue date here, so it fails the same way; nothing half-written anywhere.
    assert [p.name for p in files_under(content)] == ["2020"]


def test_encodings_are_detected_and_reported(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = RAW[2].read_text(encoding="utf-8")
    variants = {"gb.txt": "gb18030", "u16.txt": "utf-16", "u16le.txt": "utf-16-le", "bom.txt": "utf-8-sig", "plain.txt": "utf-8"}
    for name, encoding in variants.items():
        (raw / name).write_bytes(text.replace("\n", "\r\n").encode(encoding))
    report = tmp_path / "report.json"
    result = cli(*(str(raw / n) for n in variants), "--issue-date", "2021-05-28", "--content", str(tmp_path / "c"),
                 "--taxonomy", str(TAXONOMY), "--report", str(report))
    assert result.exit_code == 0, result.output
    for name, encoding in variants.items():
        if encoding != "utf-8":
            assert re.search(rf"编码 \S*{name}: {encoding}$", result.output, re.M), (name, result.output)
    assert json.loads(report.read_text(encoding="utf-8"))["encodings"] == {str(raw / n): e for n, e in variants.items()}
    pages = {}
    for p in files_under(tmp_path / "c" / "articles"):
        pages.setdefault(p.name.split("-")[3], []).append(p.read_text(encoding="utf-8").split("source: ")[0])
    assert len({tuple(v) for v in pages.values()}) == 1  # the same articles, whatever the encoding


def _many(tmp_path: Path, n: int) -> list[str]:
    raw = tmp_path / "raw"
    raw.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in RAW]
    out = []
    for i in range(n):
        p = raw / f"p{i:03d}.txt"
        p.write_text(texts[i % 3].replace("。", f"（{i}）。", 1), encoding="utf-8")
        out.append(str(p))
    return out


def test_progress_bar_on_a_terminal_and_plain_lines_in_a_log(tmp_path):
    files = _many(tmp_path, 100)
    common = [*files, "--issue-date", "2021-05-28", "--taxonomy", str(TAXONOMY)]
    env = {**os.environ, "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "120"}
    tty = subprocess.run([str(BULLETIN), "import", *common, "--content", str(tmp_path / "a")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert tty.returncode == 0, tty.stderr
    frames = re.findall(r"(\d+)/100", tty.stderr)
    assert frames and "━" in tty.stderr  # rich's bar, redrawn as files are done
    assert "导入 " in tty.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR")}
    log = subprocess.run([str(BULLETIN), "import", *common, "--content", str(tmp_path / "b")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert log.returncode == 0
    assert re.findall(r"已处理 (\d+)/100 个文件", log.stderr) == [str(i) for i in range(10, 101, 10)]
    assert "\x1b[" not in log.stderr
    assert len(files_under(tmp_path / "a")) == len(files_under(tmp_path / "b")) > 100


def test_same_name_same_issue_in_one_run_is_refused_not_overwritten(tmp_path):
    a, b = tmp_path / "a" / "003.txt", tmp_path / "b" / "003.txt"
    for path, raw in ((a, RAW[2]), (b, RAW[0])):
        path.parent.mkdir()
        path.write_text(raw.read_text(encoding="utf-8"), encoding="utf-8")
    content = tmp_path / "content"
    result = cli(str(a), str(b), "--issue-date", "2021-05-28", "--content", str(content), "--taxonomy", str(TAXONOMY))
    assert result.exit_code == 1
    assert f"{b}: 与本次导入的 {a} 文件名相同" in result.output
    alone = tmp_path / "alone"
    cli(str(a), "--issue-date", "2021-05-28", "--content", str(alone), "--taxonomy", str(TAXONOMY))
    assert [p.name for p in files_under(content)] == [p.name for p in files_under(alone)]  # a's pages, untouched


def test_each_report_row_has_one_name(tmp_path):
    """The row that counts the unsure cuts and the lines listing them say the same words
    (the guide sends editors to them by that name)."""
    from bulletin.cli import CHECK_SPLIT

    result = cli(str(EXAMPLE_RAW / "001.txt"), "--issue-date", "2016-12-09", "--content", str(tmp_path / "c"),
                 "--taxonomy", str(EXAMPLE_TAXONOMY))
    assert result.exit_code == 0, result.output
    [count] = re.findall(rf"│ {CHECK_SPLIT}\s*│ (\d+)\s", result.output)
    assert len(re.findall(rf"^{CHECK_SPLIT} \S*001\.txt:\d+: ", result.output, re.M)) == int(count), result.output
    assert "把握不大的分篇" not in result.output


def test_unknown_district_and_street_are_reported_with_their_line_not_guessed(tmp_path):
    raw = tmp_path / "2023-05-12.txt"
    raw.write_text(
        "社区快讯\n\n幸福里社区举办邻里节\n\n本报讯 近日，青石桥街道幸福里社区在广场举办第三届邻里节，\n"
        "吸引了两千多名居民参加。南开区\n文明办到场指导。\n", encoding="utf-8")
    result = cli(str(raw), "--content", str(tmp_path / "content"), "--taxonomy", str(TAXONOMY))
    assert result.exit_code == 0, result.output
    assert f"{raw}:5: 街道「青石桥街道」不在分类表 taxonomy.yml 中（已写入 streets）" in result.output
    assert f"{raw}:6: 区「南开区」不在分类表 taxonomy.yml 中（未写入 district）" in result.output
    [page] = (tmp_path / "content").rglob("*.md")
    text = page.read_text(encoding="utf-8")
    assert "district:" not in text and "里社区" not in result.output.replace("幸福里社区", "")


def test_unknown_places_row_and_lines_have_one_name(tmp_path):
    from bulletin.cli import UNKNOWN

    guide_page = Path(__file__).parent / "guide" / "2021-06-01.txt"
    result = cli(str(guide_page), "--content", str(tmp_path / "c"), "--taxonomy", str(EXAMPLE_TAXONOMY))
    assert result.exit_code == 0, result.output
    [row] = re.findall(rf"│ {UNKNOWN}\s*│ (\S+)\s", result.output)
    assert set(row.split("、")) == {"观音山街道", "任巷街道"}
    lines = re.findall(rf"^{UNKNOWN} \S*2021-06-01\.txt:\d+: 街道「(\S+?)」", result.output, re.M)
    assert set(lines) == {"观音山街道", "任巷街道"}
    assert "新街道候选" not in result.output
