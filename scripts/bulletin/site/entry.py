"""One article in the archive index (:mod:`bulletin.site.index`), apart so that
:mod:`bulletin.site.related`, which the index uses, can name it without
importing the index back.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from bulletin import model
from bulletin.site.issues import Issue


@dataclass
class Entry:
    """One article plus what the build derives for it (stable slug, district)."""

    article: model.Article
    src_uri: str
    district: str | None = None
    number: int = -1  # position in ArchiveIndex.entries (newest first), set by the index
    issue: Issue | None = None  # set by issues.group

    @property
    def is_fragment(self) -> bool:
        """A continuation piece (the end of an article begun on another page): not news."""
        return self.article.kind == "fragment"

    @property
    def slug(self) -> str:
        """The file stem: written once by the importer, so it survives title fixes."""
        return posixpath.splitext(posixpath.basename(self.src_uri))[0]

    @property
    def title(self) -> str:
        return self.article.display_title
