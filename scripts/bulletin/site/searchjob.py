"""The search index of a build: forked off as soon as the articles are read
(``background``), or built in-process after the pages where forking is unsafe."""

from __future__ import annotations

import functools

from bulletin.search import index as search
from bulletin.site import background, index
from bulletin.taxonomy import Taxonomy


def _from_sources(sources: dict[str, str], taxonomy: Taxonomy, origin: str, urls: dict[str, str],
                 site_dir: str) -> None:
    """The search index from the articles' text (in the forked child): the same
    ``index.collect`` the build runs, so the same index. A page it cannot read is
    the build's error to report (the check runs meanwhile, and the build's own
    collect fails the same way), not the child's: it exits without a word."""
    try:
        docs = search.docs_from_index(index.collect(sources, taxonomy, origin=origin), urls.__getitem__)
    except Exception:  # noqa: BLE001 - see above
        raise SystemExit(2) from None
    search.write_site_index(docs, taxonomy, site_dir)  # the archive index is gone: its memory is the postings'


def start_early(sources: dict[str, str], taxonomy: Taxonomy, origin: str, urls: dict[str, str],
                site_dir: str) -> background.Job:
    """The index in a forked child that parses the articles itself while the build
    checks them, so the second core works from the start, not only once the check
    is done (at 50,000 articles the build used to wait 22 s for the child at the
    end). Only where :func:`background.usable`."""
    return background.start(functools.partial(_from_sources, sources, taxonomy, origin, urls, site_dir),
                            in_background=True)


def deferred(idx: index.ArchiveIndex, taxonomy: Taxonomy, url_of, site_dir: str) -> background.Job:
    """The index built in this process when the job is joined (after the pages)."""
    return background.start(functools.partial(search.build_site_index, idx, taxonomy, url_of, site_dir),
                            in_background=False)
