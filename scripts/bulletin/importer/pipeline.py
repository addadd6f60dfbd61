"""One raw page -> Article objects, leftovers and new tag candidates.

Pure: text in, data out. Reading files and writing pages is :mod:`bulletin.editing.store`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from bulletin.importer import extract, pagememo, places, programmes
from bulletin.importer.layout import BRIEF_BULLETS
from bulletin.importer.normalize import clean
from bulletin.importer.rawfile import name_without_date
from bulletin.importer.segment import segment_page
from bulletin.importer.stages import Draft, PageImport
from bulletin.model import MAX_NAME_CHARS, MAX_NAMES, Article
from bulletin.taxonomy import Taxonomy

# Characters Python-Markdown lets a backslash make literal.
_MD_BACKSLASH = re.compile(r"[\\`*_\[\]{}]")
# Characters it does not (a backslash would show), or that must never reach the HTML
# as themselves: character references. ``|`` and ``~`` are tables and strike-through
# in common extensions.
_MD_ENTITY = re.compile(r"[&<>|~]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"}
# At the start of a line: headings, lists, rules, setext underlines, numbered lists.
_MD_LINE_START = re.compile(r"^([ \t]*)(?:([#+\-])|(=)|(\d+)([.)]))", re.M)


def _line_start(m: re.Match) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    if m.group(3):
        return f"{m.group(1)}&#61;"
    return f"{m.group(1)}{m.group(4)}\\{m.group(5)}"


def escape_markdown(text: str) -> str:
    """Raw text is data, never markup: HTML, Markdown and template syntax stay literal.

    The page shows exactly ``text``: ``<script>`` as text, ``[a](javascript:…)``
    as text, ``---`` as text, ``{{ x }}`` as text. Only ASCII punctuation is
    touched, so every Chinese character is kept as it is.
    """
    text = _MD_BACKSLASH.sub(lambda m: "\\" + m.group(0), text)
    text = _MD_ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    return _MD_LINE_START.sub(_line_start, text)




_RESERVED = re.compile(r"(?i)^(?:con|prn|aux|nul|com\d|lpt\d)$")


def safe_stem(name: str) -> str:
    """ASCII file-name part from a raw file's name; never empty, never a path.

    Only ``a-z0-9_-``, at most 45 characters, and stable: the same name always
    gives the same stem. A name that had to be changed (``/``, ``\\``, ``..``,
    spaces, Chinese, control characters, capitals, too long, a Windows device
    name) gets 4 hex digits of the full name's hash, so two different names do
    not meet on one stem, not even on a case-insensitive file system.
    """
    stem = re.split(r"[\\/]", name)[-1]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    safe = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:40].strip("-_")
    if not safe or safe != stem or _RESERVED.match(safe):
        digest = hashlib.sha1(stem.encode("utf-8", errors="surrogatepass")).hexdigest()[:4]
        safe = f"{safe}-{digest}" if safe else f"p{digest}"
    return safe


def page_prefix(source: str, issue: dt.date) -> str:
    """``<issue date>-<stem>``, the start of every page name of one raw page; a
    name that is just the date (``2021-06-01.txt``) does not repeat it."""
    rest = name_without_date(source, issue)
    return f"{issue.isoformat()}-{safe_stem(rest)}" if rest else issue.isoformat()


_MARKUP = {"text": "", "editor": "", "sub": "### ", "caption": "> "}


def _body_text(draft: Draft) -> str:
    return "\n\n".join(_MARKUP[kind] + escape_markdown(text) for kind, text in draft.paragraphs)


def _plain(draft: Draft) -> str:
    return "\n".join([draft.title] + [text for _, text in draft.paragraphs])


def build_article(draft: Draft, position: int, source: str, issue: dt.date, taxonomy: Taxonomy) -> tuple[Article, list[str], list[str]]:
    """Tag one draft; returns the article and the new street/programme candidates in it.

    Unknown districts are not returned: :func:`unknown_districts` names them."""
    text = _plain(draft)
    # The taxonomy's names first, whole; the pattern finder reads only the rest
    # (奉贤庄行镇 is 庄行镇, not a new street 奉贤庄行镇).
    found = places.streets(text, taxonomy.street_spans(text))
    streets = list(dict.fromkeys(taxonomy.find_streets(text) + [taxonomy.canonical_street(s) for s in found]))
    new_streets = [s for s in found if not taxonomy.is_known_street(s)]
    progs, new_progs = programmes.find(text, taxonomy)
    # A district comes from the taxonomy only: the district of a known street,
    # else a district the taxonomy lists named in the text. Never a fragment.
    district = next((d for d in (taxonomy.district_of(s) for s in streets) if d), None)
    if district is None:
        district = next((d for d in places.districts(text) if taxonomy.is_known_district(d)), None)
    body_paras = draft.text_paragraphs()
    lead = body_paras[0] if body_paras else ""
    # 本报9月6日讯（记者 X）was cut from the lead as its byline: its day is the lead's.
    # A column of several bulleted items of different days has none of its own.
    items = sum(1 for p in body_paras if p[:1] in BRIEF_BULLETS)
    date = None if items > 1 else extract.lead_date(extract.dateline(draft.bylines) + lead, issue)
    article = Article(
        title=draft.title,
        kicker=draft.kicker,
        column=draft.column,
        subtitle=draft.subtitle,
        date=date or issue,
        issue_date=issue,
        district=district,
        streets=_bounded(streets),
        places=_bounded(p for p in places.places(text) if p not in streets),
        programmes=_bounded(progs),
        candidate_programmes=_bounded(new_progs),
        authors=_bounded(draft.authors),
        byline=" / ".join(draft.bylines) or None,
        kind=_kind(draft),
        source=source,
        position=position,
        summary=extract.summary(body_paras[:1]),
        body=_body_text(draft),
    )
    return article, new_streets, new_progs


def _bounded(names) -> list[str]:
    """Names within the schema's limits (model.MAX_NAMES, MAX_NAME_CHARS): a page the
    import writes passes ``bulletin check``, however long the raw text."""
    return [n for n in names if len(n) <= MAX_NAME_CHARS][:MAX_NAMES]


def unknown_districts(text: str, taxonomy: Taxonomy) -> list[str]:
    """Districts named in ``text`` that the taxonomy does not list (never written to a page)."""
    return [d for d in places.districts(text) if not taxonomy.is_known_district(d)]


def _line_of(squeezed: list[str], name: str, first: int) -> int:
    """The raw line (1-based, from ``first`` on) where ``name`` begins; a name
    broken over two lines counts from where it begins. ``squeezed``: the raw
    lines without spaces and a final "", made once a page (made once a name,
    a 300,000-line page took minutes)."""
    for no in range(max(first, 1), len(squeezed)):
        here = squeezed[no - 1]
        if name in here or (here and name in here + squeezed[no] and name not in squeezed[no]):
            return no
    return max(first, 1)


def _kind(draft) -> str:
    """An article the page gives no headline (only a column label above it)
    is written as an untitled brief or fragment, the kinds a page may have
    without a title (model.validate_meta), so the import passes ``check``."""
    if draft.title or draft.kind in ("fragment", "brief"):
        return draft.kind
    return "brief" if draft.column else "fragment"


def _slug(prefix: str, key: str, seen: set[str]) -> str:
    """``<prefix>-<6 hex of the opening text>``; the n-th article with the same
    opening text hashes ``text#n`` instead, so names stay short and stable."""
    n, data = 1, key
    while True:
        slug = f"{prefix}-{hashlib.sha1(data.encode('utf-8', errors='surrogatepass')).hexdigest()[:6]}"
        if slug not in seen:
            return slug
        n += 1
        data = f"{key}#{n}"


