"""mkdocs.yml checked against what this project uses, before MkDocs reads it.

A pull request can edit mkdocs.yml, and MkDocs trusts it completely: ``hooks:``
run Python while the configuration loads, ``pymdownx.snippets`` reads any file
into a page, ``extra_javascript`` adds scripts, ``!ENV`` publishes environment
values, ``docs_dir: /…`` publishes an outside folder and ``site_dir: /…`` is
deleted before the build; an aliased value under ``extra:`` takes gigabytes.
A plugin runs too late for the first, so ``make build``, ``make serve`` and CI
run this first (``python -m bulletin.siteconfig``); the plugin checks the
loaded configuration again (:func:`loaded_problems`). Each refusal is one
Chinese line naming the key.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from bulletin import project, safeyaml, sanitize

MAX_CHARS = 64_000
TEXT_KEYS = ("site_name", "site_description", "site_author", "copyright", "repo_name")
URL_KEYS = ("site_url", "repo_url")
PLAIN_KEYS = {"exclude_docs": str, "not_in_nav": str, "draft_docs": str, "use_directory_urls": bool, "strict": bool}
CHECKED_KEYS = ("docs_dir", "site_dir", "edit_uri", "theme", "extra_css", "extra_javascript", "nav", "plugins",
                "markdown_extensions", "validation", "extra", "dev_addr")
REFUSED = {
    "hooks": "构建时会运行其中的 Python 代码",
    "INHERIT": "会读入另一个配置文件",
    "extra_templates": "会把文件当作模板运行",
    "watch": "会监视项目以外的目录",
}
THEME_KEYS = {"name", "custom_dir", "language", "locale", "font", "favicon", "logo", "palette", "features", "icon",
              "direction"}
TOC_OPTIONS = {"permalink": (bool, str), "permalink_title": (str,), "permalink_class": (str,), "title": (str,),
               "toc_depth": (int, str), "baselevel": (int,), "anchorlink": (bool,), "separator": (str,),
               "permalink_leading": (bool,)}
EXTRA_KEYS = {"generator", "homepage", "social"}
PLUGINS = ("bulletin",)
MKDOCS_BUILTINS = ("tables", "fenced_code")  # MkDocs adds these (and toc) to every configuration
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")


def http_url(value) -> bool:
    return isinstance(value, str) and re.match(r"https?://[^\s\"'<>`]+$", value) is not None


def link(value) -> bool:
    """A relative path inside the site or an http(s) address."""
    if not isinstance(value, str):
        return False
    return http_url(value) if _SCHEME.match(value) else project.unsafe_relative(value) is None


class _Where:
    """Line numbers of keys in the composed YAML, for messages."""

    def __init__(self, node):
        self.lines: dict[tuple, int] = {}
        self._walk(node, ())

    def _walk(self, node, path):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = path + (k.value,)
                self.lines.setdefault(key, k.start_mark.line + 1)
                self._walk(v, key)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                self._walk(v, path)

    def line(self, path: tuple) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def _tags(node, path=()):
    """(key path, tag) of every explicitly tagged node (``!ENV``, ``!!python/name:``, ``!relative``)."""
    if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.startswith("tag:yaml.org,2002:python/"):
        yield path, node.tag
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield from _tags(v, path + (k.value,))
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            yield from _tags(v, path)


def _inside(root: Path, value) -> str | None:
    """Why ``value`` is not a folder inside the project ``root``, or None."""
    if not isinstance(value, str):
        return "应为项目里的相对路径"
    why = project.unsafe_relative(value)
    if why:
        return why
    target = (root / value).resolve()
    if target == root.resolve() or root.resolve() not in target.parents:
        return "应在项目目录之内（不能是项目目录本身，也不能经符号链接指到外面）"
    return None


def _tracked(root: Path, folder: str) -> bool:
    """Does ``folder`` hold files git tracks (a build would delete them)?"""
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "--", folder], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and bool(out.stdout.strip())


def _markdown_extensions(value, out: list):
    for item in value if isinstance(value, list) else [value]:
        name, options = (item, None) if isinstance(item, str) else next(iter(item.items()), (None, None)) \
            if isinstance(item, dict) and len(item) == 1 else (None, None)
        if name not in sanitize.MARKDOWN_EXTENSIONS:
            out.append((("markdown_extensions",), f"只能用 {'、'.join(sanitize.MARKDOWN_EXTENSIONS)}，不能用 {name!r}"
                        "（其他扩展可以读入本机文件或生成不安全的网页）"))
            continue
        for key, v in (options or {}).items() if isinstance(options, dict) else [(None, options)] if options else []:
            allowed = TOC_OPTIONS.get(key, ()) if name == "toc" else ()
            if not isinstance(v, allowed) or (isinstance(v, str) and re.search(r"[<>\"'`&]", v)):
                out.append((("markdown_extensions", name), f"{name} 的选项 {key} 不允许（只能用 {'、'.join(TOC_OPTIONS)}）"
                            if name == "toc" else f"{name} 不需要选项"))


def _nav(value, out: list):
    if isinstance(value, list):
        for v in value:
            _nav(v, out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _nav(v, out)
    elif not link(value):
        out.append((("nav",), f"{value!r} 应为站内相对路径或 http(s) 网址"))


def value_problems(data: Mapping, root: Path, tracked: bool = True) -> list[tuple[tuple, str]]:
    """(key path, reason) for every value this project does not use; ``root`` is mkdocs.yml's folder."""
    out: list[tuple[tuple, str]] = []
    for key in data:
        if key in REFUSED:
            out.append(((key,), f"不允许：{REFUSED[key]}"))
        elif key not in TEXT_KEYS + URL_KEYS + CHECKED_KEYS and key not in PLAIN_KEYS:
            out.append(((key,), "不是本项目用到的设置，不允许"))
    for key in TEXT_KEYS:
        if key in data and (not isinstance(data[key], str) or re.search(r"[<>]", data[key])):
            out.append(((key,), "应为不含 < 和 > 的文字"))
    for key in URL_KEYS:
        if data.get(key) is not None and not http_url(data[key]):
            out.append(((key,), "应为 http:// 或 https:// 网址"))
    for key, kind in PLAIN_KEYS.items():
        if key in data and not isinstance(data[key], kind):
            out.append(((key,), f"应为{'文字' if kind is str else ' true 或 false'}"))
    if data.get("edit_uri") is not None and not link(data["edit_uri"]):
        out.append((("edit_uri",), "应为相对路径或 http(s) 网址"))
    for key, default in (("docs_dir", "docs"), ("site_dir", "site")):
        why = _inside(root, data.get(key, default))
        if why:
            out.append(((key,), why))
    site = data.get("site_dir", "site")
    if tracked and isinstance(site, str) and not _inside(root, site) and _tracked(root, site):
        out.append((("site_dir",), f"{site} 里有仓库的文件：构建前会清空这个目录"))
    theme = data.get("theme")
    if not isinstance(theme, dict) or theme.get("name") != "material":
        out.append((("theme",), "应为 name: material 的设置"))
    else:
        for key in theme:
            if key not in THEME_KEYS:
                out.append((("theme", key), "不是本项目用到的主题设置，不允许"))
        why = _inside(root, theme["custom_dir"]) if "custom_dir" in theme else None
        if why:
            out.append((("theme", "custom_dir"), why))
        if theme.get("font", False) is not False:
            out.append((("theme", "font"), "应为 false：字体不从外部网站加载"))
        for key in ("favicon", "logo"):
            if key in theme and not (isinstance(theme[key], str) and project.unsafe_relative(theme[key]) is None):
                out.append((("theme", key), "应为主题目录里的相对路径"))
    if data.get("extra_javascript"):
        out.append((("extra_javascript",), "不允许额外的脚本（网站的脚本都在 theme/ 里，由维护者审核）"))
    for item in data.get("extra_css") or []:
        if not link(item):
            out.append((("extra_css",), f"{item!r} 应为站内相对路径或 http(s) 网址"))
    _nav(data.get("nav") or [], out)
    plugins = data.get("plugins") or []
    names = list(plugins) if isinstance(plugins, dict) else [
        p if isinstance(p, str) else next(iter(p), None) if isinstance(p, dict) else p for p in plugins]
    for name in names:
        if name not in PLUGINS:
            out.append((("plugins",), f"只能用 bulletin 插件，不能用 {name!r}"))
    _markdown_extensions(data.get("markdown_extensions") or [], out)
    extra = data.get("extra")
    if extra is not None:
        for key in extra if isinstance(extra, dict) else ["extra"]:
            if key not in EXTRA_KEYS:
                out.append((("extra", key), "不是本项目用到的设置，不允许（可能加载外部脚本）"))
        if isinstance(extra, dict) and "homepage" in extra and not link(extra["homepage"]):
            out.append((("extra", "homepage"), "应为站内相对路径或 http(s) 网址"))
        for item in (extra or {}).get("social") or [] if isinstance(extra, dict) else []:
            if not isinstance(item, dict) or not http_url(item.get("link")):
                out.append((("extra", "social"), "每一项的 link 应为 http(s) 网址"))
    addr = data.get("dev_addr")
    if addr is not None and not re.fullmatch(r"(127\.0\.0\.1|localhost):\d{1,5}", str(addr)):
        out.append((("dev_addr",), "只能是 127.0.0.1:端口"))
    validation = data.get("validation")
    if validation is not None and not _levels(validation):
        out.append((("validation",), "每一项应为 warn、info 或 ignore"))
    return out


