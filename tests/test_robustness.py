"""Raw pages of every age and origin import safely.

Encodings (UTF-8 with and without BOM, GB18030/GBK, Big5, UTF-16 with and
without BOM, mixed line ends), file names that try to leave content/, pages
written all or nothing, and raw text that looks like HTML, Markdown, Jinja or
front matter ending up as literal text on the built site (checked in the HTML).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bulletin.cli import main
from bulletin.importer.normalize import InputError, decode
from bulletin.importer.pipeline import import_text, safe_stem
from bulletin.model import read_article, render_page, split_page
from bulletin.taxonomy import Taxonomy
from click.testing import CliRunner
from conftest import EXAMPLE_RAW, EXAMPLE_TAXONOMY, TAXONOMY, bl_build, bl_copy_site_config

# The three pages these tests were written against (raw/ holds more examples).
RAW = [EXAMPLE_RAW / name for name in ("000.txt", "002.txt", "003.txt")]
ISSUE = dt.date(2021, 5, 28)

TRADITIONAL = """小東門街道召開全面從嚴治黨推進會

□通訊員 丁艷芬

7月17日，小東門街道召開全面從嚴治黨「四責協同」機制暨監察職能延伸覆蓋工作推進會，街道直屬事業單位、居民區黨組織書記、紀檢委員共40餘人參加會議。街道黨工委副書記主持會議並講話。

會議要求，各基層黨組織書記要充分協調發揮好機制作用，做到同心同德、同向同力，共同來做好黨風廉政建設工作。

