"""Article HTML as the public may see it: an allow list, applied by nh3 (Ammonia).

Editors' Markdown comes from pull requests, so raw HTML in it is untrusted:
only the tags and attributes Markdown and its extensions (``attr_list``,
``md_in_html``, ``toc``) produce survive, no script or event handler, and links
and images may only be http(s), mailto or relative. The build cleans every page
it did not generate; :func:`removed` says what cleaning takes away, so
``bulletin check`` can name it before the build does it silently.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul",
})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "col": {"span"},
    "time": {"datetime"},
    "details": {"open"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
# The Markdown extensions of mkdocs.yml (tests keep the two lists equal).
MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "toc")

# Ids (and <a name>) from content share the page with the theme's: `id="__config"`
# shadowed Material's configuration. Prefixed as GitHub does, after MkDocs checked
# the anchors; links to them (`#x`, `page/#x`) and the toc's anchors (site.view)
# get the same prefix, so they still match.
ID_PREFIX = "user-content-"
NAMED = frozenset({"id", "name"})


def prefixed(value: str) -> str:
    return value if value.startswith(ID_PREFIX) else ID_PREFIX + value


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name in NAMED:
        return prefixed(value)
    if name == "href" and "#" in value and not _SCHEME.match(value) and not value.startswith("//"):
        path, fragment = value.split("#", 1)
        return f"{path}#{prefixed(fragment)}" if fragment else value
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()}, url_schemes=set(URL_SCHEMES),
    clean_content_tags=set(DROPPED_WITH_CONTENT), link_rel=None, strip_comments=True, attribute_filter=_attribute,
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def clean(html: str) -> str:
    """``html`` with everything outside the allow list removed."""
    return _CLEANER.clean(html)


class _Tags(HTMLParser):
    """Start tags with their attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag, attrs):  # ids and links as cleaning leaves them: prefixing is not a removal
        self.tags.append((tag, tuple(sorted((k, _attribute(tag, k, v or "")) for k, v in attrs))))

    handle_startendtag = handle_starttag


def _tags(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def unsafe_url(value: str) -> bool:
    """A URL whose scheme is not allowed (browsers ignore controls and spaces in it)."""
    m = _SCHEME.match(_IGNORED_IN_URL.sub("", value))
    return bool(m) and m.group(1).lower() not in URL_SCHEMES


def removed(html: str) -> list[tuple[str, str]]:
    """What :func:`clean` takes out of ``html``, as (description, text to find it by)."""
    out: list[tuple[str, str]] = []
    for tag, attrs in _tags(html):
        if tag not in TAGS:
            out.append((f"<{tag}> 标签", f"<{tag}"))
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                out.append((f"<{tag}> 的 {name} 属性", name))
            elif name in URL_ATTRIBUTES and unsafe_url(value):
                scheme = _SCHEME.match(_IGNORED_IN_URL.sub("", value)).group(1).lower()
                out.append((f"{scheme}: 链接（只能用 http、https、mailto 或站内链接）", scheme))
    if not out and _tags(html) != _tags(clean(html)):
        out.append(("不安全的 HTML", "<"))
    return list(dict.fromkeys(out))
