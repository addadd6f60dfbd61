"""The import's data types, stage by stage, so the pipeline reads top to bottom.

raw text --layout.paragraphs-->  ``Block``     cleaned paragraphs with their line
         --layout.label------->  ``Labelled``  each with its role and the evidence
         --boundaries.decide-->  ``Boundary``  per headline: opens an article or not, how sure
         --segment------------>  ``Draft`` (an article being assembled) and ``Leftover``
         --pipeline----------->  ``PageImport`` (tagged ``model.Article`` objects and slugs)

``bulletin import --explain`` prints the ``Labelled`` and ``Boundary`` stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.model import Article


@dataclass
class Block:
    """One paragraph of the raw page and the 1-based line it starts on."""

    text: str
    line: int


@dataclass(frozen=True)
class Labelled:
    """A paragraph with its layout role and why (see :mod:`bulletin.importer.layout`)."""

    block: Block
    label: str
    reason: str


@dataclass(frozen=True)
class Boundary:
    """The decision on one headline-shaped group: does it open an article?"""

    line: int
    lines: tuple[str, ...]
    opens: bool
    confidence: float
    reasons: tuple[str, ...]


@dataclass
class Draft:
    """An article being assembled: headline parts, paragraphs, authors."""

    line: int
    kicker: str | None = None
    column: str | None = None
    title: str = ""
    subtitle: str | None = None
    # (kind, text): kind is "text", "sub" (in-article subheading), "caption" or
    # "editor" (an editor's note, 编者按, printed above the article).
    # Kept apart from the text so raw text starting with "#" or ">" stays text.
    paragraphs: list[tuple[str, str]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    kind: str = "article"
    closed: bool = False

    @property
    def started(self) -> bool:
        return any(k not in ("sub", "editor") for k, _ in self.paragraphs)

    def text_paragraphs(self) -> list[str]:
        return [t for k, t in self.paragraphs if k == "text"]

    def credit(self, names: list[str], raw: str | None = None) -> None:
        """Add authors; the byline as printed is kept too, roles and all."""
        self.authors = list(dict.fromkeys(self.authors + names))
        if raw:
            self.bylines.append(raw)  # twice printed, twice kept: nothing is lost


@dataclass
class Leftover:
    """Text that belongs to no article, reported to the editor with its line."""

    line: int
    text: str
    reason: str


@dataclass
class PageImport:
    articles: list[Article] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    leftovers: list[Leftover] = field(default_factory=list)
    new_streets: list[str] = field(default_factory=list)
    new_programmes: list[str] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    # (line, kind, name): a street (街道) or district (区) the taxonomy does not
    # know, with the raw line it is first printed on, for the editor to add or fix.
    unknown_places: list[tuple[int, str, str]] = field(default_factory=list)
