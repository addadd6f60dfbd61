"""One rule for the names and titles the site shows: nothing invisible survives.

OCR and copy-paste bring control characters (a NUL makes the Atom feed
ill-formed XML) and zero-width characters (``石港\u200b镇`` looks like 石港镇 but
would get a second street page). Names are also NFKC-normalised, so full-width
and half-width spellings of one name are one tag; titles and other running text
keep their full-width punctuation (NFC only), as the importer writes it.
"""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids (besides the C0 controls) and Unicode noncharacters.
_NONCHAR = re.compile("[\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_SPACE = re.compile(r"\s+")
_DROP = frozenset(("Cc", "Cf", "Cs"))


def _visible(text: str) -> str:
    """Line breaks and tabs become spaces; other controls, format characters
    (zero-width space and joiners, BOM, bidi marks) and noncharacters go."""
    if text.isprintable():  # no Cc, Cf, Cs, Zl, Zp, unassigned or noncharacter: nearly every name
        return text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\t\n\r\x85" or cat in ("Zl", "Zp"):
            out.append(" ")
        elif cat not in _DROP:
            out.append(ch)
    return _NONCHAR.sub("", "".join(out))


def clean_text(value) -> str:
    """A title, kicker, summary or other one-line text: NFC, nothing invisible."""
    return _visible(unicodedata.normalize("NFC", str(value)))


def clean_name(value) -> str:
    """A street, programme, place, author or district: NFKC, nothing invisible,
    runs of spaces as one, no spaces at the ends."""
    return _SPACE.sub(" ", _visible(unicodedata.normalize("NFKC", str(value)))).strip()


def invisible(value: str) -> bool:
    """True when :func:`_visible` would change ``value`` (what ``check`` warns about)."""
    if value.isprintable():
        return False
    return any(unicodedata.category(c) in _DROP or c in "\u2028\u2029" for c in value) or bool(_NONCHAR.search(value))


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_chars(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold at all (escaping does not help)."""
    return _NOT_XML.sub("", text)
