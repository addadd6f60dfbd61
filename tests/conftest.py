"""Shared helpers: a small synthetic archive written through model.render_page.

Tests never depend on the archive (content/, raw/, taxonomy.yml): editors change
those in every pull request. They write their own content dir (articles +
taxonomy + the project's mkdocs.yml and theme), or use tests/examples/, the
tool's own copy of the example raw pages and taxonomy, imported on first use.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from bulletin.model import Article, render_page
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).parent / "mkdocs"
EXAMPLES = ROOT / "tests" / "examples"  # the tests' example archive: raw/ pages, raw/issues.tsv, taxonomy.yml
EXAMPLE_RAW = EXAMPLES / "raw"
EXAMPLE_TAXONOMY = EXAMPLES / "taxonomy.yml"

TAXONOMY = """
streets:
  - {name: 小东门街道, district: 黄浦区, city: 上海市}
  - {name: 中心路街道, district: 上街区, city: 郑州市}
  - {name: 临江新区, district: 海门区, city: 南通市, aliases: [海门临江新区]}
programmes:
  - name: 零距离家园
  - name: 党建+楼院治理
  - name: 全国文明城市创建
    aliases: [创建全国文明城市]
"""

# The archive is the editors' (every pull request changes it): a test that opens a file of it
# fails, whatever path it took there (the working folder, a script's default, a fixture).
_ARCHIVE = tuple(str(ROOT / name) for name in ("content", "raw", "taxonomy.yml"))
_archive_reads: list[str] = []
_archive_allowed = [0]


def _audit(event: str, args: tuple) -> None:
    if event == "open" and not _archive_allowed[0] and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if any(path == a or path.startswith(a + os.sep) for a in _ARCHIVE):
            _archive_reads.append(path)


sys.addaudithook(_audit)


@contextlib.contextmanager
def bl_reading_the_archive():
    """Where reading the archive is the point: a volunteer's clone holds it as it is."""
    _archive_allowed[0] += 1
    try:
        yield
    finally:
        _archive_allowed[0] -= 1


@pytest.fixture(autouse=True)
def _tests_do_not_read_the_archive():
    _archive_reads.clear()
    yield
    if _archive_reads:
        pytest.fail(f"read the archive ({_archive_reads[0]}): use tests/examples/ (conftest.EXAMPLES, "
                    "bl_example_archive) or content the test writes", pytrace=False)


# CI runs the same hypothesis examples every time (a fresh clone has no example
# database); locally examples stay random, so new cases keep being found.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")



def bl_article(title, date, streets=(), programmes=(), **kw) -> Article:
    d = dt.date.fromisoformat(date)
    kw.setdefault("summary", f"{title or '片段'}的摘要，介绍本篇简报的主要内容。")
    kw.setdefault("authors", ["通讯员 王芳"])
    return Article(
        title=title, date=d, issue_date=kw.pop("issue_date", d), source=kw.pop("source", "001.txt"),
        body=kw.pop("body", f"{title}。正文第一段，讲述社区里发生的事情。\n\n正文第二段。"),
        streets=list(streets), programmes=list(programmes), **kw,
    )


def bl_src_uri(article: Article) -> str:
    """The importer's naming: articles/<YYYY>/<issue_date>-<source stem>-<6 hex>.md."""
    stem = Path(article.source).stem
    h = hashlib.sha1(f"{article.source}{article.position}{article.date}".encode()).hexdigest()[:6]
    return f"articles/{article.issue_date.year}/{article.issue_date.isoformat()}-{stem}-{h}.md"


def bl_sample_articles() -> list[Article]:
    """Three streets in three districts, two programmes, three months over two years."""
    return [
        bl_article("小东门街道开展“零距离家园”议事会", "2021-05-08", ["小东门街道"], ["零距离家园"],
                   kicker="社区动态", subtitle="居民代表共商楼道整治", source="003.txt", position=1),
        bl_article("楼院治理*新举措*", "2021-05-08", ["小东门街道", "中心路街道"], ["党建+楼院治理"],
                   source="003.txt", position=2),
        bl_article("", "2021-05-08", ["小东门街道"], [], kind="fragment", source="003.txt", position=3,
                   summary="接上期：居民志愿者在社区花园补种绿植并清理杂物"),
        bl_article("中心路街道召开创文推进会", "2021-04-20", ["中心路街道"], ["创建全国文明城市"],
                   source="002.txt", district="上街区"),
        bl_article("海门临江新区开展环境整治", "2020-12-03", ["海门临江新区"], ["全国文明城市创建"],
                   source="001.txt"),
        bl_article("小东门街道冬季安全检查", "2020-12-01", ["小东门街道"], ["零距离家园"],
                   source="001.txt", position=2, kind="brief"),
        bl_article("无街道的通知", "2020-11-15", [], ["零距离家园"], source="000.txt"),
    ]