def _levels(value) -> bool:
    if isinstance(value, dict):
        return all(_levels(v) for v in value.values())
    return value in ("warn", "info", "ignore") or isinstance(value, bool)


def problems(config: Path) -> list[str]:
    """Every problem of the mkdocs.yml ``config``, one line each (``mkdocs.yml:LINE: key: reason``)."""
    name = project.shown(config)
    try:
        text = config.read_text(encoding="utf-8")
        safeyaml.guard(text, MAX_CHARS)
        node = yaml.compose(text, Loader=safeyaml.LOADER)
    except safeyaml.YamlLimitError as exc:
        return [f"{name}:{exc.line + 1}: {exc.message}"]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return [f"{name}:{mark.line + 1 if mark else 1}: 无法读取网站配置（{type(exc).__name__}）"]
    if node is None or not isinstance(node, yaml.MappingNode):
        return [f"{name}:1: 网站配置应为键值对"]
    where = _Where(node)
    tagged = list(dict.fromkeys(_tags(node)))
    if tagged:
        return [f"{name}:{where.line(path)}: {'.'.join(map(str, path)) or '(整个文件)'}: 不允许 YAML 标签 {tag}"
                "（!ENV 会把环境变量发布出去，!!python 会运行代码）；网站地址请用环境变量 SITE_URL"
                for path, tag in tagged]
    data = yaml.load(text, Loader=safeyaml.LOADER)
    return [f"{name}:{where.line(path)}: {'.'.join(map(str, path))}: {why}" for path, why in value_problems(data, config.parent)]


