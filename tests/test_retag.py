"""``bulletin retag``: taxonomy aliases and merges written into the pages, nothing else touched."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import pytest
from bulletin.editing import retag as retag_mod
from bulletin.editing.retag import retag_command, retag_paths, retag_text, write_atomic
from bulletin.editing.rules import check_page
from bulletin.model import Article, is_edited, render_page, split_page
from bulletin.taxonomy import load_taxonomy
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

BEFORE = """\
streets:
  - {name: 任港街道, district: 崇川区}
  - {name: 临江新区, district: 海门区}
programmes:
  - name: 垃圾分类
  - name: 全国文明城市创建
  - name: 创建全国文明城市
"""
# An editor adds an OCR variant as alias and merges the two programme names.
AFTER = """\
streets:
  - {name: 任港街道, district: 崇川区, aliases: [任巷街道]}
  - {name: 临江新区, district: 海门区, aliases: [海门临江新区]}
programmes:
  - name: 垃圾分类
  - name: 全国文明城市创建
    aliases: [创建全国文明城市]
"""

BODY = "任巷街道开展垃圾分类宣传。\n\n居民说：“streets: [不是前置元数据]”。\n"


def taxonomy(tmp_path: Path, text: str):
    path = tmp_path / "taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    return load_taxonomy(path)


def page(**kw) -> str:
    fields = dict(
        title="任港街道开展垃圾分类宣传", date=dt.date(2021, 5, 27), issue_date=dt.date(2021, 5, 28),
        source="raw/2021-05-28.txt", streets=["任巷街道", "海门临江新区"],
        programmes=["垃圾分类", "创建全国文明城市"], authors=["张三"], position=2, body=BODY, district="崇川区",
    )
    fields.update(kw)
    return render_page(Article(**fields))


def test_alias_and_merge_rewrite_only_the_tag_lines(tmp_path):
    tax = taxonomy(tmp_path, AFTER)
    old = page()
    new, changes = retag_text(old, tax, "a.md")
    assert [(c.key, c.old, c.new) for c in changes] == [
        ("streets", ("任巷街道", "海门临江新区"), ("任港街道", "临江新区")),
        ("programmes", ("垃圾分类", "创建全国文明城市"), ("垃圾分类", "全国文明城市创建")),
    ]
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    differ = [i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    #  7-8 street items, 11 merged programme, 18 checksum (kept valid: the page is still the importer's)
    assert differ == [7, 8, 11, 18]
    assert new.endswith("---\n\n" + BODY)
    meta, body = split_page(new, "a.md")
    assert meta["streets"] == ["任港街道", "临江新区"]
    assert meta["programmes"] == ["垃圾分类", "全国文明城市创建"]


def test_merge_removes_the_duplicate_tag(tmp_path):
    tax = taxonomy(tmp_path, AFTER)
    new, [change] = retag_text(page(streets=["任港街道"], programmes=["全国文明城市创建", "创建全国文明城市"]), tax)
    assert change.new == ("全国文明城市创建",)
    assert "programmes:\n- 全国文明城市创建\nauthors:" in new


def test_taxonomy_edit_is_what_makes_the_change(tmp_path):
    """Same page: before the alias/merge is added to taxonomy.yml nothing changes, after it does."""
    before = taxonomy(tmp_path, BEFORE)
    assert retag_text(page(), before) == (page(), [])
    assert any("「任巷街道」不在分类表" in p.message for p in check_page("a.md", page(), before))
    after = taxonomy(tmp_path, AFTER)
    assert len(retag_text(page(), after)[1]) == 2


def test_nothing_to_do_returns_the_same_text(tmp_path):
    tax = taxonomy(tmp_path, AFTER)
    text = page(streets=["任港街道", "火星街道"], programmes=["垃圾分类"])
    assert retag_text(text, tax) == (text, [])


def test_idempotent(tmp_path):
    tax = taxonomy(tmp_path, AFTER)
    once, _ = retag_text(page(), tax)
    assert retag_text(once, tax) == (once, [])


def test_checksum_stays_valid_for_importer_pages_and_edited_pages_stay_edited(tmp_path):
    tax = taxonomy(tmp_path, AFTER)
    fresh = page()
    assert not is_edited(fresh)
    assert not is_edited(retag_text(fresh, tax)[0])
    edited = fresh.replace("title: 任港街道开展垃圾分类宣传", "title: 任港街道开展垃圾分类宣传活动")
    assert is_edited(edited)
    new, _ = retag_text(edited, tax)
    assert is_edited(new)
    assert "title: 任港街道开展垃圾分类宣传活动\n" in new


def test_hand_written_front_matter_keeps_style_comments_and_crlf(tmp_path):
    tax = taxonomy(tmp_path, AFTER)
    text = (
        "---\r\n"
        "title: 手工录入   # 编辑加的注释\r\n"
        "date: 2021-05-27\r\n"
        "issue_date: 2021-05-28\r\n"
        "streets:\r\n"
        "  - 海门临江新区\r\n"
        "  - 任港街道\r\n"
        "\r\n"
        "# 下面是项目\r\n"
        "programmes: [创建全国文明城市, 垃圾分类]\r\n"
        "authors: []\r\n"
        "source: 手工录入\r\n"
        "---\r\n"
        "正文第一段\r\n"
    )
    new, _ = retag_text(text, tax)
    assert new == (
        "---\r\n"
        "title: 手工录入   # 编辑加的注释\r\n"
        "date: 2021-05-27\r\n"
        "issue_date: 2021-05-28\r\n"
        "district: 海门区\r\n"  # filled from the taxonomy, in the file's line ends
        "streets:\r\n"
        "  - 临江新区\r\n"
        "  - 任港街道\r\n"
        "\r\n"
        "# 下面是项目\r\n"
        "programmes: [全国文明城市创建, 垃圾分类]\r\n"
        "authors: []\r\n"
        "source: 手工录入\r\n"
        "---\r\n"
        "正文第一段\r\n"
    )


def test_names_that_need_quotes_stay_valid_yaml(tmp_path):
    tax = taxonomy(tmp_path, "programmes:\n  - name: 'A: B'\n    aliases: [A-B]\n  - name: '123'\n    aliases: [一二三]\n")
    new, _ = retag_text(page(streets=[], programmes=["A-B", "一二三"]).replace("programmes:\n- A-B\n- 一二三", "programmes: [A-B, 一二三]"), tax)
    meta, _ = split_page(new, "a.md")
    assert meta["programmes"] == ["A: B", "123"]


def test_repeated_key_is_refused(tmp_path):
    tax = taxonomy(tmp_path, AFTER)
    text = page().replace("kind: article", "kind: article\nstreets: [海门临江新区]")
    with pytest.raises(ValueError, match="重复出现"):
        retag_text(text, tax)


def test_check_is_quiet_after_retag(tmp_path):
    """Before: alias warnings. After retag: none. check and retag agree on what an alias is."""
    tax = taxonomy(tmp_path, AFTER)
    before = [p.message for p in check_page("a.md", page(), tax)]
    assert len(before) == 3 and all("别名" in m for m in before)
    assert check_page("a.md", retag_text(page(), tax)[0], tax) == []


tags = st.lists(st.sampled_from(["任港街道", "任巷街道", "临江新区", "海门临江新区", "火星街道"]), max_size=5)
progs = st.lists(st.sampled_from(["垃圾分类", "全国文明城市创建", "创建全国文明城市", "登月计划"]), max_size=4)


@settings(max_examples=150, deadline=None)
# Bodies as the importer writes them: no control characters (normalize.clean removes them).
# The example: retag's new checksum is all digits (6003899616391290), which must be quoted to stay a string.
@example(streets=["临江新区", "任巷街道"], programmes=[], flow=False, body="ăímÄ")
@given(streets=tags, programmes=progs, flow=st.booleans(),
       body=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60))
def test_property_only_tags_change(tmp_path_factory, streets, programmes, flow, body):
    tax = taxonomy(tmp_path_factory.mktemp("t"), AFTER)
    text = page(streets=streets, programmes=programmes, body=body)
    if flow:  # hand-written style: streets: [甲, 乙]
        text = re.sub(r"^(streets|programmes):\n((?:- .*\n)*)",
                      lambda m: f"{m.group(1)}: [{', '.join(ln[2:] for ln in m.group(2).splitlines())}]\n",
                      text, flags=re.M)
    new, changes = retag_text(text, tax)
    old_meta, old_body = split_page(text, "a.md")
    new_meta, new_body = split_page(new, "a.md")
    assert new_body == old_body
    assert new.split("\n---\n", 1)[1] == text.split("\n---\n", 1)[1]  # body bytes identical
    want_s, want_p = tax.retag(streets, programmes)
    assert new_meta["streets"] == want_s and new_meta["programmes"] == want_p
    for key in old_meta:
        if key not in ("streets", "programmes", "checksum", "district"):
            assert new_meta[key] == old_meta[key]
    want_d = next((d for d in map(tax.district_of, want_s) if d), old_meta.get("district"))
    assert new_meta.get("district") == want_d
    assert is_edited(new) == is_edited(text)
    assert bool(changes) == (new != text)


# --------------------------------------------------------------------------- files and command


def _archive(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "content" / "articles" / "2021"
    d.mkdir(parents=True)
    files = {
        "alias": d / "2021-05-28-a-aaaaaa.md",
        "clean": d / "2021-05-28-a-bbbbbb.md",
        "broken": d / "2021-05-28-a-cccccc.md",
    }
    files["alias"].write_text(page(), encoding="utf-8")
    files["clean"].write_text(page(streets=["任港街道"], programmes=["垃圾分类"], position=3), encoding="utf-8")
    files["broken"].write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (tmp_path / "taxonomy.yml").write_text(AFTER, encoding="utf-8")
    return files


def _snapshot(files):
    return {k: (f.read_bytes(), f.stat().st_mtime_ns) for k, f in files.items()}


def test_retag_paths_writes_changed_pages_only(tmp_path):
    files = _archive(tmp_path)
    before = _snapshot(files)
    result = retag_paths([tmp_path / "content"], load_taxonomy(tmp_path / "taxonomy.yml"))
    after = _snapshot(files)
    assert result.pages == [str(files["alias"])]
    assert after["clean"] == before["clean"] and after["broken"] == before["broken"]
    assert after["alias"][0] == retag_text(before["alias"][0].decode(), load_taxonomy(tmp_path / "taxonomy.yml"))[0].encode()
    assert [e.line for e in result.skipped] == [3]
    assert sorted(p.name for p in files["alias"].parent.iterdir()) == sorted(f.name for f in files.values())


def test_cli_dry_run_reports_and_writes_nothing(tmp_path, monkeypatch):
    files = _archive(tmp_path)
    before = _snapshot(files)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(retag_command, ["--dry-run"])
    assert _snapshot(files) == before
    assert result.stdout.splitlines() == [
        "content/articles/2021/2021-05-28-a-aaaaaa.md: streets: 任巷街道、海门临江新区 → 任港街道、临江新区",
        "content/articles/2021/2021-05-28-a-aaaaaa.md: programmes: 垃圾分类、创建全国文明城市 → 垃圾分类、全国文明城市创建",
    ]
    assert "将更新 1 个页面（--dry-run：没有写入任何文件）" in result.stderr
    assert "content/articles/2021/2021-05-28-a-cccccc.md:3: 跳过（前置元数据有误）" in result.stderr
    assert result.exit_code == 1  # the broken page needs attention


def test_cli_writes_and_second_run_is_a_no_op(tmp_path, monkeypatch):
    files = _archive(tmp_path)
    files["broken"].unlink()
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(retag_command, ["--content", "content", "--taxonomy", "taxonomy.yml"])
    assert first.exit_code == 0, first.output
    assert "已更新 1 个页面" in first.stderr
    assert "streets:\n- 任港街道\n- 临江新区\n" in files["alias"].read_text(encoding="utf-8")
    second = CliRunner().invoke(retag_command, [])
    assert second.exit_code == 0 and second.stdout == ""
    assert "没有改动" in second.stderr


def test_cli_missing_taxonomy_or_content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "找不到分类表" in CliRunner().invoke(retag_command, []).output
    (tmp_path / "taxonomy.yml").write_text(AFTER, encoding="utf-8")
    result = CliRunner().invoke(retag_command, [])
    assert result.exit_code == 1 and "找不到文章目录" in result.output


def test_write_atomic_keeps_mode_and_leaves_no_temp(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("旧", encoding="utf-8")
    os.chmod(f, 0o640)
    write_atomic(f, "新\r\n")
    assert f.read_bytes() == "新\r\n".encode()
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_text("旧", encoding="utf-8")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(retag_mod.os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(f, "新")
    assert f.read_text(encoding="utf-8") == "旧"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_next_build_shows_what_retag_writes(tmp_path):
    """The build applies the taxonomy without touching files; retag writes the same tags into them."""
    from bulletin.site import index

    tax = taxonomy(tmp_path, AFTER)
    uri = "articles/2021/a.md"
    built = index.collect({uri: page()}, tax)
    written = index.collect({uri: retag_text(page(), tax)[0]}, tax)
    assert built.get(uri).article.streets == written.get(uri).article.streets == ["任港街道", "临江新区"]
    assert built.get(uri).article.programmes == written.get(uri).article.programmes == ["垃圾分类", "全国文明城市创建"]
    assert set(built.streets) == set(written.streets) == {"任港街道", "临江新区"}
    assert "创建全国文明城市" not in built.programmes


def test_street_added_with_its_district_gives_pages_the_district(tmp_path):
    """Issue 17's bar: a page imported before its street was in the taxonomy gets
    the district from retag (inserted before streets), checksum still valid."""
    tax = taxonomy(tmp_path, "streets:\n  - {name: 青石桥街道, district: 云岭区}\n")
    text = page(streets=["青石桥街道"], programmes=[], title="青石桥街道召开议事会", body="青石桥街道召开议事会。\n",
                district=None)
    assert "district:" not in text
    new, changes = retag_text(text, tax, "a.md")
    assert [(c.key, c.old, c.new) for c in changes] == [("district", (), ("云岭区",))]
    assert re.search(r"^district: 云岭区\nstreets:", new, re.M)
    assert split_page(new, "a.md")[0]["district"] == "云岭区" and not is_edited(new)
    # a wrong district is corrected; a right one is left alone
    fixed, changes = retag_text(new.replace("district: 云岭区", "district: 别的区"), tax, "a.md")
    assert [(c.old, c.new) for c in changes] == [(("别的区",), ("云岭区",))] and fixed == new
    assert retag_text(new, tax, "a.md") == (new, [])