●社區衛生服務中心開展義診活動，為轄區老年居民測量血壓、血糖，發放健康資料二百餘份。
"""


def run(*args: str):
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False)


def touch_bodies(text: str) -> str:
    """The same articles (same file names) with changed text: the last comma of each long
    paragraph becomes 、 (the same shape to the segmentation model).

    File names hash an article's first 60 characters, so only text after them changes.
    """
    def touch(line: str) -> str:
        k = max(line.rfind("，"), line.rfind(","))
        return line[:k] + "、" + line[k + 1:] if len(line) > 120 and k > 80 else line

    return "\n".join(touch(line) for line in text.split("\n"))


def pages_under(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("raw", RAW, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_example_pages_decode_in_every_encoding(raw, encoding, detected):
    text = raw.read_text(encoding="utf-8")
    assert decode(text.encode(encoding), raw.name) == (text, detected)


@pytest.mark.parametrize("encoding", ["big5", "cp950", "utf-16-le", "gb18030"])
def test_traditional_page_decodes(encoding):
    got, detected = decode(TRADITIONAL.encode(encoding))
    assert got == TRADITIONAL
    assert detected == {"cp950": "big5"}.get(encoding, encoding)


def test_short_pages_are_not_mistaken():
    # Statistical detectors guess on a few characters; the scorer does not.
    for text in ["社区简报", "居民会议", "一一一一", "社區簡報：居民會議"]:
        for encoding in ["gb18030", "utf-16-le", "utf-16-be"] + (["big5"] if "區" in text else []):
            assert decode(text.encode(encoding))[0] == text, (text, encoding)


def test_utf8_cut_in_the_middle_of_a_character_is_read_and_reported():
    data = RAW[0].read_text(encoding="utf-8").rstrip().encode("utf-8")[:-1]
    text, detected = decode(data)
    assert text.endswith("\ufffd") and detected.startswith("utf-8 (1 处无效字节")


def test_mixed_line_ends_import_like_plain_line_feeds():
    text = RAW[2].read_text(encoding="utf-8")
    lines = text.split("\n")
    ends = [("\r\n", "\r", "\n")[i % 3] for i in range(len(lines))]
    # A CR before an empty line would make CR LF, one line end: that is CR LF, not a mix.
    ends = ["\r\n" if e == "\r" and i + 1 < len(lines) and not lines[i + 1] else e for i, e in enumerate(ends)]
    mixed = "".join(line + end for line, end in zip(lines, ends))
    a = import_text(text, "003.txt", ISSUE, Taxonomy())
    b = import_text(mixed, "003.txt", ISSUE, Taxonomy())
    assert [x.body for x in a.articles] == [x.body for x in b.articles]
    assert a.slugs == b.slugs


@pytest.mark.parametrize("data, message", [
    (b"", "文件为空"),
    (b" \r\n\t\n", "文件为空"),
    ("\ufeff\n".encode("utf-16"), "文件为空"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00\x00\x00\x01\xe0\x08\x06\x00\x00\x00", "不是文本文件"),
    (bytes(range(256)) * 8, "不是文本文件"),
    (b"\xef\xbb\xbf\xff\xfe bad", "不是有效的 UTF-8-SIG"),
])
def test_undecodable_input_is_refused_in_one_line(data, message):
    with pytest.raises(InputError) as exc:
        decode(data, "x.txt")
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_random_bytes_are_refused():
    rng = __import__("random").Random(7)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        try:
            decode(data)
        except InputError as exc:
            assert "不是文本文件" in str(exc) or "无法识别" in str(exc)


# ---------------------------------------------------------------- file names


NAMES = ["..txt", "...", "a b.txt", "简报第3期.txt", "CON.txt", "nul", "A.TXT", "a.txt", "x\\..\\y.txt",
         "tab\there.txt", "-rf.txt", "#1?.txt", "%2e%2e%2f.txt", "名" * 80 + ".txt", "long" * 60 + ".txt"]


def test_raw_file_names_make_safe_unique_stable_page_names(tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    body = RAW[2].read_text(encoding="utf-8")
    for name in NAMES:
        (raw_dir / name).write_text(body, encoding="utf-8")
    content = tmp_path / "content"
    args = [*(str(raw_dir / n) for n in NAMES), "--issue-date", "2021-05-28", "--content", str(content),
            "--taxonomy", str(EXAMPLE_TAXONOMY)]
    assert run(*args).exit_code == 0
    everything = pages_under(content)
    first = {rel: data for rel, data in everything.items() if not rel.startswith("imports/")}
    assert len(everything) - len(first) == len(NAMES)  # one import record per raw file
    names = [Path(p).name for p in first]
    per_name = len(import_text(body, "003.txt", ISSUE, Taxonomy()).articles)
    assert len(names) == len(set(n.lower() for n in names)) == per_name * len(NAMES)
    for rel in first:
        assert rel.startswith("articles/2021/"), rel
        assert re.fullmatch(r"articles/2021/2021-05-28-[a-z0-9][a-z0-9_-]{0,44}-[0-9a-f]{6}\.md", rel), rel
        assert len(Path(rel).name) < 100
    assert run(*args).exit_code == 0
    assert pages_under(content) == everything  # stable: the same names, unchanged pages and records


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\x", "/abs/path.txt", "a/b/../../..", "", ".", "..",
                                  "\x00\x01", "con.txt", "LPT1", "ｆｕｌｌ.txt", "é.txt", "e\u0301.txt"])
def test_safe_stem_never_makes_a_path(name):
    stem = safe_stem(name)
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", stem) and len(stem) <= 45
    assert stem not in ("con", "lpt1")


def test_hostile_titles_stay_in_the_front_matter(tmp_path):
    titles = ["../../../etc/passwd 居民会议", "a\\b\\c 社区活动", "社区" * 24, "CON 居民", "<b>/居民会议", "\x00\x1b[31m居民\u202e会议"]
    text = "\n\n".join(f"{t}\n\n本报讯 日前，街道召开专题会议，部署下一阶段重点工作，居民代表共四十余人参加了会议。\n\n会上，各社区书记逐一汇报了辖区老旧小区改造和为老服务的进展，街道对下一步工作提出了具体要求。（通讯员 王芳）" for t in titles)
    raw = tmp_path / "t.txt"
    raw.write_text(text, encoding="utf-8")
    content = tmp_path / "content"
    assert run(str(raw), "--issue-date", "2021-05-28", "--content", str(content), "--taxonomy", str(EXAMPLE_TAXONOMY)).exit_code == 0
    files = [p for p in content.rglob("*.md") if p.is_file()]
    assert all(p.parent == content / "articles" / "2021" for p in files)
    assert [p.relative_to(content).as_posix() for p in content.rglob("*.yml")] == ["imports/2021/2021-05-28-t.yml"]
    got = [read_article(p).title for p in files]  # valid pages whatever the title
    want = ["../../../etc/passwd 居民会议", "a\\b\\c 社区活动", "社区" * 24, "CON 居民", "<b>/居民会议", "[31m居民会议"]
    assert len(got) >= 4 and set(got) <= set(want)  # how many are headlines is the model's call


# ---------------------------------------------------------------- atomic, all or nothing


def _content_with_pages(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    content = tmp_path / "content"
    for raw in RAW:
        assert run(str(raw), "--issue-date", "2021-05-28", "--content", str(content),
                   "--taxonomy", str(EXAMPLE_TAXONOMY)).exit_code == 0
    return content, pages_under(content)


def test_failing_write_leaves_old_pages_and_no_temp_files(tmp_path, monkeypatch):
    content, before = _content_with_pages(tmp_path)
    changed = tmp_path / "003.txt"
    changed.write_text(touch_bodies(RAW[2].read_text(encoding="utf-8")), encoding="utf-8")
    import bulletin.editing.store as store

    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(store.os, "replace", flaky)
    result = run(str(changed), "--issue-date", "2021-05-28", "--content", str(content), "--taxonomy", str(EXAMPLE_TAXONOMY))
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "Traceback" not in result.output
    after = pages_under(content)
    # The first page was renamed before the failure: new. Every other page: old. No temp files.
    assert set(after) == set(before)
    assert sum(after[k] != before[k] for k in before) <= 1
    assert not [p for p in content.rglob("*") if p.name.endswith(".tmp")]


def test_failure_before_any_rename_changes_nothing(tmp_path, monkeypatch):
    content, before = _content_with_pages(tmp_path)
    changed = tmp_path / "003.txt"
    changed.write_text(touch_bodies(RAW[2].read_text(encoding="utf-8")), encoding="utf-8")
    import bulletin.editing.store as store

    real, count = store._write_temp, []

    def full_disk(*a, **kw):
        count.append(1)
        if len(count) == 3:
            raise OSError(28, "No space left on device")
        return real(*a, **kw)

    monkeypatch.setattr(store, "_write_temp", full_disk)
    result = run(str(changed), "--issue-date", "2021-05-28", "--content", str(content), "--taxonomy", str(EXAMPLE_TAXONOMY))
    assert result.exit_code == 1 and "本文件的页面都没有写入" in result.output
    assert pages_under(content) == before


def test_killed_import_leaves_old_or_new_pages_and_a_rerun_completes(tmp_path):
    """SIGKILL a real import of 60 changed raw pages at several moments."""
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    for i in range(20):
        for raw in RAW:
            (raw_dir / f"{raw.stem}-{i:02d}.txt").write_text(raw.read_text(encoding="utf-8"), encoding="utf-8")
    files = sorted(str(p) for p in raw_dir.glob("*.txt"))
    args = ["import", *files, "--issue-date", "2021-05-28", "--taxonomy", str(EXAMPLE_TAXONOMY)]
    bulletin = Path(os.environ.get("VIRTUAL_ENV", Path(__import__("sys").executable).parent.parent)) / "bin" / "bulletin"
    content = tmp_path / "content"
    assert subprocess.run([str(bulletin), *args, "--content", str(content)], capture_output=True).returncode == 0
    old = pages_under(content)
    for p in raw_dir.glob("*.txt"):  # same articles, changed text: every page is updated
        p.write_text(touch_bodies(p.read_text(encoding="utf-8")), encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert subprocess.run([str(bulletin), *args, "--content", str(fresh)], capture_output=True).returncode == 0
    new = pages_under(fresh)
    assert set(new) == set(old) and new != old
    mixed = 0
    for _ in range(3):
        start = pages_under(content)
        proc = subprocess.Popen([str(bulletin), *args, "--content", str(content)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:  # kill as soon as it has written something
            if any(data != start.get(rel) for rel, data in pages_under(content).items() if not Path(rel).name.startswith(".")):
                break
            time.sleep(0.005)
        proc.kill()
        proc.wait()
        now = {k: v for k, v in pages_under(content).items() if not Path(k).name.startswith(".")}
        assert set(now) == set(old)
        for rel, data in now.items():
            assert data in (old[rel], new[rel]), rel  # never half, never anything else
        mixed += len({data == new[rel] for rel, data in now.items()}) == 2
    assert mixed, "the import was never killed in the middle"
    done = subprocess.run([str(bulletin), *args, "--content", str(content)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert pages_under(content) == new  # temp files of the killed runs are gone too


def test_abandoned_temp_files_are_removed_live_ones_kept(tmp_path):
    content, _ = _content_with_pages(tmp_path)
    folder = content / "articles" / "2021"
    dead = subprocess.Popen(["true"])
    dead.wait()
    abandoned = folder / f".2021-05-28-003-abcdef.md.{dead.pid}-k2j3h4.tmp"
    live = folder / f".2021-05-28-003-abcdef.md.{os.getppid()}-zz9y8x.tmp"
    other = folder / ".notes.tmp"
    for p in (abandoned, live, other):
        p.write_text("half a page", encoding="utf-8")
    assert run(str(RAW[2]), "--issue-date", "2021-05-28", "--content", str(content), "--taxonomy", str(EXAMPLE_TAXONOMY)).exit_code == 0
    assert not abandoned.exists() and live.exists() and other.exists()


def test_new_pages_are_readable_by_others(tmp_path):
    content, _ = _content_with_pages(tmp_path)
    old = os.umask(0o022)
    os.umask(old)
    for p in content.rglob("*.md"):
        assert p.stat().st_mode & 0o777 == 0o666 & ~old


# ---------------------------------------------------------------- raw text is data: the built site


HOSTILE = """小东门街道<script>alert("XSS1")</script>召开居民会议

