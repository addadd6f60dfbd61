"""Typeset a bulletin page as a PDF (reportlab) and "scan" it (pypdfium2 + Pillow).

For the tests and ``bench_pdf.py``: a page is a list of ``(kind, text)``
items; headlines (``title``) are set large, kickers, subtitles and column
labels a little larger than the body, body paragraphs with a two-character
first-line indent, all flowed into N columns on an A3 page. A scan is that
page rendered at 200 dpi, turned slightly, with noise and uneven light.
The Chinese font is reportlab's built-in CID font STSong-Light (not embedded;
PDF readers and pdfium draw it with a system CJK font such as Noto CJK).
"""

from __future__ import annotations

import io
import random

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
PAGE = (842.0, 1191.0)  # A3 in points
MARGIN, GUTTER = 40.0, 20.0
SIZES = {"title": 20.0, "kicker": 12.0, "subtitle": 12.0, "label": 13.0, "furniture": 9.0}
BODY, LEADING = 10.0, 1.5
_CLOSING = "，。、；：？！”’）》…"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def _wrap(text: str, size: float, width: float, indent: float) -> list[tuple[str, float]]:
    """Lines of ``text`` with their x offset; breaks anywhere (Chinese), but a line never starts with
    closing punctuation: the character before it goes down with it (no mark hangs into the gutter)."""
    lines, cur, x0 = [], "", indent
    for ch in text:
        if cur and x0 + _width(cur + ch, size) > width:
            carry = ""
            while ch in _CLOSING and len(cur) > 1 and (carry[:1] in _CLOSING or not carry):
                carry, cur = cur[-1] + carry, cur[:-1]
                if carry[0] not in _CLOSING:
                    break
            lines.append((cur, x0))
            cur, x0 = carry, 0.0
        cur += ch
    if cur:
        lines.append((cur, x0))
    return lines


def typeset(items: list[tuple[str, str]], columns: int, seed: int = 0, page: tuple[float, float] = PAGE,
            scale: float = 1.0) -> bytes:
    """The items flowed into ``columns`` columns, as many pages (A3 unless told) as they need; PDF bytes.

    ``scale``: every type size times this (a page that must fit one sheet).
    """
    _font()
    rng = random.Random(seed)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=page)
    col_w = (page[0] - 2 * MARGIN - (columns - 1) * GUTTER) / columns
    col, y = 0, page[1] - MARGIN
    for kind, text in items:
        size = SIZES.get(kind, BODY) * scale
        lead = size * LEADING
        before = lead if kind in ("title", "label", "kicker") else (0.3 * lead if kind == "subtitle" else 0.0)
        indent = 2 * size if kind == "body" else 0.0  # subheads, bylines, notes' labels: flush left
        lines = _wrap(text.strip(), size, col_w, indent)
        centre = kind in ("label",) or (kind == "title" and rng.random() < 0.3)
        if y < page[1] - MARGIN:
            y -= before
        for k, (line, x_off) in enumerate(lines):
            if y - lead < MARGIN:
                col, y = col + 1, page[1] - MARGIN
                if col == columns:
                    c.showPage()
                    col = 0
            x = MARGIN + col * (col_w + GUTTER) + x_off
            if centre:
                x += (col_w - _width(line, size)) / 2
            c.setFont(FONT, size)
            # Justified, as printed: every line but a paragraph's last fills the column.
            spare = col_w - x_off - _width(line, size)
            space = spare / (len(line) - 1) if k < len(lines) - 1 and len(line) > 1 and not centre else 0.0
            c.drawString(x, y - size, line, charSpace=space)
            y -= lead
    c.showPage()
    c.save()
    return out.getvalue()


def scan(pdf: bytes, page: int = 0, dpi: int = 200, seed: int = 0, angle: float | None = None):
    """A Pillow image of one PDF page as a scanner or phone would give it: grey, turned, noisy, uneven."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops, ImageFilter

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(pdf)
    try:
        img = doc[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()
    angle = rng.uniform(-1.2, 1.2) if angle is None else angle
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    w, h = img.size
    light = Image.linear_gradient("L").resize((w, h)).rotate(rng.choice([0, 90, 180, 270])).point(lambda v: 255 - v * 50 // 255)
    img = ImageChops.multiply(img, light)
    img = ImageChops.add(img, Image.effect_noise((w, h), 16), 1.0, -128)  # grain around zero
    img = img.filter(ImageFilter.GaussianBlur(0.5))
    return img


def typeset_one_page(items: list[tuple[str, str]], columns: int, seed: int = 0) -> bytes:
    """As :func:`typeset`, the type made smaller step by step until the page fits one sheet."""
    import pypdfium2 as pdfium

    for scale in (1.0, 0.95, 0.9, 0.85, 0.8, 0.75):
        pdf = typeset(items, columns, seed, scale=scale)
        doc = pdfium.PdfDocument(pdf)
        pages = len(doc)
        doc.close()
        if pages == 1:
            break
    return pdf
