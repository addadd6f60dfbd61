"""The preview's rebuild after a save (``mkdocs serve``): only what the edit changes.

MkDocs rebuilds the whole site after every save (``--dirty`` skips unchanged
pages but still lists, reads and checks all of them, and leaves neighbours'
links stale): 30 s and more at 10,000 articles. The plugin takes the server's
rebuild over (``on_serve``): when only article pages were saved, added or
deleted, it reads those, builds the new index, and renders through MkDocs' own
page steps just the pages whose fingerprint changed (``incremental``): the
article, the listings and issue page it appears on, the pages showing its
title; the search index is updated the same way (``servesearch``). Anything
else (mkdocs.yml, the taxonomy, the theme, any other file) gets MkDocs' full
rebuild, as does a failed update.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import watchdog.events
from mkdocs.commands import build as mkbuild
from mkdocs.exceptions import PluginError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from bulletin import model
from bulletin.site import incremental, index, mkfiles

log = logging.getLogger("mkdocs.plugins.bulletin")


class Changes(watchdog.events.FileSystemEventHandler):
    """Paths the server's watcher saw change since the last rebuild (the server
    itself only notes *that* something changed)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.paths: set[str] = set()
        self.unknown = False  # a folder created, moved or deleted: rebuild everything

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        with self._lock:
            if event.is_directory:
                self.unknown |= event.event_type != "modified"
                return
            self.paths.add(os.fsdecode(event.src_path))
            if getattr(event, "dest_path", None):
                self.paths.add(os.fsdecode(event.dest_path))

    def take(self) -> tuple[set[str], bool]:
        with self._lock:
            out = (self.paths, self.unknown)
            self.paths, self.unknown = set(), False
            return out

    def put_back(self, paths: set[str], unknown: bool) -> None:
        with self._lock:
            self.paths |= paths
            self.unknown |= unknown


@dataclass
class State:
    """What the last good build left for the next save to update."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: object  # the theme's jinja2 Environment, with the plugin's globals


def watch(server, paths) -> Changes:
    """A :class:`Changes` on the server's watcher for each of ``paths`` that exists."""
    changes = Changes()
    for path in {os.path.abspath(p) for p in paths if p and os.path.exists(p)}:
        server.observer.schedule(changes, path, recursive=True)
    return changes


def article_uris(paths: set[str], docs_dir: str, articles_dir: str, files: Files) -> set[str] | None:
    """The src_uris of article pages among ``paths``, or None when anything else
    that the site publishes changed (then only a full build is right)."""
    docs = os.path.abspath(docs_dir) + os.sep
    prefix = articles_dir.strip("/") + "/"
    out: set[str] = set()
    for path in paths:
        path = os.path.abspath(path)
        if not path.startswith(docs):
            return None  # mkdocs.yml, the taxonomy, the theme, a watched folder
        uri = path[len(docs):].replace(os.sep, "/")
        name = uri.rsplit("/", 1)[-1]
        if uri.startswith(prefix) and uri.endswith(".md") and not name.startswith("."):
            out.add(uri)
        elif files.get_file_from_path(uri) is not None or (
                os.path.isfile(path) and not name.startswith(".") and not name.endswith((".bak", "~"))):
            return None  # a published file that is not an article
    return out  # the rest: an editor's temporary files, already gone


def read_changed(sources: dict[str, str], uris: set[str], docs_dir: str) -> dict[str, str]:
    """``sources`` with the saved pages read again and the deleted ones gone."""
    out = dict(sources)
    for uri in uris:
        path = Path(docs_dir) / uri
        try:
            out[uri] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            out.pop(uri, None)
        except UnicodeDecodeError as exc:
            raise PluginError(str(model.PageError(str(path), 1, f"不是 UTF-8 文本（第 {exc.start} 字节）"))) from None
    return out


def ordered(files: Files, docs_dir: str, generated: list[str]) -> Files:
    """The files in the order a full build lists them (the sitemap's order): docs
    folder files as MkDocs walks it, theme files, generated pages in the order
    the plugin makes them, then the rest (the feed)."""
    docs, theme, made, rest = [], [], {}, []
    names = {uri: i for i, uri in enumerate(generated)}
    for f in files:
        if f.generated_by:
            (made.__setitem__(f.src_uri, f) if f.src_uri in names else rest.append(f))
        elif f.abs_src_path and f.src_dir and os.path.abspath(f.src_dir) == os.path.abspath(docs_dir):
            docs.append(f)
        else:
            theme.append(f)
    docs.sort(key=lambda f: incremental.walk_key(f.src_uri))
    return Files(docs + theme + [made[u] for u in generated if u in made] + rest)


def remove_output(file: File, site_dir: str) -> None:
    """A page that no longer exists: its HTML and the folders left empty."""
    path = Path(file.abs_dest_path)
    path.unlink(missing_ok=True)
    site = Path(site_dir).resolve()
    folder = path.parent
    while folder.resolve() != site and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def touched(old: index.ArchiveIndex, new: index.ArchiveIndex, uris: set[str]) -> mkfiles.Groups:
    """The streets, programmes, months and issue dates the saved articles were or are in."""
    out = mkfiles.Groups()
    for e in filter(None, [*map(old.get, uris), *map(new.get, uris)]):
        a = e.article
        out.streets.update(a.streets)
        out.programmes.update(a.programmes)
        out.months.update({(a.date.year, a.date.month), (a.issue_date.year, a.issue_date.month)})
        out.days.add(a.issue_date)
    return out


