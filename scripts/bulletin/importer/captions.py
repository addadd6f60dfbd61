"""After the model: an untitled photo caption printed right after another article.

A photo caption is one short paragraph closed by its photographer's credit
(``…送清凉。 王敏 摄`` or ``本报记者 王敏 摄`` on the next line). When such a
paragraph follows another article's text and nothing of an article follows
its credit (the next line opens an article, is page furniture or ends the
page), it is an article of its own: a caption inside an article is followed
by more of that article. The model sees two lines either side and misses the
credit several lines below a caption's first line, so this is checked on the
labels it gives, bottom up (a run of captions).
"""

from __future__ import annotations

from bulletin.importer import extract
from bulletin.importer.features import page_width
from bulletin.importer.layout import bare, paragraphs
from bulletin.importer.lines import Line

MAX_CAPTION = 90  # characters of a caption without its credit; a longer paragraph is a report's
_AFTER = {"furn", "cont", "col"}


def credit_line(text: str) -> bool:
    """``本报记者 王敏 摄`` alone on a line."""
    b = bare(text)
    return len(b) <= 16 and b.rstrip("）)").endswith("摄") and bool(extract.photo_credit(text))


def _paragraph_starts(lines: list[Line]) -> set[int]:
    """Indexes of the lines that begin a paragraph, as body assembly joins them."""
    rows = [""] * (lines[-1].line if lines else 0)
    for line in lines:
        rows[line.line - 1] = ("\u3000\u3000" if line.indent else "") + line.text
    at = {line.line: i for i, line in enumerate(lines)}
    return {at[b.line] for b in paragraphs("\n".join(rows)) if b.line in at}


def _full(line: Line, width: int | None) -> bool:
    """A line as wide as the column: a sentence ending there may not end the paragraph."""
    if extract.split_tail_signature(line.text)[0]:
        return False  # …。 通讯员 X: an article's end, however wide
    return bool(width) and not line.blank_after and len(bare(line.text)) >= width


def split_captions(lines: list[Line], labels: list[str]) -> list[str]:
    """``labels`` with each trailing untitled caption opened as an article."""
    if not any("摄" in line.text for line in lines):
        return labels  # no photographer's credit, no caption (and no paragraphs to rebuild)
    labels = [("byl" if credit_line(line.text) and i and labels[i - 1].rstrip("+") == "body" and lab.rstrip("+") != "title"
               else lab) for i, (line, lab) in enumerate(zip(lines, labels))]  # a credit under text, whatever the model read
    starts: set[int] | None = None  # rebuilt only for a page with a caption candidate
    width = page_width(lines)
    k = len(lines) - 1
    while k >= 0:
        role = labels[k].rstrip("+")
        own = credit_line(lines[k].text) and role == "byl"
        inline = role in ("body", "byl") and not own and bool(extract.photo_credit(lines[k].text))
        if not (own or inline):
            k -= 1
            continue
        nxt = labels[k + 1] if k + 1 < len(labels) else "+"
        last = k - 1 if own else k
        if inline:
            labels[k] = "body" + "+" * labels[k].endswith("+")  # a caption's last line, its credit at the end
        if not (nxt.endswith("+") or nxt.rstrip("+") in _AFTER) or last < 1 or labels[last] != "body":
            k -= 1
            continue
        starts = _paragraph_starts(lines) if starts is None else starts
        j = last
        while j > 0 and labels[j - 1] == "body" and (j not in starts or _full(lines[j - 1], width)):
            j -= 1
        size = sum(len(bare(lines[i].text)) for i in range(j, last + 1))
        if j > 0 and j in starts and labels[j] == "body" and not _full(lines[j - 1], width) and size <= MAX_CAPTION + (0 if own else 12) and _after_text(labels, j):
            labels[j] = "body+"
        k = j - 1
    return labels


def _after_text(labels: list[str], j: int) -> bool:
    """The line above ``j`` ends another article: its text, or a credit under text."""
    above = labels[j - 1]
    if above == "body":
        return True
    return above == "byl" and j > 1 and labels[j - 2].rstrip("+") in ("body", "byl")
