"""``bulletin check``: every article page against the one schema, in plain words.

Each problem is one line ``file:line: message``. Severity decides the exit
status and whether the site build stops:

errors (exit 1, build fails)
    broken YAML, no front matter, missing/invalid keys, impossible or
    implausible dates, empty titles, keys written twice, duplicate articles
    (same ``source`` + ``position``, or the same body text), unsafe file
    names, unreadable (non UTF-8) files, a broken or ambiguous taxonomy.yml.
warnings (printed, exit 0; ``--strict`` makes them errors)
    streets/programmes not in taxonomy.yml (new streets appear all the time),
    an alias used instead of the canonical name (``bulletin retag`` fixes it),
    district that contradicts the taxonomy, empty body, stray non-Markdown
    files among the articles.

The pure core is :func:`check_pages` (texts in, problems out); the MkDocs
plugin calls it (or :func:`check_paths`) so the build fails with exactly the
messages ``bulletin check`` prints.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import click
import yaml

from .model import LIST_KEYS, PageError, key_line, split_page, validate_meta
from .taxonomy import DEFAULT_PATH, Taxonomy, TaxonomyError, load_taxonomy

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
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


def _err(file, line, message) -> Problem:
    return Problem(ERROR, str(file), line, message)


def _warn(file, line, message) -> Problem:
    return Problem(WARNING, str(file), line, message)


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
            out.append(_err(path, 1, f"文件名含有看不见的控制字符：{part!r}，请重命名"))
        if any(c.isspace() for c in part):
            out.append(_err(path, 1, f"文件名含有空格：{part!r}，请改用 - 连接"))
        if ".." in part:
            out.append(_err(path, 1, f"文件名含有 “..”：{part!r}，请重命名"))
        bad = sorted({c for c in part if c in _URL_UNSAFE})
        if bad:
            out.append(_err(path, 1, f"文件名含有网址中不能用的字符 {' '.join(bad)}：{part!r}，请重命名"))
        if part.startswith((".", "-")) and part not in (".", ".."):
            out.append(_err(path, 1, f"文件名以 “{part[0]}” 开头，网站会忽略它：{part!r}，请重命名"))
    return out


# --------------------------------------------------------------------------- YAML positions


def _front_nodes(text: str) -> dict[str, yaml.Node]:
    """Top-level value nodes of the front matter, for item line numbers."""
    m = re.match(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", text, re.S | re.M)
    if not m:
        return {}
    try:
        node = yaml.compose(m.group(1), Loader=_LOADER)
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
class _Page:
    name: str
    text: str
    meta: dict | None = None
    body: str = ""


def _name_problems(page: _Page) -> list[Problem]:
    """Names in tag lists with line breaks or control characters (an OCR line break caught in a name)."""
    out: list[Problem] = []
    meta = page.meta or {}
    for key in LIST_KEYS:
        if not isinstance(meta.get(key), list):
            continue
        for i, raw in enumerate(meta[key]):
            name = str(raw)
            if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in name):
                line = _item_line(page.text, _front_nodes(page.text), key, i)
                out.append(_warn(page.name, line, f"{key} 中的「{name}」含有换行或控制字符，可能是识别错误，请改正"))
    return out


def _taxonomy_problems(page: _Page, taxonomy: Taxonomy) -> list[Problem]:
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
            if name in entries or any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in name):
                continue
            if nodes is None:
                nodes = _front_nodes(text)
            line = _item_line(text, nodes, key, i)
            if canonical(name) != name:
                out.append(_warn(page.name, line, (
                    f"{label}「{name}」是「{canonical(name)}」的别名，应写作「{canonical(name)}」"
                    "（运行 bulletin retag 可一次改好所有页面）")))
            else:
                out.append(_warn(page.name, line, (
                    f"{label}「{name}」不在分类表 taxonomy.yml 中："
                    "如是新的名称请加入分类表，如是识别错误请改正")))
    district = meta.get("district")
    if district and isinstance(meta.get("streets"), list):
        known = {taxonomy.district_of(str(s)) for s in meta["streets"]} - {None}
        if known and str(district) not in known:
            out.append(_warn(page.name, key_line(text, "district"), (
                f"district「{district}」与街道所属的区（{'、'.join(sorted(known))}）不一致")))
    return out


def _page_problems(page: _Page, taxonomy: Taxonomy | None) -> list[Problem]:
    """Schema, taxonomy and body problems of one page; fills ``page.meta`` when readable."""
    out = name_problems(page.name)
    try:
        meta, body = split_page(page.text, page.name)
    except PageError as exc:
        return out + [_err(page.name, exc.line, exc.message)]
    schema = validate_meta(meta, page.name, page.text)
    out += [_err(page.name, e.line, e.message) for e in schema]
    page.meta, page.body = meta, body
    out += _name_problems(page)
    if taxonomy is not None:
        out += _taxonomy_problems(page, taxonomy)
    if not body.strip() and meta.get("kind") != "fragment":
        out.append(_warn(page.name, _body_line(page.text), "正文为空"))
    return out


def check_page(name: str | Path, text: str, taxonomy: Taxonomy | None = None) -> list[Problem]:
    """Problems of one page on its own (no duplicate detection; see :func:`check_pages`)."""
    return sorted(_page_problems(_Page(str(name), text), taxonomy), key=_order)


# --------------------------------------------------------------------------- duplicates


class _Dropper:
    """Removes whitespace, punctuation and symbols with one regex; each distinct
    character is classified once. (A Python loop over every character took
    0.5-0.7 ms a page, this 0.35 ms with NFKC: 10 s less at 50,000 pages.)"""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.drop: set[str] = set()
        self._compile()

    def _compile(self) -> None:
        def cls(chars: set[str]) -> str:
            return "".join(re.escape(c) for c in sorted(chars))

        self.unknown = re.compile(f"[^{cls(self.seen)}]") if self.seen else re.compile(r"[\s\S]")
        self.dropped = re.compile(f"[{cls(self.drop)}]+") if self.drop else None

    def __call__(self, text: str) -> str:
        if self.unknown.search(text):
            new = set(text) - self.seen
            self.seen |= new
            self.drop |= {c for c in new if c.isspace() or unicodedata.category(c)[0] in "PS"}
            self._compile()
        return self.dropped.sub("", text) if self.dropped else text


_drop_marks = _Dropper()


def normalise_body(body: str) -> str:
    """Body text for duplicate detection: NFKC, no whitespace, no punctuation or Markdown marks."""
    return _drop_marks(unicodedata.normalize("NFKC", body))


def _duplicate_keys(page: _Page) -> list[tuple]:
    """What two copies of one article share: source and position, or the body."""
    meta = page.meta
    if meta is None:
        return []
    out = []
    position = meta.get("position")
    if meta.get("source") and isinstance(position, int) and not isinstance(position, bool):
        out.append(("source", str(meta["source"]).strip(), position))
    norm = normalise_body(page.body)
    if len(norm) >= MIN_DUPLICATE_BODY:
        out.append(("body", hashlib.sha256(norm.encode()).hexdigest()))
    return out


def _duplicate_problems(pages: list[_Page], report: set[str], keys: Mapping[str, list[tuple]] | None = None) -> list[Problem]:
    groups: dict[tuple, list[_Page]] = defaultdict(list)
    for page in pages:
        for key in keys[page.name] if keys is not None else _duplicate_keys(page):
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
                out.append(_err(page.name, key_line(page.text, "source"), (
                    f"重复的文章：与 {others} 的 source 和 position 相同"
                    f"（{key[1]} 第 {key[2]} 篇），请删掉多余的一篇或改正 position")))
            else:
                out.append(_err(page.name, _body_line(page.text), (
                    f"重复的文章：正文与 {others} 相同，请删掉多余的一篇")))
    return out


# --------------------------------------------------------------------------- many pages


def _order(p: Problem):
    return (p.file, p.line, p.severity != ERROR, p.message)


def check_pages(
    pages: Mapping[str, str],
    taxonomy: Taxonomy | None = None,
    context: Mapping[str, str] | None = None,
    parsed: dict[str, tuple[dict, str]] | None = None,
    cache: dict | None = None,
) -> list[Problem]:
    """All problems of ``pages`` (name -> page text), sorted by file and line.

    ``context`` pages (e.g. the rest of the archive when pre-commit passes only
    the changed files) are read to find duplicates but not reported on.
    ``parsed``, when given, receives ``name -> (meta, body)`` of every readable
    page (the build indexes them without parsing the YAML again). ``cache``
    (kept by the caller between runs, as ``mkdocs serve`` does) skips pages
    whose text and taxonomy are the same as last time.
    """
    out: list[Problem] = []
    checked: list[_Page] = []
    keys: dict[str, list[tuple]] = {}
    for name, text in pages.items():
        name = str(name)
        hit = cache.get(name) if cache is not None else None
        if hit and hit[1] is taxonomy and hit[0] == text:
            _, _, problems, page, keys[name] = hit
        else:
            page = _Page(name, text)
            problems = _page_problems(page, taxonomy)
            keys[name] = _duplicate_keys(page)
            if cache is not None:
                cache[name] = (text, taxonomy, problems, page, keys[name])
        out += problems
        checked.append(page)
        if parsed is not None and page.meta is not None:
            parsed[name] = (page.meta, page.body)
    for name, text in (context or {}).items():
        if str(name) in pages:
            continue
        page = _Page(str(name), text)
        try:
            page.meta, page.body = split_page(text, name)
        except PageError:
            continue
        checked.append(page)
        keys[page.name] = _duplicate_keys(page)
    out += _duplicate_problems(checked, {str(n) for n in pages}, keys)
    return sorted(set(out), key=_order)


def _in_articles(path: Path) -> bool:
    return ARTICLES_DIR in path.resolve().parts


def _articles_root(path: Path) -> Path | None:
    for parent in path.resolve().parents:
        if parent.name == ARTICLES_DIR:
            return parent
    return None


def collect_pages(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Article pages named by ``paths`` (files, or folders searched for articles/ below them)."""
    pages: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            if path.suffix == ".md":
                pages.append(path)
            else:
                problems.append(_warn(path, 1, "不是 Markdown（.md）文件，没有检查"))
        elif path.is_dir():
            inside = _in_articles(path)
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path)
                if any(part.startswith(".") and part not in (".", "..") for part in rel.parts[:-1]):
                    continue  # .git, .cache and the like
                if not f.is_file() or not (inside or ARTICLES_DIR in rel.parts[:-1]):
                    continue
                if f.suffix == ".md":
                    pages.append(f)
                elif f.suffix.lower() == ".md":
                    problems.append(_err(f, 1, "扩展名应为小写 .md，否则不会作为文章发布"))
                else:
                    problems += name_problems(f)
                    problems.append(_warn(f, 1, (
                        "文章目录里的非 Markdown 文件会被原样发布到网站"
                        + ("（这是重新导入留下的备份，核对后请删除或移出 content/）" if f.suffix == ".bak" else ""))))
        else:
            problems.append(_err(path, 1, "文件或目录不存在"))
    return list(dict.fromkeys(pages)), problems


