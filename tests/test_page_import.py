"""Importing the page itself: PDF pages (text layer) and scans (OCR), made at test time.

Pages are typeset with reportlab (``scripts/typeset_pdf.py``) and "scanned"
with pypdfium2 + Pillow; nothing binary is committed. OCR runs with the
network unplugged (socket connections refused in this process): rapidocr's
models must come from its wheel.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import zlib
from pathlib import Path

import pytest
from bulletin.cli import main
from bulletin.importer.layoutorder import read_order
from bulletin.importer.pagefile import page_text
from bulletin.importer.pagestages import Box
from click.testing import CliRunner
from conftest import EXAMPLE_TAXONOMY

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import typeset_pdf  # noqa: E402

ITEMS = [
    ("furniture", "东城社区报　第12期　2021年5月28日"),
    ("title", "石港镇延伸网格触角做群众知心人"),
    ("body", "本报讯（记者 王敏）5月14日，石港镇北渡村网格长刘建在巡察时接到村民反映，一处十字路口存在视线盲区，来往车辆及行人的视野受限。"),
    ("body", "实地了解情况后，刘建迅速落实行动，很快，一个崭新的道路反光镜便安装在路口，赢得村民连连点赞。石港镇坚持把群众的事办好办实。"),
    ("body", "为打通网格服务最后一公里，石港镇进一步畅通群众诉求渠道，积极开展领导问路、带案入格等活动，将服务触角延伸到群众家门口。"),
    ("title", "海永镇推动两地联动加强监督"),
    ("body", "本报讯（通讯员 李明）近日，海永镇纪委联合崇明区相关部门召开联席会议，就加强两地监督协作、共同推进基层治理进行座谈交流。"),
    ("body", "会上，双方就信息共享、线索移送、联合检查等方面达成共识，将建立常态化沟通机制，推动监督工作向基层延伸。"),
    ("title", "小东门街道开展垃圾分类宣传"),
    ("body", "本报讯（记者 张华）5月20日，小东门街道在辖区广场开展垃圾分类宣传活动，志愿者向居民发放宣传资料，现场讲解分类知识。"),
    ("body", "活动吸引了二百余名居民参加。街道相关负责人表示，将持续推进垃圾分类工作，让分类成为居民的好习惯。"),
]


def cli(*args: str):
    return CliRunner().invoke(main, ["import", "--taxonomy", str(EXAMPLE_TAXONOMY), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def pdf2(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "2021-05-28.pdf"
    path.write_bytes(typeset_pdf.typeset(ITEMS, 2))
    return path


def _pages(content: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((content / "articles").rglob("*.md"))}


def test_reading_order_follows_columns():
    """Two columns whose lines sit side by side: all of the left one, then the right one."""
    left = [Box(0, 20 * k, 100, 20 * k + 10, f"左{k}", 10) for k in range(5)]
    right = [Box(120, 20 * k, 220, 20 * k + 10, f"右{k}", 10) for k in range(5)]
    banner = [Box(0, -40, 220, -20, "通栏大标题横跨两栏", 20)]
    chunks = read_order(right + banner + left)
    assert [line.text for c in chunks for line in c] == ["通栏大标题横跨两栏"] + [f"左{k}" for k in range(5)] + [f"右{k}" for k in range(5)]


def test_layout_evidence_headline_and_paragraphs():
    """A larger line is a headline block of its own; a first-line indent starts a paragraph."""
    boxes = [Box(0, 0, 160, 20, "大标题", 20),
             Box(20, 30, 200, 40, "第一段第一行文字文字文字", 10), Box(0, 45, 200, 55, "第一段第二行结束。", 10),
             Box(20, 60, 200, 70, "第二段开头文字文字文字", 10), Box(0, 75, 120, 85, "第二段结束。", 10)]
    text = page_text(boxes)
    assert text.text == "大标题\n\n第一段第一行文字文字文字第一段第二行结束。\n\n第二段开头文字文字文字第二段结束。\n"
    assert [f["headline"] for f in text.features] == [True, False, False]
    assert text.features[0]["size"] == 2.0


def test_pdf_import_writes_raw_text_and_articles(tmp_path, pdf2):
    content = tmp_path / "content"
    result = cli(str(pdf2), "--content", str(content))
    assert result.exit_code == 0, result.output
    raw = tmp_path / "raw" / "2021-05-28.txt"
    text = raw.read_text(encoding="utf-8")
    assert "石港镇延伸网格触角做群众知心人\n" in text and "东城社区报" in text
    side = json.loads((tmp_path / "raw" / "2021-05-28.layout.json").read_text(encoding="utf-8"))
    assert side["source"] == "2021-05-28.pdf" and any(f["headline"] for f in side["lines"])
    pages = _pages(content)
    titles = sorted(line for p in pages.values() for line in p.splitlines() if line.startswith("title:"))
    assert len(pages) == 3, titles
    assert any("石港镇延伸网格触角做群众知心人" in t for t in titles)
    # The kept text imports to the same articles, byte for byte.
    again = cli(str(raw), "--content", str(content))
    assert again.exit_code == 0 and "未变" in again.output
    assert _pages(content) == pages


def test_editor_fix_to_raw_text_wins(tmp_path, pdf2):
    content = tmp_path / "content"
    assert cli(str(pdf2), "--content", str(content)).exit_code == 0
    raw = tmp_path / "raw" / "2021-05-28.txt"
    fixed = raw.read_text(encoding="utf-8").replace("反光镜", "凸面镜")
    raw.write_text(fixed, encoding="utf-8")
    result = cli(str(pdf2), "--content", str(content))
    assert result.exit_code == 0 and "编辑改过识别出的文字" in result.output
    assert raw.read_text(encoding="utf-8") == fixed
    assert any("凸面镜" in p for p in _pages(content).values())
    forced = cli(str(pdf2), "--content", str(content), "--force")
    assert forced.exit_code == 0
    assert raw.with_name(raw.name + ".bak").read_text(encoding="utf-8") == fixed
    assert "反光镜" in raw.read_text(encoding="utf-8")


def test_text_file_not_written_by_importer_is_never_overwritten(tmp_path, pdf2):
    (tmp_path / "raw").mkdir()
    mine = tmp_path / "raw" / "2021-05-28.txt"
    mine.write_text("编辑自己的文字\n", encoding="utf-8")
    result = cli(str(pdf2), "--content", str(tmp_path / "content"))
    assert result.exit_code == 1 and "不是从这个文件识别出的文字" in result.output
    assert mine.read_text(encoding="utf-8") == "编辑自己的文字\n"
    assert not (tmp_path / "content" / "articles").exists()


def test_multi_page_pdf_one_raw_text_a_page(tmp_path):
    pdf = tmp_path / "2021-05-28-issue.pdf"
    pdf.write_bytes(typeset_pdf.typeset(ITEMS, 2, page=(300.0, 400.0)))
    result = cli(str(pdf), "--content", str(tmp_path / "content"))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "raw").glob("*.txt"))
    assert len(names) >= 2 and names[0] == "2021-05-28-issue-p01.txt"


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header and holds one tiny compressed row."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


def _encrypted_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(100, 700, "hello")
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("name,data,words", [
    ("2021-05-28.pdf", "中文文字，不是 PDF".encode(), "内容不是 PDF"),
    ("2021-05-28.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF broken", "PDF 文件已损坏"),
    ("2021-05-28.pdf", None, "PDF 已加密"),
    ("2021-05-28.png", _png_header(20000, 20000), "图片过大"),
    ("2021-05-28.png", _png_header(9000, 9000), "图片过大"),  # a bomb: 81 megapixels in a few hundred bytes
    ("2021-05-28.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "图片文件已损坏"),
    ("2021-05-28.tif", b"II*\x00 not a tiff at all", "不是可识别的图片文件"),
])
def test_bad_page_files_one_chinese_line_nothing_written(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data if data is not None else _encrypted_pdf())
    result = cli(str(path), "--content", str(tmp_path / "content"))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0] and name in lines[0], result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == [name]


@pytest.fixture
def offline(monkeypatch):
    """No network in this process: any connection or name lookup fails."""
    def refuse(*args, **kwargs):
        raise OSError("network unplugged by the test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_blank_image_is_refused(tmp_path, offline):
    from PIL import Image
    path = tmp_path / "2021-05-28.png"
    Image.new("L", (600, 800), 255).save(path)
    result = cli(str(path), "--content", str(tmp_path / "content"))
    assert result.exit_code == 1 and "没有识别出文字" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == [path.name]


def _cjk_font() -> bool:
    """pdfium draws the PDF's STSong-Light with a system CJK font (make test installs fonts-noto-cjk)."""
    import shutil
    import subprocess
    if not shutil.which("fc-list"):
        return False
    return bool(subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.strip())


