"""A PDF's pages: the text layer as positioned boxes (pypdfium2), or an image to OCR.

Characters come with their loose boxes (the font's line height, so a line's
boxes line up), font size and weight. A page whose text layer holds almost
no characters (a scanned page inside a PDF) is rendered at 200 dpi for OCR
instead. Pages are opened one at a time and closed at once: a 500-page PDF
takes the memory of one page.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bulletin.importer.normalize import InputError
from bulletin.importer.pagestages import Box
from bulletin.importer.rawfile import shown

MAX_PAGES = 2000
SCAN_DPI = 200
MAX_SIDE = 4000  # pixels: an A3 page at 200 dpi is 3,300
_MIN_TEXT = 20  # fewer characters than this: the page is an image


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """The document, or InputError: not a PDF, damaged, encrypted, too many pages."""
    name = shown(path)
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise InputError(f"{name}: 无法读取（{exc.strerror or exc}）") from None
    if b"%PDF-" not in head:
        raise InputError(f"{name}: 文件名是 .pdf，但内容不是 PDF 文件")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(f"{name}: PDF 已加密（需要密码），请先导出未加密的 PDF") from None
        raise InputError(f"{name}: PDF 文件已损坏，无法打开（{exc}）") from None
    n = len(doc)
    if n == 0:
        doc.close()
        raise InputError(f"{name}: PDF 没有页面")
    if n > MAX_PAGES:
        doc.close()
        raise InputError(f"{name}: PDF 有 {n} 页，超过上限 {MAX_PAGES} 页，请拆分后导入")
    return doc


def _bold(tp, i: int) -> bool:
    if pdfium_c.FPDFText_GetFontWeight(tp, i) >= 600:
        return True
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(tp, i, buf, 128, ctypes.byref(flags))
    name = buf.value.decode("latin-1", "replace").lower()
    return "bold" in name or "hei" in name or bool(flags.value & (1 << 18))  # ForceBold


def text_boxes(page: pdfium.PdfPage) -> list[Box]:
    """The page's characters joined into runs on one line, in top-down page coordinates."""
    height = page.get_height()
    tp = page.get_textpage()
    try:
        n = pdfium_c.FPDFText_CountChars(tp)
        rect = pdfium_c.FS_RECTF()
        runs: list[list] = []  # [x0, y0, x1, y1, chars, size, bold]
        for i in range(n):
            ch = chr(pdfium_c.FPDFText_GetUnicode(tp, i))
            if ch.isspace() or pdfium_c.FPDFText_IsGenerated(tp, i) == 1 or ch == "\ufffe":
                if runs and runs[-1][4][-1] != " ":
                    runs[-1][4].append(" ")  # kept if the run goes on: 记者 王敏, a masthead's parts
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(rect)):
                continue
            x0, x1, y0, y1 = rect.left, rect.right, height - rect.top, height - rect.bottom
            size = pdfium_c.FPDFText_GetFontSize(tp, i) or (y1 - y0)
            run = runs[-1] if runs else None
            gap = (2.2 if run and run[4][-1] == " " else 1.0) * size  # a space may stand for a wide gap
            if run and abs((run[1] + run[3]) / 2 - (y0 + y1) / 2) < 0.4 * size and -0.3 * size < x0 - run[2] < gap \
                    and abs(run[5] - size) < 0.1 * size:
                run[2], run[1], run[3] = x1, min(run[1], y0), max(run[3], y1)
                run[4].append(ch)
            else:  # a run is one font: its weight is read once, at its first character
                runs.append([x0, y0, x1, y1, [ch], size, _bold(tp, i)])
    finally:
        tp.close()
    return [Box(r[0], r[1], r[2], r[3], "".join(r[4]).strip(), r[5], r[6]) for r in runs]


def pages(doc: pdfium.PdfDocument) -> Iterator[tuple[int, list[Box] | None, object]]:
    """(1-based page number, text boxes or None, a function rendering the page for OCR)."""
    for k in range(len(doc)):
        page = doc[k]
        try:
            boxes = text_boxes(page)
            if sum(len(b.text) for b in boxes) >= _MIN_TEXT:
                yield k + 1, boxes, None
            else:
                # 200 dpi, but never a bitmap longer than MAX_SIDE: a page may claim to be metres wide.
                scale = min(SCAN_DPI / 72, MAX_SIDE / max(page.get_width(), page.get_height(), 1))
                yield k + 1, None, lambda page=page, scale=scale: page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()