class Preview:
    """``server.builder`` for the session: :meth:`update` when only articles changed,
    MkDocs' own ``builder`` otherwise."""

    def __init__(self, plugin, builder, changes: Changes):
        self.plugin, self.full, self.changes = plugin, builder, changes

    def __call__(self, *args, **kwargs) -> None:
        paths, unknown = self.changes.take()
        p = self.plugin
        state = p.last_build
        uris = None
        if state is not None and not unknown and not args and not kwargs:
            uris = article_uris(paths, state.config.docs_dir, p.config.articles_dir, state.files)
        if not uris:
            if uris is not None and not paths:
                return self.full()  # a change we did not see (another watched path)
            if uris is None:
                return self.full(*args, **kwargs)
            return None  # only temporary files: nothing to publish changed
        started = time.perf_counter()
        try:
            count = self.update(uris)
        except PluginError:
            self.changes.put_back(paths, unknown)  # retried with the next save
            raise
        except Exception:  # noqa: BLE001 - a full build is always right
            log.warning("bulletin: 预览的局部更新失败，改为完整构建", exc_info=True)
            p.last_build = None
            return self.full()
        log.info("bulletin: 预览已更新 %d 个页面（%s），用时 %.2f 秒", count,
                 "、".join(sorted(uris)[:3]) + ("等" if len(uris) > 3 else ""), time.perf_counter() - started)
        return None

    def update(self, uris: set[str]) -> int:
        """Re-read ``uris``, rebuild the index, render the pages that changed. Nothing
        of the session's state changes before the new index is known good (a
        check error leaves the preview as it was, and the save is retried)."""
        p, state = self.plugin, self.plugin.last_build
        config, docs_dir, site_dir = state.config, state.config.docs_dir, state.config.site_dir
        origin = Path(docs_dir).name
        sources = read_changed(p.sources, uris, docs_dir)
        parsed: dict[str, tuple[dict, str]] = {}
        old, files = p.index, state.files
        p._check(sources, origin, parsed, lambda uri: uri in sources or files.get_file_from_path(uri) is not None)
        try:
            new = index.updated(old, {uri: sources.get(uri) for uri in uris}, p.taxonomy, origin=origin,
                                parsed={uri: parsed[f"{origin}/{uri}"] for uri in uris if f"{origin}/{uri}" in parsed})
        except model.PageError as exc:
            raise PluginError(str(exc)) from None
        p.last_build = None  # from here on, a failure means a full build next time
        renders: list[File] = []
        gone: list[File] = []
        added = False
        for uri in uris - sources.keys():
            f = files.get_file_from_path(uri)
            if f is not None:
                files.remove(f)
                gone.append(f)
        for uri in sorted(uris & sources.keys()):
            f = files.get_file_from_path(uri)
            if f is None:
                f = File(uri, docs_dir, site_dir, config.use_directory_urls, inclusion=InclusionLevel.NOT_IN_NAV)
                files.append(f)
                Page(None, f, config)
                added = True
            renders.append(f)
        in_place = [e.src_uri for e in old.entries] == [e.src_uri for e in new.entries]
        notice = p._serve_search.plan_save(sources, uris, in_place) if p._serve_search else ""
        order = mkfiles.generated_uris(new, p.layout, p.config, config.site_url)
        only = touched(old, new, uris) if order == p.generated_order else None
        made = set()
        for uri, text, in_nav in mkfiles.generated_pages(new, p.layout, config.site_name, p.config,
                                                          config.site_url, only):
            text = p.with_search_notice(uri, text, notice)
            made.add(uri)
            shown = incremental.generated_fingerprint(text, new)
            if p.session.pages.get(uri) == shown:
                continue
            p.session.pages[uri] = shown
            f = files.get_file_from_path(uri)
            if f is None:
                inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
                f = mkfiles.Generated.generated(config, uri, content=text, inclusion=inclusion)
                files.append(f)
                Page(None, f, config)
                added = True
            else:
                f.content_string = text
            renders.append(f)
        if only is None:
            for f in [f for f in files if f.generated_by and f.is_documentation_page() and f.src_uri not in made]:
                files.remove(f)
                gone.append(f)
        moved = added or bool(gone) or order != p.generated_order
        if moved:
            files = ordered(files, docs_dir, order)
            p.generated_order = order
        p.set_urls({f.src_uri: f.url for f in files.documentation_pages()})
        p.sources, p.index = sources, new
        rendered = {f.src_uri for f in renders}
        for uri in incremental.article_candidates(old, new, uris, p.session.shown_by) - rendered:
            if incremental.fingerprint(p.article_context(new.get(uri))) != p.session.pages.get(uri):
                renders.append(files.get_file_from_path(uri))
        for f in gone:
            remove_output(f, site_dir)
            p.session.forget(f.src_uri)
        self.render(p, renders, files, state)
        if moved:
            mkbuild._build_theme_template("sitemap.xml", state.env, files, config, state.nav)
        p.write_extras(files, config, old)
        state.files = files
        p.last_build = state
        return len(renders)

    @staticmethod
    def render(plugin, renders: list[File], files: Files, state: State) -> None:
        """MkDocs' two passes (read and convert, then template and write) for these pages only."""
        config = state.config
        for f in renders:
            mkbuild._populate_page(f.page, config, files)
        plugin.escape_meta([f.page for f in renders])
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for f in renders:
            mkbuild._build_page(f.page, config, doc_files, state.nav, state.env)
