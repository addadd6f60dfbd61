"""Results of pure text tests shared while one page is imported.

Features, paragraph joins, caption and credit assembly each ask whether the same
line is a byline, ends in a signature or opens with a place (about six times a
line). Inside :func:`page`, a function marked :func:`per_page` answers each
argument once; outside, it runs as it is. The memo lives only as long as the
page, so an archive of many pages does not grow it and a benchmark of copied
pages is not flattered. Lists in a result are copied on the way out: callers
may change what they get.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from contextvars import ContextVar

_MEMO: ContextVar[dict | None] = ContextVar("page_memo", default=None)
_new_memo = dict  # a page's memo (tests count its hits)


def _fresh(value):
    cls = value.__class__
    if cls is list:
        return value[:]
    if cls is tuple:
        return tuple([v[:] if v.__class__ is list else v for v in value])
    return value


def per_page(fn):
    """``fn`` (pure, hashable arguments) remembered within :func:`page`."""
    @functools.wraps(fn)
    def wrapper(*args):
        memo = _MEMO.get()
        if memo is None:
            return fn(*args)
        key = (fn, args)
        try:
            value = memo[key]
        except KeyError:
            value = memo[key] = fn(*args)
        return _fresh(value)
    return wrapper


@contextmanager
def page():
    """A memo for one page (the enclosing page's, when one is open already)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set(_new_memo())
    try:
        yield
    finally:
        _MEMO.reset(token)