def import_text(text: str, source: str, issue: dt.date, taxonomy: Taxonomy, layout: list[dict] | None = None) -> PageImport:
    """One raw page -> its articles, leftovers and decisions; the page's line tests
    are answered once each (:mod:`bulletin.importer.pagememo`). ``layout``: a PDF's or scan's evidence."""
    with pagememo.page():
        return _import_page(text, source, issue, taxonomy, layout)


def _import_page(text: str, source: str, issue: dt.date, taxonomy: Taxonomy, layout: list[dict] | None) -> PageImport:
    drafts, leftovers, _, decisions = segment_page(text, issue, layout)
    result = PageImport(leftovers=leftovers, boundaries=decisions)
    prefix = page_prefix(source, issue)
    squeezed = [re.sub(r"\s+", "", line) for line in clean(text).split("\n")] + [""]  # the lines segment_page numbers
    seen: set[str] = set()
    reported: set[str] = set()
    for position, draft in enumerate(drafts, 1):
        article, new_streets, new_progs = build_article(draft, position, source, issue, taxonomy)
        key = re.sub(r"\s+", "", article.summary or article.body)[:60]
        slug = _slug(prefix, key, seen)
        seen.add(slug)
        result.articles.append(article)
        result.slugs.append(slug)
        for kind, names in (("街道", new_streets), ("区", unknown_districts(_plain(draft), taxonomy))):
            fresh = [n for n in dict.fromkeys(names) if n not in reported]
            reported.update(fresh)
            result.unknown_places += [(_line_of(squeezed, n, draft.line), kind, n) for n in fresh]
        result.new_streets += [s for s in new_streets if s not in result.new_streets]
        result.new_programmes += [p for p in new_progs if p not in result.new_programmes]
    return result
