"""The one front-matter schema every article page follows.

Importer, validator (``bulletin check``), MkDocs plugin and search index all go
through :func:`parse_page` / :func:`render_page`, so there is exactly one idea
of what a valid article is. YAML is parsed here (not by MkDocs, whose
``get_data`` silently swallows errors) so every problem names file and line.

Over 300 lines: it is the schema — the fields, their checks and the one way
to read and write a page belong together, and every part of the product
imports it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from bulletin import safeyaml
from bulletin.clean import clean_name, clean_text

KINDS = ("article", "brief", "fragment")

# Order of keys in the written front matter; also the list of known keys.
KEYS = (
    "title", "column", "kicker", "subtitle", "date", "issue_date", "district", "streets",
    "places", "programmes", "candidate_programmes", "authors", "byline", "kind", "source", "position",
    "part", "summary", "checksum",
)
# candidate_programmes: names the importer found by pattern, not (yet) in the
# taxonomy; not shown on the site until an editor adds them to taxonomy.yml.
LIST_KEYS = ("streets", "places", "programmes", "candidate_programmes", "authors")
REQUIRED = ("title", "date", "issue_date", "streets", "programmes", "authors", "source")
TEXT_KEYS = ("title", "column", "kicker", "subtitle", "byline", "summary", "source")
# Front matter is a few hundred characters; anything near this is an attack or an accident.
MAX_FRONT_MATTER = 64 * 1024
# Per field: every name becomes a chip, a page and search keys (5,000 streets in one page
# took the build minutes); real pages have a handful of short names and a one-line title.
MAX_NAMES = 100
MAX_NAME_CHARS = 60
MAX_TEXT_CHARS = {"title": 200, "column": 100, "kicker": 200, "subtitle": 200, "district": 60, "byline": 300,
                  "summary": 1000, "source": 300}


class PageError(ValueError):
    """A page that cannot be read as an article; ``line`` is 1-based."""

    def __init__(self, path: str | Path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message


@dataclass
class Article:
    title: str
    date: dt.date
    issue_date: dt.date
    source: str
    body: str = ""
    kicker: str | None = None
    column: str | None = None  # the column label printed above the headline (【简讯】, 图片新闻)
    subtitle: str | None = None
    district: str | None = None
    streets: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    candidate_programmes: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    byline: str | None = None  # the credit line as printed, roles and all
    kind: str = "article"
    position: int = 1
    part: int | None = None  # an editor split the printed article: this is its n-th piece (bulletin split)
    summary: str = ""
    checksum: str | None = None

    @property
    def display_title(self) -> str:
        """Untitled fragments are shown by their summary, never as an empty link."""
        return self.title or (self.summary[:24] + "…" if self.summary else "（无标题）")

    def to_meta(self) -> dict:
        meta: dict = {}
        for key in KEYS:
            if key == "checksum":
                continue
            value = getattr(self, key)
            if value is None or (key in ("column", "kicker", "subtitle", "district", "places", "candidate_programmes", "byline", "part")
                                 and not value):
                continue
            meta[key] = list(value) if key in LIST_KEYS else value
        return meta


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's emitter (5x faster, same bytes); no &id001 anchors when date and
    issue_date are the same object."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(meta: dict) -> str:
    return yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def dump_front_matter(meta: dict) -> str:
    """YAML of ``meta`` as the importer writes it (key order kept, no anchors)."""
    return _dump(meta)


def content_checksum(meta: dict, body: str) -> str:
    """Hash of what the importer wrote; a page whose hash no longer matches was edited."""
    return _checksum(_dump({k: v for k, v in meta.items() if k != "checksum"}), body)


def _checksum(yaml_text: str, body: str) -> str:
    return hashlib.sha256((yaml_text + "\n" + body.strip()).encode("utf-8")).hexdigest()[:16]


def render_page(article: Article) -> str:
    """Markdown page text: YAML front matter, then the body. Deterministic. The front
    matter is dumped once: ``checksum`` is its last key, a line of its own after the
    rest (a block mapping's entries are written independently)."""
    meta = article.to_meta()
    front = _dump(meta)
    front += _dump({"checksum": _checksum(front, article.body)})
    return f"---\n{front}---\n\n{article.body.strip()}\n"


def key_line(text: str, key: str) -> int:
    """1-based line of ``key:`` in the front matter, for messages that point at it."""
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _as_date(value, path, line, key) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PageError(path, line, f"{key} 不是有效日期（应为 YYYY-MM-DD）：{value!r}") from None


def split_page(text: str, path: str | Path) -> tuple[dict, str]:
    """Front matter and body; YAML errors carry the page's line number."""
    if not text.startswith("---"):
        raise PageError(path, 1, "缺少 YAML 前置元数据（文件应以 --- 开头）")
    limit = safeyaml.front_matter_limit(text, MAX_FRONT_MATTER)
    if limit:
        raise PageError(path, *limit)
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1  # fm text starts with the newline after ---
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context_mark", None)
        unclosed = any(w in problem for w in ("end of stream", "expected ','", "node content"))
        since = f"，从第 {context.line + 1} 行开始" if unclosed and context and context.line + 1 < line else ""
        raise PageError(path, line, f"YAML 格式错误：{_yaml_hint(problem, text, line)}{since}（{problem}）") from None
    except TypeError:
        # a key YAML reads as a number, date, null or anchor: frontmatter's Post(**meta) refuses it
        raise PageError(path, _odd_key_line(text), "字段名应为文字（例如 title:），不能是数字、日期、空白或以 & 开头") from None
    except ValueError:
        # YAML's timestamp constructor raises a bare ValueError for 2021-02-30.
        line, key, value = _impossible_date(text)
        raise PageError(path, line, f"{key} 不是真实存在的日期：{value}") from None
    if not isinstance(post.metadata, dict) or not post.metadata:
        raise PageError(path, 1, "前置元数据为空或不是键值对")
    return dict(post.metadata), post.content


def article_from_meta(meta: dict, body: str, path: str | Path, text: str = "", checked: bool = False) -> Article:
    """Validate ``meta`` against the schema; first problem raises PageError.
    ``checked``: ``meta`` already passed :func:`validate_meta` (``bulletin check``
    in the build): not validated twice, a sixth of a build's time."""
    problems = [] if checked else validate_meta(meta, path, text)
    if problems:
        raise problems[0]
    kwargs = {k: meta[k] for k in KEYS if k in meta}
    for key in ("date", "issue_date"):
        value = meta[key]
        kwargs[key] = value if type(value) is dt.date else _as_date(value, path, key_line(text, key), key)
    for key in LIST_KEYS:  # one name, one page: no invisible characters, NFKC
        kwargs[key] = [n for n in map(clean_name, meta.get(key) or []) if n]
    for key in TEXT_KEYS:
        if kwargs.get(key) is not None:
            kwargs[key] = clean_text(kwargs[key])
    if kwargs.get("district") is not None:
        kwargs["district"] = clean_name(kwargs["district"]) or None
    kwargs["title"] = kwargs.get("title") or ""
    return Article(body=body, **kwargs)


def validate_meta(meta: dict, path: str | Path, text: str = "") -> list[PageError]:
    """Every schema problem in ``meta`` as PageError, in key order."""
    out: list[PageError] = []
    for key in REQUIRED:
        if key not in meta:
            out.append(PageError(path, 1, f"缺少必填字段 {key}"))
    for key, line in _repeated_keys(text):
        out.append(PageError(path, line, f"字段 {key} 重复出现（只有最后一个生效，请删掉多余的一行）"))
    for key, value in meta.items():
        line = key_line(text, key)
        if key not in KEYS:
            out.append(PageError(path, line, f"未知字段 {key}（拼写错误？）"))
        elif key in LIST_KEYS:
            if value is not None and not isinstance(value, list):
                out.append(PageError(path, line, f"{key} 应为列表，例如 [甲, 乙]"))
            elif any(v is None or (isinstance(v, str) and not v.strip()) for v in value or []):
                out.append(PageError(path, line, f"{key} 中有空白项，请删掉"))
            elif not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value or []):
                out.append(PageError(path, line, f"{key} 的每一项应为一个名称，例如 [甲, 乙]"))
            elif len(value or []) > MAX_NAMES:
                out.append(PageError(path, line, f"{key} 有 {len(value)} 项，超过上限 {MAX_NAMES} 项"))
            elif any(len(str(v)) > MAX_NAME_CHARS for v in value or []):
                long = next(str(v) for v in value if len(str(v)) > MAX_NAME_CHARS)
                out.append(PageError(path, line, f"{key} 中的名称过长（{len(long)} 个字，上限 {MAX_NAME_CHARS}）：{long[:20]}…"))
        elif key in ("date", "issue_date"):
            try:
                day = _as_date(value, path, line, key)
            except PageError as exc:
                out.append(exc)
            else:
                if day < EARLIEST_DATE:
                    out.append(PageError(path, line, f"{key} 早于 {EARLIEST_DATE.year} 年，可能是识别错误：{day}"))
                elif day > dt.date.today() + dt.timedelta(days=1):
                    out.append(PageError(path, line, f"{key} 是将来的日期，可能是识别错误：{day}"))
        elif key == "kind" and value not in KINDS:
            out.append(PageError(path, line, f"kind 应为 {'/'.join(KINDS)} 之一：{value!r}"))
        elif key in ("position", "part") and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            out.append(PageError(path, line, f"{key} 应为正整数：{value!r}"))
        elif key in ("title", "column", "kicker", "subtitle", "district", "byline", "summary", "source"):
            if value is not None and not isinstance(value, (str, int, float)):
                out.append(PageError(path, line, f"{key} 应为一段文字"))
            elif len(str(value or "")) > MAX_TEXT_CHARS[key]:
                out.append(PageError(path, line, f"{key} 过长（{len(str(value))} 个字，上限 {MAX_TEXT_CHARS[key]}）"))
            elif key == "source" and not str(value or "").strip():
                out.append(PageError(path, line, "source 为空（应写明原始文件，例如 raw/2021-05-28.txt）"))
            elif key == "title" and not str(value or "").strip() and meta.get("kind") not in ("fragment", "brief"):
                out.append(PageError(path, line, "标题为空（只有 kind: fragment 的片段和无标题的 brief 简讯栏可以没有标题）"))
    return out


