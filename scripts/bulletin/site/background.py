"""Work in a forked second process while MkDocs checks and renders the pages.

MkDocs renders on one core; the search index (every character pair of every
article, 40% of a build's CPU) needs only the articles' text. On a machine with
two cores a forked child builds and writes it meanwhile (``searchjob``): at
100,000 articles that is minutes off the build (BENCHMARKS.md). The child is
forked (what it needs is shared copy-on-write, nothing is pickled), so this
runs only where fork is safe: Linux, a one-shot ``mkdocs build`` (serve has
server threads), more than one CPU. Elsewhere the work runs in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass


def usable() -> bool:
    """Fork is safe and worth it: Linux, two cores or more, and no other thread
    (a thread holding a lock at the fork would leave it held in the child)."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


@dataclass
class Job:
    process: multiprocessing.process.BaseProcess | None
    fn: Callable[[], object] | None  # None once forked: what it holds (the articles' text) is the child's


def _run(fn: Callable[[], object]) -> None:
    try:
        fn()
    except SystemExit as exc:  # a quiet failure: the parent reports the cause itself
        os._exit(exc.code if isinstance(exc.code, int) else 1)
    except BaseException:  # noqa: BLE001 - reported to the parent by the exit code
        traceback.print_exc()
        os._exit(1)


def start(fn: Callable[[], object], in_background: bool) -> Job:
    """``fn`` running in a forked child when ``in_background`` (and fork is
    usable), else deferred to :func:`join`. Objects alive now are frozen out of
    the collector first, so neither process copies pages just to scan them."""
    if not (in_background and usable()):
        return Job(None, fn)
    gc.collect()
    gc.freeze()
    process = multiprocessing.get_context("fork").Process(target=_run, args=(fn,), daemon=True)
    process.start()
    return Job(process, None)


def join(job: Job) -> None:
    """Wait for the job (or run it now); RuntimeError if the child failed."""
    if job.process is None:
        assert job.fn is not None
        job.fn()
        return
    job.process.join()
    if job.process.exitcode != 0:
        raise RuntimeError(f"exit code {job.process.exitcode}")


def cancel(job: Job) -> None:
    """Stop the child (the build failed): it must not go on writing into the site."""
    if job.process is not None and job.process.is_alive():
        job.process.terminate()
        job.process.join()
