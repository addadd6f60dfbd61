"""What the preview's watcher saw change (``mkdocs serve``), for ``servebuild``.

MkDocs' server notes only *that* a watched file changed; the plugin adds its
own handler on the same watcher to learn *which*, and rebuilds only for those
when they are all article pages.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from bulletin import model


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


def watch(server, paths) -> Changes:
    """A :class:`Changes` on the server's watcher for each of ``paths`` that exists."""
    changes = Changes()
    for path in {os.path.abspath(p) for p in paths if p and os.path.exists(p)}:
        server.observer.schedule(changes, path, recursive=True)
    return changes


class _Nudge(watchdog.events.FileSystemEventHandler):
    """The system's own file events for the content folder: noted in ``changes``,
    and passed on to the server by touching the one small file it polls."""

    def __init__(self, changes: Changes, trigger: Path):
        self.changes, self.trigger, self.count = changes, trigger, 0

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write") or (
                event.is_directory and event.event_type == "modified"):
            return
        self.changes.on_any_event(event)
        self.count += 1
        self.trigger.write_text(str(self.count), encoding="utf-8")


def native(server, docs_dir: str, changes: Changes):
    """Watch the content folder with the system's file events instead of MkDocs'
    polling, which stats every file twice a second: at 50,000 articles a snapshot
    took 1.8 s, so a save was noticed seconds late and a core stayed busy. The
    server then polls one small file that each event touches. Returns the
    observer (stop it at the end), or None where the system has no such events
    (MkDocs' polling stays)."""
    observer = watchdog.observers.Observer()
    if isinstance(observer, watchdog.observers.polling.PollingObserver):
        return None
    folder = Path(tempfile.mkdtemp(prefix="bulletin-serve-"))
    trigger = folder / "saved"
    trigger.write_text("0", encoding="utf-8")
    try:
        observer.schedule(_Nudge(changes, trigger), os.path.abspath(docs_dir), recursive=True)
        observer.start()
    except OSError:  # e.g. no inotify watches left
        shutil.rmtree(folder, ignore_errors=True)
        return None
    observer.folder = folder
    try:
        server.unwatch(docs_dir)
    except KeyError:  # not watched (MkDocs watches it unless livereload is off)
        pass
    server.watch(str(trigger))
    return observer


def stop(observer) -> None:
    if observer is not None:
        observer.stop()
        shutil.rmtree(observer.folder, ignore_errors=True)


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


