"""A check on the model's labels that no page's context can overturn.

On a page of two or three lines the model has too little context: it may read
a sentence as a title. A line that no headline looks like is text, whatever
the model says (applied right after :func:`bulletin.importer.crf.tag`).
"""

from __future__ import annotations

from bulletin.importer.layout import headline_shaped
from bulletin.importer.lines import Line


def prose_is_body(line: Line, lab: str) -> str:
    """``lab``, or body (keeping an article start's ``+``) for a title or kicker line
    that ends a sentence inside it or runs over 48 characters."""
    role = lab.rstrip("+")
    return "body" + lab[len(role):] if role in ("title", "kick") and not headline_shaped(line.text) else lab