□通讯员 丁艳芬

7月17日" http-equiv="refresh" content="0;url=https://evil.example/" x="，小东门街道召开居民会议<img src=x onerror=alert("XSS2")>，讨论[点击报名](javascript:alert("XSS3"))等相关事项，居民代表共四十余人参加。

{{ config.site_name }}与{% include "main.html" %}都是居民写下的文字，不是模板。

---
title: 假标题
---

# 这不是标题 *也不是强调* `也不是代码`，<a href="javascript:alert('XSS4')">这是链接文字</a>。

&lt;b&gt;实体&lt;/b&gt;，还有 | 表 | 格 | 与 ~~删除线~~，以及 <!-- 注释 --> 和 {: onclick="alert('XSS5')"} 属性。

<svg onload=alert("XSS6")>居民反映的问题已经全部解决。

为进一步健全社区治理体系，提升社区治理能力，更好地满足人民群众对美好生活的向往，打造共建共治共享的社会治理格局，小东门街道于近日通过听取汇报、材料评估、现场查看、问卷调查等形式对辖区十六个居民区组织开展了星级居民区评估工作。

<iframe src="javascript:alert('XSS7')">社区

——<b>加粗的副题</b>

□通讯员 <i>王芳</i>

1. 第一条不是列表 2. 第二条

