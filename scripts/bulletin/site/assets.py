"""Material's files the archive never loads: the search plugin's lunr and worker
scripts (the archive has its own search) and source maps. 2.3 MB copied into
every build, 2.3 KB an article at 1,000 articles (BENCHMARKS.md)."""

from __future__ import annotations

import re

_UNUSED = re.compile(r"assets/javascripts/(?:lunr|workers)/|assets/images/favicon\.png$|\.map$")


def unused(uri: str, theme_file: bool) -> bool:
    """A theme file nothing in the built site refers to. Files from the docs
    folder or the custom theme are the project's and are always kept."""
    return theme_file and bool(_UNUSED.search(uri))
