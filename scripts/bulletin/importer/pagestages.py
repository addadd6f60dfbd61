"""The data types of importing a page itself (PDF or scan), stage by stage.

PDF text layer (:mod:`pdfpage`) or OCR (:mod:`scan`) --> ``Box``     positioned pieces of text
         --layoutorder.read_order---------------------> ``Box`` lists, one per column chunk, in reading order
         --pageblocks.blocks--------------------------> ``PageBlock`` paragraphs and headlines with layout evidence
         --pageblocks.render--------------------------> ``PageText``  the raw text a text import reads, and its evidence

Coordinates are top-down (``y0`` above ``y1``) in the source's own unit
(PDF points or image pixels); every threshold is relative to the body
text's glyph height, so the unit never matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    """A run of text on one printed line: a PDF line segment or an OCR text line."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float  # glyph height (PDF font size, or OCR box height)
    bold: bool = False
    conf: float = 1.0  # OCR confidence; 1.0 for a PDF text layer

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class PageBlock:
    """A paragraph or headline as laid out, with the evidence the page gives about its role."""

    text: str
    size: float  # glyph height relative to the body text (1.0 = body)
    bold: bool
    centred: bool
    gap: float  # blank space above, in body lines
    column: int  # which column chunk in reading order
    lines: int  # printed lines
    doubtful: list[str] = field(default_factory=list)  # OCR lines below the confidence threshold
    indent: bool = False  # the first line indented (a paragraph's start)


@dataclass
class PageText:
    """One page's raw text (blocks separated by blank lines) and per-line layout evidence.

    ``features[i]`` describes the ``i``-th non-blank line of ``text``; a text
    import that knows layout features can take them, one that does not reads
    ``text`` as any raw page.
    """

    text: str
    features: list[dict]
    doubtful: list[tuple[int, str]]  # (1-based line, OCR text) below the confidence threshold
    chars: int