@pytest.mark.skipif(not _cjk_font(), reason="no CJK font to draw the scan with (apt-get install fonts-noto-cjk)")
@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_scan_imports_offline_with_ocr(tmp_path, offline, suffix):
    """A turned, noisy 200 dpi scan of a two-column page, as an image or as a PDF page without
    a text layer: OCR from the wheel's models, the same articles."""
    pdf = typeset_pdf.typeset(ITEMS, 2, page=(560.0, 640.0))
    scan = tmp_path / f"2021-05-28{suffix}"
    typeset_pdf.scan(pdf, seed=3).save(scan, resolution=200.0)
    content = tmp_path / "content"
    result = cli(str(scan), "--content", str(content))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "raw" / "2021-05-28.txt").read_text(encoding="utf-8")
    printed = "".join(t for _, t in ITEMS).replace(" ", "").replace("\u3000", "")
    got = text.replace("\n", "").replace(" ", "").replace("⟦待核⟧", "")
    import difflib
    assert difflib.SequenceMatcher(None, printed, got, autojunk=False).ratio() > 0.95
    assert "记者 王敏" in text  # the byline's space, which the recogniser drops, read from the page
    assert len(_pages(content)) == 3


def test_huge_text_less_pdf_page_is_rendered_small(tmp_path):
    """A page that claims to be 5 m square renders within the OCR size, not as a 40,000-pixel bitmap."""
    import io

    from bulletin.importer import pdfpage
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(14000.0, 14000.0))
    c.rect(100, 100, 200, 200)
    c.save()
    path = tmp_path / "big.pdf"
    path.write_bytes(buf.getvalue())
    doc = pdfpage.open_pdf(path)
    try:
        for _, boxes, render in pdfpage.pages(doc):
            assert boxes is None
            assert max(render().size) <= pdfpage.MAX_SIDE
    finally:
        doc.close()


