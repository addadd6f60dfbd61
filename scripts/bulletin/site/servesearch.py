"""The search index under ``mkdocs serve``: it follows edits, or the search page says it does not.

A full build writes the index in ``on_post_build`` (1 ms an article). Under
serve a rebuild follows every save, so the index is rebuilt only when the
articles or the taxonomy changed since it was built, and only while that is
quick (the last build took at most ``budget`` seconds: a few thousand
articles). A bigger archive keeps the index built at startup and the search
page says, in a notice editors cannot miss, how many pages it does not know
yet and that restarting the preview updates it. Published sites are always
built in full and never show the notice.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from bulletin.search import index as search

BUDGET_SECONDS = 2.0
NOTICE_CLASS = "bl-search__stale"


def notice_html(changed: int) -> str:
    return (f'<p class="bl-lead {NOTICE_CLASS}" role="status"><strong>预览提示：</strong>'
            f"搜索索引是在启动预览时建立的，之后改动的 {changed} 个页面的新内容在这里还搜不到"
            "（档案较大，每次保存都重建索引太慢）。结束预览（Ctrl+C）再运行 make serve 即可更新；"
            "正式发布的网站不受影响。</p>\n")


def with_notice(page_markdown: str, notice: str) -> str:
    """The generated search page with ``notice`` right after its heading."""
    head, sep, rest = page_markdown.partition("\n# ")
    if not sep:
        return page_markdown + "\n" + notice
    title, _, body = rest.partition("\n")
    return f"{head}{sep}{title}\n\n{notice}{body}"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class ServeSearch:
    """One per ``mkdocs serve`` session: :meth:`plan` in ``on_files``, :meth:`write` in ``on_post_build``."""

    def __init__(self, budget: float = BUDGET_SECONDS):
        self.budget = budget
        self.files: list[tuple[str, bytes]] | None = None
        self.indexed: dict[str, str] = {}  # src_uri -> digest of the text the index was built from
        self.taxonomy_key = None
        self.seconds = 0.0  # how long the last build took
        self._pending: tuple[dict[str, str], object] | None = None

    def plan(self, sources: dict[str, str], taxonomy_key) -> str:
        """Decide for this build: rebuild the index (returns "") or keep it (returns the
        search page notice, "" when the index still matches the articles)."""
        now = {uri: _digest(text) for uri, text in sources.items()}
        if self.files is not None and now == self.indexed and taxonomy_key == self.taxonomy_key:
            self._pending = None
            return ""
        if self.files is None or taxonomy_key != self.taxonomy_key or self.seconds <= self.budget:
            self._pending = (now, taxonomy_key)
            return ""
        self._pending = None
        changed = len(now.keys() ^ self.indexed.keys()) + sum(
            1 for uri in now.keys() & self.indexed.keys() if now[uri] != self.indexed[uri])
        return notice_html(changed)

    def write(self, index, taxonomy, url_of, site_dir: str | Path) -> bool:
        """Rebuild the index when :meth:`plan` said so; write it into ``site_dir`` unless
        the same is already there. Returns whether it was rebuilt."""
        rebuilt = False
        if self._pending is not None:
            started = time.perf_counter()
            self.files = list(search.site_index_files(index, taxonomy, url_of))
            self.seconds = time.perf_counter() - started
            self.indexed, self.taxonomy_key = self._pending
            self._pending, rebuilt = None, True
        out = Path(site_dir) / search.INDEX_DIR
        manifest = dict(self.files or []).get("manifest.json")
        if self.files and not ((out / "manifest.json").is_file() and (out / "manifest.json").read_bytes() == manifest):
            search.write(self.files, out)
        return rebuilt

