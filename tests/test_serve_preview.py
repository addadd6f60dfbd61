"""The preview (``mkdocs serve``) after saves: only what changed is rebuilt, and the
served site is the same, file for file, as a clean ``mkdocs build`` of the same pages.

Serve is played as MkDocs plays it: one plugin object for the session, MkDocs'
own ``LiveReloadServer`` (not started) whose ``builder`` the plugin takes over in
``on_serve``, and each save told to the plugin's watcher as the server's
observer would tell it. The archive is the benches' synthetic one (synthetic_archive.py: issues of
4-12 articles, Zipf streets), small.
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import watchdog.events
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from bulletin.site import servewatch
from conftest import MKDOCS, ROOT, bl_copy_site_config, bl_example_archive

URL = "http://127.0.0.1:8000/"
N = 160


def _bench():
    spec = importlib.util.spec_from_file_location("synthetic_archive", ROOT / "scripts" / "synthetic_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("preview-archive")
    bench = _bench()
    facts = bench.generate(N, 7, root / "content", bl_example_archive())
    bench.write_taxonomy(root / "taxonomy.yml", facts)
    bl_copy_site_config(root)
    return root


class Session:
    def __init__(self, root: Path):
        self.root, self.site, self.full_builds = root, root / "served", 0
        self.config = self._config()
        self.config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = self.config.plugins["bulletin"]
        self.plugin._serve_search.budget = float("inf")  # a loaded test machine: rebuilt whatever it takes
        build(self.config, serve_url=URL)
        server = LiveReloadServer(builder=self._full, host="127.0.0.1", port=0, root=str(self.site))
        self.server = self.config.plugins.on_serve(server, config=self.config, builder=self._full)

    def _config(self):
        return load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))

    def _full(self, config=None):
        self.full_builds += 1
        build(config or self._config(), serve_url=URL)

    def saved(self, *paths: Path, moved_from: Path | None = None) -> None:
        """The watcher's events for ``paths``, then the server's rebuild."""
        changes = self.server.builder.changes
        for path in paths:
            if moved_from is not None:
                changes.on_any_event(watchdog.events.FileMovedEvent(str(moved_from), str(path)))
            elif path.exists():
                changes.on_any_event(watchdog.events.FileModifiedEvent(str(path)))
            else:
                changes.on_any_event(watchdog.events.FileDeletedEvent(str(path)))
        self.server.builder()


@pytest.fixture
def session(archive, tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(archive, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SITE_URL", URL)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    session = Session(root)
    yield session
    session.config.plugins.on_shutdown()


def clean_build(root: Path) -> Path:
    out = root / "clean"
    if out.exists():
        shutil.rmtree(out)
    proc = subprocess.run([str(MKDOCS), "build", "-d", str(out)], cwd=root, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "SITE_URL": URL, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    return out


def differences(a: Path, b: Path) -> list[str]:
    """Files only in one of the trees, or whose bytes differ."""
    out: list[str] = []
    cmp = filecmp.dircmp(a, b)
    stack = [("", cmp)]
    while stack:
        prefix, c = stack.pop()
        out += [f"only served: {prefix}{x}" for x in c.left_only] + [f"only clean: {prefix}{x}" for x in c.right_only]
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        out += [f"differs: {prefix}{x}" for x in mismatch + errors]
        stack += [(f"{prefix}{name}/", sub) for name, sub in c.subdirs.items()]
    return sorted(out)


def articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").rglob("*.md"))


def edit(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, repl, text, count=1, flags=re.M)
    assert new != text
    path.write_text(new, encoding="utf-8")


def test_edits_rebuild_only_what_changed_and_match_a_clean_build(session):
    root, site = session.root, session.site
    pages = articles(root)
    page = pages[len(pages) // 2]
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    index = session.plugin._serve_search.built
    edit(page, r"^title: .*$", "title: 预览标题修改测试")
    session.saved(page)
    assert session.full_builds == 0
    touched = [p for p in site.rglob("*.html") if before.get(p) != p.stat().st_mtime_ns]
    assert 1 < len(touched) < len(before) // 4, len(touched)  # the article, its listings, neighbours, related
    assert "预览标题修改测试" in (site / page.relative_to(root / "content").with_suffix("") / "index.html").read_text()

    streets = re.findall(r"^- name: (.+)$", (root / "taxonomy.yml").read_text(encoding="utf-8"), re.M)
    other = next(name for name in streets if name not in pages[3].read_text(encoding="utf-8"))
    edit(pages[3], r"^streets:\n(- .*\n)+", f"streets:\n- {other}\n")  # tags
    session.saved(pages[3])
    programmes = re.findall(r"^- name: (.+)$", (root / "taxonomy.yml").read_text(encoding="utf-8").split("programmes:")[1],
                            re.M)
    edit(pages[4], r"^programmes:.*\n(- .*\n)*", f"programmes:\n- {programmes[0]}\n- {programmes[1]}\n")  # tags
    session.saved(pages[4])
    edit(pages[5], r"\Z", "正文最后加一句。\n")  # the body
    session.saved(pages[5])
    assert session.plugin._serve_search.built is index  # the search index was updated in place
    diff = differences(site, clean_build(root))
    assert diff == [], "\n".join(diff)
    edit(pages[7], r"^date: .*$", "date: 2009-12-30")  # moves it
    session.saved(pages[7])
    new = page.with_name("2099-01-01-new-000001.md")
    new.write_text(pages[9].read_text(encoding="utf-8").replace("title: ", "title: 新增", 1)
                   .replace("position: ", "position: 9", 1) + "新增的一段。\n",
                   encoding="utf-8")
    session.saved(new)  # added
    pages[11].unlink()
    session.saved(pages[11])  # deleted
    moved = pages[13].with_name("moved-" + pages[13].name)
    pages[13].rename(moved)
    session.saved(moved, moved_from=pages[13])
    assert session.full_builds == 0
    diff = differences(site, clean_build(root))
    assert diff == [], "\n".join(diff)


def test_a_taxonomy_change_rebuilds_all(session):
    taxonomy = session.root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("零距离家园", "零距离之家", 1), encoding="utf-8")
    session.saved(taxonomy)
    assert session.full_builds == 1
    assert differences(session.site, clean_build(session.root)) == []


def test_a_check_error_keeps_the_preview_and_is_retried(session):
    page = articles(session.root)[0]
    good = page.read_text(encoding="utf-8")
    page.write_text(good.replace("date: ", "date: 不是日期", 1), encoding="utf-8")
    with pytest.raises(Exception, match="错误"):
        session.saved(page)
    page.write_text(good.replace("title: ", "title: 改好了", 1), encoding="utf-8")
    session.saved()  # the watcher saw nothing new: the failed save is retried
    assert session.full_builds == 0
    assert differences(session.site, clean_build(session.root)) == []


def test_saves_are_seen_by_the_systems_file_events(session):
    """The content folder is watched with the system's file events (inotify here),
    not MkDocs' polling of every file; each save touches the one file the server polls."""
    observer = session.plugin._native
    assert observer is not None
    trigger = observer.folder / "saved"
    assert str(trigger) in session.server._watched_paths
    assert str(session.root / "content") not in session.server._watched_paths
    page = articles(session.root)[2]
    session.server.builder.changes.take()
    edit(page, r"^title: .*$", "title: 系统文件事件")
    for _ in range(100):
        paths, _ = session.server.builder.changes.take()
        if str(page) in paths:
            break
        time.sleep(0.05)
    assert str(page) in paths
    assert trigger.read_text(encoding="utf-8") != "0"


