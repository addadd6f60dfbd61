"""The rules ``bulletin check`` applies: one page on its own, then pages against
each other (duplicates), and the :class:`Problem` each rule reports.

Kept apart from the file walking and the command (:mod:`bulletin.editing.check`) so the
rules read as a list of what an article page must be; every message says what
to do in plain words, and ``docs/editors-guide.zh.md`` explains each one.

Over 300 lines: the rules are one list an editor's question is answered from;
split, a rule would be looked for in two places.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from bulletin.clean import invisible
from bulletin.editing.bodykey import normalise_body  # noqa: F401 (re-exported: tests)
from bulletin.editing import markup
from bulletin import safeyaml
from bulletin.model import LIST_KEYS, MAX_FRONT_MATTER, PageError, key_line, split_page, validate_meta
from bulletin.taxonomy import Taxonomy

ERROR, WARNING = "error", "warning"
ARTICLES_DIR = "articles"
# Bodies shorter than this (after normalising) are not compared: "（图）" may repeat.
MIN_DUPLICATE_BODY = 20


@dataclass(frozen=True)
class Problem:
    severity: str  # ERROR or WARNING
    file: str
    line: int
    message: str
    rule: str = ""  # "markup": the build removes it (and warns) instead of stopping

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        label = "错误" if self.is_error else "警告"
        return f"{self.file}:{self.line}: {label}：{_visible(self.message)}"


def _visible(text: str) -> str:
    """One line whatever the names inside contain: line breaks show as ↵, other controls escaped."""
    text = re.sub(r"\r?\n|\r", "↵", text)
    return "".join(c if unicodedata.category(c) != "Cc" else c.encode("unicode_escape").decode() for c in text)


def err(file, line, message) -> Problem:
    return Problem(ERROR, str(file), line, message)


def warn(file, line, message) -> Problem:
    return Problem(WARNING, str(file), line, message)


def problem_order(p: Problem):
    """Sort key: by file and line, errors before warnings."""
    return (p.file, p.line, p.severity != ERROR, p.message)


# --------------------------------------------------------------------------- names

_URL_UNSAFE = set('\\:*?"<>|#%&')


def name_problems(path: str | Path) -> list[Problem]:
    """Problems with the file name itself (the last part of the path and its folders below articles/)."""
    p = Path(path)
    parts = p.parts
    if ARTICLES_DIR in parts:
        parts = parts[len(parts) - parts[::-1].index(ARTICLES_DIR):]
    else:
        parts = parts[-1:]
    out: list[Problem] = []
    for part in parts:
        if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in part):
            out.append(err(path, 1, f"文件名含有看不见的控制字符：{part!r}，请重命名"))
        if any(c.isspace() for c in part):
            out.append(err(path, 1, f"文件名含有空格：{part!r}，请改用 - 连接"))
        if ".." in part:
            out.append(err(path, 1, f"文件名含有 “..”：{part!r}，请重命名"))
        bad = sorted({c for c in part if c in _URL_UNSAFE})
        if bad:
            out.append(err(path, 1, f"文件名含有网址中不能用的字符 {' '.join(bad)}：{part!r}，请重命名"))
        if part.startswith((".", "-")) and part not in (".", ".."):
            out.append(err(path, 1, f"文件名以 “{part[0]}” 开头，网站会忽略它：{part!r}，请重命名"))
    return out


# --------------------------------------------------------------------------- YAML positions


def _front_nodes(text: str) -> dict[str, yaml.Node]:
    """Top-level value nodes of the front matter, for item line numbers."""
    m = re.match(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", text, re.S | re.M)
    if not m:
        return {}
    try:
        node = safeyaml.compose(m.group(1), MAX_FRONT_MATTER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _item_line(text: str, nodes: dict, key: str, index: int) -> int:
    """1-based page line of ``key``'s ``index``-th list item (front matter starts on line 2)."""
    node = nodes.get(key)
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return node.value[index].start_mark.line + 2
    return key_line(text, key)


def _body_line(text: str) -> int:
    m = re.match(r"\A---[ \t]*\r?\n.*?^---[ \t]*\r?$\n?", text, re.S | re.M)
    start = m.end() if m else 0
    rest = text[start:]
    skipped = len(rest) - len(rest.lstrip()) if rest.strip() else 0
    return text.count("\n", 0, start + skipped) + 1


# --------------------------------------------------------------------------- one page


@dataclass
class Page:
    name: str
    text: str
    meta: dict | None = None
    body: str = ""


def _name_problems(page: Page) -> list[Problem]:
    """Names in tag lists with line breaks or control characters (an OCR line break caught in a name)."""
    out: list[Problem] = []
    meta = page.meta or {}
    for key in LIST_KEYS:
        if not isinstance(meta.get(key), list):
            continue
        for i, raw in enumerate(meta[key]):
            name = str(raw)
            if invisible(name):
                line = _item_line(page.text, _front_nodes(page.text), key, i)
                out.append(warn(page.name, line, (
                    f"{key} 中的「{name}」含有换行、控制字符或看不见的字符（网站会去掉它们），可能是识别错误，请改正")))
    return out