> 这不是引用，而是居民的原话，会议要求各社区结合实际细化任务清单。
"""


class Elements(HTMLParser):
    """Every element with its attributes, and the text of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._tag = tag

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        if self._tag == "script":
            self.scripts.append(data)
        else:
            self.text.append(data)

    def handle_endtag(self, tag):
        self._tag = None


def parse_html(path: Path) -> Elements:
    p = Elements()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-site")
    raw = root / "hostile.txt"
    raw.write_text(HOSTILE, encoding="utf-8")
    (root / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    result = run(str(raw), "--issue-date", "2021-05-28", "--content", str(root / "content"), "--taxonomy", str(root / "taxonomy.yml"))
    assert result.exit_code == 0, result.output
    bl_copy_site_config(root)
    proc = bl_build(root)
    assert proc.returncode == 0, proc.stderr
    return root


def test_hostile_raw_page_builds_no_markup(hostile_site):
    site = hostile_site / "site"
    pages = list(site.rglob("*.html"))
    assert pages
    for path in pages:
        doc = parse_html(path)
        for tag, attrs in doc.elements:
            assert tag not in ("iframe", "svg", "img") or "XSS" not in json.dumps(attrs), (path, tag, attrs)
            for key, value in attrs.items():
                assert not (key.startswith("on") and "alert" in (value or "")), (path, tag, key, value)
                if key in ("href", "src", "action", "formaction", "data"):
                    assert not (value or "").strip().lower().startswith("javascript:"), (path, tag, key, value)
        # A payload that closed an inline <script> would have become elements above;
        # inside a script, page text may only appear as data (a JSON string).
        for script in doc.scripts:
            assert "XSS" not in script or not re.search(r"(^|[;{}\s])alert\(", script), (path, script[:300])


_ATTR_NAME = re.compile(r"[a-z_:][-a-z0-9_:.]*")


def _breakouts(site: Path) -> list:
    """Attributes that page text made: odd names, or the planted refresh.

    The planted text may stand, escaped, inside a description's ``content``;
    it must never be an ``http-equiv`` or a link target of its own."""
    out = []
    for path in site.rglob("*.html"):
        for tag, attrs in parse_html(path).elements:
            for key, value in attrs.items():
                planted = "evil.example" in (value or "") and key != "content"
                if not _ATTR_NAME.fullmatch(key) or planted or key == "http-equiv":
                    out.append((path.relative_to(site).as_posix(), tag, key, value))
    return out


def test_page_text_cannot_add_attributes(hostile_site):
    assert not _breakouts(hostile_site / "site")


def test_hostile_text_is_shown_literally_on_the_article_page(hostile_site):
    site = hostile_site / "site"
    article = [p for p in (site / "articles").rglob("index.html")]
    texts = {p: "".join(parse_html(p).text) for p in article}
    shown = "\n".join(texts.values())
    for literal in ['<script>alert("XSS1")</script>', '<img src=x onerror=alert("XSS2")>', "[点击报名](javascript:alert",
                    "{{ config.site_name }}", '{% include "main.html" %}', "# 这不是标题 *也不是强调* `也不是代码`",
                    "<a href=\"javascript:alert('XSS4')\">这是链接文字</a>", "| 表 | 格 |", "~~删除线~~", "<!-- 注释 -->",
                    "{: onclick=\"alert('XSS5')\"}", '<svg onload=alert("XSS6")>', "1. 第一条不是列表", "---"]:
        assert literal in shown, literal
    # In the article's own content, the element names survive only as text.
    for p in article:
        html_text = p.read_text(encoding="utf-8")
        body = Elements()
        body.feed(html_text[html_text.index("<article"):html_text.rindex("</article>")])
        tags = {t for t, _ in body.elements}
        assert not tags & {"script", "img", "iframe", "svg", "ol", "hr", "em", "b", "i", "table", "del", "s"}, tags


def test_raw_quote_mark_is_text(hostile_site):
    page = next(p for p in (hostile_site / "site" / "articles").rglob("index.html") if "这不是引用" in p.read_text(encoding="utf-8"))
    assert "> 这不是引用" in "".join(parse_html(page).text)


def test_hostile_titles_are_escaped_in_listings_and_feed(hostile_site):
    site = hostile_site / "site"
    for path in [site / "index.html", site / "streets" / "小东门街道" / "index.html", *site.glob("archive/*/*/index.html")]:
        if path.exists():
            doc = parse_html(path)
            assert not any(t == "script" and "XSS" in json.dumps(a) for t, a in doc.elements)
            assert all("XSS" not in s for s in doc.scripts), path
    feed = ET.parse(site / "feed.xml")  # well-formed XML whatever the titles
    titles = [e.text or "" for e in feed.iter() if e.tag.endswith("title")]
    assert any('<script>alert("XSS1")</script>' in t for t in titles)


def test_front_matter_in_a_raw_page_is_text_not_metadata():
    raw = ("---\ntitle: 假标题\ndate: 1900-01-01\nkind: brief\n---\n\n居民会议召开\n\n---\n\n"
           "街道召开专题会议，部署下一阶段重点工作，居民代表共四十余人参加了会议。\n\n---\nauthors: [假作者]\n---\n\n会议要求各社区结合实际。")
    result = import_text(raw, "p.txt", ISSUE, Taxonomy())
    assert result.articles or result.leftovers  # the model may read the marker lines as furniture: kept, not metadata
    for article in result.articles:
        meta, body = split_page(render_page(article), "p.md")
        assert meta["date"] == ISSUE and meta["kind"] == "article" and meta["authors"] == []
        assert body.strip() == article.body.strip()
    shown = "\n".join(a.title + "\n" + a.body for a in result.articles) + "\n".join(x.text for x in result.leftovers)
    assert "title: 假标题" in shown and "authors: [假作者]" in shown.replace("\\[", "[").replace("\\]", "]")
