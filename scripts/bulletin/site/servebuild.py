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

import gc
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands import build as mkbuild
from mkdocs.exceptions import PluginError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from bulletin import model
from bulletin.site import incremental, index, mkfiles
from bulletin.site.servewatch import Changes, article_uris, read_changed

log = logging.getLogger("mkdocs.plugins.bulletin")


@dataclass
class State:
    """What the last good build left for the next save to update."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: object  # the theme's jinja2 Environment, with the plugin's globals
    doc_files: list | None = None  # MkDocs' documentation pages, as templates get them


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


def touched(old, new: index.ArchiveIndex, uris: set[str]) -> set[tuple]:
    """The groups of generated pages (``mkfiles.generated_groups``) that list the
    saved articles, before or after the save."""
    days: set = set()
    out: set[tuple] = set()
    for e in filter(None, [*map(old.get, uris), *map(new.get, uris)]):
        a = e.article
        out |= {("street", s) for s in a.streets} | {("programme", p) for p in a.programmes}
        out |= {("month", (a.date.year, a.date.month)), ("month", (a.issue_date.year, a.issue_date.month))}
        out |= {("issue", e.issue.slug)} if e.issue is not None else set()
        days.add(a.issue_date)
    return out | {("issue", i.slug) for i in new.issues if i.date in days}


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
        """Re-read ``uris``, update the index, render the pages that changed. Nothing
        of the session's state changes before the new pages are known good (a
        check error leaves the preview as it was, and the save is retried)."""
        p, state = self.plugin, self.plugin.last_build
        config, docs_dir, site_dir = state.config, state.config.docs_dir, state.config.site_dir
        origin = Path(docs_dir).name
        sources = read_changed(p.sources, uris, docs_dir)
        parsed: dict[str, tuple[dict, str]] = {}
        files = state.files
        p._check(sources, origin, parsed, lambda uri: uri in sources or files.get_file_from_path(uri) is not None,
                 saved=uris)
        try:
            fresh = {uri: index.entry_of(uri, sources[uri], p.taxonomy, origin, parsed.get(f"{origin}/{uri}"))
                     for uri in uris & sources.keys()}
        except model.PageError as exc:
            raise PluginError(str(exc)) from None
        p.last_build = None  # from here on, a failure means a full build next time
        before = incremental.swap_in_place(p.index, fresh) if fresh.keys() == uris else None
        retag = incremental.retag_in_place(p.index, fresh, p.taxonomy) if before is None and fresh.keys() == uris else None
        if before is not None:  # titles, bodies, summaries: every article keeps its place
            old, new, in_place = incremental.Before(before), p.index, True
        elif retag is not None:  # tags: every article keeps its place, the tag groups change
            old, new, in_place = incremental.Before(retag[0], p.index), retag[1], True
        else:
            old = p.index
            new = index.updated(old, {uri: sources.get(uri) for uri in uris}, p.taxonomy, origin=origin,
                                parsed={uri: parsed[f"{origin}/{uri}"] for uri in fresh if f"{origin}/{uri}" in parsed})
            in_place = [e.src_uri for e in old.entries] == [e.src_uri for e in new.entries]
        renders: list[File] = []
        gone: list[File] = []
        added = False
        for uri in uris - sources.keys():
            f = files.get_file_from_path(uri)
            if f is not None:
                files.remove(f)
                gone.append(f)
        for uri in sorted(fresh):
            f = files.get_file_from_path(uri)
            if f is None:
                f = File(uri, docs_dir, site_dir, config.use_directory_urls, inclusion=InclusionLevel.NOT_IN_NAV)
                files.append(f)
                Page(None, f, config)
                added = True
            renders.append(f)
        notice = p._serve_search.plan_save(sources, uris, in_place) if p._serve_search else ""
        groups = mkfiles.generated_groups(new, p.layout, p.config, config.site_url)
        only = touched(old, new, uris) | {key for key, sig in groups.items() if p.generated_groups.get(key) != sig}
        for key in p.generated_groups.keys() - groups.keys():
            for uri in p.generated_groups[key][0]:
                f = files.get_file_from_path(uri)
                if f is not None and f.generated_by:
                    files.remove(f)
                    gone.append(f)
        for key in only & p.generated_groups.keys() & groups.keys():
            for uri in set(p.generated_groups[key][0]) - set(groups[key][0]):
                f = files.get_file_from_path(uri)
                if f is not None and f.generated_by:
                    files.remove(f)
                    gone.append(f)
        keep = None  # in place: of the listings, only the pages showing the saved articles
        if before is not None:
            keep = incremental.listing_uris(new, p.layout, map(new.get, uris), p.config.listing_page_size)
            # The site-wide pages always: home lists the newest articles by title and summary
            # (their fingerprint below skips them when nothing they show changed).
            keep |= set(groups[("top",)][0])
            keep |= {u for key in only if key[0] == "issue" for u in groups.get(key, ((), None))[0]}
        for uri, text, in_nav in mkfiles.generated_pages(new, p.layout, config.site_name, p.config,
                                                          config.site_url, only):
            if keep is not None and uri not in keep:
                continue
            text = p.with_search_notice(uri, text, notice)
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
        order = [uri for uris_, _ in groups.values() for uri in uris_]
        moved = added or bool(gone) or order != [u for uris_, _ in p.generated_groups.values() for u in uris_]
        p.generated_groups = groups
        if moved:
            files = ordered(files, docs_dir, order)
            state.doc_files = None
            p.set_urls({f.src_uri: f.url for f in files.documentation_pages()})
        p.sources, p.index = sources, new
        rendered = {f.src_uri for f in renders}
        for uri in incremental.article_candidates(old, new, uris, p.session, p.config.related_count) - rendered:
            if incremental.fingerprint(p.article_context(new.get(uri))) != p.session.pages.get(uri):
                renders.append(files.get_file_from_path(uri))
        for f in gone:
            remove_output(f, site_dir)
            p.session.forget(f.src_uri)
        state.files = files
        self.render(p, renders, files, state)
        if moved:
            mkbuild._build_theme_template("sitemap.xml", state.env, files, config, state.nav)
        p.write_extras(files, config, old)
        p.last_build = state
        gc.freeze()  # what this save made: later saves' collections need not walk it (see plugin.on_post_build)
        return len(renders)

    @staticmethod
    def render(plugin, renders: list[File], files: Files, state: State) -> None:
        """MkDocs' two passes (read and convert, then template and write) for these pages only."""
        config = state.config
        for f in renders:
            mkbuild._populate_page(f.page, config, files)
        plugin.escape_meta([f.page for f in renders])
        if state.doc_files is None:  # 0.1 s at 10,000 pages: kept while no page comes or goes
            state.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for f in renders:
            mkbuild._build_page(f.page, config, state.doc_files, state.nav, state.env)
