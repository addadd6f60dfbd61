"""A PDF or an image file -> one ``PageText`` per printed page, one page at a time.

PDF pages with a text layer are read from it; scanned PDF pages, photos and
scans go through OCR. The kind of file is told by its name and checked by
its content (a ``.pdf`` that is not one is refused, not guessed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bulletin.importer import pdfpage, scan
from bulletin.importer.layoutorder import read_order
from bulletin.importer.normalize import InputError
from bulletin.importer.pageblocks import blocks, render
from bulletin.importer.pagestages import Box, PageText
from bulletin.importer.rawfile import shown

PAGE_SUFFIXES = {".pdf"} | scan.IMAGE_SUFFIXES


def is_page_file(path: Path) -> bool:
    return Path(path).suffix.lower() in PAGE_SUFFIXES


def page_text(boxes: list[Box]) -> PageText:
    """Positioned text -> raw text with its layout evidence (the stages of :mod:`pagestages`)."""
    return render(blocks(read_order(boxes)))


def _checked(path: Path) -> None:
    name = shown(path)
    if not path.exists():
        raise InputError(f"{name}: 文件不存在")
    if not path.is_file():
        raise InputError(f"{name}: 不是普通文件")


def page_count(path: Path) -> int:
    """How many printed pages the file holds (PDF pages, TIFF frames); InputError if unusable."""
    _checked(path)
    if path.suffix.lower() == ".pdf":
        doc = pdfpage.open_pdf(path)
        n = len(doc)
        doc.close()
        return n
    img = scan.open_image(path)
    n = getattr(img, "n_frames", 1)
    img.close()
    return n


def page_texts(path: Path) -> Iterator[tuple[int, PageText | InputError]]:
    """(1-based page, its text or the reason it has none), page by page."""
    _checked(path)
    if path.suffix.lower() == ".pdf":
        doc = pdfpage.open_pdf(path)
        try:
            for n, boxes, image in pdfpage.pages(doc):
                yield n, _text_of(path, n, boxes if boxes is not None else scan.ocr_boxes(image()))
        finally:
            doc.close()
        return
    for n, decode in scan.frames(path):
        try:
            yield n, _text_of(path, n, scan.ocr_boxes(decode()))
        except InputError as exc:
            yield n, exc


def _text_of(path: Path, n: int, boxes: list[Box]) -> PageText | InputError:
    text = page_text(boxes)
    if text.chars < 10:
        return InputError(f"{shown(path)} 第 {n} 页: 没有识别出文字（空白页或图片里没有文字）")
    return text
