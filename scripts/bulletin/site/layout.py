"""Where each generated page lives: URL format strings (Material-blog style),
their virtual source files, and relative links between sources."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from bulletin.site.index import Month, Topic
from bulletin.site.issues import Issue


@dataclass
class Layout:
    """Where each generated page lives, as URL format strings (Material-blog style)."""

    home_url: str = ""
    streets_url: str = "streets/"
    street_url_format: str = "streets/{slug}/"
    programmes_url: str = "programmes/"
    programme_url_format: str = "programmes/{slug}/"
    archive_url: str = "archive/"
    archive_month_url_format: str = "archive/{year}/{month:02d}/"
    issue_url_format: str = "issues/{slug}/"
    search_url: str = "search/"
    subscribe_url: str = "subscribe/"

    def check(self) -> None:
        """Raise ValueError early for a format that cannot produce a safe path."""
        samples = [
            self.home_url, self.streets_url, self.programmes_url, self.archive_url, self.search_url, self.subscribe_url,
            self.street_url_format.format(slug="x"), self.programme_url_format.format(slug="x"),
            self.archive_month_url_format.format(year=2021, month=5), self.issue_url_format.format(slug="x"),
        ]
        for url in samples:
            if url.startswith("/") or ".." in url.split("/") or "://" in url:
                raise ValueError(f"URL 格式应为站内相对路径：{url!r}")

    @staticmethod
    def src_uri(url: str) -> str:
        """The virtual source file that MkDocs publishes at ``url``."""
        if url == "" or url.endswith("/"):
            return url + "index.md"
        return re.sub(r"\.html?$", "", url) + ".md"

    def home(self) -> str:
        return self.src_uri(self.home_url)

    def streets(self) -> str:
        return self.src_uri(self.streets_url)

    def street(self, topic: Topic) -> str:
        return self.src_uri(self.street_url_format.format(slug=topic.slug))

    def programmes(self) -> str:
        return self.src_uri(self.programmes_url)

    def programme(self, topic: Topic) -> str:
        return self.src_uri(self.programme_url_format.format(slug=topic.slug))

    def archive(self) -> str:
        return self.src_uri(self.archive_url)

    def month(self, month: Month) -> str:
        return self.src_uri(self.archive_month_url_format.format(year=month.year, month=month.month))

    def issue(self, issue: Issue) -> str:
        return self.src_uri(self.issue_url_format.format(slug=issue.slug))

    def search(self) -> str:
        return self.src_uri(self.search_url)

    def subscribe(self) -> str:
        return self.src_uri(self.subscribe_url)


def rel(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """Relative, percent-encoded Markdown link target from one source file to another
    (both site-relative paths without ``..``: ``posixpath.relpath`` without the
    ``abspath`` calls that made it a tenth of the listings' time)."""
    here = posixpath.dirname(from_uri).split("/") if "/" in from_uri else []
    there = to_uri.split("/")
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    path = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return quote(path) + (f"#{anchor}" if anchor else "")