def test_only_articles_are_updated_in_place(tmp_path):
    files = type("F", (), {"get_file_from_path": lambda self, uri: None})()
    docs = tmp_path / "content"
    (docs / "articles").mkdir(parents=True)
    (docs / "about.md").write_text("x", encoding="utf-8")
    art = str(docs / "articles" / "a.md")
    assert servewatch.article_uris({art}, str(docs), "articles", files) == {"articles/a.md"}
    assert servewatch.article_uris({art, str(docs / "about.md")}, str(docs), "articles", files) is None
    assert servewatch.article_uris({str(tmp_path / "mkdocs.yml")}, str(docs), "articles", files) is None
    assert servewatch.article_uris({str(docs / "articles" / ".a.md.swp")}, str(docs), "articles", files) == set()
    assert json.dumps(sorted(servewatch.article_uris({art + "~"}, str(docs), "articles", files)))  == "[]"


def test_edits_to_the_newest_articles_reach_the_pages_that_list_them(session):
    """The home page and the feed show the newest articles: a title, summary or
    tag saved on one of them must reach those pages too, not only its listings."""
    root, site = session.root, session.site
    pages = sorted(articles(root), key=lambda p: re.search(r"^date: (.*)$", p.read_text(encoding="utf-8"), re.M)[1])
    edit(pages[-1], r"^title: .*$", "title: 最新一篇改了标题")
    session.saved(pages[-1])
    edit(pages[-2], r"^summary: .*$", "summary: 最新第二篇改了摘要") if re.search(
        r"^summary: ", pages[-2].read_text(encoding="utf-8"), re.M) else edit(pages[-2], r"\Z", "正文最后加一句。\n")
    session.saved(pages[-2])
    assert "最新一篇改了标题" in (site / "index.html").read_text(encoding="utf-8")
    diff = differences(site, clean_build(root))
    assert diff == [], "\n".join(diff)
    streets = re.findall(r"^- name: (.+)$", (root / "taxonomy.yml").read_text(encoding="utf-8"), re.M)
    other = next(name for name in streets if name not in pages[-3].read_text(encoding="utf-8"))
    edit(pages[-3], r"^streets:\n(- .*\n)+", f"streets:\n- {other}\n")
    session.saved(pages[-3])
    assert session.full_builds == 0
    diff = differences(site, clean_build(root))
    assert diff == [], "\n".join(diff)