def test_pdf_with_too_many_pages_is_refused_before_reading(tmp_path, monkeypatch):
    from bulletin.importer import pdfpage
    monkeypatch.setattr(pdfpage, "MAX_PAGES", 3)
    path = tmp_path / "2021-05-28.pdf"
    path.write_bytes(typeset_pdf.typeset(ITEMS * 3, 2, page=(300.0, 400.0)))
    result = cli(str(path), "--content", str(tmp_path / "content"))
    assert result.exit_code == 1 and "超过上限 3 页" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == [path.name]


def test_text_and_pdf_in_one_run(tmp_path, pdf2):
    """A .txt page and a PDF in the same command: one report, both imported, each with its record."""
    txt = tmp_path / "2021-05-29.txt"
    txt.write_text("小东门街道开展垃圾分类宣传\n\n本报讯（记者 张华）5月20日，小东门街道在辖区广场开展垃圾分类宣传活动，"
                   "志愿者向居民发放宣传资料，现场讲解分类知识。\n", encoding="utf-8")
    content = tmp_path / "content"
    result = cli(str(txt), str(pdf2), "--content", str(content))
    assert result.exit_code == 0, result.output
    assert "2 / 2" in result.output
    records = sorted(p.name for p in (content / "imports").rglob("*.yml"))
    assert records == ["2021-05-28.yml", "2021-05-29.yml"], records