def _read(path: Path) -> str | Problem:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return _err(path, 1, f"不是 UTF-8 文本（第 {exc.start} 字节），请用 UTF-8 编码保存")
    except OSError as exc:
        return _err(path, 1, f"无法读取：{exc.strerror}")


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it (as editors typed it)."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def check_paths(paths: Iterable[str | Path], taxonomy: Taxonomy | None = None) -> list[Problem]:
    """Check the article pages under ``paths``; duplicates are looked for in their whole articles/ folder."""
    files, out = collect_pages(paths)
    texts: dict[str, str] = {}
    for f in files:
        got = _read(f)
        if isinstance(got, Problem):
            out += name_problems(f) + [got]
        else:
            texts[str(f)] = got
    context: dict[str, str] = {}
    roots = {r for r in (_articles_root(f) for f in files) if r is not None}
    checked = {f.resolve() for f in files}
    for root in roots:
        for f in sorted(root.rglob("*.md")):
            if f.resolve() not in checked:
                got = _read(f)
                if isinstance(got, str):
                    context[str(_shown(f))] = got
    return sorted(set(out + check_pages(texts, taxonomy, context)), key=_order)


def check_taxonomy_file(path: str | Path = DEFAULT_PATH) -> tuple[Taxonomy | None, list[Problem]]:
    """Load taxonomy.yml and report names that map to two canonical tags."""
    path = Path(path)
    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as exc:
        msg = str(exc)
        m = re.match(rf"{re.escape(str(path))}:(\d+): (.*)", msg)
        if m:
            return None, [_err(path, int(m.group(1)), m.group(2))]
        return None, [_err(path, 1, msg.removeprefix(f"{path}: "))]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    out: list[Problem] = []
    for section, entries in (("streets", taxonomy.streets), ("programmes", taxonomy.programmes)):
        owner: dict[str, str] = {name: name for name in entries}
        for entry in entries.values():
            for alias in entry.aliases:
                if alias in owner and owner[alias] != entry.name:
                    line = _alias_line(text, entry.name, alias)
                    out.append(_err(path, line, (
                        f"{section} 中的名称「{alias}」同时指向「{owner[alias]}」和「{entry.name}」，请只保留一处")))
                owner.setdefault(alias, entry.name)
    return taxonomy, out


