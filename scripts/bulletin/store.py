"""Writing article pages: stable paths, atomic writes, editors' corrections kept.

A page's path is ``articles/<year>/<issue date>-<source>-<hash>.md``: it does not
contain the title, so correcting a title never moves the URL, and the hash is of
the article's opening text, so re-importing the same page finds the same file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .model import Article, is_edited, render_page


def article_path(content: Path, article: Article, slug: str) -> Path:
    return content / "articles" / f"{article.issue_date.year:04d}" / f"{slug}.md"


def atomic_write(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, rename: a page is old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_page(path: Path, article: Article, force: bool = False) -> str:
    """Write one page; returns new / unchanged / updated / kept / replaced.

    ``kept``: an editor changed the page since it was imported, so it is left
    alone. ``replaced``: the same with ``force``, the edited page saved as .bak.
    """
    text = render_page(article)
    if not path.exists():
        atomic_write(path, text)
        return "new"
    old = path.read_text(encoding="utf-8", errors="replace")
    if old == text:
        return "unchanged"
    if is_edited(old):
        if not force:
            return "kept"
        shutil.copy2(path, backup_path(path))
        atomic_write(path, text)
        return "replaced"
    atomic_write(path, text)
    return "updated"


def stale_pages(content: Path, issue_year: int, prefix: str, keep: set[Path]) -> list[Path]:
    """Pages an earlier import of the same raw page wrote that this import does not."""
    folder = content / "articles" / f"{issue_year:04d}"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{prefix}-*.md") if p not in keep and len(p.stem) == len(prefix) + 7)