def _taxonomy_problems(page: Page, taxonomy: Taxonomy) -> list[Problem]:
    out: list[Problem] = []
    meta, text = page.meta or {}, page.text
    nodes: dict | None = None
    kinds = (
        ("streets", "街道", taxonomy.streets, taxonomy.canonical_street),
        ("programmes", "项目", taxonomy.programmes, taxonomy.canonical_programme),
    )
    for key, label, entries, canonical in kinds:
        if not entries or not isinstance(meta.get(key), list):
            continue
        for i, raw in enumerate(meta[key]):
            name = str(raw)
            if name in entries or invisible(name):
                continue
            if nodes is None:
                nodes = _front_nodes(text)
            line = _item_line(text, nodes, key, i)
            if canonical(name) != name:
                out.append(warn(page.name, line, (
                    f"{label}「{name}」是「{canonical(name)}」的别名，应写作「{canonical(name)}」"
                    "（运行 bulletin retag 可一次改好所有页面）")))
            else:
                out.append(warn(page.name, line, (
                    f"{label}「{name}」不在分类表 taxonomy.yml 中："
                    "如是新的名称请加入分类表，如是识别错误请改正")))
    for i, raw in enumerate(meta.get("candidate_programmes") if isinstance(meta.get("candidate_programmes"), list) else []):
        if taxonomy.is_known_programme(str(raw)):
            if nodes is None:
                nodes = _front_nodes(text)
            out.append(warn(page.name, _item_line(text, nodes, "candidate_programmes", i), (
                f"候选项目「{raw}」已在分类表中，应移到 programmes（运行 bulletin retag 可一次改好所有页面）")))
    district = meta.get("district")
    if district and isinstance(meta.get("streets"), list):
        known = {taxonomy.district_of(str(s)) for s in meta["streets"]} - {None}
        if known and str(district) not in known:
            out.append(warn(page.name, key_line(text, "district"), (
                f"district「{district}」与街道所属的区（{'、'.join(sorted(known))}）不一致")))
        elif not known and taxonomy.streets and not taxonomy.is_known_district(str(district)):
            out.append(warn(page.name, key_line(text, "district"), (
                f"district「{district}」不在分类表 taxonomy.yml 中（没有哪个街道属于它）："
                "如是新的区请写在它的街道条目的 district，如是识别错误请改正或删去这一行")))
    return out


def page_problems(page: Page, taxonomy: Taxonomy | None) -> list[Problem]:
    """Schema, taxonomy and body problems of one page; fills ``page.meta`` when readable.
    Unsafe HTML in the body is an error whose ``rule`` is "markup" (see plugin)."""
    out = name_problems(page.name)
    try:
        meta, body = split_page(page.text, page.name)
    except PageError as exc:
        return out + [err(page.name, exc.line, exc.message)]
    schema = validate_meta(meta, page.name, page.text)
    out += [err(page.name, e.line, e.message) for e in schema]
    page.meta, page.body = meta, body
    out += _name_problems(page)
    if taxonomy is not None:
        out += _taxonomy_problems(page, taxonomy)
    deep = markup.nesting_problems(page.text, body)
    out += [err(page.name, line, message) for line, message in deep]
    if not deep:
        out += [Problem(ERROR, page.name, line, message, "markup") for line, message in markup.problems(page.text, body)]
    if not body.strip() and meta.get("kind") != "fragment":
        out.append(warn(page.name, _body_line(page.text), "正文为空"))
    return out


def check_page(name: str | Path, text: str, taxonomy: Taxonomy | None = None) -> list[Problem]:
    """Problems of one page on its own (no duplicate detection; see :func:`check_pages`)."""
    return sorted(page_problems(Page(str(name), text), taxonomy), key=problem_order)


# --------------------------------------------------------------------------- duplicates


def duplicate_keys(page: Page) -> list[tuple]:
    """What two copies of one article share: source and position, or the body."""
    meta = page.meta
    if meta is None:
        return []
    out = []
    position = meta.get("position")
    if meta.get("source") and isinstance(position, int) and not isinstance(position, bool):
        part = meta.get("part") if isinstance(meta.get("part"), int) else 1  # pieces of a split article
        out.append(("source", str(meta["source"]).strip(), position, part))
    norm = normalise_body(page.body)
    if len(norm) >= MIN_DUPLICATE_BODY:
        out.append(("body", hashlib.sha256(norm.encode()).hexdigest()))
    return out


def duplicate_problems(pages: list[Page], report: set[str], keys: Mapping[str, list[tuple]] | None = None) -> list[Problem]:
    groups: dict[tuple, list[Page]] = defaultdict(list)
    for page in pages:
        for key in keys[page.name] if keys is not None else duplicate_keys(page):
            groups[key].append(page)
    out: list[Problem] = []
    for key, members in groups.items():
        if len(members) < 2:
            continue
        for page in members:
            if page.name not in report:
                continue
            others = "、".join(sorted(p.name for p in members if p is not page))
            if key[0] == "source":
                out.append(err(page.name, key_line(page.text, "source"), (
                    f"重复的文章：与 {others} 的 source 和 position 相同"
                    f"（{key[1]} 第 {key[2]} 篇{f'第 {key[3]} 部分' if key[3] > 1 else ''}），请删掉多余的一篇或改正 position")))
            else:
                out.append(err(page.name, _body_line(page.text), (
                    f"重复的文章：正文与 {others} 相同，请删掉多余的一篇")))
    return out
