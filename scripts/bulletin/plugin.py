"""MkDocs plugin: index the articles, then add the archive's pages as virtual files.

Events are glue only: ``index.collect`` builds the index, ``pages``/``feed``/
``view`` turn it into Markdown, XML and template context. Nothing is written
into the docs dir; every generated page is a ``File.generated`` in memory.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from bulletin import feed, index, model, pages, search, view
from bulletin.check import check_pages
from bulletin.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

log = logging.getLogger("mkdocs.plugins.bulletin")


class BulletinConfig(base.Config):
    articles_dir = c.Type(str, default="articles")
    taxonomy = c.Type(str, default="taxonomy.yml")
    home_latest_count = c.Type(int, default=10)
    home_programme_count = c.Type(int, default=12)
    related_count = c.Type(int, default=5)
    streets_url = c.Type(str, default="streets/")
    street_url_format = c.Type(str, default="streets/{slug}/")
    programmes_url = c.Type(str, default="programmes/")
    programme_url_format = c.Type(str, default="programmes/{slug}/")
    archive_url = c.Type(str, default="archive/")
    archive_month_url_format = c.Type(str, default="archive/{year}/{month:02d}/")
    search_url = c.Type(str, default="search/")
    search_placeholder = c.Type(bool, default=True)  # off once the real search page is generated elsewhere
    feed_enabled = c.Type(bool, default=True)
    feed_path = c.Type(str, default="feed.xml")
    feed_count = c.Type(int, default=20)


def read_sources(files: Files, articles_dir: str) -> dict[str, str]:
    """``src_uri -> text`` of every Markdown page under ``articles_dir``."""
    prefix = articles_dir.strip("/") + "/"
    out: dict[str, str] = {}
    for f in files:
        if f.src_uri.startswith(prefix) and f.src_uri.endswith(".md"):
            try:
                out[f.src_uri] = f.content_string
            except UnicodeDecodeError as exc:
                raise model.PageError(f.abs_src_path or f.src_uri, 1, f"不是 UTF-8 文本（第 {exc.start} 字节）") from None
    return out


def generated_pages(idx: index.ArchiveIndex, layout: pages.Layout, site_name: str, cfg: BulletinConfig):
    """(src_uri, markdown, in_nav) of every generated page."""
    home = pages.home_page(idx, layout, site_name, cfg.home_latest_count, cfg.home_programme_count)
    yield layout.home(), home, True
    yield layout.streets(), pages.streets_page(idx, layout), True
    yield layout.programmes(), pages.programmes_page(idx, layout), True
    yield layout.archive(), pages.archive_page(idx, layout), True
    if cfg.search_placeholder:
        yield layout.search(), pages.search_page(layout), True
    for topic in idx.streets.values():
        yield layout.street(topic), pages.topic_page(idx, layout, topic, "street"), False
    for topic in idx.programmes.values():
        yield layout.programme(topic), pages.topic_page(idx, layout, topic, "programme"), False
    for month in idx.months:
        yield layout.month(month), pages.month_page(idx, layout, month), False


class BulletinPlugin(BasePlugin[BulletinConfig]):
    def on_config(self, config):
        self.index: index.ArchiveIndex | None = None
        self.urls: dict[str, str] = {}
        keys = [k for k in pages.Layout.__dataclass_fields__ if k != "home_url"]
        self.layout = pages.Layout(**{k: self.config[k] for k in keys})
        try:
            self.layout.check()
        except (ValueError, KeyError, IndexError) as exc:
            raise PluginError(f"bulletin: URL 格式有误：{exc}") from None
        self.taxonomy_path = Path(config.config_file_path or ".").parent / self.config.taxonomy
        try:
            self.taxonomy: Taxonomy = load_taxonomy(self.taxonomy_path)
        except TaxonomyError as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_files(self, files: Files, config):
        origin = Path(config.docs_dir).name
        try:
            sources = read_sources(files, self.config.articles_dir)
        except model.PageError as exc:
            raise PluginError(str(exc)) from None
        self._check(sources, origin)
        try:
            self.index = index.collect(sources, self.taxonomy, origin=origin)
        except model.PageError as exc:
            raise PluginError(str(exc)) from None
        for uri in sources:
            files.get_file_from_path(uri).inclusion = InclusionLevel.NOT_IN_NAV
        for uri, text, in_nav in generated_pages(self.index, self.layout, config.site_name, self.config):
            if files.get_file_from_path(uri):
                if uri in (self.layout.home(), self.layout.search()):
                    log.info("bulletin: %s exists in %s, not generating it", uri, origin)
                    continue
                raise PluginError(f"bulletin: {origin}/{uri} 与生成的页面冲突，请删除或改名")
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=text, inclusion=inclusion))
        self.urls = {f.src_uri: f.url for f in files.documentation_pages()}
        if self.config.feed_enabled:
            self._add_feed(files, config)
        log.debug("bulletin: %d articles, %d streets", len(self.index.entries), len(self.index.streets))
        return files

    def _check(self, sources: dict[str, str], origin: str) -> None:
        """The same checks as ``bulletin check``: errors stop the build, each on its own line.

        Warnings (a street not yet in the taxonomy) are logged at info level so
        that ``--strict`` does not fail on every newly imported street.
        """
        problems = check_pages({f"{origin}/{uri}": text for uri, text in sources.items()}, self.taxonomy)
        errors = [str(p) for p in problems if p.is_error]
        for problem in problems:
            if not problem.is_error:
                log.info(str(problem))
        if errors:
            raise PluginError("\n".join(errors))

    def _add_feed(self, files: Files, config) -> None:
        if not config.site_url:
            log.warning("bulletin: feed needs site_url in mkdocs.yml; no feed written")
            return
        site = config.site_url.rstrip("/") + "/"
        xml = feed.atom_feed(
            self.index.entries,
            title=config.site_name,
            site_url=site,
            feed_url=site + self.config.feed_path,
            url_of=lambda e: site + self.urls[e.src_uri],
            count=self.config.feed_count,
        )
        files.append(File.generated(config, self.config.feed_path, content=xml))

    def on_env(self, env, config, files):
        """Site-wide UI links for every template, 404.html included."""
        env.globals["bulletin_ui"] = {
            "search_url": self.urls.get(self.layout.search(), self.layout.search_url),
            "feed_url": self.config.feed_path if self.config.feed_enabled and config.site_url else None,
            "search_index_url": search.INDEX_DIR + "/",
        }
        return env

    def on_page_markdown(self, markdown, page, config, files):
        entry = self.index.get(page.file.src_uri) if self.index else None
        if entry:
            page.meta["title"] = entry.title  # fragments: summary, not an empty title
            page.meta.setdefault("template", "article.html")
            if entry.article.summary:
                page.meta.setdefault("description", pages.one_line(entry.article.summary, 150))
        return markdown

    def on_page_context(self, context, page, config, nav):
        entry = self.index.get(page.file.src_uri) if self.index else None
        if entry:
            context["bulletin"] = view.article_context(
                self.index, entry, self.layout, self.urls.__getitem__, self.config.related_count
            )
        return context

    def on_post_build(self, config):
        """The search index (bulletin/search.py) next to the search page: site/search/idx/."""
        if self.index is not None:
            stats = search.build_site_index(self.index, self.taxonomy, self.urls.__getitem__, config.site_dir)
            log.debug("bulletin: search index of %d articles, %d files", len(self.index.entries), stats["files"])

    def on_serve(self, server, config, builder):
        if self.taxonomy_path.exists():
            server.watch(str(self.taxonomy_path))
        return server
