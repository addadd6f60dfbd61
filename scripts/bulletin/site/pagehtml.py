"""Generated pages written as HTML: front matter, then a body MkDocs takes as rendered.

Street, programme, month and issue pages are most of the generated pages (1,900
at 10,000 articles). Written as Markdown, Python-Markdown parsed what this
project had just generated: a quarter of a build, most of it its link pattern
scanning rows of links. Here the same HTML is written directly: text escaped,
links as ``bl-src:`` plus the target's source file (made relative to the page by
``pages.resolve_links`` once MkDocs knows the URLs), headings' ids and the
table of contents as Python-Markdown's ``toc`` extension makes them
(``toc_of``), so the published pages stay the same. Pure: the plugin's
``mkfiles.render_html`` hands the result to MkDocs.
"""

from __future__ import annotations

import html
import re

from markdown.extensions.toc import slugify, unique

MARK = "<!-- bl-html -->"  # first line of a body that is HTML already (front matter before it)


def text(value) -> str:
    """Untrusted text as an HTML text node (as Python-Markdown writes text: quotes as they are)."""
    return html.escape(str(value), quote=False)


def href(to: str, anchor: str = "") -> str:
    """An href naming the target's source file; ``pages.resolve_links`` makes it a relative URL."""
    return html.escape(f"bl-src:{to}") + (f"#{html.escape(anchor)}" if anchor else "")


def link(label_html: str, to: str, anchor: str = "", chip: bool = False) -> str:
    """``<a>`` to a source file; ``chip``: styled as a chip (``{ .bl-chip }`` in the Markdown it replaces)."""
    cls = ' class="bl-chip"' if chip else ""
    return f'<a{cls} href="{href(to, anchor)}">{label_html}</a>'


def heading(level: int, label: str, anchor: str = "") -> str:
    """``<hN>`` of escaped text; without ``anchor`` its id comes from ``toc_of`` (a slug of the text)."""
    ident = f' id="{html.escape(anchor)}"' if anchor else ""
    return f"<h{level}{ident}>{text(label)}</h{level}>"


def paragraph_div(cls: str, inner: str) -> str:
    """A ``<div markdown>`` holding one paragraph, as md_in_html wrote it."""
    return f'<div class="{cls}">\n<p>{inner}</p>\n</div>'


def crumbs(trail: list[tuple[str, str]]) -> str:
    """Breadcrumbs ``(label, source file[#anchor])``, first to last."""
    parts = " › ".join(link(text(label), *to.partition("#")[::2]) for label, to in trail)
    return f'<p class="bl-crumbs">{parts}</p>'


def page(front_matter: str, title: str, *blocks: str, trail: str = "") -> str:
    """Front matter, :data:`MARK`, breadcrumbs, the h1 naming the page, then the blocks (HTML)."""
    body = [trail, heading(1, title), *blocks]
    return front_matter + MARK + "\n" + "\n".join(b for b in body if b) + "\n"


def body_of(markdown: str) -> str | None:
    """The HTML after :data:`MARK` when the page's source (front matter read) starts with it, else None."""
    source = markdown.lstrip("\n")
    return source[len(MARK):].lstrip("\n") if source.startswith(MARK) else None


_HEADING = re.compile(r"<h([1-6])(?: id=\"([^\"]*)\")?>(.*?)</h\1>", re.S)
_ID = re.compile(r' id="([^"]*)"')


def toc_of(body: str) -> tuple[str, list[dict], set[str]]:
    """The body with an id on every heading, the ``toc`` extension's nested tokens
    (level, id, name, children) and every id on the page. Ids that are not given
    are slugs of the heading's text, made unique as the extension makes them."""
    used = {html.unescape(i) for i in _ID.findall(body)}
    flat: list[dict] = []

    def one(m: re.Match) -> str:
        level, ident, inner = int(m.group(1)), m.group(2), m.group(3)
        if ident is None:
            ident = unique(slugify(html.unescape(inner), "-"), used)
            used.add(ident)
        else:
            ident = html.unescape(ident)
        flat.append({"level": level, "id": ident, "name": inner, "children": []})
        return f'<h{level} id="{html.escape(ident)}">{inner}</h{level}>'

    body = _HEADING.sub(one, body)
    return body, _nest(flat), used


def _nest(flat: list[dict]) -> list[dict]:
    """Tokens as children of the nearest earlier token of a higher level."""
    top: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else top).append(token)
        stack.append(token)
    return top
