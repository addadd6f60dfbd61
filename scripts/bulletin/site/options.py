"""The plugin's options in mkdocs.yml, checked before anything is built, and
the rule that nothing is ever written outside the site folder (the rule that
no command writes pages into it is :func:`bulletin.project.refuse_site_output`).

mkdocs.yml can come from a pull request too: ``feed_path: /abs/path.xml`` would
write outside ``site/`` and ``../x.xml`` links every page to a file that is
never written. Pure functions: the plugin turns the problems into one error.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Mapping

from bulletin import project

# Options that name a file or folder relative to mkdocs.yml or the site.
PATHS = ("articles_dir", "taxonomy", "feed_path")
URLS = ("streets_url", "programmes_url", "archive_url", "search_url", "subscribe_url")
FORMATS = {"street_url_format": {"slug"}, "programme_url_format": {"slug"},
           "archive_month_url_format": {"year", "month"}, "issue_url_format": {"slug"}}
COUNTS = {"home_latest_count": 0, "home_programme_count": 0, "related_count": 0, "feed_count": 0,
          "listing_page_size": 1}


unsafe_path = project.unsafe_relative  # why a value cannot be a path inside the project or the site


def problems(cfg: Mapping) -> list[str]:
    """Every wrong option, one message each (Chinese: editors maintain mkdocs.yml)."""
    out = []
    for key in PATHS + URLS:
        if cfg[key] is None:  # optional (taxonomy: the default file, if any)
            continue
        why = unsafe_path(cfg[key]) if key in PATHS or cfg[key] else None  # "" is the site root for URLs
        if why:
            out.append(f"mkdocs.yml: bulletin 插件的 {key}: {cfg[key]!r} {why}")
    for key, needed in FORMATS.items():
        value = cfg[key]
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
        except ValueError:
            fields = None
        if not value.strip() or fields is None or not needed <= fields or fields - needed:
            out.append(f"mkdocs.yml: bulletin 插件的 {key}: {value!r} 应为相对路径，且含有 "
                       + " 和 ".join(f"{{{f}}}" for f in sorted(needed)))
    for key, least in COUNTS.items():
        value = cfg[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            out.append(f"mkdocs.yml: bulletin 插件的 {key}: {value!r} 应为不小于 {least} 的整数")
    return out


def outside(paths: Iterable[str], root: str) -> list[str]:
    """The absolute ``paths`` that would land outside the folder ``root`` (``..``
    resolved; no file system calls, so 50,000 pages cost nothing)."""
    base = os.path.normpath(os.path.abspath(root))
    return [p for p in paths if os.path.commonpath([base, os.path.normpath(os.path.abspath(p))]) != base]
