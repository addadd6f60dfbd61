"""The curated taxonomy editors maintain: known streets and programmes, with aliases.

It normalises names (an OCR variant or an old name maps to one canonical tag)
and is the list new pattern-found candidates are checked against. Stored as
``taxonomy.yml`` at the project top so a correction is one line in one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_PATH = Path("taxonomy.yml")


class TaxonomyError(ValueError):
    pass


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

    def canonical_street(self, name: str) -> str:
        return self._street_alias.get(_key(name), name)

    def canonical_programme(self, name: str) -> str:
        return self._programme_alias.get(_key(name), name)

    def is_known_programme(self, name: str) -> bool:
        return _key(name) in self._programme_alias

    def is_known_street(self, name: str) -> bool:
        return _key(name) in self._street_alias

    def district_of(self, street: str) -> str | None:
        entry = self.streets.get(self.canonical_street(street))
        return entry.district if entry else None

    def find_streets(self, text: str) -> list[str]:
        """Canonical streets whose name or alias occurs in ``text``, first occurrence first."""
        return _find(self._street_re, self._street_alias, text)

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


def _key(name: str) -> str:
    """Names compare without spaces: OCR and typesetting add and drop them."""
    return re.sub(r"\s+", "", name)


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


def _entries(raw, path: Path, section: str) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for i, item in enumerate(raw or []):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not item.get("name"):
            raise TaxonomyError(f"{path}: {section}[{i}] 需要 name 字段")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            raise TaxonomyError(f"{path}: {section}[{i}] ({item['name']}) 的 aliases 应为列表")
        name = str(item["name"])
        if name in out:
            raise TaxonomyError(f"{path}: {section} 中 {name} 重复")
        out[name] = Entry(name, [str(a) for a in aliases], item.get("district"), item.get("city"))
    return out


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read taxonomy.yml; a missing file is an empty taxonomy, a broken one an error."""
    path = Path(path) if path else DEFAULT_PATH
    if not path.exists():
        return Taxonomy()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise TaxonomyError(f"{path}:{mark.line + 1 if mark else 1}: YAML 格式错误") from None
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: 应包含 streets 和 programmes 两个列表")
    return Taxonomy(
        _entries(data.get("streets"), path, "streets"),
        _entries(data.get("programmes"), path, "programmes"),
    )