# Bulletins of the archive are from the People's Republic; older dates are OCR errors.
EARLIEST_DATE = dt.date(1949, 1, 1)
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.S | re.M)


# PyYAML's problems in the words an editor needs (the English stays in brackets).
_YAML_HINTS = (
    ("tab character", "用了制表符（Tab）缩进，请改用空格"),
    ("mapping values are not allowed", "一行里多了冒号：值里有英文冒号加空格（: ）时请用引号括起整段，例如 title: \"通知: 停水\"（中文冒号“：”不用引号）"),
    ("expected ',' or ']'", "方括号列表没有正确结束（缺少 ] 或逗号）"),
    ("expected ',' or '}'", "花括号没有正确结束（缺少 } 或逗号）"),
    ("could not find expected ':'", "缺少冒号：每行应写成 字段: 值"),
    ("unexpected end of stream", "引号或括号没有成对"),
    ("expected node content", "缺少内容：括号或引号没有写完，或冒号、- 后面没有写值"),
    ("expected <block end>", "缩进不一致：同一层的字段应左对齐"),
    ("did not find expected key", "缩进不一致或多了内容：同一层的字段应左对齐"),
    ("did not find expected '-' indicator", "列表缩进不一致：每一项都以 - 开头并对齐"),
    ("cannot start any token", "值以特殊字符开头，请用引号把整段括起来"),
    ("found undefined alias", "值以 * 开头，请用引号把整段括起来"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 需要写成 \\\\，或改用单引号"),
    ("could not determine a constructor", "不支持的 ! 标记，请用引号把整段括起来"),
)


def _yaml_hint(problem: str, text: str = "", line: int = 0) -> str:
    lines = text.splitlines()
    if "cannot start any token" in problem and 0 < line <= len(lines) and "\t" in lines[line - 1]:
        return _YAML_HINTS[0][1]  # libyaml does not name the tab
    for needle, hint in _YAML_HINTS:
        if needle in problem:
            return hint
    return "无法解析"


def _repeated_keys(text: str) -> list[tuple[str, int]]:
    """Top-level keys written twice in the front matter (YAML keeps the last, silently)."""
    m = _FRONT.match(text or "")
    if not m:
        return []
    seen: set[str] = set()
    out = []
    for i, line in enumerate(m.group(1).splitlines(), start=2):
        k = re.match(r"([^\s#:'\"\-\[{][^:]*?)\s*:(\s|$)", line)
        if k:
            if k.group(1) in seen:
                out.append((k.group(1), i))
            seen.add(k.group(1))
    return out


def _odd_key_line(text: str) -> int:
    """Line of the first front-matter key that is not a plain string."""
    m = _FRONT.match(text or "")
    try:
        root = safeyaml.compose(m.group(1), MAX_FRONT_MATTER) if m else None
    except yaml.YAMLError:
        return 1
    for key, _ in getattr(root, "value", None) or []:
        if getattr(key, "tag", "") != "tag:yaml.org,2002:str":
            return key.start_mark.line + 2
    return 1


def _impossible_date(text: str) -> tuple[int, str, str]:
    """Line, key and value of a YYYY-MM-DD value that is not a calendar date."""
    m = _FRONT.match(text or "")
    for i, line in enumerate((m.group(1) if m else text).splitlines(), start=2):
        d = re.match(r"\s*(?:-\s*)?([^:\s]+)\s*:\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})\b", line)
        if d:
            try:
                dt.date(int(d.group(2)), int(d.group(3)), int(d.group(4)))
            except ValueError:
                return i, d.group(1), f"{d.group(2)}-{d.group(3)}-{d.group(4)}"
    return 1, "日期", "（无法解析）"


def read_article(path: Path) -> Article:
    """Parse one page from disk; unreadable bytes are a PageError too."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PageError(path, 1, f"不是 UTF-8 文本（第 {exc.start} 字节）") from None
    meta, body = split_page(text, path)
    return article_from_meta(meta, body, path, text)


def is_edited(text: str) -> bool:
    """True when a page no longer matches the checksum the importer wrote."""
    try:
        meta, body = split_page(text, "<page>")
    except PageError:
        return True
    stored = meta.get("checksum")
    return not stored or stored != content_checksum(meta, body)
