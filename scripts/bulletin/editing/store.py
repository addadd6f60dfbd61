"""Writing article pages: stable paths, atomic writes, editors' corrections kept.

A page's path is ``articles/<year>/<issue date>-<source>-<hash>.md``: it does not
contain the title, so correcting a title never moves the URL, and the hash is of
the article's opening text, so re-importing the same page finds the same file.

Writes never leave a half-written page. Every page is written to a temp file
in its own folder, flushed to disk, then renamed over the old page (a rename
within a folder is atomic). :func:`write_pages` does that for all pages of one
raw page at once: it first writes every temp file, and only when all of them
are on disk renames them into place, so a full disk or an unwritable folder
leaves the earlier pages untouched and no temp files behind. A process killed
in the middle leaves each page old or new (and perhaps hidden temp files, which
the next import removes).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bulletin.model import Article, is_edited, render_page

# ``.<page name>.<pid>-<random>.tmp``: hidden (MkDocs skips dot files) and marked
# with the writing process, so a later run can tell an abandoned one from a live one.
_TMP_RE = re.compile(r"^\..+\.(\d+)-[a-z0-9_]+\.tmp$")


def article_path(content: Path, article: Article, slug: str) -> Path:
    return content / "articles" / f"{article.issue_date.year:04d}" / f"{slug}.md"


def _file_mode(path: Path) -> int:
    """The existing page's permissions, or what a plain ``open`` would give (umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _write_temp(path: Path, data: bytes, mode: int | None = None, sync: bool = True) -> Path:
    """``data`` in a new temp file next to ``path`` (on disk if ``sync``); removed again on any error."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path) if mode is None else mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _sync_files(folders: set[Path]) -> None:
    """Everything written in ``folders`` on disk: one ``syncfs`` per file system.

    Much faster than an fsync per page (one journal commit instead of one per
    file) for the hundreds of pages of a big raw file. Where ``syncfs`` is not
    available, ``os.sync``.
    """
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if _SYNCFS is None or _SYNCFS(fd) != 0:
                os.sync()
                return
        finally:
            os.close(fd)


def _syncfs():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError, ImportError):
        return None


_SYNCFS = _syncfs()


def _sync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable (best effort: not every OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, text: str, sync: bool = True) -> None:
    """Temp file in the same folder, fsync, rename: a page is old or new, never half
    (``sync=False``: no fsync, for a file whose loss a crash may cost but never corrupt)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(path, text.encode("utf-8"), sync=sync)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync:
        _sync_dir(path.parent)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def remove_abandoned_temp_files(folder: Path) -> int:
    """Delete temp files left in ``folder`` by a killed import; returns how many.

    Only files named like ours whose process is gone: a concurrent import's
    temp files are left alone.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        m = _TMP_RE.match(entry.name)
        if not m or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(m.group(1))
        if pid != os.getpid() and _alive(pid):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there: assume alive, keep the file
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


@dataclass
class _Planned:
    path: Path
    status: str
    tmp: Path | None = None
    backup_tmp: Path | None = None


def _plan(path: Path, text: str, force: bool) -> str:
    if not path.exists():
        return "new"
    old = path.read_text(encoding="utf-8", errors="replace")
    if old == text:
        return "unchanged"
    if is_edited(old):
        return "replaced" if force else "kept"
    return "updated"


def write_pages(pages: list[tuple[Path, Article]], force: bool = False, progress=None) -> list[str]:
    """Write a set of pages all or nothing; returns each page's status, in order.

    Statuses: new / unchanged / updated / kept / replaced. ``kept``: an editor
    changed the page since it was imported, so it is left alone. ``replaced``:
    the same with ``force``, the edited page saved as ``<page>.bak``.

    Every changed page (and backup) is first written to a temp file; if any of
    that fails, all temp files are removed and the error is raised with no page
    touched. Then the temp files are renamed into place. ``progress(done, total)``
    is called as pages are prepared, if given.
    """
    planned: list[_Planned] = []
    try:
        for path, article in pages:
            text = render_page(article)
            status = _plan(path, text, force)
            item = _Planned(path, status)
            planned.append(item)
            if status in ("unchanged", "kept"):
                if progress is not None:
                    progress(len(planned), len(pages))
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if status == "replaced":
                item.backup_tmp = _write_temp(backup_path(path), path.read_bytes(), _file_mode(path), sync=False)
            item.tmp = _write_temp(path, text.encode("utf-8"), sync=False)
            if progress is not None:
                progress(len(planned), len(pages))
        folders = {item.path.parent for item in planned if item.tmp}
        _sync_files(folders)  # the new pages are on disk before any of them replaces an old one
        for item in planned:
            if item.backup_tmp:
                os.replace(item.backup_tmp, backup_path(item.path))
                item.backup_tmp = None
            if item.tmp:
                os.replace(item.tmp, item.path)
                item.tmp = None
        for folder in folders:
            _sync_dir(folder)
    except BaseException:
        for item in planned:
            for tmp in (item.tmp, item.backup_tmp):
                if tmp is not None:
                    tmp.unlink(missing_ok=True)
        raise
    return [item.status for item in planned]


def write_page(path: Path, article: Article, force: bool = False) -> str:
    """Write one page; returns new / unchanged / updated / kept / replaced (see :func:`write_pages`)."""
    return write_pages([(path, article)], force)[0]


_PAGE_NAME = re.compile(r"(.+)-[0-9a-f]{6}x*\.md")


class FolderIndex:
    """The page names of each article folder, listed once per import run.

    Listing a folder of 60,000 pages for each of 10,000 raw files would make a
    big import quadratic; this lists each folder once (removing abandoned temp
    files on the way) and is kept up to date as pages are written and removed.
    """

    def __init__(self) -> None:
        self._by_prefix: dict[Path, dict[str, set[str]]] = {}
        self._owners: dict[tuple[Path, str], str] = {}

    def claim(self, folder: Path, prefix: str, source: str) -> str | None:
        """Record that ``source`` writes the pages ``<prefix>-*`` in this run; returns the
        raw file that already did, if another one (the two would replace each other's pages)."""
        owner = self._owners.setdefault((folder, prefix), source)
        return owner if owner != source else None

    def _folder(self, folder: Path) -> dict[str, set[str]]:
        if folder not in self._by_prefix:
            remove_abandoned_temp_files(folder)
            index: dict[str, set[str]] = {}
            try:
                names = [e.name for e in os.scandir(folder) if e.name.endswith(".md")]
            except OSError:
                names = []
            for name in names:
                self._add(index, name)
            self._by_prefix[folder] = index
        return self._by_prefix[folder]

    @staticmethod
    def _add(index: dict[str, set[str]], name: str) -> None:
        m = _PAGE_NAME.fullmatch(name)
        if m:
            index.setdefault(m.group(1), set()).add(name)

    def visit(self, folder: Path) -> None:
        """First use of ``folder`` in this run: list it, remove abandoned temp files."""
        self._folder(folder)

    def added(self, path: Path) -> None:
        self._add(self._folder(path.parent), path.name)

    def removed(self, path: Path) -> None:
        m = _PAGE_NAME.fullmatch(path.name)
        if m:
            self._folder(path.parent).get(m.group(1), set()).discard(path.name)

    def with_prefix(self, folder: Path, prefix: str) -> list[Path]:
        return [folder / n for n in sorted(self._folder(folder).get(prefix, ()))]


def stale_pages(content: Path, issue_year: int, prefix: str, keep: set[Path], index: FolderIndex | None = None) -> list[Path]:
    """Pages an earlier import of the same raw page wrote that this import does not.

    Only names this importer gives: ``<prefix>-<6 hex>.md`` (earlier versions
    added an ``x`` for each repeated opening text: those are matched too).
    """
    folder = content / "articles" / f"{issue_year:04d}"
    if not folder.is_dir():
        return []
    index = index or FolderIndex()
    return [p for p in index.with_prefix(folder, prefix) if p not in keep and p.exists()]
