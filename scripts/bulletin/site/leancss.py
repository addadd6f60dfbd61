"""Material's stylesheet cut down to what the archive's pages use.

Material's ``main.css`` and ``palette.css`` style every component it has
(search, dialogs, admonitions, tabs, tooltips, RTL ...): 150 KB, 24 KB gzip,
render-blocking on every page, and mostly unused by the lean frame
(theme/base.html). Kept are the rules a page can match: a selector survives
when every class, id and attribute it requires occurs in the templates that
render pages, in the pages' own HTML (so an editor's Markdown extension keeps
Material's styles for it) or in the theme's scripts; custom properties no kept
rule reads and keyframes no kept rule runs go too. Pure: text in, text out
(tinycss2 parses; nothing is rewritten but dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import tinycss2

_ATTR = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TOKEN = re.compile(r"[A-Za-z_][\w-]*")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_ANY_OF = {"is", "where", "matches", "-webkit-any", "-moz-any", "has"}  # one alternative must be possible
_GROUPING = {"media", "supports", "layer", "container", "document"}
_INCLUDE = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


@dataclass
class Used:
    """Names a page can carry: classes and ids (any word of a template, script
    or class attribute), attribute names, and literal attribute values."""

    words: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    values: set[tuple[str, str]] = field(default_factory=set)
    any_value: set[str] = field(default_factory=set)  # attributes a template fills in

    def add_template(self, text: str) -> None:
        """A Jinja template or a script: every word may be a class or an id."""
        self.words.update(_TOKEN.findall(text))
        self.add_attributes(text)

    def add_html(self, html: str) -> None:
        """A page's HTML: its classes, ids and attributes."""
        for m in _ATTR.finditer(html):
            name, value = m.group(1).lower(), m.group(2) if m.group(2) is not None else m.group(3)
            if name in ("class", "id"):
                self.words.update(value.split())
            self.attributes.add(name)
            self.values.add((name, value))

    def add_attributes(self, text: str) -> None:
        for m in _ATTR.finditer(text):
            name, value = m.group(1).lower(), m.group(2) if m.group(2) is not None else m.group(3)
            self.attributes.add(name)
            if "{" in value:
                self.any_value.add(name)
            else:
                self.values.add((name, value))


def add_templates(used: Used, names: Iterable[str], source, skip: Iterable[str] = ()) -> None:
    """The words of every template reachable from ``names`` (extends, include,
    import), read by ``source(name)``; one a loader cannot find is skipped, and
    so are those in ``skip`` (included only under conditions the site does not meet)."""
    seen: set[str] = set(skip)
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            text = source(name)
        except LookupError:  # jinja2.TemplateNotFound
            continue
        used.add_template(text)
        todo.extend(_INCLUDE.findall(text))


def _alternatives(tokens: list) -> list[list]:
    out: list[list] = [[]]
    for tok in tokens:
        if tok.type == "literal" and tok.value == ",":
            out.append([])
        else:
            out[-1].append(tok)
    return out


def _attribute_possible(block, used: Used) -> bool:
    parts = [t for t in block.content if t.type not in ("whitespace", "comment")]
    if not parts or parts[0].type != "ident":
        return True
    name = parts[0].value.lower()
    if name not in used.attributes:
        return False
    value = next((t.value for t in parts[1:] if t.type in ("ident", "string")), None)
    exact = len(parts) > 1 and parts[1].type == "literal" and parts[1].value == "="
    if value is None or not exact or name in used.any_value:
        return True
    return (name, value) in used.values


def possible(tokens: list, used: Used) -> bool:
    """Whether a page could match this selector (one comma alternative)."""
    previous = None
    for tok in tokens:
        if tok.type == "ident" and previous is not None and previous.type == "literal" and previous.value == ".":
            if tok.value not in used.words:
                return False
        elif tok.type == "hash" and tok.value not in used.words:
            return False
        elif tok.type == "[] block" and not _attribute_possible(tok, used):
            return False
        elif tok.type == "function" and tok.lower_name in _ANY_OF:
            if not any(possible(alt, used) for alt in _alternatives(tok.arguments)):
                return False
        previous = tok if tok.type != "whitespace" else None
    return True


def _kept_rules(rules: Iterable, used: Used) -> list:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            alternatives = [alt for alt in _alternatives(rule.prelude) if possible(alt, used)]
            if alternatives:
                rule.prelude = [tok for i, alt in enumerate(alternatives)
                                for tok in ([tinycss2.ast.LiteralToken(0, 0, ",")] if i else []) + alt]
                out.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING and rule.content is not None:
            inner = _kept_rules(tinycss2.parse_rule_list(rule.content), used)
            if inner:
                rule.content = inner
                out.append(rule)
        elif rule.type == "at-rule":
            out.append(rule)
    return out


def _declarations(rule) -> list:
    return [d for d in tinycss2.parse_blocks_contents(rule.content) if d.type == "declaration"]


def _walk(rules: list):
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING and rule.content is not None:
            yield from _walk(rule.content)
        else:
            yield rule


def trim(css: str, used: Used) -> str:
    """``css`` without the rules no page can match, the custom properties no kept
    rule reads and the keyframes no kept rule runs."""
    rules = _kept_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)
    styled = [r for r in _walk(rules) if r.type == "qualified-rule"]
    declared = {id(r): _declarations(r) for r in styled}
    values = {d.name: tinycss2.serialize(d.value) for ds in declared.values() for d in ds}
    read = {name for ds in declared.values() for d in ds if not d.name.startswith("--")
            for name in _VAR.findall(tinycss2.serialize(d.value))}
    pending = list(read)
    while pending:  # custom properties read by the values of those read
        for name in _VAR.findall(values.get(pending.pop(), "")):
            if name not in read:
                read.add(name)
                pending.append(name)
    animations = " ".join(tinycss2.serialize(d.value) for ds in declared.values() for d in ds
                          if d.lower_name in ("animation", "animation-name"))
    bodies = {}
    for rule in styled:
        bodies[id(rule)] = ";".join(
            f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
            for d in declared[id(rule)] if not d.name.startswith("--") or d.name in read)
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "keyframes":
            name = tinycss2.serialize(rule.prelude).strip()
            if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", animations):
                continue
        out.append(rule)
    return _serialize(out, bodies)


def _serialize(rules: list, bodies: dict[int, str]) -> str:
    parts = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if bodies.get(id(rule)):
                parts.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{bodies[id(rule)]}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING and rule.content is not None:
            inner = _serialize(rule.content, bodies)
            if inner:
                parts.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{inner}}}")
        else:
            parts.append(rule.serialize())
    return "".join(parts)