def bl_write_content(root: Path, articles: list[Article] | None = None) -> dict[str, Article]:
    """content/articles/... pages + taxonomy.yml under ``root``; returns src_uri -> Article."""
    articles = bl_sample_articles() if articles is None else articles
    out = {}
    for a in articles:
        uri = bl_src_uri(a)
        path = root / "content" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_page(a), encoding="utf-8")
        out[uri] = a
    (root / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    return out


def bl_invoke_in(folder: Path, command, *args: str):
    """``command`` (a click command) run by CliRunner with ``folder`` as the working folder,
    as an editor runs it there (commands find the project from the working folder)."""
    from click.testing import CliRunner

    old = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(command, list(args))
    finally:
        os.chdir(old)


def bl_copy_site_config(root: Path, **overrides) -> Path:
    """The project's mkdocs.yml and theme/ next to a test content dir."""
    shutil.copytree(ROOT / "theme", root / "theme", dirs_exist_ok=True)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if overrides:
        text += "\n" + yaml.safe_dump(overrides, allow_unicode=True)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def bl_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` in ``root``; returns the finished process."""
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", *args],
        cwd=root, capture_output=True, text=True, timeout=600,
        env={"SITE_URL": "https://bulletin.example.org/", **os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="session")
def bl_built_site(tmp_path_factory) -> Path:
    """The sample archive built once per session; returns the site dir."""
    root = tmp_path_factory.mktemp("bulletin-site")
    bl_write_content(root)
    bl_copy_site_config(root)
    proc = bl_build(root)
    assert proc.returncode == 0, proc.stderr
    return root / "site"


HOSTILE = ROOT / "tests" / "hostile"


@pytest.fixture(scope="session")
def bl_hostile_project(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the project with tests/hostile/ as its content, taxonomy and a
    ``content/leak.txt`` symlink to a secret file; returns (root, secret)."""
    root = tmp_path_factory.mktemp("hostile")
    secret = tmp_path_factory.mktemp("secret") / "credentials.txt"
    secret.write_text("SECRET-TOKEN-7f3a9c\n", encoding="utf-8")
    shutil.copytree(HOSTILE, root, dirs_exist_ok=True)
    bl_copy_site_config(root)
    (root / "content" / "leak.txt").symlink_to(secret)
    # a page whose title comes from its file name (no front matter, no heading)
    (root / "content" / "\"><img src=x onerror=alert('filename')>.md").write_text("正文。\n", encoding="utf-8")
    (root / "content" / "heading.md").write_text("# 甲 &amp; 乙 < 丙\n\n正文。\n", encoding="utf-8")
    return root, secret


@pytest.fixture(scope="session")
def bl_hostile_site(bl_hostile_project) -> Path:
    """The hostile project built without its symlink (which the build refuses)
    and without --strict (unsafe HTML is then removed with a warning)."""
    root, _ = bl_hostile_project
    (root / "content" / "leak.txt").unlink()
    proc = subprocess.run([str(MKDOCS), "build"], cwd=root, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    return root / "site"


def bl_import_examples(root: Path) -> None:
    """tests/examples/ imported into ``root`` as `make import-examples` does for the archive:
    raw/, taxonomy.yml and content/ (articles and import records)."""
    from bulletin.cli import main
    from click.testing import CliRunner

    shutil.copytree(EXAMPLE_RAW, root / "raw")
    shutil.copy(EXAMPLE_TAXONOMY, root / "taxonomy.yml")
    for line in (root / "raw" / "issues.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, day = line.split("\t")
            result = CliRunner().invoke(main, ["import", str(root / "raw" / name), "--issue-date", day,
                                               "--content", str(root / "content"), "--taxonomy", str(root / "taxonomy.yml")])
            assert result.exit_code == 0, result.output


@functools.cache
def bl_example_archive() -> Path:
    """The examples imported once per test process (read only): a folder with raw/, taxonomy.yml, content/."""
    root = Path(tempfile.mkdtemp(prefix="bulletin-examples-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    bl_import_examples(root)
    return root


@pytest.fixture(scope="session")
def bl_example_site(tmp_path_factory) -> Path:
    """The tests' example archive (tests/examples/ imported) built once per session."""
    root = tmp_path_factory.mktemp("example-site")
    shutil.copytree(bl_example_archive() / "content", root / "content")
    shutil.copy(EXAMPLE_TAXONOMY, root / "taxonomy.yml")
    bl_copy_site_config(root)
    proc = bl_build(root)
    assert proc.returncode == 0, proc.stderr
    return root / "site"


@pytest.fixture(scope="module")
def bl_chromium():
    """Debian's Chromium under Playwright, one per test module (browser tests only):
    Playwright's sync API allows one running instance at a time."""
    from browsing import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def bl_search_node():
    """The search engine (theme/assets/search-engine.js) in one Node process for the session."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from searchnode import SearchNode

    with SearchNode() as node:
        yield node


class BlIndex:
    """A search index written to a folder, searched by the engine under Node."""

    def __init__(self, node, files: dict[str, bytes], folder: Path):
        from bulletin.search import index as searchindex

        searchindex.write(files.items(), folder)
        self.node, self.files, self.dir = node, files, folder

    def search(self, query: str, **filters) -> dict:
        return self.node.search(self.dir, query, **filters)

    def urls(self, query: str, **filters) -> list[str]:
        return self.search(query, **filters)["urls"]

    def ids(self, query: str, **filters) -> list[int]:
        return self.search(query, **filters)["ids"]


@pytest.fixture(scope="session")
def bl_index(bl_search_node, tmp_path_factory):
    """``bl_index(files)``: a :class:`BlIndex` of ``searchindex.build()``'s files in a fresh folder."""
    return lambda files: BlIndex(bl_search_node, dict(files), tmp_path_factory.mktemp("idx"))
