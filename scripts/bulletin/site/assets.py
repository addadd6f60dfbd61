"""Material's files as the archive ships them: none of its scripts (the lean
frame, theme/base.html, needs no JavaScript of Material's: 35 KB gzip a page;
the archive has its own search) and, instead of its two stylesheets (24 KB gzip,
render-blocking), one lean copy holding only the rules the pages use
(:mod:`leancss`). Source maps and Material's PNG favicon go too."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bulletin.site import leancss

_UNUSED = re.compile(r"assets/javascripts/|assets/stylesheets/|assets/images/favicon\.png$|\.map$")
_STYLESHEETS = re.compile(r"assets/stylesheets/(?:main|palette)\.[0-9a-f]+\.min\.css$")
LEAN = "assets/stylesheets/material.{hash}.css"


def unused(uri: str, theme_file: bool) -> bool:
    """A theme file nothing in the built site refers to. Files from the docs
    folder or the custom theme are the project's and are always kept."""
    return theme_file and bool(_UNUSED.search(uri))


def material_stylesheets(theme_files) -> list[str]:
    """The text of Material's main and palette stylesheets, in that order (the
    palette overrides), from the theme's ``File`` objects."""
    found = sorted((f.src_uri, f.abs_src_path) for f in theme_files if _STYLESHEETS.search(f.src_uri))
    return [Path(path).read_text(encoding="utf-8") for _, path in found]


def not_included(config, nav) -> set[str]:
    """Material partials the templates include only under conditions this site
    does not meet: the side nav and two-level tabs (theme/partials/bl-*.html, a
    nav with sections), the repository link, the feedback widget."""
    skip = set()
    if nav is not None and not any(getattr(item, "children", None) for item in nav.items):
        skip |= {"partials/nav.html", "partials/tabs.html"}
    if not config.repo_url:
        skip.add("partials/source.html")
    if not (config.extra or {}).get("analytics"):
        skip.add("partials/feedback.html")
    return skip


def lean_stylesheet(material: list[str], used: leancss.Used, templates, env, config, nav) -> tuple[str, str]:
    """``(site path, text)`` of Material's stylesheets cut to what ``used`` (the
    pages' HTML), the templates reachable from ``templates`` and the custom
    theme's scripts name. The path carries a hash of the text."""
    leancss.add_templates(used, templates, lambda name: env.loader.get_source(env, name)[0],
                          skip=not_included(config, nav))
    custom_dir = config.theme.custom_dir
    for script in sorted(Path(custom_dir).rglob("*.js")) if custom_dir else []:
        used.add_template(script.read_text(encoding="utf-8"))
    css = leancss.trim("\n".join(material), used)
    return LEAN.format(hash=hashlib.sha1(css.encode("utf-8")).hexdigest()[:8]), css