def _alias_line(text: str, name: str, alias: str) -> int:
    """Line of ``alias`` in the entry named ``name`` (the first line at or after the name)."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if re.search(rf"name:\s*['\"]?{re.escape(name)}\b", ln)), 0)
    for i in range(start, len(lines)):
        if alias in lines[i] and (i > start or "aliases" in lines[i]):
            return i + 1
    return start + 1


def github_annotation(problem: Problem, strict: bool = False) -> str:
    """The problem as a GitHub Actions workflow command (shown on the pull request's changed line)."""
    def prop(v: str) -> str:
        return v.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")

    def data(v: str) -> str:
        return v.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    level = "error" if problem.is_error or strict else "warning"
    title = "bulletin check"
    return (f"::{level} file={prop(problem.file)},line={problem.line},title={prop(title)}::"
            f"{data(str(problem))}")


def summary(problems: list[Problem], strict: bool = False) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "检查通过：没有发现问题"
    tail = "（--strict：警告也算错误）" if strict and warnings else ""
    return f"发现 {errors} 个错误，{warnings} 个警告{tail}"


def failed(problems: list[Problem], strict: bool = False) -> bool:
    return any(p.is_error or strict for p in problems)


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--taxonomy", "taxonomy_path", type=click.Path(path_type=Path), default=str(DEFAULT_PATH),
              show_default=True, help="分类表文件")
@click.option("--strict", is_flag=True, help="警告也算错误（退出码非零）")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github：输出 GitHub Actions 注释，问题显示在拉取请求的对应行上")
def check_command(paths: tuple[Path, ...], taxonomy_path: Path, strict: bool, fmt: str) -> None:
    """检查文章页面的前置元数据。PATH 可以是文件或目录，默认 content。

    每个问题一行：文件:行号: 错误/警告：说明。有错误时退出码为 1。
    """
    taxonomy, problems = check_taxonomy_file(taxonomy_path)
    pages = paths or (Path("content"),)
    problems += check_paths(pages, taxonomy)
    for p in problems:
        click.echo(github_annotation(p, strict) if fmt == "github" else str(p))
    click.echo(summary(problems, strict), err=True)
    if failed(problems, strict):
        raise SystemExit(1)
