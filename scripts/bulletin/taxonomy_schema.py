"""The schema of ``taxonomy.yml``, checked node by node so each problem names
its real line; :func:`bulletin.taxonomy.load_taxonomy` refuses any problem.

    streets:                  # a list (or absent)
      - 石港镇                 # a name, or
      - name: 狼山镇街道       # a mapping of exactly these keys:
        aliases: [狼山镇]      #   name (required), aliases (list of names),
        district: 崇川区       #   district, city (names)
        city: 南通市
    programmes: [...]         # the same, district and city unused
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from bulletin import safeyaml
from bulletin.clean import clean_name

SECTIONS = {"streets": "街道", "programmes": "项目"}
ITEM_KEYS = ("name", "aliases", "district", "city")
MAX_CHARS = 4 * 1024 * 1024
_NULL = "tag:yaml.org,2002:null"


@dataclass
class Item:
    name: str
    line: int
    aliases: list[tuple[str, int]] = field(default_factory=list)
    district: str | None = None
    city: str | None = None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: yaml.Node | None) -> bool:
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL)


def _name(node: yaml.Node, what: str, problems: list) -> str | None:
    """A scalar that is a non-empty name after cleaning, or None (and a problem)."""
    if not isinstance(node, yaml.ScalarNode) or _is_null(node):
        problems.append((_line(node), f"{what} 应为一个名称（文字），例如 石港镇"))
        return None
    name = clean_name(node.value)
    if not name:
        problems.append((_line(node), f"{what} 为空"))
        return None
    return name


def _fields(node: yaml.MappingNode, allowed: tuple[str, ...], problems: list) -> dict[str, yaml.Node]:
    """``key -> value node`` of a mapping; unknown and repeated keys are problems."""
    values: dict[str, yaml.Node] = {}
    for key, value in node.value:
        k = key.value if isinstance(key, yaml.ScalarNode) else None
        if k not in allowed:
            problems.append((_line(key), f"未知字段 {k!s}（只能有 {'、'.join(allowed)}）"))
        elif k in values:
            problems.append((_line(key), f"字段 {k} 重复出现"))
        else:
            values[k] = value
    return values


def _item(node: yaml.Node, label: str, problems: list) -> Item | None:
    if isinstance(node, yaml.ScalarNode):
        name = _name(node, f"{label}的名称", problems)
        return Item(name, _line(node)) if name else None
    if not isinstance(node, yaml.MappingNode):
        problems.append((_line(node), f"{label}的每一项应为名称，或含 name 的条目"))
        return None
    values = _fields(node, ITEM_KEYS, problems)
    if "name" not in values:
        problems.append((_line(node), f"{label}条目缺少 name 字段"))
        return None
    name = _name(values["name"], f"{label}的 name", problems)
    if not name:
        return None
    item = Item(name, _line(values["name"]))
    aliases = values.get("aliases")
    if not _is_null(aliases):
        if not isinstance(aliases, yaml.SequenceNode):
            problems.append((_line(aliases), f"「{name}」的 aliases 应为列表，例如 [甲, 乙]"))
        else:
            for a in aliases.value:
                alias = _name(a, f"「{name}」的别名", problems)
                if alias:
                    item.aliases.append((alias, _line(a)))
    for key in ("district", "city"):
        if not _is_null(values.get(key)):
            setattr(item, key, _name(values[key], f"「{name}」的 {key}", problems))
    return item


def _section(node: yaml.Node, label: str, problems: list) -> list[Item]:
    if _is_null(node):
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append((_line(node), f"{label}应为列表（每行 - 一个名称）"))
        return []
    return [i for i in (_item(n, label, problems) for n in node.value) if i]


def _ambiguous(items: list[Item], section: str, problems: list) -> None:
    """A name written twice, or an alias that leads to two names."""
    key = lambda n: n.replace(" ", "")  # noqa: E731  names compare without spaces (Taxonomy)
    owner: dict[str, str] = {}
    for item in items:
        if key(item.name) in owner:
            problems.append((item.line, f"{section} 中「{item.name}」重复"))
        owner.setdefault(key(item.name), item.name)
    for item in items:
        for alias, line in item.aliases:
            if owner.setdefault(key(alias), item.name) != item.name:
                problems.append((line, f"{section} 中的名称「{alias}」同时指向「{owner[key(alias)]}」和「{item.name}」，请只保留一处"))


def parse(text: str) -> tuple[dict[str, list[Item]], list[tuple[int, str]]]:
    """``{"streets": [...], "programmes": [...]}`` and every problem as (line, message)."""
    problems: list[tuple[int, str]] = []
    out: dict[str, list[Item]] = {s: [] for s in SECTIONS}
    try:
        root = safeyaml.compose(text, MAX_CHARS)
    except safeyaml.YamlLimitError as exc:
        return out, [(exc.line + 1, exc.message)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "无法解析"
        return out, [((mark.line + 1) if mark else 1, f"YAML 格式错误（{problem}）")]
    if _is_null(root):
        return out, []
    if not isinstance(root, yaml.MappingNode):
        return out, [(_line(root), "分类表应包含 streets 和 programmes 两个列表")]
    for k, value in _fields(root, tuple(SECTIONS), problems).items():
        out[k] = _section(value, SECTIONS[k], problems)
        _ambiguous(out[k], k, problems)
    return out, problems
