"""Article bodies that are plain paragraphs, converted without Python-Markdown.

Nearly every imported article is paragraphs of text and nothing else, yet
MkDocs builds a new ``Markdown`` object for each page and runs every block and
inline processor over it: 0.6 ms an article, a minute of a 100,000-article
build. For a body where no Markdown syntax can occur, the HTML is known:
each paragraph (lines up to a blank line) as ``<p>``, joined by line breaks.
Backslash escapes of punctuation (``\\*``, as the importer writes an OCR'd
asterisk: one article in seven of the synthetic archive) are the character.
Anything else (a heading, a list, emphasis, a link, HTML, an entity, another
backslash, an indented or hard-broken line) returns None and goes through
Python-Markdown as before; tests/test_plainmd.py holds the two equal.
"""

from __future__ import annotations

import re

# Characters that can start Markdown syntax anywhere in a line (for the
# project's extensions: attr_list `{`, md_in_html `<`), characters Markdown
# rewrites (tabs, control characters), and line shapes that start a block or
# change one: leading white space (Python-Markdown strips it, U+3000 too),
# list items, headings, quotes, rules and setext underlines, trailing white
# space (two spaces are a hard break).
_INLINE = re.compile(r"[\\`*_\[\]<>&{}#\x00-\x09\x0b-\x1f\x7f]")
_LINE = re.compile(r"^(?:\s|[-+=>]|\d+[.)])|\s$", re.M)
# Python-Markdown's escapes that give the character itself (``\>`` gives an entity: not here).
_ESCAPE = re.compile(r"\\([!#()*+\-.\[\\\]_`{}])")


def paragraphs_html(markdown: str) -> str | None:
    """The HTML Python-Markdown gives a body of plain paragraphs, or None."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    escaped = "\\" in text
    bare = _ESCAPE.sub("x", text) if escaped else text  # shapes checked with each escape as a letter
    if not text or _INLINE.search(bare):
        return None
    if any(not b or _LINE.search(b) for b in bare.split("\n\n")):  # a third line break, or a block's shape
        return None
    blocks = _ESCAPE.sub(r"\1", text).split("\n\n") if escaped else text.split("\n\n")
    return "\n".join(f"<p>{b}</p>" for b in blocks)


def cleaned(html: str) -> str:
    """What ``sanitize.clean`` makes of :func:`paragraphs_html`'s HTML (no tag but
    ``<p>``, no ``<``, ``>`` or ``&`` in the text): the same, with a no-break space
    written as ``&nbsp;``, as its serializer writes it; 3% of a build less."""
    return html.replace("\xa0", "&nbsp;")
