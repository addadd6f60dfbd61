"""MkDocs plugin: index the articles, then add the archive's pages as virtual files.

Events are glue only: ``index.collect`` builds the index, ``pages``/``feed``/
``view`` turn it into Markdown, XML and template context. Nothing is written
into the docs dir; every generated page is a ``File.generated`` in memory.

Over 300 lines: MkDocs hands every event to this one class; what the events
do is in the modules they call.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
from pathlib import Path
from typing import Callable

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from bulletin import contentfiles, model, project, safeyaml, sanitize, siteconfig
from bulletin.editing import checksession, links, markup
from bulletin.editing.check import SYMLINK, check_pages, walk
from bulletin.search import index as search
from bulletin.site import (assets, background, feed, home, htmlmin, incremental, index, leancss, mkfiles, options,
                           pagehtml, pages, plainmd, searchjob, servebuild, servesearch, servewatch, view)
from bulletin.site.config import BulletinConfig
from bulletin.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

log = logging.getLogger("mkdocs.plugins.bulletin")


class BulletinPlugin(BasePlugin[BulletinConfig]):
    serving = False  # the rest is only used by mkdocs serve (see on_startup)
    building = False  # a one-shot `mkdocs build`: the search index may be built in a child process
    _search_job: background.Job | None = None
    _checks: checksession.Session | None = None  # serve: the check kept current across saves
    _taxonomy_key = None
    _serve_search: servesearch.ServeSearch | None = None
    _material_css: list[str] = []  # Material's stylesheets, read in on_files
    _used: leancss.Used | None = None  # what the pages' HTML names, for the lean stylesheet
    _nav = None  # MkDocs' navigation, from on_nav
    _themes: tuple[tuple, frozenset[str]] | None = None  # theme folders -> their files (contentfiles.taken)
    session: incremental.Shown | None = None  # serve: what each page showed at its last render
    last_build: servebuild.State | None = None  # serve: the last good build, which a save updates

    def on_startup(self, *, command, dirty):
        """Defining this keeps one plugin object for the whole ``mkdocs serve``
        session, so a rebuild after an edit reuses what did not change: the
        check and parse of unchanged pages, and, after a save of articles only,
        everything the save did not change (``servebuild``)."""
        self.serving = command == "serve"
        self.building = command == "build"
        self._checks = checksession.Session() if self.serving else None
        self.session = incremental.Shown() if self.serving else None
        self.sources: dict[str, str] = {}
        self._serve_search = servesearch.ServeSearch() if self.serving else None
        self._taxonomy_key = None

    def on_config(self, config):
        self.index: index.ArchiveIndex | None = None
        self.urls: dict[str, str] = {}
        self.last_build = None
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        wrong = siteconfig.loaded_problems(config, root, self.serving) + options.problems(self.config)
        site_url = os.environ.get("SITE_URL")
        if site_url and not self.serving:  # the published address (publish.yml, make build)
            if siteconfig.http_url(site_url):
                config.site_url = site_url.rstrip("/") + "/"
            else:
                wrong.append(f"环境变量 SITE_URL: {site_url!r} 应为 http:// 或 https:// 网址")
        if wrong:
            raise PluginError("\n".join(wrong))
        links = []  # before MkDocs follows them: docs and theme files are published
        for folder in filter(None, (config.docs_dir, config.theme.custom_dir)):
            root = Path(folder)
            links += [root] if root.is_symlink() else [f for f in walk(root) if f.is_symlink()]
        if links:
            raise PluginError("\n".join(f"{f}:1: 错误：{SYMLINK}" for f in links))
        keys = [k for k in pages.Layout.__dataclass_fields__ if k != "home_url"]
        self.layout = pages.Layout(**{k: self.config[k] for k in keys})
        try:
            self.layout.check()
        except (ValueError, KeyError, IndexError) as exc:
            raise PluginError(f"bulletin: URL 格式有误：{exc}") from None
        config_file = Path(config.config_file_path or "mkdocs.yml")
        try:
            found = project.taxonomy_of_config(config_file, self.config.taxonomy)
        except project.ProjectError as exc:
            raise PluginError(str(exc)) from None
        self.taxonomy_path = found or config_file.parent / project.TAXONOMY_NAME
        try:
            stat = self.taxonomy_path.stat()
            key = (self.taxonomy_path, stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (self.taxonomy_path, None, None)
        if not self.serving or key != self._taxonomy_key:  # serve: same object while unchanged (check cache)
            try:
                self.taxonomy: Taxonomy = load_taxonomy(found) if found else Taxonomy()
            except TaxonomyError as exc:
                raise PluginError(str(exc)) from None
            if self.serving:
                self._taxonomy_key = key
        return config

    def on_files(self, files: Files, config):
        origin = Path(config.docs_dir).name
        docs = os.path.abspath(config.docs_dir) + os.sep
        mine = [f for f in files if f.abs_src_path and f.abs_src_path.startswith(docs) and not f.generated_by]
        dirs = tuple(config.theme.dirs)
        if self._themes is None or self._themes[0] != dirs:
            self._themes = dirs, contentfiles.theme_files(dirs)
        refused = contentfiles.problems(((f.src_uri, Path(f.abs_src_path)) for f in mine), self._themes[1],
                                        contentfiles.sections(self.config))
        if refused:  # the allow list: a stray .html, .svg or .js would be published as it is
            raise PluginError("\n".join(f"{origin}/{p.relative_to(docs).as_posix()}:1: 错误：{why}" for p, why in refused))
        for f in [f for f in mine if contentfiles.unpublished(f.src_uri)]:
            files.remove(f)  # import records, backups, hidden files: whatever exclude_docs says
        ours = [os.path.abspath(d) + os.sep for d in filter(None, (config.docs_dir, config.theme.custom_dir))]
        theme = [f for f in files if f.abs_src_path and not f.abs_src_path.startswith(tuple(ours))]
        self._material_css = assets.material_stylesheets(theme)  # the lean copy is made in on_env
        self._used = leancss.Used()
        for f in [f for f in theme if assets.unused(f.src_uri, True)]:
            files.remove(f)
        try:
            sources = mkfiles.read_sources(files, self.config.articles_dir)
        except model.PageError as exc:
            raise PluginError(str(exc)) from None
        if self.building and self._serve_search is None and background.usable():
            urls = {uri: files.get_file_from_path(uri).url for uri in sources}
            self._search_job = searchjob.start_early(sources, self.taxonomy, origin, urls, config.site_dir)
        parsed: dict[str, tuple[dict, str]] = {}
        self._check(sources, origin, parsed, lambda uri: files.get_file_from_path(uri) is not None)
        notice = self.search_notice(sources)
        try:
            self.index = index.collect(sources, self.taxonomy, origin=origin, parsed={
                uri: parsed[f"{origin}/{uri}"] for uri in sources if f"{origin}/{uri}" in parsed})
        except model.PageError as exc:
            raise PluginError(str(exc)) from None
        del parsed
        for uri in sources:
            files.get_file_from_path(uri).inclusion = InclusionLevel.NOT_IN_NAV
        for uri, text, in_nav in mkfiles.generated_pages(self.index, self.layout, config.site_name, self.config,
                                                                config.site_url):
            if files.get_file_from_path(uri):
                if uri in (self.layout.home(), self.layout.search()):
                    log.info("bulletin: %s exists in %s, not generating it", uri, origin)
                    continue
                raise PluginError(f"bulletin: {origin}/{uri} 与生成的页面冲突，请删除或改名")
            text = self.with_search_notice(uri, text, notice)
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            generated = mkfiles.Generated.generated(config, uri, content=text, inclusion=inclusion)
            if self.session is not None:
                shown = incremental.generated_fingerprint(text, self.index)
                generated.changed = self.session.pages.get(uri) != shown
                self.session.pages[uri] = shown
            files.append(generated)
        self.set_urls({f.src_uri: f.url for f in files.documentation_pages()})
        if self.serving:
            self.sources = sources
            self.generated_groups = mkfiles.generated_groups(self.index, self.layout, self.config, config.site_url)
        if self.config.feed_enabled:
            self._add_feed(files, config)
        escaped = options.outside((f.abs_dest_path for f in files), config.site_dir)
        if escaped:
            raise PluginError("\n".join(f"bulletin: {p} 在网站目录 {config.site_dir} 之外，不能写入" for p in escaped))
        log.debug("bulletin: %d articles, %d streets", len(self.index.entries), len(self.index.streets))
        if self._serve_search is None and self._search_job is None:  # no child: built at on_post_build
            self._search_job = searchjob.deferred(self.index, self.taxonomy, self.urls.__getitem__, config.site_dir)
        return files

    def set_urls(self, urls: dict[str, str]) -> None:
        self.urls = urls
        self.uri_of_url = {url: uri for uri, url in urls.items()} if self.serving else {}

    def with_search_notice(self, uri: str, text: str, notice: str) -> str:
        return servesearch.with_notice(text, notice) if notice and uri == self.layout.search() else text

    def search_notice(self, sources: dict[str, str]) -> str:
        """Serve: the search page's notice when the index does not follow this build (servesearch)."""
        return self._serve_search.plan(sources, self._taxonomy_key) if self._serve_search else ""

    def _check(self, sources: dict[str, str], origin: str, parsed: dict | None = None,
               known: Callable[[str], bool] = lambda uri: True, saved: set[str] | None = None) -> None:
        """The same checks as ``bulletin check``: errors stop the build, each on its own line.

        Warnings (a street not yet in the taxonomy) are counted in one info line
        (each at debug level, ``-v``) so that ``--strict`` does not fail on every
        newly imported street and a long list never hides the one error.
        """
        named = {f"{origin}/{uri}": text for uri, text in sources.items()}
        def exists(name, path):
            return links.in_folder(name[len(origin) + 1:], path, known, self.config.articles_dir)

        if self._checks is None:
            problems = check_pages(named, self.taxonomy, parsed=parsed, exists=exists)
        elif saved is None:
            problems = self._checks.full(named, self.taxonomy, parsed=parsed, exists=exists)
        else:  # serve, after a save: those pages (their links too) and their duplicate groups
            problems = self._checks.saved(named, {f"{origin}/{uri}" for uri in saved}, self.taxonomy, parsed, exists)
        errors = [str(p) for p in problems if p.is_error and p.rule not in ("markup", "links")]
        warnings = 0
        for problem in problems:
            # markup: removed by on_page_content; links: MkDocs warns too. Both fail --strict (CI), not a preview.
            if problem.rule in ("markup", "links"):
                log.warning(str(problem))
            elif not problem.is_error:
                warnings += 1
                log.debug(str(problem))
        if warnings:
            log.info("bulletin: %d 个警告，不影响构建（bulletin check 逐条列出）", warnings)
        if errors:
            raise PluginError(f"bulletin check 发现 {len(errors)} 个错误，网站没有构建"
                              f"{'（改正并保存后预览会自动重新构建）' if self.serving else ''}：\n" + "\n".join(errors))

    def _add_feed(self, files: Files, config) -> None:
        if not config.site_url:
            log.warning("bulletin: feed needs site_url in mkdocs.yml; no feed written")
            return
        files.append(File.generated(config, self.config.feed_path, content=self._feed(config)))

    def _feed(self, config) -> str:
        site = config.site_url.rstrip("/") + "/"
        return feed.atom_feed(
            self.index.entries,
            title=config.site_name,
            site_url=site,
            feed_url=site + self.config.feed_path,
            url_of=lambda e: site + self.urls[e.src_uri],
            count=self.config.feed_count,
        )

    def write_extras(self, files: Files, config, old: index.ArchiveIndex) -> None:
        """Serve, after a save: the feed and the search index, where they changed."""
        feed_file = files.get_file_from_path(self.config.feed_path) if self.config.feed_enabled else None
        if feed_file is not None and config.site_url:
            xml = self._feed(config)
            if xml != feed_file.content_string:
                feed_file.content_string = xml
                feed_file.copy_file()
        self._serve_search.write_save(old, self.index, self.sources, self.taxonomy, self.urls.__getitem__, config.site_dir)

    @staticmethod
    def escape_meta(pages_) -> None:
        """Material prints meta title, description, author, subtitle into <title>,
        <h1>, the nav and attributes without escaping them: escaped once here."""
        for page in pages_:
            title = page.title
            from_heading = title is not None and title == getattr(page, "_title_from_render", None)
            page.meta = view.escape_meta(page.meta, title, title_is_html=from_heading)

    def on_nav(self, nav, config, files):
        self._nav = nav
        return nav

    def on_env(self, env, config, files):
        """Site-wide UI links for every template, 404.html included; every page's
        meta escaped before any page is rendered (each page's nav shows the others')."""
        self.escape_meta(f.page for f in files.documentation_pages() if f.page is not None)
        env.filters["url"] = view.checked_url_filter(env.filters["url"])
        if self.serving:
            self._env_files = (env, files)
        templates = {"main.html", "404.html", *(f.page.meta.get("template") for f in files.documentation_pages()
                                                if f.page is not None and f.page.meta.get("template"))}
        uri, css = assets.lean_stylesheet(self._material_css, self._used, templates, env, config, self._nav)
        files.append(File.generated(config, uri, content=css))
        env.globals["bulletin_css"] = [uri]
        env.globals["bulletin_ui"] = {
            "search_url": self.urls.get(self.layout.search(), self.layout.search_url),
            "feed_url": self.config.feed_path if self.config.feed_enabled and config.site_url else None,
            "subscribe_url": self.urls.get(self.layout.subscribe()),
            "search_index_url": search.INDEX_DIR + "/",
        }
        shared: dict = {}  # theme/main.html: tabs and side nav shared by article pages

        def share(key, html):
            shared[key] = html
            return html

        env.globals["bulletin_shared"], env.globals["bulletin_share"] = shared, share
        for f in files.documentation_pages():
            if f.page is not None and self.index and self.index.get(f.src_uri):
                f.page.markdown = None  # converted; the index keeps the text for search
        # Every page is read and converted: what follows (rendering, the search
        # index) allocates much and frees little, and each full collection would
        # walk the whole heap again: 11 s of a 50,000-article build. Frozen
        # until on_post_build (a serve session frees the old build's pages).
        gc.collect()
        gc.freeze()
        return env

    def on_page_read_source(self, page, config):
        """An article's body as already read: MkDocs need not read the file and
        parse its YAML again (its meta is set in on_page_markdown)."""
        entry = self.index.get(page.file.src_uri) if self.index else None
        if entry:
            return "\n" + entry.article.body  # the blank line: no MultiMarkdown meta
        if not page.file.generated_by:  # another page: MkDocs reads its YAML and Markdown, within our limits
            text = page.file.content_string
            limit = safeyaml.front_matter_limit(text, model.MAX_FRONT_MATTER)
            for line, message in [limit] if limit else markup.nesting_problems(text, text):
                raise PluginError(f"{Path(config.docs_dir).name}/{page.file.src_uri}:{line}: 错误：{message}")
        return None

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.generated_by:
            body = pagehtml.body_of(markdown)
            if body is not None:  # written as HTML: MkDocs' render (called next) takes it as it is
                page.render = functools.partial(mkfiles.render_html, page, body)
                return ""
        entry = self.index.get(page.file.src_uri) if self.index else None
        if not entry and page.meta.get("template") == "article.html":
            page.meta.pop("template")  # only articles have what that template shows
        if entry:
            page.meta["title"] = entry.title  # fragments: summary, not an empty title
            page.meta.setdefault("template", "article.html")
            if pages.own_summary(entry.article.summary, markdown):  # else the article's opening, as a search engine takes it
                page.meta["description"] = pages.one_line(entry.article.summary, 100)
            if plainmd.paragraphs_html(markdown) is not None:
                # Plain paragraphs: MkDocs' render (called next) skips Python-Markdown, and
                # the HTML is made when the page is rendered (on_page_context), so 100,000
                # articles' HTML and Markdown are not all held between the two passes.
                page.render = functools.partial(mkfiles.render_plain, page, "")
                page.bl_plain = True
                return ""
        return markdown

    @staticmethod
    def _article_body(html: str) -> str:
        """An article's converted body as published: sanitised, headings from h2."""
        return htmlmin.headings_below(sanitize.clean(html))

    def on_page_content(self, html, page, config, files):
        """Pages from the docs folder are sanitised (raw HTML in Markdown is
        untrusted), article bodies start at h2 (below the title); markers of
        generated pages become HTML: listings (pages.listing), the street chooser."""
        if getattr(page, "bl_plain", False):
            return html  # made in on_page_context
        if not page.file.generated_by:  # not page.meta: a page's front matter is the editor's
            view.escape_toc(page.toc)
            if not (self.index and self.index.get(page.file.src_uri)):  # articles: reported by _check
                name = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
                for line, message in markup.problems(page.file.content_string, page.markdown or ""):
                    log.warning(f"{name}:{line}: 错误：{message}")
                html = sanitize.clean(html)
            else:
                html = self._article_body(html)
            self._used.add_html(html)  # Material's styles for what the page's Markdown made
            return html
        self._used.add_html(html)  # before the listings go in: their classes are the theme's
        here = page.file.url
        link = lambda uri: get_relative_url(self.urls[uri], here)  # noqa: E731
        html = pages.resolve_links(html, link)
        if "<!-- bl-" not in html:
            return html
        if home.CHOOSER_MARK in html:
            html = html.replace(home.CHOOSER_MARK, home.render_chooser(self.index, link, self.layout))

        def render(m):
            entries = [self.index.entries[n] for n in pages.listed(m.group(1))]
            return pages.render_listing(entries, link, self.layout, self.index.streets)

        return pages.LIST_MARK.sub(render, html)

    def on_page_context(self, context, page, config, nav):
        entry = self.index.get(page.file.src_uri) if self.index else None
        if entry and getattr(page, "bl_plain", False):
            page.content = plainmd.cleaned(plainmd.paragraphs_html(entry.article.body) or "")
        if entry:
            context["bulletin"] = self.article_context(entry)
            if self.session is not None:
                self.session.article(entry.src_uri, context["bulletin"], self.uri_of_url)
        return context

    def article_context(self, entry: index.Entry) -> dict:
        return view.article_context(self.index, entry, self.layout, self.urls.__getitem__, self.config.related_count)

    def on_post_page(self, output, page, config):
        page.content = None  # written next; 100,000 pages' HTML need not stay in memory to the end
        return htmlmin.readable_links(htmlmin.collapse_whitespace(output))

    def on_post_build(self, config):
        """The search index (bulletin/search/index.py) next to the search page: site/search/idx/."""
        gc.unfreeze()
        if self.index is not None and self._serve_search is not None:
            self._serve_search.write(self.index, self.taxonomy, self.urls.__getitem__, config.site_dir)
            env, files = self._env_files
            self.last_build = servebuild.State(config, files, self._nav, env)
            # Serve: the build's objects live on for the session; frozen, a save's
            # collections do not walk them (at 10,000 articles a full one took 1 s).
            gc.collect()
            gc.freeze()
        elif self.index is not None and self._search_job is not None:
            try:
                background.join(self._search_job)
            except RuntimeError as exc:
                raise PluginError(f"bulletin: 搜索索引生成失败（{exc}），见上方的错误信息") from None
            finally:
                self._search_job = None

    def on_build_error(self, error):
        """A failed build leaves no child writing the index into the site."""
        self.last_build = None
        if self._search_job is not None:
            background.cancel(self._search_job)
            self._search_job = None

    def on_serve(self, server, config, builder):
        """A save of articles only rebuilds what it changes (``servebuild.Preview``)."""
        if self.taxonomy_path.exists():
            server.watch(str(self.taxonomy_path))
        changes = servewatch.watch(server, [
            config.docs_dir, config.config_file_path, self.taxonomy_path, config.theme.custom_dir, *config.watch])
        self._native = servewatch.native(server, config.docs_dir, changes)
        server.builder = servebuild.Preview(self, builder, changes)
        return server

    def on_shutdown(self):
        servewatch.stop(getattr(self, "_native", None))
