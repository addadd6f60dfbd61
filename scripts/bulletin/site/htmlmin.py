"""Whitespace of rendered pages: Material's templates indent every block and
leave blank lines where a ``{% if %}`` was false, 14% of an article page
(2.6 KB of 18 KB; 130 MB of a 50,000-article site on a 1 GB Pages budget)."""

from __future__ import annotations

import re

# Content of these elements is shown or run as written: left alone.
_KEEP = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_RUN = re.compile(r"\n\s+")  # starts at a line break: 20x faster than one that starts at any space
# A line break before a block-level tag renders as nothing: dropped (about 150
# bytes a page). Before inline tags (a, span, time, button ...) it is a space.
_BLOCK = re.compile(r">\n(?=</?(?:html|head|body|meta|link|title|script|style|div|nav|header|footer|main|"
                    r"section|article|aside|form|p|pre|blockquote|figure|hr|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|details|summary)[\s>])")


def collapse_whitespace(html: str) -> str:
    """Whitespace after a line break goes (indentation, blank lines).

    Removes a line break outright only before a block-level tag, so text and
    inline elements keep their spacing (a line break renders like a space);
    ``pre``, ``textarea``,
    ``script`` and ``style`` are copied unchanged."""
    out: list[str] = []
    last = 0
    for m in _KEEP.finditer(html):
        out.append(_BLOCK.sub(">", _RUN.sub("\n", html[last:m.start()])))
        out.append(m.group(0))
        last = m.end()
    out.append(_BLOCK.sub(">", _RUN.sub("\n", html[last:])))
    return "".join(out)


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)


def headings_below(html: str, top: int = 2) -> str:
    """An article body's headings moved up or down so the highest is ``h{top}``:
    the page's h1 is the title, and a body written with ``###`` subheads would
    otherwise jump from h1 to h3 (screen readers list headings by level)."""
    levels = [int(m.group(2)) for m in _HEADING.finditer(html) if not m.group(1)]
    if not levels or min(levels) == top:
        return html
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)


_HREF = re.compile(r'(href|action)="([^"]*%[89A-Fa-f][^"]*)"')
_UTF8 = re.compile(r"(?:%[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){1,3})+")


def _readable(m: re.Match) -> str:
    """A run of percent-encoded UTF-8 as its characters, when they are
    printable and not spaces (a browser encodes them again when it follows the
    link); anything else stays encoded."""
    try:
        text = bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8")
    except ValueError:
        return m.group(0)
    return text if text.isprintable() and not any(c.isspace() for c in text) else m.group(0)


def readable_links(html: str) -> str:
    """Links to street and programme pages as ``streets/小东门街道/``, not
    ``streets/%E5%B0%8F...%93/``: a Chinese name takes 9 bytes a character
    percent-encoded and 3 as itself (HTML allows it), 140 bytes an article."""
    if "%" not in html:
        return html
    return _HREF.sub(lambda m: f'{m.group(1)}="{_UTF8.sub(_readable, m.group(2))}"', html)