def loaded_problems(config, root: Path, serving: bool = False) -> list[str]:
    """The same rules on the configuration MkDocs loaded (the plugin's second look).
    ``site_dir`` only when it is mkdocs.yml's: ``mkdocs serve`` builds into a
    temporary folder of its own, and ``mkdocs build -d DIR`` is the caller's choice."""
    out = []
    for key in ("hooks", "extra_templates"):
        if getattr(config, key, None):
            out.append(f"{key}: 不允许：{REFUSED[key]}")
    from_file = project.site_output(Path(config.config_file_path or root / "mkdocs.yml")).resolve()
    mine = not serving and Path(config.site_dir).resolve() == from_file
    for key in ("docs_dir", "site_dir") if mine else ("docs_dir",):
        target = Path(getattr(config, key)).resolve()
        if root.resolve() not in target.parents:
            out.append(f"{key}: 应在项目目录之内（{target}）")
    if config.site_url and not http_url(config.site_url):
        out.append("site_url: 应为 http:// 或 https:// 网址")
    data = {"extra_javascript": list(config.extra_javascript), "plugins": list(config.plugins),
            "markdown_extensions": [n for n in config.markdown_extensions if n not in MKDOCS_BUILTINS],
            "theme": {"name": config.theme.name}, "docs_dir": "docs", "site_dir": "site"}
    out += [f"{'.'.join(map(str, p))}: {why}" for p, why in value_problems(data, root, tracked=False)
            if p[0] not in ("docs_dir", "site_dir")]
    return [f"mkdocs.yml: {line}" for line in out]


def main(argv: list[str]) -> int:
    config = Path(argv[0] if argv else "mkdocs.yml")
    found = problems(config)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"{project.shown(config)}：{len(found)} 处设置不符合本项目的要求，没有构建（这些设置需要维护者审核）", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
