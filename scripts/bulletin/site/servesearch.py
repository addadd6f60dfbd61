"""The search index under ``mkdocs serve``: it follows edits, or the search page says it does not.

A full build writes the index in ``on_post_build`` (1 ms an article). Under
serve, a save that keeps every article's place (a title, tags or text fixed)
updates the index in place (``search.update``: the documents and shards it
touches, byte for byte what a full build makes). A save that moves articles
(one added, deleted or redated shifts the ids of all older ones) or a new
taxonomy rebuilds it, but only while that is quick (the last build took at
most ``budget`` seconds: a few thousand articles). A bigger archive then keeps
its index and the search page says, in a notice editors cannot miss, how many
pages it does not know yet and that restarting the preview updates it.
Published sites are always built in full and never show the notice.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from bulletin.search import index as search
from bulletin.search import update as searchupdate

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
        self.built: searchupdate.Built | None = None
        self.indexed: dict[str, str] = {}  # src_uri -> digest of the text the index was built from
        self.taxonomy_key = None
        self.seconds = 0.0  # how long the last build took
        self.stale = False  # the index does not follow the articles (the search page says so)
        self._pending: tuple[dict[str, str], object] | None = None
        self._in_place: set[str] | None = None

    @property
    def files(self) -> list[tuple[str, bytes]] | None:
        return list(self.built.files.items()) if self.built else None

    def plan_save(self, sources: dict[str, str], saved: set[str], in_place: bool) -> str:
        """:meth:`plan` after a save of the articles ``saved``: an update in place when
        it keeps every article's place and the index followed the articles so far."""
        if in_place and self.built is not None and not self.stale:
            self._pending, self._in_place = None, set(saved)
            return ""
        self._in_place = None
        return self.plan(sources, self.taxonomy_key)

    def write_save(self, old, new, sources: dict[str, str], taxonomy, url_of, site_dir: str | Path) -> None:
        """After :meth:`plan_save`: the documents the save changed, or what :meth:`write` does."""
        if self._in_place is None:
            self.write(new, taxonomy, url_of, site_dir)
            return
        edits = {new.get(uri).number: (search.doc_of(old.get(uri), url_of), search.doc_of(new.get(uri), url_of))
                 for uri in self._in_place}
        changed = searchupdate.update(self.built, edits, [(e.article.streets, e.article.programmes) for e in new.entries],
                                      [e.article.date for e in new.entries])
        out = Path(site_dir) / search.INDEX_DIR
        for rel, data in changed.items():
            path = out / rel
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        self.indexed.update({uri: _digest(sources[uri]) for uri in self._in_place})
        self._in_place = None

    def plan(self, sources: dict[str, str], taxonomy_key) -> str:
        """Decide for this build: rebuild the index (returns "") or keep it (returns the
        search page notice, "" when the index still matches the articles)."""
        now = {uri: _digest(text) for uri, text in sources.items()}
        if self.built is not None and now == self.indexed and taxonomy_key == self.taxonomy_key:
            self._pending, self.stale = None, False
            return ""
        if self.built is None or taxonomy_key != self.taxonomy_key or self.seconds <= self.budget:
            self._pending = (now, taxonomy_key)
            return ""
        self._pending, self.stale = None, True
        changed = len(now.keys() ^ self.indexed.keys()) + sum(
            1 for uri in now.keys() & self.indexed.keys() if now[uri] != self.indexed[uri])
        return notice_html(changed)

    def write(self, index, taxonomy, url_of, site_dir: str | Path) -> bool:
        """Rebuild the index when :meth:`plan` said so; write it into ``site_dir`` unless
        the same is already there. Returns whether it was rebuilt."""
        rebuilt = False
        if self._pending is not None:
            started = time.perf_counter()
            streets, programmes = search.taxonomy_aliases(taxonomy)
            self.built = searchupdate.Built.of(search.docs_from_index(index, url_of), streets, programmes)
            self.seconds = time.perf_counter() - started
            self.indexed, self.taxonomy_key = self._pending
            self._pending, rebuilt, self.stale = None, True, False
        out = Path(site_dir) / search.INDEX_DIR
        manifest = self.built.files.get("manifest.json") if self.built else None
        if self.built and not ((out / "manifest.json").is_file() and (out / "manifest.json").read_bytes() == manifest):
            search.write(self.built.files.items(), out)
        return rebuilt

