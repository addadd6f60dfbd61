"""The curated taxonomy editors maintain: known streets and programmes, with aliases.

It normalises names (an OCR variant or an old name maps to one canonical tag)
and is the list new pattern-found candidates are checked against. Stored as
``taxonomy.yml`` at the project top so a correction is one line in one file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import taxonomy_schema
from bulletin.clean import clean_name

DEFAULT_PATH = Path("taxonomy.yml")


class TaxonomyError(ValueError):
    """taxonomy.yml cannot be used; ``problems`` are (1-based line, message)."""

    def __init__(self, path: str | Path, problems: list[tuple[int, str]]):
        self.path, self.problems = str(path), sorted(problems)
        super().__init__("\n".join(f"{self.path}:{line}: {message}" for line, message in self.problems))


@dataclass
class Entry:
    name: str
    aliases: list[str] = field(default_factory=list)
    district: str | None = None
    city: str | None = None


@dataclass
class Taxonomy:
    streets: dict[str, Entry] = field(default_factory=dict)
    programmes: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._street_alias = _alias_map(self.streets)
        self._programme_alias = _alias_map(self.programmes)
        self._street_re = _alternation(self._street_alias)
        self._programme_re = _alternation(self._programme_alias)
        self._district_city = {e.district: e.city for e in self.streets.values() if e.district and e.city}

    def canonical_street(self, name: str) -> str:
        return self._street_alias.get(_key(name), name)

    def canonical_programme(self, name: str) -> str:
        return self._programme_alias.get(_key(name), name)

    def is_known_programme(self, name: str) -> bool:
        return _key(name) in self._programme_alias

    def is_known_street(self, name: str) -> bool:
        return _key(name) in self._street_alias

    def is_known_district(self, name: str) -> bool:
        """A district some street of the taxonomy belongs to."""
        return any(e.district == name for e in self.streets.values())

    def district_of(self, street: str) -> str | None:
        entry = self.streets.get(self.canonical_street(street))
        return entry.district if entry else None

    def city_of_district(self, district: str | None) -> str | None:
        """The city of a district some street of the taxonomy is in."""
        return self._district_city.get(district or "")

    def find_streets(self, text: str) -> list[str]:
        """Canonical streets whose name or alias occurs in ``text``, first occurrence first."""
        return _find(self._street_re, self._street_alias, text)

    def street_spans(self, text: str) -> list[tuple[int, int]]:
        """Where known street names and aliases occur in ``text`` (longest first wins)."""
        return [m.span() for m in self._street_re.finditer(text)] if self._street_re else []

    def find_programmes(self, text: str) -> list[str]:
        return _find(self._programme_re, self._programme_alias, text)

    def retag(self, streets: list[str], programmes: list[str]) -> tuple[list[str], list[str]]:
        """Apply aliases and merges to existing tags (used at build time and by ``bulletin retag``)."""
        return (
            _unique(self.canonical_street(s) for s in streets),
            _unique(self.canonical_programme(p) for p in programmes),
        )

    def settle(self, programmes: list[str], candidates: list[str]) -> tuple[list[str], list[str]]:
        """Candidate programmes an editor has since added to the taxonomy become programmes."""
        known = [self.canonical_programme(c) for c in candidates if self.is_known_programme(c)]
        return _unique([*programmes, *known]), _unique(c for c in candidates if not self.is_known_programme(c))


@functools.lru_cache(maxsize=1 << 16)  # a few hundred names, asked for on every page
def _key(name: str) -> str:
    """Names compare as the site shows them (:func:`clean_name`) and without
    spaces: OCR and typesetting add and drop them."""
    return clean_name(name).replace(" ", "")


def _alias_map(entries: dict[str, Entry]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in entries.values():
        out[_key(entry.name)] = entry.name
        for alias in entry.aliases:
            out.setdefault(_key(alias), entry.name)
    return out


def _alternation(names: dict[str, str]) -> re.Pattern | None:
    if not names:
        return None
    # Longest first so 狼山镇街道 wins over 狼山镇.
    parts = (r"\s?".join(map(re.escape, n)) for n in sorted(names, key=len, reverse=True))
    return re.compile("|".join(parts))


def _find(pattern: re.Pattern | None, names: dict[str, str], text: str) -> list[str]:
    if pattern is None:
        return []
    return _unique(names[_key(m.group(0))] for m in pattern.finditer(text))


def _unique(items) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read taxonomy.yml; a missing file is an empty taxonomy. Anything wrong
    (not a file, not UTF-8, YAML, schema, ambiguous aliases) is a TaxonomyError
    naming every problem's line: check, build, import and retag all refuse it."""
    path = Path(path) if path else DEFAULT_PATH
    if not path.exists() and not path.is_symlink():
        return Taxonomy()
    if path.is_dir():
        raise TaxonomyError(path, [(1, "是目录，不是分类表文件")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TaxonomyError(path, [(1, f"无法读取（{exc.strerror or exc}）")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TaxonomyError(path, [(line, f"不是 UTF-8 文本（第 {exc.start} 字节），请用 UTF-8 编码保存")]) from None
    return read_taxonomy(text, path)


def read_taxonomy(text: str, path: str | Path = DEFAULT_PATH) -> Taxonomy:
    """The taxonomy in ``text`` (see :mod:`bulletin.taxonomy_schema`)."""
    sections, problems = taxonomy_schema.parse(text)
    if problems:
        raise TaxonomyError(path, problems)
    streets, programmes = (
        {i.name: Entry(i.name, [a for a, _ in i.aliases], i.district, i.city) for i in sections[s]}
        for s in ("streets", "programmes"))
    return Taxonomy(streets, programmes)
